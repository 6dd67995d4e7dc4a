"""Facts about a register's flows that the law checks and the route classifier share.

Which items are which class in a flow's context (with `facts.context`), which parties are
Art 16(2) bodies or third parties in a foreign country, what a provision carries once
`my_number` items are dropped, and the provision log grouped into events. Small tables are
walked as dicts; the log is only ever handled as polars frames.
"""

from __future__ import annotations

import datetime as dt
import threading
import weakref
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any, TypeVar

import polars as pl

from .. import schema
from ..countries import is_equivalent
from ..findings import MAX_PER_RULE, require_per_event
from ..model import Register, Table

# APPI Art 16(2): not "third parties" for the record and confirmation duties (law.md §2.1).
ART16_2_KINDS = schema.public_body_kinds()
# Bases that are items of APPI Art 27(1): no consent needed, no record (Art 29(1) proviso).
ART27_1_BASES = frozenset({"law", "vital", "public_health", "public_agency", "academic"})
# Bases under which the recipient is not a third party (APPI Art 27(5)).
ART27_5_BASES = frozenset({"entrustment", "succession", "joint_use"})

T = TypeVar("T")
_CACHE: dict[tuple[int, str], tuple[weakref.ref, Future]] = {}
# The facts already built, beside their futures: asked for thousands of times (a fact per
# provision), a done future's own locks cost more than the lookup (30 ms at 1,000 provisions).
_BUILT: dict[tuple[int, str], tuple[weakref.ref, Any]] = {}
_LOCK = threading.Lock()


def cached(reg: Register, name: str, build: Callable[[], T]) -> T:
    """Build a per-register fact once (the checks and the classifier all ask for the same ones).

    Thread-safe: whoever asks first builds it, and anyone asking meanwhile (the prefetch thread
    or the main one) waits for that build instead of repeating it.
    """
    key = (id(reg), name)
    done = _BUILT.get(key)
    if done is not None and done[0]() is reg:
        return done[1]  # the common case, asked thousands of times: no lock
    with _LOCK:
        hit = _CACHE.get(key)
        mine = hit is None or hit[0]() is not reg
        if mine:
            fut: Future = Future()
            ref = weakref.ref(reg, lambda _r, k=key: (_CACHE.pop(k, None), _BUILT.pop(k, None)))
            _CACHE[key] = (ref, fut)
        else:
            fut = hit[1]
    if mine:
        try:
            value = build()
        except BaseException as exc:
            fut.set_exception(exc)
            raise
        with _LOCK:
            if _CACHE.get(key, (None, None))[1] is fut:  # (not forgotten meanwhile)
                _BUILT[key] = (ref, value)
        fut.set_result(value)
    return fut.result()


def asked(reg: Register, name: str) -> bool:
    """Whether the fact `name` of `reg` is built or being built (a prefetch started it)."""
    hit = _CACHE.get((id(reg), name))
    return hit is not None and hit[0]() is reg


def forget(reg: Register, *names: str) -> None:
    """Drop cached facts no one will ask for again (the memory of a long log's events)."""
    with _LOCK:
        for name in names:
            _CACHE.pop((id(reg), name), None)
            _BUILT.pop((id(reg), name), None)


def prefetch(reg: Register, *facts: Callable[[Register], Any]) -> None:
    """Start building `facts` of a long log on another thread while the checks of the small
    tables run on this one: polars releases the GIL while it groups and joins, so the two
    cores share the work. A fact that fails is re-raised where it is asked for."""
    for name in ("provision_log", "principals"):
        reg[name].frame  # noqa: B018 -- filled here, not raced for by two threads

    def run() -> None:
        for fact in facts:
            try:
                fact(reg)
            except BaseException:  # noqa: BLE001 -- the thread asking for it re-raises it
                return

    threading.Thread(target=run, name="register-prefetch", daemon=True).start()


