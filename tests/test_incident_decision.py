"""The decision about a leak (incident.md §3) on incidents built around the thresholds, the
criteria, whose duty it is, and the calendar. Dates are counted by hand: known_on is day 1."""

from __future__ import annotations

import copy
import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from register.incident import decide
from register.incident.decision import CRITERIA, MN_CRITERIA, Dataset, Facts, Item, decide_row

from .incident_support import AS_OF, BASE, D, analysis, incident

KEYS = [
    "incident_id", "as_of", "known_on", "incident", "not_incident_reasons", "protected",
    "criteria", "criteria_met", "principal_count", "count_basis", "reportable", "my_number",
    "entrustors", "trustee_path", "released", "trustee_party_id", "ppc_report_required",
    "principal_notice_required", "entrustor_notice_required", "final_report_days",
    "quick_report_by", "final_report_day", "final_report_due", "duties", "calendar",
]


def decision(tmp_path, as_of=AS_OF, **fields):
    return decide(analysis(tmp_path, incident(**fields), as_of=as_of), "INC-1")


def test_the_spec_example(tmp_path):
    # a special-care leak of one principal known 2026-04-01 (Wed): quick by the 5th day 04-05
    # (a Sunday, never moved), day 30 = 04-30 (Thu)
    d = decision(tmp_path, dataset_ids=["DS-H"], item_ids=["I-HEALTH"])
    assert list(d) == KEYS
    assert d["criteria"] == {"special_care": True, "financial_damage": False,
                             "improper_purpose": False, "over_1000": False}
    assert d["criteria_met"] == ["special_care"]
    assert (d["principal_count"], d["count_basis"], d["reportable"]) == (1, "principal_count", True)
    assert d["my_number"] == {"applies": False, "criteria": dict.fromkeys(MN_CRITERIA, False),
                              "criteria_met": [], "principal_count": None, "reportable": False}
    assert (d["ppc_report_required"], d["principal_notice_required"], d["entrustor_notice_required"]) \
        == (True, True, False)
    assert (d["final_report_days"], d["quick_report_by"], d["final_report_day"], d["final_report_due"]) \
        == (30, "2026-04-05", "2026-04-30", "2026-04-30")
    assert [x["duty"] for x in d["duties"]] == ["ppc_quick_report", "ppc_final_report", "principal_notice"]
    assert d["duties"][0] == {"duty": "ppc_quick_report", "to": "ppc", "party_id": None,
                              "regimes": ["appi"], "due": "2026-04-05", "done_on": None,
                              "status": "open"}
    assert d["duties"][2]["due"] is None and d["duties"][2]["to"] == "principals"
    assert d["calendar"]["official_through"] == "2027-12-31" and d["calendar"]["provisional"] is False


# ---------------------------------------------------------------- the 1,000 threshold


@pytest.mark.parametrize(("count", "count_max", "expected", "used", "basis"), [
    (1000, None, False, 1000, "principal_count"),  # "more than 1,000": 1,000 is not
    (1001, None, True, 1001, "principal_count"),
    (None, 1001, True, 1001, "principal_count_max"),
    (500, 1001, True, 1001, "principal_count_max"),  # the larger of the two
    (1000, 1000, False, 1000, "principal_count"),  # a tie: principal_count
    (1200, 900, True, 1200, "principal_count"),
])
def test_over_1000(tmp_path, count, count_max, expected, used, basis):
    d = decision(tmp_path, principal_count=count, principal_count_max=count_max)
    assert d["criteria"]["over_1000"] is expected
    assert (d["principal_count"], d["count_basis"]) == (used, basis)
    assert d["reportable"] is expected
    assert d["ppc_report_required"] is expected


def test_record_count_is_the_fallback(tmp_path):
    # no count given: the affected datasets' record counts, summed (500 + 20)
    d = decision(tmp_path, principal_count=None, dataset_ids=["DS-A", "DS-PAY"])
    assert (d["principal_count"], d["count_basis"]) == (520, "record_count")
    assert d["criteria"]["over_1000"] is False
    assert d["criteria"]["financial_damage"] is True  # the card number
    # 500 + 90,000: the log of cookie IDs is an affected dataset too
    d = decision(tmp_path, principal_count=None, dataset_ids=["DS-A", "DS-COOKIE"])
    assert (d["principal_count"], d["criteria"]["over_1000"]) == (90500, True)


