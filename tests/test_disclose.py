"""`register disclose` (product.md; APPI Art 33(5)): only the requester's own records and entry."""

from __future__ import annotations

import datetime as dt
import tempfile
import zipfile
from pathlib import Path

import openpyxl
import orjson
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from register.disclose import write_disclosure
from register.model import InputError

from .records_support import analysis_for

TABLES_IN = dict(
    provisions=[
        {"provision_id": "P1", "party_id": "PT-A", "basis": "consent", "consent": True,
         "item_ids": ["I-NAME"]},
        {"provision_id": "P2", "party_id": "PT-A", "basis": "consent", "consent": True,
         "item_ids": ["I-NAME"], "record_method": "bulk"},
        {"provision_id": "P3", "party_id": "PT-A", "basis": "consent", "consent": True,
         "item_ids": ["I-NAME"], "disclosure_excluded": True},
        {"provision_id": "P4", "party_id": "PT-A", "basis": "consent",
         "item_ids": ["I-COOKIE"], "linkage_expected": True},
        {"provision_id": "P5", "party_id": "PT-GOV", "basis": "law", "item_ids": ["I-NAME"]},
    ],
    provision_log=[
        {"event_id": "E1", "provision_id": "P1", "provided_on": "2024-01-01",
         "principal_ids": ["CU-0001", "CU-0002"]},
        {"event_id": "E2", "provision_id": "P1", "provided_on": "2024-01-02",
         "principal_ids": ["CU-0002"]},
        {"event_id": "E3", "provision_id": "P2", "provided_on": "2024-01-03",
         "principal_ids": ["CU-0001"]},
        {"event_id": "E3", "provision_id": "P2", "provided_on": "2024-01-03",
         "principal_ids": ["CU-0003"]},
        {"event_id": "E4", "provision_id": "P3", "provided_on": "2024-01-04",
         "principal_ids": ["CU-0001"]},
        {"event_id": "E5", "provision_id": "P4", "provided_on": "2024-01-05",
         "principal_ids": ["CU-0001"]},
        {"event_id": "E6", "provision_id": "P5", "provided_on": "2024-01-06",
         "principal_ids": ["CU-0001"]},
    ],
    principals=[{"principal_id": "CU-0001", "name": "本人一"},
                {"principal_id": "CU-0002", "name": "他人二"}],
    receipts=[
        {"receipt_id": "R1", "party_id": "PT-A", "basis": "consent", "received_on": "2024-02-01",
         "item_ids": ["I-NAME"], "consent": True, "acquisition": "x",
         "principal_ids": ["CU-0001", "CU-0003"]},
        {"receipt_id": "R2", "party_id": "PT-A", "basis": "consent", "received_on": "2024-02-02",
         "item_ids": ["I-NAME"], "consent": True, "acquisition": "x",
         "principal_ids": ["CU-0001"], "disclosure_excluded": True},
    ],
)


@pytest.fixture
def analysis(tmp_path):
    return analysis_for(tmp_path, **TABLES_IN)


def test_json_only_own_records_and_entry(analysis, tmp_path):
    out = write_disclosure(analysis, "CU-0001", tmp_path / "d.json", "en")
    doc = orjson.loads(out.read_bytes())
    assert list(doc) == ["principal_id", "provision_records", "confirmation_records"]
    assert doc["principal_id"] == "CU-0001"
    # P3 excluded, P4 person-related, P5 exempt: left out
    assert [r["record_id"] for r in doc["provision_records"]] == ["P/P1/E1", "P/P2"]
    assert [r["record_id"] for r in doc["confirmation_records"]] == ["C/R1"]
    for r in doc["provision_records"] + doc["confirmation_records"]:
        assert r["principal_id"] == "CU-0001" and r["principal_name"] == "本人一"
        assert "principal_count" not in r
    raw = out.read_text()
    assert "CU-0002" not in raw and "CU-0003" not in raw and "他人二" not in raw


def test_csv_one_file_with_record_kind(analysis, tmp_path):
    out = write_disclosure(analysis, "CU-0001", tmp_path / "d.CSV", "en")
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    df = pl.read_csv(out, infer_schema=False)
    assert df.columns[0] == "record_kind"
    assert df["record_kind"].to_list() == ["provision", "provision", "confirmation"]
    assert {"event_ids", "receipt_ids", "recipient_name", "provider_name"} <= set(df.columns)
    assert "principal_count" not in df.columns
    ja = pl.read_csv(write_disclosure(analysis, "CU-0001", tmp_path / "j.csv", "ja"),
                     infer_schema=False)
    assert ja.columns[:3] == ["記録の区分", "記録ID", "本人ID"]


def test_xlsx_two_sheets(analysis, tmp_path):
    out = write_disclosure(analysis, "CU-0001", tmp_path / "d.xlsx", "en")
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["provision_records", "confirmation_records"]
    assert wb["provision_records"].max_row == 3 and wb["confirmation_records"].max_row == 2
    # under ja the 開示書: its own tests are in test_disclose_ja.py
    ja = openpyxl.load_workbook(write_disclosure(analysis, "CU-0001", tmp_path / "j.xlsx", "ja"))
    assert ja.sheetnames == ["開示書", "提供記録", "確認記録"]
    assert ja["提供記録"].max_row == 3 and ja["確認記録"].max_row == 2


