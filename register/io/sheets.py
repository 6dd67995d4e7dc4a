"""What every reader shares: finding the header row and building a text frame with origins."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from .. import schema
from ..model import POINTER, ROW, Sheet
from ..values import PY_WHITESPACE

# Title rows above the header are allowed (model.md); we look this far down for it.
HEADER_SEARCH_ROWS = 30

# Sheets our own template adds for people; they are not data.
GUIDE_SHEETS = {schema.fold("guide"), schema.fold("記入ガイド")}


def find_header(rows: Sequence[Sequence[str | None]], table: str | None) -> int | None:
    """The 0-based index of the header row: the row naming most of the table's known columns.

    For an unknown table (or no match at all) the first non-empty row.
    """
    best, best_hits = None, 0
    if table is not None:
        index = schema.table(table).header_index
        for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
            hits = sum(1 for v in row if v is not None and schema.fold(v) in index)
            if hits > best_hits:
                best, best_hits = i, hits
    if best is not None:
        return best
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if any(v is not None for v in row):
            return i
    return None


def clean_headers(header: Sequence[str | None]) -> list[str]:
    """Headers as written (trimmed); empty header cells get a visible placeholder name."""
    out: list[str] = []
    seen: set[str] = set()
    for j, h in enumerate(header):
        name = h.strip() if h is not None and h.strip() else f"(column {j + 1})"
        if name in seen:  # a repeated header is kept as an extra column, not merged
            name = f"{name} ({j + 1})"
        seen.add(name)
        out.append(name)
    return out


def frame_from_rows(
    headers: list[str],
    body: Sequence[Sequence[str | None]],
    row_numbers: Sequence[int | None],
    pointers: Sequence[str | None] | None = None,
) -> pl.DataFrame:
    """A text frame, one column per header, with each row's origin; empty rows dropped."""
    width = len(headers)
    cols: list[list[str | None]] = [[] for _ in range(width)]
    rows_out: list[int | None] = []
    ptr_out: list[str | None] = []
    for k, row in enumerate(body):
        if not any(v is not None for v in row):
            continue  # blank rows carry nothing (their numbers stay skipped)
        for j in range(width):
            cols[j].append(row[j] if j < len(row) else None)
        rows_out.append(row_numbers[k])
        ptr_out.append(pointers[k] if pointers is not None else None)
    data: dict[str, pl.Series] = {}
    for j, h in enumerate(headers):
        data[h] = pl.Series(h, cols[j], dtype=pl.Utf8)
    data[ROW] = pl.Series(ROW, rows_out, dtype=pl.Int64)
    data[POINTER] = pl.Series(POINTER, ptr_out, dtype=pl.Utf8)
    return pl.DataFrame(data)


# Rows are turned into a frame this many at a time (RowFrames): a long table is never held as
# Python lists of all its cells, only as one chunk of them and the frame.
CHUNK_ROWS = 65_536


class RowFrames:
    """A text frame built from rows as they are read, CHUNK_ROWS rows at a time."""

    def __init__(self, headers: list[str]):
        self.headers = headers
        self.frames: list[pl.DataFrame] = []
        self.body: list[Sequence[str | None]] = []
        self.numbers: list[int | None] = []
        self.pointers: list[str | None] = []

    def add(self, row: Sequence[str | None], number: int | None, pointer: str | None = None) -> None:
        self.body.append(row)
        self.numbers.append(number)
        self.pointers.append(pointer)
        if len(self.body) >= CHUNK_ROWS:
            self._flush()

    def _flush(self) -> None:
        self.frames.append(frame_from_rows(self.headers, self.body, self.numbers, self.pointers))
        self.body, self.numbers, self.pointers = [], [], []

    def frame(self) -> pl.DataFrame:
        """Every row added (blank ones dropped), in order."""
        if self.body or not self.frames:
            self._flush()
        return pl.concat(self.frames) if len(self.frames) > 1 else self.frames[0]


def is_placeholder(header: str) -> bool:
    """The name clean_headers gives a column without a header."""
    return header.startswith("(column ")


def blank_to_null(cells: pl.Expr) -> pl.Expr:
    """A text column with its blank cells (only what str.strip() removes) made empty."""
    return pl.when(cells.str.strip_chars(PY_WHITESPACE) == "").then(None).otherwise(cells)


def drop_empty_unnamed(sheet: Sheet) -> Sheet:
    """Drop placeholder-named columns that hold nothing (Excel's trailing empty columns)."""
    keep = [
        h
        for h in sheet.headers
        if not (is_placeholder(h) and sheet.frame[h].null_count() == sheet.frame.height)
    ]
    if len(keep) == len(sheet.headers):
        return sheet
    sheet.frame = sheet.frame.select([*keep, ROW, POINTER])
    sheet.headers = keep
    return sheet


def check_sheet_limits(sheet: Sheet) -> Sheet:
    """Refuse a table over --max-rows / --max-cells, or holding a cell over the cell limit."""
    from ..limits import check_table_size

    where = f"sheet {sheet.name!r}" if sheet.form == "xlsx" else f"table {sheet.name!r}"
    check_table_size(sheet.file, where, sheet.frame.height, len(sheet.headers))
    return check_cells(sheet)


def check_cells(sheet: Sheet) -> Sheet:
    """Refuse a table (or a batch of a streamed one) holding a cell over the cell limit."""
    from ..limits import cell_too_long, current

    where = f"sheet {sheet.name!r}" if sheet.form == "xlsx" else f"table {sheet.name!r}"
    if not sheet.headers or sheet.frame.height == 0:
        return sheet
    limit = current().max_cell_chars
    # One vectorised pass: the longest cell of each column (text columns only). Bytes are
    # counted first (no decoding): a cell has no more characters than bytes.
    widest = sheet.frame.select(
        [pl.col(h).str.len_bytes().max().alias(h) for h in sheet.headers]
    ).row(0)
    if all(n is None or n <= limit for n in widest):
        return sheet
    longest = sheet.frame.select(
        [pl.col(h).str.len_chars().max().alias(h) for h in sheet.headers]
    ).row(0)
    for j, n in enumerate(longest):
        if n is not None and n > limit:
            h = sheet.headers[j]
            i = sheet.frame[h].str.len_chars().arg_max()
            row = sheet.frame[ROW][i] if i is not None else None
            ptr = sheet.frame[POINTER][i] if i is not None else None
            if sheet.form == "xlsx" and row is not None:
                cell = f"{where} row {row}, column {h!r}"
            elif ptr is not None:
                cell = f"{ptr}/{h}"
            elif row is not None:
                cell = f"{where} line {row}, column {h!r}"
            else:
                cell = f"{where} column {h!r}"
            raise cell_too_long(sheet.file, cell, n)
    return sheet
