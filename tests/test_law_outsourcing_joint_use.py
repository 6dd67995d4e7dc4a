"""ENT-001…006 and JNT-001…005, and how they fail (or keep) the Art 27(5) route."""

from __future__ import annotations

import datetime as dt

import pytest

from .law_helpers import analysis_of, entrustment_register, joint_use_register, mutated, rule_keys


def _contract(**values):
    return lambda reg: reg["contractors"][0].update(values)


def _provision(**values):
    return lambda reg: reg["provisions"][0].update(values)


def _joint_use(**values):
    return lambda reg: reg["joint_uses"][0].update(values)


def _event(**values):
    return lambda reg: reg["provision_log"][0].update(values)


def _no_contract_id(reg):
    del reg["provisions"][0]["contract_id"]


ENT = [
    ("ENT-001", [_no_contract_id], {("ENT-001", "provisions", "V1", "contract_id")}),
    ("ENT-001", [_contract(contract_on=None)], {("ENT-001", "contractors", "C1", "contract_on")}),
    ("ENT-001", [], set()),
    ("ENT-002", [_contract(security_terms=None)], {("ENT-002", "contractors", "C1", "security_terms")}),
    ("ENT-002", [], set()),
    ("ENT-003", [_contract(last_audit_on="2025-11-20")], {("ENT-003", "contractors", "C1", "last_audit_on")}),
    ("ENT-003", [_contract(last_audit_on=None)], {("ENT-003", "contractors", "C1", "last_audit_on")}),
    ("ENT-003", [_contract(last_audit_on="2025-11-21")], set()),  # due 2026-11-21 = as-of
    ("ENT-003", [_contract(last_audit_on="2025-05-21", audit_interval_months=24)], set()),
    ("ENT-003", [_contract(last_audit_on=None, ends_on="2026-11-20")], set()),  # ended
    ("ENT-004", [_contract(item_ids=["I1"])], {("ENT-004", "provisions", "V1", "item_ids")}),
    ("ENT-004", [_contract(item_ids=["I1"], contract_on=None)], set()),
    ("ENT-005", [_contract(contract_on="2026-04-02")], {("ENT-005", "provision_log", "E1", "provided_on")}),
    ("ENT-005", [_contract(ends_on="2026-03-31")], {("ENT-005", "provision_log", "E1", "provided_on")}),
    ("ENT-005", [_contract(contract_on="2026-04-01", ends_on="2026-04-01")], set()),
    ("ENT-006", [_contract(subcontracting="free")], {("ENT-006", "contractors", "C1", "subcontracting")}),
    ("ENT-006", [_contract(subcontracting="none")], set()),
]


@pytest.mark.parametrize(("rule", "mutations", "expected"), ENT, ids=[f"{c[0]}-{n}" for n, c in enumerate(ENT)])
def test_entrustment_rule(tmp_path, rule, mutations, expected):
    reg = mutated(*mutations, start=entrustment_register())
    assert rule_keys(tmp_path, reg, rule) == expected


def test_ent004_other_recipient(tmp_path):
    reg = entrustment_register()
    reg["parties"].append({**reg["parties"][0], "party_id": "P2"})
    reg["provisions"][0]["party_id"] = "P2"
    assert rule_keys(tmp_path, reg, "ENT-004") == {("ENT-004", "provisions", "V1", "party_id")}


@pytest.mark.parametrize(("mutation", "failed_by"), [
    (_contract(item_ids=["I1"]), ("ENT-004",)),
    (_contract(contract_on="2026-04-02"), ("ENT-005",)),
    (_contract(security_terms=False, subcontracting="free", last_audit_on=None), ()),
    (_contract(contract_on=None), ()),
])
def test_entrustment_route(tmp_path, mutation, failed_by):
    route = analysis_of(tmp_path, mutated(mutation, start=entrustment_register())).routes.provisions["V1"]
    assert route.failed_by == failed_by
    assert (route.record_type, route.reason) == (("consent", None) if failed_by else (None, "art27_5"))


def _manager(**values):
    def m(reg):
        reg["parties"].append({"party_id": "PM", "name": "管理会社", "kind": "corporation",
                               "country": "JP", "address": "東京", "representative": "代表",
                               **values})
        reg["joint_uses"][0]["manager_party_id"] = "PM"
    return m


def _no_manager_repr(reg):
    reg["organization"]["representative"] = None


def _my_number_in_joint_use(reg):
    reg["data_items"].append({"item_id": "I9", "name": "個人番号", "legal_class": "my_number"})
    reg["joint_uses"][0]["item_ids"].append("I9")


