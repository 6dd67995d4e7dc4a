"""The records the law requires (rules.md §3–§5), derived from the register and its routes.

Everything over the provision log is whole-column polars work (group_by / join / explode): the
log may hold millions of rows, one per principal per event. Only the small tables (provisions,
parties, receipts' routes) are walked as Python dicts.

Record IDs are built from the IDs of what they cover, with `/` (a character no register ID may
hold) between the parts, so they are unique, stable across runs, and stable as the log grows:
- provision records: `P/<provision_id>/<event_id>` (each), `P/<provision_id>` (bulk, contract);
- confirmation records: `C/<receipt_id>` (each), `C/<provider_id>/<record_type>/<method>`
  (bulk, contract: one per provider, record type and method, rules.md §3).
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from .facts.flows import cached, log_events
from .model import Register
from .outputs import output_table
from .values import add_years

# The record states the fact of provision to an unspecified large number of persons instead
# of a recipient (APPI Rules Art 20(1)(i)(ロ)). Record contents are data, the same in every
# --lang (only headers and sheet names are translated), so one wording is used.
UNSPECIFIED_PUBLIC_NAME = "unspecified large number of persons"
# rules.md §3 gives the phrase in both languages; `--lang ja` outputs state it in Japanese.
UNSPECIFIED_PUBLIC_NAME_JA = "不特定かつ多数の者"
CONSENT_OBTAINED = "obtained"
FOREIGN_INFO_CONFIRMED = "foreign information confirmed"
# Years a record is kept, by record_method (rules.md §4).
RETENTION_YEARS = {"each": 3, "bulk": 3, "contract": 1}
PERSON_RELATED = "person_related"

# What each record must state, by record type (japanese.md §7; APPI Rules Art 20, 24, 28):
# the `incomplete` column lists those that are empty. `*_representative` only for a
# corporation; for an unspecified large number of persons, of the recipient only the name.
REQUIRED: dict[str, dict[str, tuple[str, ...]]] = {
    "provision_records": {
        "opt_out": ("provided_from", "provided_to", "recipient_name", "recipient_address",
                    "recipient_representative", "principal_count", "item_names", "retain_until"),
        "consent": ("recipient_name", "recipient_address", "recipient_representative", "consent",
                    "principal_count", "item_names", "retain_until"),
        PERSON_RELATED: ("provided_from", "provided_to", "recipient_name", "recipient_address",
                         "recipient_representative", "consent", "item_names", "retain_until"),
    },
    "confirmation_records": {
        "opt_out": ("received_from", "received_to", "provider_name", "provider_address",
                    "provider_representative", "acquisition", "ppc_publication_checked",
                    "principal_count", "item_names", "retain_until"),
        "consent": ("provider_name", "provider_address", "provider_representative", "acquisition",
                    "consent", "principal_count", "item_names", "retain_until"),
        PERSON_RELATED: ("provider_name", "provider_address", "provider_representative",
                         "consent", "principal_count", "item_names", "retain_until"),
        "private": ("provider_name", "provider_address", "provider_representative",
                    "acquisition", "principal_count", "item_names", "retain_until"),
    },
}

TABLES = (
    "provision_records",
    "provision_principals",
    "confirmation_records",
    "confirmation_principals",
    "exempt_flows",
)


@dataclass
class Records:
    """The five output tables of rules.md §5 and which records may not be disclosed.

    The provision records and their principals (a row per principal per record: as long as
    the log) are built on first use (`provision`); `provision_outline` (OUTLINE_COLUMNS of the
    provision records) is what the checks need.
    """

    provision_outline: pl.DataFrame
    confirmation_records: pl.DataFrame
    confirmation_principals: pl.DataFrame
    exempt_flows: pl.DataFrame
    # the rest of the provision records, built on first use
    provision: ProvisionTables
    # record_ids whose flow is marked disclosure_excluded (Cabinet Order Art 11): `disclose`
    # leaves them out. Kept apart so the §5 tables hold exactly their columns.
    disclosure_excluded: frozenset[str] = field(default_factory=frozenset)

    @property
    def provision_records(self) -> pl.DataFrame:
        return self.provision.full[0]

    @property
    def provision_principals(self) -> pl.DataFrame:
        return self.provision.full[1]

    def table(self, name: str, lang: str = "en") -> pl.DataFrame:
        """One of the five tables by its canonical name, its stated facts in `lang`."""
        if name not in TABLES:
            raise KeyError(name)
        return localise(name, getattr(self, name), lang)

    def entries_of(self, name: str, principal_id: str) -> pl.DataFrame:
        """One principal's rows of a principals table (`provision_principals` is looked up
        without being built: a disclosure request needs no million-row table)."""
        if name == "provision_principals":
            return self.provision.of_principal(principal_id)
        return self.table(name).filter(pl.col("principal_id") == principal_id)

    def uncounted(self, name: str) -> pl.DataFrame:
        """A records table whose principal_count may be left empty (not counted)."""
        return self.provision.detail if name == "provision_records" else self.table(name)

    @classmethod
    def empty(cls) -> Records:
        """No records at all (every table empty, with its columns)."""
        tables = {name: output_table(name).empty() for name in TABLES}
        return cls(
            provision_outline=tables["provision_records"].select(OUTLINE_COLUMNS),
            confirmation_records=tables["confirmation_records"],
            confirmation_principals=tables["confirmation_principals"],
            exempt_flows=tables["exempt_flows"],
            provision=ProvisionTables(),
        )


def localise(name: str, frame: pl.DataFrame, lang: str) -> pl.DataFrame:
    """A records table with its stated facts in `lang` (records data is otherwise the same in
    every language: only headers and sheet names are translated)."""
    if lang == "ja" and name == "provision_records" and frame.height:
        frame = frame.with_columns(
            pl.when(
                (pl.col("recipient_name") == UNSPECIFIED_PUBLIC_NAME)
                & pl.col("recipient_address").is_null()
            )
            .then(pl.lit(UNSPECIFIED_PUBLIC_NAME_JA))
            .otherwise(pl.col("recipient_name"))
            .alias("recipient_name")
        )
    return frame


# --------------------------------------------------------------------------------------------
# Shared helpers
# --------------------------------------------------------------------------------------------


def _with_retention(df: pl.DataFrame, base: str, years: str, out: str) -> pl.DataFrame:
    """Add `out` = add_years(df[base], df[years]), computed once per distinct (date, years)."""
    keys = df.select(base, years).unique().drop_nulls()
    values = [add_years(d, n) for d, n in keys.iter_rows()]
    keys = keys.with_columns(pl.Series(out, values, dtype=pl.Date))
    return df.join(keys, on=[base, years], how="left", nulls_equal=False)


def _party_frame(reg: Register) -> pl.DataFrame:
    """party_id → name, address, representative, country, kind (as the record shows them)."""
    p = reg["parties"].frame
    if p.height == 0:
        return pl.DataFrame(
            schema={
                "party_id": pl.Utf8, "_name": pl.Utf8, "_address": pl.Utf8,
                "_representative": pl.Utf8, "_country": pl.Utf8, "_kind": pl.Utf8,
            }
        )
    public = pl.col("kind") == "unspecified_public"
    return (
        p.filter(pl.col("party_id").is_not_null())
        .unique("party_id", keep="first", maintain_order=True)
        .select(
            "party_id",
            pl.when(public).then(pl.lit(UNSPECIFIED_PUBLIC_NAME)).otherwise(pl.col("name"))
            .alias("_name"),
            pl.when(public).then(None).otherwise(pl.col("address")).alias("_address"),
            pl.when(public).then(None).otherwise(pl.col("representative"))
            .alias("_representative"),
            pl.col("country").cast(pl.Utf8).alias("_country"),
            pl.col("kind").cast(pl.Utf8).alias("_kind"),
        )
    )


def _item_frame(reg: Register) -> tuple[pl.DataFrame, pl.Series]:
    """(item_id → name and sheet order, the IDs of my_number items)."""
    items = reg["data_items"].frame.with_row_index("_item_order")
    items = items.filter(pl.col("item_id").is_not_null()).unique(
        "item_id", keep="first", maintain_order=True
    )
    my_number = items.filter(pl.col("legal_class") == "my_number")["item_id"]
    return items.select("item_id", pl.col("name").alias("_item_name"), "_item_order"), my_number


def _item_names(pairs: pl.DataFrame, reg: Register) -> pl.DataFrame:
    """(record_id, item_id) pairs → record_id, item_names (register order, no My Number items).

    An item missing from data_items (REF-002) is shown by its ID rather than dropped.
    """
    items, my_number = _item_frame(reg)
    pairs = (
        pairs.drop_nulls()
        .unique()
        .filter(~pl.col("item_id").is_in(my_number.implode()))
        .join(items, on="item_id", how="left")
        .with_columns(pl.col("_item_name").fill_null(pl.col("item_id")))
        .sort(["record_id", "_item_order", "item_id"], nulls_last=True)
    )
    return pairs.group_by("record_id", maintain_order=True).agg(
        pl.col("_item_name").unique(maintain_order=True).alias("item_names")
    )


def _ranked_principals(reg: Register, extra: pl.Series | None = None) -> pl.DataFrame:
    """_rank, principal_id, principal_name: every principal (and the `extra` IDs no row of
    principals holds) sorted by ID, so that a rank orders as its ID does."""
    names = reg["principals"].frame.filter(pl.col("principal_id").is_not_null())
    ids = names["principal_id"]
    if ids.n_unique() != ids.len():  # REF-001: the first row of an ID names it
        names = names.unique("principal_id", keep="first", maintain_order=True)
    names = names.select("principal_id", pl.col("name").alias("principal_name"))
    if extra is not None and extra.len():
        names = pl.concat([names, pl.DataFrame({"principal_id": extra.unique()})], how="diagonal")
    if not names["principal_id"].is_sorted():
        names = names.sort("principal_id")
    return names.with_row_index("_rank")


def _code_principals(pairs: pl.DataFrame, reg: Register) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(the ranked principals, `pairs` with principal_id replaced by its _rank)."""
    ranked = _ranked_principals(reg)
    coded = pairs.join(ranked.select("principal_id", "_rank"), on="principal_id", how="left")
    unknown = coded.filter(pl.col("_rank").is_null())["principal_id"]
    if unknown.len():  # IDs no principals row holds (REF-002): rank them among the others
        ranked = _ranked_principals(reg, unknown)
        coded = pairs.join(ranked.select("principal_id", "_rank"), on="principal_id", how="left")
    return ranked, coded.drop("principal_id")


