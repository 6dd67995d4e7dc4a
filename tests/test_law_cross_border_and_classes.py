"""XB-001…005, PRI-001/002, MYN-001/002 and SEN-001."""

from __future__ import annotations

import pytest

from .conftest import base_register
from .law_helpers import (
    entrustment_register,
    mutated,
    my_number_register,
    opt_out_register,
    person_related_register,
    rule_keys,
)


def _party(**values):
    return lambda reg: reg["parties"][0].update(values)


def _provision(**values):
    return lambda reg: reg["provisions"][0].update(values)


def _receiving_none(reg):
    reg["provisions"][0]["party_id"] = "P2"
    reg["parties"].append({**reg["parties"][0], "party_id": "P2", "country": "JP",
                           "foreign_safeguard": None, "safeguard_checked_on": None})


def _special_item_in_dataset(reg):
    reg["data_items"].append({"item_id": "I3", "name": "病歴", "legal_class": "special_care"})
    reg["datasets"][0]["item_ids"].append("I3")


US = _party(country="US")

CASES = [
    ("XB-001", entrustment_register, [US], {("XB-001", "provisions", "V1", "basis")}),
    ("XB-001", entrustment_register, [_party(country="DE")], set()),  # equivalent system
    ("XB-001", entrustment_register, [_party(country="US", foreign_safeguard="cbpr",
                                             safeguard_checked_on="2026-06-01")], set()),
    ("XB-001", person_related_register, [US, _provision(basis="succession")], set()),  # PRI-002's
    ("XB-002", base_register, [US], {("XB-002", "provisions", "V1", "foreign_info_given")}),
    ("XB-002", base_register, [US, _provision(foreign_info_given=True)], set()),
    ("XB-002", base_register, [_party(country="GB")], set()),
    ("XB-003", base_register, [_party(country="US", foreign_safeguard="system")],
     {("XB-003", "parties", "P1", "safeguard_checked_on")}),
    ("XB-003", base_register, [_party(country="US", foreign_safeguard="system",
                                      safeguard_checked_on="2025-11-20")],
     {("XB-003", "parties", "P1", "safeguard_checked_on")}),
    ("XB-003", base_register, [_party(country="US", foreign_safeguard="system",
                                      safeguard_checked_on="2025-11-21")], set()),
    ("XB-003", base_register, [_party(country="FR", foreign_safeguard="system")], set()),
    ("XB-003", base_register, [_party(country="US", foreign_safeguard="system"), _receiving_none],
     set()),  # receives no provision
    ("XB-004", opt_out_register, [US], {("XB-004", "provisions", "V1", "basis")}),
    ("XB-004", opt_out_register, [_party(country="NO")], set()),
    ("XB-005", base_register, [_party(country="DE"), _provision(basis="law")],
     {("XB-005", "provisions", "V1", "basis")}),
    ("XB-005", base_register, [_provision(basis="law")], set()),
    ("PRI-001", person_related_register, [_provision(consent_confirmed_on=None)],
     {("PRI-001", "provisions", "V1", "consent_confirmed_on")}),
    ("PRI-001", person_related_register, [_provision(consent_confirmed_on="2026-04-02")],
     {("PRI-001", "provisions", "V1", "consent_confirmed_on")}),  # after the first event
    ("PRI-001", person_related_register, [_provision(consent_confirmed_on="2026-04-01")], set()),
    ("PRI-001", person_related_register, [_provision(consent_confirmed_on=None, basis="law")], set()),
    ("PRI-001", person_related_register, [_provision(consent_confirmed_on=None,
                                                     linkage_expected=False)], set()),
    ("PRI-001", base_register, [_provision(consent_confirmed_on=None, linkage_expected=True)],
     set()),  # personal data, not person-related
    ("PRI-002", person_related_register, [US], {("PRI-002", "provisions", "V1", "foreign_info_given")}),
    ("PRI-002", person_related_register, [US, _provision(foreign_info_given=True)], set()),
    ("PRI-002", person_related_register, [_party(country="IE")], set()),
    ("MYN-001", my_number_register, [_provision(basis="opt_out")],
     {("MYN-001", "provisions", "V1", "basis")}),
    ("MYN-001", my_number_register, [_provision(basis="joint_use")],
     {("MYN-001", "provisions", "V1", "basis")}),
    ("MYN-001", my_number_register, [], set()),
    ("MYN-002", my_number_register, [_provision(basis="consent")],
     {("MYN-002", "provisions", "V1", "basis")}),
    ("MYN-002", my_number_register, [_provision(basis="entrustment")], set()),
    ("SEN-001", base_register, [_special_item_in_dataset],
     {("SEN-001", "datasets", "D1", "special_care_basis")}),
    ("SEN-001", base_register, [_special_item_in_dataset,
                                lambda r: r["datasets"][0].update(special_care_basis="published")],
     set()),
]


@pytest.mark.parametrize(("rule", "start", "mutations", "expected"), CASES,
                         ids=[f"{c[0]}-{n}" for n, c in enumerate(CASES)])
def test_rule(tmp_path, rule, start, mutations, expected):
    assert rule_keys(tmp_path, mutated(*mutations, start=start()), rule) == expected


def test_my_number_only_provision_is_outside_appi_rules(tmp_path):
    # My Number only, opt-out abroad without anything: MYN-001 only, no PRV/XB (My Number Act
    # Art 30(2) disapplies APPI Arts 27–30).
    reg = my_number_register()
    reg["provisions"][0].update(item_ids=["I9"], basis="opt_out")
    reg["parties"][0]["country"] = "US"
    from .law_helpers import analysis_of

    rules = {f.rule for f in analysis_of(tmp_path, reg).report.findings if f.severity.value == "error"}
    assert rules == {"MYN-001"}