def test_no_count_at_all_is_undecided(tmp_path):
    # DS-A without its record_count: over_1000 cannot be decided; misdelivery is not (iii)
    datasets = copy.deepcopy(BASE["datasets"])
    del datasets[0]["record_count"]
    a = analysis(tmp_path, incident(principal_count=None), datasets=datasets)
    d = decide(a, "INC-1")
    assert (d["principal_count"], d["count_basis"]) == (None, None)
    assert d["criteria"]["over_1000"] is None
    assert d["reportable"] is None
    assert d["ppc_report_required"] is None and d["principal_notice_required"] is None
    # undecided is not "no": the deadlines are computed, and the drafts are written
    assert d["final_report_due"] == "2026-04-30"
    assert [x["duty"] for x in d["duties"]] == ["ppc_quick_report", "ppc_final_report", "principal_notice"]


# ---------------------------------------------------------------- the 100 threshold (My Number)


@pytest.mark.parametrize(("fields", "count", "over"), [
    ({"principal_count": None}, 150, True),  # DS-MN's record count
    ({"principal_count": 100}, 100, False),  # "more than 100": 100 is not
    ({"principal_count": 101}, 101, True),
    ({"principal_count": 5000, "mn_principal_count": 100}, 100, False),  # its own count first
    ({"principal_count": 5, "mn_principal_count": 101}, 101, True),
])
def test_my_number_over_100(tmp_path, fields, count, over):
    d = decision(tmp_path, dataset_ids=["DS-MN"], **fields)
    mn = d["my_number"]
    assert mn["applies"] is True
    assert (mn["principal_count"], mn["criteria"]["over_100"], mn["reportable"]) == (count, over, over)
    assert d["reportable"] is (d["criteria"]["over_1000"] is True)
    if over:
        assert d["ppc_report_required"] is True
        assert d["duties"][0]["regimes"] == ["my_number"]


def test_my_number_record_count_sums_only_datasets_holding_it(tmp_path):
    # DS-MN (150, holds I-MN) + DS-A (500, no My Number): the MN fallback counts 150 only
    d = decision(tmp_path, dataset_ids=["DS-A", "DS-MN"], principal_count=None)
    assert d["principal_count"] == 650 and d["my_number"]["principal_count"] == 150
    assert d["my_number"]["criteria_met"] == ["over_100"]
    assert d["criteria"]["over_1000"] is False


def test_my_number_other_criteria(tmp_path):
    d = decision(tmp_path, dataset_ids=["DS-MN"], principal_count=3, mn_system=True,
                 publicly_viewable=True, cause="malware")
    assert d["my_number"]["criteria_met"] == ["mn_system", "improper_purpose", "publicly_viewable"]
    assert d["duties"][0]["regimes"] == ["appi", "my_number"]
    assert d["final_report_days"] == 60


# ---------------------------------------------------------------- criteria and causes


@pytest.mark.parametrize(("cause", "given", "expected", "days"), [
    ("theft", None, True, 60),
    ("unauthorized_access", None, True, 60),
    ("malware", None, True, 60),
    ("insider", None, True, 60),
    ("tampering", None, True, 60),
    ("misdelivery", None, False, None),
    ("misconfiguration", None, False, None),
    ("lost", None, False, None),
    ("other", None, None, 30),  # undecided (iii): the earlier deadline
    (None, None, None, 30),
    ("theft", False, False, None),  # the officer's answer wins
    ("lost", True, True, 60),
])
def test_improper_purpose(tmp_path, cause, given, expected, days):
    d = decision(tmp_path, cause=cause, improper_purpose=given)
    assert d["criteria"]["improper_purpose"] is expected
    assert d["final_report_days"] == days


def test_improper_purpose_60_days_over_golden_week(tmp_path):
    # 2026-03-12 (Thu) is day 1; 03-31 day 20; 04-30 day 50; 05-10 (Sun) day 60 -> Mon 05-11
    d = decision(tmp_path, known_on="2026-03-12", cause="unauthorized_access", as_of=D(2026, 3, 13))
    assert (d["final_report_day"], d["final_report_due"]) == ("2026-05-10", "2026-05-11")
    assert d["quick_report_by"] == "2026-03-16"


