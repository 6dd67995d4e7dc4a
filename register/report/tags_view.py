"""The report's web tags and external transmission (docs/web.md §9), read from facts.tags.

Each service with its category and notice; each tag with what it sends, to whom, why, its
exemption, its notice status (`data-notice`, the same facts EXT-001…004 read) and its APPI
outcome: collected directly by the vendor, or our own provision and that provision's route.
The flow map's service boxes and tag edges come from the same facts (`map_extra`).
"""

from __future__ import annotations

from typing import Any

from ..facts import tags as tag_facts
from ..findings import Finding
from ..model import Register
from . import flowmap
from .messages import enum_label, text
from .views import Names, RecipientView, finding_view, fmt_date, join

# data-notice code → text key of its label
_NOTICE_TEXT = {
    tag_facts.REQUIRED: "notice_required",
    tag_facts.EXEMPT: "notice_exempt",
    tag_facts.NOT_COVERED: "notice_not_covered",
    tag_facts.UNKNOWN: "notice_unknown",
    tag_facts.NOT_LIVE: "notice_not_live",
}


def _recipient(names: Names, party_id: str | None) -> str:
    if party_id is None:
        return ""
    if party_id == "self":
        return f"{names.org_name} ({text('tag_self', names.lang)})"
    party = names.parties.get(party_id, {})
    country = names.country(party.get("country")) if party.get("country") else ""
    return f"{names.party(party_id)}" + (f" — {country}" if country else "")


def _status(reg: Register, f: tag_facts.TagFacts, row: dict[str, Any], as_of: Any,
            lang: str) -> str:
    """The notice status in words: whether the notice is due, and whether it is out in time."""
    label = text(_NOTICE_TEXT[f.notice], lang)
    if f.notice != tag_facts.REQUIRED:
        return label
    late = tag_facts.late_notice(reg, f, row, as_of)
    return f"{label} — {text('notice_late' if late else 'notice_published', lang)}"


def _appi(f: tag_facts.TagFacts, provisions: dict[str, Any], pviews: dict[str, Any],
          lang: str) -> tuple[str, str]:
    """(code, words) of the tag's APPI outcome: direct_collection | provision | unresolved."""
    if f.direct_collection:
        # to our own server it is our own acquisition, not a provision to anyone
        return "direct_collection", text("tag_own_server" if f.to_self else "tag_direct_collection",
                                         lang)
    pid = f.provision_id
    if pid is None or pid not in provisions:
        return "unresolved", text("tag_provision_unknown", lang, provision=pid or "—")
    pv = pviews.get(pid)
    route = "" if pv is None else (f"{pv.outcome_label}。{pv.route}" if lang == "ja"
                                   else f"{pv.outcome_label}: {pv.route}")
    return "provision", text("tag_provision", lang, provision=pid, route=route)


def tags_section(analysis: Any, names: Names, by_record: dict[tuple[str, str], list[Finding]],
                 recipients: list[RecipientView], lang: str) -> dict[str, Any]:
    """The services and tags of the report's `tags` section."""
    reg: Register = analysis.register
    as_of = analysis.as_of
    facts = tag_facts.tag_facts(reg, as_of)
    categories = tag_facts.service_categories(reg)
    services = []
    for s in reg["services"].rows:
        sid = s.get("service_id")
        category = categories.get(sid or "") if sid else None
        services.append({
            "id": sid or "",
            "name": s.get("name") or sid or "",
            "kind": enum_label("services", "kind", s.get("kind"), lang),
            "category": enum_label("services", "category", s.get("category"), lang)
            or text("missing", lang),
            "covered": text("covered" if category in tag_facts.COVERED else "not_covered", lang),
            "covered_class": "covered" if category in tag_facts.COVERED else "",
            "url": s.get("url") or "",
            "notice_url": s.get("notice_url") or "",
            "notice_on": fmt_date(s.get("notice_on")),
            "findings": [finding_view(x, lang) for x in by_record.get(("services", sid or ""), [])],
        })
    service_names = _service_names(reg)
    provisions = reg["provisions"].by_key
    pviews = {pv.id: pv for rv in recipients for pv in rv.provisions}
    t = reg["tags"]
    rows = []
    for f in facts.values():
        row = t.rows[f.row]
        appi_code, appi = _appi(f, provisions, pviews, lang)
        own = list(by_record.get(("tags", f.tag_id), []))
        if appi_code == "provision":
            own += by_record.get(("provisions", f.provision_id or ""), [])
        rows.append({
            "id": f.tag_id,
            "module": row.get("module_name") or f.tag_id,
            "services": join((service_names.get(s, s) for s in f.services), lang),
            "recipient": _recipient(names, row.get("recipient_party_id")),
            "items": names.items_text(row.get("item_ids")),
            "purpose_ours": row.get("purpose_ours") or "",
            "purpose_recipient": row.get("purpose_recipient") or "",
            "exemption": enum_label("tags", "exemption", f.exemption, lang),
            "opt_out_url": row.get("opt_out_url") or "",
            "period": _period(row, lang),
            "notice": f.notice,
            "needs_notice": f.needs_notice,
            "notice_text": _status(reg, f, row, as_of, lang),
            "appi": appi_code,
            "appi_text": appi,
            "findings": [finding_view(x, lang) for x in own],
        })
    counts = [
        (text(_NOTICE_TEXT[code], lang), sum(1 for r in rows if r["notice"] == code), code)
        for code in tag_facts.NOTICE_CODES
    ]
    return {"services": services, "tags": rows, "counts": [c for c in counts if c[1]]}


