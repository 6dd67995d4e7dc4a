"""Per-event rules over a large log: one finding per event, capped, and every event counted."""

from __future__ import annotations

import datetime as dt

import polars as pl

from .conftest import AS_OF
from .law_helpers import entrustment_register


def _write_folder(tmp_path, reg: dict, log: pl.DataFrame):
    for name, rows in reg.items():
        if name == "provision_log":
            continue
        df = pl.DataFrame(rows if isinstance(rows, list) else [rows])
        df = df.with_columns(
            [pl.col(c).list.join(";") for c, t in df.schema.items() if isinstance(t, pl.List)]
        )
        df.write_csv(tmp_path / f"{name}.csv")
    log.write_parquet(tmp_path / "provision_log.parquet")
    return tmp_path


def test_large_log_event_rules(tmp_path):
    from register import api

    reg = entrustment_register()
    reg["contractors"][0]["contract_on"] = "2026-03-01"
    events, rows_per_event = 40_000, 4
    n = events * rows_per_event
    day0 = dt.date(2026, 1, 1)
    log = pl.DataFrame({
        "event_id": [f"E{i // rows_per_event:06}" for i in range(n)],
        "provision_id": ["V1"] * n,
        # events alternate between before the contract (January) and after it (April)
        "provided_on": [str(day0 + dt.timedelta(days=90 * ((i // rows_per_event) % 2)))
                        for i in range(n)],
        "principal_ids": [f"A{i}" for i in range(n)],
    })
    a = api.check(str(_write_folder(tmp_path, reg, log)), AS_OF)
    listed = [f for f in a.report.findings if f.rule == "ENT-005" and f.record is not None]
    assert len(listed) == 100
    assert [f.record for f in listed[:2]] == ["E000000", "E000002"]
    assert all(f.location.row is not None for f in listed)  # listed findings are located
    assert a.report.suppressed == events // 2 - 100
    assert a.routes.provisions["V1"].failed_by == ("ENT-005",)
    assert a.routes.provisions["V1"].record_type == "consent"
