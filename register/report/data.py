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
from ..facts import clients, contracts, joint_uses
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
        out.append(_flow(route, list(by_record.get(("tags", tid), ()))))  # docs/web.md §9
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
    return_only = clients.return_only_contracts(analysis.register)  # a client is no contractor
    carried = clients.contract_clients(analysis.register)
    approved = {cid: c.get("client_approved_on") for cid, c in analysis.register["contractors"].by_key.items()}
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
            "client_party_ids": list(carried.get(f.contract_id, ())),
            "client_approved_on": (
                approved[f.contract_id].isoformat()
                if f.contract_id in carried and approved.get(f.contract_id) else None
            ),
        }
        for f in facts.values() if f.contract_id not in return_only
    ]


def _state(state: joint_uses.State | None) -> dict[str, Any] | None:
    if state is None:
        return None
    return {
        "item_ids": list(state.items), "purpose_ids": list(state.purposes),
        "user_party_ids": list(state.users), "users_scope": state.users_scope,
        "manager_party_id": state.manager, "manager_details": state.manager_details,
    }


def joint_use_rows(analysis: Any, by_record: dict[tuple[str, str], list[Finding]]) -> list[dict[str, Any]]:
    hist = joint_uses.history(analysis.register)
    return [
        {
            "joint_use_id": f.joint_use_id,
            "complete": f.complete,
            "matters": [
                {"matter": m.column, "given": m.given, "manager_missing": list(m.missing),
                 "manager_unpublished": list(m.unpublished)}
                for m in f.matters
            ],
            "earlier_managers": [
                {"party_id": m.party_id, "change_id": m.change_id, "until": m.until.isoformat(),
                 "missing": list(m.missing), "unpublished": list(m.unpublished)}
                for m in f.earlier_managers
            ],
            # the notice as in force on the as-of date (docs/joint-use.md §1.3)
            "in_force": _state(
                hist[f.joint_use_id].state_on(analysis.as_of) if f.joint_use_id in hist else None
            ),
            "rules": _rules(by_record.get(("joint_uses", f.joint_use_id), [])),
        }
        for f in joint_uses.joint_use_matters(analysis.register, analysis.as_of).values()
    ]


def _value(v: Any) -> Any:
    if isinstance(v, tuple) and len(v) == 2 and isinstance(v[0], tuple):  # users: (list, scope)
        return {"user_party_ids": list(v[0]), "users_scope": v[1]}
    return list(v) if isinstance(v, tuple) else v


def joint_use_change_rows(analysis: Any, by_record: dict[tuple[str, str], list[Finding]]) -> list[dict[str, Any]]:
    """Every valid change in (joint_use_id, effective_on, change_id) order, with what it means;
    rows that are not valid changes are listed by `invalid_changes`."""
    facts = joint_uses.change_facts(analysis.register, analysis.as_of)
    hist = joint_uses.history(analysis.register)
    out = []
    for jid in sorted(facts):
        for f in facts[jid]:
            c = f.change
            out.append({
                "change_id": c.change_id, "joint_use_id": jid, "matter": c.matter,
                "effective_on": c.effective_on.isoformat(),
                "notified_on": c.notified_on.isoformat() if c.notified_on else None,
                "change_basis": c.basis, "pending": c.effective_on > analysis.as_of,
                "before": _value(hist[jid].before(c)), "after": _value(hist[jid].after(c)),
                "added": list(f.added),
                "fails_routes_from": f.window[0].isoformat() if f.window else None,
                "fails_routes_until": f.window[1].isoformat() if f.window and f.window[1] else None,
                "rules": _rules(by_record.get(("joint_use_changes", c.change_id), [])),
            })
    return out


def held_data_rows(analysis: Any, by_record: dict[tuple[str, str], list[Finding]]) -> list[dict[str, Any]]:
    """Per dataset held for a client: the client, and the kind of each provision from it."""
    reg = analysis.register
    held = clients.held_data(reg)
    provisions = reg["provisions"].by_key
    return [
        {
            "dataset_id": did,
            "client_party_id": client,
            "client_purpose_ids": [
                u for u in reg["datasets"].by_key[did].get("purpose_ids") or ()
                if held.purposes.get(u) == client
            ],
            "provisions": [
                {"provision_id": pid, "party_id": p.get("party_id"), "kind": held.kinds[pid],
                 "rules": _rules(provision_findings(p, by_record))}
                for pid, p in provisions.items() if pid in held.kinds and held.clients[pid] == client
                and p.get("dataset_id") == did
            ],
            "rules": _rules(by_record.get(("datasets", did), [])),
        }
        for did, client in held.datasets.items()
    ]


def report_data(analysis: Any) -> dict[str, Any]:
    """The report's data: inputs, summary, findings, flows, contractors and joint uses."""
    reg = analysis.register
    findings = list(analysis.report.findings)
    by_record = findings_by_record(reg, findings)
    from .incidents import incident_data  # readiness and incidents (docs/incident.md §6)

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
        **tags_data(analysis, by_record),  # services and tags (docs/web.md §9)
        "contractors": contractor_rows(analysis, by_record),
        "joint_uses": joint_use_rows(analysis, by_record),
        **incident_data(analysis),
        "joint_use_changes": joint_use_change_rows(analysis, by_record),
        "held_data": held_data_rows(analysis, by_record),
    }


def write_report_json(analysis: Any, out: Path) -> Path:
    """Write the report's data as JSON (atomically) and return the path."""
    out = Path(out)
    refuse_overwriting_inputs([out], analysis.register.files)
    data = orjson.dumps(report_data(analysis), option=orjson.OPT_INDENT_2) + b"\n"
    with atomic_file(out) as tmp:
        tmp.write_bytes(data)
    return out