def test_year_end(tmp_path):
    # a special-care leak known 2026-12-01 (Tue): day 30 = 12-30, closed through 2027-01-03
    d = decision(tmp_path, known_on="2026-12-01", dataset_ids=["DS-H"], as_of=D(2026, 12, 2))
    assert (d["final_report_day"], d["final_report_due"]) == ("2026-12-30", "2027-01-04")
    # known 2026-12-28 (Mon): quick report on the 5th day, 2027-01-01, in the closure: not moved
    d = decision(tmp_path, known_on="2026-12-28", dataset_ids=["DS-H"], as_of=D(2026, 12, 28))
    assert d["quick_report_by"] == "2027-01-01"
    # day 30: 12-28 day 1, 12-31 day 4, 2027-01-26 (Tue) day 30
    assert d["final_report_due"] == "2027-01-26"


def test_not_yet_stored_reaches_only_improper_purpose(tmp_path):
    d = decision(tmp_path, dataset_ids=["DS-H", "DS-PAY", "DS-MN"], principal_count=5000,
                 not_yet_stored=True, cause="tampering")
    assert d["criteria"] == {"special_care": False, "financial_damage": False,
                             "improper_purpose": True, "over_1000": False}
    assert d["my_number"]["applies"] is False
    d = decision(tmp_path, dataset_ids=["DS-H"], not_yet_stored=True)  # misdelivered form input
    assert d["reportable"] is False and d["ppc_report_required"] is False


def test_protected_data(tmp_path):
    # DS-SAFE: advanced encryption, key kept apart; a stolen card number, 3,000 records
    d = decision(tmp_path, dataset_ids=["DS-SAFE"], cause="theft", principal_count=3000)
    assert d["protected"] is True
    assert d["criteria"] == dict.fromkeys(CRITERIA, False)
    assert (d["reportable"], d["ppc_report_required"], d["final_report_due"], d["duties"]) \
        == (False, False, None, [])
    # the key leaked too: the officer says so
    d = decision(tmp_path, dataset_ids=["DS-SAFE"], cause="theft", principal_count=3000, protected=False)
    assert d["protected"] is False and d["criteria_met"] == ["financial_damage", "improper_purpose", "over_1000"]
    # one unprotected dataset among them: not protected
    d = decision(tmp_path, dataset_ids=["DS-SAFE", "DS-A"])
    assert d["protected"] is False


# ---------------------------------------------------------------- is it an incident at all


@pytest.mark.parametrize(("fields", "incident_", "reasons"), [
    ({"recovered_unviewed": True}, False, ["recovered_unviewed"]),
    ({"event_types": ["leak", "loss"], "recovered_unviewed": True}, True, []),
    ({"event_types": ["loss"], "copy_kept": True}, False, ["copy_kept"]),
    ({"event_types": ["leak", "damage"], "copy_kept": True, "recovered_unviewed": True}, False,
     ["recovered_unviewed", "copy_kept"]),
    ({"event_types": ["leak"], "copy_kept": True}, True, []),  # a kept copy does not undo a leak
    ({"dataset_ids": ["DS-PSEUDO"]}, False, ["not_covered"]),  # Art 41(9)
    ({"dataset_ids": ["DS-COOKIE"], "item_ids": ["I-COOKIE"]}, False, ["not_covered"]),
    ({"dataset_ids": ["DS-PSEUDO"], "recovered_unviewed": True}, False, ["not_covered", "recovered_unviewed"]),
    ({"dataset_ids": ["DS-A"], "item_ids": ["I-COOKIE"]}, True, []),  # with names: personal data
])
def test_incident_or_not(tmp_path, fields, incident_, reasons):
    d = decision(tmp_path, **{"cause": "theft", **fields})
    assert d["incident"] is incident_
    assert d["not_incident_reasons"] == reasons
    if not incident_:
        assert list(d) == KEYS
        assert d["criteria"] == dict.fromkeys(CRITERIA, False)
        assert d["my_number"]["criteria"] == dict.fromkeys(MN_CRITERIA, False)
        assert d["my_number"]["applies"] is False and d["my_number"]["reportable"] is False
        assert (d["protected"], d["reportable"], d["ppc_report_required"],
                d["principal_notice_required"], d["entrustor_notice_required"]) == (False,) * 5
        assert (d["principal_count"], d["count_basis"], d["final_report_days"], d["quick_report_by"],
                d["final_report_day"], d["final_report_due"], d["trustee_party_id"]) == (None,) * 7
        assert (d["criteria_met"], d["entrustors"], d["duties"]) == ([], [], [])
        assert d["calendar"]["source"].startswith("jpholiday")


