"""`register records` outputs (rules.md §5): JSON, CSV, xlsx; labels, safety, determinism."""

from __future__ import annotations

import datetime as dt
import re
import zipfile

import openpyxl
import orjson
import polars as pl
import pytest

from register.export import CUT_NOTE, EXCEL_CELL_CHARS, sheet_parts, write_records, write_xlsx
from register.model import InputError
from register.outputs import output_table, output_tables
from register.records import TABLES

from .records_support import analysis_for

EVIL = "=SUM(1)"
TABLES_IN = dict(
    parties=[
        {"party_id": "PT-A", "name": EVIL, "kind": "corporation", "address": "+81 大阪",
         "representative": "@rep", "country": "JP"},
        {"party_id": "PT-GOV", "name": "税務署", "kind": "state_organ", "country": "JP"},
    ],
    provisions=[
        {"provision_id": "P1", "party_id": "PT-A", "basis": "consent", "consent": True,
         "item_ids": ["I-NAME", "I-MAIL"]},
        {"provision_id": "P2", "party_id": "PT-A", "basis": "opt_out",
         "item_ids": ["I-COOKIE"], "linkage_expected": True},
        {"provision_id": "P3", "party_id": "PT-GOV", "basis": "law", "item_ids": ["I-NAME"]},
    ],
    provision_log=[
        {"event_id": "E1", "provision_id": "P1", "provided_on": "2024-02-29",
         "principal_ids": ["CU-1", "CU-2"]},
        {"event_id": "E2", "provision_id": "P2", "provided_on": "2024-03-01",
         "principal_ids": ["CU-1"]},
    ],
    principals=[{"principal_id": "CU-1", "name": "-田中"}],
    receipts=[{"receipt_id": "R1", "party_id": "PT-A", "basis": "consent",
               "received_on": "2024-01-05", "item_ids": ["I-NAME"], "consent": True,
               "acquisition": "\tタブ", "principal_ids": ["CU-9"]}],
)


@pytest.fixture
def analysis(tmp_path):
    return analysis_for(tmp_path, **TABLES_IN)


def test_json_shape(analysis, tmp_path):
    (path,) = write_records(analysis, tmp_path / "out", "json", "ja")
    assert path == tmp_path / "out" / "records.json"
    doc = orjson.loads(path.read_bytes())
    assert list(doc) == list(TABLES)
    for t in output_tables():  # canonical keys in every language
        for row in doc[t.name]:
            assert list(row) == t.names
    rec = doc["provision_records"][0]
    assert rec["record_id"] == "P/P1/E1"
    assert rec["event_ids"] == ["E1"] and rec["item_names"] == ["氏名", "メールアドレス"]
    assert rec["provided_from"] == "2024-02-29" and rec["retain_until"] == "2027-03-01"
    assert rec["principal_count"] == 2 and rec["recipient_name"] == EVIL
    pr = doc["provision_records"][1]
    assert pr["record_type"] == "person_related" and pr["principal_count"] is None
    assert doc["exempt_flows"] == [{"flow": "provision", "flow_id": "P3", "party_id": "PT-GOV",
                                    "basis": "law", "reason": "public_body"}]
    assert doc["confirmation_records"][0]["consent"] is True


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_csv_files_headers_lists_and_bom(analysis, tmp_path, lang):
    paths = write_records(analysis, tmp_path / "out", "csv", lang)
    assert [p.name for p in paths] == [f"{t}.csv" for t in TABLES]
    for p, t in zip(paths, output_tables(), strict=True):
        raw = p.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")
        header = raw[3:].decode().splitlines()[0].split(",")
        assert header == [c.label(lang) for c in t.columns]
    rec = pl.read_csv(paths[0], infer_schema=False)
    assert rec.row(0, named=True)[output_table("provision_records").column("item_names")
                                  .label(lang)] == "氏名;メールアドレス"


def test_csv_neutralises_formula_like_text(analysis, tmp_path):
    paths = write_records(analysis, tmp_path / "out", "csv", "en")
    rec = pl.read_csv(paths[0], infer_schema=False).row(0, named=True)
    assert rec["recipient_name"] == "'" + EVIL
    assert rec["recipient_address"] == "'+81 大阪"
    assert rec["recipient_representative"] == "'@rep"
    who = pl.read_csv(paths[1], infer_schema=False)
    assert who.filter(pl.col("principal_id") == "CU-1")["principal_name"].to_list() == ["'-田中"]
    conf = pl.read_csv(paths[2], infer_schema=False).row(0, named=True)
    assert conf["acquisition"] == "'\tタブ"
    # dates and IDs untouched
    assert rec["provided_from"] == "2024-02-29" and rec["record_id"] == "P/P1/E1"


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_xlsx_sheets_headers_dates_and_text(analysis, tmp_path, lang):
    (path,) = write_records(analysis, tmp_path / "out", "xlsx", lang)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == [t.label(lang) for t in output_tables()]
    ws = wb[output_table("provision_records").label(lang)]
    spec = output_table("provision_records")
    assert [c.value for c in ws[1]] == [c.label(lang) for c in spec.columns]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref is not None
    row = {c.name: ws.cell(2, j + 1) for j, c in enumerate(spec.columns)}
    assert row["recipient_name"].value == EVIL and row["recipient_name"].data_type == "s"
    assert row["provided_from"].value == dt.datetime(2024, 2, 29)
    assert "yy" in row["provided_from"].number_format
    assert row["principal_count"].value == 2
    assert row["item_names"].value == "氏名;メールアドレス"
    # no cell anywhere is a formula
    for sheet in wb.worksheets:
        for r in sheet.iter_rows():
            assert all(c.data_type != "f" for c in r)
    # empty tables still have their header row
    empty = wb[output_table("confirmation_principals").label(lang)]
    assert empty.max_row >= 1 and empty.cell(1, 1).value == output_table(
        "confirmation_principals").columns[0].label(lang)


