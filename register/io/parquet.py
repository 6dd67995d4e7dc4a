"""Reading a table exported as Parquet (what engineers' systems produce for big logs).

Parquet packs well, and a crafted file packs absurdly: ten million copies of one 6 KB string
fit in 24 KB (dictionary or prefix encoding), and turning them into text cells would take 60
GB. So what the file holds is measured before any text is made (docs/security.md, Memory):

- rows and columns from the footer, against --max-rows / --max-cells;
- the pages' unpacked size, from the footer, against --max-bytes (as a workbook's parts);
- the text the cells hold, against --max-bytes: counted by polars on its shared views of the
  strings, and for prefix-encoded (DELTA_BYTE_ARRAY) columns, whose decoding copies every
  value, by pyarrow streaming a thousand values at a time, before polars reads them.
"""

from __future__ import annotations

from pathlib import Path

import orjson
import polars as pl

from ..limits import check_file_size, check_table_size, current, over_bytes
from ..model import POINTER, ROW, InputError, Sheet
from ..values import LIST_SEPARATORS

# Values decoded at a time when a prefix-encoded column is measured.
SCAN_BATCH = 1024


def read_parquet(path: Path, display: str) -> Sheet:
    """A Parquet table as text columns. Parquet has no lines: rows are numbered as on a sheet
    whose header is row 1 (the first row is 2), as a CSV export of the table would number them."""
    check_file_size(path, display)
    try:
        _check_footer(path, display)
        df = pl.read_parquet(path)
        _check_text(df, display)
    except InputError:
        raise
    except Exception as exc:
        raise InputError(display, f"not a readable Parquet file ({_first_line(exc)})") from None
    cols = []
    lists = []
    for name, dtype in df.schema.items():
        c = pl.col(name)
        if dtype == pl.List(pl.Utf8) or isinstance(dtype, pl.List):
            lists.append(name)
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
        texts = _arrays_kept_whole(df, texts, lists)
    except Exception as exc:  # nested structs, binary columns: no text form
        raise InputError(display, f"has a column that is not text, number, date or list ({_first_line(exc)})") from None
    frame = texts.with_columns(
        pl.int_range(2, 2 + df.height, dtype=pl.Int64).alias(ROW),
        pl.lit(None, dtype=pl.Utf8).alias(POINTER),
    )
    return Sheet(name=path.stem, file=display, form="parquet", frame=frame, headers=headers)


def _check_footer(path: Path, display: str) -> None:
    """Rows, columns and unpacked size from the footer, before a page is decompressed; then
    the text of prefix-encoded columns, streamed."""
    import pyarrow.parquet as pq

    meta = pq.ParquetFile(path).metadata
    check_table_size(display, f"table {path.stem!r}", meta.num_rows, meta.num_columns)
    unpacked = 0
    prefixed: set[str] = set()
    for g in range(meta.num_row_groups):
        group = meta.row_group(g)
        for k in range(group.num_columns):
            chunk = group.column(k)
            unpacked += chunk.total_uncompressed_size
            if "DELTA_BYTE_ARRAY" in chunk.encodings:
                prefixed.add(chunk.path_in_schema.split(".")[0])
    if unpacked > current().max_bytes:
        raise over_bytes(display, unpacked, "unpacks to")
    if prefixed:
        _check_prefixed(path, display, sorted(prefixed))


def _check_prefixed(path: Path, display: str, columns: list[str]) -> None:
    """The text of prefix-encoded columns, a few values at a time: each value repeats most of
    the one before it, so the pages say nothing of the text they make."""
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    limit = current().max_bytes
    total = 0
    for batch in pq.ParquetFile(path).iter_batches(batch_size=SCAN_BATCH, columns=columns):
        for col in batch.columns:
            total += _arrow_text_bytes(col, pc)
        if total > limit:
            raise over_bytes(display, total, "holds text of at least")


def _arrow_text_bytes(col, pc) -> int:
    import pyarrow as pa

    if pa.types.is_list(col.type) or pa.types.is_large_list(col.type):
        col = pc.list_flatten(col)
    if pa.types.is_dictionary(col.type):
        lengths = pc.binary_length(col.dictionary)
        return int(pc.sum(pc.take(lengths, col.indices)).as_py() or 0)
    if pa.types.is_string(col.type) or pa.types.is_binary(col.type) or pa.types.is_large_string(col.type):
        return int(pc.sum(pc.binary_length(col)).as_py() or 0)
    return 0


def _check_text(df: pl.DataFrame, display: str) -> None:
    """The text the table's cells hold, against --max-bytes, counted on polars' views of the
    strings (a dictionary-encoded column shares one copy of each distinct value) before any
    cell is made into text of its own."""
    total = 0
    for name, dtype in df.schema.items():
        s = df[name]
        if isinstance(dtype, pl.List):
            s = s.explode()
            dtype = s.dtype
        if dtype == pl.Categorical or isinstance(dtype, pl.Enum):
            # from the categories, per value: the text itself is never made
            total += int(s.cat.len_bytes().cast(pl.UInt64).sum() or 0)
        elif dtype in (pl.Utf8, pl.Binary):
            total += int(s.cast(pl.Utf8).str.len_bytes().cast(pl.UInt64).sum() or 0)
        else:  # numbers, dates, booleans: a few characters each
            total += 24 * s.len()
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


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return (text.splitlines()[0] if text else type(exc).__name__)[:160]
