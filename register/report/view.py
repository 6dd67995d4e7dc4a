"""The report's view model: everything the template shows, computed from an Analysis.

The template only lays out; every decision (outcome of a flow, audit status, plain-word reason)
is made here, in the report's language. Small tables (parties, provisions, contractors) are
walked as dicts; the provision log and the records are only grouped with polars.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from .. import __version__
from ..countries import country_name, is_equivalent, normalize_country
from ..facts import contracts, flows, joint_uses
from ..findings import RULES, Finding, render
from ..model import Register
from . import charts, flowmap
from .messages import (
    SEVERITIES,
    column_label,
    enum_label,
    reason_plain,
    reason_short,
    record_type_label,
    severity_label,
    table_label,
    text,
)

SEVERITY_COLOUR = {"error": "#c62828", "warning": "#b26a00", "info": "#1565c0"}


@dataclass
class FindingView:
    rule: str
    severity: str
    severity_label: str
    where: str
    record: str
    message: str
    hint: str
    law: str


@dataclass
class ProvisionView:
    id: str
    basis: str
    dataset: str
    items: str
    events: int
    route: str
    outcome: str  # record | no_record | violation | unknown
    outcome_label: str
    map_label: str
    findings: list[FindingView] = field(default_factory=list)


@dataclass
class RecipientView:
    id: str
    name: str
    kind: str
    country: str
    provisions: list[ProvisionView] = field(default_factory=list)
    findings: list[FindingView] = field(default_factory=list)
    outcome: str = "no_record"


def sha256(path: Path) -> str:
    """The file's SHA-256 (hex), read in chunks; '—' when it cannot be read."""
    h = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
    except OSError:
        return "—"
    return h.hexdigest()


def fmt_date(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, dt.date):
        return v.isoformat()
    return str(v)


def fmt_bool(v: Any, lang: str) -> str:
    if v is None:
        return text("missing", lang)
    return text("yes" if v else "no", lang)


def where(f: Finding) -> str:
    """The location as the user finds it: a JSON pointer, `sheet!D5`, or `file line 5`."""
    loc = f.location
    place = loc.sheet or (Path(loc.file).name if loc.file else "")
    if loc.pointer:
        return loc.pointer
    if loc.cell:
        return f"{place}!{loc.cell}" if place else loc.cell
    if loc.row is not None:
        return f"{place} {loc.row}".strip()
    return place or (f.table or "")


def finding_view(f: Finding, lang: str) -> FindingView:
    d = render(f, lang)
    rec = " / ".join(
        x
        for x in (
            table_label(f.table, lang),
            f.record or "",
            column_label(f.table, f.field, lang) if f.table and f.field else (f.field or ""),
        )
        if x
    )
    return FindingView(
        rule=f.rule,
        severity=f.severity.value,
        severity_label=severity_label(f.severity.value, lang),
        where=where(f),
        record=rec,
        message=d["message"],
        hint=d["hint"],
        law=d["law"] or "",
    )


class Names:
    """ID → display name lookups for the small tables."""

    def __init__(self, reg: Register, lang: str):
        self.lang = lang
        org = reg.organization
        self.org_name = org.get("name") or ""
        self.parties = reg["parties"].by_key
        self.items = reg["data_items"].by_key
        self.purposes = reg["purposes"].by_key
        self.datasets = reg["datasets"].by_key

    def party(self, pid: str | None) -> str:
        if pid is None:
            return ""
        if pid == "self":
            return self.org_name
        p = self.parties.get(pid)
        return f"{p.get('name') or pid}" if p else pid

    def item(self, iid: str) -> str:
        i = self.items.get(iid)
        return (i.get("name") or iid) if i else iid

    def items_text(self, ids: Iterable[str] | None) -> str:
        return "、".join(self.item(i) for i in ids or ()) if self.lang == "ja" else ", ".join(
            self.item(i) for i in ids or ()
        )

    def purpose(self, pid: str) -> str:
        p = self.purposes.get(pid)
        return (p.get("description") or pid) if p else pid

    def dataset(self, did: str | None) -> str:
        if did is None:
            return ""
        d = self.datasets.get(did)
        return (d.get("name") or did) if d else did

    def country(self, code: str | None) -> str:
        if not code:
            return ""
        norm = normalize_country(code) or code
        return f"{country_name(norm, 'ja' if self.lang == 'ja' else 'en')} ({norm})"


