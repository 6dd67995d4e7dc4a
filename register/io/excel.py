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

from collections.abc import Iterator
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
    HEADER_SEARCH_ROWS,
    RowFrames,
    check_sheet_limits,
    clean_headers,
    drop_empty_unnamed,
    find_header,
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
                merged = ws.merged_cell_ranges or []
                sheet = _sheet(path, display, name, table, _rows(ws), merged, facts)
            except InputError:
                raise
            except Exception as exc:
                raise InputError(display, f"sheet {name!r} cannot be read ({_reason(exc)})") from None
            del ws  # calamine's copy of the sheet goes before the next is read
            if hidden:
                sheet.notes.append(
                    INP_003(table=table, location=Location(file=display, sheet=name), sheet=name)
                )
            sheets.append(check_sheet_limits(sheet))
            bar.set_postfix_str(name)
            bar.update(sheet.frame.height)
    finally:
        wb.close()


def _rows(ws: Any) -> Iterator[list[Any]]:
    """The sheet's rows from A1, one at a time, as `to_python(skip_empty_area=False)` gives
    them all at once: calamine's iter_rows starts at row 1 but at the rectangle's first
    column, so the columns left of it are put back as empty."""
    start, end = ws.start, ws.end
    pad = [""] * start[1] if start else []
    n = 0
    for row in ws.iter_rows():
        n += 1
        yield pad + row if pad else row
    if start and n != end[0] + 1:
        raise ValueError(f"calamine gave {n} rows for a sheet ending on row {end[0] + 1}")


def _sheet(
    path: Path,
    display: str,
    name: str,
    table: str | None,
    rows: Iterator[list[Any]],
    merged: list[tuple[tuple[int, int], tuple[int, int]]],
    facts: xlsxzip.WorkbookFacts,
) -> Sheet:
    """One sheet as a text frame, read row by row: the header among the first rows, merges,
    formulas without a result and error cells applied or reported as each row passes."""
    part = facts.sheet_parts.get(name)
    part_facts = facts.parts.get(part) if part else None
    cells = xlsxzip.CellFacts()
    uses_padding = bool(facts.padded_styles)
    needs_cells = part_facts is not None and (
        part_facts.has_formula or part_facts.has_error or uses_padding
    )
    if part is not None and needs_cells:
        cells = xlsxzip.cell_facts(path, part, facts.padded_styles, display)
    padded = _by_row(cells.padded)
    marks = _by_row(
        {pos: (INP_001, {"formula": f}) for pos, f in cells.formulas_without_value.items()}
        | {pos: (INP_005, {"error": e}) for pos, e in cells.errors.items()}
    )

    def text(r: int, row: list[Any]) -> list[str | None]:
        if row.count("") == len(row):
            return [None] * len(row)  # a blank row (most of a sparse sheet): no cell to read
        for c, width in padded.get(r, ()):
            v = row[c] if c < len(row) else None
            if isinstance(v, int | float) and not isinstance(v, bool) and v >= 0 and float(v).is_integer():
                row[c] = str(int(v)).zfill(width)
        return [cell_text(v) for v in row]

    head: list[list[str | None]] = []
    for r, raw in enumerate(rows):
        head.append(text(r, raw))
        if len(head) >= HEADER_SEARCH_ROWS:
            break
    h = find_header(head, table)
    ctx = _Where(display, name, table, head[h] if h is not None else None, h)
    merges = _Merges(merged, h, ctx)
    notes: list[Finding] = merges.notes
    headers = clean_headers(head[h]) if h is not None else []
    out = RowFrames(headers)  # calamine's copy of the sheet is held while it is read

    def take(r: int, row: list[str | None]) -> None:
        merges.apply(r, row)
        for c, (rule, params) in marks.pop(r, ()):
            if c < len(row) and row[c] is not None:
                continue  # calamine found a value after all
            notes.append(ctx.finding(rule, r, c, row, **params))
        if h is not None and r > h and any(v is not None for v in row):
            out.add(row, r + 1)

    for r, row in enumerate(head):
        take(r, row)
    for r, raw in enumerate(rows, start=len(head)):
        take(r, text(r, raw))
    for r in sorted(marks):  # cells below calamine's last row
        for c, (rule, params) in marks[r]:
            notes.append(ctx.finding(rule, r, c, None, **params))
    sheet = Sheet(
        name=name,
        file=display,
        form="xlsx",
        frame=out.frame(),
        headers=headers,
        header_row=None if h is None else h + 1,
        sheet=name,
        notes=notes,
    )
    return drop_empty_unnamed(sheet)


