"""Reading an .xlsx workbook (calamine: fast, and it keeps Excel's own row numbers)."""

from __future__ import annotations

from pathlib import Path

from python_calamine import CalamineWorkbook

from .. import schema
from ..model import InputError, Sheet
from .cells import cell_text
from .sheets import GUIDE_SHEETS, clean_headers, drop_empty_unnamed, find_header, frame_from_rows


def read_workbook(path: Path, display: str) -> list[Sheet]:
    """Every sheet of the workbook as a text frame with Excel row numbers."""
    try:
        wb = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises several types for broken zips / XML
        raise InputError(display, f"not a readable .xlsx workbook ({_reason(exc)})") from None
    sheets: list[Sheet] = []
    try:
        for name in wb.sheet_names:
            if schema.fold(name) in GUIDE_SHEETS:
                continue
            try:
                data = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
            except Exception as exc:
                raise InputError(display, f"sheet {name!r} cannot be read ({_reason(exc)})") from None
            rows = [[cell_text(v) for v in row] for row in data]
            table = schema.match_table(name)
            h = find_header(rows, table)
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
            )
            sheets.append(drop_empty_unnamed(sheet))
    finally:
        wb.close()
    return sheets


def _reason(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:200]
