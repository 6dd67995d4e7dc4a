"""Confirmation records (APPI Art 30; Rules Art 24): one per receipt (each) or per provider,
record type and method (bulk, contract), and their principals."""

from __future__ import annotations

from typing import Any

import polars as pl

from ..model import Register
from ..outputs import output_table
from .shared import (
    PERSON_RELATED,
    RETENTION_YEARS,
    code_principals,
    item_names,
    party_frame,
    principal_rows,
    with_incomplete,
    with_retention,
)


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


def build_confirmation_records(
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
    # A date computed from an empty or invalid one is empty (docs/japanese.md §7).
    undated = pl.col("received_on").is_null().any()
    records = rows.group_by("record_id", maintain_order=True).agg(
        rtype,
        pl.col("receipt_id").alias("receipt_ids"),
        pl.col("record_method").first(),
        pl.col("provider_id").first(),
        pl.when(undated).then(None).otherwise(pl.col("received_on").min()).alias("received_from"),
        pl.when(undated).then(None).otherwise(pl.col("received_on").max()).alias("received_to"),
        # Differing texts are joined (docs/routes-and-records.md §5); a person-related record
        # states no acquisition.
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
    names = item_names(
        rows.select("record_id", pl.col("_route_items").alias("item_id")).explode("item_id"), reg
    )
    parties = party_frame(reg)
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
    records = with_retention(records, "_retention_base", "_years", "retain_until")
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
    ranked, coded = code_principals(pairs, reg)
    principals, counts = principal_rows(coded["_order"], coded["_rank"], ranked, order,
                                        "confirmation_principals")
    records = records.join(counts, on="record_id", how="left", maintain_order="left").with_columns(
        pl.col("_count").fill_null(0).alias("principal_count")
    )
    records = with_incomplete("confirmation_records", records, pl.col("_kind"))
    return spec.conform(records), pspec.conform(principals.collect()), excluded
