"""What the officer may type (japanese.md §5, §11): booleans, labels, lists, country names.

Each form is written into cells as an officer types them — an .xlsx with Japanese sheet names
and headers, and a cp932 CSV folder — and read back to exact values; what stays wrong is
located at its cell.
"""

from __future__ import annotations

import gettext
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from register import schema
from register.countries import (
    JAPANESE_NAMES,
    country_candidates,
    japanese_name_index,
    normalize_country,
)
from register.load import load
from register.values import parse_bool, split_list

from .conftest import base_register, findings_of

# --- the scalar rules ----------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["あり", "有り", "有", " あり ", "\u3000有\u3000"])
def test_japanese_yes(text):
    assert parse_bool(text) is True


@pytest.mark.parametrize("text", ["なし", "無し", "無", "\u3000なし"])
def test_japanese_no(text):
    assert parse_bool(text) is False


@pytest.mark.parametrize("text", ["✓", "済", "未定", "有無", "ありなし"])
def test_other_marks_are_not_booleans(text):
    assert parse_bool(text) is None


@pytest.mark.parametrize(
    "cell, ids",
    [
        ("A1;A2", ["A1", "A2"]),
        ("A1；A2", ["A1", "A2"]),
        ("A1、A2", ["A1", "A2"]),
        ("A1,A2", ["A1", "A2"]),
        ("A1，A2", ["A1", "A2"]),
        ("A1\nA2", ["A1", "A2"]),
        ("A1\r\nA2", ["A1", "A2"]),
        ("A1\rA2", ["A1", "A2"]),
        ("Ａ１、 A2 ,\nA3；；\r\n", ["A1", "A2", "A3"]),  # any mix, trimmed, empties dropped
        ("A1 A2", ["A1 A2"]),  # spaces do not separate: one invalid item
        ("A1/A2", ["A1/A2"]),
        ("A1・A2", ["A1・A2"]),
    ],
)
def test_list_separators(cell, ids):
    assert split_list(cell) == ids


def test_the_bundled_country_table_exactly():
    assert JAPANESE_NAMES == {
        "日本": "JP", "日本国": "JP", "米国": "US", "アメリカ": "US", "アメリカ合衆国": "US",
        "英国": "GB", "イギリス": "GB", "中国": "CN", "韓国": "KR", "大韓民国": "KR", "台湾": "TW",
        "香港": "HK", "シンガポール": "SG", "インド": "IN", "ベトナム": "VN", "フィリピン": "PH",
        "タイ": "TH", "インドネシア": "ID", "マレーシア": "MY", "オーストラリア": "AU", "豪州": "AU",
        "カナダ": "CA", "ドイツ": "DE", "フランス": "FR", "アイルランド": "IE", "オランダ": "NL",
    }
    for name, code in JAPANESE_NAMES.items():
        assert normalize_country(name) == code
        assert normalize_country(f" {name}\u3000") == code


@pytest.mark.parametrize(
    "text, code",
    [
        ("ドイツ連邦共和国", "DE"),  # official name, from the catalogue
        ("グレートブリテン及び北アイルランド連合王国", "GB"),
        ("中華人民共和国", "CN"),
        ("北朝鮮", "KP"),
        ("ｱﾒﾘｶ", "US"),  # half-width katakana folds (NFKC)
        ("jp", "JP"),
        ("UK", "GB"),
        ("ヨーロッパ", None),  # regions are not countries
        ("EU", None),
        ("欧州", None),
        ("Japan", None),  # an English name is not what the catalogue translates to
        ("日本　国", None),
    ],
)
def test_country_names(text, code):
    assert normalize_country(text) == code


def test_every_catalogue_name_reads_as_its_country():
    index = japanese_name_index()
    for name, codes in index.items():
        if len(codes) == 1:
            assert normalize_country(name) == next(iter(codes)), name


def test_a_name_of_two_countries_is_refused():
    class Catalogue(gettext.NullTranslations):
        def gettext(self, message: str) -> str:
            # both Congos called コンゴ, as a catalogue might have it
            return "コンゴ" if message in ("Congo", "Congo, The Democratic Republic of the") else message

    index = japanese_name_index(Catalogue())
    assert index["コンゴ"] == frozenset({"CG", "CD"})
    assert index["米国"] == frozenset({"US"})  # the table is always there


