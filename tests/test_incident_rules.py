"""INC and RDY findings (incident.md §5): when each fires, and the cell it points at."""

from __future__ import annotations

import datetime as dt

import pytest

from register import schema
from register.api import analyze
from register.convert import convert
from register.load import load
from register.model import column_letter

from .incident_support import D, analysis, incident, register_doc, write


def found(a, prefix=("INC", "RDY")):
    return {(f.rule, f.record, f.field) for f in a.report.findings if f.rule.startswith(prefix)}


def inc(tmp_path, as_of, **fields):
    return found(analysis(tmp_path, incident(**fields), as_of=as_of), ("INC",))


# special care (DS-H), known 2026-04-01 (Wed): quick by 04-05 (5th day), final due 04-30 (day 30)
SPECIAL = {"dataset_ids": ["DS-H"]}


@pytest.mark.parametrize(("as_of", "fields", "expected"), [
    (D(2026, 4, 5), {}, set()),  # on the 5th day: nothing is late yet
    (D(2026, 4, 6), {}, {("INC-002", "INC-1", "quick_report_on")}),
    (D(2026, 4, 30), {"quick_report_on": "2026-04-03"}, set()),  # due day itself
    (D(2026, 5, 1), {"quick_report_on": "2026-04-03"},
     {("INC-001", "INC-1", "final_report_on"), ("INC-003", "INC-1", "principals_notified_on")}),
    (D(2026, 5, 1), {"quick_report_on": "2026-04-03", "substitute_measure_on": "2026-04-20"},
     {("INC-001", "INC-1", "final_report_on")}),
    (D(2026, 5, 8), {"final_report_on": "2026-05-07", "principals_notified_on": "2026-04-02"},
     {("INC-005", "INC-1", "final_report_on")}),  # one late report serves as both: no INC-002
    (D(2026, 5, 8), {"final_report_on": "2026-04-30", "principals_notified_on": "2026-04-02"}, set()),
])
def test_deadline_rules(tmp_path, as_of, fields, expected):
    assert inc(tmp_path, as_of, **SPECIAL, **fields) == expected


def test_deadline_rules_follow_the_moved_deadline(tmp_path):
    # 2026-12-01 day 1, 12-30 day 30, closed to 2027-01-03: due 01-04; on 01-04 not yet late
    fields = {**SPECIAL, "known_on": "2026-12-01", "quick_report_on": "2026-12-02",
              "principals_notified_on": "2026-12-03"}
    assert inc(tmp_path, D(2027, 1, 4), **fields) == set()
    assert inc(tmp_path, D(2027, 1, 5), **fields) == {("INC-001", "INC-1", "final_report_on")}


def test_no_rule_for_what_need_not_be_reported(tmp_path):
    assert inc(tmp_path, D(2027, 1, 1)) == set()  # one misdelivered e-mail address
    assert inc(tmp_path, D(2027, 1, 1), dataset_ids=["DS-SAFE"], cause="theft") == set()  # protected


def test_entrustor_rule(tmp_path):
    # theft of a client's data known 2026-04-01: the client is told by 04-05
    fields = {"dataset_ids": ["DS-CLIENT"], "cause": "theft", "quick_report_on": "2026-04-02"}
    assert inc(tmp_path, D(2026, 4, 6), **fields) == {("INC-004", "INC-1", "entrustor_notified_on")}
    # told on time: we are released, and nothing else is due from us
    assert inc(tmp_path, D(2026, 7, 1), **{**fields, "entrustor_notified_on": "2026-04-03"}) == set()


def test_undecided_is_a_warning_naming_what_is_missing(tmp_path):
    a = analysis(tmp_path, incident(cause="other"), as_of=D(2026, 4, 2))
    (f,) = [f for f in a.report.findings if f.rule == "INC-006"]
    assert (f.record, f.field, f.severity.value) == ("INC-1", "cause", "warning")
    assert "不正の目的のおそれ" in f.message("ja") and "cause" not in f.message("ja")


