"""Data held for a client (受託, docs/joint-use.md §1.4): which datasets, which flows return it.

A company that handles another company's personal data as its trustee holds that data for the
client: it may use it only for the client's work, hand it back, and re-entrust it to a
subcontractor it supervises (APPI Art 25; PPC GL (General Rules) 3-6-3 (1)). The register says
so with `datasets.held_for_party_id` and `purposes.client_party_id`; from them this module
decides, once, which datasets are held, which provisions from them are returns (no record:
docs/routes-and-records.md §1 step 0r) or re-entrustments, and where a client's data is treated as
ours (ENT-007…ENT-009). The checks, the route classifier and the report all read these facts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..model import Register
from . import flows

RETURN, REENTRUSTMENT, OTHER = "return", "re_entrustment", "other"
# Bases by which a client's data would be given out as if it were ours (ENT-008).
AS_IF_OURS = frozenset({"consent", "opt_out", "joint_use"})
# Rules whose finding makes a return fail (docs/joint-use.md §3, step 0r): the return is then an
# entrustment whose route has failed.
RETURN_FAILURES = frozenset({"PRV-006", "XB-001"})


@dataclass(frozen=True)
class HeldData:
    """The datasets held for clients and the provisions from them."""

    datasets: dict[str, str]  # dataset_id → client party_id
    purposes: dict[str, str]  # purpose_id → client party_id (the client's entrusted work)
    kinds: dict[str, str]  # provision_id → RETURN | REENTRUSTMENT | OTHER, for provisions from held datasets
    clients: dict[str, str]  # provision_id → the client of its source dataset (same keys as kinds)

    def is_return(self, provision_id: str | None) -> bool:
        return self.kinds.get(provision_id or "") == RETURN


def _client(reg: Register, party_id: str | None) -> str | None:
    """A party that can be a client: a known party (`self` is REF-004, an unknown ID REF-002:
    both make no client)."""
    return party_id if flows.party(reg, party_id) is not None else None


def carries_personal_data(reg: Register, provision_id: str) -> bool:
    """The provision carries personal data in its dataset's context, `my_number` included (the
    ENT scope, docs/web.md §8; docs/web.md §2)."""
    s = flows.provision_items(reg).get(provision_id)
    return s is not None and s.carries_personal_data


def held_data(reg: Register) -> HeldData:
    """Which datasets are held for which client, and what each provision from them is."""

    def build() -> HeldData:
        datasets = {
            did: c for did, d in reg["datasets"].by_key.items()
            if (c := _client(reg, d.get("held_for_party_id"))) is not None
        }
        purposes = {
            uid: c for uid, u in reg["purposes"].by_key.items()
            if (c := _client(reg, u.get("client_party_id"))) is not None
        }
        kinds: dict[str, str] = {}
        clients: dict[str, str] = {}
        for pid, p in reg["provisions"].by_key.items():
            client = datasets.get(p.get("dataset_id") or "")
            if client is None:
                continue
            clients[pid] = client
            if p.get("basis") != "entrustment":
                kinds[pid] = OTHER
            elif p.get("party_id") == client:
                kinds[pid] = RETURN
            else:
                kinds[pid] = REENTRUSTMENT
        return HeldData(datasets, purposes, kinds, clients)

    return flows.cached(reg, "held_data", build)


def returns(reg: Register) -> frozenset[str]:
    """The provisions that return held data to its client (docs/joint-use.md §1.4)."""
    return frozenset(pid for pid, k in held_data(reg).kinds.items() if k == RETURN)


def contract_clients(reg: Register) -> dict[str, tuple[str, ...]]:
    """contract_id → the clients whose held data it carries (named by a re-entrustment)."""

    def build() -> dict[str, tuple[str, ...]]:
        held = held_data(reg)
        out: dict[str, set[str]] = {}
        for pid, kind in held.kinds.items():
            cid = reg["provisions"].by_key[pid].get("contract_id")
            if kind == REENTRUSTMENT and cid is not None:
                out.setdefault(cid, set()).add(held.clients[pid])
        return {cid: tuple(sorted(c)) for cid, c in out.items()}

    return flows.cached(reg, "contract_clients", build)


def return_only_contracts(reg: Register) -> frozenset[str]:
    """Contracts named only by returns: a return's contract_id is ignored (docs/joint-use.md §2), so
    such a row is no outsourcing of ours — the client is not our contractor, and is never
    audited as one (ENT-001…ENT-003, ENT-006) or listed among our contractors."""

    def build() -> frozenset[str]:
        held = held_data(reg)
        named: dict[str, set[bool]] = {}
        for pid, p in reg["provisions"].by_key.items():
            cid = p.get("contract_id")
            if cid is not None:
                named.setdefault(cid, set()).add(held.is_return(pid))
        return frozenset(cid for cid, kinds in named.items() if kinds == {True})

    return flows.cached(reg, "return_only_contracts", build)


@dataclass(frozen=True)
class PurposeMismatch:
    """ENT-007: a dataset lists a purpose that is not its owner's (client's or ours)."""

    row: int  # in datasets
    dataset_id: str
    purpose_id: str
    dataset_client: str | None  # None: our own data
    purpose_client: str | None  # None: our own purpose


def purpose_mismatches(reg: Register) -> tuple[PurposeMismatch, ...]:
    """Every (dataset, purpose) whose client differs from the dataset's (empty counts as a value)."""

    def build() -> tuple[PurposeMismatch, ...]:
        held = held_data(reg)
        t = reg["datasets"]
        if not t.present:
            return ()
        known = reg["purposes"].by_key
        out = []
        for i, d in enumerate(t.rows):
            did = d.get("dataset_id")
            if did is None or t.index_of(did) != i:
                continue
            mine = held.datasets.get(did)
            for uid in flows.items_of(d, "purpose_ids"):
                if uid in known and held.purposes.get(uid) != mine:
                    out.append(PurposeMismatch(i, did, uid, mine, held.purposes.get(uid)))
        return tuple(out)

    return flows.cached(reg, "purpose_mismatches", build)


