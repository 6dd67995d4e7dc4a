"""register.frames: the register and its records as pandas DataFrames (the `pandas` extra)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from register import frames
from register.api import check
from register.records import TABLES

pd = pytest.importorskip("pandas", reason="the pandas extra is not installed")

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data" / "register.json"
AS_OF = dt.date(2026, 11, 21)


def test_register_frames_hold_every_table_with_its_rows() -> None:
    out = frames.register_frames(SAMPLE)
    analysis = check(SAMPLE, AS_OF)
    assert set(out) == set(analysis.register.tables)
    for name, table in analysis.register.tables.items():
        assert len(out[name]) == len(table), name
    provisions = out["provisions"]
    assert provisions["provision_id"].tolist() == analysis.register["provisions"].df["provision_id"].to_list()


def test_register_frames_in_japanese_use_the_labels() -> None:
    out = frames.register_frames(SAMPLE, lang="ja")
    spec = check(SAMPLE, AS_OF).register["provisions"].spec
    assert spec.column("provision_id").label_ja in out["provisions"].columns
    assert "provision_id" not in out["provisions"].columns


def test_records_frames_equal_the_records_tables() -> None:
    out = frames.records_frames(SAMPLE, AS_OF)
    records = check(SAMPLE, AS_OF).records
    assert set(out) == set(TABLES)
    for name in TABLES:
        expected = records.table(name)
        assert list(out[name].columns) == expected.columns, name
        assert len(out[name]) == expected.height, name
    ids = out["provision_records"]["record_id"].tolist()
    assert ids == records.table("provision_records")["record_id"].to_list()
    assert ids, "the sample has provision records"