def test_unknown_principal_gives_empty_document(analysis, tmp_path):
    doc = orjson.loads(write_disclosure(analysis, "NOBODY", tmp_path / "d.json").read_bytes())
    assert doc == {"principal_id": "NOBODY", "provision_records": [],
                   "confirmation_records": []}
    df = pl.read_csv(write_disclosure(analysis, "NOBODY", tmp_path / "d.csv"))
    assert df.height == 0 and df.columns[0] == "record_kind"


def test_principal_id_normalised_like_the_register(analysis, tmp_path):
    doc = orjson.loads(write_disclosure(analysis, "ＣＵ-０００１ ", tmp_path / "d.json")
                       .read_bytes())
    assert doc["principal_id"] == "CU-0001" and len(doc["provision_records"]) == 2


def test_bad_suffix_and_input_path(analysis, tmp_path):
    with pytest.raises(InputError):
        write_disclosure(analysis, "CU-0001", tmp_path / "d.txt")
    with pytest.raises(InputError):
        write_disclosure(analysis, "CU-0001", analysis.register.files[0])
    assert not (tmp_path / "d.txt").exists()


# --- no other principal ever leaks (hypothesis) ---------------------------------------------

N = 6
PIDS = [f"CU-{i:04d}" for i in range(N)]
NAMES = [f"氏名{i:04d}" for i in range(N)]


@st.composite
def registers(draw):
    provisions = []
    for k in range(draw(st.integers(1, 4))):
        provisions.append({
            "provision_id": f"PV-{k}", "party_id": "PT-A",
            "basis": draw(st.sampled_from(["consent", "opt_out", "law"])), "consent": True,
            "item_ids": ["I-NAME"], "record_method": draw(st.sampled_from(["each", "bulk",
                                                                           "contract"])),
            "disclosure_excluded": draw(st.booleans()),
        })
    log = []
    for e in range(draw(st.integers(0, 12))):
        pid = draw(st.sampled_from(provisions))["provision_id"]
        day = dt.date(2024, 1, 1) + dt.timedelta(days=draw(st.integers(0, 400)))
        for _ in range(draw(st.integers(1, 3))):  # several rows per event
            log.append({"event_id": f"EV-{e}", "provision_id": pid, "provided_on": day.isoformat(),
                        "principal_ids": draw(st.lists(st.sampled_from(PIDS), max_size=3))})
    receipts = [
        {"receipt_id": f"RC-{k}", "party_id": "PT-A", "basis": "consent",
         "received_on": "2024-05-01", "item_ids": ["I-NAME"], "consent": True,
         "acquisition": "x", "record_method": draw(st.sampled_from(["each", "bulk"])),
         "principal_ids": draw(st.lists(st.sampled_from(PIDS), max_size=4))}
        for k in range(draw(st.integers(0, 3)))
    ]
    principals = [{"principal_id": p, "name": n} for p, n in zip(PIDS, NAMES, strict=True)]
    return dict(provisions=provisions, provision_log=log, receipts=receipts,
                principals=principals)


def _text_of(path: Path) -> str:
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as z:
            return "".join(z.read(n).decode() for n in z.namelist() if n.endswith(".xml"))
    return path.read_text(encoding="utf-8-sig")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables=registers(), who=st.integers(0, N - 1), fmt=st.sampled_from(["json", "csv", "xlsx"]))
def test_disclosure_never_names_another_principal(tables, who, fmt):
    with tempfile.TemporaryDirectory() as d:
        analysis = analysis_for(Path(d), **tables)
        out = write_disclosure(analysis, PIDS[who], Path(d) / f"out.{fmt}", "en")
        text = _text_of(out)
        for i in range(N):
            if i != who:
                assert PIDS[i] not in text and NAMES[i] not in text
        # and every record naming the principal (not excluded) is there
        rec = analysis.records
        mine = set(rec.provision_principals.filter(pl.col("principal_id") == PIDS[who])
                   ["record_id"]) - rec.disclosure_excluded
        for record_id in mine:
            assert record_id in text


def test_one_principals_entries_are_the_principals_table_filtered():
    """of_principal looks one principal up without building the principals table; it must give
    exactly the rows of that table for the principal, for every principal of the sample."""
    from register import api

    from .conftest import AS_OF, SAMPLE

    records = api.check(SAMPLE / "register.json", AS_OF).records
    table = records.provision_principals
    for pid in sorted(set(table["principal_id"].to_list())) + ["NO-SUCH"]:
        want = table.filter(pl.col("principal_id") == pid)
        assert records.provision.of_principal(pid).to_dicts() == want.to_dicts(), pid
    # the detail counts no principal, so it cannot tell what is incomplete either
    detail = records.provision.detail.drop("principal_count", "incomplete")
    full = records.provision_records.drop("principal_count", "incomplete")
    assert detail.to_dicts() == full.to_dicts()
