"""The benchmark's synthetic registers: exact size, deterministic, valid; the runner's verdicts."""

from __future__ import annotations

import sys
from pathlib import Path

import polars as pl
import pytest

from .conftest import AS_OF, ROOT, findings_of

sys.path.insert(0, str(ROOT / "benchmarks"))

import generate  # noqa: E402
import run  # noqa: E402


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> tuple[Path, generate.Manifest]:
    out = tmp_path_factory.mktemp("bench") / "register"
    return out, generate.generate(out, 3_000, seed=11)


def test_log_has_exactly_n_rows_and_events_of_1_to_40(small):
    folder, m = small
    log = pl.read_csv(folder / "provision_log.csv", infer_schema=False)
    assert log.height == m.rows == 3_000
    sizes = log.group_by("event_id").len()["len"]
    assert sizes.min() >= 1 and sizes.max() <= 40
    assert sizes.len() == m.events
    # every row names one principal; an event keeps one provision and one date
    assert log["principal_ids"].null_count() == 0
    agree = log.group_by("event_id").agg(pl.col("provision_id").n_unique(), pl.col("provided_on").n_unique())
    assert agree["provision_id"].max() == 1 and agree["provided_on"].max() == 1
    assert m.disclose_principal in set(log["principal_ids"])


def test_same_seed_same_bytes_other_seed_other_log(tmp_path, small):
    folder, _ = small
    again = tmp_path / "again"
    generate.generate(again, 3_000, seed=11)
    for f in sorted(folder.glob("*.csv")):
        assert (again / f.name).read_bytes() == f.read_bytes(), f.name
    other = tmp_path / "other"
    generate.generate(other, 3_000, seed=12)
    assert (other / "provision_log.csv").read_bytes() != (folder / "provision_log.csv").read_bytes()


def test_mix_of_bases_and_methods_and_valid_opt_out(small):
    folder, m = small
    prov = pl.read_csv(folder / "provisions.csv", infer_schema=False)
    assert prov.height == m.provisions
    assert set(prov["basis"]) == {"consent", "opt_out"}
    assert set(prov["record_method"]) == {"each", "bulk"}
    opt = prov.filter(pl.col("basis") == "opt_out")
    # PRV-003 / PRV-005 / PRV-010: notified, recorded each time, from a dataset
    assert opt["optout_notified_on"].null_count() == 0
    assert set(opt["record_method"]) == {"each"}
    assert opt["dataset_id"].null_count() == 0
    assert set(prov.filter(pl.col("basis") == "consent")["consent"]) == {"true"}


def test_sizes_scale_to_the_issue_at_a_million():
    assert generate.sizes_for(1_000_000) == (1_000, 2_000, 200_000)
    assert generate.sizes_for(10_000) == (10, 20, 2_000)


def test_generated_register_has_no_errors(small):
    folder, _ = small
    errors = [(f.rule, f.table, f.record, f.field) for f in findings_of(folder, AS_OF)
              if f.severity.value == "error"]
    assert errors == []


def test_cache_regenerates_only_when_stale(tmp_path):
    folder, m = generate.ensure(tmp_path, 500, seed=3)
    stamp = (folder / "provision_log.csv").stat().st_mtime_ns
    folder2, m2 = generate.ensure(tmp_path, 500, seed=3)
    assert folder2 == folder and m2 == m
    assert (folder / "provision_log.csv").stat().st_mtime_ns == stamp


def test_failed_command_reports_its_last_stderr_line(tmp_path, monkeypatch):
    monkeypatch.setattr(run, "CACHE", tmp_path)
    r = run.timed([sys.executable, "-c", "import sys; print('first', file=sys.stderr); "
                   "print('the reason', file=sys.stderr); sys.exit(2)"])
    assert r.exit_code == 2 and r.error == "the reason"
    ok = run.timed([sys.executable, "-c", "x = bytearray(64 * 1024 * 1024)"])
    assert ok.error is None and ok.peak_mib >= 64


def test_verdicts_use_the_floor_and_the_fastest_xlsx_writer():
    n = 1_000_000
    res = {
        "floor": run.Result("floor", n, 1.0, n, 100),
        "check": run.Result("check", n, 2.0, n / 2, 500),
        "records-csv": run.Result("records-csv", n, 3.5, n / 3.5, 500),
        "records-xlsx": run.Result("records-xlsx", n, 14.0, n / 14, 3000),
        "disclose": run.Result("disclose", n, 1.5, n / 1.5, 400),
        "xlsx:a": run.Result("xlsx:a", n, 10.0, n / 10, 100),
        "xlsx:b": run.Result("xlsx:b", n, 30.0, n / 30, 100),
    }
    run.judge(res, n)
    assert (res["check"].ratio, res["check"].passed) == (2.0, True)
    assert (res["records-csv"].ratio, res["records-csv"].passed) == (3.5, False)
    # 1.4x the fastest writer, but over the memory limit
    assert (res["records-xlsx"].ratio, res["records-xlsx"].passed) == (1.4, False)
    assert res["disclose"].passed is True
    assert res["xlsx:b"].ratio == 3.0
