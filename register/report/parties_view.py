"""The report's contractors, joint uses and cross-border recipients, read from the facts layer.

Audit status and the joint use's five matters are facts.contracts' and facts.joint_uses' — the
same ones ENT-003 and JNT-001 read — so the report cannot disagree with `check`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..countries import is_equivalent, normalize_country
from ..facts import contracts, flows, joint_uses
from ..findings import Finding
from ..model import Register
from .messages import (
    enum_label,
    text,
)
from .views import (
    Names,
    RecipientView,
    fmt_bool,
    fmt_date,
    join,
)

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


def contractor_rows(reg: Register, names: Names, as_of: dt.date, lang: str) -> list[dict[str, Any]]:
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


def joint_use_rows(reg: Register, names: Names, lang: str) -> list[dict[str, Any]]:
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
            "purpose_ids": join((names.purpose(p) for p in j.get("purpose_ids") or ()), lang),
            "manager_party_id": join(mparts, lang) if j.get("manager_party_id") else "",
        }
        matters = [
            (text(_MATTER_TEXT[col], lang), shown[col], given.get(col, False))
            for col in joint_uses.MATTERS
        ]
        out.append(
            {
                "id": j.get("joint_use_id"),
                "matters": matters,
                "users": join((names.party(u) for u in j.get("user_party_ids") or ()), lang),
                "notice_url": j.get("notice_url") or "",
            }
        )
    return out


def cross_border_rows(
    reg: Register,
    names: Names,
    recipients: list[RecipientView],
    by_record: dict[tuple[str, str], list[Finding]],
    lang: str,
) -> list[dict[str, Any]]:
    from ..facts import context  # who receives what Art 28 can apply to (web.md §9)

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
                # yes/no only where Art 28 can apply: a provision subject to it, or linked
                # person-related information (web.md §9); otherwise "not applicable"
                "foreign_third_party": text(
                    ("yes" if flows.is_foreign_third_party(party) else "no")
                    if rv.id in context.art28_recipients(reg) else "xb_not_applicable", lang
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