# ---------------------------------------------------------------- whose duty


def test_trustee_released_by_notifying_the_client(tmp_path):
    d = decision(tmp_path, dataset_ids=["DS-CLIENT"], cause="theft", as_of=D(2026, 4, 3))
    assert (d["entrustors"], d["trustee_path"], d["released"]) == (["PT-CLIENT"], True, False)
    assert (d["ppc_report_required"], d["entrustor_notice_required"]) == (True, True)
    assert [x["duty"] for x in d["duties"]] == [
        "ppc_quick_report", "ppc_final_report", "principal_notice", "entrustor_notice"]
    assert d["duties"][3] == {"duty": "entrustor_notice", "to": "entrustor", "party_id": "PT-CLIENT",
                              "regimes": ["appi"], "due": "2026-04-05", "done_on": None,
                              "status": "open"}
    d = decision(tmp_path, dataset_ids=["DS-CLIENT"], cause="theft", entrustor_notified_on="2026-04-02",
                 as_of=D(2026, 4, 3))
    assert d["released"] is True
    assert (d["ppc_report_required"], d["principal_notice_required"], d["entrustor_notice_required"]) \
        == (False, False, True)
    assert [(x["duty"], x["status"]) for x in d["duties"]] == [("entrustor_notice", "done")]


def test_mixed_data_is_not_released(tmp_path):
    # our own customers and a client's: we report for ours whatever we told the client
    d = decision(tmp_path, dataset_ids=["DS-A", "DS-CLIENT", "DS-CLIENT2"], cause="theft",
                 entrustor_notified_on="2026-04-02")
    assert (d["entrustors"], d["trustee_path"], d["released"]) == (["PT-CLIENT", "PT-OTHER"], False, False)
    assert d["ppc_report_required"] is True
    assert [x["party_id"] for x in d["duties"] if x["duty"] == "entrustor_notice"] == ["PT-CLIENT", "PT-OTHER"]


def test_contractor_named(tmp_path):
    d = decision(tmp_path, contract_id="C-1")
    assert d["trustee_party_id"] == "PT-VENDOR"


def test_not_reportable_has_no_deadline(tmp_path):
    d = decision(tmp_path)  # one misdelivered name and e-mail address
    assert (d["reportable"], d["ppc_report_required"], d["final_report_days"], d["final_report_due"],
            d["duties"]) == (False, False, None, None, [])


# ---------------------------------------------------------------- duties' status


def test_duty_status(tmp_path):
    # special care, known 2026-04-01: quick by 04-05, final due 04-30
    fields = {"dataset_ids": ["DS-H"]}
    d = decision(tmp_path, as_of=D(2026, 5, 1), **fields)
    assert [x["status"] for x in d["duties"]] == ["overdue", "overdue", "open"]
    d = decision(tmp_path, as_of=D(2026, 4, 5), **fields)  # on the due day: not yet overdue
    assert [x["status"] for x in d["duties"]] == ["open", "open", "open"]
    # one report served as both: the quick report is done on the final report's date
    d = decision(tmp_path, as_of=D(2026, 5, 1), final_report_on="2026-04-20",
                 substitute_measure_on="2026-04-21", **fields)
    assert [(x["status"], x["done_on"]) for x in d["duties"]] == [
        ("done", "2026-04-20"), ("done", "2026-04-20"), ("done", "2026-04-21")]


# ---------------------------------------------------------------- laws over all incidents

