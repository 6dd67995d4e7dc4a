"""Writing a register in its three forms: a JSON document, an .xlsx workbook, a CSV folder.

The writers take tables as columns of typed values (what the loader normalised) plus, cell by
cell, the text as given where a value did not parse: a register is written back without loss,
normalised where it could be. They never trim or alter text, with one reversible exception:
a CSV text cell a spreadsheet could run as a formula gets a leading `'` (`csvsafe.py`), which
the CSV reader takes off again, so a CSV folder reads back to the same values.
Every output is written through `atomic.py`, so a failure or a kill leaves the old output (or
nothing), and no temporary file anywhere.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import gc
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import polars as pl

from .atomic import OutputError, atomic_dir, atomic_file
from .csvsafe import neutralise, neutralise_expr

# Value kinds a writer distinguishes (the schema's id / enum / country / corporate_number
# columns are text once normalised).
TEXT, DATE, BOOL, INT, LIST = "text", "date", "bool", "int", "ids"

LIST_SEPARATOR = ";"
XLSX_MAX_DATA_ROWS = 1_048_575  # 1,048,576 rows per sheet, one of them the header
XLSX_MAX_TEXT = 32_767  # characters per cell
XLSX_SHEET_NAME_MAX = 31
# Excel's date system cannot show dates before 1900-03-01 correctly (the 1900 leap-year bug):
# those are written as ISO text, which the loader reads back as the same date.
XLSX_FIRST_DATE = dt.date(1900, 3, 1)
# Fixed document properties: no wall-clock time in any output (xlsxwriter already fixes the
# zip entries' times).
FIXED_CREATED = dt.datetime(2000, 1, 1)
DATE_FORMAT = "yyyy-mm-dd"


@dataclass(frozen=True)
class ColumnValues:
    """One column to write: typed values, and the verbatim text where a value is invalid."""

    header: str
    kind: str  # text | date | bool | int | ids
    values: pl.Series  # typed (Utf8, Date, Boolean, Int64, List(Utf8)); null = empty or invalid
    verbatim: pl.Series | None = None  # Utf8: the text as given where invalid, else null


@dataclass(frozen=True)
class TableValues:
    """One table (sheet / CSV file / JSON member) to write."""

    name: str
    columns: tuple[ColumnValues, ...]
    height: int
    single_row: bool = False  # `organization`: a JSON object when it has exactly one row


def _cells(col: ColumnValues) -> Iterator[Any]:
    """Each cell as a Python value: the verbatim text where invalid, else the typed value."""
    values = col.values.to_list()
    if col.verbatim is None or col.verbatim.null_count() == col.verbatim.len():
        yield from values
        return
    for v, t in zip(values, col.verbatim.to_list(), strict=True):
        yield t if t is not None else v


def _json_cells(col: ColumnValues) -> list[Any]:
    """A column as JSON values: ISO dates, arrays, booleans, numbers; verbatim text if invalid."""
    s = col.values
    if col.kind == DATE:
        s = s.dt.strftime("%Y-%m-%d")
    elif col.kind == LIST:
        s = pl.select(pl.when(s.list.len() > 0).then(s).otherwise(None)).to_series()
    values = s.to_list()
    if col.verbatim is not None and col.verbatim.null_count() < col.verbatim.len():
        values = [t if t is not None else v for v, t in zip(values, col.verbatim.to_list(), strict=True)]
    return values


def json_bytes(tables: Sequence[TableValues]) -> bytes:
    """The register as one JSON document: empty cells omitted, types as JSON types."""
    doc: dict[str, Any] = {}
    # Millions of small dicts: the cyclic GC only slows their building down (performance.md).
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        for t in tables:
            names = [c.header for c in t.columns]
            columns = [_json_cells(c) for c in t.columns]
            rows = [
                {k: v for k, v in zip(names, values, strict=True) if v is not None}
                for values in zip(*columns, strict=True)
            ] if columns else [{} for _ in range(t.height)]
            doc[t.name] = rows[0] if t.single_row and len(rows) == 1 else rows
        return orjson.dumps(doc, option=orjson.OPT_INDENT_2) + b"\n"
    finally:
        if gc_was_enabled:
            gc.enable()


def write_json(tables: Sequence[TableValues], path: Path) -> Path:
    """Write the register as a JSON document (UTF-8), atomically."""
    data = json_bytes(tables)
    with atomic_file(path) as tmp:
        tmp.write_bytes(data)
    return path


def _text_column(col: ColumnValues) -> pl.Series:
    """A column as CSV text: ISO dates, true/false, lists joined with ';'; verbatim if invalid.

    Text that a spreadsheet could run as a formula is neutralised (csvsafe.py); an int
    column's numbers stay numbers (`-5` is no formula), only its verbatim text is neutralised.
    """
    s = col.values
    if col.kind == DATE:
        out = s.dt.strftime("%Y-%m-%d")
    elif col.kind == BOOL:
        out = pl.select(
            pl.when(s).then(pl.lit("true")).when(~s).then(pl.lit("false")).otherwise(None)
        ).to_series()
    elif col.kind == LIST:
        out = s.list.join(LIST_SEPARATOR).replace("", None)
    else:
        out = s.cast(pl.Utf8)
    verbatim = col.verbatim
    if col.kind == INT:
        if verbatim is not None:
            verbatim = pl.select(neutralise_expr(pl.lit(verbatim))).to_series()
    if verbatim is not None:
        out = pl.select(pl.coalesce(verbatim, out)).to_series()
    if col.kind != INT:
        out = pl.select(neutralise_expr(pl.lit(out))).to_series()
    return out.alias(col.header)


def safe_file_stem(name: str) -> str:
    """A table name usable as a file name in any folder (no separators, no control chars)."""
    stem = re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", name).strip().strip(".")
    return stem or "_"


def write_csv_folder(tables: Sequence[TableValues], path: Path) -> Path:
    """Write `<table>.csv` per table (UTF-8 with BOM); the folder is replaced as a whole.

    An existing folder is replaced only when it holds nothing but table files
    (atomic.table_files_only); a folder with anything else in it is refused, untouched.
    """
    used: set[str] = set()
    with atomic_dir(path) as tmp:
        for t in tables:
            stem = _unique(safe_file_stem(t.name), used, casefold=True)
            target = tmp / f"{stem}.csv"
            headers = [neutralise(c.header) for c in t.columns]
            if not t.columns:
                target.write_bytes(b"\xef\xbb\xbf")
                continue
            frame = pl.DataFrame([_text_column(c) for c in t.columns]) if t.height else None
            if frame is None:
                # polars names columns by unique names only; the header row alone is plain csv
                with target.open("w", encoding="utf-8-sig", newline="") as fh:
                    csv.writer(fh).writerow(headers)
                continue
            _write_csv_frame(frame, headers, target)
    return path


def _write_csv_frame(frame: pl.DataFrame, headers: list[str], target: Path) -> None:
    # polars writes a million rows in well under a second (docs/performance.md); it quotes only
    # what needs quoting, so the text stays exactly as given. It writes to a file object: the
    # path may hold bytes that are not UTF-8, which polars cannot take as a name.
    frame = frame.rename(dict(zip(frame.columns, headers, strict=True)))
    with target.open("wb") as fh:
        frame.write_csv(fh, include_bom=True, include_header=True, quote_style="necessary")


def _unique(name: str, used: set[str], casefold: bool = False, limit: int | None = None) -> str:
    """`name`, or `name (2)`, `name (3)` … so that no two outputs collide."""
    base = name[:limit] if limit else name
    candidate, k = base, 1
    while (candidate.casefold() if casefold else candidate) in used:
        k += 1
        suffix = f" ({k})"
        candidate = (base[: limit - len(suffix)] if limit else base) + suffix
    used.add(candidate.casefold() if casefold else candidate)
    return candidate


def safe_sheet_name(name: str) -> str:
    """A name Excel accepts for a sheet: no []:*?/\\, not quoted, at most 31 characters."""
    s = re.sub(r"[\[\]:*?/\\]", "_", name).strip("'")
    return (s or "_")[:XLSX_SHEET_NAME_MAX]


def write_xlsx(tables: Sequence[TableValues], path: Path) -> Path:
    """Write one sheet per table: text as text cells (never formulas), dates as real dates."""
    import xlsxwriter
    import xlsxwriter.xmlwriter

    # A literal `_xHHHH_` in a cell must be written with its `_` escaped (`_x005F_`), or Excel
    # and calamine read it as the character HHHH. XlsxWriter escapes one match at a time, so
    # in `_x005F_x0041_` the second `_` (inside the first match) stays bare and the text
    # reads back as `_x005FA`: escape every `_` that starts such a sequence instead.
    xlsxwriter.xmlwriter.re_control_chars_1 = re.compile(r"(_)(?=x[0-9a-fA-F]{4}_)")

    for t in tables:
        if t.height > XLSX_MAX_DATA_ROWS:
            raise OutputError(
                str(path),
                f"table {t.name!r} has {t.height:,} rows; an .xlsx sheet holds at most "
                f"{XLSX_MAX_DATA_ROWS:,}: write a CSV folder or a .json document instead",
            )
    with atomic_file(path) as tmp:
        wb = xlsxwriter.Workbook(
            str(tmp),
            {
                # Rows are written in order; this keeps memory flat for long logs. Its
                # temporary files (one a sheet, every cell) go in the scratch folder, which
                # goes whatever happens (atomic.py).
                "constant_memory": True,
                "tmpdir": str(tmp.parent),
                # Strings stay strings: nothing a cell holds becomes a formula, URL or number.
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
            },
        )
        wb.set_properties({"created": FIXED_CREATED})
        header_fmt = wb.add_format({"bold": True})
        date_fmt = wb.add_format({"num_format": DATE_FORMAT})
        used: set[str] = set()
        with xlsxwriter_closed(wb):
            for t in tables:
                name = _unique(safe_sheet_name(t.name), used, casefold=True, limit=XLSX_SHEET_NAME_MAX)
                ws = wb.add_worksheet(name)
                _write_sheet(ws, t, header_fmt, date_fmt, path)
    return path


@contextlib.contextmanager
def xlsxwriter_closed(wb: Any) -> Iterator[None]:
    """Close an XlsxWriter workbook when the block succeeds (that writes the file); when it
    fails, only release its temporary files' handles: the half-built workbook is dropped with
    the scratch folder. XlsxWriter wraps an OSError while saving in its own FileCreateError:
    the OSError is raised as itself, so a full disk reads as the output not being written.
    """
    from xlsxwriter.exceptions import FileCreateError

    try:
        yield
    except BaseException:
        wb.fileclosed = True  # never written now, not even by a later close()
        for ws in wb.worksheets():
            with contextlib.suppress(Exception):
                ws._opt_close()
        raise
    try:
        wb.close()
    except FileCreateError as exc:
        cause = exc.args[0] if exc.args else None
        if isinstance(cause, OSError):
            raise cause from None
        raise


def _write_sheet(ws: Any, t: TableValues, header_fmt: Any, date_fmt: Any, path: Path) -> None:
    for j, c in enumerate(t.columns):
        ws.write_string(0, j, c.header, header_fmt)
        ws.set_column(j, j, 12 if c.kind != TEXT else 20, date_fmt if c.kind == DATE else None)
    ws.freeze_panes(1, 0)
    columns = [(c.kind, list(_cells(c))) for c in t.columns]
    for i in range(t.height):
        r = i + 1
        for j, (kind, cells) in enumerate(columns):
            v = cells[i]
            if v is None:
                continue
            if isinstance(v, str):
                if len(v) > XLSX_MAX_TEXT:
                    raise OutputError(
                        str(path),
                        f"a cell of {t.name!r} (row {r + 1}, column {t.columns[j].header!r}) "
                        f"holds {len(v):,} characters; an .xlsx cell holds at most "
                        f"{XLSX_MAX_TEXT:,}: write a CSV folder or a .json document instead",
                    )
                ws.write_string(r, j, v)
            elif kind == DATE:
                if v >= XLSX_FIRST_DATE:
                    ws.write_datetime(r, j, dt.datetime(v.year, v.month, v.day), date_fmt)
                else:
                    ws.write_string(r, j, v.isoformat())
            elif kind == BOOL:
                # As text, like the template's dropdown (true/false), so it reads the same anywhere.
                ws.write_string(r, j, "true" if v else "false")
            elif kind == INT:
                # Excel numbers are doubles: beyond 15 digits an integer is kept exact as text.
                if abs(v) < 10**15:
                    ws.write_number(r, j, v)
                else:
                    ws.write_string(r, j, str(v))
            elif kind == LIST:
                if v:
                    ws.write_string(r, j, LIST_SEPARATOR.join(v))
            else:
                ws.write_string(r, j, str(v))
