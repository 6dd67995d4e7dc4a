"""PRV-008/009/011: what a required provision record needs from the register (APPI Rules Art
20, 28; Art 29(1), 31(3)).

Phase 2: runs after the route classifier, because whether a record is required depends on the
route (docs/routes-and-records.md §1). A provision needs a record when its route has a record
type and it has at least one log event; one in force with none (PRV-011) may have been
provided unrecorded.
"""

from __future__ import annotations

from collections.abc import Iterator

import polars as pl

from ..facts import flows
from ..facts.parties import identity_gaps
from ..findings import Finding, rule
from ..model import Register
from ..outputs import output_table

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

PRV_011 = rule(
    "PRV-011", "warning", "APPI Art 29(1), 31(3)",
    title=("Provision needing records has no log events", "記録が必要な提供に提供実績がない"),
    description=(
        "A provision whose route needs records (a consent, opt-out or person-related record) is "
        "in force as of the as-of date (`starts_on` empty or on or before it, `ends_on` empty or "
        "on or after it) and no `provision_log` row names it: if data was provided, its records "
        "are missing.",
        "記録の作成が必要な提供（本人の同意・オプトアウト・個人関連情報）が基準日に有効"
        "（「提供開始日」が空欄又は基準日以前、「提供終了日」が空欄又は基準日以後）なのに、"
        "「提供実績」にこの提供の行が1行もない。提供していれば記録が欠けています。",
    ),
    message=(
        "provisions {record}: the provision is in force on {as_of} and needs {record_type} "
        "records, but no provision_log row names it, so no record is made.",
        "データ提供 {record}：{as_of}時点で有効な提供で{record_type_ja}の記録が必要ですが、"
        "「提供実績」にこの提供の行がないため、記録が作成されません。",
    ),
    hint=(
        "Enter each provision made under it in provision_log (its records are made from there); "
        "if it has not been used, this warning may stand, or set ends_on when it ends.",
        "提供した場合は、その都度「提供実績」に記入してください（記録は提供実績から作成されます）。"
        "まだ提供していない場合はこのままで構いません。終了した提供には「提供終了日」を記入してください。",
    ),
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


def _in_force(row: dict, as_of) -> bool:
    """starts_on empty or ≤ as-of, and ends_on empty or ≥ as-of (an invalid date is empty)."""
    starts, ends = row.get("starts_on"), row.get("ends_on")
    return (starts is None or starts <= as_of) and (ends is None or ends >= as_of)


def _unlogged(reg: Register, ctx) -> Iterator[Finding]:
    """PRV-011: one finding per provision needing records, in force, with no log row."""
    routes = getattr(ctx, "routes", None)
    if routes is None:
        return
    log = reg["provision_log"]
    named: set[str] = set()
    if log.present and len(log):
        named = set(log.df["provision_id"].drop_nulls().unique().to_list())
    t = reg["provisions"]
    # the record's kind in Japanese: its label in records.xlsx (docs/japanese.md §2)
    record_labels = output_table("provision_records").column("record_type").labels_ja
    for pid, route in sorted(routes.provisions.items()):
        if route.record_type is None or pid in named or pid not in t.by_key:
            continue
        if not _in_force(t.by_key[pid], ctx.as_of):
            continue
        yield t.finding(
            PRV_011, t.index_of(pid), "provision_id", as_of=ctx.as_of.isoformat(),
            record_type=route.record_type.replace("_", "-"),
            record_type_ja=record_labels.get(route.record_type, route.record_type),
        )


def check(reg: Register, ctx) -> Iterator[Finding]:
    """PRV-008, PRV-009 and PRV-011."""
    yield from _unlogged(reg, ctx)
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