def given(t: Table, i: int, column: str) -> bool:
    """Whether the user wrote something in the cell (valid or not).

    A rule about an empty value stays silent when the value is merely invalid: SCH already
    reports that, and one problem gives one finding.
    """
    if column in t.raw.columns and t.raw[column][i] is not None:
        return True
    return t.df[column][i] is not None if column in t.df.columns else False


def invalid(t: Table, i: int, column: str) -> bool:
    """A value was written but could not be read (SCH-003/004 reports it)."""
    return column in t.df.columns and t.df[column][i] is None and given(t, i, column)


def item_classes(reg: Register) -> dict[str, str | None]:
    """item_id → legal_class (None when the class is missing or invalid)."""
    return cached(reg, "item_classes", lambda: {
        k: r.get("legal_class") for k, r in reg["data_items"].by_key.items()
    })


def my_number_items(reg: Register) -> frozenset[str]:
    """The IDs of `my_number` data items."""
    return frozenset(k for k, c in item_classes(reg).items() if c == "my_number")


def items_of(row: dict[str, Any], column: str = "item_ids") -> list[str]:
    """A list cell as a list (empty when not given)."""
    return [v for v in (row.get(column) or []) if v is not None]


@dataclass(frozen=True)
class ItemSet:
    """A flow's items split by their class in the flow's context (web.md §2: the class in its
    dataset, not the item's own `legal_class`; rules.md §2: my_number items dropped first)."""

    items: tuple[str, ...]  # every item as written
    rest: tuple[str, ...]  # without my_number items
    my_number: tuple[str, ...]
    special_care: tuple[str, ...]
    unknown: tuple[str, ...]  # not in data_items, or without a valid legal_class
    only_person_related: bool  # rest is non-empty and every item of it is person_related
    processing: str = "none"  # the processing of the flow's dataset (`none` without one)

    @property
    def my_number_only(self) -> bool:
        """Only my_number items (none left after dropping them): outside APPI Arts 27–30."""
        return bool(self.my_number) and not self.rest

    @property
    def person_related(self) -> bool:
        """Every remaining item is person_related in context: a person-related flow (PRI),
        not a provision of personal data."""
        return self.only_person_related

    @property
    def not_personal_information(self) -> bool:
        """From or into an anonymised or statistics dataset: no personal information at all."""
        return self.processing in ("anonymised", "statistics")

    @property
    def carries_personal_data(self) -> bool:
        """Some item is personal, special-care or My Number in context (ENT's scope, Art 25
        covering My Number too)."""
        return not self.not_personal_information and not self.person_related

    @property
    def personal_data(self) -> bool:
        """A provision of personal data (PRV's scope): carries personal data, not My Number only."""
        return self.carries_personal_data and not self.my_number_only

    @property
    def subject_to_art28(self) -> bool:
        """A provision of personal data under Art 28 (XB's scope): not from a pseudonymised
        dataset, whose provision Art 41(6) governs "notwithstanding Art 28(1)"."""
        return self.personal_data and self.processing != "pseudonymised"


def item_set(reg: Register, items: Iterable[str], dataset_id: str | None = None) -> ItemSet:
    """Split a flow's items by their class in the context of its dataset (web.md §2), once per
    distinct (items, dataset): provisions share lists."""
    from . import context

    items = tuple(items)
    ds = dataset_id if context.is_known_dataset(reg, dataset_id) else None
    known = cached(reg, "item_sets", dict)
    hit = known.get((items, ds))
    if hit is None:
        in_context = {i: context.class_in(reg, i, ds) for i in set(items)}
        hit = known[(items, ds)] = _item_set(
            item_classes(reg), in_context, items, context.source_processing(reg, ds)
        )
    return hit


