"""Writing the records of rules.md §5 as JSON, CSV or xlsx (`register records`).

Column order, Japanese headers and sheet names come from schemas/output/records.schema.json
(register/outputs.py). Every file is written in a scratch folder beside them and renamed into
place only when all of them are complete (io/atomic.py); other files in the output folder are
never touched. The same records give the same bytes in every format (no wall-clock time: xlsx
properties are fixed). Free text in a CSV is neutralised against formulas (io/csvsafe.py).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import orjson
import polars as pl

from . import progress
from .io.atomic import (
    OutputError,
    atomic_files,
    interruptible,
    refuse_overwriting_inputs,
    scratch_tmpdir,
)
from .io.csvsafe import neutralise_expr
from .model import InputError
from .outputs import OutColumn, output_table
from .records import TABLES, Records
from .values import display_width

FORMATS = ("xlsx", "csv", "json")
# Excel's last row is 1,048,576; the header takes one (performance.md: split yourself).
MAX_SHEET_ROWS = 1_048_575
MAX_SHEET_NAME = 31
# Fixed document properties so that two runs give the same bytes (product.md "Outputs").
FIXED_CREATED = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
LIST_SEPARATOR = ";"
_MAX_WIDTH = 60


# --------------------------------------------------------------------------------------------
# Shared by records and disclose
# --------------------------------------------------------------------------------------------


def register_inputs(analysis: Any) -> list[Path]:
    """Every path the analysed register was read from (files, and the input as given)."""
    reg = analysis.register
    paths = [Path(p) for p in getattr(reg, "files", [])]
    source = getattr(reg, "source", None)
    if source:
        paths.append(Path(source))
    return paths


def records_of(analysis: Any) -> Records:
    """The analysis' records, or none at all when no flow could be classified."""
    records = getattr(analysis, "records", None)
    return records if records is not None else Records.empty()


def text_frame(df: pl.DataFrame, columns: Sequence[OutColumn], neutralise: bool) -> pl.DataFrame:
    """`df` with every column as text, as CSV shows it: lists joined with `;`, ISO dates.

    With `neutralise`, a text cell that a spreadsheet could run as a formula gets a leading `'`
    (io/csvsafe.py, the one rule for every CSV the tool writes). Only free text can start so:
    IDs start with a letter or digit, dates with a digit; counts stay numbers.
    """
    exprs = []
    for c in columns:
        col = pl.col(c.name)
        if c.kind == "list":
            e = col.list.join(LIST_SEPARATOR)
        elif c.kind == "date":
            e = col.dt.strftime("%Y-%m-%d")
        elif c.kind == "bool":
            e = pl.when(col).then(pl.lit("true")).when(~col).then(pl.lit("false"))
        else:
            e = col.cast(pl.Utf8)
        # Record IDs are built here (P/…, C/…): only the register's own text can start so.
        if neutralise and c.kind in ("text", "list"):
            e = neutralise_expr(e)
        exprs.append(e.cast(pl.Utf8).alias(c.name))
    return df.select(exprs)


def write_csv(path: Path, df: pl.DataFrame, columns: Sequence[OutColumn], lang: str) -> None:
    """One CSV file, UTF-8 with BOM (as Japanese Excel expects), headers in `lang`."""
    text = text_frame(df, columns, neutralise=True)
    text = text.rename({c.name: c.label(lang) for c in columns})
    write_csv_file(path, text)


def write_csv_file(path: Path, text: pl.DataFrame) -> None:
    """A frame of text as CSV with a BOM. polars gets a file object, not the name: a path may
    hold bytes that are not UTF-8, which polars cannot take."""
    with open(path, "wb") as fh:
        text.write_csv(fh, include_bom=True)


def json_rows(df: pl.DataFrame) -> list[dict[str, Any]]:
    """Rows as dicts in column order (dates stay dates: orjson writes them as YYYY-MM-DD)."""
    return df.to_dicts()


def dump_json(path: Path, doc: dict[str, Any]) -> None:
    """orjson, indented, with the cyclic GC paused (millions of small objects)."""
    was = gc.isenabled()
    gc.disable()
    try:
        data = orjson.dumps(doc, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)
    finally:
        if was:
            gc.enable()
    path.write_bytes(data)


