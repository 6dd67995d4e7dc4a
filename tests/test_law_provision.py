"""PRV-001…010 (rules.md §1 PRV): one triggering and one quiet case each, and the carve-outs."""

from __future__ import annotations

import pytest

from .conftest import base_register
from .law_helpers import (
    analysis_of,
    mutated,
    opt_out_register,
    person_related_register,
    rule_keys,
)


def _set(table, i=0, **values):
    def m(reg):
        target = reg[table] if table != "organization" else reg[table]
        (target[i] if isinstance(target, list) else target).update(values)
    return m


def _special_item(reg):
    reg["data_items"].append({"item_id": "I3", "name": "病歴", "legal_class": "special_care"})
    reg["datasets"][0]["item_ids"].append("I3")
    reg["datasets"][0]["special_care_basis"] = "consent"
    reg["provisions"][0]["item_ids"].append("I3")


CASES = [
    # (rule, start, mutations, expected keys of that rule)
    ("PRV-001", base_register, [_set("provisions", consent=False)],
     {("PRV-001", "provisions", "V1", "consent")}),
    ("PRV-001", base_register, [], set()),
    ("PRV-002", opt_out_register, [_special_item], {("PRV-002", "provisions", "V1", "item_ids")}),
    ("PRV-002", base_register, [_special_item], set()),  # consent may carry special care data
    ("PRV-003", opt_out_register, [_set("provisions", optout_notified_on=None)],
     {("PRV-003", "provisions", "V1", "optout_notified_on")}),
    ("PRV-003", opt_out_register, [_set("provisions", optout_notified_on="2026-05-01")],
     {("PRV-003", "provision_log", "E1", "provided_on")}),
    ("PRV-003", opt_out_register, [_set("provisions", optout_notified_on="2026-04-01")], set()),
    ("PRV-004", opt_out_register, [_set("datasets", source="opt_out")],
     {("PRV-004", "provisions", "V1", "dataset_id")}),
    ("PRV-004", opt_out_register, [_set("purposes", third_party_provision=False)],
     {("PRV-004", "provisions", "V1", "dataset_id")}),
    ("PRV-004", opt_out_register, [], set()),
    ("PRV-005", opt_out_register, [_set("provisions", record_method="contract")],
     {("PRV-005", "provisions", "V1", "record_method")}),
    ("PRV-005", base_register, [_set("provisions", record_method="contract")], set()),
    ("PRV-006", base_register, [_set("datasets", item_ids=["I1"])],
     {("PRV-006", "provisions", "V1", "item_ids")}),
    ("PRV-006", base_register, [_set("datasets", item_ids=["I1"]), _set("provisions", dataset_id=None)],
     set()),
    ("PRV-007", base_register, [_set("provisions", starts_on="2026-05-01")],
     {("PRV-007", "provision_log", "E1", "provided_on")}),
    ("PRV-007", base_register, [_set("provisions", item_ids=["I1"]),
                                _set("provision_log", item_ids=["I1", "I2"])],
     {("PRV-007", "provision_log", "E1", "item_ids")}),
    ("PRV-007", base_register, [_set("provisions", starts_on="2026-04-01", ends_on="2026-04-01"),
                                _set("provision_log", item_ids=["I2"])], set()),
    ("PRV-010", opt_out_register, [_set("provisions", dataset_id=None)],
     {("PRV-010", "provisions", "V1", "dataset_id")}),
    ("PRV-010", base_register, [_set("provisions", dataset_id=None)], set()),
    ("PRV-008", base_register, [_set("parties", address=None)],
     {("PRV-008", "provisions", "V1", "party_id")}),
    ("PRV-008", base_register, [_set("parties", representative=None)],
     {("PRV-008", "provisions", "V1", "party_id")}),
    ("PRV-008", base_register, [_set("parties", representative=None, kind="association")], set()),
    ("PRV-008", base_register, [_set("parties", address=None, representative=None,
                                     kind="unspecified_public")], set()),
    ("PRV-008", base_register, [_set("parties", address=None), lambda r: r.pop("provision_log")],
     set()),  # no event, no record
    ("PRV-008", base_register, [_set("parties", address=None), _set("provisions", basis="law")],
     set()),  # no record needed
    ("PRV-008", person_related_register, [_set("parties", address=None)],
     {("PRV-008", "provisions", "V1", "party_id")}),  # the one PRV rule for person-related
    ("PRV-009", base_register, [_set("provision_log", principal_ids=None)],
     {("PRV-009", "provision_log", "E1", "principal_ids")}),
    ("PRV-009", base_register, [_set("provision_log", principal_ids=None),
                                _set("provisions", basis="law")], set()),
    ("PRV-009", person_related_register, [_set("provision_log", principal_ids=None)], set()),
]


@pytest.mark.parametrize(("rule", "start", "mutations", "expected"), CASES,
                         ids=[f"{c[0]}-{n}" for n, c in enumerate(CASES)])
def test_rule(tmp_path, rule, start, mutations, expected):
    assert rule_keys(tmp_path, mutated(*mutations, start=start()), rule) == expected


def test_person_related_provision_gets_no_prv_rules(tmp_path):
    reg = mutated(_set("provisions", basis="opt_out", consent=None, dataset_id=None,
                       record_method="bulk", starts_on="2026-05-01"),
                  start=person_related_register())
    found = {f.rule for f in analysis_of(tmp_path, reg).report.findings}
    assert not {r for r in found if r.startswith("PRV")}


def test_event_rules_give_one_finding_per_event_not_per_row(tmp_path):
    reg = opt_out_register()
    reg["provisions"][0]["optout_notified_on"] = "2026-05-01"
    reg["provision_log"] = [
        {"event_id": "E1", "provision_id": "V1", "provided_on": "2026-04-01", "principal_ids": [p]}
        for p in ("A1", "A2", "A3")
    ] + [{"event_id": "E2", "provision_id": "V1", "provided_on": "2026-04-02", "principal_ids": ["A1"]}]
    got = [(f.rule, f.record) for f in analysis_of(tmp_path, reg).report.findings
           if f.table == "provision_log"]
    assert sorted(got) == [("PRV-003", "E1"), ("PRV-003", "E2")]


def test_prv009_needs_principals_from_any_row_of_the_event(tmp_path):
    reg = base_register()
    reg["provision_log"].append({"event_id": "E1", "provision_id": "V1", "provided_on": "2026-04-01"})
    assert rule_keys(tmp_path, reg, "PRV-009") == set()


def test_messages_name_record_and_value_in_both_languages(tmp_path):
    reg = mutated(_set("provisions", consent=False))
    f = next(f for f in analysis_of(tmp_path, reg).report.findings if f.rule == "PRV-001")
    assert "V1" in f.message("en") and "false" in f.message("en").lower()
    assert "V1" in f.message("ja") and "{" not in f.message("ja") + f.hint("ja") + f.hint("en")
    assert f.spec.law == "APPI Art 27(1)"
