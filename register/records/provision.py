"""Provision records (APPI Art 29; Rules Art 20, 28): one per event (each) or per provision
(bulk, contract), and their principals."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

import polars as pl

from ..facts.flows import log_events
from ..model import Register
from ..outputs import output_table
from ..parts import ChunkedFrame, GatheredFrame
from .shared import (
    CONSENT_OBTAINED,
    FOREIGN_INFO_CONFIRMED,
    PERSON_RELATED,
    RETENTION_YEARS,
    coded_log_principals,
    item_names,
    party_frame,
    principal_rows,
    with_incomplete,
    with_retention,
)


def _consent_text(prov: dict[str, Any], record_type: str) -> str | None:
    """The record's consent column (rules.md §3); never invented."""
    if record_type == "consent":
        return CONSENT_OBTAINED if prov.get("consent") is True else None
    if record_type == PERSON_RELATED:
        parts = []
        confirmed = prov.get("consent_confirmed_on")
        if isinstance(confirmed, dt.date):
            parts.append(f"confirmed {confirmed.isoformat()}")
        if prov.get("foreign_info_given") is True:
            parts.append(FOREIGN_INFO_CONFIRMED)
        return "; ".join(parts) or None
    return None


def _provision_routes(reg: Register, routes: Any) -> pl.DataFrame:
    """One row per provision that needs a record: its type, method, recipient and consent."""
    provisions = reg["provisions"].by_key
    cols: dict[str, list] = {
        "provision_id": [], "record_type": [], "record_method": [], "recipient_id": [],
        "consent": [], "_route_items": [], "_excluded": [],
    }
    for pid, route in sorted((routes.provisions if routes else {}).items()):
        if route.record_type is None or pid not in provisions:
            continue
        prov = provisions[pid]
        cols["provision_id"].append(pid)
        cols["record_type"].append(route.record_type)
        cols["record_method"].append(route.record_method or "each")
        cols["recipient_id"].append(route.party_id or prov.get("party_id"))
        cols["consent"].append(_consent_text(prov, route.record_type))
        cols["_route_items"].append(list(route.items))
        cols["_excluded"].append(prov.get("disclosure_excluded") is True)
    schema = {
        "provision_id": pl.Utf8, "record_type": pl.Utf8, "record_method": pl.Utf8,
        "recipient_id": pl.Utf8, "consent": pl.Utf8, "_route_items": pl.List(pl.Utf8),
        "_excluded": pl.Boolean,
    }
    return pl.DataFrame(cols, schema=schema)


# What the checks read of the provision records (RET-001); the rest is built for the outputs.
OUTLINE_COLUMNS = (
    "record_id", "record_type", "provision_id", "event_ids", "record_method", "provided_from",
    "provided_to", "recorded_on", "retain_until",
)


def _record_item_names(
    events: pl.DataFrame, records: pl.DataFrame, prov: pl.DataFrame, reg: Register
) -> pl.DataFrame:
    """record_id → item_names: each event's own item_ids, or the provision's items where a
    row gives none. Records whose rows name no item (most, in a long log) take their
    provision's names, worked out once per provision rather than once per record."""
    own = events.filter(pl.col("_items").list.len() > 0)
    mixed = own["record_id"].unique()
    per_record = events.filter(pl.col("record_id").is_in(mixed.implode()))
    explicit = own.select("record_id", pl.col("_items").alias("item_id")).explode("item_id")
    defaults = (
        per_record.filter(pl.col("_default_items")).select("record_id", "provision_id").unique()
        .join(prov.select("provision_id", "_route_items"), on="provision_id")
        .select("record_id", pl.col("_route_items").alias("item_id"))
        .explode("item_id")
    )
    by_provision = item_names(
        prov.select(pl.col("provision_id").alias("record_id"), pl.col("_route_items").alias("item_id"))
        .explode("item_id"),
        reg,
    ).rename({"record_id": "provision_id"})
    plain = (
        records.filter(~pl.col("record_id").is_in(mixed.implode()))
        .select("record_id", "provision_id")
        .join(by_provision, on="provision_id", how="inner")
        .select("record_id", "item_names")
    )
    return pl.concat([item_names(pl.concat([explicit, defaults]), reg), plain])