def given_out_as_ours(reg: Register) -> tuple[str, ...]:
    """ENT-008: provisions of personal data from a held dataset by consent, opt-out or joint use."""
    held = held_data(reg)
    provisions = reg["provisions"].by_key
    return tuple(
        pid for pid, kind in held.kinds.items()
        if kind == OTHER and provisions[pid].get("basis") in AS_IF_OURS
        and carries_personal_data(reg, pid)
    )


@dataclass(frozen=True)
class Approval:
    """ENT-009: a re-entrustment whose client has not approved the subcontractor in time."""

    provision_id: str
    contract_id: str
    client: str
    approved_on: dt.date | None  # None: not approved
    first_event: dt.date | None  # the first log event, when it is before approved_on


def unapproved_reentrustments(reg: Register) -> tuple[Approval, ...]:
    """Re-entrustments of personal data whose contract has no `client_approved_on`, or that
    have a log event dated before it (APPI Art 25; PPC GL (General Rules) 3-4-4)."""

    def build() -> tuple[Approval, ...]:
        held = held_data(reg)
        contracts = reg["contractors"]
        first = flows.first_event_dates(reg)
        out = []
        for pid, kind in held.kinds.items():
            cid = reg["provisions"].by_key[pid].get("contract_id")
            c = contracts.by_key.get(cid) if cid is not None else None
            if kind != REENTRUSTMENT or c is None or not carries_personal_data(reg, pid):
                continue  # no contract: ENT-001; an unknown one: REF-002
            approved = c.get("client_approved_on")
            if approved is None:
                i = contracts.index_of(cid)
                if i is not None and flows.invalid(contracts, i, "client_approved_on"):
                    continue  # SCH-003 reports the unreadable date
                out.append(Approval(pid, cid, held.clients[pid], None, None))
            elif pid in first and first[pid] < approved:
                out.append(Approval(pid, cid, held.clients[pid], approved, first[pid]))
        return tuple(out)

    return flows.cached(reg, "unapproved_reentrustments", build)
