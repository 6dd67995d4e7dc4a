"""Reading an .xlsx workbook (calamine: fast, and it keeps Excel's own row numbers).

Before calamine opens the file, `xlsxzip.inspect` checks the zip and its XML (bombs, entities,
crafted extents). Then each sheet is read as people make them (docs/security.md):

- title rows above the header: the header is the row naming most known columns;
- merged cells in the data: a range one column wide gives its value to every row it covers
  (a merged "department" column); a range across columns cannot give one value to several
  fields, so its value stays in its first column and INP-002 says so;
- formulas: the value Excel saved with the file is read; a formula with no saved value is read
  as empty and reported (INP-001) — its text is never taken as data;
- numbers shown with leading zeros by a format such as `000` are read as displayed (`001`);
- hidden sheets: a hidden table sheet is read and reported (INP-003); other hidden sheets
  (helper lists for dropdowns) are skipped.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from python_calamine import CalamineWorkbook, SheetVisibleEnum

from .. import progress, schema
from ..checks.input_cells import INP_001, INP_002, INP_003, INP_005, WHY_EN, WHY_JA
from ..findings import Finding, Location
from ..model import InputError, Sheet, column_letter
from . import xlsxzip
from .cells import cell_text
from .sheets import (
    GUIDE_SHEETS,
    check_sheet_limits,
    clean_headers,
    drop_empty_unnamed,
    find_header,
    frame_from_rows,
)


def read_workbook(path: Path, display: str) -> list[Sheet]:
    """Every sheet of the workbook as a text frame with Excel row numbers."""
    facts = xlsxzip.inspect(path, display)
    try:
        wb = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises several types for broken zips / XML
        raise InputError(display, f"not a readable .xlsx workbook ({_reason(exc)})") from None
    sheets: list[Sheet] = []
    with progress.task("Reading") as bar:
        _read_sheets(wb, path, display, facts, sheets, bar)
    return sheets


def _read_sheets(wb: Any, path: Path, display: str, facts: Any, sheets: list[Sheet], bar: Any) -> None:
    try:
        visible = {m.name: m.visible == SheetVisibleEnum.Visible for m in wb.sheets_metadata}
        for name in wb.sheet_names:
            if schema.fold(name) in GUIDE_SHEETS:
                continue
            table = schema.match_table(name)
            hidden = not visible.get(name, True)
            if hidden and table is None:
                continue  # a hidden helper sheet (dropdown lists): not data
            try:
                ws = wb.get_sheet_by_name(name)
                data = ws.to_python(skip_empty_area=False)
                merged = ws.merged_cell_ranges or []
            except Exception as exc:
                raise InputError(display, f"sheet {name!r} cannot be read ({_reason(exc)})") from None
            sheet = _sheet(path, display, name, table, data, merged, facts)
            if hidden:
                sheet.notes.append(
                    INP_003(table=table, location=Location(file=display, sheet=name), sheet=name)
                )
            sheets.append(check_sheet_limits(sheet))
            bar.set_postfix_str(name)
            bar.update(sheet.frame.height)
    finally:
        wb.close()


def _sheet(
    path: Path,
    display: str,
    name: str,
    table: str | None,
    data: list[list[Any]],
    merged: list[tuple[tuple[int, int], tuple[int, int]]],
    facts: xlsxzip.WorkbookFacts,
) -> Sheet:
    part = facts.sheet_parts.get(name)
    part_facts = facts.parts.get(part) if part else None
    cells = xlsxzip.CellFacts()
    uses_padding = bool(facts.padded_styles)
    needs_cells = part_facts is not None and (
        part_facts.has_formula or part_facts.has_error or uses_padding
    )
    if part is not None and needs_cells:
        cells = xlsxzip.cell_facts(path, part, facts.padded_styles, display)
    for (r, c), width in cells.padded.items():
        if r < len(data) and c < len(data[r]):
            v = data[r][c]
            if isinstance(v, int | float) and not isinstance(v, bool) and v >= 0 and float(v).is_integer():
                data[r][c] = str(int(v)).zfill(width)
    rows = [[cell_text(v) for v in row] for row in data]
    h = find_header(rows, table)
    notes: list[Finding] = []
    ctx = _Where(display, name, table, rows, h)
    if h is not None:
        notes += _apply_merges(rows, merged, h, ctx)
    for (r, c), formula in sorted(cells.formulas_without_value.items()):
        if r < len(rows) and c < len(rows[r]) and rows[r][c] is not None:
            continue  # calamine found a value after all
        notes.append(ctx.finding(INP_001, r, c, formula=formula))
    for (r, c), error in sorted(cells.errors.items()):
        if r < len(rows) and c < len(rows[r]) and rows[r][c] is not None:
            continue  # calamine read a value after all
        notes.append(ctx.finding(INP_005, r, c, error=error))
    if h is None:
        headers: list[str] = []
        body: list[list[str | None]] = []
        numbers: list[int | None] = []
    else:
        headers = clean_headers(rows[h])
        body = rows[h + 1 :]
        numbers = list(range(h + 2, h + 2 + len(body)))
    sheet = Sheet(
        name=name,
        file=display,
        form="xlsx",
        frame=frame_from_rows(headers, body, numbers),
        headers=headers,
        header_row=None if h is None else h + 1,
        sheet=name,
        notes=notes,
    )
    return drop_empty_unnamed(sheet)


class _Where:
    """Locating a cell of the sheet being read, the way later checks locate theirs."""

    def __init__(self, display: str, sheet: str, table: str | None, rows: list, h: int | None):
        self.display, self.sheet, self.table, self.rows, self.h = display, sheet, table, rows, h
        self.fields: dict[int, str] = {}
        self.key_col: int | None = None
        if table is not None and h is not None:
            spec = schema.table(table)
            for j, v in enumerate(rows[h]):
                canon = spec.header_index.get(schema.fold(v)) if v is not None else None
                if canon is not None and canon not in self.fields.values():
                    self.fields[j] = canon
                    if canon == spec.key:
                        self.key_col = j

    def finding(self, rule, r: int, c: int, **params: Any) -> Finding:
        in_data = self.h is not None and r > self.h
        header = None
        if self.h is not None and c < len(self.rows[self.h]):
            header = self.rows[self.h][c]
        record = None
        if in_data and self.key_col is not None and self.key_col < len(self.rows[r]):
            record = self.rows[r][self.key_col]
        cell = f"{column_letter(c)}{r + 1}"
        return rule(
            table=self.table,
            record=record,
            field=self.fields.get(c) if in_data else None,
            location=Location(
                file=self.display, sheet=self.sheet, row=r + 1, column=header, cell=cell
            ),
            sheet=self.sheet,
            cell=cell,
            **params,
        )


def _apply_merges(
    rows: list[list[str | None]],
    merged: list[tuple[tuple[int, int], tuple[int, int]]],
    h: int,
    ctx: _Where,
) -> list[Finding]:
    """Give a merged range's value to the cells it covers, or say why it cannot be."""
    notes = []
    for (r1, c1), (r2, c2) in sorted(merged):
        if r2 <= h:
            continue  # title or header rows: layout, not data
        if r1 >= len(rows) or c1 >= len(rows[r1]):
            continue
        value = rows[r1][c1]
        span = f"{column_letter(c1)}{r1 + 1}:{column_letter(c2)}{r2 + 1}"
        if r1 <= h:
            notes.append(ctx.finding(INP_002, r1, c1, range=span, value=value, **_why("header")))
            continue
        if c2 > c1:
            notes.append(ctx.finding(INP_002, r1, c1, range=span, value=value, **_why("columns")))
        if value is None:
            continue
        for r in range(r1 + 1, min(r2, len(rows) - 1) + 1):
            row = rows[r]
            if not any(v is not None for v in row):
                continue  # a blank row stays blank: the merge alone makes no record
            if c1 >= len(row):
                row.extend([None] * (c1 + 1 - len(row)))
            if row[c1] is None:
                row[c1] = value
    return notes


def _why(kind: str) -> dict[str, str]:
    return {"why": WHY_EN[kind], "why_ja": WHY_JA[kind]}


def _reason(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:200]