def _join(values: Iterable[str], lang: str) -> str:
    return ("、" if lang == "ja" else ", ").join(v for v in values if v)


# --------------------------------------------------------------------------------------------


def build(analysis: Any, lang: str) -> dict[str, Any]:
    """The whole view model of the report."""
    reg: Register = analysis.register
    names = Names(reg, lang)
    findings = list(analysis.report.findings)
    ctx = {
        "lang": lang,
        "t": lambda key, **kw: text(key, lang, **kw),
        "title": text("doc_title", lang),
        "version": __version__,
        "as_of": analysis.as_of.isoformat(),
    }
    ctx["organization"] = _organization(reg, lang)
    ctx["inputs"] = _inputs(reg)
    ctx["summary"] = _summary(analysis.report, lang)
    ctx["findings"] = [finding_view(f, lang) for f in findings]
    by_record = _findings_by_record(reg, findings)
    recipients = _recipients(analysis, names, by_record, lang)
    ctx["recipients"] = recipients
    ctx["inventory"] = _inventory(reg, names, lang)
    ctx["flowmap"] = _flowmap(reg, names, recipients, lang)
    ctx["contractors"] = _contractors(reg, names, analysis.as_of, lang)
    ctx["joint_uses"] = _joint_uses(reg, names, lang)
    ctx["cross_border"] = _cross_border(reg, names, recipients, by_record, lang)
    ctx["records"] = _records(analysis.records, analysis.as_of, lang)
    ctx["exempt"] = _exempt(analysis, names, lang)
    ctx["receipts"] = _receipts(analysis, names, by_record, lang)
    return ctx


def _organization(reg: Register, lang: str) -> list[tuple[str, str]]:
    org = reg.organization
    out = []
    for key in ("name", "address", "representative", "contact", "corporate_number", "country"):
        v = org.get(key)
        if key == "country" and v:
            v = f"{country_name(v, 'ja' if lang == 'ja' else 'en')} ({v})"
        out.append((text(f"org_{key}", lang), v or ""))
    return out


def _inputs(reg: Register) -> dict[str, Any]:
    return {
        "source": reg.source,
        "form": reg.form,
        "files": [(str(p), sha256(Path(p))) for p in reg.files],
    }


def _summary(report: Any, lang: str) -> dict[str, Any]:
    s = report.summary()
    counts: dict[str, int] = {}
    for f in report.findings:
        if f.params.get("_suppressed_note"):
            continue
        counts[f.rule] = counts.get(f.rule, 0) + 1
    from ..render import rule_order

    rules = []
    for rid in sorted(counts, key=rule_order):
        r = RULES[rid]
        rules.append(
            {
                "id": rid,
                "severity": r.severity.value,
                "severity_label": severity_label(r.severity.value, lang),
                "title": r.title[lang],
                "law": r.law or "",
                "count": counts[rid],
            }
        )
    chart = ""
    if rules:
        chart = charts.hbar(
            [(r["id"], r["count"]) for r in rules],
            title=text("chart_findings_by_rule", lang),
            colours=[SEVERITY_COLOUR[r["severity"]] for r in rules],
        )
    return {
        "severities": [(sev, severity_label(sev, lang), s.get(sev, 0)) for sev in SEVERITIES],
        "suppressed": s.get("suppressed", 0),
        "rules": rules,
        "chart": chart,
    }


