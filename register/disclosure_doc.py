"""The 開示書: a principal's records as the document handed to them (docs/japanese.md §9).

`register disclose … --out X.xlsx --lang ja` writes three sheets: 開示書 (who asks, who answers,
how many records), 提供記録 and 確認記録 (one row per record). A record sheet shows only what
the law makes the record state (APPI Rules Art 20, 24): no internal identifier (record,
provision, event, receipt or party IDs), record method, retention date, code value or other
principal. The workbook is small (one principal), so XlsxWriter writes it cell by cell;
its properties are fixed, so the same request gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import polars as pl

from .outputs import display_frame, output_table
from .values import display_width

COVER_SHEET = "開示書"
TITLE = "第三者提供記録の開示（個人情報保護法第33条第5項）"
NO_RECORDS = "開示の対象となる記録はありません"
FIXED_CREATED = dt.datetime(2000, 1, 1)
ITEM_SEPARATOR = "、"

# (sheet, records table, [(header, column or (from, to) date columns, or None for No.)])
PERIOD = "～"
SHEETS: tuple[tuple[str, str, tuple[tuple[str, Any], ...]], ...] = (
    ("提供記録", "provision_records", (
        ("No.", None),
        ("記録の種類", "record_type"),
        ("提供年月日", ("provided_from", "provided_to")),
        ("提供先の氏名又は名称", "recipient_name"),
        ("提供先の住所", "recipient_address"),
        ("提供先の代表者氏名", "recipient_representative"),
        ("提供先の国", "recipient_country"),
        ("個人データの項目", "item_names"),
        ("本人の同意", "consent"),
    )),
    ("確認記録", "confirmation_records", (
        ("No.", None),
        ("記録の種類", "record_type"),
        ("受領年月日", ("received_from", "received_to")),
        ("提供元の氏名又は名称", "provider_name"),
        ("提供元の住所", "provider_address"),
        ("提供元の代表者氏名", "provider_representative"),
        ("取得の経緯", "acquisition"),
        ("個人データの項目", "item_names"),
        ("委員会公表の確認", "ppc_publication_checked"),
        ("本人の同意", "consent"),
    )),
)
_KIND_OF = {"provision_records": "provision", "confirmation_records": "confirmation"}
# Column widths on paper: the record sheets fit A4 landscape at about full size.
_WIDTHS = {"No.": 5, "記録の種類": 16, "提供年月日": 12, "受領年月日": 12, "提供先の国": 10,
           "委員会公表の確認": 10, "本人の同意": 18, "提供先の代表者氏名": 14,
           "提供元の代表者氏名": 14}
_WIDTH = 22
_COVER_WIDTHS = (18, 62)
LINE_HEIGHT = 18.75  # a line of Japanese text at 11 points


def _page(ws: Any, landscape: bool) -> None:
    """A4, one page wide, numbered pages."""
    ws.set_paper(9)
    if landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.fit_to_pages(1, 0)
    ws.set_footer("&C&P / &N")


def _cover_rows(analysis: Any, pid: str, counts: dict[str, int]) -> list[tuple[str, Any]]:
    reg = analysis.register
    org = reg.organization or {}
    name = (reg["principals"].by_key.get(pid) or {}).get("name")
    rows: list[tuple[str, Any]] = [
        ("本人ID", pid),
        ("氏名", name),
        ("作成日", analysis.as_of),
        ("事業者の名称", org.get("name")),
        ("住所", org.get("address")),
        ("代表者氏名", org.get("representative")),
        ("お問合せ窓口", org.get("contact")),
        ("提供記録の件数", counts["provision"]),
        ("確認記録の件数", counts["confirmation"]),
    ]
    return rows


def _cells(frame: pl.DataFrame, table: str, columns: Sequence[tuple[str, Any]]) -> list[list[Any]]:
    """The record sheet's rows: labels, ○/×, Japanese phrases and country names
    (display_frame), a date or `開始～終了`, items joined with 、."""
    spec = output_table(table)
    shown = display_frame(frame, spec.columns, "ja")
    rows: list[list[Any]] = []
    for n, rec in enumerate(shown.iter_rows(named=True), start=1):
        row: list[Any] = []
        for _header, source in columns:
            if source is None:
                row.append(n)
            elif isinstance(source, tuple):
                lo, hi = rec[source[0]], rec[source[1]]
                if lo is None or hi is None:
                    row.append(lo or hi)
                elif lo == hi:
                    row.append(lo)
                else:
                    row.append(f"{lo.isoformat()}{PERIOD}{hi.isoformat()}")
            elif isinstance(rec[source], list):
                row.append(ITEM_SEPARATOR.join(rec[source]) or None)
            else:
                row.append(rec[source])
        rows.append(row)
    return rows


def write_document(path: Path, analysis: Any, pid: str, frames: dict[str, pl.DataFrame]) -> None:
    """Write the 開示書 for principal `pid` to `path` (a temporary file of io/atomic.py)."""
    import xlsxwriter
    import xlsxwriter.xmlwriter

    from .io.writers import xlsxwriter_closed

    # as io/writers.py: a literal `_xHHHH_` in a cell is written so that it reads back as itself
    xlsxwriter.xmlwriter.re_control_chars_1 = re.compile(r"(_)(?=x[0-9a-fA-F]{4}_)")
    counts = {kind: frames[kind].height for kind in ("provision", "confirmation")}
    wb = xlsxwriter.Workbook(
        str(path),
        {
            "tmpdir": str(Path(path).parent),
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    wb.set_properties({"created": FIXED_CREATED})
    title_fmt = wb.add_format({"bold": True, "font_size": 14})
    label_fmt = wb.add_format({"bold": True, "valign": "top", "bg_color": "#DDEBF7",
                               "border": 1})
    value_fmt = wb.add_format({"text_wrap": True, "valign": "top", "border": 1})
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd", "valign": "top", "align": "left",
                              "border": 1})
    number_fmt = wb.add_format({"valign": "top", "align": "left", "border": 1})
    header_fmt = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1,
                                "text_wrap": True, "valign": "top"})
    cell_fmt = wb.add_format({"text_wrap": True, "valign": "top", "border": 1})
    cell_date_fmt = wb.add_format({"num_format": "yyyy-mm-dd", "valign": "top", "border": 1,
                                   "align": "left", "text_wrap": True})
    with xlsxwriter_closed(wb):
        ws = wb.add_worksheet(COVER_SHEET)
        _page(ws, landscape=False)
        ws.set_column(0, 0, _COVER_WIDTHS[0])
        ws.set_column(1, 1, _COVER_WIDTHS[1])
        ws.write_string(0, 0, TITLE, title_fmt)
        ws.set_row(0, 24)
        r = 2
        for label, value in _cover_rows(analysis, pid, counts):
            ws.write_string(r, 0, label, label_fmt)
            _write(ws, r, 1, value, number_fmt if isinstance(value, int) else value_fmt, date_fmt)
            ws.set_row(r, _height([value], [_COVER_WIDTHS[1]]))
            r += 1
        if counts["provision"] == 0 and counts["confirmation"] == 0:
            ws.write_string(r + 1, 0, NO_RECORDS)
        for sheet, table, columns in SHEETS:
            ws = wb.add_worksheet(sheet)
            _page(ws, landscape=True)
            ws.repeat_rows(0)
            ws.freeze_panes(1, 0)
            widths = [_WIDTHS.get(header, _WIDTH) for header, _source in columns]
            for j, (header, _source) in enumerate(columns):
                ws.write_string(0, j, header, header_fmt)
                ws.set_column(j, j, widths[j])
            ws.set_row(0, _height([h for h, _ in columns], widths))
            for i, row in enumerate(_cells(frames[_KIND_OF[table]], table, columns), start=1):
                for j, value in enumerate(row):
                    _write(ws, i, j, value, cell_fmt, cell_date_fmt)
                ws.set_row(i, _height(row, widths))


def _height(values: Sequence[Any], widths: Sequence[float]) -> float:
    """A row's height for its wrapped text: neither Excel nor LibreOffice grows a row for it
    on opening."""
    lines = 1
    for v, w in zip(values, widths, strict=True):
        if isinstance(v, str):
            room = max(w - 1.0, 1.0)
            n = display_width(v)
            lines = max(lines, 1 if n <= room else math.ceil(n * 1.15 / room))
    return LINE_HEIGHT * lines


def _write(ws: Any, r: int, c: int, value: Any, fmt: Any, date_fmt: Any) -> None:
    """One cell: text as text (never a formula), a date as a date cell, a count as a number;
    an empty value leaves the cell blank but bordered."""
    if value is None or value == "":
        ws.write_blank(r, c, None, fmt)
    elif isinstance(value, dt.date):
        ws.write_datetime(r, c, dt.datetime(value.year, value.month, value.day), date_fmt)
    elif isinstance(value, bool):
        ws.write_string(r, c, "○" if value else "×", fmt)
    elif isinstance(value, int):
        ws.write_number(r, c, value, fmt)
    else:
        ws.write_string(r, c, str(value), fmt)
