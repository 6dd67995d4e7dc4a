"""`register convert`: normalised where values parse, verbatim where not, and without loss."""

from __future__ import annotations

import datetime as dt
import json
import re
import tempfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from register import schema
from register.convert import convert
from register.io.atomic import OutputError
from register.load import load
from register.model import POINTER, ROW

from .conftest import base_register, run_cli, write_json

# --- the round trip, for all registers -----------------------------------------------------------

VALID_CORPORATE_NUMBERS = ["4010001123456", "7120001987654"]  # check digits verified by the loader
COUNTRIES = ["JP", "US", "GB", "DE", "SG", "CN", "KR"]

# Japanese and ASCII text as people type it into a register: kana, kanji, full-width forms,
# punctuation, spaces and line breaks (no control characters: an .xlsx cell cannot hold them).
_TEXT_ALPHABET = st.characters(
    codec="utf-8",
    categories=["L", "N", "P", "S", "Zs"],
    exclude_characters="\r\x85\u2028\u2029",
) | st.sampled_from(list("あいうえお漢字個人情報ｱｲｳＡＢＣ１２３　\n=+-@;、；,\"'"))

texts = st.text(_TEXT_ALPHABET, min_size=1, max_size=30).filter(lambda s: s.strip())
ids = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,12}", fullmatch=True).filter(lambda s: s != "self")


def value_of(col: schema.Column) -> st.SearchStrategy[Any]:
    """A valid JSON value for a column, by its schema kind."""
    kind = col.kind
    if kind == "id":
        return ids
    if kind == "ids" and col.enum:  # a list of codes (incidents.event_types)
        return st.lists(st.sampled_from(col.enum), min_size=1, max_size=3, unique=True)
    if kind == "ids":
        return st.lists(ids, min_size=1, max_size=3)
    if kind == "date":
        # before 1900-03-01 Excel cannot hold a date: the xlsx writer keeps those as text
        return st.dates(dt.date(1868, 1, 1), dt.date(2200, 12, 31)).map(dt.date.isoformat)
    if kind == "bool":
        return st.booleans()
    if kind == "int":
        lo = col.minimum if col.minimum is not None else -(10**6)
        return st.integers(lo, 10**17)  # past 15 digits the xlsx writer keeps them as text
    if kind == "country":
        return st.sampled_from(COUNTRIES)
    if kind == "corporate_number":
        return st.sampled_from(VALID_CORPORATE_NUMBERS)
    if kind == "enum":
        return st.sampled_from(col.enum)
    return texts


@st.composite
def rows_of(draw, spec: schema.TableSpec, n: int) -> list[dict[str, Any]]:
    rows = []
    for _ in range(n):
        row: dict[str, Any] = {}
        for col in spec.columns:
            if col.required or draw(st.booleans()):
                row[col.name] = draw(value_of(col))
        if draw(st.booleans()):
            row["memo"] = draw(texts)  # an unknown column, kept by convert
        rows.append(row)
    return rows


@st.composite
def registers(draw) -> dict[str, Any]:
    doc: dict[str, Any] = {}
    for spec in schema.tables():
        if spec.single_row:
            doc[spec.name] = draw(rows_of(spec, 1))[0]
        elif spec.required_table or draw(st.booleans()):
            doc[spec.name] = draw(rows_of(spec, draw(st.integers(0, 3))))
    if draw(st.booleans()):
        doc["notes"] = [{"note": draw(texts)} for _ in range(draw(st.integers(1, 2)))]
    return doc