def build_provision_records(reg: Register, routes: Any) -> tuple[pl.DataFrame, Any, set[str]]:
    """(the provision records' outline, a function giving the provision records and their
    principals, record_ids excluded from disclosure).

    The records are built from the log's events (grouped once, for the checks too): a
    million-row log holds tens of thousands of events, and everything but the principals is
    decided per event. Item names, recipients and principals are added only when the records
    are output (`check` needs the outline alone).
    """
    spec = output_table("provision_records")
    prov = _provision_routes(reg, routes)
    log = log_events(reg)
    # (selected, not filtered, when every event's provision has records: the columns are
    # then the log's own, not a copy of 1.5M events' IDs and dates at 30M rows)
    events = log.select(
        pl.int_range(pl.len(), dtype=pl.UInt32).alias("_ev"), "provision_id", "event_id",
        pl.col("on_min").alias("_on"), pl.col("on_max").alias("_on_last"), "recorded_on",
        "undated", "unrecorded", pl.col("items").alias("_items"),
        pl.col("default_items").alias("_default_items"),
    )
    recorded = log["provision_id"].is_in(prov["provision_id"].implode()).fill_null(False)
    if not bool(recorded.all()):
        events = events.filter(recorded)
    if events.height == 0:
        # A provision with no log events has no record (rules.md §2).
        return spec.empty().select(OUTLINE_COLUMNS), ProvisionTables(), set()
    made_each = prov.filter(pl.col("record_method") == "each")["provision_id"]
    events = events.with_columns(
        pl.col("provision_id").is_in(made_each.implode()).fill_null(False).alias("_each"))
    each = pl.col("_each")
    events = events.with_columns(
        pl.when(each)
        .then(pl.concat_str([pl.lit("P/"), pl.col("provision_id"), pl.lit("/"), pl.col("event_id")]))
        .otherwise(pl.concat_str([pl.lit("P/"), pl.col("provision_id")]))
        .alias("record_id")
    )
    # A record made each time is one event: its row is its record (sorting and grouping a
    # million of them took 290 MiB at 30M log rows). The others gather their events, in date
    # order. Only the columns a record takes are copied; `events` keeps the log's order (the
    # item names and the principals' places do not depend on it).
    undated, unrecorded = pl.col("undated"), pl.col("unrecorded")
    records = pl.concat([
        events.lazy().filter(each).select(
            "record_id", "provision_id", "_ev", pl.concat_list("event_id").alias("event_ids"),
            pl.when(undated).then(None).otherwise(pl.col("_on")).alias("provided_from"),
            pl.when(undated).then(None).otherwise(pl.col("_on_last")).alias("provided_to"),
            pl.when(unrecorded).then(None).otherwise(pl.col("recorded_on")).alias("recorded_on"),
        ).collect(),
        # Event IDs in date order (an event's rows share one date unless REF-005 fires). A
        # date computed from an empty or invalid one is empty, never guessed (japanese.md
        # §7): for a bulk or contract record, one undated event leaves its period and
        # retention empty.
        # (each record's events sorted within it: no sorted copy of all of them; the
        # records' own order is set below)
        events.lazy().filter(~each).group_by("record_id").agg(
            pl.col("provision_id").first(),
            pl.col("event_id").sort_by(["_on", "event_id"], nulls_last=True).alias("event_ids"),
            pl.when(undated.any()).then(None).otherwise(pl.col("_on").min())
            .alias("provided_from"),
            pl.when(undated.any()).then(None).otherwise(pl.col("_on_last").max())
            .alias("provided_to"),
            pl.when(unrecorded.any()).then(None).otherwise(pl.col("recorded_on").max())
            .alias("recorded_on"),
        ).with_columns(pl.lit(None, dtype=pl.UInt32).alias("_ev")).collect(),
    ], how="diagonal")
    records = records.with_columns(
        [_by_provision(prov, c) for c in ("record_type", "record_method", "_excluded")]
    ).with_columns(
        pl.when(pl.col("record_method") == "each").then(pl.col("recorded_on"))
        .otherwise(pl.col("provided_to")).alias("_retention_base"),
        pl.col("record_method").replace_strict(RETENTION_YEARS, default=3, return_dtype=pl.Int32)
        .alias("_years"),
    )
    records = with_retention(records, "_retention_base", "_years", "retain_until").drop(
        "_retention_base", "_years")
    records = records.sort(["provision_id", "provided_from", "record_id"], nulls_last=True)
    excluded = set(records.filter(pl.col("_excluded"))["record_id"].to_list())

    # what the item names and the principals' places read of the events (the rest, a
    # million events' dates and IDs, is let go)
    events = events.select("_ev", "provision_id", "record_id", "_each", "_items",
                           "_default_items")
    tables = ProvisionTables(reg, prov, events, records)
    tables.event_of_record = records["_ev"]
    return records.select(OUTLINE_COLUMNS), tables, excluded


