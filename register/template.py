"""`register template`: the officer's workbook, derived from the schemas (docs/japanese.md §6).

Every table is a sheet, its header in row 1 (the canonical names, or the Japanese labels with
`--lang ja`), no title rows. Headers carry no markers: three fills tell required, conditionally
required (the schema's `x-required-when`) and optional columns apart, and the guide sheet says
the same in words. Enum and boolean columns get a dropdown — the Japanese labels and ○/× under
`ja`, the codes and true/false under `en` — with a warning, not a stop, since every other
accepted spelling (docs/japanese.md §5) may still be typed. A single-ID reference column gets a
pick-list of the referenced sheet's key column. Every sheet prints on A4 landscape, one page
wide, the header row repeated.

`register convert … --lang ja` writes the same layout with the register's data in it
(`write_workbook` with tables). The workbook is byte-for-byte the same on every run.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from . import schema
from .io.atomic import OutputError, atomic_file
from .io.writers import (
    DATE_FORMAT,
    FIXED_CREATED,
    LIST_SEPARATOR,
    XLSX_FIRST_DATE,
    XLSX_MAX_DATA_ROWS,
    XLSX_MAX_TEXT,
    ColumnValues,
    TableValues,
    safe_sheet_name,
)
from .template_words import T, words
from .values import display_width

GUIDE_NAME = {"en": "guide", "ja": "記入ガイド"}  # register/io/sheets.py skips both names
LAST_ROW = 1_048_575  # 0-based index of Excel's last row: validations cover the whole column
VALIDATION_LIST_MAX = 255  # Excel's limit for an inline dropdown list (comma-joined)
INPUT_MESSAGE_MAX = 255
INPUT_TITLE_MAX = 32

FILLS = {
    "required": "#F8CBAD",  # orange
    "conditional": "#FFE699",  # yellow
    "optional": "#DDEBF7",  # light blue
}
REQUIRED_FILL, CONDITIONAL_FILL, OPTIONAL_FILL = FILLS["required"], FILLS["conditional"], FILLS["optional"]
BOOL_CHOICES = {"en": ("true", "false"), "ja": ("○", "×")}

A4 = 9  # Excel's paper code
LINE_HEIGHT = 15.0  # points per printed line of 11 pt text (Excel: Japanese glyphs take two widths)
MIN_WIDTH, MAX_WIDTH = 8, 40  # data-sheet column widths, in characters
MAX_ROW_HEIGHT = 409.0  # Excel's tallest row, in points
# The guide's columns: sheet, column, other name, required, meaning, allowed values, example
GUIDE_WIDTHS = (14, 22, 22, 30, 46, 40, 20)
GUIDE_HEADER_ROW = 3  # 0-based: title, intro, blank, header





# --------------------------------------------------------------------------------------------
# What a column holds and offers
# --------------------------------------------------------------------------------------------


def code_text(col: schema.Column, code: str, lang: str) -> str:
    """A code value as the workbook shows it: its Japanese label under `ja`, else the code."""
    return col.enum_labels_ja.get(code, code) if lang == "ja" else code


def bool_text(value: bool, lang: str) -> str:
    """○ / × under `ja`, true / false under `en`."""
    yes, no = BOOL_CHOICES[lang]
    return yes if value else no


def requirement_text(col: schema.Column, lang: str) -> str:
    """The guide's 必須 cell: 必須, 条件付き必須：<when>（<rules>）, or 任意."""
    if col.requirement == "conditional":
        when = col.required_when or {}
        sep = "、" if lang == "ja" else ", "
        return words("conditional", lang, when=when.get(lang) or when.get("en", ""),
                  rules=sep.join(when.get("rules", ())))
    return words(col.requirement, lang)


