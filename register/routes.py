"""The route classifier (rules.md §2): for every flow, which record the law requires, or why none.

(Types only so far; classify() is being written.)
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Route:
    """The legal route of one provision or receipt."""

    flow: str  # "provision" | "receipt"
    flow_id: str
    party_id: str | None
    basis: str | None
    record_type: str | None  # opt_out | consent | person_related | private; None = no record
    reason: str | None  # exemption reason (rules.md §5 exempt_flows) when record_type is None
    record_method: str = "each"  # effective method, after PRV-005 / RCV-005 replacement
    items: tuple[str, ...] = ()  # item_ids after dropping my_number items
    failed_by: tuple[str, ...] = ()  # rules that broke an Art 27(5) route (step 5)


@dataclass
class Routes:
    provisions: dict[str, Route] = field(default_factory=dict)
    receipts: dict[str, Route] = field(default_factory=dict)
