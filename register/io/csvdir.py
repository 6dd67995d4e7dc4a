"""Reading a folder of CSV (and Parquet) files, one per table.

Encodings are detected, not declared: UTF-8 (with or without BOM) first, then cp932, the
encoding Japanese Excel writes when it saves "CSV (comma delimited)".
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import polars as pl

from .. import progress, schema
from ..limits import check_columns, check_file_size, current
from ..model import POINTER, ROW, InputError, Sheet
from .csvsafe import restore, restore_expr
from .sheets import (
    HEADER_SEARCH_ROWS,
    RowFrames,
    blank_to_null,
    check_sheet_limits,
    clean_headers,
    drop_empty_unnamed,
    find_header,
    frame_from_rows,
    is_placeholder,
)
from .stream import StreamSource, csv_source, is_log, parquet_source

BOM = b"\xef\xbb\xbf"
# Below this many bytes the csv module reads the file (exact line numbers in every case);
# above it polars does, with line numbers computed when the file has no multi-line cells.
FAST_PATH_BYTES = 16 * 1024
# How much of a big file is decoded to find its header row.
HEAD_BYTES = 256 * 1024


def decode(data: bytes, display: str) -> tuple[str, str]:
    """(text, encoding name): UTF-8 with or without BOM, else cp932, else a clear error."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(
            display,
            "is UTF-16 text (Excel's 'Unicode text'), not CSV; save it from Excel as 'CSV UTF-8'",
        )
    check_no_nul(data, display)
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


def check_no_nul(data: bytes, display: str) -> None:
    """Refuse a file holding a NUL byte anywhere: no text editor or spreadsheet writes one in
    CSV text, so it is a binary file (or a damaged one), however late the byte comes."""
    at = data.find(b"\x00")
    if at >= 0:
        line = data.count(b"\n", 0, at) + 1
        raise InputError(
            display, f"holds NUL bytes (the first on line {line:,}): it is a binary file, not CSV text"
        )


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


def _header(lines, name: str, display: str) -> tuple[int, list[str]] | None:
    """(index of the header row, headers) among the first rows, or None when none matches."""
    table = schema.match_table(name)
    # The csv module's own field limit (128 KiB) would fail with a less useful message.
    csv.field_size_limit(max(4 * current().max_cell_chars, csv.field_size_limit()))
    head_rows = []
    reader = csv.reader(lines)
    try:
        for row in reader:
            # restore: the `'` the writers put before a formula-like cell comes off (csvsafe.py)
            head_rows.append([w if (w := restore(v)).strip() else None for v in row])
            if len(head_rows) >= HEADER_SEARCH_ROWS:
                break
    except csv.Error as exc:
        raise _csv_error(exc, display, name, reader.line_num) from None
    h = find_header(head_rows, table)
    if h is None:
        return None
    # a header of millions of empty cells would make millions of columns (gigabytes)
    check_columns(display, f"table {name!r}", len(head_rows[h]))
    return h, clean_headers(head_rows[h])


def read_csv_text(text: str, name: str, display: str, fast: bool = True) -> Sheet:
    """One CSV table from decoded text; rows numbered as lines (header line = its number).

    `fast=False` skips polars (it already read these very bytes and could not keep the line
    numbers exact).
    """
    found = _header(_lines(text), name, display)
    if found is None:
        frame = frame_from_rows([], [], [])
        return Sheet(name=name, file=display, form="csv", frame=frame, headers=[])
    h, headers = found
    if fast and len(text) > FAST_PATH_BYTES:
        sheet = _read_fast(text.encode("utf-8"), name, display, headers, h)
        if sheet is not None:
            return sheet
    out = RowFrames(headers)
    # strict: a quoted cell left open at the end of the file, or text after a closing quote,
    # is broken quoting, not data (a lax reader would swallow every line after a stray `"`)
    reader = csv.reader(_lines(text), strict=True)
    ended = 0  # the line the last complete record ended on
    try:
        for k, row in enumerate(reader):
            ended = reader.line_num
            if k <= h:
                continue
            # line_num is the line the record ends on; a record starts after the previous one
            out.add(
                [w if (w := restore(v)).strip() else None for v in row],
                _start_line(reader.line_num, row),
            )
    except csv.Error as exc:
        problem = _quote_problem(text, ended + 1)
        if problem is not None:
            raise InputError(display, problem) from None
        raise _csv_error(exc, display, name, reader.line_num) from None
    sheet = Sheet(
        name=name,
        file=display,
        form="csv",
        frame=out.frame(),
        headers=headers,
        header_row=h + 1,
    )
    return drop_empty_unnamed(sheet)


