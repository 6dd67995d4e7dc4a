"""The million-row paths build at most the findings the report lists, and lose nothing by it.

`findings.capped` locates only the first MAX_PER_RULE findings of a log rule (in report order)
and counts the rest; these tests check that the report is the same as if every finding had
been built: same summary, and the listed ones are the first in sort order.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
import sys
from pathlib import Path

import polars as pl
import pytest

from register import api
from register.checks.retention import RET_001
from register.checks.structure import SCH_003
from register.findings import MAX_PER_RULE, Finding, Location, Report, capped

from .conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
import generate  # noqa: E402

AS_OF = dt.date(2030, 6, 30)


def _finding(row: int, event: str) -> Finding:
    return RET_001(
        table="provision_log", record=event, field=None,
        location=Location(file="log.csv", row=row), record_id=f"P/x/{event}",
        retain_until="2024-01-01", as_of="2030-06-30",
    )


def _listed(report: Report) -> list[tuple]:
    return [(f.rule, f.record, f.location.row) for f in report if not f.params.get("_suppressed_note")]


@pytest.mark.parametrize("n", [0, 1, MAX_PER_RULE, MAX_PER_RULE + 1, 3 * MAX_PER_RULE + 7])
def test_capped_gives_the_same_report_as_building_everything(n):
    rows = list(range(2, n + 2))
    random.Random(n).shuffle(rows)
    candidates = [(r, f"E-{r:05d}") for r in rows]
    built = [_finding(r, e) for r, e in candidates]
    calls = []

    def make(c):
        calls.append(c)
        return _finding(*c)

    fast = Report.build(list(capped(RET_001, candidates, make, key=lambda c: (c[0], ""))))
    full = Report.build(built)
    assert fast.summary() == full.summary()
    assert fast.summary()["suppressed"] == max(0, n - MAX_PER_RULE)
    # the listed ones are the first in report order, not the first that happened to come
    everything = sorted(built, key=Finding.sort_key)
    assert _listed(fast) == [(f.rule, f.record, f.location.row) for f in everything][:MAX_PER_RULE]
    assert _listed(fast) == [("RET-001", f"E-{r:05d}", r) for r in range(2, 2 + min(n, MAX_PER_RULE))]
    # only what can be listed was built (ties at the edge aside: none here)
    assert len(calls) == min(n, MAX_PER_RULE)


def test_capped_builds_every_tie_at_the_edge_and_lets_the_findings_decide():
    # 150 findings on one row (coarse key ties): all are built, the first 100 by full sort key
    candidates = [(7, f"E-{k:03d}") for k in range(150)]
    out = list(capped(RET_001, candidates, lambda c: _finding(*c), key=lambda c: (c[0], "")))
    listed = [f.record for f in out if not f.params.get("_suppressed_count")]
    assert listed == [f"E-{k:03d}" for k in range(100)]
    assert Report.build(out).summary()["suppressed"] == 50


def test_suppressed_stand_in_counts_into_the_one_note_per_rule():
    out = list(capped(SCH_003, list(range(250)), lambda i: SCH_003(
        table="provision_log", record=f"E-{i:04d}", field="provided_on",
        location=Location(file="log.csv", row=i + 2)), key=lambda i: (i + 2, "")))
    report = Report.build(out)
    notes = [f for f in report if f.params.get("_suppressed_note")]
    assert [(f.rule, f.params["suppressed"]) for f in notes] == [("SCH-003", 150)]
    assert report.summary() == {"error": 100, "warning": 0, "info": 0, "suppressed": 150}


@pytest.fixture(scope="module")
def broken_log(tmp_path_factory) -> Path:
    """A generated register whose log has 7 bad dates per 100 rows and some rows without event."""
    out = tmp_path_factory.mktemp("broken")
    generate.generate(out, 3_000, seed=3)
    log = pl.read_csv(out / "provision_log.csv", infer_schema=False).with_row_index("_i")
    log = log.with_columns(
        pl.when(pl.col("_i") % 7 == 3).then(pl.lit("2024-02-30")).otherwise(pl.col("provided_on"))
        .alias("provided_on"),
        pl.when(pl.col("_i") % 500 == 3).then(None).otherwise(pl.col("event_id")).alias("event_id"),
    ).drop("_i")
    log.write_csv(out / "provision_log.csv")
    return out


def test_log_value_findings_are_capped_in_row_order_with_exact_counts(broken_log):
    a = api.check(str(broken_log), AS_OF)
    bad_rows = [i + 2 for i in range(3_000) if i % 7 == 3]  # CSV line numbers (header = 1)
    unnamed = [r for r in bad_rows if (r - 2) % 500 == 3]
    sch003 = [f for f in a.report if f.rule == "SCH-003" and not f.params.get("_suppressed_note")]
    named = [f.location.row for f in sch003 if f.record is not None]
    assert named == [r for r in bad_rows if r not in unnamed][:MAX_PER_RULE]
    # findings without an event are not capped (rules.md §1 caps per event)
    assert sorted(f.location.row for f in sch003 if f.record is None) == unnamed
    note = [f for f in a.report if f.rule == "SCH-003" and f.params.get("_suppressed_note")]
    assert note[0].params["suppressed"] == len(bad_rows) - len(unnamed) - MAX_PER_RULE
    assert all(f.location.cell == f"C{f.location.row}" for f in sch003)


def test_retention_lists_the_first_events_by_row_and_counts_the_rest(broken_log, tmp_path):
    clean = tmp_path / "clean"
    shutil.copytree(broken_log, clean)
    generate.generate(clean, 3_000, seed=3)  # the same register, unbroken
    a = api.check(str(clean), AS_OF)
    ret = [f for f in a.report if f.rule == "RET-001" and f.table == "provision_log"]
    listed = [f for f in ret if not f.params.get("_suppressed_note")]
    each = a.records.provision_records.filter(
        (pl.col("record_method") == "each") & (pl.col("retain_until") < AS_OF)
    )
    assert len(listed) == min(MAX_PER_RULE, each.height)
    rows = [f.location.row for f in listed]
    assert rows == sorted(rows)
    # every listed event's row is its first log row, and no unlisted event comes earlier
    log = pl.read_csv(clean / "provision_log.csv", infer_schema=False).with_row_index("_i")
    first = log.group_by("event_id").agg(pl.col("_i").min() + 2)
    first_row = dict(first.iter_rows())
    all_rows = sorted(first_row[e[0]] for e in each["event_ids"].to_list())
    assert rows == all_rows[:MAX_PER_RULE]
    suppressed = sum(f.params["suppressed"] for f in ret if f.params.get("_suppressed_note"))
    assert len(listed) + suppressed == each.height
