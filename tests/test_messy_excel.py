"""Messy but honest Excel: read correctly, or answered with a finding at the cell.

The workbooks are built the way Japanese ledgers look: a title row above the header, merged
department cells, a formula another program wrote without its result, IDs whose zeros only a
`000` format shows, dates as date cells, serial numbers and era text, hidden sheets.
"""

from __future__ import annotations

import datetime as dt
import json

import openpyxl
import pytest
import xlsxwriter
from click.testing import CliRunner

from register import limits
from register.cli import main
from register.load import load


@pytest.fixture(autouse=True)
def _default_limits():
    yield
    limits.use(limits.DEFAULTS)


def messy_workbook(path):
    wb = openpyxl.Workbook()
    org = wb.active
    org.title = "事業者"
    org["A1"] = "個人情報管理台帳（2024年度）"
    org.merge_cells("A1:D1")
    org.append([])  # row 2 blank
    org.append(["名称", "住所", "代表者氏名", "問合せ窓口"])  # header on row 3
    org.append(["株式会社テスト", "東京都千代田区1-1", "山田太郎", "privacy@example.jp"])
    org["H40"].number_format = "0"  # formatting far below: trailing blank rows and columns

    items = wb.create_sheet("個人データ項目")
    items.append(["項目ID", "項目名", "情報区分"])
    items.append([1, "氏名", "personal"])
    items["A2"].number_format = "000"  # the ID Excel shows as 001
    items.append(["002", "メールアドレス", "personal"])  # typed as text: stays 002
    items.append(["Ｐ１", "電話番号", "personal"])  # full-width
    items.append([None, None, None])
    items.append([None, None, None])

    ds = wb.create_sheet("datasets")
    ds["A1"] = "データベース一覧"
    ds.append(["dataset_id", "name", "subjects", "item_ids", "purpose_ids", "source",
               "owner", "storage", "storage_country", "record_count"])
    ds.append(["D1", "顧客DB", "顧客", "001", "U1", "principal", "営業部", "AWS", "JP", 10])
    ds.append(["D2", "会員DB", "会員", "002", "U1", "principal", None, "本社", None, "=SUM(J3:J3)"])
    ds.append(["D3", "問合せDB", "顧客", "P1", "U1", "principal", None, "社内", None, 5])
    ds.merge_cells("G3:G5")  # the department column, merged down three records
    ds.merge_cells("H4:I4")  # storage and storage_country merged across: cannot apply

    pur = wb.create_sheet("purposes")
    pur.append(["purpose_id", "description"])
    pur.append(["U1", "サービスの提供"])

    con = wb.create_sheet("contractors")
    con.append(["contract_id", "party_id", "task", "item_ids", "contract_on"])
    con.append(["C1", "P1", "発送", "001", dt.datetime(2023, 4, 1)])
    con.append(["C2", "P1", "発送", "001", 45017])  # a serial number without date format
    con.append(["C3", "P1", "発送", "001", "令和5年4月1日"])
    con.append(["C4", "P1", "発送", "001", "R5.4.1"])
    con.sheet_state = "hidden"

    lists = wb.create_sheet("lists")  # a hidden helper sheet for dropdowns
    lists.append(["personal", "special_care"])
    lists.sheet_state = "hidden"
    wb.save(path)
    return path


@pytest.fixture
def messy(tmp_path):
    return load(messy_workbook(tmp_path / "ledger.xlsx"))


def test_header_found_below_title_rows(messy):
    org = messy["organization"]
    assert org.header_row == 3
    assert org.rows[0]["name"] == "株式会社テスト"
    assert org.location(0, "contact").cell == "D4"


def test_trailing_blank_rows_and_columns_are_not_data(messy):
    assert len(messy["organization"]) == 1
    assert messy["organization"].extra == []
    assert len(messy["data_items"]) == 3


def test_ids_keep_their_leading_zeros(messy):
    items = messy["data_items"]
    assert items.raw["item_id"].to_list() == ["001", "002", "Ｐ１"]
    assert items.df["item_id"].to_list() == ["001", "002", "P1"]


