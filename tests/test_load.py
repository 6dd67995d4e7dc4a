"""Loading the three forms into the same tables, with locations the user can go to."""

from __future__ import annotations

import datetime as dt
import json

import openpyxl
import pytest

from register.load import load
from register.model import InputError

from .conftest import base_register, findings_of, keys, write_json


def _xlsx(path, sheets: dict[str, list[list]]):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
    wb.save(path)
    return path


def test_json_tables_are_typed_and_located(tmp_path):
    reg = base_register()
    reg["provision_log"][0]["provided_on"] = "令和8年4月1日"
    reg["provision_log"][0]["principal_ids"] = "Ａ１；A2、A3"
    reg["provisions"][0]["consent"] = "○"
    reg["parties"][0]["party_id"] = "Ｐ１ "
    r = load(write_json(tmp_path, reg))
    log = r["provision_log"].df
    assert log["provided_on"][0] == dt.date(2026, 4, 1)
    assert log["principal_ids"][0].to_list() == ["A1", "A2", "A3"]
    assert r["provisions"].df["consent"][0] is True
    assert r["parties"].df["party_id"][0] == "P1"
    loc = r["provisions"].location(0, "item_ids")
    assert loc.pointer == "/provisions/0/item_ids" and loc.row is None


def test_xlsx_japanese_headers_title_rows_and_cells(tmp_path):
    path = _xlsx(
        tmp_path / "r.xlsx",
        {
            "事業者": [["名称", "住所", "代表者氏名", "問合せ窓口"], ["株式会社テスト", "東京", "山田", "窓口"]],
            "個人データ項目": [
                ["個人データ項目一覧（2026年度）"],
                [],
                ["項目ID", "項目名", "情報区分"],
                ["Ｉ１", "氏名", "personal"],
                [None, None, None],
                ["I2", "病歴", "not-a-class"],
            ],
        },
    )
    labels = {c.name: c.label_ja for c in __import__("register.schema").schema.table("data_items").columns}
    assert labels["item_id"] == "項目ID" and labels["name"] == "項目名" and labels["legal_class"] == "情報区分"
    r = load(path)
    t = r["data_items"]
    assert t.header_row == 3
    assert t.df["item_id"].to_list() == ["I1", "I2"]
    f = [x for x in findings_of(path) if x.rule == "SCH-004"]
    assert len(f) == 1
    loc = f[0].location
    # the blank row 5 is skipped, so the bad value is on Excel row 6, column C
    assert (loc.sheet, loc.row, loc.column, loc.cell) == ("個人データ項目", 6, "情報区分", "C6")
    assert (f[0].table, f[0].record, f[0].field) == ("data_items", "I2", "legal_class")


def test_csv_folder_cp932_as_japanese_excel_saves_it(tmp_path):
    folder = tmp_path / "reg"
    folder.mkdir()
    (folder / "事業者.csv").write_bytes("名称,住所,代表者氏名,問合せ窓口\r\n株式会社テスト,東京都,山田,窓口\r\n".encode("cp932"))
    (folder / "個人データ項目.csv").write_bytes(
        "項目ID,項目名,法的区分\r\nI1,氏名,personal\r\nI2,住所,personal\r\n".encode("cp932")
    )
    (folder / "provision_log.csv").write_bytes(
        "\ufeffevent_id,provision_id,provided_on\nE1,V1,2024/2/30\n".encode()
    )
    r = load(folder)
    assert r["organization"].df["name"][0] == "株式会社テスト"
    assert r["data_items"].df["item_id"].to_list() == ["I1", "I2"]
    f = [x for x in findings_of(folder) if x.rule == "SCH-003"]
    assert [(x.field, x.location.row, x.location.cell, x.location.file.endswith("provision_log.csv")) for x in f] == [
        ("provided_on", 2, "C2", True)
    ]


def test_csv_neither_utf8_nor_cp932_is_one_clear_error(tmp_path):
    folder = tmp_path / "reg"
    folder.mkdir()
    (folder / "organization.csv").write_bytes(b"name\n\x82\xff\xfe\n")
    with pytest.raises(InputError) as e:
        load(folder)
    assert "organization.csv" in str(e.value) and "cp932" in str(e.value)


@pytest.mark.parametrize(
    "name, content, problem",
    [
        ("missing.json", None, "does not exist"),
        ("notjson.json", b"{oops", "not valid JSON"),
        ("list.json", b"[1,2]", "JSON object"),
        ("fake.xlsx", b"just text", ".xlsx"),
        ("data.txt", b"x", "not a register"),
    ],
)
def test_unreadable_inputs(tmp_path, name, content, problem):
    p = tmp_path / name
    if content is not None:
        p.write_bytes(content)
    with pytest.raises(InputError) as e:
        load(p)
    assert problem in str(e.value) and name in str(e.value)


