"""Typed columns (Parquet, a database) as the text cells every reader gives (docs/architecture.md).

A typed source holds dates as dates, yes/no as booleans and lists as arrays; a CSV export of
the same table holds their text. Both must go through the same validation and give the same
findings and records, so typed columns are written out as the CSV form would hold them: a date
as `YYYY-MM-DD`, a boolean as `true`/`false`, a list joined with `;` (or, when an entry itself
holds a separator, as its JSON array), a number as polars prints it. Cells are trimmed and an
empty text is an empty cell.
"""

from __future__ import annotations

import orjson
import polars as pl

from ..limits import current, over_bytes
from ..model import POINTER, ROW, InputError
from ..values import LIST_SEPARATORS


def text_columns(df: pl.DataFrame, display: str) -> pl.DataFrame:
    """Every column of `df` as text cells (null when empty), in the same order."""
    cols = []
    lists = []
    for name, dtype in df.schema.items():
        c = pl.col(name)
        if isinstance(dtype, pl.List | pl.Array):
            lists.append(name)
            c = c.cast(pl.List(pl.Utf8)).list.join(";")
        elif dtype == pl.Date:
            c = c.dt.strftime("%Y-%m-%d")
        elif dtype == pl.Boolean:
            c = pl.when(c).then(pl.lit("true")).when(~c).then(pl.lit("false"))
        else:
            c = c.cast(pl.Utf8)
        cols.append(c.str.strip_chars().replace("", None).alias(name))
    try:
        texts = df.select(cols)
        return _arrays_kept_whole(df, texts, lists)
    except Exception as exc:  # nested structs, binary columns: no text form
        raise InputError(
            display, f"has a column that is not text, number, date or list ({first_line(exc)})"
        ) from None


def with_origin(texts: pl.DataFrame, first_row: int = 2) -> pl.DataFrame:
    """`texts` with each row's origin: rows numbered from `first_row` (a table without lines
    numbers its rows as a sheet whose header is row 1), no JSON pointer."""
    return texts.with_columns(
        pl.int_range(first_row, first_row + texts.height, dtype=pl.Int64).alias(ROW),
        pl.lit(None, dtype=pl.Utf8).alias(POINTER),
    )


def text_bytes(df: pl.DataFrame) -> int:
    """The bytes of text the cells of `df` would make, counted on polars' views of the strings
    (a dictionary-encoded column shares one copy of each distinct value) before any cell is
    made into text of its own."""
    total = 0
    for name, dtype in df.schema.items():
        s = df[name]
        if isinstance(dtype, pl.List | pl.Array):
            s = s.explode() if isinstance(dtype, pl.List) else s.arr.explode()
            dtype = s.dtype
        if dtype == pl.Categorical or isinstance(dtype, pl.Enum):
            # from the categories, per value: the text itself is never made
            total += int(s.cat.len_bytes().cast(pl.UInt64).sum() or 0)
        elif dtype in (pl.Utf8, pl.Binary):
            total += int(s.cast(pl.Utf8).str.len_bytes().cast(pl.UInt64).sum() or 0)
        else:  # numbers, dates, booleans: a few characters each
            total += 24 * s.len()
    return total


def check_text(df: pl.DataFrame, display: str) -> None:
    """Refuse a table whose cells would make more text than --max-bytes."""
    total = text_bytes(df)
    if total > current().max_bytes:
        raise over_bytes(display, total, "holds text of")


def _arrays_kept_whole(df: pl.DataFrame, texts: pl.DataFrame, lists: list[str]) -> pl.DataFrame:
    """A list cell with an entry holding a separator (`["A1", "B;C"]`) as its JSON text, not
    joined: `;` would cut the entry into IDs (values.array_entries reads it entry by entry)."""
    if not lists:
        return texts
    pattern = f"[{LIST_SEPARATORS}]"
    for name in lists:
        entries = df[name].cast(pl.List(pl.Utf8))
        hit = entries.list.eval(pl.element().str.contains(pattern)).list.any().fill_null(False)
        if not bool(hit.any()):
            continue
        idx = hit.arg_true()
        whole = [orjson.dumps(v).decode() for v in entries.gather(idx).to_list()]
        texts = texts.with_columns(texts[name].scatter(idx, whole))
    return texts


def first_line(exc: BaseException) -> str:
    """The first line of an exception's text (a driver's message can run to pages)."""
    text = str(exc).strip()
    return (text.splitlines()[0] if text else type(exc).__name__)[:160]
