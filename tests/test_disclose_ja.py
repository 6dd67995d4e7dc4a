"""`register disclose` under japanese.md §9: the ID, the warnings, the 開示書."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import openpyxl
import pytest

from .conftest import base_register, run_cli, write_json

AS_OF = "2026-11-21"
UNKNOWN_JA = "警告：本人ID {pid} は台帳（本人・提供実績・受領）にありません"
UNKNOWN_EN = "warning: principal {pid} is not in the register (principals, provision log, receipts)"


def _register() -> dict:
    reg = base_register()
    reg["principals"] = [{"principal_id": "CU-1001", "name": "山田 一郎"},
                         {"principal_id": "CU-2002", "name": "他人 二郎"}]
    reg["parties"].append({"party_id": "P2", "name": "Pacific Partner Inc.", "kind": "corporation",
                           "address": "1 Main St", "representative": "Jane Roe", "country": "US",
                           "foreign_safeguard": "none"})
    reg["provisions"][0]["record_method"] = "each"
    reg["provisions"] += [
        {"provision_id": "V2", "party_id": "P1", "basis": "consent", "consent": True,
         "item_ids": ["I1"], "dataset_id": "D1", "record_method": "bulk"},
        {"provision_id": "V3", "party_id": "P1", "basis": "consent", "consent": True,
         "item_ids": ["I1"], "dataset_id": "D1", "disclosure_excluded": True},
        {"provision_id": "V4", "party_id": "P2", "basis": "consent", "consent": True,
         "foreign_info_given": True, "item_ids": ["I1", "I2"], "dataset_id": "D1"},
    ]
    reg["provision_log"] = [
        {"event_id": "E1", "provision_id": "V1", "provided_on": "2026-04-01",
         "principal_ids": ["CU-1001", "CU-2002"]},
        {"event_id": "E2", "provision_id": "V2", "provided_on": "2026-04-02", "principal_ids": ["CU-1001"]},
        {"event_id": "E3", "provision_id": "V2", "provided_on": "2026-05-20", "principal_ids": ["CU-2002"]},
        {"event_id": "E4", "provision_id": "V3", "provided_on": "2026-04-04", "principal_ids": ["CU-1001"]},
        {"event_id": "E5", "provision_id": "V3", "provided_on": "2026-04-05", "principal_ids": ["CU-1001"]},
        {"event_id": "E6", "provision_id": "V4", "provided_on": "2026-04-06", "principal_ids": ["CU-1001"]},
    ]
    reg["receipts"] = [
        {"receipt_id": "R1", "party_id": "P1", "basis": "consent", "received_on": "2026-03-01",
         "item_ids": ["I1"], "dataset_id": "D1", "acquisition": "展示会で取得", "provider_confirmed": True,
         "consent": True, "principal_ids": ["CU-1001"]},
        {"receipt_id": "R2", "party_id": "P1", "basis": "consent", "received_on": "2026-03-02",
         "item_ids": ["I1"], "dataset_id": "D1", "acquisition": "x", "provider_confirmed": True,
         "consent": True, "principal_ids": ["CU-3003"]},  # named only here: still known
    ]
    return reg


@pytest.fixture(scope="module")
def src(tmp_path_factory) -> Path:
    return write_json(tmp_path_factory.mktemp("disclose"), _register())


def _disclose(src: Path, pid: str, out: Path, lang: str = "ja"):
    return run_cli("disclose", str(src), "--principal", pid, "--out", str(out), "--lang", lang,
                   "--as-of", AS_OF)


def _rows(ws) -> list[tuple]:
    return [r for r in ws.iter_rows(values_only=True)]


# --- the principal's ID -----------------------------------------------------------------------


@pytest.mark.parametrize("given", ["", "   ", "\u3000"])
def test_an_empty_principal_is_exit_2_and_writes_nothing(src, tmp_path, given):
    out = tmp_path / "d.xlsx"
    res = _disclose(src, given, out)
    assert res.exit_code == 2
    assert len(res.stderr.splitlines()) == 1 and "--principal" in res.stderr
    assert not out.exists()


def test_a_full_width_id_is_the_id(src, tmp_path):
    res = _disclose(src, "ＣＵ－１００１", tmp_path / "d.json", "en")
    assert res.exit_code == 0 and res.stderr == "withheld: 2 records marked disclosure_excluded (Cabinet Order Art 11) are not in the output\n"
    doc = json.loads((tmp_path / "d.json").read_bytes())
    assert doc["principal_id"] == "CU-1001" and len(doc["provision_records"]) == 3


# --- unknown principals and withheld records ---------------------------------------------------


@pytest.mark.parametrize("lang, line", [
    ("ja", UNKNOWN_JA.format(pid="cu-1001") + "（CU-1001 の誤りではありませんか）"),
    ("en", UNKNOWN_EN.format(pid="cu-1001") + "; did you mean CU-1001?"),
])
def test_a_mistyped_case_is_unknown_and_the_known_id_is_suggested(src, tmp_path, lang, line):
    out = tmp_path / "d.json"
    res = _disclose(src, "cu-1001", out, lang)
    assert res.exit_code == 0
    assert res.stderr.splitlines() == [line]
    # IDs stay case-sensitive: CU-1001's records are never given for cu-1001
    doc = json.loads(out.read_bytes())
    assert doc == {"principal_id": "cu-1001", "provision_records": [], "confirmation_records": []}


@pytest.mark.parametrize("lang, line", [("ja", UNKNOWN_JA.format(pid="CU-9999")),
                                        ("en", UNKNOWN_EN.format(pid="CU-9999"))])
def test_an_unknown_id_gets_the_empty_answer_and_one_warning(src, tmp_path, lang, line):
    out = tmp_path / "d.xlsx"
    res = _disclose(src, "CU-9999", out, lang)
    assert res.exit_code == 0 and out.exists()
    assert res.stderr.splitlines() == [line]


@pytest.mark.parametrize("pid", ["CU-2002", "CU-3003"])
def test_a_known_principal_with_nothing_withheld_gets_no_warning(src, tmp_path, pid):
    res = _disclose(src, pid, tmp_path / "d.csv")
    assert res.exit_code == 0 and res.stderr == ""


@pytest.mark.parametrize("lang, line", [
    ("ja", "開示対象外：記録2件を出力していません（個人情報保護法施行令第11条）"),
    ("en", "withheld: 2 records marked disclosure_excluded (Cabinet Order Art 11) are not in the output"),
])
def test_withheld_records_are_counted_on_stderr_only(src, tmp_path, lang, line):
    for suffix in ("json", "csv", "xlsx"):
        out = tmp_path / f"d.{suffix}"
        res = _disclose(src, "CU-1001", out, lang)
        assert res.exit_code == 0 and res.stderr.splitlines() == [line]
        text = _text(out)
        assert "V3" not in text and "E4" not in text and "E5" not in text
        assert "excluded" not in text and "開示対象外" not in text


def _text(path: Path) -> str:
    """Everything a reader of the file sees: cells, sheet names, page headers and footers."""
    if path.suffix == ".xlsx":
        wb = openpyxl.load_workbook(path)
        parts = []
        for ws in wb.worksheets:
            parts.append(ws.title)
            parts += [str(v) for r in ws.iter_rows(values_only=True) for v in r if v is not None]
            for hf in (ws.oddHeader, ws.oddFooter):
                parts += [p.text or "" for p in (hf.left, hf.center, hf.right)]
        return "\n".join(parts)
    return path.read_text(encoding="utf-8-sig")


def test_errors_are_counted_after_the_warnings(tmp_path):
    reg = _register()
    reg["provisions"][0]["consent"] = False  # PRV-001
    src = write_json(tmp_path, reg)
    res = _disclose(src, "cu-1001", tmp_path / "d.json")
    assert res.stderr.splitlines() == [
        UNKNOWN_JA.format(pid="cu-1001") + "（CU-1001 の誤りではありませんか）", "エラー 1件"]


# --- the 開示書 ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def document(src, tmp_path_factory):
    out = tmp_path_factory.mktemp("doc") / "開示書.xlsx"
    res = _disclose(src, "CU-1001", out)
    assert res.exit_code == 0, res.output
    return out


def test_the_document_has_exactly_three_sheets(document):
    wb = openpyxl.load_workbook(document)
    assert wb.sheetnames == ["開示書", "提供記録", "確認記録"]


def test_the_cover_names_who_asks_who_answers_and_how_many(document):
    ws = openpyxl.load_workbook(document)["開示書"]
    rows = [r for r in _rows(ws) if any(v is not None for v in r)]
    assert rows[0][0] == "第三者提供記録の開示（個人情報保護法第33条第5項）"
    pairs = {r[0]: r[1] for r in rows[1:]}
    assert list(pairs) == ["本人ID", "氏名", "作成日", "事業者の名称", "住所", "代表者氏名",
                           "お問合せ窓口", "提供記録の件数", "確認記録の件数"]
    assert pairs["本人ID"] == "CU-1001" and pairs["氏名"] == "山田 一郎"
    assert pairs["作成日"].date().isoformat() == AS_OF
    assert pairs["事業者の名称"] == "株式会社テスト"
    assert pairs["お問合せ窓口"] == "privacy@example.jp"
    assert (pairs["提供記録の件数"], pairs["確認記録の件数"]) == (3, 1)
    assert ws.page_setup.orientation == "portrait" and ws.page_setup.paperSize == 9


def test_the_record_sheets_state_the_record_items_only(document):
    wb = openpyxl.load_workbook(document)
    prov = _rows(wb["提供記録"])
    assert list(prov[0]) == ["No.", "記録の種類", "提供年月日", "提供先の氏名又は名称", "提供先の住所",
                             "提供先の代表者氏名", "提供先の国", "個人データの項目", "本人の同意"]
    body = [list(r) for r in prov[1:]]
    assert [r[0] for r in body] == [1, 2, 3]
    each, bulk, abroad = body
    assert each[1] == "本人の同意による第三者提供" and each[2].date().isoformat() == "2026-04-01"
    assert each[3:7] == ["株式会社パートナー", "大阪府大阪市北区1-1", "佐藤花子", "日本"]
    assert each[7] == "氏名、メールアドレス" and each[8] == "本人の同意を得ている"
    assert bulk[2] == "2026-04-02～2026-05-20"  # a bulk record's period
    assert abroad[6] == "米国"
    conf = _rows(wb["確認記録"])
    assert list(conf[0]) == ["No.", "記録の種類", "受領年月日", "提供元の氏名又は名称", "提供元の住所",
                             "提供元の代表者氏名", "取得の経緯", "個人データの項目", "委員会公表の確認",
                             "本人の同意"]
    assert list(conf[1]) == [1, "本人の同意による受領", conf[1][2], "株式会社パートナー",
                             "大阪府大阪市北区1-1", "佐藤花子", "展示会で取得", "氏名", None, "○"]
    for name in ("提供記録", "確認記録"):
        ws = wb[name]
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
        assert ws.print_title_rows == "$1:$1" and ws.freeze_panes == "A2"
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToHeight == 0


def test_the_document_holds_no_identifier_code_method_retention_or_other_principal(document):
    text = _text(document)
    for word in ("CU-2002", "他人 二郎", "P/V1", "V1", "E1", "E2", "R1", "P1", "P2", "each", "bulk",
                 "consent", "obtained", "2029-", "都度記録", "一括記録", "保存期限", "JP", "US"):
        assert word not in text, word


def test_no_records_says_so(src, tmp_path):
    out = tmp_path / "d.xlsx"
    _disclose(src, "NOBODY", out)
    wb = openpyxl.load_workbook(out)
    values = [v for r in _rows(wb["開示書"]) for v in r if v is not None]
    assert "開示の対象となる記録はありません" in values
    assert _rows(wb["提供記録"])[1:] == [] and _rows(wb["確認記録"])[1:] == []


def test_the_document_is_the_same_bytes_twice(src, document, tmp_path):
    again = tmp_path / "again.xlsx"
    _disclose(src, "CU-1001", again)
    assert again.read_bytes() == document.read_bytes()


def test_the_en_workbook_keeps_its_layout(src, tmp_path):
    out = tmp_path / "d.xlsx"
    _disclose(src, "CU-1001", out, "en")
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["provision_records", "confirmation_records"]
    assert [c.value for c in wb["provision_records"][1]][:3] == ["record_id", "principal_id",
                                                                 "principal_name"]


def test_the_japanese_csv_shows_labels(src, tmp_path):
    out = tmp_path / "d.csv"
    _disclose(src, "CU-1001", out)
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert [r["記録の区分"] for r in rows] == ["提供記録"] * 3 + ["確認記録"]
    assert {r["記録の種類"] for r in rows} == {"本人の同意による第三者提供", "本人の同意による受領"}
    assert rows[1]["記録方法"] == "一括記録" and rows[0]["本人の同意"] == "本人の同意を得ている"
    assert rows[3]["本人の同意"] == "○"
    assert "本人の数" not in rows[0] and "記載が欠けている項目" not in rows[0]