def snapshot(path: Path) -> dict[str, Any]:
    """What a register holds, as the loader sees it: typed tables, unknown columns and sheets."""
    reg = load(path)
    out: dict[str, Any] = {}
    for name, t in reg.tables.items():
        if not t.present:
            continue
        out[name] = t.df.drop(ROW, POINTER).to_dicts()
        out[name + "/extra"] = t.raw.select(t.extra).to_dicts() if t.extra else []
    for sh in reg.extra_sheets:
        out["sheet/" + sh.name] = sh.frame.drop(ROW, POINTER).to_dicts()
    return out


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(registers())
def test_json_xlsx_csv_json_returns_the_same_register(doc):
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        src = tmp / "register.json"
        src.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        from register.convert import write_register

        write_register(load(src), tmp / "a.xlsx")
        write_register(load(tmp / "a.xlsx"), tmp / "b")
        write_register(load(tmp / "b"), tmp / "c.json")
        assert snapshot(tmp / "c.json") == snapshot(src)
        # and the JSON written is the JSON given, value for value (dates as text, ints as numbers)
        back = json.loads((tmp / "c.json").read_text(encoding="utf-8"))
        assert back == doc


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(registers())
def test_json_to_the_japanese_workbook_and_back_returns_the_same_register(doc):
    """japanese.md §8: labels, ○/×, date cells and `;` lists read back to the same values."""
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        src = tmp / "register.json"
        src.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        from register.convert import write_register

        write_register(load(src), tmp / "ja.xlsx", "ja")
        write_register(load(tmp / "ja.xlsx"), tmp / "ja_csv", "ja")
        write_register(load(tmp / "ja_csv"), tmp / "back.json")
        back = json.loads((tmp / "back.json").read_text(encoding="utf-8"))
        # the workbook holds every sheet of the template: a table the input lacked reads as empty
        assert {k: v for k, v in back.items() if k in doc or v} == doc


# --- Japanese Excel's CSV ------------------------------------------------------------------------


def _ja(table: str, column: str) -> str:
    return schema.table(table).column(column).label_ja


def _write_cp932(folder: Path, table: str, header: list[str], rows: list[list[str]]) -> None:
    lines = [",".join(_ja(table, h) for h in header)] + [",".join(r) for r in rows]
    (folder / f"{schema.table(table).label_ja}.csv").write_bytes(
        ("\r\n".join(lines) + "\r\n").encode("cp932")
    )


@pytest.fixture
def cp932_folder(tmp_path) -> Path:
    d = tmp_path / "台帳"
    d.mkdir()
    _write_cp932(d, "organization", ["name", "address", "representative", "contact"],
                 [["株式会社テスト", "東京都千代田区丸の内１－１－１", "山田太郎", "03-1234-5678"]])
    _write_cp932(d, "data_items", ["item_id", "name", "legal_class"],
                 [["Ｉ１", "氏名", "個人情報"], ["I2", "メールアドレス", "personal"]])
    _write_cp932(d, "parties", ["party_id", "name", "kind", "address", "representative", "country"],
                 [["Ｐ１", "株式会社パートナー", "法人", "大阪府", "佐藤花子", "ｊｐ"]])
    _write_cp932(d, "provisions", ["provision_id", "party_id", "basis", "item_ids", "consent", "starts_on"],
                 [["Ｖ１", "P1", "本人の同意", "Ｉ１；I2", "○", "令和5年4月1日"]])
    _write_cp932(d, "provision_log", ["event_id", "provision_id", "provided_on", "principal_ids"],
                 [["E1", "V1", "R5.4.10", "A1、A2"], ["E2", "V1", "令和5年2月30日", "A3"]])
    return d


def test_cp932_csv_folder_converts_to_normalised_json(cp932_folder, tmp_path):
    out = tmp_path / "register.json"
    result = convert(str(cp932_folder), str(out))
    assert result.path == out
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert list(doc) == ["organization", "data_items", "parties", "provisions", "provision_log"]
    # address is text: kept exactly as written (full-width digits and all)
    assert doc["organization"] == {
        "name": "株式会社テスト",
        "address": "東京都千代田区丸の内１－１－１",
        "representative": "山田太郎",
        "contact": "03-1234-5678",
    }
    assert doc["data_items"][0] == {"item_id": "I1", "name": "氏名", "legal_class": "personal"}
    assert doc["parties"][0]["party_id"] == "P1"
    assert doc["parties"][0]["kind"] == "corporation"
    assert doc["parties"][0]["country"] == "JP"
    assert doc["provisions"] == [
        {
            "provision_id": "V1",
            "party_id": "P1",
            "basis": "consent",
            "item_ids": ["I1", "I2"],
            "consent": True,
            "starts_on": "2023-04-01",
        }
    ]
    assert doc["provision_log"][0] == {
        "event_id": "E1", "provision_id": "V1", "provided_on": "2023-04-10",
        "principal_ids": ["A1", "A2"],
    }
    # a date that does not exist is written verbatim, for the checks to point at
    assert doc["provision_log"][1]["provided_on"] == "令和5年2月30日"
    assert any("error" in m for m in result.messages)


