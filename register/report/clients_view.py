"""The report's data held for clients (受託, docs/joint-use.md §4), read from facts.clients.

Which datasets are held for which client, and what each provision from them is (a return, a
re-entrustment, anything else), are facts.clients' — the same ones the route classifier and
ENT-007…ENT-009 read — so the report cannot disagree with `check` or `records`.
"""

from __future__ import annotations

from typing import Any

from ..facts import clients
from ..findings import RULES, Finding
from ..model import Register
from .flows_view import provision_findings
from .views import Names, ProvisionView, RecipientView, fmt_date


def _rule_ids(findings: list[Finding]) -> list[tuple[str, str]]:
    """(rule ID, severity) of each rule with a finding, in catalogue order."""
    from ..render import rule_order

    return [(rid, RULES[rid].severity.value) for rid in sorted({f.rule for f in findings}, key=rule_order)]


def held_rows(
    reg: Register,
    names: Names,
    recipients: list[RecipientView],
    by_record: dict[tuple[str, str], list[Finding]],
    lang: str,
) -> list[dict[str, Any]]:
    """Per held dataset: its client, items and the client's purposes, and every provision from
    it with its kind, route outcome and rule IDs."""
    from .messages import text

    held = clients.held_data(reg)
    if not held.datasets:
        return []
    views: dict[str, ProvisionView] = {pv.id: pv for rv in recipients for pv in rv.provisions}
    provisions = reg["provisions"].by_key
    contracts = reg["contractors"].by_key
    out = []
    for did, client in held.datasets.items():
        d = reg["datasets"].by_key[did]
        flows = []
        for pid, p in provisions.items():
            if p.get("dataset_id") != did:
                continue
            kind = held.kinds.get(pid, clients.OTHER)
            label = text(f"held_kind_{kind}", lang)
            if kind == clients.REENTRUSTMENT:
                approved = (contracts.get(p.get("contract_id") or "") or {}).get("client_approved_on")
                label += "（" if lang == "ja" else " ("
                label += (
                    text("client_approved", lang, date=fmt_date(approved)) if approved
                    else text("client_not_approved", lang)
                )
                label += "）" if lang == "ja" else ")"
            pv = views.get(pid)
            flows.append({
                "id": pid,
                "recipient": f"{names.party(p.get('party_id'))} ({p.get('party_id') or '—'})",
                "kind": kind,
                "kind_label": label,
                "outcome": pv.outcome if pv else "unknown",
                "outcome_label": pv.outcome_label if pv else "",
                "route": pv.route if pv else "",
                "rules": _rule_ids(provision_findings(p, by_record)),
            })
        out.append({
            "id": did,
            "name": d.get("name") or did,
            "client_id": client,
            "client": names.party(client),
            "items": names.items_text(d.get("item_ids")),
            "purposes": [
                names.purpose(u) for u in d.get("purpose_ids") or () if held.purposes.get(u) == client
            ],
            "rules": _rule_ids(by_record.get(("datasets", did), [])),
            "provisions": flows,
        })
    return out


def mark_held(inventory: dict[str, Any], reg: Register, names: Names, lang: str) -> dict[str, Any]:
    """The inventory with each held dataset marked 受託 / held for client (its client's ID and
    name) and listed after the organization's own datasets."""
    from .messages import text

    held = clients.held_data(reg).datasets
    for row in inventory["rows"]:
        client = held.get(row["id"] or "")
        row["held_for"] = (
            f"{text('held_for_client', lang)}: {names.party(client)} ({client})" if client else ""
        )
    inventory["rows"].sort(key=lambda row: bool(row["held_for"]))  # stable: own data first
    return inventory
