"""Build sample_data/invalid/INP-00x/: the sample register as a workbook, with one messy cell.

    .venv/bin/python sample_data/build_inp.py

INP findings are made while reading a workbook, so these samples are .xlsx (the others are
JSON): the sample converted to xlsx, then edited with openpyxl as a person or a program would.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import openpyxl

from register.convert import convert

HERE = Path(__file__).resolve().parent


def _columns(ws) -> dict[str, int]:
    return {c.value: c.column for c in ws[1] if c.value}


def build() -> None:
    with tempfile.TemporaryDirectory() as d:
        base = Path(d) / "base.xlsx"
        convert(str(HERE / "register.json"), str(base))
        cases = {
            "INP-001": _formula,
            "INP-002": _merge_across,
            "INP-003": _hidden,
            "INP-005": _error_value,
        }
        for rule, edit in cases.items():
            wb = openpyxl.load_workbook(base)
            findings = edit(wb)
            folder = HERE / "invalid" / rule
            folder.mkdir(parents=True, exist_ok=True)
            wb.save(folder / "register.xlsx")
            doc = {"rule": rule, "findings": findings, "as_of": "2026-11-21"}
            (folder / "expected.json").write_text(
                json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
            )


def _formula(wb) -> list[dict]:
    ws = wb["datasets"]
    col = _columns(ws)
    ws.cell(2, col["record_count"]).value = "=SUM(1,2)"  # a program's formula: no saved result
    return [{"table": "datasets", "record": ws.cell(2, col["dataset_id"]).value, "field": "record_count"}]


def _merge_across(wb) -> list[dict]:
    ws = wb["datasets"]
    col = _columns(ws)
    a, b = col["storage"], col["retention"]
    assert b == a + 2, "storage and retention are expected two columns apart"
    for r in range(2, ws.max_row + 1):
        if ws.cell(r, col["storage_country"]).value in (None, "JP"):
            ws.merge_cells(start_row=r, start_column=a, end_row=r, end_column=a + 1)
            return [{"table": "datasets", "record": ws.cell(r, col["dataset_id"]).value, "field": "storage"}]
    raise AssertionError("no dataset stored in Japan")


def _error_value(wb) -> list[dict]:
    ws = wb["datasets"]
    col = _columns(ws)
    # openpyxl stores Excel's error codes as error cells (t="e"), as Excel saves a broken formula
    ws.cell(2, col["retention"]).value = "#REF!"
    return [{"table": "datasets", "record": ws.cell(2, col["dataset_id"]).value, "field": "retention"}]


def _json_non_record() -> None:
    """INP-004 is found while reading JSON: the sample with one entry that is not a record."""
    doc = json.loads((HERE / "register.json").read_text(encoding="utf-8"))
    doc["purposes"].append("（削除済み）")
    folder = HERE / "invalid" / "INP-004"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "register.json").write_text(
        json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    expected = {"rule": "INP-004", "findings": [{"table": "purposes", "record": None, "field": None}],
                "as_of": "2026-11-21"}
    (folder / "expected.json").write_text(
        json.dumps(expected, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )


def _hidden(wb) -> list[dict]:
    wb["purposes"].sheet_state = "hidden"
    return [{"table": "purposes", "record": None, "field": None}]


if __name__ == "__main__":
    build()
    _json_non_record()