def allowed_values(table: schema.TableSpec, col: schema.Column, lang: str) -> str:
    """What a column accepts, in words, for the guide sheet (enum labels and codes)."""
    parts: list[str] = []
    if col.enum:  # an enum, or a list of codes
        parts.append(words("code_list" if col.kind == "ids" else "enum", lang))
        for code in col.enum:
            if lang == "ja":
                label = col.enum_labels_ja.get(code)
                parts.append(f"{label}（{code}）" if label else code)
            else:
                meaning = col.enum_descriptions.get(code, "")
                parts.append(f"{code}: {meaning}" if meaning else code)
    elif col.kind == "int" and col.minimum is not None:
        parts.append(words("int_min", lang, min=col.minimum))
    else:
        parts.append(words(col.kind, lang))
    if col.references:
        ref = schema.table(col.references)
        parts.append(words("references", lang, table=ref.label(lang)))
        if col.allow_self:
            parts.append(words("allow_self", lang))
    if col.default is not None:
        value = col.default
        if col.kind == "enum":
            value = code_text(col, value, lang)
        elif col.kind == "bool":
            value = bool_text(bool(value), lang)
        parts.append(words("default", lang, value=value))
    if col.default_from:
        parts.append(words("default_from", lang, column=table.column(col.default_from).label(lang)))
    return "\n".join(parts)


def example_text(col: schema.Column, lang: str) -> str:
    """The schema's example as the officer would type it (labels and ○/× under `ja`)."""
    v = col.example
    if v is None:
        return ""
    if col.kind == "enum":
        return code_text(col, v, lang)
    if col.kind == "bool":
        return bool_text(v == "true", lang)
    return v


def dropdown(col: schema.Column, lang: str) -> dict[str, Any] | None:
    """The list validation of an enum or boolean column (None for other columns)."""
    if col.kind == "enum":
        values = [code_text(col, c, lang) for c in col.enum]
    elif col.kind == "bool":
        values = list(BOOL_CHOICES[lang])
    else:
        return None
    if len(",".join(values)) > VALIDATION_LIST_MAX or any("," in v for v in values):
        raise ValueError(f"{col.name}: its values do not fit an inline dropdown")  # schema bug
    return {
        "validate": "list",
        "source": values,
        # A warning, not a stop: codes, labels, ○/×, あり/なし … are all accepted (§5).
        "error_type": "warning",
        "error_title": words("not_in_list", lang)[:INPUT_TITLE_MAX],
        "error_message": words("see_guide", lang, guide=GUIDE_NAME[lang])[:INPUT_MESSAGE_MAX],
    }


def key_range(sheet_name: str) -> str:
    """The referenced sheet's key column (column A) below its header, as a formula."""
    return "'" + sheet_name.replace("'", "''") + "'!$A$2:$A$1048576"


def pick_list(col: schema.Column, lang: str) -> dict[str, Any] | None:
    """The pick-list of a single-ID reference column: the IDs in the referenced sheet's key
    column. A list cell gets none (one cannot pick several)."""
    if col.kind != "id" or not col.references:
        return None
    target = schema.table(col.references)
    if target.key is None or target.columns[0].name != target.key:
        # The formula points at column A: the key must be the sheet's first column.
        raise ValueError(f"{target.name}: its key column must come first")  # schema bug
    sheet = target.label(lang)
    key = target.column(target.key).label(lang)
    message = words("pick_message", lang, table=sheet, key=key)
    if col.allow_self:
        message += words("pick_self", lang)
    return {
        "validate": "list",
        "source": "=" + key_range(sheet),
        # A warning: `self`, or an ID whose row is still to be written, may be typed.
        "error_type": "warning",
        "error_title": words("not_an_id", lang, table=sheet)[:INPUT_TITLE_MAX],
        "error_message": message[:INPUT_MESSAGE_MAX],
    }


def _fit(*texts: str | None, floor: int = MIN_WIDTH, cap: int = MAX_WIDTH) -> int:
    longest = max((display_width(line) for t in texts if t for line in t.split("\n")), default=0)
    return min(max(longest + 2, floor), cap)