def test_a_name_the_table_and_catalogue_disagree_on_is_refused(monkeypatch):
    import register.countries as countries

    monkeypatch.setattr(countries, "_japanese_index", lambda: {"中国": frozenset({"CN", "TW"})})
    assert country_candidates("中国") == frozenset({"CN", "TW"})
    assert normalize_country("中国") is None


# --- in a workbook, as the officer fills it ------------------------------------------------------


def _ja(table: str) -> schema.TableSpec:
    return schema.table(table)


def write_ja_workbook(path: Path, reg: dict[str, Any]) -> Path:
    """The register as an .xlsx with Japanese sheet names and headers; cells as given (lists
    that are Python lists joined with ';', booleans as ○/×)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for table, rows in reg.items():
        spec = _ja(table)
        rows = [rows] if isinstance(rows, dict) else rows
        names = [c.name for c in spec.columns if any(c.name in r for r in rows)]
        ws = wb.create_sheet(spec.label_ja)
        ws.append([spec.column(n).label_ja for n in names])
        for r in rows:
            cells = []
            for n in names:
                v = r.get(n)
                if isinstance(v, list):
                    v = ";".join(v)
                elif isinstance(v, bool):
                    v = "○" if v else "×"
                cells.append(v)
            ws.append(cells)
    wb.save(path)
    return path


def _col_letter(table: str, column: str, reg: dict[str, Any]) -> str:
    rows = reg[table] if isinstance(reg[table], list) else [reg[table]]
    names = [c.name for c in _ja(table).columns if any(c.name in r for r in rows)]
    return openpyxl.utils.get_column_letter(names.index(column) + 1)


def _findings(path: Path, rule: str) -> list:
    return [f for f in findings_of(path) if f.rule == rule]


@pytest.mark.parametrize("yes, no", [("あり", "なし"), ("有り", "無し"), ("有", "無"), ("○", "×")])
def test_boolean_cells(tmp_path, yes, no):
    reg = base_register()
    reg["provisions"][0]["consent"] = yes
    reg["provisions"][0]["foreign_info_given"] = no
    t = load(write_ja_workbook(tmp_path / "r.xlsx", reg)).tables["provisions"]
    assert t.df["consent"].to_list() == [True]
    assert t.df["foreign_info_given"].to_list() == [False]
    assert not t.bad


@pytest.mark.parametrize("text", ["✓", "済", "未定"])
def test_other_boolean_text_is_sch003_at_its_cell(tmp_path, text):
    reg = base_register()
    reg["provisions"][0]["consent"] = text
    path = write_ja_workbook(tmp_path / "r.xlsx", reg)
    [f] = _findings(path, "SCH-003")
    assert (f.table, f.record, f.field) == ("provisions", "V1", "consent")
    assert f.location.sheet == "データ提供"
    assert f.location.cell == f"{_col_letter('provisions', 'consent', reg)}2"


def test_enum_cells_take_the_code_or_its_label(tmp_path):
    reg = base_register()
    reg["data_items"][0]["legal_class"] = "要配慮個人情報"
    reg["data_items"][1]["legal_class"] = "PERSONAL"
    reg["parties"][0]["kind"] = "法人でない団体"
    reg["provisions"][0]["basis"] = "本人の同意"
    reg["provisions"][0]["record_method"] = "一括記録"
    reg["datasets"][0]["source"] = "本人から取得"
    tables = load(write_ja_workbook(tmp_path / "r.xlsx", reg)).tables
    assert tables["data_items"].df["legal_class"].to_list() == ["special_care", "personal"]
    assert tables["parties"].df["kind"].to_list() == ["association"]
    assert tables["provisions"].df["basis"].to_list() == ["consent"]
    assert tables["provisions"].df["record_method"].to_list() == ["bulk"]
    assert tables["datasets"].df["source"].to_list() == ["principal"]


def test_receipts_only_labels(tmp_path):
    reg = base_register()
    reg["receipts"] = [
        {"receipt_id": "R1", "party_id": "P1", "basis": "個人関連情報の取得", "received_on": "令和6年4月1日",
         "item_ids": ["I1"], "consent": "あり"},
        {"receipt_id": "R2", "party_id": "P1", "basis": "事業者でない個人からの受領", "received_on": "2024/4/2",
         "item_ids": ["I1"]},
    ]
    t = load(write_ja_workbook(tmp_path / "r.xlsx", reg)).tables["receipts"]
    assert t.df["basis"].to_list() == ["person_related", "private"]


@pytest.mark.parametrize(
    "value",
    [
        "同意",  # free text
        "個人情報",  # a label of another column's enum (data_items.legal_class)
        "都度記録",  # record_method's
        "個人関連情報の取得",  # a receipts-only label: not a provisions basis
    ],
)
def test_a_label_of_another_column_or_free_text_is_sch004(tmp_path, value):
    reg = base_register()
    reg["provisions"][0]["basis"] = value
    path = write_ja_workbook(tmp_path / "r.xlsx", reg)
    [f] = _findings(path, "SCH-004")
    assert (f.table, f.record, f.field) == ("provisions", "V1", "basis")
    assert f.location.cell == f"{_col_letter('provisions', 'basis', reg)}2"
    hint = f.hint("ja")
    labels = schema.table("provisions").column("basis").enum_labels_ja
    assert "／".join(f"『{labels[c]}』" for c in schema.table("provisions").column("basis").enum) in hint


def test_list_cells_in_any_mix(tmp_path):
    reg = base_register()
    reg["provisions"][0]["item_ids"] = "Ｉ１、\nI2"
    reg["datasets"][0]["item_ids"] = "I1，I2"
    reg["provision_log"][0]["principal_ids"] = "A1\r\nA2,A3；A4、A5"
    path = write_ja_workbook(tmp_path / "r.xlsx", reg)
    tables = load(path).tables
    assert tables["provisions"].df["item_ids"].to_list() == [["I1", "I2"]]
    assert tables["datasets"].df["item_ids"].to_list() == [["I1", "I2"]]
    assert tables["provision_log"].df["principal_ids"].to_list() == [["A1", "A2", "A3", "A4", "A5"]]
    assert not any(f.rule.startswith("SCH") for f in findings_of(path))


@pytest.mark.parametrize("cell", ["A1 A2", "A1/A2", "A1・A2"])
def test_list_cells_with_other_separators_are_sch003(tmp_path, cell):
    reg = base_register()
    reg["provision_log"][0]["principal_ids"] = cell
    path = write_ja_workbook(tmp_path / "r.xlsx", reg)
    [f] = _findings(path, "SCH-003")
    assert (f.table, f.field) == ("provision_log", "principal_ids")
    assert f.location.cell == f"{_col_letter('provision_log', 'principal_ids', reg)}2"


@pytest.mark.parametrize(
    "name, code", [("米国", "US"), ("イギリス", "GB"), ("ドイツ連邦共和国", "DE"), ("ｼﾝｶﾞﾎﾟｰﾙ", "SG")]
)
def test_country_names_in_cells(tmp_path, name, code):
    reg = base_register()
    reg["parties"][0]["country"] = name
    reg["organization"]["country"] = "日本"
    reg["datasets"][0]["storage_country"] = name
    tables = load(write_ja_workbook(tmp_path / "r.xlsx", reg)).tables
    assert tables["parties"].df["country"].to_list() == [code]
    assert tables["organization"].df["country"].to_list() == ["JP"]
    assert tables["datasets"].df["storage_country"].to_list() == [code]


@pytest.mark.parametrize("name", ["ヨーロッパ", "EU", "欧州", "アメリカ国", "Japan"])
def test_unknown_country_names_are_sch003_at_the_cell(tmp_path, name):
    reg = base_register()
    reg["parties"][0]["country"] = name
    path = write_ja_workbook(tmp_path / "r.xlsx", reg)
    [f] = _findings(path, "SCH-003")
    assert (f.table, f.record, f.field) == ("parties", "P1", "country")
    assert f.location.sheet == "相手方"
    assert f.location.cell == f"{_col_letter('parties', 'country', reg)}2"
    assert "国名" in f.message("ja")


def test_an_ambiguous_country_name_is_sch003_naming_the_candidates(tmp_path, monkeypatch):
    import register.countries as countries

    monkeypatch.setattr(countries, "_japanese_index", lambda: {"コンゴ": frozenset({"CG", "CD"})})
    reg = base_register()
    reg["parties"][0]["country"] = "コンゴ"
    path = write_ja_workbook(tmp_path / "r.xlsx", reg)
    [f] = _findings(path, "SCH-003")
    assert (f.table, f.field) == ("parties", "country")
    assert f.location.cell == f"{_col_letter('parties', 'country', reg)}2"
    assert "『CD』／『CG』" in f.message("ja")


# --- a cp932 CSV folder, as Japanese Excel saves it ------------------------------------------------


def test_cp932_csv_folder_with_japanese_forms(tmp_path):
    d = tmp_path / "台帳"
    d.mkdir()

    def write(table: str, header: list[str], rows: list[list[str]]) -> None:
        spec = schema.table(table)
        lines = [",".join(spec.column(h).label_ja for h in header)]
        lines += [",".join(f'"{c}"' if any(x in c for x in ',\n"') else c for c in r) for r in rows]
        (d / f"{spec.label_ja}.csv").write_bytes(("\r\n".join(lines) + "\r\n").encode("cp932"))

    write("organization", ["name", "address", "representative", "contact", "country"],
          [["株式会社テスト", "東京都", "山田太郎", "03-0000-0000", "日本"]])
    write("data_items", ["item_id", "name", "legal_class"], [["Ｉ１", "氏名", "個人情報"]])
    write("parties", ["party_id", "name", "kind", "country", "address", "representative"],
          [["P1", "Partner Inc.", "法人", "アメリカ", "NY", "J. Doe"]])
    write("provisions", ["provision_id", "party_id", "basis", "item_ids", "consent", "foreign_info_given"],
          [["V1", "P1", "本人の同意", "I1", "有", "あり"]])
    write("provision_log", ["event_id", "provision_id", "provided_on", "principal_ids"],
          [["E1", "V1", "令和６年４月１日", "A1，A2\r\nA3"]])
    tables = load(d).tables
    assert tables["organization"].df["country"].to_list() == ["JP"]
    assert tables["parties"].df["country"].to_list() == ["US"]
    assert tables["provisions"].df.select("basis", "consent", "foreign_info_given").row(0) == (
        "consent", True, True)
    assert tables["provision_log"].df["principal_ids"].to_list() == [["A1", "A2", "A3"]]
    assert str(tables["provision_log"].df["provided_on"][0]) == "2024-04-01"


# --- the 0.1 names stay accepted -----------------------------------------------------------------

# Sheet names and headers the 0.1 template wrote (a sample: the labels may gain synonyms, but
# never lose these).
V01_NAMES = {
    "organization": ("事業者", ["名称", "住所", "代表者氏名", "問合せ窓口", "法人番号", "国"]),
    "data_items": ("個人データ項目", ["項目ID", "項目名", "情報区分"]),
    "parties": ("相手方", ["相手方ID", "名称", "種別", "住所", "代表者氏名", "国", "越境移転の体制", "体制の確認日"]),
    "provisions": ("データ提供", ["提供ID", "提供先ID", "提供の根拠", "提供項目ID", "本人同意", "外国提供の情報提供",
                                "記録方法", "提供開始日", "提供終了日"]),
    "provision_log": ("提供実績", ["提供実績ID", "提供ID", "提供日", "本人ID", "記録作成日"]),
    "receipts": ("受領", ["受領ID", "提供元ID", "受領の根拠", "受領日", "取得の経緯", "提供者の確認",
                         "委員会公表の確認"]),
}


def test_the_01_sheet_names_and_headers_are_accepted():
    for table, (sheet, headers) in V01_NAMES.items():
        assert schema.match_table(sheet) == table
        index = schema.table(table).header_index
        for h in headers:
            assert schema.fold(h) in index, (table, h)