def _findings_by_record(reg: Register, findings: list[Finding]) -> dict[tuple[str, str], list[Finding]]:
    """(table, record) → findings; provision-log findings are also filed under their provision."""
    out: dict[tuple[str, str], list[Finding]] = {}
    events: set[str] = set()
    for f in findings:
        if f.table and f.record:
            out.setdefault((f.table, f.record), []).append(f)
            if f.table == "provision_log":
                events.add(f.record)
    if events:
        # The events were grouped once for the checks (flows.events); only look up the few
        # that have findings (at most 100 per rule).
        ev = flows.events(reg).filter(pl.col("event_id").is_in(sorted(events)))
        ev_prov = dict(ev.select("event_id", "provision_id").iter_rows())
        for f in findings:
            if f.table == "provision_log" and ev_prov.get(f.record):
                out.setdefault(("provisions:log", ev_prov[f.record]), []).append(f)
    return out


def _event_counts(reg: Register) -> dict[str, int]:
    """provision_id → number of log events (from the events the checks already grouped)."""
    g = flows.events(reg).filter(pl.col("provision_id").is_not_null()).group_by("provision_id").len()
    return dict(zip(g["provision_id"].to_list(), g["len"].to_list(), strict=True))


def _route_text(route: Any, events: int, lang: str) -> tuple[str, str]:
    """(route and record in words, short label for the map) for a provision's route."""
    if route is None:
        return text("not_classified", lang), text("not_classified", lang)
    basis = enum_label("provisions", "basis", getattr(route, "basis", None), lang)
    rtype = getattr(route, "record_type", None)
    failed = tuple(getattr(route, "failed_by", ()) or ())
    if rtype:
        method = enum_label("provisions", "record_method", getattr(route, "record_method", "each"), lang)
        words = text("record_of_type", lang, type=record_type_label(rtype, lang), method=method)
        if failed:
            lead = text("route_failed", lang, basis=basis, rules=", ".join(sorted(failed)))
            words = f"{lead}。{words}" if lang == "ja" else f"{lead}. {words[:1].upper()}{words[1:]}"
        if not events:
            words += (" — " if lang == "en" else "／") + text("no_events", lang)
        arrow = " ✗→ " if failed else " → "
        return words, f"{basis}{arrow}{record_type_label(rtype, lang, short=True)}"
    reason = getattr(route, "reason", None)
    return (
        reason_plain(reason, lang, getattr(route, "basis", None)),
        f"{basis} → {reason_short(reason, lang)}",
    )


def _provision_findings(
    p: dict[str, Any], by_record: dict[tuple[str, str], list[Finding]]
) -> list[Finding]:
    """Findings on a provision and on what it depends on: its events, contract, joint use."""
    pid = p.get("provision_id")
    out = list(by_record.get(("provisions", pid), ()))
    out += by_record.get(("provisions:log", pid), ())
    if p.get("contract_id"):
        out += by_record.get(("contractors", p["contract_id"]), ())
    if p.get("joint_use_id"):
        out += by_record.get(("joint_uses", p["joint_use_id"]), ())
    return out


def _unique(findings: Iterable[Finding]) -> list[Finding]:
    """Findings without repeats (a contract's finding is shared by its provisions), sorted."""
    seen: set[int] = set()
    out = []
    for f in findings:
        if id(f) not in seen:
            seen.add(id(f))
            out.append(f)
    return sorted(out, key=Finding.sort_key)


