"""The bundled registers: the sample has no error; each invalid/<RULE-ID>/ triggers its rule only.

Folders are discovered, so a register added under sample_data/invalid/ is tested automatically.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from .conftest import SAMPLE, findings_of, keys

INVALID = sorted(p for p in (SAMPLE / "invalid").glob("*") if p.is_dir())


def _register_in(folder: Path) -> Path:
    for name in ("register.json", "register.xlsx"):
        if (folder / name).exists():
            return folder / name
    if (folder / "register").is_dir():
        return folder / "register"
    raise AssertionError(f"no register in {folder}")


@pytest.mark.parametrize("folder", INVALID, ids=[p.name for p in INVALID])
def test_invalid_register_triggers_its_rule_and_no_other_error(folder):
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    rule = expected["rule"]
    assert rule == folder.name
    as_of = dt.date.fromisoformat(expected.get("as_of", "2026-11-21"))
    found = findings_of(_register_in(folder), as_of)
    got = keys(found)
    for e in expected["findings"]:
        assert (rule, e["table"], e["record"], e["field"]) in got, sorted(got)
    other_errors = {k for k in keys(found, "error") if k[0] != rule}
    assert other_errors == set()


def test_every_catalogued_rule_has_an_invalid_register():
    from register.render import catalogue

    ids = {r["id"] for r in catalogue()}
    have = {p.name for p in INVALID}
    assert ids - have == set()


SAMPLE_FORMS = [p for p in (SAMPLE / "register.json", SAMPLE / "register.xlsx", SAMPLE / "csv") if p.exists()]


@pytest.mark.parametrize("path", SAMPLE_FORMS, ids=[p.name for p in SAMPLE_FORMS])
def test_sample_register_has_no_error(path):
    assert keys(findings_of(path, dt.date(2026, 11, 21)), "error") == set()


def test_sample_forms_load_the_same_tables():
    from register.load import load

    if len(SAMPLE_FORMS) < 2:
        pytest.skip("only one form of the sample exists")
    first, *rest = [load(p) for p in SAMPLE_FORMS]
    for other in rest:
        for name, t in first.tables.items():
            cols = [c.name for c in t.spec.columns]
            assert t.df.select(cols).equals(other[name].df.select(cols)), name
