"""The report's recipients, per-provision routes and the flow map, from the routes and findings.

Each provision's outcome is shown from facts decided elsewhere: its route (routes.py) and the
findings on it and on what it depends on (its events, contract and joint use).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import polars as pl

from ..countries import normalize_country
from ..facts import flows
from ..findings import Finding
from ..model import Register
from . import flowmap
from .messages import (
    enum_label,
    reason_plain,
    reason_short,
    record_type_label,
    text,
)
from .views import (
    Names,
    ProvisionView,
    RecipientView,
    finding_view,
)


def findings_by_record(reg: Register, findings: list[Finding]) -> dict[tuple[str, str], list[Finding]]:
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
    if getattr(route, "basis", None) == "none":  # its label is long for the map's label lane
        basis = text("basis_none_short", lang)
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


def provision_findings(
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


def recipient_rows(
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
        own = provision_findings(p, by_record)
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


def flow_map(reg: Register, names: Names, recipients: list[RecipientView], lang: str,
             tags: tuple[list, list, list] | None = None) -> dict[str, Any]:
    """The map: provision edges (each with its data-provision), and with `tags` (tags_view.
    map_extra) the service boxes and tag edges beside them (docs/web.md §9)."""
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
                    attrs=(("data-provision", pv.id),),
                )
            )
    legend_labels = {
        "record": text("record_needed", lang),
        "no_record": text("no_record_needed", lang),
        "violation": text("in_violation", lang),
    }
    if tags is not None and tags[2]:
        services, tag_targets, tag_edges = tags
        nodes_s.extend(services)
        have = {n.key for n in nodes_t}
        nodes_t.extend(n for n in tag_targets if n.key not in have)
        edges.extend(tag_edges)
        legend_labels["tag"] = text("legend_tag", lang)
    parts = flowmap.render(nodes_s, nodes_t, edges, text("sec_flowmap", lang))
    legend = flowmap.legend(legend_labels)
    return {"parts": parts, "legend": legend}