def _recipients(
    analysis: Any, names: Names, by_record: dict[tuple[str, str], list[Finding]], lang: str
) -> list[RecipientView]:
    reg: Register = analysis.register
    routes = getattr(analysis.routes, "provisions", None) if analysis.routes is not None else None
    counts = _event_counts(reg)
    parties = names.parties
    order = {k: i for i, k in enumerate(parties)}
    out: dict[str, RecipientView] = {}
    for p in reg["provisions"].rows:
        pid, party_id = p.get("provision_id"), p.get("party_id")
        if pid is None:
            continue
        key = party_id or "—"
        party = parties.get(party_id or "", {})
        if key not in out:
            out[key] = RecipientView(
                id=key,
                name=names.party(party_id) if party_id else "—",
                kind=enum_label("parties", "kind", party.get("kind"), lang),
                country=names.country(party.get("country")),
            )
            pf = by_record.get(("parties", party_id or ""), [])
            out[key].findings.extend(finding_view(f, lang) for f in pf)
        rv = out[key]
        route = routes.get(pid) if routes is not None else None
        events = counts.get(pid, 0)
        words, short = _route_text(route, events, lang)
        own = _provision_findings(p, by_record)
        party_errors = [f for f in by_record.get(("parties", party_id or ""), []) if f.severity.value == "error"]
        if route is None:
            outcome = "unknown"
        elif (
            getattr(route, "failed_by", ())
            or any(f.severity.value == "error" for f in own)
            or party_errors
        ):
            outcome = "violation"
        elif getattr(route, "record_type", None):
            outcome = "record"
        else:
            outcome = "no_record"
        label_key = {"record": "record_needed", "no_record": "no_record_needed", "violation": "in_violation"}
        rv.provisions.append(
            ProvisionView(
                id=pid,
                basis=enum_label("provisions", "basis", p.get("basis"), lang),
                dataset=names.dataset(p.get("dataset_id")),
                items=names.items_text(p.get("item_ids")),
                events=events,
                route=words,
                outcome=outcome,
                outcome_label=text(label_key.get(outcome, "not_classified"), lang),
                map_label=short,
                findings=[finding_view(f, lang) for f in _unique(own)],
            )
        )
    rank = {"violation": 3, "record": 2, "unknown": 1, "no_record": 0}
    for rv in out.values():
        rv.outcome = max((pv.outcome for pv in rv.provisions), key=lambda o: rank[o], default="no_record")
    return sorted(out.values(), key=lambda r: (order.get(r.id, len(order)), r.id))


def _inventory(reg: Register, names: Names, lang: str) -> dict[str, Any]:
    datasets = reg["datasets"].rows
    held = {i for d in datasets for i in (d.get("item_ids") or ())}
    items = [
        {"id": iid, "name": r.get("name") or iid, "cls": r.get("legal_class") or "personal"}
        for iid, r in names.items.items()
        if iid in held
    ]
    rows = []
    for d in datasets:
        mine = set(d.get("item_ids") or ())
        rows.append(
            {
                "id": d.get("dataset_id"),
                "name": d.get("name") or d.get("dataset_id"),
                "cells": [it["cls"] if it["id"] in mine else "" for it in items],
                "subjects": d.get("subjects") or "",
                "source": enum_label("datasets", "source", d.get("source"), lang),
                "purposes": [names.purpose(p) for p in d.get("purpose_ids") or ()],
                "special_care_basis": enum_label("datasets", "special_care_basis", d.get("special_care_basis"), lang),
                "has_special": any(names.items.get(i, {}).get("legal_class") == "special_care" for i in mine),
                "storage": _join(
                    [d.get("storage") or "", names.country(d.get("storage_country")) if d.get("storage_country") else ""],
                    lang,
                ),
                "record_count": d.get("record_count"),
            }
        )
    return {"items": items, "rows": rows}


