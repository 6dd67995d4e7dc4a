"""RET — retention of the records (rules.md §4; APPI Rules Art 21, 25, 29).

A record whose `retain_until` has passed may be disposed of. The finding names the record's
source, where the user can see it (the row; a record is not one cell, so no field): the log event (provision records made each time), the
provision (bulk, contract), or the receipt (for a bulk or contract record, its last receipt).
"""

from __future__ import annotations

from collections.abc import Iterator

import polars as pl

from ..findings import Finding, rule
from ..model import Register

RET_001 = rule(
    "RET-001",
    "info",
    "APPI Rules Art 21, 25, 29",
    title=(
        "Record retention has ended",
        "記録の保存期間が満了しています",
    ),
    description=(
        "A provision or confirmation record whose retention period (rules.md §4: 3 years, or 1 "
        "year for a contract-document record) ended before --as-of; it may be disposed of.",
        "保存期間（3年、契約書等による代替の場合は1年）が --as-of より前に満了した提供記録・確認記録です。"
        "廃棄して差し支えありません。",
    ),
    message=(
        "Record {record_id} had to be kept until {retain_until}; its retention has ended as of "
        "{as_of}.",
        "記録 {record_id} の保存期限は {retain_until} で、{as_of} 時点で保存期間が満了しています。",
    ),
    hint=(
        "The record may be disposed of securely; keep it only if another rule of your own "
        "requires it.",
        "記録は安全な方法で廃棄できます。社内規程などで保存が必要な場合のみ保存を続けてください。",
    ),
)


def _expired(df: pl.DataFrame, as_of) -> pl.DataFrame:
    return df.filter(pl.col("retain_until").is_not_null() & (pl.col("retain_until") < as_of))


def _first_rows(table, key: str, ids: list[str]) -> dict[str, int]:
    """The first row index of each ID in `ids` (vectorised: the log may be long)."""
    if not ids:
        return {}
    found = (
        table.df.select(pl.col(key))
        .with_row_index("_i")
        .filter(pl.col(key).is_in(ids))
        .group_by(key)
        .agg(pl.col("_i").min())
    )
    return dict(found.iter_rows())


def check(reg: Register, ctx) -> Iterator[Finding]:
    """RET-001 for every record with as-of > retain_until."""
    records = getattr(ctx, "records", None)
    if records is None:
        return
    as_of = ctx.as_of

    prov = _expired(records.provision_records, as_of)
    each = prov.filter(pl.col("record_method") == "each")
    log = reg["provision_log"]
    event_of = {rid: ev[0] for rid, ev in each.select("record_id", "event_ids").iter_rows() if ev}
    log_rows = _first_rows(log, "event_id", sorted(set(event_of.values())))
    provisions = reg["provisions"]
    for r in prov.select("record_id", "record_method", "provision_id", "retain_until").iter_rows(
        named=True
    ):
        params = {
            "record_id": r["record_id"],
            "retain_until": r["retain_until"].isoformat(),
            "as_of": as_of.isoformat(),
        }
        if r["record_method"] == "each" and r["record_id"] in event_of:
            event = event_of[r["record_id"]]
            yield RET_001(
                table="provision_log",
                record=event,
                field=None,
                location=log.location(log_rows.get(event)),
                **params,
            )
        else:
            pid = r["provision_id"]
            yield RET_001(
                table="provisions",
                record=pid,
                field=None,
                location=provisions.location(provisions.index_of(pid)),
                **params,
            )

    conf = _expired(records.confirmation_records, as_of)
    receipts = reg["receipts"]
    for r in conf.select("record_id", "record_method", "receipt_ids", "retain_until").iter_rows(
        named=True
    ):
        ids = r["receipt_ids"] or []
        if not ids:
            continue
        # Each: the receipt itself; bulk/contract: the last receipt, from which retention runs.
        each_record = r["record_method"] == "each"
        receipt = ids[0] if each_record else ids[-1]
        yield RET_001(
            table="receipts",
            record=receipt,
            field=None,
            location=receipts.location(receipts.index_of(receipt)),
            record_id=r["record_id"],
            retain_until=r["retain_until"].isoformat(),
            as_of=as_of.isoformat(),
        )
