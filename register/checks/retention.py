"""RET — retention of the records (docs/routes-and-records.md §6; APPI Rules Art 21, 25, 29).

A record whose `retain_until` has passed may be disposed of. The finding names the record's
source, where the user can see it (the row; a record is not one cell, so no field): the log event (provision records made each time), the
provision (bulk, contract), or the receipt (for a bulk or contract record, its last receipt).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import polars as pl

from ..facts import flows
from ..findings import MAX_PER_RULE, Finding, capped_frame, rule
from ..model import POINTER, ROW, Register
from ..records import RETENTION_YEARS
from ..values import LAST_DATE, past_calendar
from .structure import SCH_003

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
        "保存期間（3年、『契約書等による代替』の場合は1年）が基準日より前に満了した提供記録・確認記録です。"
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
    per_event=True,
)


def _expired(df: pl.DataFrame, as_of) -> pl.DataFrame:
    return df.filter(pl.col("retain_until").is_not_null() & (pl.col("retain_until") < as_of))


def check(reg: Register, ctx) -> Iterator[Finding]:
    """RET-001 for every record with as-of > retain_until."""
    records = getattr(ctx, "records", None)
    if records is None:
        return
    yield from _past_calendar(reg, records)
    as_of = ctx.as_of

    outline = records.provision_outline
    prov = _expired(outline, as_of)
    log = reg["provision_log"]
    provisions = reg["provisions"]
    iso = as_of.isoformat()
    # Records made each time name their log event (per-event findings, capped in the report);
    # the others name their provision.
    by_event = (
        (pl.col("record_method") == "each") & (pl.col("event_ids").list.len() > 0).fill_null(False)
    ).fill_null(False)
    expired = pl.col("retain_until").is_not_null() & (pl.col("retain_until") < as_of)
    mask = outline.select(expired & by_event).to_series()
    each = outline.filter(mask)
    if each.height:
        # Each record's event, at its first log row, in report order (row, then pointer):
        # the report lists only the first findings of a log rule, so only those are built,
        # and only the records whose row can be among the first are sorted (a million
        # records' keys joined and sorted whole took 130 MiB at the peak of a 30M-row log).
        ev_of = getattr(records.provision, "event_of_record", None)
        pairs = flows.log_events(reg)
        if ev_of is not None and flows.events(reg).height == pairs.height:
            # one provision an event: the record's event row is its event
            first = pairs["i"].gather(ev_of.filter(mask))
        else:
            first = each.select(pl.col("event_ids").list.first().alias("event_id")).join(
                flows.events(reg).select("event_id", "i"), on="event_id", how="left",
                maintain_order="left",
            )["i"]
        rows = log.raw[ROW].gather(first).fill_null(-1)
        total = rows.len()
        if total > MAX_PER_RULE:
            last = rows.bottom_k(MAX_PER_RULE).max()
            pick = (rows <= last).arg_true()
            each, first = each[pick], first.gather(pick)
        cand = each.select(
            "record_id", pl.col("event_ids").list.first().alias("event_id"), "retain_until"
        ).with_columns(
            first.alias("i"),
            log.raw[ROW].gather(first).fill_null(-1).alias(ROW),
            log.raw[POINTER].gather(first).fill_null("").alias(POINTER),
        ).sort(ROW, POINTER, "event_id", "record_id")

        def make(c: tuple) -> Finding:
            rid, event, until, i = c
            return RET_001(
                table="provision_log", record=event, field=None, location=log.location(i),
                record_id=rid, retain_until=until.isoformat(), as_of=iso,
            )

        yield from capped_frame(
            RET_001, cand.select("record_id", "event_id", "retain_until", "i"), make,
            total=total,
        )
    others = prov.filter(~by_event)
    for rid, pid, until in others.select("record_id", "provision_id", "retain_until").iter_rows():
        yield RET_001(
            table="provisions",
            record=pid,
            field=None,
            location=provisions.location(provisions.index_of(pid)),
            record_id=rid,
            retain_until=until.isoformat(),
            as_of=iso,
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


def _past_calendar(reg: Register, records) -> Iterator[Finding]:
    """SCH-003 at the date a record's retention runs from, when the retention would end past
    9999-12-31, the last date a date can hold (a placeholder 9999-12-31 in the log or a
    receipt): add_years stops there, so the record is kept until 9999-12-31 and nothing fails,
    and this names the cell to correct."""
    for outline, table, base_to, dated, ids in (
        (records.provision_outline, reg["provision_log"], "provided_to", "provided_on", "event_ids"),
        (records.confirmation_records, reg["receipts"], "received_to", "received_on", "receipt_ids"),
    ):
        if outline.height == 0:
            continue
        each = pl.col("record_method") == "each"
        years = pl.col("record_method").replace_strict(
            RETENTION_YEARS, default=3, return_dtype=pl.Int32
        )
        # only dates within the longest retention of the calendar's end can pass it
        near = outline.select(
            pl.col(ids), pl.when(each).then(pl.col("recorded_on")).otherwise(pl.col(base_to))
            .alias("base"), years.alias("years"), each.alias("each"),
        ).filter(pl.col("base") > dt.date(LAST_DATE.year - max(RETENTION_YEARS.values()), 12, 31))
        key = "event_id" if ids == "event_ids" else "receipt_id"
        seen: set[tuple[int, str]] = set()
        for keys, base, n, by_each in near.iter_rows():
            if not past_calendar(base, 12 * n):
                continue
            frame = table.frame.with_row_index("_i")
            # the row holding the date the retention runs from: the record's latest
            column = "recorded_on" if by_each else dated
            hit = frame.filter(pl.col(key).is_in(keys) & (pl.col(column) == base))
            if hit.height == 0:
                continue
            i = hit["_i"][0]
            if column == "recorded_on" and table.df["recorded_on"][i] is None:
                column = dated  # recorded_on was empty: it was taken from this date
            if (i, column) in seen:
                continue
            seen.add((i, column))
            label = table.spec.column(column).label_ja
            yield table.finding(
                SCH_003, i, column, table_ja=table.spec.label_ja, label=label,
                expected=f"date here: its record, kept {n} years from it, would be kept past "
                f"{LAST_DATE}, the last date a date can hold",
                expected_ja=f"日付（ここから{n}年間保存する記録の保存期限が、日付の上限 {LAST_DATE} を超えます）",
                fix=f"Write the date {column} really was ({LAST_DATE} stands for 'no end', not "
                "for a day).",
                fix_ja=f"「{label}」には実際の日付を入力してください（{LAST_DATE} は「期限なし」の意味で、日付ではありません）。",
            )
