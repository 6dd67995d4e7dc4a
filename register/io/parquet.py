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

import polars as pl

from ..limits import check_file_size, check_table_size, current, over_bytes
from ..model import POINTER, ROW, InputError, Sheet
from .typed import check_text, first_line, text_columns, with_origin

# Values decoded at a time when a prefix-encoded column is measured.
SCAN_BATCH = 1024


def read_parquet(path: Path, display: str) -> Sheet:
    """A Parquet table as text columns. Parquet has no lines: rows are numbered as on a sheet
    whose header is row 1 (the first row is 2), as a CSV export of the table would number them."""
    df = _read_checked(path, display, path.stem)
    return Sheet(name=path.stem, file=display, form="parquet", frame=with_origin(text_columns(df, display)),
                 headers=list(df.columns))


def read_parts(folder: Path, display: str) -> Sheet:
    """A table given as a folder of Parquet parts (`provision_log/part-00000.parquet` …, as
    Spark, DuckDB or pyarrow datasets write a table): the parts in the order of their names,
    each numbering its rows from 2 as one file would, so that a finding names the part and its
    row. Every file in the folder must be a part: anything else would be data left unread.
    """
    name = folder.name
    files = part_files(folder, display)
    check_table_size(display, f"table {name!r}", _total_rows(files, display), 0)
    texts: list[pl.DataFrame] = []
    parts: list[tuple[str, int]] = []
    start = 0
    for p in files:
        shown = f"{display.rstrip('/')}/{p.name}"
        df = _read_checked(p, shown, name)
        parts.append((shown, start))
        texts.append(with_origin(text_columns(df, shown)))
        start += df.height
    headers: list[str] = []
    for t in texts:
        headers += [h for h in t.columns if h not in headers and h not in (ROW, POINTER)]
    frame = pl.concat(texts, how="diagonal").select([*headers, ROW, POINTER])
    sheet = Sheet(name=name, file=display, form="parquet", frame=frame, headers=headers,
                  parts=tuple(parts))
    check_table_size(display, f"table {name!r}", frame.height, len(headers))
    return sheet


def part_files(folder: Path, display: str) -> list[Path]:
    """The Parquet parts of a table folder, by name; anything else in it is refused (exit 2):
    a part in another form would be rows silently left out. Hidden files (`.crc` checksums,
    `.DS_Store`) and Spark's `_SUCCESS` marker are not data."""
    files: list[Path] = []
    for p in sorted(folder.iterdir(), key=lambda q: q.name):
        if p.name.startswith((".", "_")):
            continue
        if not (p.is_file() and p.suffix.lower() == ".parquet"):
            kind = "folder" if p.is_dir() else "file"
            raise InputError(
                f"{display.rstrip('/')}/{p.name}",
                f"is a {kind} in the table folder {folder.name!r}, which must hold only its "
                "Parquet parts (*.parquet); move it out of the folder",
            )
        files.append(p)
    if not files:
        raise InputError(display, f"is the folder of table {folder.name!r} but holds no Parquet part (*.parquet)")
    return files


def _total_rows(files: list[Path], display: str) -> int:
    """The rows of every part, from their footers."""
    import pyarrow.parquet as pq

    total = 0
    for p in files:
        try:
            total += pq.ParquetFile(p).metadata.num_rows
        except Exception as exc:
            raise InputError(f"{display.rstrip('/')}/{p.name}",
                             f"not a readable Parquet file ({first_line(exc)})") from None
    return total


def _read_checked(path: Path, display: str, name: str) -> pl.DataFrame:
    """One Parquet file, its size, footer and text measured against the limits first."""
    check_file_size(path, display)
    try:
        _check_footer(path, display, name)
        df = pl.read_parquet(path)
        check_text(df, display)
    except InputError:
        raise
    except Exception as exc:
        raise InputError(display, f"not a readable Parquet file ({first_line(exc)})") from None
    return df


def _check_footer(path: Path, display: str, name: str) -> None:
    """Rows, columns and unpacked size from the footer, before a page is decompressed; then
    the text of prefix-encoded columns, streamed."""
    import pyarrow.parquet as pq

    meta = pq.ParquetFile(path).metadata
    check_table_size(display, f"table {name!r}", meta.num_rows, meta.num_columns)
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
