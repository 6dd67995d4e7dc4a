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
import math
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import polars as pl

from . import progress
from .io.atomic import (
    atomic_files,
    interruptible,
    output_folder,
    refuse_overwriting_inputs,
    scratch_tmpdir,
)
from .io.csvsafe import neutralise_columns
from .model import InputError, column_letter
from .outputs import OutColumn, display_frame, output_table
from .parts import ChunkedFrame, GatheredFrame
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
    IDs start with a letter or digit, dates with a digit; counts stay numbers. A column that
    `display_frame` already made text (labels, ○/×, joined headers) is taken as it is.
    """
    exprs = []
    for c in columns:
        col = pl.col(c.name)
        dtype = df.schema[c.name]
        if isinstance(dtype, pl.List):  # an empty list is an empty cell
            e = pl.when(col.list.len() > 0).then(col.list.join(LIST_SEPARATOR))
        elif dtype == pl.Date():
            e = col.dt.strftime("%Y-%m-%d")
        elif dtype == pl.Boolean():
            e = pl.when(col).then(pl.lit("true")).when(~col).then(pl.lit("false"))
        else:
            e = col.cast(pl.Utf8)
        exprs.append(e.cast(pl.Utf8).alias(c.name))
    # Record IDs are built here (P/…, C/…): only the register's own text can start so.
    guarded = [c.name for c in columns if c.kind in ("text", "list")] if neutralise else []
    return neutralise_columns(df.select(exprs), guarded)


def csv_cells(df: pl.DataFrame, columns: Sequence[OutColumn], lang: str) -> pl.DataFrame:
    """`df`'s cells as a records CSV shows them in `lang` (japanese.md §2: labels, ○/×, country
    names under ja), as text with formulas guarded; each cell is made from its own value
    alone (write_gathered_csv relies on that)."""
    return text_frame(display_frame(df, columns, lang), columns, neutralise=True)


# Rows of a table made CSV text at a time: the text of a long log's 1.5 million records
# (30M rows) would otherwise be held whole while the principals are written beside it.
CSV_SLICE = 262_144


def write_csv(path: Path, df: pl.DataFrame, columns: Sequence[OutColumn], lang: str) -> None:
    """One CSV file, UTF-8 with BOM (as Japanese Excel expects), headers and values in `lang`;
    made text CSV_SLICE rows at a time (each cell is made from its own value alone, so the
    bytes are those of the whole table made text at once)."""
    _write_frames(path, df.iter_slices(CSV_SLICE) if df.height else [df], columns, lang)


def write_csv_chunks(path: Path, frames: Any, columns: Sequence[OutColumn], lang: str) -> None:
    """write_csv for a table given in frames (a streamed log's provision_principals,
    logstream.ChunkedFrame): the same bytes, one frame in memory at a time."""
    _write_frames(path, frames.chunks(), columns, lang)


def _write_frames(path: Path, frames: Any, columns: Sequence[OutColumn], lang: str) -> None:
    """The frames of one table as one CSV file (the BOM and the header before the first);
    the next frame is made text while this one is written. A file object, not the name: the
    path may hold bytes that are not UTF-8, which polars cannot take."""
    from .io.stream import ahead

    labels = {c.name: c.label(lang) for c in columns}
    texts = (csv_cells(df, columns, lang).rename(labels) for df in frames)
    with open(path, "wb") as fh:
        for k, text in enumerate(ahead(texts)):
            text.write_csv(fh, include_bom=k == 0, include_header=k == 0)


def quoted(e: pl.Expr) -> pl.Expr:
    """A text cell as polars' CSV writer writes it (quote_style "necessary"): in quotes, with
    its quotes doubled, when it holds a quote, comma, CR or LF or is empty; an empty cell (null)
    as nothing. (tests/test_export_gathered.py holds it to polars' writer for any text.)"""
    special = e.str.contains(r'[",\r\n]', literal=False) | (e.str.len_bytes() == 0)
    return (
        pl.when(special).then(pl.lit('"') + e.str.replace_all('"', '""', literal=True) + pl.lit('"'))
        .otherwise(e).fill_null("")
    )


def write_gathered_csv(path: Path, table: GatheredFrame, columns: Sequence[OutColumn], lang: str
                       ) -> None:
    """write_csv for a table of short tables' rows side by side (provision_principals: a
    record's ID beside a principal's ID and name): the same bytes. Each short table's rows are
    made CSV text once (display, formula guard, quoting: all done to a cell alone), and a
    frame of the table's rows is those texts gathered and written as they are. Ten million
    rows written to memory: 2.2-2.5 s the general way, 0.9-1.3 s this way."""
    from .io.stream import ahead

    by_name = {c.name: c for c in columns}
    lines = []
    for src in table.sources:
        cols = [by_name[n] for n in src.columns]
        lines.append(csv_cells(src, cols, lang).select(pl.concat_str([quoted(pl.col(c.name)) for c in cols],
                                               separator=",").alias("_line"))["_line"])

    def texts():
        for idx in table.indices():
            yield pl.DataFrame([t.gather(i).alias(f"_{k}")
                                for k, (t, i) in enumerate(zip(lines, idx, strict=True))])

    with open(path, "wb") as fh:  # the header as polars writes it; then the rows' texts
        pl.DataFrame(schema={c.label(lang): pl.Utf8 for c in columns}).write_csv(fh, include_bom=True)
        for text in ahead(texts()):
            text.write_csv(fh, include_header=False, quote_style="never")


def write_csv_files(paths: Sequence[Path], specs: Sequence[Any], frames: Sequence[Any], lang: str,
                    done: Any = lambda n: None) -> None:
    """Each table its CSV file. A gathered table (the provision principals: the long one) is
    written on a thread of its own while the others are written here: polars writes with the
    GIL released, and at ten million log rows the records' 70 MB and the principals' 385 MB
    took 0.45 s and 0.95 s one after the other. `done(n)` is told of each table's rows."""
    from .io.atomic import beside

    tables = list(zip(paths, specs, frames, strict=True))
    aside = next((t for t in tables if isinstance(t[2], GatheredFrame)), None)
    with contextlib.ExitStack() as stack:
        if aside is not None:
            wait = stack.enter_context(beside(
                lambda p=aside[0], s=aside[1], f=aside[2]: write_gathered_csv(p, f, s.columns, lang)))
        for table in tables:
            if table is aside:
                continue
            path, s, f = table
            if isinstance(f, ChunkedFrame):  # (a GatheredFrame is one: the general writer)
                write_csv_chunks(path, f, s.columns, lang)
            else:
                write_csv(path, f, s.columns, lang)
            done(f.height)
        if aside is not None:
            wait()
            done(aside[2].height)


JSON_SLICE = 16_384  # rows made into Python dicts at a time by dump_json_tables


def dump_json_tables(path: Path, tables: Sequence[tuple[str, Any]]) -> None:
    """dump_json of {name: rows}, written JSON_SLICE rows at a time (a table may also be given
    in frames, logstream.ChunkedFrame): the same bytes, without a million rows of Python
    dicts at once."""
    was = gc.isenabled()
    gc.disable()
    try:
        with open(path, "wb") as fh:
            fh.write(b"{\n")
            for k, (name, f) in enumerate(tables):
                fh.write(b"  " + orjson.dumps(name) + b": ")
                opened = False
                frames = f.chunks() if hasattr(f, "chunks") else [f]
                for part in (x for df in frames for x in df.iter_slices(JSON_SLICE)):
                    rows = json_rows(part)
                    if not rows:
                        continue
                    body = orjson.dumps(rows, option=orjson.OPT_INDENT_2)[2:-2]
                    fh.write((b",\n  " if opened else b"[\n  ") + body.replace(b"\n", b"\n  "))
                    opened = True
                fh.write((b"\n  ]" if opened else b"[]") + (b",\n" if k < len(tables) - 1 else b"\n"))
            fh.write(b"}\n")
    finally:
        if was:
            gc.enable()


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


def _widths(df: pl.DataFrame, columns: Sequence[OutColumn], headers: Sequence[str],
            printing: bool = False) -> list[float]:
    """Column widths from the header and the first rows (a full scan is not worth it).

    For paper the widths are narrow and long text wraps (the header too): eighteen columns of
    a record must fit one A4 page wide and stay legible (japanese.md §7)."""
    sample = text_frame(df.head(500), columns, neutralise=False)
    out = []
    for c, h in zip(columns, headers, strict=True):
        longest = max((display_width(v) for v in sample[c.name].drop_nulls()), default=0)
        if printing:
            cap = {"date": 11, "int": 7}.get(c.kind, _PRINT_WIDTH)
            # a Japanese header wraps anywhere; an English name only at its `_`
            header = min(display_width(h), 10 if not h.isascii() else 16)
            w = max(min(max(longest + 1, header + 1, 6), cap), header + 1)
        elif c.kind == "date":
            w = max(12, display_width(h) + 2)
        else:
            w = max(display_width(h) + 2, min(longest + 2, _MAX_WIDTH), 8)
        out.append(min(w, _MAX_WIDTH))
    return out


# Widest column on paper, and the height of one line of 11-point text (points): Japanese
# fonts need more than Calibri's 15 (Excel's Japanese default row is 18.75).
_PRINT_WIDTH = 18
_LINE_HEIGHT = 18.75


def _text_width(e: pl.Expr) -> pl.Expr:
    """A text's width in columns, whole-column: a character of three UTF-8 bytes (CJK, kana,
    full-width forms) takes two, as display_width says (half-width katakana is overcounted)."""
    chars = e.str.len_chars()
    return chars + (e.str.len_bytes() - chars) // 2


def _lines(width: Any, column: float) -> Any:
    """Lines a text of `width` takes in a column `column` wide: one when it fits, else a
    little more than the arithmetic says (lines break between words, not mid-word)."""
    room = max(column - 1.0, 1.0)
    if isinstance(width, pl.Expr):
        return pl.when(width <= room).then(1.0).otherwise((width * 1.15 / room).ceil())
    return 1 if width <= room else math.ceil(width * 1.15 / room)


def _row_heights(frame: pl.DataFrame, widths: Sequence[float], wrapped: set[str]) -> list[float]:
    """Each row's height for its wrapped text (lines × _LINE_HEIGHT), computed over whole
    columns: neither Excel nor LibreOffice reliably grows a row for wrapped text on opening."""
    exprs = []
    for h, w in zip(frame.columns, widths, strict=True):
        if h not in wrapped:
            continue
        c = pl.col(h)
        # a line of Latin letters and digits (a list of IDs) is as tall as Calibri's
        line = pl.when(c.str.len_bytes() == c.str.len_chars()).then(15.0).otherwise(_LINE_HEIGHT)
        exprs.append((_lines(_text_width(c), w).clip(1, 40) * line).fill_null(_LINE_HEIGHT))
    if not exprs or frame.height == 0:
        return [_LINE_HEIGHT] * frame.height
    return frame.select(pl.max_horizontal(exprs).alias("h"))["h"].to_list()


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
        dtype = df.schema[c.name]
        if isinstance(dtype, pl.List):  # an empty list is an empty cell
            e = pl.when(e.list.len() > 0).then(e.list.join(LIST_SEPARATOR))
        if isinstance(dtype, pl.List) or dtype == pl.Utf8():
            e = pl.when(e.str.len_chars() > EXCEL_CELL_CHARS).then(e.str.slice(0, keep) + note).otherwise(e)
        exprs.append(e.alias(h))
    return df.select(exprs)


@dataclass(frozen=True)
class PrintSetup:
    """How a records workbook prints (japanese.md §7): A4, one page wide, row 1 repeated on
    every page, and a page header naming the organization (left), the record kind (centre,
    per sheet) and the as-of date (right); the footer numbers the pages."""

    organization: str
    as_of: dt.date
    lang: str
    landscape: bool = True

    def page_setup(self, title: str | None) -> dict[str, Any]:
        """rustpy-xlsxwriter's page_setup for a sheet whose centre header is `title`."""
        as_of = ("基準日 " if self.lang == "ja" else "As of ") + self.as_of.isoformat()
        # Excel's header holds 255 characters, codes included: a long name is cut.
        header = "&L" + _header_text(self.organization, 100)
        if title:
            header += "&C" + _header_text(title, 80)
        header += "&R" + _header_text(as_of, 40)
        return {
            "landscape": self.landscape,
            "paper_size": 9,  # A4
            "margins": {"left": 0.3, "right": 0.3, "top": 0.75, "bottom": 0.6,
                        "header": 0.3, "footer": 0.3},
            "fit_to_pages": (1, 0),  # one page wide, as many pages long as it takes
            "repeat_rows": 0,  # row 1, the header, on every printed page
            "header": header,
            "footer": "&C&P / &N",
        }


def print_setup(analysis: Any, lang: str, landscape: bool = True) -> PrintSetup:
    """The print setup of an output about the analysed register (its organization, as-of)."""
    reg = getattr(analysis, "register", None)
    org = getattr(reg, "organization", None) or {}
    as_of = getattr(analysis, "as_of", None) or dt.date.today()
    return PrintSetup(str(org.get("name") or ""), as_of, lang, landscape)


def _header_text(text: str, limit: int) -> str:
    """Text for an Excel page header: `&` doubled (it starts a code), one line, cut to fit."""
    text = " ".join(text.split())[:limit]
    return text.replace("&", "&&")


def write_xlsx(
    path: Path,
    sheets: Iterable[tuple],
    lang: str,
    max_rows: int = MAX_SHEET_ROWS,
    printing: PrintSetup | None = None,
) -> None:
    """A workbook with one sheet (or more, past `max_rows`) per (sheet name, columns, frame[,
    print title]).

    Written by rustpy-xlsxwriter (rust_xlsxwriter underneath: about ten times XlsxWriter's
    speed on a million rows, benchmarks/xlsx_writers.py). Text is always a text cell (never a
    formula, number or link), dates are date cells, counts whole numbers, headers bold and
    frozen with an autofilter; values as `display_frame` shows them in `lang`. With
    `printing`, every sheet is set up for paper (PrintSetup) and long text wraps. Its one
    wall-clock stamp (docProps/core.xml) is replaced by a fixed date afterwards.

    `path` is a temporary file in the scratch folder of io/atomic.py: rust_xlsxwriter's own
    temporary files go there too (scratch_tmpdir), and the save runs so that SIGTERM / Ctrl-C
    are handled at once (interruptible); the scratch folder's removal takes everything.
    """
    from rustpy_xlsxwriter import FastExcel, Format

    header_fmt = Format().set_bold().set_background_color("#DDEBF7").set_border_bottom("thin")
    if printing is not None:
        header_fmt = header_fmt.set_text_wrap().set_align("top")
    date_fmt = Format().set_num_format("yyyy-mm-dd")
    if printing is not None:
        date_fmt = date_fmt.set_align("top")
    wrap_fmt = Format().set_text_wrap().set_align("top")
    top_fmt = Format().set_align("top")
    path = Path(path)
    stack = contextlib.ExitStack()
    # Rust takes only UTF-8 names: a path that is not gets a file object (the workbook is then
    # buffered in memory before it is written).
    target: Any = str(path) if _utf8_name(path) else stack.enter_context(open(path, "wb"))
    book = FastExcel(target).format(datetime_format="yyyy-mm-dd").freeze(row=1)
    # sheet number (1-based, as the workbook stores them) → letters of its whole-number columns
    whole: dict[int, list[str]] = {}
    n_sheets = 0
    for base, columns, df, *rest in sheets:
        title = rest[0] if rest else None
        headers = [c.label(lang) for c in columns]
        shown = display_frame(df, columns, lang)
        frame = _xlsx_frame(shown, columns, headers, lang)
        widths = _widths(shown, columns, headers, printing is not None)
        formats: dict[str, Any] = {}
        wrapped: set[str] = set()
        for c, h in zip(columns, headers, strict=True):
            if c.kind == "date":
                formats[h] = date_fmt
            elif printing is not None and shown.schema[c.name] in (pl.Utf8(), pl.List(pl.Utf8())):
                formats[h] = wrap_fmt
                wrapped.add(h)
            elif printing is not None:  # counts, booleans: at the top of a tall row too
                formats[h] = top_fmt
        heights = _row_heights(frame, widths, wrapped) if wrapped else []
        header_lines = max(
            (_lines(display_width(h), w) for h, w in zip(headers, widths, strict=True)), default=1
        )
        ints = [column_letter(k) for k, c in enumerate(columns) if c.kind == "int"]
        for name, start, length in sheet_parts(base, df.height, max_rows):
            n_sheets += 1
            if ints and length:
                whole[n_sheets] = ints
            rows: dict[int, float] = {}
            if printing is not None:
                rows = {k + 1: v for k, v in enumerate(heights[start:start + length])
                        if v > _LINE_HEIGHT}
                if header_lines > 1:
                    rows[0] = header_lines * _LINE_HEIGHT
            book = book.sheet(
                name,
                frame.slice(start, length),
                header_format=header_fmt,
                column_widths=widths,
                column_formats=formats or None,
                autofilter=True,
                row_heights=rows or None,
                page_setup=printing.page_setup(title) if printing is not None else None,
            )
    with stack, scratch_tmpdir(path.parent):
        interruptible(book.save)
    _fix_created(path)
    for number, letters in whole.items():
        _whole_numbers(path, f"xl/worksheets/sheet{number}.xml", letters)


def _whole_numbers(path: Path, member: str, letters: Sequence[str]) -> None:
    """Write the counts of columns `letters` as whole numbers (`<v>2</v>`, not `<v>2.0</v>`):
    rust_xlsxwriter writes every number as a double, and a count read back as 2.0 is not the
    integer the record states (rules.md §5)."""
    import re
    import zipfile

    from .io.zipmember import replace_member

    with zipfile.ZipFile(path) as zf:
        xml = zf.read(member)
    cells = b"|".join(re.escape(x.encode()) for x in letters)
    pattern = re.compile(rb'(<c r="(?:' + cells + rb')\d+"(?: s="\d+")?><v>-?\d+)\.0(</v>)')
    fixed = pattern.sub(rb"\1\2", xml)
    if fixed != xml:
        replace_member(path, member, fixed)


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
    # (provision_principals comes in frames when the log was streamed: parts.ChunkedFrame;
    # for CSV always as records and principals gathered: parts.GatheredFrame)
    frames = [f if isinstance(f, GatheredFrame) else f.map(s.conform) if isinstance(f, ChunkedFrame)
              else s.conform(f)
              for s, f in ((s, records.table(s.name, lang, gathered=fmt == "csv")) for s in specs)]
    if fmt == "xlsx":
        frames = [f.collect() if isinstance(f, ChunkedFrame) else f for f in frames]
    with output_folder(out_dir), contextlib.ExitStack() as stack:
        # All files are complete before any is renamed into place.
        temps = stack.enter_context(atomic_files(targets))
        bar = stack.enter_context(progress.task("Writing", total=sum(f.height for f in frames)))
        if fmt == "json":
            dump_json_tables(temps[0], [(s.name, f) for s, f in zip(specs, frames, strict=True)])
        elif fmt == "csv":
            write_csv_files(temps, specs, frames, lang, bar.update)
        else:
            write_xlsx(
                temps[0],
                [(s.label(lang), s.columns, f, s.title[lang]) for s, f in zip(specs, frames, strict=True)],
                lang,
                printing=print_setup(analysis, lang),
            )
        bar.update(0 if fmt == "csv" else sum(f.height for f in frames))
    return targets
