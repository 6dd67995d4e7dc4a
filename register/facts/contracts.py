"""Outsourcing contracts: in force on the as-of date, and when the contractor's audit is due.

APPI Art 25 makes us supervise a contractor while the contract is in force. ENT-003 and the
report's contractor table both read `contract_facts`, so they cannot disagree about a contract
(they did: an interval of 0 months, and a contract signed after the as-of date).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from ..model import Register
from ..values import add_months
from . import flows

# A contract's state on the as-of date.
UNSIGNED, NOT_YET, ENDED, IN_FORCE = "unsigned", "not_yet_in_force", "ended", "in_force"


@dataclass(frozen=True)
class ContractFacts:
    """What the law turns on about one contract, on one as-of date."""

    contract_id: str
    party_id: str | None
    state: str  # UNSIGNED | NOT_YET | ENDED | IN_FORCE
    last_audit_on: dt.date | None
    interval_months: int | None
    audit_due_on: dt.date | None  # the last audit + the interval (None: never audited)
    never_audited: bool  # supervised, and no audit date given (an invalid one is not "never")
    audit_overdue: bool  # supervised, and never audited or due before the as-of date
    row: int  # index in the contractors table, for locations

    @property
    def in_force(self) -> bool:
        return self.state == IN_FORCE

    @property
    def supervised(self) -> bool:
        """Art 25 supervision is due: the contract is in force, or data is entrusted with no
        contract signed at all (ENT-001) — the duty does not wait for the paperwork."""
        return self.state in (IN_FORCE, UNSIGNED)


def _state(c: dict[str, Any], as_of: dt.date) -> str:
    signed, ends = c.get("contract_on"), c.get("ends_on")
    if signed is None:
        return UNSIGNED
    if signed > as_of:
        return NOT_YET
    if ends is not None and ends < as_of:
        return ENDED
    return IN_FORCE


def contract_facts(reg: Register, as_of: dt.date) -> dict[str, ContractFacts]:
    """contract_id → its facts on `as_of`, for every contract with an ID."""

    def build() -> dict[str, ContractFacts]:
        t = reg["contractors"]
        out: dict[str, ContractFacts] = {}
        if not t.present:
            return out
        for i, c in enumerate(t.rows):
            cid = c.get("contract_id")
            if cid is None or cid in out:
                continue  # a repeated ID is REF-001: the first row counts
            state = _state(c, as_of)
            last, months = c.get("last_audit_on"), c.get("audit_interval_months")
            due = add_months(last, int(months)) if last is not None and months is not None else None
            supervised = state in (IN_FORCE, UNSIGNED)
            never = supervised and last is None and not flows.invalid(t, i, "last_audit_on")
            overdue = supervised and months is not None and (
                never or (due is not None and due < as_of)
            )
            out[cid] = ContractFacts(
                contract_id=cid, party_id=c.get("party_id"), state=state, last_audit_on=last,
                interval_months=months, audit_due_on=due, never_audited=never,
                audit_overdue=overdue, row=i,
            )
        return out

    return flows.cached(reg, f"contract_facts:{as_of.isoformat()}", build)
