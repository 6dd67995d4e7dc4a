"""Web tags and the external-transmission rule (TBA Art 27-12; docs/web.md §3–§5).

Which services the rule covers, which tags are live on the as-of date, which of them need the
notice and which exemption holds, and whose act a tag is under the APPI (the vendor's own
collection, or our provision). The EXT checks, the route classifier (direct collection) and
the report's tags section and flow map read these facts; none decides them again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from ..model import Register
from . import flows

# The services TBA Rules Art 22-2-27 (i)-(iv) list: the rule covers them (docs/web.md §3).
COVERED = frozenset({"messaging", "platform", "search", "information"})
# The day TBA Art 27-12 took effect (Act No. 70 of 2022): no notice was due before it.
IN_FORCE_ON = dt.date(2023, 6, 16)

# The report's notice status of a tag (docs/web.md §9: `data-notice`), in the order decided.
NOT_LIVE, UNKNOWN, NOT_COVERED, EXEMPT, REQUIRED = (
    "not_live", "unknown", "not_covered", "exempt", "required")
NOTICE_CODES = (REQUIRED, EXEMPT, NOT_COVERED, UNKNOWN, NOT_LIVE)


@dataclass(frozen=True)
class TagFacts:
    """What the law turns on about one tag, on one as-of date."""

    tag_id: str
    row: int  # index in the tags table, for locations
    live: bool
    services: tuple[str, ...]  # the tag's service IDs as written (unknown ones included)
    covered: tuple[str, ...]  # those of them the rule covers
    undecided: tuple[str, ...]  # those whose category is `unknown`, invalid, or not a service
    exemption: str  # `none` when empty or invalid (docs/web.md §10)
    to_self: bool  # recipient_party_id is `self`
    needs_notice: bool  # docs/web.md §4
    notice: str  # NOTICE_CODES: the report's status
    provision_id: str | None  # the provision through which we send data we hold (§5)
    direct_collection: bool  # no provision_id: the vendor's own acquisition (§5)


def is_live(row: dict[str, Any], as_of: dt.date) -> bool:
    """Placed on or before as-of and not removed by then (an invalid date counts as empty:
    SCH-003 reports it). A tag removed before it was added is live on no day."""
    added, removed = row.get("added_on"), row.get("removed_on")
    return (added is None or added <= as_of) and (removed is None or removed > as_of)


def service_categories(reg: Register) -> dict[str, str | None]:
    """service_id → category (None when invalid: it is then treated as `unknown`,
    docs/web.md §10)."""
    return flows.cached(reg, "tag_service_categories", lambda: {
        k: r.get("category") for k, r in reg["services"].by_key.items()
    })


def tag_facts(reg: Register, as_of: dt.date) -> dict[str, TagFacts]:
    """tag_id → its facts on `as_of`, for every tag with an ID (the first row of a repeat)."""

    def build() -> dict[str, TagFacts]:
        t = reg["tags"]
        if not t.present or len(t) == 0:
            return {}
        categories = service_categories(reg)
        out: dict[str, TagFacts] = {}
        for i, row in enumerate(t.rows):
            tid = row.get("tag_id")
            if tid is None or tid in out:
                continue
            out[tid] = _facts(t, i, row, categories, as_of)
        return out

    return flows.cached(reg, f"tag_facts:{as_of.isoformat()}", build)


def _facts(t: Any, i: int, row: dict[str, Any], categories: dict[str, str | None],
           as_of: dt.date) -> TagFacts:
    services = tuple(flows.items_of(row, "service_ids"))
    covered = tuple(s for s in services if categories.get(s) in COVERED)
    # a service that is not decided: `unknown`, invalid, or naming no service (REF-002)
    undecided = tuple(s for s in services if categories.get(s) in (None, "unknown"))
    exemption = row.get("exemption") or "none"
    to_self = row.get("recipient_party_id") == "self"
    live = is_live(row, as_of)
    needs = live and bool(covered) and (
        exemption in ("none", "opt_out") or (exemption == "first_party_id" and not to_self)
    )
    if not live:
        notice = NOT_LIVE
    elif not covered:
        notice = UNKNOWN if undecided else NOT_COVERED
    elif not needs:
        notice = EXEMPT  # necessary, consent, or first_party_id sent back to `self`
    else:
        notice = REQUIRED
    pid = row.get("provision_id")
    return TagFacts(
        tag_id=row["tag_id"], row=i, live=live, services=services, covered=covered,
        undecided=undecided, exemption=exemption, to_self=to_self, needs_notice=needs,
        notice=notice, provision_id=pid,
        direct_collection=pid is None and not flows.given(t, i, "provision_id"),
    )


def exemption_fails(f: TagFacts, row: dict[str, Any]) -> str | None:
    """The exemption a live tag on a covered service claims but cannot have (EXT-003):
    `first_party_id` to someone other than `self` (proviso (ii) is about the operator's own
    identifier coming back to it), `opt_out` with no opt-out method (proviso (iv))."""
    if not f.live or not f.covered:
        return None
    if f.exemption == "first_party_id" and not f.to_self:
        return "first_party_id"
    if f.exemption == "opt_out" and not row.get("opt_out_url"):
        return "opt_out"
    return None


def notice_due(added_on: dt.date) -> dt.date:
    """The day by which a covered service's notice must be out for a tag placed on `added_on`:
    that day, or the day the rule took effect when later (EXT-001)."""
    return max(added_on, IN_FORCE_ON)


def late_notice(reg: Register, f: TagFacts, row: dict[str, Any], as_of: dt.date
                ) -> list[tuple[str, dt.date | None, dt.date | None]]:
    """For a tag that needs the notice: (service_id, notice_on, due) of each covered service
    whose notice is missing, after as-of, or later than due (EXT-001). An invalid notice_on
    is SCH-003's: that service is left out."""
    if not f.needs_notice:
        return []
    services = reg["services"]
    out = []
    for sid in f.covered:
        i = services.index_of(sid)
        s = services.rows[i]
        notice_on = s.get("notice_on")
        if notice_on is None and flows.invalid(services, i, "notice_on"):
            continue
        added = row.get("added_on")
        due = notice_due(added) if added is not None else None
        if notice_on is None or notice_on > as_of or (due is not None and notice_on > due):
            out.append((sid, notice_on, due))
    return out


def sends_own_personal_items(reg: Register, row: dict[str, Any]) -> list[str]:
    """The items a tag sends whose own class is personal, special-care or My Number (EXT-007)."""
    classes = flows.item_classes(reg)
    return [i for i in flows.items_of(row) if classes.get(i) in ("personal", "special_care",
                                                                   "my_number")]