def column_width(col: schema.Column, lang: str) -> int:
    """Wide enough for the header and the example value (dates: the ISO form)."""
    example = "2024-04-01" if col.kind == "date" else example_text(col, lang)
    widest_choice = ""
    if col.kind == "enum":
        widest_choice = max((code_text(col, c, lang) for c in col.enum), key=display_width)
    return _fit(col.label(lang), example, widest_choice)


def _lines(text: str, width: float) -> int:
    """Printed lines `text` takes wrapped in a column `width` characters wide."""
    room = max(width - 1.0, 1.0)
    return sum(max(1, math.ceil(display_width(line) / room)) for line in text.split("\n"))


def row_height(cells: Sequence[tuple[str, float]]) -> float:
    """The height of a row of wrapped (text, column width) cells, in points."""
    lines = max((_lines(text, width) for text, width in cells if text), default=1)
    return LINE_HEIGHT * lines + 3


# --------------------------------------------------------------------------------------------
# The guide
# --------------------------------------------------------------------------------------------


class GuideRow(NamedTuple):
    sheet: str
    column: str
    other: str
    required: str
    meaning: str
    values: str
    example: str
    is_table: bool
    requirement: str = ""  # required | conditional | optional ("" for a table row)


def guide_rows(lang: str) -> list[GuideRow]:
    """The guide's rows: one per table, then one per column."""
    rows = []
    for spec in schema.tables():
        notes = [spec.description[lang] or spec.description["en"]]
        extra = []
        if spec.required_table:
            extra.append(words("required_table", lang))
        if spec.single_row:
            extra.append(words("single_row", lang))
        if spec.key:
            extra.append(words("table_key", lang, key=spec.column(spec.key).label(lang)))
        if extra:
            notes.append("（" + "、".join(extra) + "）" if lang == "ja" else "(" + "; ".join(extra) + ")")
        other = spec.name if lang == "ja" else spec.label_ja
        rows.append(GuideRow(spec.label(lang), "", other, "", "\n".join(notes), "", "", True))
        for col in spec.columns:
            rows.append(
                GuideRow(
                    spec.label(lang),
                    col.label(lang),
                    col.name if lang == "ja" else col.label_ja,
                    requirement_text(col, lang),
                    col.description[lang] or col.description["en"],
                    allowed_values(spec, col, lang),
                    example_text(col, lang),
                    False,
                    col.requirement,
                )
            )
    return rows


class _ExplicitOne(int):
    """1, written out: XlsxWriter leaves `fitToWidth="1"` out as the file format's default,
    and readers such as openpyxl then report no value at all."""

    def __ne__(self, other: object) -> bool:
        return True


def _print_setup(ws: Any, header_row: int) -> None:
    """A4 landscape, one page wide (as many tall as needed), the header row on every page."""
    ws.set_paper(A4)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.fit_width = _ExplicitOne(1)
    ws.repeat_rows(header_row)
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
    ws.set_footer("&C&A  &P / &N")


def _guide(ws: Any, fmt: dict[str, Any], lang: str, rows: list[GuideRow]) -> None:
    for j, w in enumerate(GUIDE_WIDTHS):
        ws.set_column(j, j, w)
    ws.write_string(0, 0, T["title"][lang], fmt["title"])
    intro = T["intro"][lang]
    ws.set_row(1, row_height([(intro, sum(GUIDE_WIDTHS))]))
    ws.merge_range(1, 0, 1, len(GUIDE_WIDTHS) - 1, intro, fmt["intro"])
    for j, h in enumerate(T["headers"][lang].split("|")):
        ws.write_string(GUIDE_HEADER_ROW, j, h, fmt["guide_head"])
    r = GUIDE_HEADER_ROW + 1
    for row in rows:
        cells = (row.sheet, row.column, row.other, row.required, row.meaning, row.values, row.example)
        ws.set_row(r, row_height(list(zip(cells, GUIDE_WIDTHS, strict=True))))
        style = fmt["guide_table"] if row.is_table else fmt["cell"]
        for j, v in enumerate(cells):
            cell_style = fmt[f"guide_{row.requirement}"] if j == 3 and row.requirement else style
            ws.write_string(r, j, v, cell_style)
        r += 1
    ws.freeze_panes(GUIDE_HEADER_ROW + 1, 0)
    _print_setup(ws, GUIDE_HEADER_ROW)