def test_cp932_folder_to_xlsx_has_canonical_names_and_real_dates(cp932_folder, tmp_path):
    out = tmp_path / "register.xlsx"
    convert(str(cp932_folder), str(out))
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["organization", "data_items", "parties", "provisions", "provision_log"]
    ws = wb["provisions"]
    assert [c.value for c in ws[1]] == ["provision_id", "party_id", "basis", "item_ids", "consent", "starts_on"]
    assert [c.value for c in ws[2]] == ["V1", "P1", "consent", "I1;I2", "true", dt.datetime(2023, 4, 1)]
    assert ws["F2"].is_date and ws["F2"].number_format == "yyyy-mm-dd"
    log = wb["provision_log"]
    assert log["C3"].value == "令和5年2月30日" and log["C3"].data_type == "s"


# --- what convert keeps and refuses --------------------------------------------------------------


def test_text_never_becomes_a_formula_and_reads_back_unaltered(tmp_path, base):
    base["purposes"][0]["description"] = "=HYPERLINK(\"http://x\",\"y\")"
    base["data_items"][0]["description"] = "+81 3 1234 5678"
    src = write_json(tmp_path, base)
    convert(str(src), str(tmp_path / "r.xlsx"))
    wb = openpyxl.load_workbook(tmp_path / "r.xlsx")
    cell = wb["purposes"]["B2"]
    assert cell.data_type == "s" and cell.value == "=HYPERLINK(\"http://x\",\"y\")"
    convert(str(tmp_path / "r.xlsx"), str(tmp_path / "csv"))
    text = (tmp_path / "csv" / "purposes.csv").read_text(encoding="utf-8-sig")
    assert '"\'=HYPERLINK(""http://x"",""y"")"' in text  # neutralised (io/csvsafe.py)
    convert(str(tmp_path / "csv"), str(tmp_path / "back.json"))
    back = json.loads((tmp_path / "back.json").read_text(encoding="utf-8"))
    assert back["purposes"][0]["description"] == "=HYPERLINK(\"http://x\",\"y\")"
    assert back["data_items"][0]["description"] == "+81 3 1234 5678"


def test_json_shape(tmp_path, base):
    base["datasets"][0]["record_count"] = "12,000"
    base["parties"][0]["foreign_safeguard"] = ""
    src = write_json(tmp_path, base)
    convert(str(src), str(tmp_path / "out.json"))
    doc = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert isinstance(doc["organization"], dict)
    assert doc["datasets"][0]["record_count"] == 12000
    assert doc["datasets"][0]["item_ids"] == ["I1", "I2"]
    assert doc["provisions"][0]["consent"] is True
    assert "foreign_safeguard" not in doc["parties"][0]  # empty cells are omitted