def test_sch_rules_on_structure(tmp_path):
    reg = base_register()
    del reg["data_items"]
    reg["organization"] = [reg["organization"], reg["organization"]]
    reg["parties"][0]["kind"] = "company"
    reg["parties"][0]["nickname"] = "x"
    reg["provision_log"][0]["provided_on"] = "2024-02-30"
    reg["provisions"][0]["basis"] = None
    reg["extra_table"] = [{"a": 1}]
    got = keys(findings_of(write_json(tmp_path, reg)))
    assert ("SCH-001", "data_items", None, None) in got
    assert ("SCH-001", "organization", None, None) in got
    assert ("SCH-004", "parties", "P1", "kind") in got
    assert ("SCH-005", "parties", None, None) in got
    assert ("SCH-003", "provision_log", "E1", "provided_on") in got
    assert ("SCH-002", "provisions", "V1", "basis") in got
    assert ("SCH-005", None, None, None) in got


def test_self_and_public_body_country(tmp_path):
    reg = base_register()
    reg["parties"].append({"party_id": "self", "name": "x", "kind": "corporation", "country": "JP"})
    reg["parties"].append({"party_id": "G1", "name": "税務署", "kind": "state_organ", "country": "US"})
    reg["provisions"][0]["party_id"] = "self"
    got = keys(findings_of(write_json(tmp_path, reg)), "error")
    assert ("SCH-003", "parties", "self", "party_id") in got
    assert ("SCH-004", "parties", "G1", "country") in got
    assert ("REF-004", "provisions", "V1", "party_id") in got


def test_ref_rules(tmp_path):
    reg = base_register()
    reg["data_items"].append({"item_id": "I1", "name": "重複", "legal_class": "personal"})
    reg["data_items"].append({"item_id": "I9", "name": "未使用", "legal_class": "personal"})
    reg["provisions"][0]["item_ids"] = ["I1", "I404"]
    reg["provision_log"].append(
        {"event_id": "E1", "provision_id": "V1", "provided_on": "2026-04-02", "principal_ids": ["A2"]}
    )
    got = keys(findings_of(write_json(tmp_path, reg)))
    assert ("REF-001", "data_items", "I1", "item_id") in got
    assert ("REF-002", "provisions", "V1", "item_ids") in got
    assert ("REF-003", "data_items", "I9", None) in got
    assert ("REF-005", "provision_log", "E1", "provided_on") in got
    # a repeated event_id is an event, not a duplicate
    assert not any(k[0] == "REF-001" and k[1] == "provision_log" for k in got)


def test_valid_base_has_no_error(tmp_path):
    assert keys(findings_of(write_json(tmp_path, base_register())), "error") == set()


def test_json_findings_shape(tmp_path):
    from .conftest import run_cli

    reg = base_register()
    reg["provisions"][0]["item_ids"] = ["I404"]
    res = run_cli("check", str(write_json(tmp_path, reg)), "--format", "json", "--as-of", "2026-11-21")
    assert res.exit_code == 1
    doc = json.loads(res.output)
    assert set(doc) == {"findings", "summary"}
    assert set(doc["summary"]) == {"error", "warning", "info", "suppressed"}
    f = next(x for x in doc["findings"] if x["rule"] == "REF-002")
    assert set(f) == {"rule", "severity", "message", "hint", "law", "law_ja", "table", "record", "field", "location"}
    assert set(f["location"]) == {"file", "sheet", "row", "column", "cell", "pointer"}
    assert f["location"]["pointer"] == "/provisions/0/item_ids"
    assert "I404" in f["message"]


def test_unknown_header_hint_names_the_likely_column(tmp_path):
    from .conftest import run_cli

    folder = tmp_path / "reg"
    folder.mkdir()
    (folder / "事業者.csv").write_bytes("名称,住所,代表者氏名,問合せ窓口\r\nA,B,C,D\r\n".encode("cp932"))
    (folder / "個人データ項目.csv").write_bytes("項目ID,項目名,情報区分\r\nI1,氏名,personal\r\n".encode("cp932"))
    (folder / "データ提供.csv").write_bytes(
        "提供ID,相手方ID,提供の根拠,提供項目ID\r\nV1,P1,consent,I1\r\n".encode("cp932")
    )
    res = run_cli("check", str(folder), "--format", "json", "--lang", "ja", "--as-of", "2026-11-21")
    doc = json.loads(res.output)
    f = next(x for x in doc["findings"] if x["rule"] == "SCH-005")
    assert (f["table"], f["location"]["column"], f["location"]["cell"]) == ("provisions", "相手方ID", "B1")
    assert "提供先ID" in f["hint"] and "party_id" in f["hint"]
    missing = next(x for x in doc["findings"] if x["rule"] == "SCH-001")
    assert missing["field"] == "party_id"
