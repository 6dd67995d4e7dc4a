"""What the record tables share: the wording a record states, what each must state, retention,
the parties, items and principals they name (docs/routes-and-records.md §4, §6)."""

from __future__ import annotations

import polars as pl

from ..facts.flows import cached, log_events
from ..idindex import IdIndex
from ..model import Register
from ..outputs import output_table
from ..parts import GatheredFrame
from ..values import add_years

# The record states the fact of provision to an unspecified large number of persons instead
# of a recipient (APPI Rules Art 20(1)(i)(ロ)). Record contents are data, the same in every
# --lang (only headers and sheet names are translated), so one wording is used.
UNSPECIFIED_PUBLIC_NAME = "unspecified large number of persons"


# docs/routes-and-records.md §4 gives the phrase in both languages; `--lang ja` outputs state
# it in Japanese.
UNSPECIFIED_PUBLIC_NAME_JA = "不特定かつ多数の者"


CONSENT_OBTAINED = "obtained"


FOREIGN_INFO_CONFIRMED = "foreign information confirmed"


# Years a record is kept, by record_method (docs/routes-and-records.md §6).
RETENTION_YEARS = {"each": 3, "bulk": 3, "contract": 1}


PERSON_RELATED = "person_related"


# What each record must state, by record type (docs/japanese.md §7; APPI Rules Art 20, 24, 28):
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


def with_retention(df: pl.DataFrame, base: str, years: str, out: str) -> pl.DataFrame:
    """Add `out` = add_years(df[base], df[years]), computed once per distinct (date, years)."""
    pairs = df.select(base, years)
    keys = pairs.unique().drop_nulls()
    values = [add_years(d, n) for d, n in keys.iter_rows()]
    keys = keys.with_columns(pl.Series(out, values, dtype=pl.Date))
    # (only the two key columns are joined: a join copies the whole frame it is given)
    found = pairs.join(keys, on=[base, years], how="left", nulls_equal=False,
                       maintain_order="left")[out]
    return df.with_columns(found)


def party_frame(reg: Register) -> pl.DataFrame:
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


def item_frame(reg: Register) -> tuple[pl.DataFrame, pl.Series]:
    """(item_id → name and sheet order, the IDs of my_number items)."""
    items = reg["data_items"].frame.with_row_index("_item_order")
    items = items.filter(pl.col("item_id").is_not_null()).unique(
        "item_id", keep="first", maintain_order=True
    )
    my_number = items.filter(pl.col("legal_class") == "my_number")["item_id"]
    return items.select("item_id", pl.col("name").alias("_item_name"), "_item_order"), my_number


def item_names(pairs: pl.DataFrame, reg: Register) -> pl.DataFrame:
    """(record_id, item_id) pairs → record_id, item_names (register order, no My Number items).

    An item missing from data_items (REF-002) is shown by its ID rather than dropped.
    """
    items, my_number = item_frame(reg)
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


def ranked_principals(reg: Register, extra: pl.Series | None = None) -> pl.DataFrame:
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


def code_principals(pairs: pl.DataFrame, reg: Register) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(the ranked principals, `pairs` with principal_id replaced by its _rank)."""
    ranked = ranked_principals(reg)
    # (a rank is a place in `ranked`: found by hash, idindex.py)
    rank = IdIndex(ranked["principal_id"]).positions(pairs["principal_id"])
    if rank.null_count():  # IDs no principals row holds (REF-002): rank them among the others
        ranked = ranked_principals(reg, pairs["principal_id"].filter(rank.is_null()))
        rank = IdIndex(ranked["principal_id"]).positions(pairs["principal_id"])
    return ranked, pairs.drop("principal_id").with_columns(rank.alias("_rank"))


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
        return code_principals(pairs, reg)

    return cached(reg, "coded_log_principals", build)


def principal_rows(
    place: pl.Series, rank: pl.Series, ranked: pl.DataFrame, order: pl.DataFrame, table: str
) -> tuple[GatheredFrame, pl.DataFrame]:
    """(record place, principal rank) pairs → (the principals table `table`, in record order
    then by ID; record_id → how many).

    The pairs of a long log are a million rows: they are ordered and made unique as integers
    (the record's place in `order`, the principal's rank by ID in `ranked`), and the table is
    given as those places and ranks beside the records' IDs and the principals' IDs and names
    (a GatheredFrame): its text is gathered only when it is asked for, and a CSV writer
    renders each record and principal once.
    """
    # One 64-bit key (place, rank) sorts faster than two columns; repeats end up adjacent.
    shift = 1 << 32
    key = place.cast(pl.UInt64) * shift + rank.cast(pl.UInt64)
    key = key.sort()
    key = key.filter((key != key.shift(1)).fill_null(True))
    place = (key // shift).cast(pl.UInt32).alias("_order")
    rank = (key % shift).cast(pl.UInt32)
    sources = (order.select("record_id"), ranked.select("principal_id", "principal_name"))
    principals = GatheredFrame(output_table(table).empty(), key.len(), sources,
                               lambda: iter([(place, rank)]))
    # (the places are sorted: a record's count is the length of its run, not a hash count)
    runs = place.rle()
    counts = pl.DataFrame({
        "record_id": order["record_id"].gather(runs.struct.field("value")),
        "_count": runs.struct.field("len").cast(pl.Int64),
    })
    return principals, counts


def is_empty(column: str, dtype: pl.DataType) -> pl.Expr:
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
    order (docs/japanese.md §7). `kind` is the counterparty's kind; one whole-column pass."""
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
        gap = need & is_empty(c.name, df.schema[c.name])
        parts.append(pl.when(gap).then(pl.lit(c.name)).otherwise(pl.lit(None, dtype=pl.Utf8)))
    if not parts or df.height == 0:
        return df.with_columns(pl.lit([], dtype=pl.List(pl.Utf8)).alias("incomplete"))
    return df.with_columns(pl.concat_list(parts).list.drop_nulls().alias("incomplete"))