ITEMS = {
    "N": Item("N", "氏名", "personal", False),
    "H": Item("H", "病歴", "special_care", False),
    "C": Item("C", "カード番号", "personal", True),
    "M": Item("M", "個人番号", "my_number", False),
    "K": Item("K", "Cookie", "person_related", False),
}
def _personal_in(items: list[str], processing: str) -> tuple[str, ...]:
    """The items that are personal data in a dataset: web.md §2's table, restated as the oracle."""
    if processing in ("anonymised", "statistics"):
        return ()
    own = {i: ITEMS[i].legal_class for i in items}
    identifying = any(c != "person_related" for c in own.values())
    return tuple(i for i, c in own.items() if c != "person_related" or identifying
                 or processing == "pseudonymised")


datasets_st = st.lists(
    st.builds(
        lambda k, items, proc, enc, sep, n, held: Dataset(
            f"DS{k}", f"DS{k}", "顧客", tuple(items), proc, enc, sep, n, held,
            _personal_in(items, proc)),
        st.integers(0, 99),
        st.lists(st.sampled_from(sorted(ITEMS)), min_size=1, max_size=4, unique=True),
        st.sampled_from(["none", "none", "pseudonymised", "anonymised"]),
        st.sampled_from(["none", "standard", "advanced"]),
        st.booleans(),
        st.one_of(st.none(), st.integers(0, 3000)),
        st.sampled_from([None, None, "PT-A", "PT-B"]),
    ),
    min_size=1, max_size=3, unique_by=lambda d: d.id,
)
counts = st.one_of(st.none(), st.integers(0, 3000))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    datasets=datasets_st, count=counts, count_max=counts, mn_count=counts,
    cause=st.sampled_from([None, "theft", "lost", "other", "misdelivery"]),
    flags=st.fixed_dictionaries({k: st.booleans() for k in (
        "recovered_unviewed", "copy_kept", "not_yet_stored", "mn_system", "publicly_viewable")}),
    events=st.lists(st.sampled_from(["leak", "loss", "damage"]), min_size=1, max_size=3, unique=True),
    known_on=st.dates(D(2022, 4, 1), D(2027, 11, 1)),
    notified=st.booleans(),
)
def test_decision_laws(datasets, count, count_max, mn_count, cause, flags, events, known_on, notified):
    facts = Facts(ITEMS, {d.id: d for d in datasets}, {}, {})
    row = {"incident_id": "X", "known_on": known_on, "event_types": events,
           "dataset_ids": [d.id for d in datasets], "principal_count": count,
           "principal_count_max": count_max, "mn_principal_count": mn_count, "cause": cause,
           "entrustor_notified_on": known_on if notified else None, **flags}
    d = decide_row(facts, row, known_on).data
    assert list(d) == KEYS
    if not d["incident"]:
        assert d["not_incident_reasons"] and d["duties"] == [] and d["final_report_due"] is None
        return
    # the count: the larger given, else the record counts
    if count is not None or count_max is not None:
        assert d["principal_count"] == max(c for c in (count, count_max) if c is not None)
    # over_1000 is exactly "more than 1,000" (unless protected or only being acquired)
    if d["principal_count"] is not None and not d["protected"] and not flags["not_yet_stored"]:
        assert d["criteria"]["over_1000"] is (d["principal_count"] > 1000)
    if d["protected"]:
        assert d["reportable"] is False and d["my_number"]["reportable"] is False
    # required ⇔ reportable and not released; deadlines whenever a regime is not "no"
    regimes = (d["reportable"], d["my_number"]["reportable"])
    if True in regimes and not d["released"]:
        assert d["ppc_report_required"] is True
    if d["released"]:
        assert d["ppc_report_required"] is False and d["principal_notice_required"] is False
    assert (d["final_report_due"] is None) == all(r is False for r in regimes)
    if d["final_report_due"]:
        due = dt.date.fromisoformat(d["final_report_due"])
        assert due >= known_on + dt.timedelta(days=d["final_report_days"] - 1)
        assert d["final_report_days"] == (60 if True in (
            d["criteria"]["improper_purpose"], d["my_number"]["criteria"]["improper_purpose"]) else 30)
    assert d["criteria_met"] == [k for k in CRITERIA if d["criteria"][k] is True]
    if d["entrustor_notice_required"] is not False:
        assert d["entrustors"]