def test_inconsistent_facts(tmp_path):
    got = inc(tmp_path, D(2026, 4, 2), item_ids=["I-NAME", "I-HEALTH"], occurred_on="2026-04-03",
              principals_notified_on="2026-03-31")
    assert got == {("INC-007", "INC-1", "item_ids"), ("INC-007", "INC-1", "occurred_on"),
                   ("INC-007", "INC-1", "principals_notified_on")}


def test_an_incident_that_cannot_be_decided_gets_no_inc_rule(tmp_path):
    a = analysis(tmp_path, incident(**SPECIAL, known_on="2026-13-01"), as_of=D(2027, 1, 1))
    assert found(a, ("INC",)) == set()
    assert ("SCH-003", "INC-1", "known_on") in {(f.rule, f.record, f.field) for f in a.report.findings}


def test_readiness(tmp_path):
    got = found(analysis(tmp_path), ("RDY",))
    assert got == {
        ("RDY-001", "DS-H", "item_ids"),  # special care
        ("RDY-001", "DS-PAY", "item_ids"),  # a card number
        ("RDY-001", "DS-CLIENT2", "item_ids"),
        ("RDY-003", "DS-MN", "record_count"),  # My Number, 150 > 100
    }
    # DS-COOKIE holds cookie IDs alone: not personal data, not covered; DS-SAFE is protected;
    # DS-PSEUDO is pseudonymised (outside Art 26)


@pytest.mark.parametrize(("change", "expected"), [
    ({"record_count": 1000}, set()),
    ({"record_count": 1001}, {("RDY-002", "DS-A", "record_count")}),
    ({"encryption": "advanced", "key_separated": True, "record_count": 5000}, set()),
    ({"encryption": "advanced", "record_count": 5000},
     {("RDY-002", "DS-A", "record_count"), ("RDY-004", "DS-A", "key_separated")}),
    ({"encryption": "standard", "key_separated": True, "record_count": 5000},
     {("RDY-002", "DS-A", "record_count")}),
    ({"processing": "pseudonymised", "record_count": 5000}, set()),
])
def test_readiness_thresholds(tmp_path, change, expected):
    doc = register_doc()
    doc["datasets"][0].update(change)
    a = analyze(load(write(tmp_path, doc)), D(2026, 4, 2))
    assert {k for k in found(a, ("RDY",)) if k[1] == "DS-A"} == expected


def test_findings_point_at_the_cell(tmp_path):
    first = incident(incident_id="INC-0", quick_report_on="2026-04-02", final_report_on="2026-04-10",
                     principals_notified_on="2026-04-03")
    doc = register_doc(first, incident(**SPECIAL, quick_report_on="2026-04-03"))
    book = tmp_path / "register.xlsx"
    convert(str(write(tmp_path, doc)), str(book))
    a = analyze(load(book), D(2026, 5, 1))

    def cell(table_name: str, column: str, row: int) -> str:
        present = [c.name for c in schema.table(table_name).columns
                   if any(column_ in r for r in doc[table_name] for column_ in [c.name])]
        return f"{column_letter(present.index(column))}{row}"

    got = {(f.rule, f.record): f.location for f in a.report.findings}
    # the second incident is on row 3 of the incidents sheet
    loc = got[("INC-001", "INC-1")]
    assert (loc.sheet, loc.row, loc.cell) == ("incidents", 3, cell("incidents", "final_report_on", 3))
    loc = got[("INC-003", "INC-1")]
    assert loc.cell == cell("incidents", "principals_notified_on", 3)
    loc = got[("RDY-001", "DS-H")]  # the second dataset
    assert (loc.sheet, loc.cell) == ("datasets", cell("datasets", "item_ids", 3))


def test_as_of_sets_today(tmp_path):
    a = analysis(tmp_path, incident(**SPECIAL), as_of=dt.date(2026, 4, 6))
    assert ("INC-002", "INC-1", "quick_report_on") in found(a)