# --------------------------------------------------------------------------------------------
# The data sheets
# --------------------------------------------------------------------------------------------


def _formats(wb: Any) -> dict[str, Any]:
    head = {"bold": True, "border": 1, "valign": "top", "text_wrap": True}
    cell = {"text_wrap": True, "valign": "top"}
    out = {f"head_{k}": wb.add_format({**head, "bg_color": v}) for k, v in FILLS.items()}
    out |= {f"guide_{k}": wb.add_format({**cell, "bg_color": v}) for k, v in FILLS.items()}
    out |= {
        "head_extra": wb.add_format(head),
        "text": wb.add_format({"num_format": "@", "valign": "top"}),
        "wrap": wb.add_format({"num_format": "@", **cell}),
        "date": wb.add_format({"num_format": DATE_FORMAT, "valign": "top"}),
        "int": wb.add_format({"num_format": "0", "valign": "top"}),
        "title": wb.add_format({"bold": True, "font_size": 14}),
        "intro": wb.add_format(cell),
        "guide_head": wb.add_format({"bold": True, "border": 1, "bg_color": "#D9D9D9", **cell}),
        "guide_table": wb.add_format({"bold": True, "bg_color": "#E2EFDA", "top": 1, **cell}),
        "cell": wb.add_format(cell),
    }
    return out


class _Column(NamedTuple):
    """One column of a data sheet: its schema column (None for a column the schema lacks)."""

    header: str
    spec: schema.Column | None
    width: int
    cells: list[Any] | None  # the data, one value per row (None for a blank template)
    kind: str


def _column_format(kind: str, fmt: dict[str, Any]) -> Any:
    # Text format on ID, code and text columns keeps Excel from turning 0012 into 12 or 1/2
    # into a date; dates get a date format so typed dates show as dates.
    return {"date": fmt["date"], "int": fmt["int"], "text": fmt["wrap"], "ids": fmt["wrap"]}.get(kind, fmt["text"])


