"""Write the sample register as a privacy officer keeps it by hand: 個人情報管理台帳 (japanese.md §5).

The same register as register.json, typed the way people fill a Japanese workbook — not the
way a program writes it:

- ledger_ja/個人情報管理台帳.xlsx: Japanese sheet names and headers, a title row above the
  header on some sheets, ○/× and あり/なし/有/無 in yes/no columns, Japanese labels in coded
  columns, dates as 令和 text (令和6年4月1日, R6.4.1), as 2024/4/1 text or as date cells, IDs
  and numbers with full-width digits here and there, lists separated by 、 or line breaks
  (Alt+Enter) or ，, countries by their Japanese names;
- ledger_ja/csv/: the same cells saved by Japanese Excel as "CSV (comma delimited)": one
  cp932 file per sheet, CR LF, Japanese file names.

Every choice is a function of the table, column and row, so the output is the same bytes on
every run. tests/test_ledger_ja.py checks that `check`, `records` and `report` give the same
results on both as on register.json: rebuild after build_sample.py.

Run: .venv/bin/python sample_data/build_ledger_ja.py
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
import zlib
from pathlib import Path
from typing import Any

import xlsxwriter

from register import schema
from register.convert import register_out
from register.countries import country_name, normalize_country
from register.io.csvsafe import neutralise
from register.load import load
from register.values import format_era

HERE = Path(__file__).resolve().parent
OUT = HERE / "ledger_ja"
BOOK = "個人情報管理台帳.xlsx"
FIXED = dt.datetime(2000, 1, 1)

# A title row above the header, as officers add one (the readers find the header below it).
TITLES = {
    "organization": "個人情報管理台帳　事業者情報",
    "datasets": "個人情報データベース等の一覧（2026年度）",
    "provisions": "第三者提供・委託等の一覧",
}
_FULL = str.maketrans("0123456789-", "０１２３４５６７８９－")


def pick(*key: Any) -> int:
    """A fixed 'random' choice for a cell: the same table, column and row give the same one."""
    return zlib.crc32("|".join(map(str, key)).encode("utf-8"))


def full_width(text: str) -> str:
    return text.translate(_FULL)


def bool_cell(v: bool, k: int) -> str:
    words = [("○", "×"), ("○", "×"), ("○", "×"), ("あり", "なし"), ("有", "無"), ("有り", "無し")]
    yes, no = words[k % len(words)]
    return yes if v else no


def date_cell(d: dt.date, k: int) -> Any:
    form = k % 5
    if d < dt.date(1868, 10, 23) or form == 0:
        return d  # a date cell (xlsx) / 2024/4/1 (CSV, as Excel writes a date cell)
    if form in (1, 2):
        return format_era(d, "kanji")  # 令和6年4月1日, 平成31年4月30日, 令和元年5月1日
    if form == 3:
        return full_width(format_era(d, "kanji"))  # 令和６年４月１日
    return format_era(d, "letter")  # R6.4.1


def list_cell(items: list[str], k: int) -> str:
    sep = ["、", "\n", "、", "，", ";"][k % 5]
    return sep.join(items)


def country_cell(code: str, k: int) -> str:
    name = country_name(code, "ja")
    # only a name that reads back as the code (japanese.md §5); now and then the code itself
    return name if k % 4 and normalize_country(name) == code else code


def typed(col: schema.Column | None, v: Any, k: int) -> Any:
    """A normalised value as the officer types it."""
    if v is None:
        return None
    if col is None:
        return v
    if col.kind == "bool":
        return bool_cell(v, k)
    if col.kind == "date":
        return date_cell(v, k)
    if col.kind == "ids":
        items = [col.enum_labels_ja.get(x, x) for x in v] if col.enum else list(v)
        if not items:
            return None
        if not col.enum and k % 7 == 0:
            items = [full_width(x) for x in items]
        return list_cell(items, k)
    if col.kind == "enum":
        return col.enum_labels_ja.get(v, v) if k % 6 else v  # the label; now and then the code
    if col.kind == "country":
        return country_cell(v, k)
    if col.kind == "id":
        return full_width(v) if k % 9 == 0 else v
    if col.kind == "int":
        return f"{v:,}".translate(_FULL).replace(",", "，") if k % 3 == 0 else v
    return v


def sheets() -> list[tuple[str, str | None, list[str], list[list[Any]]]]:
    """(sheet name, title row or None, headers, rows of cells) from register.json."""
    reg = load(HERE / "register.json")
    out = []
    for t in register_out(reg):
        spec = schema.table_map().get(t.name)
        cols = [spec.by_name.get(c.header) if spec else None for c in t.columns]
        headers = [c.label_ja if c else oc.header for c, oc in zip(cols, t.columns, strict=True)]
        values = [oc.values.to_list() for oc in t.columns]
        verbatim = [oc.verbatim.to_list() if oc.verbatim is not None else None for oc in t.columns]
        rows = []
        for i in range(t.height):
            row = []
            for j, c in enumerate(cols):
                if verbatim[j] is not None and verbatim[j][i] is not None:
                    row.append(verbatim[j][i])
                else:
                    row.append(typed(c, values[j][i], pick(t.name, headers[j], i)))
            rows.append(row)
        out.append((spec.label_ja if spec else t.name, TITLES.get(t.name), headers, rows))
    return out


def write_book(path: Path, data) -> None:
    wb = xlsxwriter.Workbook(
        str(path), {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    )
    wb.set_properties({"created": FIXED, "author": "個人情報保護管理者"})
    head = wb.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True})
    title = wb.add_format({"bold": True, "font_size": 14})
    date = wb.add_format({"num_format": "yyyy/m/d"})  # how Japanese Excel shows a typed date
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    for name, title_text, headers, rows in data:
        ws = wb.add_worksheet(name)
        r0 = 0
        if title_text:
            ws.write_string(0, 0, title_text, title)
            r0 = 2  # a title, a blank row, then the header
        for j, h in enumerate(headers):
            ws.write_string(r0, j, h, head)
            ws.set_column(j, j, 16)
        for i, row in enumerate(rows):
            for j, v in enumerate(row):
                r = r0 + 1 + i
                if v is None:
                    continue
                if isinstance(v, dt.date):
                    ws.write_datetime(r, j, dt.datetime(v.year, v.month, v.day), date)
                elif isinstance(v, int) and not isinstance(v, bool):
                    ws.write_number(r, j, v)
                else:
                    ws.write_string(r, j, str(v), wrap if "\n" in str(v) else None)
        ws.freeze_panes(r0 + 1, 0)
    wb.close()


def csv_text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, dt.date):
        return f"{v.year}/{v.month}/{v.day}"  # Excel writes a date cell to CSV so
    if isinstance(v, int):
        return str(v)
    return neutralise(str(v))


def write_csv(folder: Path, data) -> None:
    folder.mkdir(parents=True)
    for name, title_text, headers, rows in data:
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        if title_text:
            w.writerow([title_text] + [""] * (len(headers) - 1))
            w.writerow([""] * len(headers))
        w.writerow(headers)
        for row in rows:
            w.writerow([csv_text(v) for v in row])
        # a line break inside a cell stays LF, as Excel writes it; records end with CR LF
        (folder / f"{name}.csv").write_bytes(buf.getvalue().encode("cp932"))


def main(out: Path = OUT) -> Path:
    data = sheets()
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    write_book(out / BOOK, data)
    write_csv(out / "csv", data)
    return out


if __name__ == "__main__":
    print(main())