# --------------------------------------------------------------------------------------------
# xlsx
# --------------------------------------------------------------------------------------------


def sheet_parts(base: str, height: int, max_rows: int = MAX_SHEET_ROWS) -> list[tuple[str, int, int]]:
    """(sheet name, first row, row count) for a table of `height` rows.

    A table longer than `max_rows` continues on `<base>_2`, `<base>_3` …; every name fits
    Excel's 31 characters. An empty table still gets its sheet.
    """
    n = max(1, -(-height // max_rows))
    parts = []
    for k in range(n):
        suffix = "" if k == 0 else f"_{k + 1}"
        name = base[: MAX_SHEET_NAME - len(suffix)] + suffix
        start = k * max_rows
        parts.append((name, start, max(0, min(max_rows, height - start))))
    return parts


def _widths(df: pl.DataFrame, columns: Sequence[OutColumn], headers: Sequence[str]) -> list[float]:
    """Column widths from the header and the first rows (a full scan is not worth it)."""
    sample = text_frame(df.head(500), columns, neutralise=False)
    out = []
    for c, h in zip(columns, headers, strict=True):
        if c.kind == "date":
            w = max(12, display_width(h) + 2)
        else:
            longest = max((display_width(v) for v in sample[c.name].drop_nulls()), default=0)
            w = max(display_width(h) + 2, min(longest + 2, _MAX_WIDTH), 8)
        out.append(min(w, _MAX_WIDTH))
    return out


# Excel holds at most this many characters in a cell; a longer text (the event IDs of a bulk
# record over a long log, say) is cut there, and the cut is stated in the cell.
EXCEL_CELL_CHARS = 32_767
CUT_NOTE = {
    "en": " … [cut: Excel holds 32,767 characters a cell; the CSV and JSON outputs hold it all]",
    "ja": " …［省略：Excel のセルは 32,767 文字までです。全文は CSV・JSON 出力にあります］",
}


def _xlsx_frame(df: pl.DataFrame, columns: Sequence[OutColumn], headers: Sequence[str],
                lang: str) -> pl.DataFrame:
    """`df` as the sheet shows it: lists `;`-joined, over-long text cut (and said so), other
    kinds typed (dates as date cells, counts as numbers), headers in `lang`."""
    note = CUT_NOTE.get(lang, CUT_NOTE["en"])
    keep = EXCEL_CELL_CHARS - len(note)
    exprs = []
    for c, h in zip(columns, headers, strict=True):
        e = pl.col(c.name)
        if c.kind == "list":
            e = e.list.join(LIST_SEPARATOR)
        if c.kind in ("list", "text"):
            e = pl.when(e.str.len_chars() > EXCEL_CELL_CHARS).then(e.str.slice(0, keep) + note).otherwise(e)
        exprs.append(e.alias(h))
    return df.select(exprs)


def write_xlsx(
    path: Path,
    sheets: Iterable[tuple[str, Sequence[OutColumn], pl.DataFrame]],
    lang: str,
    max_rows: int = MAX_SHEET_ROWS,
) -> None:
    """A workbook with one sheet (or more, past `max_rows`) per (sheet name, columns, frame).

    Written by rustpy-xlsxwriter (rust_xlsxwriter underneath: about ten times XlsxWriter's
    speed on a million rows, benchmarks/xlsx_writers.py). Text is always a text cell (never a
    formula, number or link), dates are date cells, headers bold and frozen with an autofilter.
    Its one wall-clock stamp (docProps/core.xml) is replaced by a fixed date afterwards.

    `path` is a temporary file in the scratch folder of io/atomic.py: rust_xlsxwriter's own
    temporary files go there too (scratch_tmpdir), and the save runs so that SIGTERM / Ctrl-C
    are handled at once (interruptible); the scratch folder's removal takes everything.
    """
    from rustpy_xlsxwriter import FastExcel, Format

    header_fmt = Format().set_bold().set_background_color("#DDEBF7").set_border_bottom("thin")
    date_fmt = Format().set_num_format("yyyy-mm-dd")
    path = Path(path)
    stack = contextlib.ExitStack()
    # Rust takes only UTF-8 names: a path that is not gets a file object (the workbook is then
    # buffered in memory before it is written).
    target: Any = str(path) if _utf8_name(path) else stack.enter_context(open(path, "wb"))
    book = FastExcel(target).format(datetime_format="yyyy-mm-dd").freeze(row=1)
    for base, columns, df in sheets:
        headers = [c.label(lang) for c in columns]
        frame = _xlsx_frame(df, columns, headers, lang)
        widths = _widths(df, columns, headers)
        formats = {h: date_fmt for c, h in zip(columns, headers, strict=True) if c.kind == "date"}
        for name, start, length in sheet_parts(base, df.height, max_rows):
            book = book.sheet(
                name,
                frame.slice(start, length),
                header_format=header_fmt,
                column_widths=widths,
                column_formats=formats or None,
                autofilter=True,
            )
    with stack, scratch_tmpdir(path.parent):
        interruptible(book.save)
    _fix_created(path)


def _utf8_name(path: Path) -> bool:
    try:
        os.fsdecode(path).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _fix_created(path: Path) -> None:
    """Set the workbook's created/modified properties to FIXED_CREATED (same input, same bytes)."""
    import re
    import zipfile

    from .io.zipmember import replace_member

    with zipfile.ZipFile(path) as zf:
        core = zf.read("docProps/core.xml").decode("utf-8")
    stamp = FIXED_CREATED.strftime("%Y-%m-%dT%H:%M:%SZ")
    fixed = re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", stamp, core)
    replace_member(path, "docProps/core.xml", fixed.encode("utf-8"))


# --------------------------------------------------------------------------------------------
# register records
# --------------------------------------------------------------------------------------------


def output_paths(out_dir: Path, fmt: str) -> list[Path]:
    """The files `write_records` writes for a format."""
    if fmt == "json":
        return [out_dir / "records.json"]
    if fmt == "csv":
        return [out_dir / f"{t}.csv" for t in TABLES]
    return [out_dir / "records.xlsx"]


@contextlib.contextmanager
def _output_dir(out_dir: Path):
    """Create the folder if missing; remove it again (if still empty) when writing fails."""
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(str(out_dir), "exists and is not a folder")
    created = not out_dir.exists()
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(str(out_dir), f"cannot be created ({exc.strerror or exc})") from None
    try:
        yield
    except BaseException:
        if created:
            with contextlib.suppress(OSError):
                out_dir.rmdir()
        raise


def write_records(analysis: Any, out_dir: Path, fmt: str = "xlsx", lang: str = "en") -> list[Path]:
    """Write the five tables of rules.md §5 into out_dir; return the files written."""
    if fmt not in FORMATS:
        raise InputError(None, f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    out_dir = Path(out_dir)
    records = records_of(analysis)
    targets = output_paths(out_dir, fmt)
    refuse_overwriting_inputs(targets, register_inputs(analysis))
    specs = [output_table(t) for t in TABLES]
    # Computed before any output is opened: a failure here is not a failure to write.
    frames = [s.conform(records.table(s.name, lang)) for s in specs]
    with _output_dir(out_dir), contextlib.ExitStack() as stack:
        # All files are complete before any is renamed into place.
        temps = stack.enter_context(atomic_files(targets))
        bar = stack.enter_context(progress.task("Writing", total=sum(f.height for f in frames)))
        if fmt == "json":
            dump_json(temps[0], {s.name: json_rows(f) for s, f in zip(specs, frames, strict=True)})
        elif fmt == "csv":
            for tmp, s, f in zip(temps, specs, frames, strict=True):
                write_csv(tmp, f, s.columns, lang)
                bar.update(f.height)
        else:
            write_xlsx(
                temps[0],
                [(s.label(lang), s.columns, f) for s, f in zip(specs, frames, strict=True)],
                lang,
            )
        bar.update(0 if fmt == "csv" else sum(f.height for f in frames))
    return targets
