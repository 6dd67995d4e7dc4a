"""The route classifier (docs/routes-and-records.md §1–§3): for every flow, which record the law
requires, or why none.

`classify` runs after the phase-1 checks, because a failed Art 27(5) route (XB-001, JNT-001/
002/003/005, ENT-004/005 — reported through `Context.fail_route`) turns an entrustment, a
succession or a joint use into an ordinary provision that needs consent and a consent record.
Step 0r (docs/joint-use.md §3): a return of data held for a client to that client needs no record,
unless PRV-006 or XB-001 fails it. The joint-use failures of step 5 (JNT-006, JNT-008/010/011
windows, ENT-008) arrive through `Context.fail_route` like the others.
Every item takes its class in the flow's context first (docs/web.md §2, facts.context).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .facts import clients, flows
from .model import Register


@dataclass(frozen=True)
class Route:
    """The legal route of one provision or receipt."""

    flow: str  # "provision" | "receipt" | "tag"
    flow_id: str
    party_id: str | None
    basis: str | None
    record_type: str | None  # opt_out | consent | person_related | private; None = no record
    # the exemption reason (docs/routes-and-records.md §4, exempt_flows) when record_type is None
    reason: str | None
    record_method: str = "each"  # effective method, after PRV-005 / RCV-005 replacement
    items: tuple[str, ...] = ()  # item_ids after dropping my_number items
    failed_by: tuple[str, ...] = ()  # rules that broke an Art 27(5) route (step 5)

    @property
    def exempt_reason(self) -> str | None:
        """Why no record is needed (the exempt_flows reason); None when a record is."""
        if self.record_type is not None:
            return None
        return self.reason or "unresolved"


@dataclass
class Routes:
    provisions: dict[str, Route] = field(default_factory=dict)
    receipts: dict[str, Route] = field(default_factory=dict)
    # tags with no provision of their own (docs/web.md §5, §9): direct_collection or unresolved
    tags: dict[str, Route] = field(default_factory=dict)


# Methods the law does not allow for a record type; the record is then made each time
# (APPI Rules Art 19(2),(3) for opt-out provisions — PRV-005; Art 23(2) for opt-out
# receipts — RCV-005).
_PROVISION_NOT_ALLOWED = {"opt_out": frozenset({"bulk", "contract"})}
_RECEIPT_NOT_ALLOWED = {"opt_out": frozenset({"bulk"})}


def classify(reg: Register, ctx: Any) -> Routes:
    """Classify every provision and receipt (docs/routes-and-records.md §1–§3; first match wins)."""
    routes = Routes()
    for pid, p in reg["provisions"].by_key.items():
        failed = tuple(sorted(ctx.route_failures.get(pid, ())))
        routes.provisions[pid] = provision_route(reg, p, failed)
    for rid, r in reg["receipts"].by_key.items():
        routes.receipts[rid] = receipt_route(reg, r)
    routes.tags = tag_routes(reg)
    return routes


def _method(row: dict[str, Any], record_type: str | None, not_allowed: dict) -> str:
    method = row.get("record_method") or "each"
    return "each" if method in not_allowed.get(record_type, ()) else method


def _unresolved(party: dict | None, basis: str | None) -> bool:
    # A flow that cannot be classified: unknown party (or `self`), a party without a valid
    # kind, an invalid or empty basis. (Empty or unknown items are checked first.)
    return party is None or party.get("kind") is None or basis is None


def provision_route(reg: Register, p: dict[str, Any], failed: tuple[str, ...] = ()) -> Route:
    """The route of one provision (docs/routes-and-records.md §1; every item in its dataset's
    context, docs/web.md §2)."""
    s = flows.item_set(reg, flows.items_of(p), p.get("dataset_id"))
    pseudonymised = s.processing == "pseudonymised"
    basis = p.get("basis")
    recipient = flows.party(reg, p.get("party_id"))

    def route(record_type: str | None, reason: str | None) -> Route:
        return Route(
            flow="provision", flow_id=p["provision_id"], party_id=p.get("party_id"),
            basis=basis, record_type=record_type, reason=reason,
            record_method=_method(p, record_type, _PROVISION_NOT_ALLOWED),
            items=s.rest, failed_by=failed,
        )

    if not s.items or s.unknown:
        return route(None, "unresolved")
    if s.my_number_only:
        return route(None, "my_number_act")
    if _unresolved(recipient, basis):
        return route(None, "unresolved")
    if s.not_personal_information:  # step 0d: anonymised or statistics (docs/web.md §8)
        return route(None, "not_personal_information")
    if clients.held_data(reg).is_return(p["provision_id"]) \
            and not clients.RETURN_FAILURES.intersection(failed):  # step 0r (docs/joint-use.md §3)
        return route(None, "return_to_entrustor")
    if recipient["kind"] in flows.ART16_2_KINDS:  # step 1
        return route(None, "public_body")
    if s.person_related:  # step 2 (basis none counts as a basis outside Art 27(1))
        if p.get("linkage_expected") is not True:
            return route(None, "not_personal_data")
        if basis in flows.ART27_1_BASES:
            return route(None, "art27_1")
        return route("person_related", None)
    # steps 3 and 4: a pseudonymised dataset may go out only under law or Art 27(5) (Art 41(6))
    if basis == "law" or (basis in flows.ART27_1_BASES and not pseudonymised):  # step 3
        return route(None, "art27_1")
    if basis == "on_behalf" and not pseudonymised:  # step 4
        return route(None, "on_behalf")
    if basis in flows.ART27_5_BASES:  # step 5
        return route("consent", None) if failed else route(None, "art27_5")
    if basis == "consent":  # step 6
        return route("consent", None)
    if basis == "opt_out":  # step 7
        return route("opt_out", None)
    # step 8: basis none (EXT-005) or a step 3/4 basis from a pseudonymised dataset (ANO-001):
    # personal data went out with no route, and the law needs its record all the same
    return route("consent", None)


def receipt_route(reg: Register, r: dict[str, Any]) -> Route:
    """The route of one receipt (docs/routes-and-records.md §3)."""
    s = flows.item_set(reg, flows.items_of(r), r.get("dataset_id"))
    basis = r.get("basis")
    provider = flows.party(reg, r.get("party_id"))

    def route(record_type: str | None, reason: str | None) -> Route:
        return Route(
            flow="receipt", flow_id=r["receipt_id"], party_id=r.get("party_id"),
            basis=basis, record_type=record_type, reason=reason,
            record_method=_method(r, record_type, _RECEIPT_NOT_ALLOWED), items=s.rest,
        )

    if not s.items or s.unknown:
        return route(None, "unresolved")
    if s.my_number_only:
        return route(None, "my_number_act")
    if _unresolved(provider, basis):
        return route(None, "unresolved")
    if s.not_personal_information:  # into an anonymised or statistics dataset (docs/web.md §8)
        return route(None, "not_personal_information")
    if provider["kind"] in flows.ART16_2_KINDS:
        return route(None, "public_body")
    if basis == "none":  # every item person_related in context, else EXT-005
        return route(None, "not_personal_data") if s.person_related else route("consent", None)
    if basis in flows.ART27_1_BASES:
        return route(None, "art27_1")
    if basis in flows.ART27_5_BASES:
        return route(None, "art27_5")
    if basis == "on_behalf":
        return route(None, "on_behalf")
    if provider["kind"] == "individual":
        return route("private", None)  # APPI Rules Art 24(1)(iv)
    if basis == "opt_out":
        return route("opt_out", None)  # (i)
    if basis == "person_related":
        return route("person_related", None)  # (iii)
    return route("consent", None)  # (ii): consent, and `private` from a business (RCV-006)


def tag_routes(reg: Register) -> dict[str, Route]:
    """The tags that have no provision of their own (docs/web.md §5, §9).

    A tag is not classified: without `provision_id` the vendor's code collects for the vendor
    (`direct_collection`, not our provision: Art 31(1) reaches only our own database); with a
    `provision_id` naming no provision it is `unresolved` (REF-002); with a valid one its
    provision is classified like any other and the tag has no route of its own.
    """
    t = reg["tags"]
    if not t.present or len(t) == 0:
        return {}
    provisions = reg["provisions"].by_key
    out: dict[str, Route] = {}
    for i, row in enumerate(t.rows):
        tid = row.get("tag_id")
        if tid is None or tid in out:
            continue
        pid = row.get("provision_id")
        if pid is None and not flows.given(t, i, "provision_id"):
            reason = "direct_collection"
        elif pid in provisions:
            continue
        else:
            reason = "unresolved"
        out[tid] = Route(flow="tag", flow_id=tid, party_id=row.get("recipient_party_id"),
                         basis=None, record_type=None, reason=reason)
    return out
