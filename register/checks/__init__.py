"""The checks, family by family, run in the order their dependencies need.

Phase 1 families look at the register alone; the route classifier (docs/routes-and-records.md §1–§3)
then uses what they found (a failed Art 27(5) route needs a record); phase 2 families check what
depends on the routes (PRV-008/009, RCV); RET-001 looks at the derived records.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from ..findings import Finding
from ..model import Register

# Family modules in run order: (module, phase). A module exposes check(reg, ctx).
FAMILIES: tuple[tuple[str, int], ...] = (
    ("input_cells", 0),  # INP: declared here, found by the readers (load_findings)
    ("structure", 0),
    ("references", 0),
    ("provision", 1),
    ("entrustment", 1),
    ("joint_use", 1),
    ("cross_border", 1),
    ("person_related", 1),
    ("my_number", 1),
    ("special_care", 1),
    ("tags", 1),  # EXT: web tags, external transmission, flows with no route (docs/web.md §7)
    ("processed", 1),  # ANO: pseudonymised and anonymised data (docs/web.md §6, §7)
    ("incidents", 1),  # INC, RDY: leak incidents and readiness (docs/incident.md §5)
    ("publication", 1),  # PUB: the public matters about retained data (docs/publish.md §4)
    ("provision_records", 2),
    ("receipts", 2),
    ("retention", 3),
)


@dataclass
class Context:
    """What the checks share: "today", and the facts later phases need from earlier ones."""

    as_of: dt.date
    # provision_id → IDs of the rules that break its Art 27(5) route (docs/routes-and-records.md §2)
    route_failures: dict[str, set[str]] = field(default_factory=dict)
    routes: object | None = None  # routes.Routes, set after phase 1
    records: object | None = None  # records.Records, set after phase 2

    def fail_route(self, provision_id: str | None, rule_id: str) -> None:
        if provision_id is not None:
            self.route_failures.setdefault(provision_id, set()).add(rule_id)


def modules(phase: int | None = None):
    """The family modules that exist (later issues add families), optionally of one phase."""
    out = []
    for name, ph in FAMILIES:
        if phase is not None and ph != phase:
            continue
        try:
            out.append(importlib.import_module(f"{__name__}.{name}"))
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{name}":
                raise
    return out


def run_phase(
    reg: Register, ctx: Context, phase: int, done: Callable[[], None] | None = None
) -> Iterator[Finding]:
    """Every finding of the families of one phase; `done()` after each family (progress)."""
    for mod in modules(phase):
        yield from mod.check(reg, ctx)
        if done is not None:
            done()


def load_all() -> None:
    """Import every family so that every rule is declared (for the catalogue)."""
    modules()