def _flowmap(reg: Register, names: Names, recipients: list[RecipientView], lang: str) -> dict[str, Any]:
    nodes_s: list[flowmap.Node] = []
    for did, d in names.datasets.items():
        nodes_s.append(flowmap.Node(did, d.get("name") or did, f"{did}: {d.get('name') or did}"))
    nodes_s.append(flowmap.Node("__none__", text("no_dataset", lang)))
    known = set(names.datasets)
    provs = {p.get("provision_id"): p for p in reg["provisions"].rows}
    nodes_t: list[flowmap.Node] = []
    edges: list[flowmap.Edge] = []
    for rv in recipients:
        party = names.parties.get(rv.id, {})
        code = normalize_country(party.get("country")) or party.get("country") or ""
        label = f"{rv.name} [{code}]" if code and code != "JP" else rv.name
        nodes_t.append(flowmap.Node(rv.id, label, f"{rv.id}: {rv.name} {rv.country}"))
        for pv in rv.provisions:
            did = provs.get(pv.id, {}).get("dataset_id")
            src = did if did in known else "__none__"
            edges.append(
                flowmap.Edge(
                    id=pv.id,
                    source=src,
                    target=rv.id,
                    outcome=pv.outcome,
                    label=pv.map_label,
                    title=f"{pv.id}: {pv.map_label} ({pv.outcome_label})",
                )
            )
    parts = flowmap.render(nodes_s, nodes_t, edges, text("sec_flowmap", lang))
    legend = flowmap.legend(
        {
            "record": text("record_needed", lang),
            "no_record": text("no_record_needed", lang),
            "violation": text("in_violation", lang),
        }
    )
    return {"parts": parts, "legend": legend}


# How each contract state and audit fact shows: (text key, CSS class). The facts are decided in
# facts.contracts, the same ones ENT-003 reads.
_CONTRACT_STATUS = {
    contracts.UNSIGNED: ("no_contract", "bad"),
    contracts.NOT_YET: ("contract_not_yet", ""),
    contracts.ENDED: ("contract_ended", ""),
}


def _contract_status(fact: contracts.ContractFacts | None) -> tuple[str, str]:
    if fact is not None and fact.state in _CONTRACT_STATUS:
        return _CONTRACT_STATUS[fact.state]
    if fact is not None and fact.never_audited:
        return "audit_never", "warn"
    if fact is not None and fact.audit_overdue:
        return "audit_overdue", "warn"
    return "audit_ok", "ok"


def _contractors(reg: Register, names: Names, as_of: dt.date, lang: str) -> list[dict[str, Any]]:
    facts = contracts.contract_facts(reg, as_of)
    out = []
    for c in reg["contractors"].rows:
        fact = facts.get(c.get("contract_id") or "")
        signed, last, ends = c.get("contract_on"), c.get("last_audit_on"), c.get("ends_on")
        interval = c.get("audit_interval_months")
        key, cls = _contract_status(fact)
        out.append(
            {
                "id": c.get("contract_id"),
                "party": names.party(c.get("party_id")),
                "task": c.get("task") or "",
                "items": names.items_text(c.get("item_ids")),
                "contract_on": fmt_date(signed) or text("missing", lang),
                "security_terms": fmt_bool(c.get("security_terms"), lang),
                "security_ok": bool(c.get("security_terms")),
                "interval": text("audit_interval", lang, n=interval) if interval is not None else "",
                "last_audit_on": fmt_date(last) or text("missing", lang),
                "next_audit": fmt_date(fact.audit_due_on if fact else None),
                "subcontracting": enum_label("contractors", "subcontracting", c.get("subcontracting"), lang),
                "ends_on": fmt_date(ends),
                "status": text(key, lang),
                "status_class": cls,
            }
        )
    return out


_MATTER_TEXT = {
    "notified_on": "matter1", "item_ids": "matter2", "users_scope": "matter3",
    "purpose_ids": "matter4", "manager_party_id": "matter5",
}


