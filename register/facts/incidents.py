"""Leak incidents and readiness (docs/incident.md §3, §5, §6): computed once per register.

The decision itself is `register/incident/decision.py` (one legal fact, one place); this module
caches what the INC and RDY checks and the report read, so they and `register incident` cannot
disagree: the same Facts, the same `decide_row`.
"""

from __future__ import annotations

import datetime as dt

from ..incident.decision import (
    Decision,
    Facts,
    Readiness,
    decide_row,
    facts_of,
    key_problems,
    readiness,
)
from ..model import Register
from .flows import cached


def incident_facts(reg: Register) -> Facts:
    """The tables the decision reads, as plain values."""
    return cached(reg, "incident_facts", lambda: facts_of(reg))


def decisions(reg: Register, as_of: dt.date) -> list[tuple[int, Decision | None]]:
    """(row, decision) of every incident in input order; None for one that cannot be decided
    (its incident_id is empty, or known_on, event_types or dataset_ids is empty or gives a SCH
    or REF finding)."""

    def build() -> list[tuple[int, Decision | None]]:
        t = reg["incidents"]
        if not t.present:
            return []
        facts = incident_facts(reg)
        known = reg["datasets"].by_key
        out: list[tuple[int, Decision | None]] = []
        for i, row in enumerate(t.rows):
            if row.get("incident_id") is None or key_problems(t, i, known):
                out.append((i, None))
            else:
                out.append((i, decide_row(facts, row, as_of)))
        return out

    return cached(reg, f"incident_decisions:{as_of.isoformat()}", build)


def dataset_readiness(reg: Register) -> list[tuple[int, Readiness]]:
    """(row, readiness) of every dataset in input order (the first row of a repeated ID)."""

    def build() -> list[tuple[int, Readiness]]:
        t = reg["datasets"]
        facts = incident_facts(reg)
        out = []
        for i, r in enumerate(t.rows):
            did = r.get("dataset_id")
            if did is None or t.index_of(did) != i or did not in facts.datasets:
                continue
            out.append((i, readiness(facts, facts.datasets[did])))
        return out

    return cached(reg, "dataset_readiness", build)
