"""Build sample_data/invalid/PRV-011/ and REF-006/ (japanese.md §10) from the PRV-009 register.

    .venv/bin/python sample_data/build_ja.py

The PRV-009 register with its one fault mended (every event names its principal), then one
change each:
- PRV-011: a consent provision in force on the as-of date that the provision log never names;
- REF-006: a log row and a receipt naming principals the principals table does not hold (one
  differing only in case: IDs are case-sensitive).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
AS_OF = "2026-11-21"


def _base() -> dict:
    reg = json.loads((HERE / "invalid" / "PRV-009" / "register.json").read_text(encoding="utf-8"))
    for row in reg["provision_log"]:
        if not row.get("principal_ids"):
            row["principal_ids"] = ["PR-2"]
    return reg


def _prv_011(reg: dict) -> list[dict]:
    reg["provisions"].append({
        "provision_id": "PV-CAMPAIGN",
        "party_id": "PT-CON",
        "basis": "consent",
        "item_ids": ["DI-NAME", "DI-MAIL"],
        "dataset_id": "DS-CUST",
        "consent": True,
        "consent_evidence": "キャンペーン応募フォームの同意欄",
        "starts_on": "2026-10-01",
        "record_method": "each",
    })
    return [{"table": "provisions", "record": "PV-CAMPAIGN", "field": "provision_id"}]


def _ref_006(reg: dict) -> list[dict]:
    log = reg["provision_log"]
    log[0]["principal_ids"] = ["PR-1", "pr-2", "PR-9"]
    reg["receipts"][0]["principal_ids"] = ["PR-3", "PR-7"]
    return [
        {"table": "provision_log", "record": log[0]["event_id"], "field": "principal_ids"},
        {"table": "receipts", "record": reg["receipts"][0]["receipt_id"], "field": "principal_ids"},
    ]


def build() -> None:
    for rule, edit in (("PRV-011", _prv_011), ("REF-006", _ref_006)):
        reg = copy.deepcopy(_base())
        findings = edit(reg)
        folder = HERE / "invalid" / rule
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "register.json").write_text(
            json.dumps(reg, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        doc = {"rule": rule, "findings": findings, "as_of": AS_OF}
        (folder / "expected.json").write_text(
            json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )


if __name__ == "__main__":
    build()
