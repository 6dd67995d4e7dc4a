"""Shared helpers: build small registers in every form, run the CLI, collect findings."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data"
AS_OF = dt.date(2026, 11, 21)


def base_register() -> dict[str, Any]:
    """A small, valid register every test can start from and break in one place."""
    return {
        "organization": {
            "name": "株式会社テスト",
            "address": "東京都千代田区丸の内1-1-1",
            "representative": "山田太郎",
            "contact": "privacy@example.jp",
        },
        "data_items": [
            {"item_id": "I1", "name": "氏名", "legal_class": "personal"},
            {"item_id": "I2", "name": "メールアドレス", "legal_class": "personal"},
        ],
        "purposes": [{"purpose_id": "U1", "description": "サービスの提供"}],
        "datasets": [
            {
                "dataset_id": "D1",
                "name": "顧客DB",
                "subjects": "顧客",
                "item_ids": ["I1", "I2"],
                "purpose_ids": ["U1"],
                "source": "principal",
            }
        ],
        "parties": [
            {
                "party_id": "P1",
                "name": "株式会社パートナー",
                "kind": "corporation",
                "address": "大阪府大阪市北区1-1",
                "representative": "佐藤花子",
                "country": "JP",
            }
        ],
        "provisions": [
            {
                "provision_id": "V1",
                "party_id": "P1",
                "basis": "consent",
                "consent": True,
                "item_ids": ["I1", "I2"],
                "dataset_id": "D1",
            }
        ],
        "provision_log": [
            {
                "event_id": "E1",
                "provision_id": "V1",
                "provided_on": "2026-04-01",
                "principal_ids": ["A1"],
            }
        ],
    }


def workbook_bytes(reg: dict[str, Any] | None = None) -> bytes:
    """A register as people write it in Excel (openpyxl, English headers, lists as `a;b`)."""
    import io

    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for table, rows in (reg or base_register()).items():
        ws = wb.create_sheet(table)
        rows = [rows] if isinstance(rows, dict) else rows
        headers = list(dict.fromkeys(k for r in rows for k in r))
        ws.append(headers)
        for r in rows:
            ws.append([";".join(v) if isinstance(v, list) else v for v in (r.get(h) for h in headers)])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write_json(tmp_path: Path, reg: dict[str, Any], name: str = "register.json") -> Path:
    p = tmp_path / name
    p.write_text(json.dumps(reg, ensure_ascii=False), encoding="utf-8")
    return p


def findings_of(path: Path | str, as_of: dt.date = AS_OF) -> list:
    from register import api

    return api.check(str(path), as_of).report.findings


def keys(findings, severity: str | None = None) -> set[tuple]:
    """(rule, table, record, field) of each finding — what tests assert on."""
    return {
        (f.rule, f.table, f.record, f.field)
        for f in findings
        if severity is None or f.severity.value == severity
    }


def run_cli(*args: str):
    from register.cli import main

    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def base() -> dict[str, Any]:
    return base_register()
