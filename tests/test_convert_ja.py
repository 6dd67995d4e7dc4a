"""`register convert … --lang ja` (japanese.md §8): the officer's workbook with the data in it,
and the Japanese CSV folder — both read back to the same register."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import openpyxl
import pytest

from register import schema
from register.convert import convert
from register.load import load
from register.template import FILLS, GUIDE_NAME

from .conftest import SAMPLE, base_register, run_cli, write_json


def _register() -> dict:
    reg = base_register()
    reg["parties"].append({"party_id": "P2", "name": "Partner Inc.", "kind": "corporation",
                           "address": "NY", "representative": "J. Doe", "country": "US",
                           "foreign_safeguard": "system", "safeguard_checked_on": "2026-01-05"})
    reg["provisions"][0].update(record_method="bulk", foreign_info_given=False,
                                starts_on="2024-04-01")
    reg["provision_log"][0]["principal_ids"] = ["A1", "A2"]
    reg["data_items"][0]["社内メモ"] = "確認中"  # an unknown column
    reg["メモ"] = [{"日付": "2024-01-01", "内容": "棚卸し"}]  # an unknown sheet
    return reg


@pytest.fixture
def ja_book(tmp_path) -> tuple[Path, openpyxl.Workbook, Path]:
    src = write_json(tmp_path, _register())
    out = tmp_path / "台帳.xlsx"
    convert(str(src), str(out), "ja")
    return out, openpyxl.load_workbook(out), src


def _row(ws, n: int = 2) -> dict[str, object]:
    headers = [c.value for c in ws[1]]
    return dict(zip(headers, [c.value for c in ws[n]], strict=True))


def test_the_workbook_has_the_templates_sheets_then_unknown_ones(ja_book):
    _, wb, _ = ja_book
    assert wb.sheetnames == [GUIDE_NAME["ja"]] + [t.label_ja for t in schema.tables()] + ["メモ"]
    for spec in schema.tables():
        known = [c.value for c in wb[spec.label_ja][1]][: len(spec.columns)]
        assert known == [c.label_ja for c in spec.columns]
    assert [c.value for c in wb["個人データ項目"][1]][-1] == "社内メモ"  # after the known ones
    assert [c.value for c in wb["メモ"][2]] == ["2024-01-01", "棚卸し"]


def test_cells_show_labels_marks_dates_lists_and_codes(ja_book):
    _, wb, _ = ja_book
    item = _row(wb["個人データ項目"])
    assert item["情報区分"] == "個人情報" and item["社内メモ"] == "確認中"
    provision = _row(wb["データ提供"])
    assert provision["提供の根拠"] == "本人の同意"
    assert provision["記録方法"] == "一括記録"
    assert provision["本人同意"] == "○" and provision["外国提供の情報提供"] == "×"
    assert provision["提供項目ID"] == "I1;I2"
    assert provision["提供開始日"] == dt.datetime(2024, 4, 1)
    ws = wb["データ提供"]
    letter = openpyxl.utils.get_column_letter([c.name for c in schema.table("provisions").columns]
                                              .index("starts_on") + 1)
    assert ws[f"{letter}2"].is_date and ws[f"{letter}2"].number_format == "yyyy-mm-dd"
    party = _row(wb["相手方"], 3)
    assert party["国"] == "US"  # countries stay ISO codes: every code round-trips
    assert party["越境移転の体制"] == "基準適合体制"
    log = _row(wb["提供実績"])
    assert log["本人ID"] == "A1;A2" and log["提供日"] == dt.datetime(2026, 4, 1)


def test_the_workbook_keeps_the_templates_layout(ja_book):
    _, wb, _ = ja_book
    ws = wb["データ提供"]
    formulas = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in ws.data_validations.dataValidation}
    assert formulas["B2"] == "'相手方'!$A$2:$A$1048576"
    assert formulas["C2"].startswith('"本人の同意,オプトアウト,')
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.fitToWidth) == 1
    assert ws.print_title_rows == "$1:$1" and ws.freeze_panes == "A2"
    assert ws["A1"].fill.fgColor.rgb == "FF" + FILLS["required"].lstrip("#")


def test_the_workbook_reads_back_to_the_same_register(ja_book, tmp_path):
    out, _, src = ja_book
    back = tmp_path / "back.json"
    convert(str(out), str(back))
    given = json.loads(src.read_text(encoding="utf-8"))
    got = json.loads(back.read_text(encoding="utf-8"))
    # the workbook holds every sheet of the template: the tables the input lacked read as empty
    assert {k: v for k, v in got.items() if k in given or v} == given


def test_invalid_cells_are_written_as_given(tmp_path):
    reg = base_register()
    reg["provision_log"][0]["provided_on"] = "令和6年4月31日"
    reg["provisions"][0]["basis"] = "同意"
    src = write_json(tmp_path, reg)
    convert(str(src), str(tmp_path / "r.xlsx"), "ja")
    wb = openpyxl.load_workbook(tmp_path / "r.xlsx")
    assert _row(wb["提供実績"])["提供日"] == "令和6年4月31日"
    assert _row(wb["データ提供"])["提供の根拠"] == "同意"


def test_the_japanese_csv_folder(tmp_path):
    src = write_json(tmp_path, _register())
    out = tmp_path / "csv"
    convert(str(src), str(out), "ja")
    names = sorted(p.name for p in out.iterdir())
    assert "データ提供.csv" in names and "事業者.csv" in names and "メモ.csv" in names
    raw = (out / "データ提供.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, for Excel
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0]["提供の根拠"] == "本人の同意"
    assert rows[0]["本人同意"] == "○" and rows[0]["外国提供の情報提供"] == "×"
    assert rows[0]["記録方法"] == "一括記録" and rows[0]["提供項目ID"] == "I1;I2"
    assert rows[0]["提供開始日"] == "2024-04-01"
    parties = list(csv.DictReader(io.StringIO((out / "相手方.csv").read_text(encoding="utf-8-sig"))))
    assert parties[1]["国"] == "US"
    back = tmp_path / "back.json"
    convert(str(out), str(back))
    assert json.loads(back.read_text(encoding="utf-8")) == json.loads(src.read_text(encoding="utf-8"))


def test_the_japanese_csv_neutralises_formulas(tmp_path):
    reg = base_register()
    reg["purposes"][0]["description"] = "=HYPERLINK(\"http://x\",\"y\")"
    src = write_json(tmp_path, reg)
    convert(str(src), str(tmp_path / "csv"), "ja")
    text = (tmp_path / "csv" / "利用目的.csv").read_text(encoding="utf-8-sig")
    assert '"\'=HYPERLINK(""http://x"",""y"")"' in text
    convert(str(tmp_path / "csv"), str(tmp_path / "back.json"))
    back = json.loads((tmp_path / "back.json").read_text(encoding="utf-8"))
    assert back["purposes"][0]["description"] == "=HYPERLINK(\"http://x\",\"y\")"


def test_en_is_todays_output(tmp_path):
    src = write_json(tmp_path, _register())
    convert(str(src), str(tmp_path / "en.xlsx"))
    wb = openpyxl.load_workbook(tmp_path / "en.xlsx")
    assert wb.sheetnames[0] == "organization" and "guide" not in wb.sheetnames
    assert _row(wb["provisions"])["basis"] == "consent"
    convert(str(src), str(tmp_path / "csv"), "en")
    assert (tmp_path / "csv" / "provisions.csv").exists()


def test_cli_takes_lang(tmp_path):
    src = write_json(tmp_path, _register())
    out = tmp_path / "台帳.xlsx"
    result = run_cli("convert", str(src), str(out), "--lang", "ja")
    assert result.exit_code == 0, result.output
    assert openpyxl.load_workbook(out).sheetnames[0] == "記入ガイド"
    assert run_cli("convert", str(src), str(tmp_path / "x.xlsx"), "--lang", "xx").exit_code == 2


def test_cli_summary_is_japanese_under_ja(tmp_path):
    reg = base_register()
    reg["provision_log"][0]["provided_on"] = "2024-02-30"
    src = write_json(tmp_path, reg)
    result = run_cli("convert", str(src), str(tmp_path / "r.xlsx"), "--lang", "ja")
    assert result.exit_code == 0
    assert "エラー 1件" in result.stderr and "SCH-003" in result.stderr


def test_the_sample_converts_and_back(tmp_path):
    src = SAMPLE / "register.json"
    convert(str(src), str(tmp_path / "s.xlsx"), "ja")
    convert(str(tmp_path / "s.xlsx"), str(tmp_path / "s.json"))
    a, b = load(src), load(tmp_path / "s.json")
    from register.model import POINTER, ROW

    for name, t in a.tables.items():
        assert t.df.drop(ROW, POINTER).equals(b.tables[name].df.drop(ROW, POINTER)), name


def test_the_converted_workbook_is_deterministic(tmp_path):
    src = write_json(tmp_path, _register())
    for name in ("a.xlsx", "b.xlsx"):
        convert(str(src), str(tmp_path / name), "ja")
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()