JNT = [
    ("JNT-001", [_joint_use(notified_on=None)], {("JNT-001", "joint_uses", "J1", "notified_on")}),
    ("JNT-001", [_joint_use(item_ids=None)], {("JNT-001", "joint_uses", "J1", "item_ids")}),
    ("JNT-001", [_joint_use(users_scope=None)], {("JNT-001", "joint_uses", "J1", "users_scope")}),
    ("JNT-001", [_joint_use(purpose_ids=None)], {("JNT-001", "joint_uses", "J1", "purpose_ids")}),
    ("JNT-001", [_joint_use(manager_party_id=None)], {("JNT-001", "joint_uses", "J1", "manager_party_id")}),
    ("JNT-001", [_manager(address=None)], {("JNT-001", "joint_uses", "J1", "manager_party_id")}),
    ("JNT-001", [_manager(representative=None)], {("JNT-001", "joint_uses", "J1", "manager_party_id")}),
    ("JNT-001", [_manager(representative=None, kind="association")], set()),
    ("JNT-001", [_manager()], set()),
    ("JNT-001", [], set()),
    ("JNT-002", [_joint_use(notified_on="2026-04-02")], {("JNT-002", "provision_log", "E1", "provided_on")}),
    ("JNT-002", [_joint_use(notified_on="2026-04-01")], set()),
    ("JNT-003", [_joint_use(item_ids=["I1"])], {("JNT-003", "provisions", "V1", "item_ids")}),
    ("JNT-003", [_joint_use(user_party_ids=["self"])], {("JNT-003", "provisions", "V1", "party_id")}),
    ("JNT-003", [_joint_use(user_party_ids=None)], set()),  # users not listed
    ("JNT-004", [_my_number_in_joint_use], {("JNT-004", "joint_uses", "J1", "item_ids")}),
    ("JNT-004", [], set()),
    ("JNT-005", [_provision(joint_use_id=None)], {("JNT-005", "provisions", "V1", "joint_use_id")}),
    ("JNT-005", [], set()),
]


@pytest.mark.parametrize(("rule", "mutations", "expected"), JNT, ids=[f"{c[0]}-{n}" for n, c in enumerate(JNT)])
def test_joint_use_rule(tmp_path, rule, mutations, expected):
    reg = mutated(*mutations, start=joint_use_register())
    assert rule_keys(tmp_path, reg, rule) == expected


def test_self_manager_without_organization_representative(tmp_path):
    # organization.representative is schema-required (SCH-002) and a published matter (JNT-001)
    reg = mutated(_no_manager_repr, start=joint_use_register())
    assert rule_keys(tmp_path, reg, "JNT-001") == {("JNT-001", "joint_uses", "J1", "manager_party_id")}


@pytest.mark.parametrize(("mutation", "failed_by"), [
    (_joint_use(notified_on="2026-04-02"), ("JNT-002",)),  # event before notified_on
    (_joint_use(users_scope=None), ("JNT-001",)),
    (_joint_use(item_ids=["I1"]), ("JNT-003",)),
    (_provision(joint_use_id=None), ("JNT-005",)),
    (_my_number_in_joint_use, ()),
])
def test_joint_use_route(tmp_path, mutation, failed_by):
    route = analysis_of(tmp_path, mutated(mutation, start=joint_use_register())).routes.provisions["V1"]
    assert route.failed_by == failed_by
    assert (route.record_type, route.reason) == (("consent", None) if failed_by else (None, "art27_5"))


def test_route_fails_even_when_findings_are_capped(tmp_path):
    # 150 bad events of provision V2 come after 150 of V1: only 100 are listed, both fail.
    reg = joint_use_register()
    reg["joint_uses"][0]["notified_on"] = "2026-12-01"
    reg["provisions"].append({**reg["provisions"][0], "provision_id": "V2"})
    reg["provision_log"] = [
        {"event_id": f"E{v}{n:03}", "provision_id": v, "provided_on": "2026-04-01", "principal_ids": ["A1"]}
        for v in ("V1", "V2") for n in range(150)
    ]
    a = analysis_of(tmp_path, reg, as_of=dt.date(2026, 11, 21))
    listed = [f for f in a.report.findings if f.rule == "JNT-002" and f.record]
    assert len(listed) == 100 and a.report.suppressed >= 200
    assert a.routes.provisions["V2"].failed_by == ("JNT-002",)
    assert a.routes.provisions["V2"].record_type == "consent"
