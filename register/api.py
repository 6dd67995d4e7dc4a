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

from .checks import Context, run_phase
from .findings import Finding, Report
from .load import load
from .model import Register

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


def analyze(reg: Register, as_of: dt.date | None = None) -> Analysis:
    """Run every check, classify every flow, derive the records (load → check → derive)."""
    as_of = as_of or dt.date.today()
    ctx = Context(as_of=as_of)
    findings: list[Finding] = list(reg.load_findings)
    # Millions of small objects can be built here; the cyclic GC only slows that down.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        findings += run_phase(reg, ctx, 0)
        findings += run_phase(reg, ctx, 1)
        from . import routes

        classify = getattr(routes, "classify", None)
        if classify is not None:
            ctx.routes = classify(reg, ctx)
            findings += run_phase(reg, ctx, 2)
            from .records import derive

            ctx.records = derive(reg, ctx)
            findings += run_phase(reg, ctx, 3)
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


def check(source: str | Path, as_of: dt.date | None = None) -> Analysis:
    """Load and analyze a register."""
    return analyze(load(source), as_of)