def test_unknown_sheets_and_columns_are_kept(tmp_path, base):
    base["data_items"][0]["社内メモ"] = "確認中"
    base["メモ"] = [{"日付": "2024-01-01", "内容": "棚卸し"}]
    src = write_json(tmp_path, base)
    convert(str(src), str(tmp_path / "r.xlsx"))
    wb = openpyxl.load_workbook(tmp_path / "r.xlsx")
    assert "メモ" in wb.sheetnames
    assert [c.value for c in wb["メモ"][2]] == ["2024-01-01", "棚卸し"]
    headers = [c.value for c in wb["data_items"][1]]
    assert headers[-1] == "社内メモ"
    convert(str(tmp_path / "r.xlsx"), str(tmp_path / "csv"))
    assert (tmp_path / "csv" / "メモ.csv").exists()
    convert(str(tmp_path / "csv"), str(tmp_path / "back.json"))
    back = json.loads((tmp_path / "back.json").read_text(encoding="utf-8"))
    assert back["メモ"] == [{"日付": "2024-01-01", "内容": "棚卸し"}]
    assert back["data_items"][0]["社内メモ"] == "確認中"


def test_output_is_deterministic(tmp_path, base):
    src = write_json(tmp_path, base)
    for name in ("a.xlsx", "b.xlsx"):
        convert(str(src), str(tmp_path / name))
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()


def test_csv_folder_is_replaced_as_a_whole(tmp_path, base):
    out = tmp_path / "csv"
    out.mkdir()
    (out / "stale.csv").write_text("x\n1\n", encoding="utf-8")
    (out / "organization.csv").write_text("name\nold\n", encoding="utf-8")  # an earlier convert's
    convert(str(write_json(tmp_path, base)), str(out))
    names = sorted(p.name for p in out.iterdir())
    assert "stale.csv" not in names and "organization.csv" in names
    assert (out / "organization.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_refuses_to_overwrite_its_input(tmp_path, base):
    src = write_json(tmp_path, base)
    before = src.read_bytes()
    with pytest.raises(OutputError):
        convert(str(src), str(src))
    assert src.read_bytes() == before
    result = run_cli("convert", str(src), str(src))
    assert result.exit_code == 2
    assert src.read_bytes() == before


def test_refuses_a_folder_holding_the_input(tmp_path, base):
    d = tmp_path / "in"
    d.mkdir()
    src = write_json(d, base)
    result = run_cli("convert", str(src), str(d))
    assert result.exit_code == 2
    assert src.exists()


def test_cli_reports_errors_on_stderr_and_exits_0(tmp_path, base):
    base["provision_log"][0]["provided_on"] = "2024-02-30"
    src = write_json(tmp_path, base)
    out = tmp_path / "r.json"
    result = run_cli("convert", str(src), str(out))
    assert result.exit_code == 0
    assert re.search(r"^\d+ errors?,", result.stderr, re.M) and "SCH-003" in result.stderr
    assert result.stdout.strip() == str(out)
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["provision_log"][0]["provided_on"] == "2024-02-30"


def test_missing_input_exits_2_and_writes_nothing(tmp_path):
    out = tmp_path / "r.json"
    result = run_cli("convert", str(tmp_path / "nope.xlsx"), str(out))
    assert result.exit_code == 2
    assert not out.exists()


def test_too_many_rows_for_xlsx_is_a_clear_error(tmp_path, monkeypatch):
    import register.io.writers as writers

    monkeypatch.setattr(writers, "XLSX_MAX_DATA_ROWS", 1)
    reg = base_register()
    reg["provision_log"].append(dict(reg["provision_log"][0], event_id="E2"))
    src = write_json(tmp_path, reg)
    with pytest.raises(OutputError, match="at most"):
        convert(str(src), str(tmp_path / "r.xlsx"))
    assert not (tmp_path / "r.xlsx").exists()


def test_typed_frame_survives_the_three_forms(tmp_path):
    """The bundled sample converts through every form to the same typed tables."""
    from .conftest import SAMPLE

    src = SAMPLE / "register.json"
    convert(str(src), str(tmp_path / "s.xlsx"))
    convert(str(tmp_path / "s.xlsx"), str(tmp_path / "s_csv"))
    convert(str(tmp_path / "s_csv"), str(tmp_path / "s.json"))
    a, b = load(src), load(tmp_path / "s.json")
    for name, t in a.tables.items():
        assert t.df.drop(ROW, POINTER).equals(b.tables[name].df.drop(ROW, POINTER)), name
