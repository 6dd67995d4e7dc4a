"""Reading a folder of CSV (and Parquet) files, one per table.

Encodings are detected, not declared: UTF-8 (with or without BOM) first, then cp932, the
encoding Japanese Excel writes when it saves "CSV (comma delimited)".
"""

from __future__ import annotations

import csv
from pathlib import Path

import polars as pl

from .. import schema
from ..limits import check_file_size, current
from ..model import POINTER, ROW, InputError, Sheet
from .sheets import (
    HEADER_SEARCH_ROWS,
    check_sheet_limits,
    clean_headers,
    drop_empty_unnamed,
    find_header,
    frame_from_rows,
)

BOM = b"\xef\xbb\xbf"
# Below this many bytes the csv module reads the file (exact line numbers in every case);
# above it polars does, with line numbers computed when the file has no multi-line cells.
FAST_PATH_BYTES = 16 * 1024


def decode(data: bytes, display: str) -> tuple[str, str]:
    """(text, encoding name): UTF-8 with or without BOM, else cp932, else a clear error."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(
            display,
            "is UTF-16 text (Excel's 'Unicode text'), not CSV; save it from Excel as 'CSV UTF-8'",
        )
    if b"\x00" in data[:4096]:
        raise InputError(display, "holds NUL bytes: it is a binary file, not CSV text")
    if data.startswith(BOM):
        data = data[len(BOM) :]
        try:
            return data.decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError:
            raise InputError(display, "starts with a UTF-8 BOM but is not valid UTF-8") from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp932"), "cp932"
    except UnicodeDecodeError as exc:
        raise InputError(
            display,
            f"is neither UTF-8 nor cp932 (Shift_JIS) text (byte {exc.start}); "
            "save it from Excel as 'CSV UTF-8' or 'CSV (comma delimited)'",
        ) from None


def _lines(text: str):
    """The text's lines, lazily: the header search reads a few, not a copy of 40 MB."""
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        if end < 0:
            yield text[start:]
            return
        yield text[start : end + 1]
        start = end + 1


def read_csv_text(text: str, name: str, display: str, utf8: bytes | None = None) -> Sheet:
    """One CSV table from decoded text; rows numbered as lines (header line = its number).

    `utf8` is the same text as UTF-8 bytes when the file already was UTF-8, so that the fast
    path need not encode 40 MB again.
    """
    table = schema.match_table(name)
    # The csv module's own field limit (128 KiB) would fail with a less useful message.
    csv.field_size_limit(max(4 * current().max_cell_chars, csv.field_size_limit()))
    head_rows = []
    reader = csv.reader(_lines(text))
    try:
        for row in reader:
            head_rows.append([v if v.strip() else None for v in row])
            if len(head_rows) >= HEADER_SEARCH_ROWS:
                break
    except csv.Error as exc:
        raise _csv_error(exc, display, name, reader.line_num) from None
    h = find_header(head_rows, table)
    if h is None:
        frame = frame_from_rows([], [], [])
        return Sheet(name=name, file=display, form="csv", frame=frame, headers=[])
    headers = clean_headers(head_rows[h])
    if len(text) > FAST_PATH_BYTES:
        sheet = _read_fast(utf8 if utf8 is not None else text.encode("utf-8"), name, display, headers, h)
        if sheet is not None:
            return sheet
    body: list[list[str | None]] = []
    numbers: list[int | None] = []
    reader = csv.reader(_lines(text))
    try:
        for k, row in enumerate(reader):
            if k <= h:
                continue
            # line_num is the line the record ends on; a record starts after the previous one
            body.append([v if v.strip() else None for v in row])
            numbers.append(_start_line(reader.line_num, row))
    except csv.Error as exc:
        raise _csv_error(exc, display, name, reader.line_num) from None
    sheet = Sheet(
        name=name,
        file=display,
        form="csv",
        frame=frame_from_rows(headers, body, numbers),
        headers=headers,
        header_row=h + 1,
    )
    return drop_empty_unnamed(sheet)


def _csv_error(exc: csv.Error, display: str, name: str, line: int) -> InputError:
    if "field larger than field limit" in str(exc):
        return InputError(
            display,
            f"table {name!r} line {line} holds a cell of more than "
            f"{4 * current().max_cell_chars:,} characters, over the limit of "
            f"{current().max_cell_chars:,} for one cell; shorten it",
        )
    return InputError(display, f"is not valid CSV ({exc})")


def _start_line(end_line: int, row: list[str]) -> int:
    """The first line of a record that ends on end_line (cells may hold line breaks)."""
    return end_line - sum(v.count("\n") for v in row)


def _read_fast(data: bytes, name: str, display: str, headers: list[str], h: int) -> Sheet | None:
    """polars for big files; None (fall back) when line numbers would not be exact."""
    lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    try:
        df = pl.read_csv(
            data,
            has_header=False,
            skip_rows=h + 1,
            infer_schema=False,
            new_columns=headers,
            truncate_ragged_lines=True,
        )
    except (pl.exceptions.PolarsError, ValueError):
        return None  # the exact reader below gives the precise error or the right rows
    if df.height != lines - h - 1:
        return None  # blank lines or multi-line cells: row numbers need the exact reader
    # like the exact reader: a blank (whitespace-only) cell is empty, other text kept as is
    df = df.with_columns(
        [
            pl.when(pl.col(c).str.strip_chars() == "").then(None).otherwise(pl.col(c)).alias(c)
            for c in headers
        ]
    )
    df = df.with_columns(
        pl.int_range(h + 2, h + 2 + df.height, dtype=pl.Int64).alias(ROW),
        pl.lit(None, dtype=pl.Utf8).alias(POINTER),
    )
    nonempty = df.select(pl.any_horizontal([pl.col(c).is_not_null() for c in headers])).to_series()
    if not nonempty.all():
        df = df.filter(nonempty)
    sheet = Sheet(name=name, file=display, form="csv", frame=df, headers=headers, header_row=h + 1)
    return drop_empty_unnamed(sheet)


def read_folder(path: Path, display: str) -> tuple[list[Sheet], list[Path]]:
    """Every `<table>.csv` / `<table>.parquet` in the folder, and the files read."""
    files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in (".csv", ".parquet"))
    stems: dict[str, Path] = {}
    for p in files:
        key = schema.match_table(p.stem) or schema.fold(p.stem)
        if key in stems:
            raise InputError(
                f"{display.rstrip('/')}/{p.name}",
                f"table {p.stem!r} is given twice ({stems[key].name} and {p.name}); keep one",
            )
        stems[key] = p
    sheets = []
    for p in files:
        shown = f"{display.rstrip('/')}/{p.name}"
        if p.suffix.lower() == ".parquet":
            from .parquet import read_parquet

            sheets.append(check_sheet_limits(read_parquet(p, shown)))
            continue
        check_file_size(p, shown)
        data = p.read_bytes()
        text, enc = decode(data, shown)
        utf8 = None
        if enc != "cp932":
            utf8 = data[len(BOM) :] if enc == "utf-8-sig" else data
        sheets.append(check_sheet_limits(read_csv_text(text, p.stem, shown, utf8)))
    return sheets, files