def _service_names(reg: Register) -> dict[str, str]:
    return {k: r.get("name") or k for k, r in reg["services"].by_key.items()}


def _period(row: dict[str, Any], lang: str) -> str:
    added, removed = fmt_date(row.get("added_on")), fmt_date(row.get("removed_on"))
    if not added and not removed:
        return ""
    return f"{added}～{removed}" if lang == "ja" else f"{added} – {removed}".strip(" –")


def map_extra(analysis: Any, names: Names, lang: str
              ) -> tuple[list[flowmap.Node], list[flowmap.Node], list[flowmap.Edge]]:
    """The flow map's service boxes (sources), the recipients only tags reach (targets), and
    one grey dotted edge per live tag and service whose recipient is not `self` (docs/web.md §9)."""
    reg: Register = analysis.register
    facts = tag_facts.tag_facts(reg, analysis.as_of)
    t = reg["tags"]
    service_names = _service_names(reg)
    sources: dict[str, flowmap.Node] = {}
    targets: dict[str, flowmap.Node] = {}
    edges: list[flowmap.Edge] = []
    for f in facts.values():
        row = t.rows[f.row]
        recipient = row.get("recipient_party_id")
        if not f.live or f.to_self or recipient is None:
            continue
        label = text("tag_edge_direct", lang) if f.direct_collection \
            else text("tag_edge_provision", lang, provision=f.provision_id or "—")
        for sid in dict.fromkeys(f.services):
            key = f"service:{sid}"
            if key not in sources:
                name = service_names.get(sid, sid)
                sources[key] = flowmap.Node(key, name, f"{sid}: {name}", kind="service")
            if recipient not in targets:
                targets[recipient] = flowmap.Node(
                    recipient, names.party(recipient), f"{recipient}: {names.party(recipient)}")
            edges.append(flowmap.Edge(
                id=f"tag:{f.tag_id}:{sid}", source=key, target=recipient, outcome="tag",
                label=label, attrs=(("data-tag", f.tag_id),),
                title=f"{f.tag_id} ({sid}): {row.get('module_name') or f.tag_id} — {label}",
            ))
    return list(sources.values()), list(targets.values()), edges


def tags_data(analysis: Any, by_record: dict[tuple[str, str], list[Finding]]) -> dict[str, Any]:
    """`register report --format json`: the services and tags with their facts, in codes."""
    from ..render import rule_order

    reg: Register = analysis.register
    facts = tag_facts.tag_facts(reg, analysis.as_of)
    categories = tag_facts.service_categories(reg)
    provisions = reg["provisions"].by_key
    routes = getattr(analysis.routes, "provisions", {}) if analysis.routes is not None else {}

    def rules(found: list[Finding]) -> list[str]:
        return sorted({f.rule for f in found}, key=rule_order)

    services = [
        {
            "service_id": sid,
            "category": categories.get(sid),
            "covered": categories.get(sid) in tag_facts.COVERED,
            "notice_url": s.get("notice_url"),
            "notice_on": s["notice_on"].isoformat() if s.get("notice_on") else None,
            "rules": rules(by_record.get(("services", sid), [])),
        }
        for sid, s in reg["services"].by_key.items()
    ]
    t = reg["tags"]
    tags = []
    for f in facts.values():
        row = t.rows[f.row]
        route = routes.get(f.provision_id) if f.provision_id in provisions else None
        tags.append({
            "tag_id": f.tag_id,
            "service_ids": list(f.services),
            "recipient_party_id": row.get("recipient_party_id"),
            "item_ids": list(row.get("item_ids") or ()),
            "exemption": f.exemption,
            "live": f.live,
            "needs_notice": f.needs_notice,
            "notice": f.notice,
            "provision_id": f.provision_id,
            "appi": "direct_collection" if f.direct_collection
            else "provision" if f.provision_id in provisions else "unresolved",
            "record_type": route.record_type if route else None,
            "reason": route.exempt_reason if route else None,
            "rules": rules(by_record.get(("tags", f.tag_id), [])),
        })
    return {"services": services, "tags": tags}
