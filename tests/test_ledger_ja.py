"""The Japanese ledger (sample_data/ledger_ja/): the sample register as an officer keeps it by
hand — 令和 dates, ○/× and あり/なし, labels, full-width digits, lists with 、 and line breaks,
a cp932 CSV form — is the SAME register as sample_data/register.json.

`check`, `records` (JSON, byte for byte) and `report --format json` give the same results on
it as on register.json; its Japanese records (xlsx, CSV under --lang ja) are pinned in
tests/golden/ledger_ja/. After a change to register.json run
`.venv/bin/python sample_data/build_ledger_ja.py`; after a deliberate change to the Japanese
records, `REGISTER_UPDATE_GOLDEN=1` regenerates the pinned files (review the diff).
"""

from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path

import openpyxl
import pytest

from .conftest import SAMPLE, run_cli

LEDGER = SAMPLE / "ledger_ja"
BOOK = LEDGER / "個人情報管理台帳.xlsx"
GOLDEN = Path(__file__).parent / "golden" / "ledger_ja"
AS_OF = "2026-11-21"
UPDATE = bool(os.environ.get("REGISTER_UPDATE_GOLDEN"))
RECORD_TABLES = ("provision_records", "provision_principals", "confirmation_records",
                 "confirmation_principals", "exempt_flows")


def _builder():
    spec = importlib.util.spec_from_file_location("build_ledger_ja", SAMPLE / "build_ledger_ja.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def fresh(tmp_path_factory) -> Path:
    """The ledger as the builder writes it from today's register.json."""
    return _builder().main(tmp_path_factory.mktemp("ledger") / "ledger_ja")


def _check(path: Path, tmp: Path) -> tuple[list[str], dict]:
    res = run_cli("check", str(path), "--format", "json", "--as-of", AS_OF)
    assert res.exit_code in (0, 1), res.output
    doc = json.loads(res.stdout)
    findings = []
    for f in doc["findings"]:
        f = {k: v for k, v in f.items() if k != "location"}  # cells differ by form, by design
        findings.append(json.dumps(f, sort_keys=True, ensure_ascii=False))
    return sorted(findings), doc["summary"]


def _records(path: Path, out: Path, fmt: str = "json", lang: str = "en") -> Path:
    res = run_cli("records", str(path), "--out", str(out), "--format", fmt, "--as-of", AS_OF, "--lang", lang)
    assert res.exit_code == 0, res.output
    return out


def _report(path: Path, out: Path) -> dict:
    res = run_cli("report", str(path), "--out", str(out), "--format", "json", "--as-of", AS_OF)
    assert res.exit_code == 0, res.output
    doc = json.loads(out.read_text(encoding="utf-8"))
    doc.pop("inputs")  # the file names and their hashes
    doc["findings"] = sorted(
        json.dumps({k: v for k, v in f.items() if k != "location"}, sort_keys=True, ensure_ascii=False)
        for f in doc["findings"]
    )
    return doc


def _forms(root: Path) -> list[Path]:
    return [root / BOOK.name, root / "csv"]


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> dict:
    tmp = tmp_path_factory.mktemp("reference")
    src = SAMPLE / "register.json"
    return {
        "check": _check(src, tmp),
        "records": (_records(src, tmp / "records") / "records.json").read_bytes(),
        "report": _report(src, tmp / "report.json"),
    }


@pytest.mark.parametrize("form", [0, 1], ids=["xlsx", "cp932 csv"])
def test_the_built_ledger_is_the_same_register(fresh, reference, tmp_path, form):
    path = _forms(fresh)[form]
    assert _check(path, tmp_path) == reference["check"]
    assert (_records(path, tmp_path / "records") / "records.json").read_bytes() == reference["records"]
    assert _report(path, tmp_path / "report.json") == reference["report"]


def test_the_committed_ledger_is_current(fresh):
    """sample_data/ledger_ja/ is what the builder writes from register.json, byte for byte."""
    stale = [p.relative_to(fresh).as_posix() for p in sorted(fresh.rglob("*")) if p.is_file()
             and (LEDGER / p.relative_to(fresh)).read_bytes() != p.read_bytes()]
    committed = sorted(p.relative_to(LEDGER).as_posix() for p in LEDGER.rglob("*") if p.is_file())
    built = sorted(p.relative_to(fresh).as_posix() for p in fresh.rglob("*") if p.is_file())
    assert committed == built
    assert not stale, f"{stale}: run .venv/bin/python sample_data/build_ledger_ja.py"


def test_the_ledger_is_written_as_by_hand():
    """Spot checks that the workbook holds the forms the readers must take (japanese.md §5)."""
    wb = openpyxl.load_workbook(BOOK)
    texts = [str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if v]
    assert any(t.startswith("令和") for t in texts)
    assert any(t.startswith("R") and t[1:2].isdigit() and "." in t for t in texts)
    assert any("１" in t or "２" in t for t in texts)  # full-width digits
    assert {"○", "×", "あり", "なし"} <= set(texts)
    assert any("\n" in t for t in texts) and any("、" in t for t in texts)
    assert "本人の同意" in texts and "米国" in texts
    assert wb["事業者"]["A1"].value != "名称"  # a title row above the header
    raw = (LEDGER / "csv" / "データ提供.csv").read_bytes()
    raw.decode("cp932")
    assert b"\r\n" in raw and not raw.startswith(b"\xef\xbb\xbf")


def _pin(name: str, data: bytes) -> None:
    target = GOLDEN / name
    if UPDATE:
        GOLDEN.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    assert target.exists(), f"no golden file {target}; run with REGISTER_UPDATE_GOLDEN=1"
    assert data == target.read_bytes(), f"{name} differs from the pinned Japanese records"


def test_japanese_csv_records_of_the_ledger_are_pinned(tmp_path):
    out = _records(BOOK, tmp_path / "csv", "csv", "ja")
    for t in RECORD_TABLES:
        _pin(f"{t}.csv", (out / f"{t}.csv").read_bytes())


def _cell(v) -> object:
    if v is None or isinstance(v, (str, int, float, bool)):
        return v
    return v.isoformat()


def test_japanese_xlsx_records_of_the_ledger_are_pinned(tmp_path):
    out = _records(BOOK, tmp_path / "xlsx", "xlsx", "ja")
    wb = openpyxl.load_workbook(out / "records.xlsx", read_only=True)
    try:
        cells = {ws.title: [[_cell(v) for v in row] for row in ws.iter_rows(values_only=True)]
                 for ws in wb.worksheets}
    finally:
        wb.close()
    _pin("records_xlsx.json", json.dumps(cells, ensure_ascii=False, indent=1).encode("utf-8") + b"\n")
