"""The records about one principal, for a disclosure request (APPI Art 33(5); product.md).

Every provision and confirmation record that names the principal — not person-related records
(they name no principal), not flows without a record, not records marked disclosure_excluded
(Cabinet Order Art 11) — each showing only the requester's own entry: no other principal's ID
or name, and no principal_count. The principals tables are filtered first, so a request is
fast however long the log is.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl

from .export import (
    dump_json,
    json_rows,
    records_of,
    register_inputs,
    text_frame,
    write_csv_file,
    write_xlsx,
)
from .io.atomic import atomic_file, refuse_overwriting_inputs
from .model import InputError
from .outputs import OutColumn, disclosure_columns, output_table
from .records import PERSON_RELATED, Records

SUFFIXES = {".xlsx": "xlsx", ".csv": "csv", ".json": "json"}
KINDS = (
    ("provision", "provision_records", "provision_principals"),
    ("confirmation", "confirmation_records", "confirmation_principals"),
)
_HIDDEN = ("principal_count",)  # a count would reveal that others share the record


def disclosure_columns_of(records_table: str, principals_table: str) -> list[OutColumn]:
    """record_id, principal_id, principal_name, then the record's other columns."""
    rec = output_table(records_table)
    who = output_table(principals_table)
    return (
        [rec.column("record_id"), who.column("principal_id"), who.column("principal_name")]
        + [c for c in rec.columns if c.name not in ("record_id", *_HIDDEN)]
    )


def _normalise(principal_id: str) -> str:
    from .values import normalize_id

    try:
        return normalize_id(principal_id) or principal_id
    except Exception:  # an ID we cannot normalise is looked up as given
        return principal_id


def disclosure_frames(records: Records, principal_id: str) -> dict[str, pl.DataFrame]:
    """kind → the records about the principal, each with only that principal's entry."""
    out: dict[str, pl.DataFrame] = {}
    for kind, rec_name, who_name in KINDS:
        columns = disclosure_columns_of(rec_name, who_name)
        # principal_count is hidden, so the records need not be counted
        mine = (
            records.entries_of(who_name, principal_id)
            .unique("record_id", keep="first", maintain_order=True)
            .select("record_id", "principal_id", "principal_name")
        )
        rec = records.uncounted(rec_name).drop("principal_id", "principal_name", strict=False)
        df = (
            rec.join(mine, on="record_id", how="inner", maintain_order="left")
            .filter(pl.col("record_type") != PERSON_RELATED)
            .filter(~pl.col("record_id").is_in(sorted(records.disclosure_excluded)))
        )
        out[kind] = df.select([c.name for c in columns])
    return out


def write_disclosure(analysis: Any, principal_id: str, out: Path, lang: str = "en") -> Path:
    """Write the principal's records to `out` (.xlsx, .csv or .json by its suffix)."""
    out = Path(out)
    fmt = SUFFIXES.get(out.suffix.lower())
    if fmt is None:
        raise InputError(str(out), "unsupported output type; give a .xlsx, .csv or .json file")
    refuse_overwriting_inputs([out], register_inputs(analysis))
    pid = _normalise(principal_id)
    frames = disclosure_frames(records_of(analysis), pid)
    columns = {kind: disclosure_columns_of(r, w) for kind, r, w in KINDS}
    with atomic_file(out) as tmp:
        if fmt == "json":
            dump_json(
                tmp,
                {
                    "principal_id": pid,
                    "provision_records": json_rows(frames["provision"]),
                    "confirmation_records": json_rows(frames["confirmation"]),
                },
            )
        elif fmt == "csv":
            _write_csv(tmp, frames, columns, lang)
        else:
            write_xlsx(
                tmp,
                [
                    (output_table(r).label(lang), columns[kind], frames[kind])
                    for kind, r, _ in KINDS
                ],
                lang,
            )
    return out


def _write_csv(
    path: Path, frames: dict[str, pl.DataFrame], columns: dict[str, list[OutColumn]], lang: str
) -> None:
    """One file: record_kind, then the union of both tables' columns (first-seen order)."""
    kind_col = next(c for c in disclosure_columns() if c.name == "record_kind")
    union: list[OutColumn] = [kind_col]
    for kind, _, _ in KINDS:
        for c in columns[kind]:
            if c.name not in {u.name for u in union}:
                union.append(c)
    parts = []
    for kind, _, _ in KINDS:
        text = text_frame(frames[kind], columns[kind], neutralise=True)
        parts.append(text.with_columns(pl.lit(kind).alias("record_kind")))
    schema = {c.name: pl.Utf8 for c in union}
    body = pl.concat([pl.DataFrame(schema=schema), *parts], how="diagonal").select(
        [c.name for c in union]
    )
    write_csv_file(path, body.rename({c.name: c.label(lang) for c in union}))
