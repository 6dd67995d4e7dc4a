"""`register template`: a blank workbook a privacy officer can fill in, derived from the schemas.

Every table is a sheet, every column a header (the canonical name, or its Japanese label with
`--lang ja`). Headers carry no markers: required columns are shown by style and in the guide
sheet. Enum and boolean columns get a dropdown of their code values (codes are never
translated: they are what the register stores); the guide sheet explains every column.
The workbook is byte-for-byte the same on every run.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

from . import schema
from .io.atomic import atomic_file
from .io.writers import DATE_FORMAT, FIXED_CREATED

GUIDE_NAME = {"en": "guide", "ja": "記入ガイド"}  # register/io/sheets.py skips both names
LAST_ROW = 1_048_575  # 0-based index of Excel's last row: dropdowns cover the whole column
VALIDATION_LIST_MAX = 255  # Excel's limit for an inline dropdown list (comma-joined)
INPUT_MESSAGE_MAX = 255
INPUT_TITLE_MAX = 32

REQUIRED_FILL = "#F8CBAD"  # orange: required
OPTIONAL_FILL = "#DDEBF7"  # light blue: optional

T: dict[str, dict[str, str]] = {
    "title": {
        "en": "Register template: how to fill it in",
        "ja": "個人情報管理台帳テンプレート　記入ガイド",
    },
    "intro": {
        "en": "\n".join(
            [
                "One sheet per table, one row per record. Keep the header row as it is "
                "(English names or the Japanese labels are both accepted).",
                "Orange headers are required columns; blue headers are optional. "
                "The 'Required' column below says the same.",
                "Lists of IDs: separate them with ';' (e.g. I-01;I-02).",
                "Dates: YYYY-MM-DD; YYYY/M/D and Japanese era dates (令和5年4月1日, R5.4.1) are accepted too.",
                "Yes/no columns: choose true or false (yes/no, 1/0, ○/× and はい/いいえ are accepted too).",
                "Coded columns: choose a value from the dropdown; the codes are listed below.",
                "'self' stands for your own organization (only in joint_uses).",
                "Check the filled workbook with:  register check <file>.xlsx",
            ]
        ),
        "ja": "\n".join(
            [
                "1シートが1つの表、1行が1件です。見出し行は変更しないでください"
                "（日本語の見出しでも英語の列名でも読み込めます）。",
                "オレンジ色の見出しは必須の列、青色の見出しは任意の列です（下の「必須」欄も参照）。",
                "IDを複数記入するときは「;」で区切ります（例：I-01;I-02）。",
                "日付は YYYY-MM-DD で記入します。YYYY/M/D や和暦（令和5年4月1日、R5.4.1）も使えます。",
                "はい／いいえの列は true か false を選びます（はい/いいえ、○/×、1/0 も使えます）。",
                "コード値の列はプルダウンから選びます。コード値の意味は下の表のとおりです。",
                "自社を表すIDは self です（共同利用シートでのみ使えます）。",
                "記入後は  register check <ファイル名>.xlsx --lang ja  で確認できます。",
            ]
        ),
    },
    "headers": {
        "en": "sheet|column|also accepted as|required|meaning|allowed values|example",
        "ja": "シート|列名|英語の列名|必須|説明|入力できる値|記入例",
    },
    "required": {"en": "required", "ja": "必須"},
    "optional": {"en": "optional", "ja": "任意"},
    "table_key": {"en": "key column: {key}", "ja": "キー列：{key}"},
    "single_row": {"en": "exactly one row", "ja": "1行だけ記入"},
    "required_table": {"en": "this sheet is required", "ja": "このシートは必須"},
    "id": {
        "en": "an ID: letters, digits, _ . - (starts with a letter or digit; at most 64)",
        "ja": "ID（英数字と _ . -。先頭は英数字、64文字まで）",
    },
    "ids": {
        "en": "IDs separated by ';'",
        "ja": "ID（複数は「;」で区切る）",
    },
    "date": {
        "en": "a date: YYYY-MM-DD (YYYY/M/D and era dates accepted)",
        "ja": "日付：YYYY-MM-DD（YYYY/M/D、和暦も可）",
    },
    "bool": {
        "en": "true / false",
        "ja": "true（はい）/ false（いいえ）",
    },
    "int": {"en": "a whole number", "ja": "整数"},
    "int_min": {"en": "a whole number ≥ {min}", "ja": "{min}以上の整数"},
    "country": {
        "en": "a country code, ISO 3166-1 alpha-2 (JP, US, GB …)",
        "ja": "国コード（ISO 3166-1 alpha-2：JP、US、GB など）",
    },
    "corporate_number": {
        "en": "the 13-digit corporate number (check digit verified)",
        "ja": "法人番号（13桁、チェックディジットを検証）",
    },
    "text": {"en": "text", "ja": "文字列"},
    "enum": {"en": "one of:", "ja": "次のいずれか："},
    "references": {"en": "IDs from the sheet {table}", "ja": "「{table}」シートのID"},
    "allow_self": {"en": "or self (your organization)", "ja": "自社は self"},
    "default": {"en": "empty means {value}", "ja": "空欄の場合：{value}"},
    "default_from": {"en": "empty means the same as {column}", "ja": "空欄の場合は「{column}」と同じ"},
    "not_in_list": {"en": "Not one of the listed values", "ja": "一覧にない値です"},
}


def _t(name: str, lang: str, **kw: Any) -> str:
    return T[name][lang].format(**kw)


def allowed_values(table: schema.TableSpec, col: schema.Column, lang: str) -> str:
    """What a column accepts, in words, for the guide sheet (enum codes with their meaning)."""
    parts: list[str] = []
    if col.enum:  # an enum, or a list of codes
        parts.append(_t("enum", lang))
        for code in col.enum:
            meaning = (
                col.enum_labels_ja.get(code, "") if lang == "ja" else col.enum_descriptions.get(code, "")
            )
            parts.append(f"{code}: {meaning}" if meaning else code)
    elif col.kind == "int" and col.minimum is not None:
        parts.append(_t("int_min", lang, min=col.minimum))
    else:
        parts.append(_t(col.kind, lang))
    if col.references:
        ref = schema.table(col.references)
        parts.append(_t("references", lang, table=ref.label(lang)))
        if col.allow_self:
            parts.append(_t("allow_self", lang))
    if col.default is not None:
        value = col.default
        if col.kind == "enum" and lang == "ja" and value in col.enum_labels_ja:
            value = f"{value}（{col.enum_labels_ja[value]}）"
        parts.append(_t("default", lang, value=value))
    if col.default_from:
        parts.append(_t("default_from", lang, column=table.column(col.default_from).label(lang)))
    return "\n".join(parts)


def display_width(text: str) -> int:
    """Columns a text takes on screen: East Asian wide characters count twice."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _width(*texts: str | None) -> float:
    longest = max((display_width(line) for t in texts if t for line in t.split("\n")), default=8)
    return float(min(max(longest + 2, 10), 48))


