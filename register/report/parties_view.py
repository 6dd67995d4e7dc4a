"""The report's contractors, joint uses and cross-border recipients, read from the facts layer.

Audit status and the joint use's five matters are facts.contracts' and facts.joint_uses' — the
same ones ENT-003 and JNT-001 read — so the report cannot disagree with `check`. A joint use is
shown as in force on the as-of date, with the history of its changes (docs/joint-use.md §4);
a client whose data we hold is never listed as our contractor (facts.clients).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..countries import is_equivalent, normalize_country
from ..facts import clients, contracts, flows, joint_uses
from ..findings import RULES, Finding
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
    return_only = clients.return_only_contracts(reg)
    carried = clients.contract_clients(reg)
    out = []
    for c in reg["contractors"].rows:
        if c.get("contract_id") in return_only:
            continue  # a client is never listed as our contractor (docs/joint-use.md §4)
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
                # a contract carrying data held for a client: whose, and whether it approved
                "clients": [
                    f"{names.party(cl)} ({cl})" for cl in carried.get(c.get("contract_id") or "", ())
                ],
                "client_approved": (
                    text("client_approved", lang, date=fmt_date(c["client_approved_on"]))
                    if c.get("client_approved_on") else text("client_not_approved", lang)
                ),
            }
        )
    return out


_MATTER_TEXT = {
    "notified_on": "matter1", "item_ids": "matter2", "users_scope": "matter3",
    "purpose_ids": "matter4", "manager_party_id": "matter5",
}


def _manager_text(reg: Register, j: dict[str, Any], manager_id: str | None, names: Names,
                  lang: str) -> str:
    """The manager's name, address and representative as the notice states them: a detail
    whose flag is false shows as not published (docs/joint-use.md §4)."""
    if not manager_id:
        return ""
    identity, corporation = joint_uses.manager_identity(reg, manager_id)
    identity = identity or {}
    parts = [identity.get("name") or names.party(manager_id)]
    for detail, flag in joint_uses.PUBLISHED_FLAGS.items():
        if detail == "representative" and not corporation:
            continue
        value = identity.get(detail) or ""
        if j.get(flag) is False:
            value = f"{text(f'manager_{detail}', lang)}: {text('not_published', lang)}"
        parts.append(value)
    return join(parts, lang)


def joint_use_rows(reg: Register, names: Names, lang: str,
                   as_of: dt.date | None = None) -> list[dict[str, Any]]:
    """The joint uses with their five matters as in force on `as_of` (facts.joint_uses' history),
    marked missing as facts.joint_uses decided (JNT-001's)."""
    facts = joint_uses.joint_use_matters(reg, as_of)
    hist = joint_uses.history(reg)
    out = []
    for j in reg["joint_uses"].rows:
        jid = j.get("joint_use_id") or ""
        fact = facts.get(jid)
        given = {m.column: m.given and not m.missing and not m.unpublished for m in fact.matters} if fact else {}
        h = hist.get(jid)
        state = h.state_on(as_of) if h is not None and as_of is not None else None
        items = state.items if state else j.get("item_ids")
        purposes = state.purposes if state else j.get("purpose_ids")
        users = state.users if state else j.get("user_party_ids")
        manager = state.manager if state else j.get("manager_party_id")
        shown = {
            "notified_on": fmt_date(j.get("notified_on")),
            "item_ids": names.items_text(items),
            "users_scope": (state.users_scope if state else j.get("users_scope")) or "",
            "purpose_ids": join((names.purpose(p) for p in purposes or ()), lang),
            "manager_party_id": _manager_text(reg, j, manager, names, lang),
        }
        if state is not None and state.manager_details:
            shown["manager_party_id"] = state.manager_details  # as published before a later change
        matters = [
            (text(_MATTER_TEXT[col], lang), shown[col], given.get(col, False))
            for col in joint_uses.MATTERS
        ]
        out.append(
            {
                "id": j.get("joint_use_id"),
                "as_of": text("as_in_force", lang, date=fmt_date(as_of)) if as_of else "",
                "matters": matters,
                "users": join((names.party(u) for u in users or ()), lang),
                "notice_url": j.get("notice_url") or "",
            }
        )
    return out


def _shown(value: Any, matter: str | None, names: Names, lang: str) -> str:
    """A matter's value in words: items, purposes, users (list and scope), a manager, a text."""
    if matter == "items":
        return names.items_text(value) or text("not_listed", lang)
    if matter == "purposes":
        return join((names.purpose(p) for p in value or ()), lang)
    if matter == "users":
        listed, scope = value
        users = join((names.party(u) for u in listed or ()), lang) or text("not_listed", lang)
        return f"{users} / {scope}" if scope else users
    if matter == "manager":
        return names.party(value) if value else ""
    return value or ""


def joint_change_rows(reg: Register, names: Names, by_record: dict[tuple[str, str], list[Finding]],
                      as_of: dt.date, lang: str) -> list[dict[str, Any]]:
    """Every joint_use_changes row, valid or not, in (joint_use_id, effective_on, change_id)
    order: what changed, when, when notified, on what basis, before → after, and the rules of
    its findings (docs/joint-use.md §4)."""
    t = reg["joint_use_changes"]
    if not t.present or len(t) == 0:
        return []
    from ..render import rule_order

    valid = {c.row: (h, c) for h in joint_uses.history(reg).values() for c in h.changes}
    matter_col = t.spec.column("matter")
    rows = []
    for i, r in enumerate(t.rows):
        raw = t.raw.row(i, named=True)
        matter = r.get("matter")
        hc = valid.get(i)
        if hc is not None:
            h, c = hc
            before, after = h.before(c), h.after(c)
            if matter == "manager_details" and after is None:
                after = _manager_text(reg, reg["joint_uses"].by_key.get(c.joint_use_id, {}),
                                      h.current.manager, names, lang)
            shown = (_shown(before, matter, names, lang), _shown(after, matter, names, lang))
            lists = (before[0], after[0]) if matter == "users" else (before, after)
            diff = ((), ())
            if matter in ("items", "purposes", "users"):
                diff = (tuple(x for x in lists[1] if x not in lists[0]),
                        tuple(x for x in lists[0] if x not in lists[1]))
            added, removed = (_shown((d, None) if matter == "users" else d, matter, names, lang)
                              if d else "" for d in diff)
            status = text("change_pending", lang) if c.effective_on > as_of else ""
        else:
            shown, added, removed, status = ("", ""), "", "", text("change_invalid", lang)
        findings = by_record.get(("joint_use_changes", r.get("change_id") or ""), [])
        rows.append({
            "key": (r.get("joint_use_id") or raw.get("joint_use_id") or "",
                    fmt_date(r.get("effective_on")) or str(raw.get("effective_on") or ""),
                    r.get("change_id") or raw.get("change_id") or "", i),
            "id": r.get("change_id") or raw.get("change_id") or "",
            "joint_use": r.get("joint_use_id") or raw.get("joint_use_id") or "",
            "matter": matter_col.enum_labels_ja.get(matter, matter) if lang == "ja"
            else (matter or raw.get("matter") or ""),
            "effective_on": fmt_date(r.get("effective_on")) or str(raw.get("effective_on") or ""),
            "notified_on": fmt_date(r.get("notified_on")) or text("not_notified", lang),
            "basis": enum_label("joint_use_changes", "change_basis", r.get("change_basis"), lang),
            "before": shown[0],
            "after": shown[1],
            "added": added,
            "removed": removed,
            "status": status,
            "rules": [(rid, RULES[rid].severity.value)
                      for rid in sorted({f.rule for f in findings}, key=rule_order)],
        })
    rows.sort(key=lambda x: x["key"])
    return rows


def cross_border_rows(
    reg: Register,
    names: Names,
    recipients: list[RecipientView],
    by_record: dict[tuple[str, str], list[Finding]],
    lang: str,
) -> list[dict[str, Any]]:
    from ..facts import context  # who receives what Art 28 can apply to (docs/web.md §9)

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
                # person-related information (docs/web.md §9); otherwise "not applicable"
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