def coded_log_principals(reg: Register) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(the ranked principals, _ev → _rank for every principal a log event names), where _ev is
    the row of flows.log_events. Independent of the routes, so it is prefetched while the
    checks run (api.analyze)."""

    def build() -> tuple[pl.DataFrame, pl.DataFrame]:
        pairs = (
            log_events(reg)
            .select(
                pl.int_range(pl.len(), dtype=pl.UInt32).alias("_ev"),
                pl.col("principals").alias("principal_id"),
            )
            .explode("principal_id")
            .drop_nulls("principal_id")
        )
        return _code_principals(pairs, reg)

    return cached(reg, "coded_log_principals", build)


def _principal_rows(
    place: pl.Series, rank: pl.Series, ranked: pl.DataFrame, order: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(record place, principal rank) pairs → (the principals table, in record order then by
    ID; record_id → how many).

    The pairs of a long log are a million rows: they are ordered and made unique as integers
    (the record's place in `order`, the principal's rank by ID in `ranked`) rather than as
    strings, and the IDs and names are gathered back by position.
    """
    # One 64-bit key (place, rank) sorts faster than two columns; repeats end up adjacent.
    shift = 1 << 32
    key = place.cast(pl.UInt64) * shift + rank.cast(pl.UInt64)
    key = key.sort()
    key = key.filter((key != key.shift(1)).fill_null(True))
    place = (key // shift).cast(pl.UInt32).alias("_order")
    rank = (key % shift).cast(pl.UInt32)
    principals = pl.DataFrame(
        {
            "record_id": order["record_id"].gather(place),
            "principal_id": ranked["principal_id"].gather(rank),
            "principal_name": ranked["principal_name"].gather(rank),
        }
    )
    counts = place.value_counts(name="_count")
    counts = counts.select(
        order["record_id"].gather(counts["_order"]).alias("record_id"),
        pl.col("_count").cast(pl.Int64),
    )
    return principals, counts


def _is_empty(column: str, dtype: pl.DataType) -> pl.Expr:
    """The record does not state `column`: empty, a fact that is not true, no principal."""
    c = pl.col(column)
    if column == "consent" and dtype == pl.Utf8():
        # a provision record states consent as 'obtained' or 'confirmed YYYY-MM-DD'; the
        # foreign-information note alone is no consent
        return c.is_null() | ~(c.str.starts_with(CONSENT_OBTAINED) | c.str.starts_with("confirmed "))
    if dtype == pl.Boolean():
        return c.is_null() | ~c
    if isinstance(dtype, pl.List):
        return c.is_null() | (c.list.len() == 0)
    if column == "principal_count":
        return c.is_null() | (c == 0)
    if dtype == pl.Utf8():
        return c.is_null() | (c.str.strip_chars() == "")
    return c.is_null()


def with_incomplete(name: str, df: pl.DataFrame, kind: pl.Expr) -> pl.DataFrame:
    """`df` (a records table) with `incomplete`: the required columns it leaves empty, in column
    order (japanese.md §7). `kind` is the counterparty's kind; one whole-column pass."""
    required = REQUIRED[name]
    party = "recipient_" if name == "provision_records" else "provider_"
    parts = []
    for c in output_table(name).columns:
        types = [t for t, cols in required.items() if c.name in cols]
        if not types or c.name not in df.columns:
            continue
        need = pl.col("record_type").is_in(types)
        if c.name == party + "representative":
            need = need & (kind == "corporation")
        elif c.name.startswith(party) and c.name != party + "name":
            need = need & (kind.is_null() | (kind != "unspecified_public"))
        gap = need & _is_empty(c.name, df.schema[c.name])
        parts.append(pl.when(gap).then(pl.lit(c.name)).otherwise(pl.lit(None, dtype=pl.Utf8)))
    if not parts or df.height == 0:
        return df.with_columns(pl.lit([], dtype=pl.List(pl.Utf8)).alias("incomplete"))
    return df.with_columns(pl.concat_list(parts).list.drop_nulls().alias("incomplete"))


# --------------------------------------------------------------------------------------------
# Provision records (APPI Art 29; Rules Art 20, 28)
# --------------------------------------------------------------------------------------------


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
    by_provision = _item_names(
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
    return pl.concat([_item_names(pl.concat([explicit, defaults]), reg), plain])


def _provision_records(reg: Register, routes: Any) -> tuple[pl.DataFrame, Any, set[str]]:
    """(the provision records' outline, a function giving the provision records and their
    principals, record_ids excluded from disclosure).

    The records are built from the log's events (grouped once, for the checks too): a
    million-row log holds tens of thousands of events, and everything but the principals is
    decided per event. Item names, recipients and principals are added only when the records
    are output (`check` needs the outline alone).
    """
    spec = output_table("provision_records")
    prov = _provision_routes(reg, routes)
    events = (
        log_events(reg)
        .with_row_index("_ev")
        .filter(pl.col("provision_id").is_in(prov["provision_id"].implode()))
        .select(
            "_ev", "provision_id", "event_id", pl.col("on_min").alias("_on"),
            pl.col("on_max").alias("_on_last"), "recorded_on", "undated", "unrecorded",
            pl.col("items").alias("_items"),
            pl.col("default_items").alias("_default_items"),
        )
    )
    if events.height == 0:
        # A provision with no log events has no record (rules.md §2).
        return spec.empty().select(OUTLINE_COLUMNS), ProvisionTables(), set()
    events = events.join(
        prov.select("provision_id", "record_method"), on="provision_id", how="left"
    )
    each = pl.col("record_method") == "each"
    events = events.with_columns(
        pl.when(each)
        .then(pl.concat_str([pl.lit("P/"), pl.col("provision_id"), pl.lit("/"), pl.col("event_id")]))
        .otherwise(pl.concat_str([pl.lit("P/"), pl.col("provision_id")]))
        .alias("record_id")
    ).sort(["record_id", "_on", "event_id"], nulls_last=True)

    # Event IDs in date order (an event's rows share one date unless REF-005 fires). A date
    # computed from an empty or invalid one is empty, never guessed (japanese.md §7): for a
    # bulk or contract record, one undated event leaves its period and retention empty.
    undated, unrecorded = pl.col("undated").any(), pl.col("unrecorded").any()
    records = events.group_by("record_id", maintain_order=True).agg(
        pl.col("provision_id").first(),
        pl.col("event_id").alias("event_ids"),
        pl.when(undated).then(None).otherwise(pl.col("_on").min()).alias("provided_from"),
        pl.when(undated).then(None).otherwise(pl.col("_on_last").max()).alias("provided_to"),
        pl.when(unrecorded).then(None).otherwise(pl.col("recorded_on").max()).alias("recorded_on"),
    )
    records = records.join(
        prov.select("provision_id", "record_type", "record_method", "_excluded"),
        on="provision_id", how="left",
    ).with_columns(
        pl.when(each).then(pl.col("recorded_on")).otherwise(pl.col("provided_to"))
        .alias("_retention_base"),
        pl.col("record_method").replace_strict(RETENTION_YEARS, default=3, return_dtype=pl.Int32)
        .alias("_years"),
    )
    records = _with_retention(records, "_retention_base", "_years", "retain_until")
    records = records.sort(["provision_id", "provided_from", "record_id"], nulls_last=True)
    excluded = set(records.filter(pl.col("_excluded"))["record_id"].to_list())

    return records.select(OUTLINE_COLUMNS), ProvisionTables(reg, prov, events, records), excluded


class ProvisionTables:
    """The provision records beyond their outline, each part built on first use: the records
    with their items and recipients (`detail`), the principals and counts (`full`), or one
    principal's entries (`of_principal`, for a disclosure request: no million-row table)."""

    def __init__(self, reg: Register | None = None, prov: pl.DataFrame | None = None,
                 events: pl.DataFrame | None = None, records: pl.DataFrame | None = None) -> None:
        self._reg, self._prov, self._events, self._records = reg, prov, events, records

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
            .join(_party_frame(reg), left_on="recipient_id", right_on="party_id", how="left",
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
    def full(self) -> tuple[pl.DataFrame, pl.DataFrame]:
        """(provision_records with principal_count, provision_principals)."""
        pspec = output_table("provision_principals")
        if self._records is None:
            return self.detail, pspec.empty()
        order, ranked, coded, places = self._places
        given = places.is_not_null()
        principals, counts = _principal_rows(
            places.filter(given), coded["_rank"].filter(given), ranked, order
        )
        records = self.detail.join(counts, on="record_id", how="left", maintain_order="left")
        records = records.with_columns(
            # Person-related records name no principal (APPI Rules Art 28): count left empty.
            pl.when(pl.col("record_type") == PERSON_RELATED)
            .then(None)
            .otherwise(pl.col("_count").fill_null(0))
            .alias("principal_count")
        )
        kinds = _party_frame(self._reg).select("party_id", "_kind")
        records = records.join(kinds, left_on="recipient_id", right_on="party_id", how="left",
                               maintain_order="left")
        records = with_incomplete("provision_records", records, pl.col("_kind"))
        return output_table("provision_records").conform(records), pspec.conform(principals)

    def of_principal(self, principal_id: str) -> pl.DataFrame:
        """record_id, principal_id, principal_name for each record naming the principal, in
        record order (provision_principals filtered to one principal, without building it)."""
        pspec = output_table("provision_principals")
        if self._records is None:
            return pspec.empty()
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
    def _places(self) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame, pl.Series]:
        """(record order, ranked principals, coded principals, each coded pair's record place
        or null): each log event's place, looked up by position for its million principals."""
        order = self._records.select("record_id").with_row_index("_order")
        prov = self._prov
        person_related = prov.filter(pl.col("record_type") == PERSON_RELATED)["provision_id"]
        named = self._events.filter(
            ~pl.col("provision_id").is_in(person_related.implode())
        ).join(order, on="record_id", how="inner")
        ranked, coded = coded_log_principals(self._reg)
        places = pl.repeat(None, log_events(self._reg).height, dtype=pl.UInt32, eager=True)
        places = places.scatter(named["_ev"], named["_order"]).gather(coded["_ev"])
        return order, ranked, coded, places




# --------------------------------------------------------------------------------------------
# Confirmation records (APPI Art 30; Rules Art 24)
# --------------------------------------------------------------------------------------------


def _receipt_routes(routes: Any) -> pl.DataFrame:
    rows = [
        {
            "receipt_id": rid,
            "record_type": r.record_type,
            "_method": r.record_method or "each",
            "_provider": r.party_id,
            "_route_items": list(r.items),
        }
        for rid, r in sorted((routes.receipts if routes else {}).items())
        if r.record_type is not None
    ]
    schema = {
        "receipt_id": pl.Utf8, "record_type": pl.Utf8, "_method": pl.Utf8, "_provider": pl.Utf8,
        "_route_items": pl.List(pl.Utf8),
    }
    return pl.DataFrame(rows, schema=schema)


def _kleene_and(column: str) -> pl.Expr:
    """AND over a group: false if any false, empty if any empty, else true."""
    return pl.col(column).all(ignore_nulls=False)


def _confirmation_records(
    reg: Register, routes: Any
) -> tuple[pl.DataFrame, pl.DataFrame, set[str]]:
    spec = output_table("confirmation_records")
    pspec = output_table("confirmation_principals")
    rr = _receipt_routes(routes)
    receipts = reg["receipts"].frame.select(
        "receipt_id", "party_id", "received_on", "recorded_on", "principal_ids", "acquisition",
        "ppc_publication_checked", "consent", "disclosure_excluded",
    )
    bad_recorded = reg["receipts"].bad.get("recorded_on")
    if bad_recorded is not None:  # an invalid recorded_on is empty, not the receipt date
        receipts = receipts.with_columns(
            pl.when(bad_recorded).then(None).otherwise(pl.col("recorded_on")).alias("recorded_on")
        )
    rows = receipts.filter(pl.col("receipt_id").is_not_null()).unique(
        "receipt_id", keep="first", maintain_order=True
    ).join(rr, on="receipt_id", how="inner")
    if rows.height == 0:
        return spec.empty(), pspec.empty(), set()
    each = pl.col("record_method") == "each"
    rows = rows.with_columns(
        pl.col("_provider").fill_null(pl.col("party_id")).alias("provider_id"),
        pl.col("_method").alias("record_method"),
    ).with_columns(
        pl.when(each)
        .then(pl.concat_str([pl.lit("C/"), pl.col("receipt_id")]))
        .otherwise(
            pl.concat_str(
                [pl.lit("C/"), pl.col("provider_id"), pl.lit("/"), pl.col("record_type"),
                 pl.lit("/"), pl.col("record_method")]
            )
        )
        .alias("record_id")
    ).sort(["record_id", "received_on", "receipt_id"], nulls_last=True)

    rtype = pl.col("record_type").first()
    # A date computed from an empty or invalid one is empty (japanese.md §7).
    undated = pl.col("received_on").is_null().any()
    records = rows.group_by("record_id", maintain_order=True).agg(
        rtype,
        pl.col("receipt_id").alias("receipt_ids"),
        pl.col("record_method").first(),
        pl.col("provider_id").first(),
        pl.when(undated).then(None).otherwise(pl.col("received_on").min()).alias("received_from"),
        pl.when(undated).then(None).otherwise(pl.col("received_on").max()).alias("received_to"),
        # Differing texts are joined (rules.md §3); not part of a person-related record.
        pl.when(rtype == PERSON_RELATED).then(None).otherwise(
            pl.col("acquisition").drop_nulls().unique(maintain_order=True).str.join("; ")
        ).alias("acquisition"),
        pl.when(rtype == "opt_out").then(_kleene_and("ppc_publication_checked"))
        .otherwise(None).alias("ppc_publication_checked"),
        pl.when(rtype.is_in(["consent", PERSON_RELATED])).then(_kleene_and("consent"))
        .otherwise(None).alias("consent"),
        pl.when(pl.col("recorded_on").is_null().any()).then(None)
        .otherwise(pl.col("recorded_on").max()).alias("recorded_on"),
        (pl.col("disclosure_excluded") == True).any().alias("_excluded"),  # noqa: E712
    ).with_columns(
        pl.when(pl.col("acquisition") == "").then(None).otherwise(pl.col("acquisition"))
        .alias("acquisition")
    )
    names = _item_names(
        rows.select("record_id", pl.col("_route_items").alias("item_id")).explode("item_id"), reg
    )
    parties = _party_frame(reg)
    records = (
        records.join(parties, left_on="provider_id", right_on="party_id", how="left")
        .join(names, on="record_id", how="left")
        .with_columns(
            pl.col("_name").alias("provider_name"),
            pl.col("_address").alias("provider_address"),
            pl.col("_representative").alias("provider_representative"),
            pl.col("item_names").fill_null(pl.lit([], dtype=pl.List(pl.Utf8))),
            pl.when(pl.col("record_method") == "each").then(pl.col("recorded_on"))
            .otherwise(pl.col("received_to")).alias("_retention_base"),
            pl.col("record_method").replace_strict(RETENTION_YEARS, default=3, return_dtype=pl.Int32)
            .alias("_years"),
        )
    )
    records = _with_retention(records, "_retention_base", "_years", "retain_until")
    records = records.sort(["provider_id", "received_from", "record_id"], nulls_last=True)
    excluded = set(records.filter(pl.col("_excluded"))["record_id"].to_list())

    order = records.select("record_id").with_row_index("_order")
    pairs = (
        rows.select("record_id", pl.col("principal_ids").alias("principal_id"))
        .join(order, on="record_id", how="inner")
        .select("_order", "principal_id")
        .explode("principal_id")
        .drop_nulls("principal_id")
    )
    ranked, coded = _code_principals(pairs, reg)
    principals, counts = _principal_rows(coded["_order"], coded["_rank"], ranked, order)
    records = records.join(counts, on="record_id", how="left", maintain_order="left").with_columns(
        pl.col("_count").fill_null(0).alias("principal_count")
    )
    records = with_incomplete("confirmation_records", records, pl.col("_kind"))
    return spec.conform(records), pspec.conform(principals), excluded


# --------------------------------------------------------------------------------------------
# Flows without a record
# --------------------------------------------------------------------------------------------


def _exempt_flows(routes: Any) -> pl.DataFrame:
    spec = output_table("exempt_flows")
    rows = []
    for flow, table in (("provision", "provisions"), ("receipt", "receipts")):
        for fid, r in sorted(getattr(routes, table, {}).items() if routes else ()):
            if r.record_type is not None:
                continue
            rows.append(
                {
                    "flow": flow,
                    "flow_id": fid,
                    "party_id": r.party_id,
                    "basis": r.basis,
                    "reason": r.exempt_reason,
                }
            )
    # tags without a provision of their own, in table order (web.md §9)
    for tid, r in (getattr(routes, "tags", None) or {}).items():
        rows.append({"flow": "tag", "flow_id": tid, "party_id": r.party_id, "basis": None,
                     "reason": r.exempt_reason})
    return pl.DataFrame(rows, schema=spec.schema)


def derive(reg: Register, ctx: Any) -> Records:
    """The records of rules.md §3–§5 for every flow ctx.routes says needs one."""
    routes = getattr(ctx, "routes", None)
    outline, provision, prov_excluded = _provision_records(reg, routes)
    conf, conf_principals, conf_excluded = _confirmation_records(reg, routes)
    return Records(
        provision_outline=outline,
        confirmation_records=conf,
        confirmation_principals=conf_principals,
        exempt_flows=_exempt_flows(routes),
        provision=provision,
        disclosure_excluded=frozenset(prov_excluded | conf_excluded),
    )