def _item_set(own: dict[str, str | None], classes: dict[str, str | None],
              items: tuple[str, ...], processing: str = "none") -> ItemSet:
    mn = tuple(i for i in items if classes.get(i) == "my_number")
    rest = tuple(i for i in items if classes.get(i) != "my_number")
    unknown = tuple(i for i in items if own.get(i) is None)
    sc = tuple(i for i in items if classes.get(i) == "special_care")
    all_pr = bool(rest) and all(classes.get(i) == "person_related" for i in rest)
    return ItemSet(items, rest, mn, sc, unknown, all_pr, processing)


def provision_items(reg: Register) -> dict[str, ItemSet]:
    """provision_id → its ItemSet, in the context of its source dataset."""

    def build() -> dict[str, ItemSet]:
        return {
            pid: item_set(reg, items_of(p), p.get("dataset_id"))
            for pid, p in reg["provisions"].by_key.items()
        }

    return cached(reg, "provision_items", build)


def receipt_items(reg: Register) -> dict[str, ItemSet]:
    """receipt_id → its ItemSet, in the context of the dataset it went into."""

    def build() -> dict[str, ItemSet]:
        return {
            rid: item_set(reg, items_of(r), r.get("dataset_id"))
            for rid, r in reg["receipts"].by_key.items()
        }

    return cached(reg, "receipt_items", build)


def party(reg: Register, party_id: str | None) -> dict[str, Any] | None:
    """The parties row of an ID (None for unknown IDs and for `self`)."""
    if party_id is None:
        return None
    return reg["parties"].by_key.get(party_id)


def is_foreign_third_party(p: dict[str, Any] | None) -> bool:
    """A third party in a foreign country (rules.md §1 XB; APPI Art 28(1)).

    Not JP, not an equivalent-system country, and no safeguard (`none` or empty). An unknown
    or invalid country cannot be judged: SCH/REF report it, so this says no.
    """
    if p is None:
        return False
    country = p.get("country")
    if country is None or country == "JP" or is_equivalent(country):
        return False
    return (p.get("foreign_safeguard") or "none") == "none"


def is_outside_japan(p: dict[str, Any] | None) -> bool:
    """The party handles the data outside Japan (its country is known and not JP)."""
    return p is not None and p.get("country") is not None and p.get("country") != "JP"


LOG_EVENTS_SCHEMA = {
    "event_id": pl.Utf8,
    "provision_id": pl.Utf8,
    "i": pl.UInt32,
    "on_first_i": pl.UInt32,
    "on_first": pl.Date,
    "on_min": pl.Date,
    "on_max": pl.Date,
    "recorded_on": pl.Date,
    "undated": pl.Boolean,
    "unrecorded": pl.Boolean,
    "items": pl.List(pl.Utf8),
    "default_items": pl.Boolean,
    "principals": pl.List(pl.Utf8),
    "n_principals": pl.UInt32,
}


def concat_lists(column: str, where: pl.Expr | None = None) -> pl.Expr:
    """A group's lists (optionally only the rows `where` holds) as one list."""
    c = pl.col(column) if where is None else pl.col(column).filter(where)
    return c.list.explode(keep_nulls=False, empty_as_null=False)


# What log_events reads of a log row, and what it groups them by (logstream groups each
# batch of a long log with the same aggregates).
EVENT_ROW_COLUMNS = (
    "event_id", "provision_id", "provided_on", "recorded_on", "principal_ids", "item_ids",
)
EVENT_KEYS = ("event_id", "provision_id")


def without_invalid_recorded(df: pl.DataFrame, bad: pl.Series | None, rows: pl.Series
                             ) -> pl.DataFrame:
    """`df` with an invalid recorded_on empty, not the provision date it would default to
    (`bad`: the table's invalid-cell mask, `rows`: each row of `df` in it)."""
    if bad is None:
        return df
    return df.with_columns(
        pl.when(bad.gather(rows)).then(None).otherwise(pl.col("recorded_on")).alias("recorded_on"))