def test_vertical_merge_fills_every_row(messy):
    assert messy["datasets"].df["owner"].to_list() == ["営業部", "営業部", "営業部"]


def test_formula_without_saved_result_is_a_finding_not_data(messy):
    ds = messy["datasets"]
    assert ds.raw["record_count"].to_list() == ["10", None, "5"]
    assert "SUM" not in str(ds.raw.to_dicts())


def test_dates_from_date_cells_serials_and_era_text(messy):
    assert messy["contractors"].df["contract_on"].to_list() == [dt.date(2023, 4, 1)] * 4


def test_hidden_helper_sheet_is_skipped(messy):
    assert [s.name for s in messy.extra_sheets] == []


def test_reader_findings_at_the_cell(messy):
    got = {
        (f.rule, f.table, f.record, f.field, f.location.sheet, f.location.cell)
        for f in messy.load_findings
    }
    assert got == {
        ("INP-001", "datasets", "D2", "record_count", "datasets", "J4"),
        ("INP-002", "datasets", "D2", "storage", "datasets", "H4"),
        ("INP-003", "contractors", None, None, "contractors", None),
    }
    by_rule = {f.rule: f for f in messy.load_findings}
    assert by_rule["INP-001"].message() == (
        "datasets!J4: the formula =SUM(J3:J3) has no saved result, so the cell is read as empty."
    )
    assert by_rule["INP-002"].message() == (
        "datasets!H4:I4: a merged cell spans several columns; its value 本社 is read only in H4."
    )
    assert "非表示" in by_rule["INP-003"].message("ja")


def test_cross_column_merge_keeps_value_in_its_first_column_only(messy):
    ds = messy["datasets"]
    assert ds.raw["storage"].to_list() == ["AWS", "本社", "社内"]
    assert ds.raw["storage_country"].to_list() == ["JP", None, None]


def test_findings_reach_the_cli(tmp_path):
    p = messy_workbook(tmp_path / "ledger.xlsx")
    result = CliRunner().invoke(main, ["check", str(p), "--format", "json", "--as-of", "2026-01-01"])
    assert result.exit_code in (0, 1), result.stderr
    findings = json.loads(result.stdout)["findings"]
    inp = [f for f in findings if f["rule"].startswith("INP-")]
    assert {(f["rule"], f["severity"], f["location"]["cell"]) for f in inp} == {
        ("INP-001", "warning", "J4"),
        ("INP-002", "warning", "H4"),
        ("INP-003", "warning", None),
    }


def test_formula_with_saved_result_is_read(tmp_path):
    """xlsxwriter saves a result with each formula, as Excel does: the result is the value."""
    p = tmp_path / "cached.xlsx"
    wb = xlsxwriter.Workbook(str(p))
    ws = wb.add_worksheet("datasets")
    ws.write_row(0, 0, ["dataset_id", "record_count", "owner"])
    ws.write_row(1, 0, ["D1"])
    ws.write_formula(1, 1, "=40+2", None, 42)
    ws.write_formula(1, 2, '="営業"&"部"', None, "営業部")
    fmt = wb.add_format({"num_format": "00000"})
    ws.write_number(2, 0, 7, fmt)  # an ID shown as 00007
    wb.close()
    reg = load(p)
    ds = reg["datasets"]
    assert ds.raw["record_count"].to_list() == ["42", None]
    assert ds.raw["owner"].to_list() == ["営業部", None]
    assert ds.raw["dataset_id"].to_list() == ["D1", "00007"]
    assert reg.load_findings == []


def test_merge_across_header_and_data(tmp_path):
    p = tmp_path / "hm.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "purposes"
    ws.append(["purpose_id", "description"])
    ws.append(["U1", "サービスの提供"])
    ws.append(["U2", None])
    ws.merge_cells("B1:B3")
    wb.save(p)
    reg = load(p)
    assert {(f.rule, f.location.cell) for f in reg.load_findings} == {("INP-002", "B1")}
    assert reg["purposes"].raw["description"].to_list() == [None, None]
