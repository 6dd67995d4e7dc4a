"""Parquet as a fourth form: `provision_log.parquet` in the folder form, as systems export it.

A log exported as typed Parquet (dates as dates, principal IDs as a list) must give the same
findings and the same records as the same log as CSV.
"""

from __future__ import annotations

import shutil
import sys

import orjson
import polars as pl

from .conftest import ROOT, run_cli

sys.path.insert(0, str(ROOT / "benchmarks"))
import generate  # noqa: E402


def _forms(tmp_path):
    csv_dir = tmp_path / "csv"
    generate.generate(csv_dir, 5_000)
    pq_dir = tmp_path / "parquet"
    shutil.copytree(csv_dir, pq_dir)
    log = pl.read_csv(pq_dir / "provision_log.csv", infer_schema=False)
    typed = log.with_columns(
        pl.col("provided_on").str.to_date(),
        pl.col("principal_ids").str.split(";"),
    )
    (pq_dir / "provision_log.csv").unlink()
    typed.write_parquet(pq_dir / "provision_log.parquet")
    return csv_dir, pq_dir


def _findings(folder):
    r = run_cli("check", str(folder), "--format", "json", "--as-of", "2026-11-21")
    doc = orjson.loads(r.output)
    return r.exit_code, [(f["rule"], f["record"], f["location"].get("row")) for f in doc["findings"]]


def test_a_parquet_log_gives_the_csv_logs_findings_and_records(tmp_path):
    csv_dir, pq_dir = _forms(tmp_path)
    assert _findings(pq_dir) == _findings(csv_dir)
    out = {}
    for name, folder in (("csv", csv_dir), ("parquet", pq_dir)):
        r = run_cli("records", str(folder), "--out", str(tmp_path / f"out-{name}"),
                    "--format", "json", "--as-of", "2026-11-21")
        assert r.exit_code == 0, r.output
        out[name] = (tmp_path / f"out-{name}" / "records.json").read_bytes()
    assert out["parquet"] == out["csv"]
    records = orjson.loads(out["csv"])
    assert len(records["provision_principals"]) > 1000  # the log really was read


def test_a_parquet_log_finding_points_at_its_row(tmp_path):
    csv_dir, pq_dir = _forms(tmp_path)
    log = pl.read_parquet(pq_dir / "provision_log.parquet")
    broken = log.with_columns(
        pl.when(pl.int_range(pl.len()) == 41).then(pl.lit("NO-SUCH-PROVISION"))
        .otherwise(pl.col("provision_id")).alias("provision_id")
    )
    broken.write_parquet(pq_dir / "provision_log.parquet")
    r = run_cli("check", str(pq_dir), "--format", "json", "--as-of", "2026-11-21")
    assert r.exit_code == 1
    hits = [f for f in orjson.loads(r.output)["findings"] if f["rule"] == "REF-002"]
    assert hits and hits[0]["location"]["row"] == 43  # row 42 of the data, after a header row
    assert hits[0]["location"]["file"].endswith("provision_log.parquet")