def event_aggregates(principals: bool) -> list[pl.Expr]:
    """What log_events keeps of the rows of one (event, provision); `principals`: the IDs
    they name, repeats kept (a streamed log's go to disk instead)."""
    has_items = pl.col("item_ids").list.len().fill_null(0) > 0
    dated = pl.col("provided_on").is_not_null()
    return [
        pl.col("i").min(),
        pl.col("i").filter(dated).min().alias("on_first_i"),
        pl.col("provided_on").drop_nulls().first().alias("on_first"),
        pl.col("provided_on").min().alias("on_min"),
        pl.col("provided_on").max().alias("on_max"),
        pl.col("recorded_on").max(),
        (~dated).any().alias("undated"),
        pl.col("recorded_on").is_null().any().alias("unrecorded"),
        concat_lists("item_ids", has_items).unique(maintain_order=True).alias("items"),
        (~has_items).any().alias("default_items"),
        pl.col("principal_ids").list.len().sum().cast(pl.UInt32).alias("n_principals"),
        *([concat_lists("principal_ids").alias("principals")] if principals else []),
    ]


def log_events(reg: Register) -> pl.DataFrame:
    """The provision log grouped by (event_id, provision_id): the one pass over a long log that
    the checks, the classifier, the records and the report share.

    A sound event has one provision, so this is one row per event; an event whose rows name
    two provisions (REF-005) has a row for each. Columns: i (first row index), on_first (the
    first date given, at row on_first_i), on_min / on_max, recorded_on (the latest, defaulted
    from provided_on), undated (some row's provided_on is empty or invalid), unrecorded (some
    row's recorded_on is empty or invalid after that default: a date computed from it is empty,
    japanese.md §7), items (the items the rows name), default_items (some row names none:
    the provision's items apply), principals (every principal ID named, repeats kept),
    n_principals.
    """

    def build() -> pl.DataFrame:
        if reg.log_digest is not None:  # a log read in batches was grouped as it was read
            return reg.log_digest.events
        t = reg["provision_log"]
        if not t.present or len(t) == 0:
            return pl.DataFrame(schema=LOG_EVENTS_SCHEMA)
        df = t.frame.select(*EVENT_ROW_COLUMNS).with_row_index("i").filter(
            pl.col("event_id").is_not_null())
        df = without_invalid_recorded(df, t.bad.get("recorded_on"), df["i"])
        out = df.group_by(*EVENT_KEYS).agg(event_aggregates(principals=True))
        return out.select([pl.col(c).cast(d) for c, d in LOG_EVENTS_SCHEMA.items()]).sort("i")

    return cached(reg, "log_events", build)


def events(reg: Register) -> pl.DataFrame:
    """The provision log grouped into events, in the order of their first rows.

    Columns: event_id, i (first row index, for locations), provision_id and provided_on (the
    first given), n_provision_ids (how many different provision IDs the rows give: REF-005
    when over 1), dates_differ (the rows give different dates: REF-005), n_principals (how many
    principal IDs the rows name, 0 = none).
    """

    def build() -> pl.DataFrame:
        by_pair = log_events(reg)
        if not _repeats(by_pair["event_id"]):
            # One provision an event, as in every sound log: each (event, provision) row is
            # its event, and grouping 1.5M events again (30M log rows) cost 230 MiB for a
            # projection of the same rows (the same values as the aggregation below gives).
            return by_pair.select(
                "event_id", "i", "provision_id", pl.col("on_first").alias("provided_on"),
                pl.col("provision_id").is_not_null().cast(pl.UInt32).alias("n_provision_ids"),
                (pl.col("on_min") != pl.col("on_max")).fill_null(False).alias("dates_differ"),
                pl.col("n_principals").cast(pl.UInt32),
            )
        return by_pair.group_by("event_id", maintain_order=True).agg(
            pl.col("i").min(),
            pl.col("provision_id").drop_nulls().first(),
            pl.col("on_first").sort_by("on_first_i", nulls_last=True).first().alias("provided_on"),
            pl.col("provision_id").drop_nulls().n_unique().cast(pl.UInt32).alias("n_provision_ids"),
            (pl.col("on_min").min() != pl.col("on_max").max()).fill_null(False).alias("dates_differ"),
            pl.col("n_principals").sum().cast(pl.UInt32),
        )

    return cached(reg, "events", build)