def _joint_uses(reg: Register, names: Names, lang: str) -> list[dict[str, Any]]:
    """The joint uses with their five matters as facts.joint_uses decided them (JNT-001's)."""
    facts = joint_uses.joint_use_matters(reg)
    out = []
    for j in reg["joint_uses"].rows:
        fact = facts.get(j.get("joint_use_id") or "")
        given = {m.column: m.given and not m.missing for m in fact.matters} if fact else {}
        manager = (fact.manager if fact else None) or {}
        mparts = [manager.get("name") or "", manager.get("address") or "", manager.get("representative") or ""]
        shown = {
            "notified_on": fmt_date(j.get("notified_on")),
            "item_ids": names.items_text(j.get("item_ids")),
            "users_scope": j.get("users_scope") or "",
            "purpose_ids": _join((names.purpose(p) for p in j.get("purpose_ids") or ()), lang),
            "manager_party_id": _join(mparts, lang) if j.get("manager_party_id") else "",
        }
        matters = [
            (text(_MATTER_TEXT[col], lang), shown[col], given.get(col, False))
            for col in joint_uses.MATTERS
        ]
        out.append(
            {
                "id": j.get("joint_use_id"),
                "matters": matters,
                "users": _join((names.party(u) for u in j.get("user_party_ids") or ()), lang),
                "notice_url": j.get("notice_url") or "",
            }
        )
    return out


def _cross_border(
    reg: Register,
    names: Names,
    recipients: list[RecipientView],
    by_record: dict[tuple[str, str], list[Finding]],
    lang: str,
) -> list[dict[str, Any]]:
    out = []
    for rv in recipients:
        party = names.parties.get(rv.id)
        if not party:
            continue
        code = normalize_country(party.get("country")) or party.get("country")
        if not code or code == "JP":
            continue
        safeguard = party.get("foreign_safeguard") or "none"
        equivalent = is_equivalent(code)
        out.append(
            {
                "id": rv.id,
                "name": rv.name,
                "country": names.country(code),
                "equivalent": text("yes" if equivalent else "no", lang),
                "safeguard": enum_label("parties", "foreign_safeguard", safeguard, lang),
                "checked_on": fmt_date(party.get("safeguard_checked_on")),
                "foreign_third_party": text(
                    "yes" if (not equivalent and safeguard == "none") else "no", lang
                ),
                "provisions": rv.provisions,
                "findings": [
                    f
                    for f in [*rv.findings, *(x for pv in rv.provisions for x in pv.findings)]
                    if f.rule.split("-")[0] in ("XB", "PRI")
                ],
            }
        )
    return out


def _frame(records: Any, name: str) -> pl.DataFrame | None:
    df = getattr(records, name, None) if records is not None else None
    return df if isinstance(df, pl.DataFrame) else None


def _as_text(df: pl.DataFrame, col: str) -> pl.Expr:
    """A date-or-text column as ISO text (records may type dates either way)."""
    return pl.col(col).cast(pl.Utf8) if df.schema[col] != pl.Utf8 else pl.col(col)


def _records(records: Any, as_of: dt.date, lang: str) -> dict[str, Any] | None:
    prov = _frame(records, "provision_records")
    conf = _frame(records, "confirmation_records")
    if prov is None and conf is None:
        return None
    groups = []
    months: dict[str, int] = {}
    years: dict[str, int] = {}
    horizon = ""
    past = 0
    total = 0
    for df, key, start, confirmation in (
        (prov, "provision_records", "provided_from", False),
        (conf, "confirmation_records", "received_from", True),
    ):
        if df is None:
            continue
        rows = []
        if "record_type" in df.columns and df.height:
            g = df.group_by("record_type").len().sort("record_type")
            for rtype, n in g.iter_rows():
                rows.append((record_type_label(rtype, lang, confirmation), n))
        groups.append({"title": text(key, lang), "rows": rows, "total": df.height})
        total += df.height
        if not df.height:
            continue
        if start in df.columns:
            m = (
                df.select(_as_text(df, start).str.slice(0, 7).alias("m"))
                .drop_nulls()
                .group_by("m")
                .len()
            )
            for k, n in m.iter_rows():
                months[k] = months.get(k, 0) + n
        if "retain_until" in df.columns:
            ru = df.select(_as_text(df, "retain_until").alias("r")).drop_nulls()
            if ru.height:
                horizon = max(horizon, ru["r"].max())
                past += ru.filter(pl.col("r") < as_of.isoformat()).height
                y = ru.group_by(pl.col("r").str.slice(0, 4).alias("y")).len()
                for k, n in y.iter_rows():
                    years[k] = years.get(k, 0) + n
    principal_rows = sum(
        df.height for df in (_frame(records, "provision_principals"), _frame(records, "confirmation_principals")) if df is not None
    )
    month_axis = _month_axis(sorted(months))
    chart_months = (
        charts.vbar([(m, months.get(m, 0)) for m in month_axis], title=text("chart_per_month", lang))
        if months
        else ""
    )
    year_axis = [str(y) for y in range(int(min(years)), int(max(years)) + 1)] if years else []
    chart_years = (
        charts.vbar([(y, years.get(y, 0)) for y in year_axis], title=text("chart_retention", lang), colour="#6a4c93")
        if years
        else ""
    )
    return {
        "groups": groups,
        "total": total,
        "principal_rows": principal_rows,
        "horizon": horizon,
        "horizon_text": text("horizon_text", lang, date=horizon) if horizon else "",
        "past_text": text("past_retention", lang, n=past, as_of=as_of.isoformat()) if past else "",
        "chart_months": chart_months,
        "chart_years": chart_years,
    }