def _dropdown(col: schema.Column, lang: str) -> dict[str, Any] | None:
    """The data validation of an enum or boolean column (None for other columns)."""
    if col.kind == "enum":
        values = list(col.enum)
    elif col.kind == "bool":
        values = ["true", "false"]
    else:
        return None
    if len(",".join(values)) > VALIDATION_LIST_MAX:
        raise ValueError(f"{col.name}: too many values for an inline dropdown")  # schema bug
    v: dict[str, Any] = {
        "validate": "list",
        "source": values,
        # A warning, not a stop: the loader also accepts the Japanese labels and ○/×.
        "error_type": "warning",
        "error_title": _t("not_in_list", lang)[:INPUT_TITLE_MAX],
        "error_message": ", ".join(values)[:INPUT_MESSAGE_MAX],
    }
    if col.kind == "enum" and lang == "ja":
        message = "\n".join(f"{c}＝{col.enum_labels_ja.get(c, c)}" for c in col.enum)
        if len(message) <= INPUT_MESSAGE_MAX:
            v["input_title"] = col.label_ja[:INPUT_TITLE_MAX]
            v["input_message"] = message
    return v


def write_template(out: Path, lang: str = "en", force: bool = False) -> Path:
    """Write the blank register workbook (xlsxwriter), atomically; return its path.

    An existing file is never replaced (it may be a filled-in register) unless `force`.
    """
    import xlsxwriter

    from .io.writers import xlsxwriter_closed

    if lang not in GUIDE_NAME:
        raise ValueError(f"unknown language {lang!r}")
    # Everything read from the schemas is read before the output is opened: a failure there
    # is not a failure to write (atomic.py).
    specs = schema.tables()
    guide = guide_rows(lang)
    with atomic_file(out, overwrite=force) as tmp:
        wb = xlsxwriter.Workbook(
            str(tmp),
            {
                "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,
                # its temporary files go with the scratch folder, whatever happens (atomic.py)
                "tmpdir": str(tmp.parent),
            },
        )
        wb.set_properties(
            {
                "title": T["title"][lang],
                "created": FIXED_CREATED,
                "author": "",
                "comments": "register template",
            }
        )
        fmt = _formats(wb)
        with xlsxwriter_closed(wb):
            _guide(wb.add_worksheet(GUIDE_NAME[lang]), fmt, lang, guide)
            for spec in specs:
                _table_sheet(wb.add_worksheet(spec.label(lang)), spec, fmt, lang)
    return out


