"""`register report --format json`: the facts and findings the HTML report is rendered from.

Engineers feed dashboards from it, and the tests hold the report to the same facts as `check`
and `records`: every value here is read from the facts layer, the routes and the findings —
nothing is decided again.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from .. import __version__
from ..facts import contracts, joint_uses
from ..findings import Finding
from ..io.atomic import atomic_file, refuse_overwriting_inputs
from .flows_view import findings_by_record, provision_findings
from .tags_view import tags_data
from .views import sha256


def _rules(findings: list[Finding]) -> list[str]:
    """The rule IDs of a flow's findings, each once, in catalogue order."""
    from ..render import rule_order

    return sorted({f.rule for f in findings}, key=rule_order)


def _flows(analysis: Any, by_record: dict[tuple[str, str], list[Finding]]) -> list[dict[str, Any]]:
    reg = analysis.register
    routes = analysis.routes
    out = []
    provisions = reg["provisions"].by_key
    for pid, route in (routes.provisions.items() if routes else ()):
        own = provision_findings(provisions.get(pid, {}), by_record)
        own += by_record.get(("parties", route.party_id or ""), [])
        out.append(_flow(route, own))
    for rid, route in (routes.receipts.items() if routes else ()):
        own = list(by_record.get(("receipts", rid), ()))
        own += by_record.get(("parties", route.party_id or ""), [])
        out.append(_flow(route, own))
    for tid, route in (getattr(routes, "tags", {}) if routes else {}).items():
        out.append(_flow(route, list(by_record.get(("tags", tid), ()))))  # web.md §9
    return out


def _flow(route: Any, findings: list[Finding]) -> dict[str, Any]:
    return {
        "flow": route.flow,
        "flow_id": route.flow_id,
        "party_id": route.party_id,
        "basis": route.basis,
        "record_type": route.record_type,
        "record_method": route.record_method if route.record_type else None,
        "reason": route.exempt_reason,
        "route_failed_by": list(route.failed_by),
        "rules": _rules(findings),
    }


def contractor_rows(analysis: Any, by_record: dict[tuple[str, str], list[Finding]]) -> list[dict[str, Any]]:
    facts = contracts.contract_facts(analysis.register, analysis.as_of)
    return [
        {
            "contract_id": f.contract_id,
            "party_id": f.party_id,
            "state": f.state,
            "in_force": f.in_force,
            "last_audit_on": f.last_audit_on.isoformat() if f.last_audit_on else None,
            "audit_interval_months": f.interval_months,
            "audit_due_on": f.audit_due_on.isoformat() if f.audit_due_on else None,
            "never_audited": f.never_audited,
            "audit_overdue": f.audit_overdue,
            "rules": _rules(by_record.get(("contractors", f.contract_id), [])),
        }
        for f in facts.values()
    ]


def joint_use_rows(analysis: Any, by_record: dict[tuple[str, str], list[Finding]]) -> list[dict[str, Any]]:
    return [
        {
            "joint_use_id": f.joint_use_id,
            "complete": f.complete,
            "matters": [
                {"matter": m.column, "given": m.given, "manager_missing": list(m.missing)}
                for m in f.matters
            ],
            "rules": _rules(by_record.get(("joint_uses", f.joint_use_id), [])),
        }
        for f in joint_uses.joint_use_matters(analysis.register).values()
    ]


def report_data(analysis: Any) -> dict[str, Any]:
    """The report's data: inputs, summary, findings, flows, contractors and joint uses."""
    reg = analysis.register
    findings = list(analysis.report.findings)
    by_record = findings_by_record(reg, findings)
    from .incidents import incident_data  # readiness and incidents (incident.md §6)

    return {
        "tool": {"name": "register", "version": __version__},
        "as_of": analysis.as_of.isoformat(),
        "inputs": {
            "source": reg.source,
            "form": reg.form,
            "files": [{"path": str(p), "sha256": sha256(Path(p))} for p in reg.files],
        },
        "summary": analysis.report.summary(),
        "findings": analysis.report.as_dict("en")["findings"],
        "flows": _flows(analysis, by_record),
        **tags_data(analysis, by_record),  # services and tags (web.md §9)
        "contractors": contractor_rows(analysis, by_record),
        "joint_uses": joint_use_rows(analysis, by_record),
        **incident_data(analysis),
    }


def write_report_json(analysis: Any, out: Path) -> Path:
    """Write the report's data as JSON (atomically) and return the path."""
    out = Path(out)
    refuse_overwriting_inputs([out], analysis.register.files)
    data = orjson.dumps(report_data(analysis), option=orjson.OPT_INDENT_2) + b"\n"
    with atomic_file(out) as tmp:
        tmp.write_bytes(data)
    return out