def _month_axis(months: list[str]) -> list[str]:
    """Every month from the first to the last, so gaps show as empty bars."""
    valid = [m for m in months if len(m) == 7 and m[:4].isdigit() and m[5:].isdigit()]
    if not valid:
        return months
    y, m = int(valid[0][:4]), int(valid[0][5:])
    end = (int(valid[-1][:4]), int(valid[-1][5:]))
    out = []
    while (y, m) <= end and len(out) < 600:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _exempt(analysis: Any, names: Names, lang: str) -> list[dict[str, Any]] | None:
    rows: list[dict[str, Any]] = []
    df = _frame(analysis.records, "exempt_flows")
    if df is not None:
        rows = df.to_dicts()
    elif analysis.routes is not None:
        for flow, routes in (("provision", analysis.routes.provisions), ("receipt", analysis.routes.receipts)):
            for r in routes.values():
                if getattr(r, "record_type", None) is None:
                    rows.append(
                        {"flow": flow, "flow_id": r.flow_id, "party_id": r.party_id, "basis": r.basis, "reason": r.reason}
                    )
    else:
        return None
    out = []
    for r in rows:
        flow = r.get("flow") or "provision"
        table = "receipts" if flow == "receipt" else "provisions"
        out.append(
            {
                "flow": text(f"flow_{flow}", lang) if flow in ("provision", "receipt") else flow,
                "flow_id": r.get("flow_id") or "",
                "party": names.party(r.get("party_id")),
                "basis": enum_label(table, "basis", r.get("basis"), lang),
                "reason_code": r.get("reason") or "",
                "reason": reason_plain(r.get("reason"), lang, r.get("basis")),
            }
        )
    return out


def _receipts(
    analysis: Any, names: Names, by_record: dict[tuple[str, str], list[Finding]], lang: str
) -> list[dict[str, Any]]:
    routes = getattr(analysis.routes, "receipts", None) if analysis.routes is not None else None
    out = []
    for r in analysis.register["receipts"].rows:
        rid = r.get("receipt_id")
        route = routes.get(rid) if routes is not None else None
        if route is None:
            words = text("not_classified", lang)
        elif getattr(route, "record_type", None):
            words = record_type_label(route.record_type, lang, confirmation=True)
        else:
            words = reason_plain(getattr(route, "reason", None), lang, getattr(route, "basis", None))
        out.append(
            {
                "id": rid,
                "provider": names.party(r.get("party_id")),
                "basis": enum_label("receipts", "basis", r.get("basis"), lang),
                "received_on": fmt_date(r.get("received_on")),
                "items": names.items_text(r.get("item_ids")),
                "route": words,
                "findings": [finding_view(f, lang) for f in by_record.get(("receipts", rid or ""), [])],
            }
        )
    return out