def _by_row(cells: dict[tuple[int, int], Any]) -> dict[int, list[tuple[int, Any]]]:
    out: dict[int, list[tuple[int, Any]]] = {}
    for (r, c), v in sorted(cells.items()):
        out.setdefault(r, []).append((c, v))
    return out


class _Where:
    """Locating a cell of the sheet being read, the way later checks locate theirs."""

    def __init__(self, display: str, sheet: str, table: str | None, header: list | None, h: int | None):
        self.display, self.sheet, self.table, self.header, self.h = display, sheet, table, header, h
        self.fields: dict[int, str] = {}
        self.key_col: int | None = None
        if table is not None and header is not None:
            spec = schema.table(table)
            for j, v in enumerate(header):
                canon = spec.header_index.get(schema.fold(v)) if v is not None else None
                if canon is not None and canon not in self.fields.values():
                    self.fields[j] = canon
                    if canon == spec.key:
                        self.key_col = j

    def finding(self, rule, r: int, c: int, row: list | None, **params: Any) -> Finding:
        """A finding at row r, column c (0-based); `row` is that row's cells, for its record."""
        in_data = self.h is not None and r > self.h
        header = None
        if self.header is not None and c < len(self.header):
            header = self.header[c]
        record = None
        if in_data and row is not None and self.key_col is not None and self.key_col < len(row):
            record = row[self.key_col]
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


class _Merges:
    """Merged ranges, applied as the rows pass: a range's value goes to the cells it covers,
    or a note says why it cannot."""

    def __init__(self, merged: list[tuple[tuple[int, int], tuple[int, int]]], h: int | None, ctx: _Where):
        self.ctx, self.h = ctx, h
        self.notes: list[Finding] = []
        self.starting: dict[int, list[tuple[int, int, int]]] = {}  # r1 → (c1, r2, c2)
        self.filling: list[tuple[int, int, str]] = []  # (c1, r2, value) of ranges under way
        if h is None:
            return
        for (r1, c1), (r2, c2) in sorted(merged):
            if r2 <= h:
                continue  # title or header rows: layout, not data
            self.starting.setdefault(r1, []).append((c1, r2, c2))

    def apply(self, r: int, row: list[str | None]) -> None:
        if self.filling:
            self.filling = [f for f in self.filling if f[1] >= r]
            # a blank row stays blank: the merge alone makes no record
            if self.filling and any(v is not None for v in row):
                for c1, _r2, value in self.filling:
                    if c1 >= len(row):
                        row.extend([None] * (c1 + 1 - len(row)))
                    if row[c1] is None:
                        row[c1] = value
        for c1, r2, c2 in self.starting.pop(r, ()):
            if c1 >= len(row):
                continue
            value = row[c1]
            span = f"{column_letter(c1)}{r + 1}:{column_letter(c2)}{r2 + 1}"
            if self.h is not None and r <= self.h:
                self.notes.append(self.ctx.finding(INP_002, r, c1, row, range=span, value=value, **_why("header")))
                continue
            if c2 > c1:
                self.notes.append(self.ctx.finding(INP_002, r, c1, row, range=span, value=value, **_why("columns")))
            if value is not None:
                self.filling.append((c1, r2, value))


def _why(kind: str) -> dict[str, str]:
    return {"why": WHY_EN[kind], "why_ja": WHY_JA[kind]}


def _reason(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:200]