def _formats(wb: Any) -> dict[str, Any]:
    head = {"bold": True, "border": 1, "valign": "top", "text_wrap": True}
    return {
        "required": wb.add_format({**head, "bg_color": REQUIRED_FILL}),
        "optional": wb.add_format({**head, "bg_color": OPTIONAL_FILL}),
        "text": wb.add_format({"num_format": "@"}),
        "date": wb.add_format({"num_format": DATE_FORMAT}),
        "int": wb.add_format({"num_format": "0"}),
        "title": wb.add_format({"bold": True, "font_size": 14}),
        "intro": wb.add_format({"text_wrap": True, "valign": "top"}),
        "guide_head": wb.add_format({"bold": True, "border": 1, "bg_color": "#D9D9D9"}),
        "guide_table": wb.add_format(
            {"bold": True, "bg_color": "#FFF2CC", "top": 1, "text_wrap": True, "valign": "top"}
        ),
        "cell": wb.add_format({"text_wrap": True, "valign": "top"}),
        "cell_required": wb.add_format({"text_wrap": True, "valign": "top", "bg_color": REQUIRED_FILL}),
    }


def _table_sheet(ws: Any, spec: schema.TableSpec, fmt: dict[str, Any], lang: str) -> None:
    for j, col in enumerate(spec.columns):
        header = col.label(lang)
        ws.write_string(0, j, header, fmt["required" if col.required else "optional"])
        cell_fmt = fmt["date"] if col.kind == "date" else fmt["int"] if col.kind == "int" else fmt["text"]
        # Text format on ID, code and text columns keeps Excel from turning 0012 into 12 or
        # 1/2 into a date; dates get a date format so typed dates show as dates.
        ws.set_column(j, j, _width(header, col.example), cell_fmt)
        dv = _dropdown(col, lang)
        if dv is not None:
            ws.data_validation(1, j, LAST_ROW, j, dv)
    ws.freeze_panes(1, 0)


def guide_rows(lang: str) -> list[tuple[str, str, str, str, str, str, str, bool]]:
    """The guide's rows: (sheet, column, other name, required, meaning, values, example, is_table)."""
    rows = []
    for spec in schema.tables():
        notes = [spec.description[lang]]
        extra = []
        if spec.required_table:
            extra.append(_t("required_table", lang))
        if spec.single_row:
            extra.append(_t("single_row", lang))
        if spec.key:
            extra.append(_t("table_key", lang, key=spec.column(spec.key).label(lang)))
        if extra:
            notes.append("（" + "、".join(extra) + "）" if lang == "ja" else "(" + "; ".join(extra) + ")")
        other = spec.name if lang == "ja" else spec.label_ja
        rows.append((spec.label(lang), "", other, "", "\n".join(notes), "", "", True))
        for col in spec.columns:
            rows.append(
                (
                    spec.label(lang),
                    col.label(lang),
                    col.name if lang == "ja" else col.label_ja,
                    _t("required" if col.required else "optional", lang),
                    col.description[lang] or col.description["en"],
                    allowed_values(spec, col, lang),
                    col.example or "",
                    False,
                )
            )
    return rows


def _guide(ws: Any, fmt: dict[str, Any], lang: str, rows: list | None = None) -> None:
    ws.write_string(0, 0, T["title"][lang], fmt["title"])
    intro = T["intro"][lang]
    ws.merge_range(1, 0, 1, 6, intro, fmt["intro"])
    ws.set_row(1, 15 * (intro.count("\n") + 1) + 6)
    header_row = 3
    for j, h in enumerate(T["headers"][lang].split("|")):
        ws.write_string(header_row, j, h, fmt["guide_head"])
    for j, w in enumerate((18, 24, 24, 8, 50, 50, 24)):
        ws.set_column(j, j, w)
    r = header_row + 1
    for sheet, column, other, required, meaning, values, example, is_table in (
        guide_rows(lang) if rows is None else rows
    ):
        style = fmt["guide_table"] if is_table else fmt["cell"]
        cells = (sheet, column, other, required, meaning, values, example)
        for j, v in enumerate(cells):
            if j == 3 and required == _t("required", lang):
                ws.write_string(r, j, v, fmt["cell_required"])
            else:
                ws.write_string(r, j, v, style)
        r += 1
    ws.freeze_panes(header_row + 1, 0)
