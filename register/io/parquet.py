"""Reading a table exported as Parquet (what engineers' systems produce for big logs)."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from ..limits import check_file_size, check_table_size
from ..model import POINTER, ROW, InputError, Sheet


def read_parquet(path: Path, display: str) -> Sheet:
    """A Parquet table as text columns. Parquet has no lines: rows are numbered as on a sheet
    whose header is row 1 (the first row is 2), as a CSV export of the table would number them."""
    check_file_size(path, display)
    try:
        # Rows and columns come from the footer: refuse before a page is decompressed.
        columns = len(pl.read_parquet_schema(path))
        rows = pl.scan_parquet(path).select(pl.len()).collect().item()
        check_table_size(display, f"table {path.stem!r}", rows, columns)
        df = pl.read_parquet(path)
    except InputError:
        raise
    except Exception as exc:
        raise InputError(display, f"not a readable Parquet file ({_first_line(exc)})") from None
    cols = []
    for name, dtype in df.schema.items():
        c = pl.col(name)
        if dtype == pl.List(pl.Utf8) or isinstance(dtype, pl.List):
            c = c.cast(pl.List(pl.Utf8)).list.join(";")
        elif dtype == pl.Date:
            c = c.dt.strftime("%Y-%m-%d")
        elif dtype == pl.Boolean:
            c = pl.when(c).then(pl.lit("true")).when(~c).then(pl.lit("false"))
        else:
            c = c.cast(pl.Utf8)
        cols.append(c.str.strip_chars().replace("", None).alias(name))
    headers = list(df.columns)
    try:
        texts = df.select(cols)
    except Exception as exc:  # nested structs, binary columns: no text form
        raise InputError(display, f"has a column that is not text, number, date or list ({_first_line(exc)})") from None
    frame = texts.with_columns(
        pl.int_range(2, 2 + df.height, dtype=pl.Int64).alias(ROW),
        pl.lit(None, dtype=pl.Utf8).alias(POINTER),
    )
    return Sheet(name=path.stem, file=display, form="parquet", frame=frame, headers=headers)


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return (text.splitlines()[0] if text else type(exc).__name__)[:160]
