"""Reading a table exported as Parquet (what engineers' systems produce for big logs)."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from ..model import POINTER, ROW, InputError, Sheet


def read_parquet(path: Path, display: str) -> Sheet:
    """A Parquet table as text columns; rows are numbered from 1 (Parquet has no lines)."""
    try:
        df = pl.read_parquet(path)
    except Exception as exc:
        raise InputError(display, f"not a readable Parquet file ({str(exc)[:160]})") from None
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
    frame = df.select(cols).with_columns(
        pl.int_range(2, 2 + df.height, dtype=pl.Int64).alias(ROW),
        pl.lit(None, dtype=pl.Utf8).alias(POINTER),
    )
    return Sheet(name=path.stem, file=display, form="parquet", frame=frame, headers=headers)
