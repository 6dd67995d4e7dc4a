"""The library API: load, analyze, and each command's job. Returns values; never prints.

The CLI is a thin shell over these functions (sqlite-utils' habit): everything here works
without click, and every failure a user can cause is an InputError with one clear line.
"""

from __future__ import annotations

import datetime as dt
import gc
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import progress
from .checks import FAMILIES, Context, run_phase
from .findings import Finding, Report
from .load import load
from .model import LONG_TABLE_ROWS, Register

__all__ = ["Analysis", "analyze", "check", "load"]


@dataclass
class Analysis:
    """Everything one run derives from a register: findings, routes and records."""

    register: Register
    report: Report
    as_of: dt.date
    routes: Any = None  # routes.Routes
    records: Any = None  # records.Records

    @property
    def errors(self) -> int:
        return self.report.errors


def analyze(reg: Register, as_of: dt.date | None = None, principals: bool = True) -> Analysis:
    """Run every check, classify every flow, derive the records (load → check → derive).

    `principals=False` says the records' principals will not be asked for (`check`): a long
    log's principals are then not prepared ahead.
    """
    as_of = as_of or dt.date.today()
    ctx = Context(as_of=as_of)
    if len(reg["provision_log"]) >= LONG_TABLE_ROWS and reg.log_digest is None:
        from .facts.flows import log_events, prefetch
        from .records import coded_log_principals

        prefetch(reg, log_events, *([coded_log_principals] if principals else []))
    findings: list[Finding] = list(reg.load_findings)
    # Millions of small objects can be built here; the cyclic GC only slows that down.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        with progress.task("Checking", total=len(FAMILIES) + 2, unit="steps") as bar:
            for phase in (0, 1):
                findings += run_phase(reg, ctx, phase, bar.update)
            from . import routes

            ctx.routes = routes.classify(reg, ctx)
            bar.update()
            findings += run_phase(reg, ctx, 2, bar.update)
            from .records import derive

            ctx.records = derive(reg, ctx)
            bar.update()
            findings += run_phase(reg, ctx, 3, bar.update)
    finally:
        if gc_was_enabled:
            gc.enable()
    return Analysis(
        register=reg,
        report=Report.build(findings),
        as_of=as_of,
        routes=ctx.routes,
        records=ctx.records,
    )


def check(source: str | Path, as_of: dt.date | None = None, principals: bool = True,
          stream: bool = False, outputs_only: bool = False) -> Analysis:
    """Load and analyze a register. `stream`: a long provision log is read in batches, in
    bounded memory (logstream.py); its provision principals then come as a ChunkedFrame.
    `outputs_only`: after the findings only the records (or a disclosure) will be asked for,
    so what only the checks read of a streamed log is let go first."""
    analysis = analyze(load(source, stream=stream, pairs=principals), as_of, principals)
    if outputs_only and analysis.register.log_digest is not None:
        release_checked_rows(analysis.register)
    return analysis


def release_checked_rows(reg: Register) -> None:
    """Let go of a streamed log's residual rows and the event facts only the checks read: the
    records are made from flows.log_events and the digest, and a disclosure asks the log only
    whether it names an ID the principals table lacks (the rows naming one are kept). At 30
    million rows this is a tenth of the peak memory (docs/performance.md)."""
    import polars as pl

    from .facts.flows import forget

    t = reg["provision_log"]
    who = reg["principals"]
    known = who.df["principal_id"].drop_nulls().unique() if who.present else pl.Series([], dtype=pl.Utf8)
    odd = t.df["principal_ids"].list.eval(~pl.element().is_in(known.implode())).list.any()
    keep = odd.fill_null(False)
    t.raw, t.df = t.raw.filter(keep), t.df.filter(keep)
    t.bad = {c: m.filter(keep) for c, m in t.bad.items()}
    t.parts = ()  # (rows are no longer located: the findings are made)
    for name in ("frame", "rows", "by_key", "_key_index", "_listed"):
        t.__dict__.pop(name, None)
    forget(reg, "events", "event_items")
    gc.collect()
