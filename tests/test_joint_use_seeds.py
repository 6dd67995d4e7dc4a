"""Registers written from the seeds' group and trustee practices (sample_data/seeds/joint-use/,
built by sample_data/build_ju.py) give the findings and routes joint-use.md states for them."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from .conftest import SAMPLE, findings_of, keys

SEEDS = SAMPLE / "seeds" / "joint-use"
EXPECTED = json.loads((SEEDS / "expected.json").read_text(encoding="utf-8"))
AS_OF = dt.date.fromisoformat(EXPECTED["as_of"])
NAMES = sorted(EXPECTED["seeds"])


def test_every_seed_register_has_its_expectation():
    assert sorted(p.stem for p in SEEDS.glob("0*.json")) == NAMES


# The families this capability's findings belong to; other capabilities' warnings (a register
# written for joint use says nothing of its published security measures, say) are theirs.
FAMILIES = ("JNT", "ENT", "REF")


@pytest.mark.parametrize("name", NAMES)
def test_seed_findings(name):
    found = findings_of(SEEDS / f"{name}.json", AS_OF)
    expected = {tuple(k) for k in EXPECTED["seeds"][name]["findings"]}
    got = keys(found, "error") | keys(found, "warning")
    assert {k for k in got if k[0].split("-")[0] in FAMILIES} == expected
    assert keys(found, "error") <= expected  # no error of any other rule


@pytest.mark.parametrize("name", NAMES)
def test_seed_routes(name):
    from register import api

    a = api.check(str(SEEDS / f"{name}.json"), AS_OF)
    got = {pid: [r.record_type, r.exempt_reason] for pid, r in a.routes.provisions.items()}
    assert got == EXPECTED["seeds"][name]["routes"]


def test_the_mended_group_records_exactly_the_flows_after_the_wrong_change():
    """JC-2022 (a user added with no basis, JNT-011) ends the joint use from 2022-03-31: the
    provisions split at that date keep their exemption before it and need records after it."""
    from register import api

    a = api.check(str(SEEDS / "002_kobushi_group_mended.json"), AS_OF)
    events = {}
    for r in a.records.table("provision_records").iter_rows(named=True):
        events.setdefault(r["provision_id"], set()).update(r["event_ids"])
    assert events == {"PV-LABS": {"EV-010", "EV-011", "EV-012"}, "PV-CONNECT": {"EV-020", "EV-021"}}
    assert a.routes.provisions["PV-LABS"].failed_by == ("JNT-011",)
