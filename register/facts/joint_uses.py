"""The five matters a joint use makes known in advance (APPI Art 27(5)(iii)), and which are missing.

JNT-001, the route classifier (through JNT-001's route failure) and the report's joint-use table
all read `joint_use_matters`, so the report shows exactly what the check decided.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..model import Register
from . import flows
from .parties import identity_gaps

# The matters in the law's order, each with the column that states it.
MATTERS = ("notified_on", "item_ids", "users_scope", "purpose_ids", "manager_party_id")


@dataclass(frozen=True)
class Matter:
    """One published matter of a joint use."""

    column: str
    given: bool  # stated (an invalid value counts as stated: SCH reports it, not JNT-001)
    missing: tuple[str, ...] = ()  # for the manager: identity columns it lacks


@dataclass(frozen=True)
class JointUseFacts:
    joint_use_id: str
    row: int
    matters: tuple[Matter, ...]
    manager: dict[str, Any] | None  # the manager's identity (ourselves for `self`), if known

    @property
    def complete(self) -> bool:
        """Every matter stated, and the manager's identity complete."""
        return all(m.given and not m.missing for m in self.matters)


def manager_identity(reg: Register, manager_id: str | None) -> tuple[dict[str, Any] | None, bool]:
    """The manager's row (ourselves for `self`) and whether it is a corporation."""
    if manager_id == "self":
        return reg.organization, True  # the organization is a business: it has a representative
    m = flows.party(reg, manager_id)
    return m, (m or {}).get("kind") == "corporation"


def joint_use_matters(reg: Register) -> dict[str, JointUseFacts]:
    """joint_use_id → its five matters, for every joint use with an ID."""

    def build() -> dict[str, JointUseFacts]:
        t = reg["joint_uses"]
        out: dict[str, JointUseFacts] = {}
        if not t.present:
            return out
        for i, j in enumerate(t.rows):
            jid = j.get("joint_use_id")
            if jid is None or jid in out:
                continue
            matters = []
            manager = None
            for col in MATTERS:
                value = j.get(col)
                given = bool(str(value).strip()) if isinstance(value, str) else bool(value)
                given = given or flows.invalid(t, i, col)
                missing: tuple[str, ...] = ()
                if col == "manager_party_id" and value:
                    manager, corp = manager_identity(reg, value)
                    # an unknown manager is REF-002, not a missing matter
                    missing = identity_gaps(manager, corp) if manager is not None else ()
                matters.append(Matter(col, given, missing))
            out[jid] = JointUseFacts(jid, i, tuple(matters), manager)
        return out

    return flows.cached(reg, "joint_use_matters", build)