def _data_sheet(ws: Any, spec: schema.TableSpec | None, columns: list[_Column], height: int,
                fmt: dict[str, Any], lang: str, path: Path, name: str) -> None:
    ws.set_row(0, row_height([(c.header, c.width) for c in columns]))
    for j, c in enumerate(columns):
        ws.set_column(j, j, c.width, _column_format(c.kind, fmt))
        if c.spec is None:
            ws.write_string(0, j, c.header, fmt["head_extra"])
            continue
        ws.write_string(0, j, c.header, fmt[f"head_{c.spec.requirement}"])
        validation = dropdown(c.spec, lang) or pick_list(c.spec, lang)
        if validation is not None:
            ws.data_validation(1, j, LAST_ROW, j, validation)
    ws.freeze_panes(1, 0)
    _print_setup(ws, 0)
    if not height:
        return
    wrapped = [(j, c) for j, c in enumerate(columns) if c.kind in ("text", "ids") and c.cells is not None]
    for i in range(height):
        r = i + 1
        # Wrapped text needs its row tall enough: not every spreadsheet fits rows on opening,
        # and a printed page would cut the text off.
        lines = max((_lines(v, c.width) for _, c in wrapped
                     if isinstance(v := c.cells[i], str) and (len(v) > c.width // 2 or "\n" in v)), default=1)
        if lines > 1:
            ws.set_row(r, min(LINE_HEIGHT * lines + 3, MAX_ROW_HEIGHT))
        for j, c in enumerate(columns):
            v = c.cells[i] if c.cells is not None else None
            if v is None:
                continue
            _write_cell(ws, r, j, v, c.kind, fmt, path, name, c.header)


def _write_cell(ws: Any, r: int, j: int, v: Any, kind: str, fmt: dict[str, Any], path: Path,
                sheet: str, header: str) -> None:
    if isinstance(v, str):
        if len(v) > XLSX_MAX_TEXT:
            raise OutputError(
                str(path),
                f"a cell of {sheet!r} (row {r + 1}, column {header!r}) holds {len(v):,} characters; "
                f"an .xlsx cell holds at most {XLSX_MAX_TEXT:,}: write a CSV folder or a .json "
                "document instead",
            )
        ws.write_string(r, j, v, fmt["wrap"] if kind in ("text", "ids") else fmt["text"])
    elif isinstance(v, dt.date):
        if v >= XLSX_FIRST_DATE:
            ws.write_datetime(r, j, dt.datetime(v.year, v.month, v.day), fmt["date"])
        else:
            ws.write_string(r, j, v.isoformat(), fmt["text"])  # Excel cannot hold it as a date
    elif isinstance(v, int) and not isinstance(v, bool):
        # Excel numbers are doubles: beyond 15 digits an integer is kept exact as text.
        if abs(v) < 10**15:
            ws.write_number(r, j, v, fmt["int"])
        else:
            ws.write_string(r, j, str(v), fmt["text"])
    else:
        ws.write_string(r, j, str(v), fmt["text"])


# --------------------------------------------------------------------------------------------
# Data: a loaded register's tables as the workbook shows them
# --------------------------------------------------------------------------------------------


def cells_of(col: ColumnValues) -> list[Any]:
    """A column's cells as written: the text as given where a value did not parse."""
    values = col.values.to_list()
    if col.verbatim is None:
        return values
    return [t if t is not None else v for v, t in zip(values, col.verbatim.to_list(), strict=True)]


def display_cells(out_col: ColumnValues, spec_col: schema.Column | None, lang: str) -> list[Any]:
    """A column's cells for the workbook: enum codes as labels (ja), booleans as ○/× or
    true/false, lists joined with ';', dates as dates; a cell that did not parse as written."""
    verbatim = out_col.verbatim.to_list() if out_col.verbatim is not None else None
    values = out_col.values.to_list()
    out: list[Any] = []
    for k, v in enumerate(values):
        if verbatim is not None and verbatim[k] is not None:
            out.append(verbatim[k])
            continue
        if v is None:
            out.append(None)
        elif out_col.kind == "bool":
            out.append(bool_text(v, lang))
        elif out_col.kind == "ids":
            items = [code_text(spec_col, x, lang) for x in v] if spec_col is not None and spec_col.enum else v
            out.append(LIST_SEPARATOR.join(items) if items else None)
        elif spec_col is not None and spec_col.kind == "enum":
            out.append(code_text(spec_col, v, lang))
        else:
            out.append(v)
    return out


def _known_sheet(spec: schema.TableSpec, table: TableValues | None, lang: str) -> tuple[list[_Column], int]:
    by_header = {c.header: c for c in table.columns} if table is not None else {}
    height = table.height if table is not None else 0
    columns = []
    for col in spec.columns:
        out_col = by_header.get(col.name)
        cells = display_cells(out_col, col, lang) if out_col is not None else None
        columns.append(_Column(col.label(lang), col, _data_width(column_width(col, lang), cells), cells, col.kind))
    known = {c.name for c in spec.columns}
    for out_col in table.columns if table is not None else ():
        if out_col.header not in known:  # unknown columns, kept as written, after the known ones
            cells = list(cells_of(out_col))
            columns.append(_Column(out_col.header, None, _data_width(_fit(out_col.header), cells), cells, "text"))
    return columns, height


def _data_width(width: int, cells: list[Any] | None, sample: int = 200) -> int:
    """Widen a column to its first rows' values (up to MAX_WIDTH; longer text wraps)."""
    if not cells:
        return width
    texts = [v for v in cells[:sample] if isinstance(v, str)]
    return max(width, _fit(*texts)) if texts else width


# --------------------------------------------------------------------------------------------
# The workbook
# --------------------------------------------------------------------------------------------


def write_workbook(out: Path, lang: str = "ja", tables: Sequence[TableValues] | None = None,
                   force: bool = True) -> Path:
    """The template layout (guide, one sheet per table in schema order), with `tables` — a
    loaded register's tables (convert.register_out) — in it, or blank; then the register's
    unknown sheets, as written. Written atomically; an existing file is replaced only if
    `force`."""
    import xlsxwriter

    from .io.writers import xlsxwriter_closed

    if lang not in GUIDE_NAME:
        raise ValueError(f"unknown language {lang!r}")
    # Everything read from the schemas is read before the output is opened: a failure there
    # is not a failure to write (atomic.py).
    specs = schema.tables()
    guide = guide_rows(lang)
    given = {t.name: t for t in tables or ()}
    for t in given.values():
        if t.height > XLSX_MAX_DATA_ROWS:
            raise OutputError(
                str(out),
                f"table {t.name!r} has {t.height:,} rows; an .xlsx sheet holds at most "
                f"{XLSX_MAX_DATA_ROWS:,}: write a CSV folder or a .json document instead",
            )
    known = {s.name for s in specs}
    with atomic_file(out, overwrite=force) as tmp:
        wb = xlsxwriter.Workbook(
            str(tmp),
            {
                "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,
                # rows are written in order: memory stays flat for a long log
                "constant_memory": True,
                # its temporary files go with the scratch folder, whatever happens (atomic.py)
                "tmpdir": str(tmp.parent),
            },
        )
        wb.set_properties(
            {"title": T["title"][lang], "created": FIXED_CREATED, "author": "", "comments": "register template"}
        )
        fmt = _formats(wb)
        with xlsxwriter_closed(wb):
            _guide(wb.add_worksheet(GUIDE_NAME[lang]), fmt, lang, guide)
            used = {schema.fold(GUIDE_NAME[lang])} | {schema.fold(s.label(lang)) for s in specs}
            for spec in specs:
                columns, height = _known_sheet(spec, given.get(spec.name), lang)
                name = spec.label(lang)
                _data_sheet(wb.add_worksheet(name), spec, columns, height, fmt, lang, out, name)
            for t in given.values():
                if t.name in known:
                    continue
                name = _unique_sheet(safe_sheet_name(t.name), used)
                columns = [
                    _Column(c.header, None, _data_width(_fit(c.header), cells), cells, "text")
                    for c in t.columns for cells in [list(cells_of(c))]
                ]
                _data_sheet(wb.add_worksheet(name), None, columns, t.height, fmt, lang, out, name)
    return out


def _unique_sheet(name: str, used: set[str]) -> str:
    candidate, k = name, 1
    while schema.fold(candidate) in used:
        k += 1
        suffix = f" ({k})"
        candidate = name[: 31 - len(suffix)] + suffix
    used.add(schema.fold(candidate))
    return candidate


def write_template(out: Path, lang: str = "en", force: bool = False) -> Path:
    """Write the blank register workbook, atomically; return its path.

    An existing file is never replaced (it may be a filled-in register) unless `force`.
    """
    return write_workbook(out, lang, None, force=force)


def iter_validations(lang: str) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(sheet, header, validation) of every data column that has one — for docs and tests."""
    for spec in schema.tables():
        for col in spec.columns:
            v = dropdown(col, lang) or pick_list(col, lang)
            if v is not None:
                yield spec.label(lang), col.label(lang), v
