"""Golden tests: the records of sample_data/ are pinned in all three formats.

The pinned files live in tests/golden/sample_records/. After a deliberate change to the
records, regenerate them with `REGISTER_UPDATE_GOLDEN=1 make test` and review the diff.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
from pathlib import Path

import openpyxl
import pytest

from .conftest import SAMPLE, run_cli

GOLDEN = Path(__file__).parent / "golden" / "sample_records"
TABLES = ("provision_records", "provision_principals", "confirmation_records",
          "confirmation_principals", "exempt_flows")
UPDATE = bool(os.environ.get("REGISTER_UPDATE_GOLDEN"))


def _records(tmp_path: Path, fmt: str, source: Path = SAMPLE / "register.json") -> Path:
    out = tmp_path / fmt
    res = run_cli("records", str(source), "--out", str(out), "--format", fmt, "--as-of", "2026-11-21")
    assert res.exit_code == 0, res.output
    return out


def _pin(name: str, data: bytes) -> None:
    target = GOLDEN / name
    if UPDATE:
        GOLDEN.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    assert target.exists(), f"no golden file {target}; run with REGISTER_UPDATE_GOLDEN=1"
    assert data == target.read_bytes(), f"{name} differs from the pinned records"


def test_json_records_are_pinned(tmp_path):
    out = _records(tmp_path, "json")
    _pin("records.json", (out / "records.json").read_bytes())


def test_csv_records_are_pinned(tmp_path):
    out = _records(tmp_path, "csv")
    for t in TABLES:
        _pin(f"{t}.csv", (out / f"{t}.csv").read_bytes())


def _csv_rows(table: str) -> list[list[str]]:
    text = (GOLDEN / f"{table}.csv").read_text(encoding="utf-8-sig")
    return [row for row in csv.reader(io.StringIO(text))]


def _cell_text(v) -> str:
    if v is None:
        return ""
    if hasattr(v, "date"):
        return v.date().isoformat()
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))  # Excel keeps every number as a double: 4.0 is the count 4
    return str(v)


def test_xlsx_records_hold_the_pinned_values(tmp_path):
    out = _records(tmp_path, "xlsx")
    wb = openpyxl.load_workbook(out / "records.xlsx", read_only=True)
    try:
        for t in TABLES:
            got = [[_cell_text(v) for v in row] for row in wb[t].iter_rows(values_only=True)]
            want = _csv_rows(t)
            # the CSV neutralises free text for people; xlsx keeps text as text cells instead
            want = [[c[1:] if c.startswith("'") and c[1:2] in "=+-@\t\r" else c for c in row] for row in want]
            got = [[("" if c is None else c) for c in row] for row in got]
            assert got == want, t
    finally:
        wb.close()


@pytest.mark.parametrize("form", ["register.xlsx", "csv"])
def test_every_form_of_the_sample_gives_the_same_records(tmp_path, form):
    out = _records(tmp_path, "json", SAMPLE / form)
    assert json.loads((out / "records.json").read_bytes()) == json.loads((GOLDEN / "records.json").read_bytes())


def test_sample_records_say_what_the_flows_need():
    """Spot checks a privacy officer would make on the pinned records."""
    doc = json.loads((GOLDEN / "records.json").read_bytes())
    by_provision = {}
    for r in doc["provision_records"]:
        by_provision.setdefault(r["provision_id"], []).append(r)
    assert {r["record_type"] for r in by_provision["PV-OPTOUT"]} == {"opt_out"}
    assert all(r["record_method"] == "each" for r in by_provision["PV-OPTOUT"])
    assert len(by_provision["PV-RESELLER"]) == 1 and by_provision["PV-RESELLER"][0]["record_method"] == "bulk"
    adlink = by_provision["PV-ADLINK"][0]
    assert adlink["record_type"] == "person_related" and adlink["principal_count"] is None
    assert adlink["consent"].startswith("confirmed ")
    exempt = {(e["flow_id"], e["reason"]) for e in doc["exempt_flows"]}
    assert ("PV-TAX", "my_number_act") in exempt
    assert ("PV-POLICE", "public_body") in exempt
    assert ("PV-MAIL", "art27_5") in exempt
    assert ("PV-ADNET", "not_personal_data") in exempt
    assert ("PV-MIGRATE", "on_behalf") in exempt
    # My Number never appears in an APPI record
    names = {n for r in doc["provision_records"] for n in r["item_names"]}
    assert not any("マイナンバー" in n or "個人番号" in n for n in names)


if UPDATE:  # pragma: no cover - regenerating
    shutil.rmtree(GOLDEN, ignore_errors=True)


@pytest.mark.parametrize(
    "lang, name", [("en", "unspecified large number of persons"), ("ja", "不特定かつ多数の者")]
)
def test_unspecified_public_recipient_is_stated_in_the_chosen_language(tmp_path, lang, name):
    from .conftest import base_register, write_json

    reg = base_register()
    reg["parties"][0].update(kind="unspecified_public")
    for k in ("address", "representative"):
        reg["parties"][0].pop(k)
    src = write_json(tmp_path, reg)
    out = tmp_path / "out"
    res = run_cli("records", str(src), "--out", str(out), "--format", "json", "--lang", lang,
                  "--as-of", "2026-11-21")
    assert res.exit_code == 0, res.output
    rec = json.loads((out / "records.json").read_bytes())["provision_records"]
    assert [(r["recipient_name"], r["recipient_address"], r["record_type"]) for r in rec] == [
        (name, None, "consent")
    ]