def _by_provision(prov: pl.DataFrame, column: str) -> pl.Expr:
    """`column` of each row's provision, looked up (a join would copy every column of a
    million records to add one)."""
    keys = prov.drop_nulls("provision_id").unique("provision_id", keep="first", maintain_order=True)
    return pl.col("provision_id").replace_strict(
        keys["provision_id"], keys[column], default=None, return_dtype=prov.schema[column]
    ).alias(column)


class ProvisionTables:
    """The provision records beyond their outline, each part built on first use: the records
    with their items and recipients (`detail`), the principals and counts (`counted`,
    `principals`), or one principal's entries (`of_principal`, for a disclosure request: no
    million-row table)."""

    def __init__(self, reg: Register | None = None, prov: pl.DataFrame | None = None,
                 events: pl.DataFrame | None = None, records: pl.DataFrame | None = None) -> None:
        self._reg, self._prov, self._events, self._records = reg, prov, events, records
        # For each record of the outline, in its order: the row of flows.log_events of its
        # one event when it is made each time, else null (RET-001 locates it by that row).
        self.event_of_record: pl.Series | None = None

    @functools.cached_property
    def detail(self) -> pl.DataFrame:
        """Every column of provision_records; principal_count not counted yet (null)."""
        spec = output_table("provision_records")
        if self._records is None:
            return spec.empty()
        reg, prov, records = self._reg, self._prov, self._records
        names = _record_item_names(self._events, records, prov, reg)
        full = (
            records.join(
                prov.select("provision_id", "recipient_id", "consent"), on="provision_id",
                how="left", maintain_order="left",
            )
            .join(party_frame(reg), left_on="recipient_id", right_on="party_id", how="left",
                  maintain_order="left")
            .join(names, on="record_id", how="left", maintain_order="left")
            .with_columns(
                pl.col("_name").alias("recipient_name"),
                pl.col("_address").alias("recipient_address"),
                pl.col("_representative").alias("recipient_representative"),
                pl.col("_country").alias("recipient_country"),
                pl.col("item_names").fill_null(pl.lit([], dtype=pl.List(pl.Utf8))),
                pl.lit(None, dtype=pl.Int64).alias("principal_count"),
                # needs the count: worked out in `full` (disclose, which reads this, hides it)
                pl.lit([], dtype=pl.List(pl.Utf8)).alias("incomplete"),
            )
        )
        return spec.conform(full)

    @functools.cached_property
    def _principals(self) -> tuple[GatheredFrame | pl.DataFrame, Any]:
        """(provision_principals as places and ranks beside the records and principals, and
        each record's count of principals: a Series in record order for a streamed log, else
        a record_id → _count frame)."""
        if self._records is None:
            return output_table("provision_principals").empty(), None
        digest = self._reg.log_digest
        if digest is not None:  # a log read in batches: its pairs are sorted on disk
            return digest.principals(*self._event_places)
        order, ranked, coded, places = self._places
        given = places.is_not_null()
        return principal_rows(places.filter(given), coded["_rank"].filter(given), ranked, order,
                              "provision_principals")

    @functools.cached_property
    def counted(self) -> pl.DataFrame:
        """provision_records with principal_count (and what each leaves empty)."""
        if self._records is None:
            return self.detail
        records = self.detail
        counts = self._principals[1]
        if isinstance(counts, pl.Series):
            records = records.with_columns(counts)  # (in record order, as `detail` is)
        else:
            records = records.join(counts, on="record_id", how="left", maintain_order="left")
        records = records.with_columns(
            # Person-related records name no principal (APPI Rules Art 28): count left empty.
            pl.when(pl.col("record_type") == PERSON_RELATED)
            .then(None)
            .otherwise(pl.col("_count").fill_null(0))
            .alias("principal_count")
        )
        kinds = party_frame(self._reg).select("party_id", "_kind")
        records = records.join(kinds, left_on="recipient_id", right_on="party_id", how="left",
                               maintain_order="left")
        records = with_incomplete("provision_records", records, pl.col("_kind"))
        return output_table("provision_records").conform(records)

    @property
    def gathered(self) -> GatheredFrame | pl.DataFrame:
        """provision_principals as places and ranks beside the records and principals (what a
        CSV writer renders fastest), or an empty frame when there are no records."""
        return self._principals[0]

    @functools.cached_property
    def principals(self) -> ChunkedFrame | pl.DataFrame:
        """provision_principals: one frame, or for a streamed log frames read from disk."""
        table = self.gathered
        if self._reg is not None and self._reg.log_digest is not None:
            return table
        return table.collect() if isinstance(table, ChunkedFrame) else table

    def of_principal(self, principal_id: str) -> pl.DataFrame:
        """record_id, principal_id, principal_name for each record naming the principal, in
        record order (provision_principals filtered to one principal, without building it)."""
        pspec = output_table("provision_principals")
        if self._records is None:
            return pspec.empty()
        if self._reg.log_digest is not None:  # a log read in batches: one scan of its pairs
            return self._reg.log_digest.of_principal(principal_id, *self._event_places)
        order, ranked, coded, places = self._places
        rank = ranked.filter(pl.col("principal_id") == principal_id)
        if rank.height == 0:
            return pspec.empty()
        mine = places.filter((coded["_rank"] == rank["_rank"][0]) & places.is_not_null())
        mine = mine.unique().sort()
        return pspec.conform(
            pl.DataFrame({"record_id": order["record_id"].gather(mine)}).with_columns(
                pl.lit(principal_id).alias("principal_id"),
                pl.lit(rank["principal_name"][0], dtype=pl.Utf8).alias("principal_name"),
            )
        )

    @functools.cached_property
    def _event_places(self) -> tuple[pl.DataFrame, pl.DataFrame]:
        """(record order, _ev → _order: the place of each log event whose record names its
        principals)."""
        order = self._records.select("record_id").with_row_index("_order")
        prov = self._prov
        person_related = prov.filter(pl.col("record_type") == PERSON_RELATED)["provision_id"]
        named = ~pl.col("provision_id").is_in(person_related.implode())
        # a record made each time names its one event (`_ev`); the others are looked up
        one = self._records.with_row_index("_order").filter(
            pl.col("_ev").is_not_null() & named).select("_ev", "_order")
        gathered = self._events.filter(named & ~pl.col("_each")).join(
            order, on="record_id", how="inner").select("_ev", "_order")
        return order, pl.concat([one, gathered])

    @functools.cached_property
    def _places(self) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame, pl.Series]:
        """(record order, ranked principals, coded principals, each coded pair's record place
        or null): each log event's place, looked up by position for its million principals."""
        order, named = self._event_places
        ranked, coded = coded_log_principals(self._reg)
        places = pl.repeat(None, log_events(self._reg).height, dtype=pl.UInt32, eager=True)
        places = places.scatter(named["_ev"], named["_order"]).gather(coded["_ev"])
        return order, ranked, coded, places