def read_csv_bytes(data: bytes, name: str, display: str) -> Sheet:
    """One CSV file's table: big UTF-8 files straight to polars, the rest decoded first."""
    tried = len(data) > FAST_PATH_BYTES
    sheet = read_utf8_fast(data, name, display) if tried else None
    if sheet is None:
        text, enc = decode(data, display)
        sheet = read_csv_text(text, name, display, fast=not tried or enc == "cp932")
    return sheet


def read_utf8_fast(data: bytes, name: str, display: str) -> Sheet | None:
    """A big UTF-8 file read by polars straight from its bytes (polars checks the UTF-8; only
    the head is decoded here, to find the header). None when the file is not plain UTF-8 or
    its line numbers would not be exact: the caller then decodes it and reads it exactly.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data:
        return None  # decode() says what it is
    body = data[len(BOM) :] if data.startswith(BOM) else data
    head = body[:HEAD_BYTES]
    try:
        head_text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.reason != "unexpected end of data" or len(head) == len(body):
            return None  # not UTF-8 (cp932, say): decode() tells
        head_text = head[: exc.start].decode("utf-8")  # a character cut by the head's end
    # The header search reads HEADER_SEARCH_ROWS rows; a few more lines leave room for cells
    # with line breaks.
    lines = list(itertools.islice(_lines(head_text), 4 * HEADER_SEARCH_ROWS))
    if len(head) < len(body):
        if lines and not lines[-1].endswith("\n"):
            lines.pop()  # cut short by the head's end
        if len(lines) < HEADER_SEARCH_ROWS:
            return None  # very long lines: the exact reader finds the header
    found = _header(iter(lines), name, display)
    if found is None:
        return None
    h, headers = found
    return _read_fast(body, name, display, headers, h)


def over_cell_limit(exc: csv.Error) -> bool:
    """The csv module stopped at a cell longer than its field limit (set from the cell limit)."""
    return "field larger than field limit" in str(exc)


def _csv_error(exc: csv.Error, display: str, name: str, line: int) -> InputError:
    if over_cell_limit(exc):
        return InputError(
            display,
            f"table {name!r} line {line} holds a cell of more than "
            f"{4 * current().max_cell_chars:,} characters, over the limit of "
            f"{current().max_cell_chars:,} for one cell; shorten it",
        )
    return InputError(display, f"is not valid CSV ({exc})")


_UNQUOTED = re.compile(r"[^,\n]*")


def _quote_problem(text: str, line: int, first: int = 1, to_end: bool = True) -> str | None:
    """What is wrong with the quoting of the record that starts on `line`, naming the line of
    the quote that opened the cell; None when its quoting is sound.

    A quoted cell may hold line breaks, so only two things are certain: a quote that opens a
    cell and is never closed (it would take in every line to the end of the file), and text
    after a closing quote (`"ab"c`: a stray quote inside a quoted cell). A `"` inside an
    unquoted cell (`ab"c`) is an ordinary character, as Excel and every CSV reader take it.

    `first`: the file's line number of the text's first line (a streamed log's reader holds
    only the record). `to_end=False`: the text stops where the cell passed the cell limit,
    not at the file's end, so an unclosed quote is only known not to close within it.
    """
    shift = first - 1
    pos = 0
    for _ in range(line - 1):
        pos = text.find("\n", pos) + 1
        if pos == 0:
            return None
    n = len(text)
    while pos < n:
        if text[pos] != '"':  # an unquoted cell: to the next comma or line break
            pos = _UNQUOTED.match(text, pos).end()
        else:
            opened = line
            pos += 1
            while True:
                close = text.find('"', pos)
                if close < 0:
                    reach = ("is never closed, so every line after it" if to_end else
                             f"is not closed within {current().max_cell_chars:,} characters, the "
                             "limit for one cell, so the lines after it")
                    return (
                        f"line {opened + shift:,} opens a quoted cell (\") that {reach} would be "
                        "read as that one cell; remove the stray quote or close it"
                    )
                line += text.count("\n", pos, close)
                if text.startswith('"', close + 1):  # "" stands for one quote
                    pos = close + 2
                    continue
                pos = close + 1
                break
            if pos < n and text[pos] not in ",\r\n":
                return (
                    f"line {opened + shift:,} has a quoted cell (\") followed by more text "
                    f"after its closing quote (line {line + shift:,}); a quote inside a cell "
                    "must be doubled "
                    '("") and the cell quoted'
                )
        if pos >= n:
            return None
        if text[pos] == "\r":
            pos += 1
        if pos < n and text[pos] == "\n":
            return None  # the record ended: the csv module's complaint is not about quotes
        pos += 1  # the comma


def _start_line(end_line: int, row: list[str]) -> int:
    """The first line of a record that ends on end_line (cells may hold line breaks)."""
    return end_line - sum(v.count("\n") for v in row)


def _read_fast(data: bytes, name: str, display: str, headers: list[str], h: int) -> Sheet | None:
    """polars for big files; None (fall back) when line numbers would not be exact."""
    # Without a quote or a CR, every line is a row (polars keeps a blank line as an empty row):
    # only otherwise are the lines counted to be sure of it (30 ms at a million rows).
    plain = b'"' not in data and b"\r" not in data
    lines = None if plain else data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    # Up to the header's end, lines and rows are one when no quote joins lines (a lone CR there
    # was refused by the header search): polars then skips them as lines. skip_rows parses
    # them as rows, and the whole read with them on one thread: 30 ms more at a million rows.
    start = 0
    for _ in range(h + 1):
        start = data.find(b"\n", start) + 1 or len(data)
    by_lines = b'"' not in data[:start]
    try:
        df = pl.read_csv(
            io.BytesIO(data),  # (polars copies bytes first; a BytesIO it reads in place)
            has_header=False,
            **({"skip_lines": h + 1} if by_lines else {"skip_rows": h + 1}),
            infer_schema=False,
            new_columns=headers,
            truncate_ragged_lines=True,
        )
    except (pl.exceptions.PolarsError, ValueError):
        return None  # the exact reader below gives the precise error or the right rows
    if lines is not None and df.height != lines - h - 1:
        return None  # blank lines or multi-line cells: row numbers need the exact reader
    if b"'" in data:  # the `'` the writers put before a formula-like cell comes off (csvsafe.py)
        df = df.with_columns([restore_expr(pl.col(c)).alias(c) for c in headers])
    # Like the exact reader, a blank (whitespace-only) cell is empty. Named columns are left to
    # load.build_table, which skips the columns whose values prove they hold none (plain IDs,
    # ISO dates: most of a long log); placeholder-named ones are done here, because whether
    # they hold anything decides whether they are kept.
    named = [c for c in headers if not is_placeholder(c)]
    placeholders = [c for c in headers if is_placeholder(c)]
    if placeholders:
        df = df.with_columns([blank_to_null(pl.col(c)).alias(c) for c in placeholders])
    # One chunk a column (polars reads in many): every later whole-frame operation would
    # otherwise realign the chunks again.
    df = df.rechunk().with_columns(
        pl.int_range(h + 2, h + 2 + df.height, dtype=pl.Int64).alias(ROW),
        pl.lit(None, dtype=pl.Utf8).alias(POINTER),
    )
    # Rows with no cell at all are dropped (their numbers stay skipped); a column with no
    # empty cell (usually the key) proves there are none.
    if headers and min(df.null_count().row(0)[: len(headers)]) > 0:
        df = df.filter(pl.any_horizontal([pl.col(c).is_not_null() for c in headers]))
    sheet = Sheet(
        name=name, file=display, form="csv", frame=df, headers=headers, header_row=h + 1,
        unblanked=tuple(named),
    )
    return drop_empty_unnamed(sheet)


def read_folder(path: Path, display: str, stream: bool = False
                ) -> tuple[list[Sheet], list[Path], StreamSource | None]:
    """Every `<table>.csv`, `<table>.parquet` and `<table>/` folder of Parquet parts in the
    folder, the files read, and (with `stream`) a long provision log left to be read in
    batches (io/stream.py) instead of whole.

    Nothing in the folder is passed over in silence: a file or folder that is not a table
    becomes an unknown sheet (SCH-005 says it is ignored). Hidden entries (`.DS_Store`, `.git`,
    the scratch folders the writers leave) are not the register's.
    """
    base = display.rstrip("/")
    entries = sorted((p for p in path.iterdir() if not p.name.startswith(".")), key=lambda p: p.name)
    tables: list[Path] = []  # .csv / .parquet files and table folders
    unknown: list[Path] = []
    for p in entries:
        if p.is_dir():
            (tables if schema.match_table(p.name) is not None else unknown).append(p)
        elif p.is_file() and p.suffix.lower() in (".csv", ".parquet"):
            tables.append(p)
        else:
            unknown.append(p)
    stems: dict[str, Path] = {}
    for p in tables:
        stem = p.name if p.is_dir() else p.stem
        key = schema.match_table(stem) or schema.fold(stem)
        if key in stems:
            first, this = (_shown_name(q) for q in (stems[key], p))
            raise InputError(
                f"{base}/{p.name}",
                f"table {stem!r} is given twice ({first} and {this}); keep one",
            )
        stems[key] = p
    sheets = []
    files: list[Path] = []
    log: StreamSource | None = None
    reads: list[tuple[str, Future]] = []
    # The tables are read two at a time: polars reads a long table with the GIL released,
    # while the small ones are read beside it. Each is reported in folder order, so the first
    # table that cannot be read is the one named, as when they were read one by one.
    pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="register-read")
    try:
        with progress.task("Reading") as bar:
            for p in tables:
                shown = f"{base}/{p.name}"
                if stream and log is None and is_log(p.name if p.is_dir() else p.stem):
                    log = parquet_source(p, shown) if p.is_dir() or p.suffix.lower() == ".parquet" \
                        else csv_source(p, shown)
                    if log is not None:
                        files += log.files
                        continue
                reads.append((p.name, pool.submit(_read_table, p, shown)))
            for name, read in reads:
                bar.set_postfix_str(name)
                sheet, read_files = read.result()
                sheets.append(sheet)
                files += read_files
                bar.update(sheet.frame.height)
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
    # A database in the folder adds its tables: the long ones can live there while the officer
    # keeps the small ones as CSV. A SQLite file, or a `.url` file holding a PostgreSQL URL
    # (the company's database holding the log; the file holds no password, so the folder can
    # be kept in git). A table in the folder and a database, or in two databases, is given
    # twice: exit 2 (twice in one database, load() names both tables).
    #
    # A database's rows are shown as its file in the folder (`reg/ledger.url`, with the table
    # and row key), not as the URL: the file is what the officer can open and fix, as with the
    # SQLite file, and every error about the database names it too; the URL is in it.
    from .sqlsource import read_database, read_url_file

    try:
        for p in [q for q in unknown if q.is_file() and (_is_url_file(q) or _starts_sqlite(q))]:
            shown = f"{base}/{p.name}"
            source = read_url_file(p, shown) if _is_url_file(p) else str(p)
            if source is None:  # a shortcut to a web page: reported below as not a table
                continue
            unknown.remove(p)
            db_sheets, db_log = read_database(source, shown, stream and log is None)
            if db_log is not None:
                log = db_log  # (closed below if a table turns out to be given twice)
            for sh in [*db_sheets, *([db_log] if db_log is not None else [])]:
                key = schema.match_table(sh.name)
                if key is not None and stems.get(key, p) != p:
                    raise InputError(shown, f"table {sh.name!r} is given twice "
                                            f"({_shown_name(stems[key])} and {p.name}); keep one")
                if key is not None:
                    stems[key] = p
            sheets += db_sheets
            files.append(p)
    except BaseException:
        if log is not None:
            log.close()
        raise
    for p in unknown:
        sheets.append(
            Sheet(name=p.name, file=f"{base}/{p.name}", form="folder" if p.is_dir() else "file",
                  frame=frame_from_rows([], [], []), headers=[])
        )
    return sheets, files, log


def _read_table(p: Path, shown: str) -> tuple[Sheet, list[Path]]:
    """One table of the folder (a CSV or Parquet file, or a folder of Parquet parts) and the
    files read for it."""
    if p.is_dir():
        from .parquet import part_files, read_parts

        return check_sheet_limits(read_parts(p, shown)), part_files(p, shown)
    if p.suffix.lower() == ".parquet":
        from .parquet import read_parquet

        return check_sheet_limits(read_parquet(p, shown)), [p]
    check_file_size(p, shown)
    return check_sheet_limits(read_csv_bytes(p.read_bytes(), p.stem, shown)), [p]


def _is_url_file(p: Path) -> bool:
    return p.suffix.lower() == ".url"


def _starts_sqlite(p: Path) -> bool:
    """A SQLite database, by the 16 bytes every one starts with (a `Thumbs.db` is not one)."""
    from .sqlsource import SQLITE_MAGIC

    try:
        with open(p, "rb") as fh:
            return fh.read(16) == SQLITE_MAGIC
    except OSError:
        return False


def _shown_name(p: Path) -> str:
    return f"{p.name}/" if p.is_dir() else p.name