@pytest.mark.parametrize("fmt", ["json", "csv", "xlsx"])
def test_same_input_same_bytes(tmp_path, fmt):
    out = []
    for k in range(2):
        (tmp_path / f"in{k}").mkdir()
        a = analysis_for(tmp_path / f"in{k}", **TABLES_IN)
        paths = write_records(a, tmp_path / f"out{k}", fmt, "ja")
        out.append([p.read_bytes() for p in paths])
    assert out[0] == out[1]


def test_sheet_parts_split_and_names():
    assert sheet_parts("provision_records", 0, 3) == [("provision_records", 0, 0)]
    assert sheet_parts("provision_records", 3, 3) == [("provision_records", 0, 3)]
    assert sheet_parts("t", 7, 3) == [("t", 0, 3), ("t_2", 3, 3), ("t_3", 6, 1)]
    long = "x" * 31
    names = [n for n, _, _ in sheet_parts(long, 25, 2)]
    assert all(len(n) <= 31 for n in names) and len(set(names)) == len(names)
    assert names[-1].endswith("_13")


def test_xlsx_continues_on_numbered_sheets(tmp_path):
    spec = output_table("provision_principals")
    df = pl.DataFrame({"record_id": [f"P/X/E{i}" for i in range(5)],
                       "principal_id": [f"CU-{i}" for i in range(5)],
                       "principal_name": [None] * 5}, schema=spec.schema)
    path = tmp_path / "x.xlsx"
    write_xlsx(path, [("provision_principals", spec.columns, df)], "en", max_rows=2)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["provision_principals", "provision_principals_2",
                             "provision_principals_3"]
    got = [r[0] for ws in wb.worksheets for r in ws.iter_rows(min_row=2, values_only=True)]
    assert got == df["record_id"].to_list()
    assert all(ws.cell(1, 1).value == "record_id" for ws in wb.worksheets)


def test_xlsx_fixed_properties(analysis, tmp_path):
    (path,) = write_records(analysis, tmp_path / "out", "xlsx", "en")
    with zipfile.ZipFile(path) as z:
        core = z.read("docProps/core.xml").decode()
        stamps = re.findall(r"\d{4}-\d\d-\d\dT[\d:]+Z", core)
        assert stamps and set(stamps) == {"2000-01-01T00:00:00Z"}  # no wall-clock time
        assert z.testzip() is None
        assert {i.date_time[:3] for i in z.infolist()} <= {(1980, 1, 1), (1980, 1, 31)}


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_xlsx_cuts_text_past_excels_cell_limit_and_says_so(tmp_path, lang):
    spec = output_table("provision_records")
    events = [f"EV-{i:07d}" for i in range(4000)]  # a bulk record over a long log
    df = pl.DataFrame({"record_id": ["P/X"], "event_ids": [events]}).with_columns(
        [pl.lit(None).cast(d).alias(n) for n, d in spec.schema.items()
         if n not in ("record_id", "event_ids")]
    ).select(spec.schema.keys()).cast(spec.schema)
    path = tmp_path / "x.xlsx"
    write_xlsx(path, [("provision_records", spec.columns, df)], lang)
    cell = openpyxl.load_workbook(path).active.cell(2, 4).value
    assert len(cell) == EXCEL_CELL_CHARS
    assert cell.endswith(CUT_NOTE[lang])
    assert cell.startswith(";".join(events[:100]))


def test_output_folder_created_and_other_files_kept(analysis, tmp_path):
    out = tmp_path / "new" / "dir"
    write_records(analysis, out, "json", "en")
    (out / "keep.txt").write_text("mine")
    write_records(analysis, out, "csv", "en")
    assert (out / "keep.txt").read_text() == "mine"
    assert (out / "records.json").exists()
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


def test_refuses_to_overwrite_an_input(analysis, tmp_path):
    src = analysis.register.files[0]
    target = src.parent / "records.json"
    src.rename(target)
    analysis.register.files[0] = target
    before = target.read_bytes()
    with pytest.raises(InputError):
        write_records(analysis, target.parent, "json", "en")
    assert target.read_bytes() == before


def test_unknown_format(analysis, tmp_path):
    with pytest.raises(InputError):
        write_records(analysis, tmp_path / "o", "parquet", "en")
    assert not (tmp_path / "o").exists()
