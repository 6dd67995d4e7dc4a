"""The words of the officer's workbook (template and `convert --lang ja`), in both languages.

Declared here, apart from the layout code in template.py; labels of tables, columns and codes
come from the schemas, not from here.
"""

from __future__ import annotations

from typing import Any

T: dict[str, dict[str, str]] = {
    "title": {
        "en": "Register template: how to fill it in",
        "ja": "個人情報管理台帳テンプレート　記入ガイド",
    },
    "intro": {
        "en": "\n".join(
            [
                "One sheet per table, one row per record, the header in row 1. Keep the headers as "
                "they are (English names or the Japanese labels are both accepted).",
                "Header colours: orange = required; yellow = required in the cases the 'required' "
                "column below states (the rule ID is the finding you get otherwise); blue = optional.",
                "Lists of IDs: separate them with ';' (',', '、' and line breaks work too), e.g. I-01;I-02.",
                "Dates: YYYY-MM-DD; YYYY/M/D and Japanese era dates (令和5年4月1日, R5.4.1) are accepted too.",
                "Yes/no columns: choose true or false (yes/no, 1/0, ○/×, はい/いいえ, あり/なし are accepted too).",
                "Coded columns: choose a code from the dropdown (the Japanese labels below are accepted too).",
                "ID columns that name a row of another sheet offer that sheet's IDs: fill that sheet first.",
                "'self' stands for your own organization where the column says so.",
                "Check the filled workbook with:  register check <file>.xlsx",
            ]
        ),
        "ja": "\n".join(
            [
                "1シートが1つの表、1行が1件です。見出しは1行目にあります。見出しは変更しないでください"
                "（日本語の見出しでも英語の列名でも読み込めます）。",
                "見出しの色：オレンジ＝必須、黄色＝条件付き必須（下の「必須」欄の場合に必要。"
                "括弧内は記入がないときに出るチェックのID）、青＝任意。",
                "IDを複数記入するときは「;」で区切ります（例：I-01;I-02）。「、」「,」や改行（Alt+Enter）で区切っても構いません。",
                "日付は YYYY-MM-DD で記入します。YYYY/M/D や和暦（令和5年4月1日、R5.4.1）も使えます。",
                "はい／いいえの列はプルダウンの ○ か × を選びます（あり／なし、有／無、はい／いいえ も使えます）。",
                "区分の列はプルダウンから選びます。選べる値と意味は下の表のとおりです。",
                "他のシートの行を指すIDの列では、そのシートのIDを選べます。先にそのシートに記入してください。",
                "自社を表すIDは self です（使える列は下の表のとおり）。",
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
    "conditional": {"en": "conditionally required: {when} ({rules})", "ja": "条件付き必須：{when}（{rules}）"},
    "table_key": {"en": "key column: {key}", "ja": "キー列：{key}"},
    "single_row": {"en": "exactly one row", "ja": "1行だけ記入"},
    "required_table": {"en": "this sheet is required", "ja": "このシートは必須"},
    "id": {
        "en": "an ID: letters, digits, _ . - (starts with a letter or digit; at most 64)",
        "ja": "ID（英数字と _ . -。先頭は英数字、64文字まで）",
    },
    "ids": {
        "en": "IDs separated by ';' (',', '、' or line breaks also work)",
        "ja": "ID（複数は「;」で区切る。「、」「,」や改行でも可）",
    },
    "date": {
        "en": "a date: YYYY-MM-DD (YYYY/M/D and era dates accepted)",
        "ja": "日付：YYYY-MM-DD（YYYY/M/D、和暦も可）",
    },
    "bool": {
        "en": "true / false (also yes/no, ○/×, はい/いいえ, あり/なし)",
        "ja": "○（はい）／ ×（いいえ）。あり／なし、有／無、true／false も可",
    },
    "int": {"en": "a whole number", "ja": "整数"},
    "int_min": {"en": "a whole number ≥ {min}", "ja": "{min}以上の整数"},
    "country": {
        "en": "a country code, ISO 3166-1 alpha-2 (JP, US, GB …), or its Japanese name",
        "ja": "国コード（JP、US、GB など）または国名（日本、米国、英国など。地域名は不可）",
    },
    "corporate_number": {
        "en": "the 13-digit corporate number (check digit verified)",
        "ja": "法人番号（13桁、チェックディジットを検証）",
    },
    "text": {"en": "text", "ja": "文字列"},
    "enum": {"en": "one of (code: meaning):", "ja": "次のいずれか："},
    "code_list": {
        "en": "one or more of (separated by ';'):",
        "ja": "次の1つ以上（複数は「;」で区切る）：",
    },
    "references": {"en": "an ID of the sheet {table}", "ja": "「{table}」シートのID"},
    "allow_self": {"en": "or self (your organization)", "ja": "自社は self"},
    "default": {"en": "empty means {value}", "ja": "空欄の場合：{value}"},
    "default_from": {"en": "empty means the same as {column}", "ja": "空欄の場合は「{column}」と同じ"},
    "not_in_list": {"en": "Not one of the listed values", "ja": "一覧にない値です"},
    "see_guide": {
        "en": "This column accepts what the sheet '{guide}' lists for it. Keep the value?",
        "ja": "この列に入力できる値は「{guide}」シートを参照してください。このまま入力しますか？",
    },
    "not_an_id": {"en": "Not an ID of the sheet {table}", "ja": "「{table}」シートにないIDです"},
    "pick_message": {
        "en": "Choose an ID from the column {key} of the sheet {table} (fill that sheet first).",
        "ja": "「{table}」シートの「{key}」列のIDを選んでください（先にそのシートに記入します）。",
    },
    "pick_self": {"en": " 'self' is your organization.", "ja": "自社は self と記入します。"},
}


def words(name: str, lang: str, **kw: Any) -> str:
    return T[name][lang].format(**kw)