def _repeats(ids: pl.Series) -> bool:
    """Whether any value (a null counting as one) may occur twice, from its 8-byte hashes
    sorted: cheaper than a table of the text, and a shared hash only sends the caller to its
    general path."""
    if ids.len() < 2:
        return False
    h = ids.hash().sort()
    return bool((h.slice(1) == h.slice(0, h.len() - 1)).any())


def event_items(reg: Register) -> pl.DataFrame:
    """(event_id, item) for every item a log row names, deduplicated."""

    def build() -> pl.DataFrame:
        return (
            log_events(reg)
            .select("event_id", pl.col("items").alias("item"))
            .explode("item")
            .drop_nulls("item")
            .unique(maintain_order=True)
        )

    return cached(reg, "event_items", build)


def events_where(reg: Register, bounds: dict[str, tuple[dt.date | None, dt.date | None]]
                 ) -> pl.DataFrame:
    """Events of the given provisions dated before `lo` or after `hi` (per provision).

    Returns the events frame rows (event_id, i, provision_id, provided_on, lo, hi) that fall
    outside their provision's window; a null bound is open.
    """
    if not bounds:
        return events(reg).head(0).with_columns(lo=pl.lit(None, pl.Date), hi=pl.lit(None, pl.Date))
    small = pl.DataFrame(
        {
            "provision_id": list(bounds),
            "lo": [b[0] for b in bounds.values()],
            "hi": [b[1] for b in bounds.values()],
        },
        schema={"provision_id": pl.Utf8, "lo": pl.Date, "hi": pl.Date},
    )
    return (
        events(reg)
        .join(small, on="provision_id", how="inner")
        .filter(
            pl.col("provided_on").is_not_null()
            & (
                (pl.col("lo").is_not_null() & (pl.col("provided_on") < pl.col("lo")))
                | (pl.col("hi").is_not_null() & (pl.col("provided_on") > pl.col("hi")))
            )
        )
        .sort("i")
    )


def first_event_dates(reg: Register) -> dict[str, dt.date]:
    """provision_id → the date of its first log event."""

    def build() -> dict[str, dt.date]:
        ev = events(reg).filter(pl.col("provision_id").is_not_null() & pl.col("provided_on").is_not_null())
        agg = ev.group_by("provision_id").agg(pl.col("provided_on").min())
        return dict(agg.iter_rows())

    return cached(reg, "first_event_dates", build)


def provisions_with_events(reg: Register) -> frozenset[str]:
    """The provisions that have at least one log event."""

    def build() -> frozenset[str]:
        return frozenset(events(reg)["provision_id"].drop_nulls().unique().to_list())

    return cached(reg, "provisions_with_events", build)


def label(t: Table, column: str) -> str:
    """The Japanese label of a column, for Japanese messages."""
    return t.spec.column(column).label_ja


def period(lo: dt.date | None, hi: dt.date | None) -> str:
    """A date range for messages: `A to B`, `from A`, `until B`."""
    if lo is not None and hi is not None:
        return f"{lo} to {hi}"
    return f"from {lo}" if lo is not None else f"until {hi}"


def log_finding(rule: Any, n: int, log: Table, i: int, event_id: str, column: str,
                params: Callable[[], dict[str, Any]] = dict):
    """A finding about provision-log event n (0-based count within its rule) at row i.

    The report lists at most MAX_PER_RULE findings per log rule and only counts the rest
    (rules.md §1), so past that many only the rule, the event and the field are kept (and the
    message parameters are never built): locating and wording each of hundreds of thousands
    of events would dominate the run.
    """
    require_per_event(rule)
    if n < MAX_PER_RULE:
        return log.finding(rule, i, column, **params())
    return rule(table=log.name, record=event_id, field=column)
