"""The decision about one leak incident (docs/incident.md §3): deterministic, in the spec's order.

One legal fact, one place: `register incident`, the INC and RDY checks and the report's
readiness and incidents sections all call the functions here. Nothing here reads files or
prints; the register is first reduced to `Facts` (plain values of the tables the decision reads).

Legal basis (docs/incident.md §9): APPI Art 26; APPI Rules Art 7–10; PPC GL (General Rules) 3-5;
My Number Act Art 29-4 and the My Number Leak Rules Art 2–5; 行政機関の休日に関する法律.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from . import calendar

# §3.1: the classes that are personal data by themselves
PERSONAL = frozenset({"personal", "special_care", "my_number"})
# §3.1: datasets outside Art 26 (pseudonymised: Art 41(9); anonymised, statistics: not personal)
NOT_COVERED_PROCESSING = frozenset({"pseudonymised", "anonymised", "statistics"})
# §3.4 (iii): the causes that are an act with an improper purpose, and those that are not
IMPROPER_CAUSES = frozenset({"theft", "unauthorized_access", "malware", "insider", "tampering"})
PROPER_CAUSES = frozenset({"misdelivery", "misconfiguration", "lost"})

CRITERIA = ("special_care", "financial_damage", "improper_purpose", "over_1000")
MN_CRITERIA = ("mn_system", "improper_purpose", "publicly_viewable", "over_100")
# §6: the codes a leak of a whole dataset would meet whatever its cause
READINESS_CRITERIA = ("special_care", "financial_damage", "over_1000", "mn_over_100")
KEY_FIELDS = ("known_on", "event_types", "dataset_ids")
REPORT_DATES = (
    "quick_report_on", "final_report_on", "principals_notified_on", "substitute_measure_on",
    "entrustor_notified_on",
)
OVER_1000 = 1000  # APPI Rules Art 7(iv): "more than 1,000"
OVER_100 = 100  # My Number Leak Rules Art 2(iv): "more than 100"


# --------------------------------------------------------------------------------------------
# The register, reduced to what the decision reads
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    id: str
    name: str
    legal_class: str | None
    financial_risk: bool


@dataclass(frozen=True)
class Dataset:
    id: str
    name: str
    subjects: str | None
    item_ids: tuple[str, ...]
    processing: str
    encryption: str
    key_separated: bool
    record_count: int | None
    held_for: str | None
    # the items that are personal data in this dataset (their class in context: docs/web.md §2,
    # facts/context.py): a person_related item held with identifying items is personal here
    personal_items: tuple[str, ...] = ()

    @property
    def protected(self) -> bool:
        """§1: `advanced` encryption with the key kept apart."""
        return self.encryption == "advanced" and self.key_separated is True


@dataclass(frozen=True)
class Facts:
    """The tables the decision reads, as plain values (items and datasets in table order)."""

    items: dict[str, Item]
    datasets: dict[str, Dataset]
    contract_party: dict[str, str]
    party_names: dict[str, str]

    def holds_personal(self, d: Dataset) -> bool:
        """The dataset holds personal data (an item whose class there is §3.1's)."""
        return bool(d.personal_items)

    def covered(self, d: Dataset) -> bool:
        """§5: holds personal data and `processing` is `none` or empty."""
        return d.processing in (None, "none") and self.holds_personal(d)

    def party_name(self, party_id: str | None) -> str | None:
        if party_id is None:
            return None
        return self.party_names.get(party_id) or party_id


def facts_of(reg: Any) -> Facts:
    """The Facts of a loaded register (`model.Register`); items' classes in each dataset come
    from facts/context.py."""
    from ..facts.context import dataset_classes

    in_context = dataset_classes(reg)
    items: dict[str, Item] = {}
    for r in reg["data_items"].rows:  # the first row of an ID wins (a repeat is REF-001)
        iid = r.get("item_id")
        if iid is not None and iid not in items:
            items[iid] = Item(
                id=iid,
                name=r.get("name") or iid,
                legal_class=r.get("legal_class"),
                financial_risk=r.get("financial_risk") is True,
            )
    datasets: dict[str, Dataset] = {}
    for r in reg["datasets"].rows:
        did = r.get("dataset_id")
        if did is None or did in datasets:
            continue
        datasets[did] = Dataset(
            id=did,
            name=r.get("name") or did,
            subjects=r.get("subjects"),
            item_ids=tuple(r.get("item_ids") or ()),
            processing=r.get("processing") or "none",
            encryption=r.get("encryption") or "none",
            key_separated=r.get("key_separated") is True,
            record_count=r.get("record_count"),
            held_for=r.get("held_for_party_id"),
            personal_items=tuple(
                i for i, cls in in_context.get(did, {}).items() if cls in PERSONAL
            ),
        )
    contract_party = {
        k: r["party_id"] for k, r in reg["contractors"].by_key.items() if r.get("party_id")
    }
    party_names = {k: r.get("name") or k for k, r in reg["parties"].by_key.items()}
    return Facts(items, datasets, contract_party, party_names)


# --------------------------------------------------------------------------------------------
# Which incidents can be decided (§2, §5, §7)
# --------------------------------------------------------------------------------------------


def key_problems(table: Any, i: int, dataset_ids: Iterable[str]) -> list[str]:
    """The fields of `KEY_FIELDS` of incidents row i that are empty or give a SCH or REF
    finding: such an incident is not decided (no INC rule; `incident` exits 2)."""
    known = set(dataset_ids)
    row = table.rows[i]
    out = []
    for name in KEY_FIELDS:
        value = row.get(name)
        bad = table.bad.get(name)
        if value is None or value == [] or (bad is not None and bool(bad[i])):
            out.append(name)
        elif name == "dataset_ids" and any(d not in known for d in value):
            out.append(name)
    return out


# --------------------------------------------------------------------------------------------
# The decision
# --------------------------------------------------------------------------------------------


@dataclass
class Decision:
    """decision.json (`data`) and what the drafts need beside it."""

    data: dict[str, Any]
    row: dict[str, Any]
    datasets: list[Dataset] = field(default_factory=list)  # affected, in datasets order
    items: list[Item] = field(default_factory=list)  # affected, in data_items order
    listed_elsewhere: list[str] = field(default_factory=list)  # item_ids no listed dataset holds

    def __getitem__(self, key: str) -> Any:
        return self.data[key]


def improper_purpose(row: dict[str, Any]) -> bool | None:
    """§3.4 (iii): the incident's value, else from `cause`; None when it cannot be decided."""
    given = row.get("improper_purpose")
    if given is not None:
        return bool(given)
    cause = row.get("cause")
    if cause in IMPROPER_CAUSES:
        return True
    if cause in PROPER_CAUSES:
        return False
    return None


def _reportable(criteria: dict[str, bool | None], protected: bool) -> bool | None:
    """§3.4: false when protected; true when a criterion is; null when none is and one is null."""
    if protected:
        return False
    values = list(criteria.values())
    if any(v is True for v in values):
        return True
    if any(v is None for v in values):
        return None
    return False


def _over(count: int | None, limit: int) -> bool | None:
    return None if count is None else count > limit


def _sum_counts(datasets: list[Dataset]) -> int | None:
    """The record-count fallback: the sum when every dataset has a count (and there is one)."""
    if not datasets or any(d.record_count is None for d in datasets):
        return None
    return sum(int(d.record_count) for d in datasets)


def principal_count(row: dict[str, Any], datasets: list[Dataset]) -> tuple[int | None, str | None]:
    """§3.4: (count, count_basis)."""
    pc, pmax = row.get("principal_count"), row.get("principal_count_max")
    if pc is not None or pmax is not None:
        if pmax is None or (pc is not None and pc >= pmax):
            return int(pc), "principal_count"
        return int(pmax), "principal_count_max"
    total = _sum_counts(datasets)
    return (total, "record_count") if total is not None else (None, None)


def scope(facts: Facts, row: dict[str, Any]) -> tuple[list[Dataset], list[Item], list[str]]:
    """§3.1: (affected datasets, affected items, listed items no listed dataset holds)."""
    listed = set(row.get("dataset_ids") or ())
    datasets = [
        d for d in facts.datasets.values()
        if d.id in listed and d.processing not in NOT_COVERED_PROCESSING
    ]
    given = [i for i in (row.get("item_ids") or ()) if i in facts.items]
    if row.get("item_ids"):
        candidates = set(given)
    else:
        candidates = {i for d in datasets for i in d.item_ids}
    items = []
    for it in facts.items.values():
        if it.id not in candidates:
            continue
        holders = [d for d in datasets if it.id in d.item_ids]
        # its class in an affected dataset that holds it; else its own class (§3.1)
        if any(it.id in d.personal_items for d in holders) or (
            not holders and it.legal_class in PERSONAL
        ):
            items.append(it)
    held = {i for d in facts.datasets.values() if d.id in listed for i in d.item_ids}
    elsewhere = [i for i in dict.fromkeys(row.get("item_ids") or ()) if i not in held]
    return datasets, items, elsewhere


def _false_criteria(codes: tuple[str, ...]) -> dict[str, bool]:
    return dict.fromkeys(codes, False)


def _not_incident(row: dict[str, Any], reasons: list[str], as_of: dt.date) -> dict[str, Any]:
    """§3.2: every key after the reasons false, [] or null (but `calendar`)."""
    return {
        "incident_id": row.get("incident_id"),
        "as_of": as_of.isoformat(),
        "known_on": _iso(row.get("known_on")),
        "incident": False,
        "not_incident_reasons": reasons,
        "protected": False,
        "criteria": _false_criteria(CRITERIA),
        "criteria_met": [],
        "principal_count": None,
        "count_basis": None,
        "reportable": False,
        "my_number": {
            "applies": False,
            "criteria": _false_criteria(MN_CRITERIA),
            "criteria_met": [],
            "principal_count": None,
            "reportable": False,
        },
        "entrustors": [],
        "trustee_path": False,
        "released": False,
        "trustee_party_id": None,
        "ppc_report_required": False,
        "principal_notice_required": False,
        "entrustor_notice_required": False,
        "final_report_days": None,
        "quick_report_by": None,
        "final_report_day": None,
        "final_report_due": None,
        "duties": [],
        "calendar": calendar.table().calendar(False),
    }


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d is not None else None


def _met(criteria: dict[str, bool | None]) -> list[str]:
    return [k for k, v in criteria.items() if v is True]


def _required(reportables: tuple[bool | None, ...], released: bool) -> bool | None:
    """§3.6: true when one regime is reportable and we are not released; null when none is,
    one is undecided and we are not released; else false."""
    if released:
        return False
    if any(r is True for r in reportables):
        return True
    if any(r is None for r in reportables):
        return None
    return False


def _status(due: dt.date | None, done_on: dt.date | None, as_of: dt.date) -> str:
    if done_on is not None:
        return "done"
    if due is not None and as_of > due:
        return "overdue"
    return "open"


def decide_row(facts: Facts, row: dict[str, Any], as_of: dt.date) -> Decision:
    """The decision of §3 for one incident row (defaults filled), as of `as_of`.

    The row's `known_on`, `event_types` and `dataset_ids` must be valid (`key_problems`).
    """
    datasets, items, elsewhere = scope(facts, row)
    # §3.2: is it a leak, loss or damage?
    listed = list(row.get("event_types") or ())
    remaining = set(listed)
    if row.get("recovered_unviewed") is True:
        remaining.discard("leak")
    if row.get("copy_kept") is True:
        remaining -= {"loss", "damage"}
    covered = bool(datasets) and bool(items)
    if not covered or not remaining:
        reasons = []
        if not covered:
            reasons.append("not_covered")
        if row.get("recovered_unviewed") is True and "leak" in listed:
            reasons.append("recovered_unviewed")
        if row.get("copy_kept") is True and ({"loss", "damage"} & set(listed)):
            reasons.append("copy_kept")
        return Decision(_not_incident(row, reasons, as_of), row, datasets, items, elsewhere)

    # §3.3 protected
    given = row.get("protected")
    protected = bool(given) if given is not None else all(d.protected for d in datasets)

    # §3.4 Rule 7
    classes = {it.legal_class for it in items}
    count, basis = principal_count(row, datasets)
    improper = improper_purpose(row)
    acquiring = row.get("not_yet_stored") is True
    if protected:
        criteria: dict[str, bool | None] = _false_criteria(CRITERIA)
    else:
        criteria = {
            "special_care": "special_care" in classes and not acquiring,
            "financial_damage": any(it.financial_risk for it in items) and not acquiring,
            "improper_purpose": improper,
            "over_1000": False if acquiring else _over(count, OVER_1000),
        }
    reportable = _reportable(criteria, protected)

    # §3.5 My Number
    mn_items = {it.id for it in items if it.legal_class == "my_number"}
    applies = bool(mn_items) and not acquiring
    if applies:
        if row.get("mn_principal_count") is not None:
            mn_count: int | None = int(row["mn_principal_count"])
        elif row.get("principal_count") is not None or row.get("principal_count_max") is not None:
            mn_count = count
        else:
            mn_count = _sum_counts([d for d in datasets if mn_items & set(d.item_ids)])
        if protected:
            mn_criteria: dict[str, bool | None] = _false_criteria(MN_CRITERIA)
        else:
            mn_criteria = {
                "mn_system": row.get("mn_system") is True,
                "improper_purpose": improper,
                "publicly_viewable": row.get("publicly_viewable") is True,
                "over_100": _over(mn_count, OVER_100),
            }
        mn_reportable = _reportable(mn_criteria, protected)
    else:
        mn_count, mn_criteria, mn_reportable = None, _false_criteria(MN_CRITERIA), False

    # §3.6 whose duty
    entrustors = sorted({d.held_for for d in datasets if d.held_for})
    trustee_path = all(d.held_for for d in datasets)
    released = trustee_path and row.get("entrustor_notified_on") is not None
    trustee_party = facts.contract_party.get(row["contract_id"]) if row.get("contract_id") else None
    regimes_reportable = (reportable, mn_reportable)
    ppc_required = _required(regimes_reportable, released)
    entrustor_required = _required(regimes_reportable, False) if entrustors else False

    # §3.7 deadlines
    known_on: dt.date = row["known_on"]
    deadline = None
    if any(r is not False for r in regimes_reportable):
        days = 60 if (criteria["improper_purpose"] is True or mn_criteria["improper_purpose"] is True) else 30
        deadline = calendar.deadlines(known_on, days)
    regimes = [
        name for name, r in (("appi", reportable), ("my_number", mn_reportable)) if r is not False
    ]
    as_of_iso = as_of.isoformat()
    duties = []
    if ppc_required is not False and deadline is not None:
        quick_done = row.get("quick_report_on") or row.get("final_report_on")
        notice_done = row.get("principals_notified_on") or row.get("substitute_measure_on")
        for duty, to, due, done in (
            ("ppc_quick_report", "ppc", deadline.quick_report_by, quick_done),
            ("ppc_final_report", "ppc", deadline.final_report_due, row.get("final_report_on")),
            ("principal_notice", "principals", None, notice_done),
        ):
            duties.append(_duty(duty, to, None, regimes, due, done, as_of))
    if entrustor_required is not False and deadline is not None:
        for party in entrustors:
            duties.append(_duty(
                "entrustor_notice", "entrustor", party, regimes, deadline.quick_report_by,
                row.get("entrustor_notified_on"), as_of,
            ))
    data = {
        "incident_id": row.get("incident_id"),
        "as_of": as_of_iso,
        "known_on": known_on.isoformat(),
        "incident": True,
        "not_incident_reasons": [],
        "protected": protected,
        "criteria": criteria,
        "criteria_met": _met(criteria),
        "principal_count": count,
        "count_basis": basis,
        "reportable": reportable,
        "my_number": {
            "applies": applies,
            "criteria": mn_criteria,
            "criteria_met": _met(mn_criteria),
            "principal_count": mn_count,
            "reportable": mn_reportable,
        },
        "entrustors": entrustors,
        "trustee_path": trustee_path,
        "released": released,
        "trustee_party_id": trustee_party,
        "ppc_report_required": ppc_required,
        "principal_notice_required": ppc_required,
        "entrustor_notice_required": entrustor_required,
        "final_report_days": deadline.final_report_days if deadline else None,
        "quick_report_by": _iso(deadline.quick_report_by) if deadline else None,
        "final_report_day": _iso(deadline.final_report_day) if deadline else None,
        "final_report_due": _iso(deadline.final_report_due) if deadline else None,
        "duties": duties,
        "calendar": calendar.table().calendar(deadline.provisional if deadline else False),
    }
    return Decision(data, row, datasets, items, elsewhere)


def _duty(duty: str, to: str, party: str | None, regimes: list[str], due: dt.date | None,
          done: dt.date | None, as_of: dt.date) -> dict[str, Any]:
    return {
        "duty": duty,
        "to": to,
        "party_id": party,
        "regimes": list(regimes),
        "due": _iso(due),
        "done_on": _iso(done),
        "status": _status(due, done, as_of),
    }


# --------------------------------------------------------------------------------------------
# Readiness (§5 RDY, §6): what a leak of a whole dataset would be
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Readiness:
    dataset: Dataset
    covered: bool
    protected: bool
    special_care: bool  # holds a special_care item
    financial_risk: bool  # holds an item with financial_risk
    my_number: bool  # holds a my_number item
    criteria: tuple[str, ...]  # READINESS_CRITERIA met; empty when protected or not covered
    key_exposed: bool  # advanced encryption without key separation (RDY-004)


def readiness(facts: Facts, d: Dataset) -> Readiness:
    """What a leak of the whole dataset would meet whatever its cause (§5, §6)."""
    held = [facts.items[i] for i in d.item_ids if i in facts.items]
    special = any(it.legal_class == "special_care" for it in held)
    financial = any(it.financial_risk for it in held)
    mn = any(it.legal_class == "my_number" for it in held)
    covered = facts.covered(d)
    codes: list[str] = []
    if covered and not d.protected:
        n = d.record_count
        met = {
            "special_care": special,
            "financial_damage": financial,
            "over_1000": n is not None and n > OVER_1000,
            "mn_over_100": mn and n is not None and n > OVER_100,
        }
        codes = [c for c in READINESS_CRITERIA if met[c]]
    return Readiness(
        dataset=d,
        covered=covered,
        protected=d.protected,
        special_care=special,
        financial_risk=financial,
        my_number=mn,
        criteria=tuple(codes),
        key_exposed=covered and d.encryption == "advanced" and not d.key_separated,
    )
