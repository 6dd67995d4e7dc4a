"""PRV-008/009: what a required provision record needs from the register (APPI Rules Art 20, 28).

Phase 2: runs after the route classifier, because whether a record is required depends on the
route (rules.md §2). A provision needs a record when its route has a record type and it has at
least one log event.
"""

from __future__ import annotations

from collections.abc import Iterator

import polars as pl

from ..facts import flows
from ..facts.parties import identity_gaps
from ..findings import Finding, rule
from ..model import Register

PRV_008 = rule(
    "PRV-008", "error", "APPI Rules Art 20(1), 28(1)",
    title=("Recipient details missing for a required record", "記録に必要な提供先の情報の不足"),
    description=(
        "A record is required, but the recipient lacks `address`, or a `corporation` lacks "
        "`representative` (not for `unspecified_public`, whose record states that fact instead).",
        "記録の作成が必要なのに、提供先の住所がない、または法人の代表者の氏名がない（不特定多数への提供を除く）。",
    ),
    message=(
        "provisions {record}: the {record_type} record needs the recipient's {missing}, but party {value} has none.",
        "データ提供 {record}：記録に提供先の{missing_ja}が必要ですが、相手方 {value} に記入がありません。",
    ),
    hint=(
        "Enter the recipient's address (and, for a corporation, its representative's name) in parties.",
        "相手方の表に提供先の住所（法人の場合は代表者の氏名も）を記入してください。",
    ),
)
PRV_009 = rule(
    "PRV-009", "error", "APPI Rules Art 20(1)",
    title=("Event without principals for a required record", "記録に必要な本人の特定がない提供実績"),
    description=(
        "A record is required, but a log event names no principal (not for person-related records).",
        "記録の作成が必要なのに、提供実績に本人（本人ID）の記載がない（個人関連情報の記録を除く）。",
    ),
    message=(
        "provision_log event {record} (provision {provision}): the {record_type} record must identify the principals, but the event names none.",
        "提供実績 {record}（データ提供 {provision}）：記録には本人を特定する事項が必要ですが、本人IDの記載がありません。",
    ),
    hint=(
        "Enter the principals' IDs in principal_ids (one row per principal, or several IDs separated by ';').",
        "「本人ID」に本人のIDを記入してください（本人ごとに1行、または『;』区切りで複数）。",
    ),
    per_event=True,
)

_MISSING = {
    "address": ("address", "住所"),
    "representative": ("representative's name", "代表者の氏名"),
}


def _needing_records(reg: Register, ctx) -> dict[str, str]:
    """provision_id → record type, for provisions that need a record."""
    routes = getattr(ctx, "routes", None)
    if routes is None:
        return {}
    with_events = flows.provisions_with_events(reg)
    return {
        pid: r.record_type
        for pid, r in routes.provisions.items()
        if r.record_type is not None and pid in with_events
    }


def check(reg: Register, ctx) -> Iterator[Finding]:
    """PRV-008 and PRV-009."""
    need = _needing_records(reg, ctx)
    if not need:
        return
    t = reg["provisions"]
    for pid, record_type in need.items():
        i = t.index_of(pid)
        recipient = flows.party(reg, t.rows[i].get("party_id"))
        if recipient is None or recipient.get("kind") == "unspecified_public":
            continue
        # a missing name is SCH-002 already (parties.name is required)
        missing = [c for c in identity_gaps(recipient) if c != "name"]
        if missing:
            yield t.finding(
                PRV_008, i, "party_id", record_type=record_type.replace("_", "-"),
                missing=" and ".join(_MISSING[c][0] for c in missing),
                missing_ja="と".join(_MISSING[c][1] for c in missing),
            )
    principal_needed = [pid for pid, rt in need.items() if rt != "person_related"]
    if not principal_needed:
        return
    ev = flows.events(reg).filter(
        pl.col("provision_id").is_in(pl.Series(principal_needed, dtype=pl.Utf8).implode())
        & (pl.col("n_principals") == 0)
    )
    log = reg["provision_log"]
    for n, (eid, i, pid) in enumerate(ev.select("event_id", "i", "provision_id").iter_rows()):
        yield flows.log_finding(
            PRV_009, n, log, i, eid, "principal_ids",
            lambda pid=pid: dict(provision=pid, record_type=need[pid].replace("_", "-")),
        )
