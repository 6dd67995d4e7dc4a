"""The class of an item in its context, and the route classifier that reads it (web.md §2, §8)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .web_support import analysis_of, keys_of, rows, web_register

settings.register_profile("web", deadline=None, max_examples=40,
                          suppress_health_check=[HealthCheck.function_scoped_fixture])
settings.load_profile("web")


def _provision(reg, **values):
    p = rows(reg, "provisions", "provision_id", "V1")
    p.update(values)
    return reg


def _route(tmp_path, reg, pid="V1"):
    r = analysis_of(tmp_path, reg).routes.provisions[pid]
    return (r.record_type, r.exempt_reason)


# --- the class of an item in a dataset ------------------------------------------------------


def test_a_cookie_beside_names_is_personal_in_that_dataset(tmp_path):
    from register.facts import context
    from register.load import load

    from .conftest import write_json

    reg = load(write_json(tmp_path, web_register()))
    classes = context.dataset_classes(reg)
    assert classes["D1"]["IC"] == "personal"
    assert classes["D2"]["IC"] == "person_related"
    assert classes["D2"]["IB"] == "person_related"
    # without a dataset, a person-related item that some dataset holds with a name is personal
    assert context.class_in(reg, "IC", None) == "personal"
    assert context.class_in(reg, "IB", None) == "person_related"
    assert context.linked_items(reg) == {"IC": ("D1",)}


def test_cookie_only_provision_from_the_member_database_is_personal_data(tmp_path):
    # web.md §11 G5: today's not_personal_data becomes a provision of personal data
    reg = _provision(web_register(), item_ids=["IC"], linkage_expected=False)
    assert _route(tmp_path, reg) == ("consent", None)
    assert keys_of(tmp_path, reg, "PRI-001") == set()


def test_the_same_cookie_from_the_web_log_is_person_related(tmp_path):
    reg = _provision(web_register(), item_ids=["IC", "IB"], dataset_id="D2", basis="none")
    del reg["provisions"][0]["consent"]
    assert _route(tmp_path, reg) == (None, "not_personal_data")
    # ... and since the member database holds the cookie, EXT-006 asks to look (no route change)
    assert keys_of(tmp_path, reg) == {("EXT-006", "provisions", "V1", "item_ids")}


def test_linked_person_related_provision_needs_a_person_related_record(tmp_path):
    reg = _provision(web_register(), item_ids=["IB"], dataset_id="D2", basis="none",
                     linkage_expected=True, consent_confirmed_on="2026-01-01")
    assert _route(tmp_path, reg) == ("person_related", None)
    assert keys_of(tmp_path, reg, "EXT-005", "PRI-001") == set()


def test_without_a_dataset_the_linked_cookie_is_personal(tmp_path):
    reg = _provision(web_register(), item_ids=["IC"], linkage_expected=False)
    del reg["provisions"][0]["dataset_id"]
    assert _route(tmp_path, reg) == ("consent", None)
    reg = _provision(web_register(), item_ids=["IB"], linkage_expected=False)
    del reg["provisions"][0]["dataset_id"]
    assert _route(tmp_path, reg) == (None, "not_personal_data")


def test_an_item_the_dataset_does_not_hold_keeps_its_own_class(tmp_path):
    reg = _provision(web_register(), item_ids=["IB"], linkage_expected=False)  # D1 lacks IB
    assert _route(tmp_path, reg) == (None, "not_personal_data")
    assert ("PRV-006", "provisions", "V1", "item_ids") not in keys_of(tmp_path, reg, "PRV-006")


# --- processed datasets ---------------------------------------------------------------------


def _processed(reg, processing, **extra):
    rows(reg, "datasets", "dataset_id", "D2").update(processing=processing, **extra)
    rows(reg, "datasets", "dataset_id", "D2")["item_ids"] = ["I1", "IC", "IB"]
    return reg


def test_pseudonymised_person_related_items_are_personal(tmp_path):
    reg = _processed(web_register(), "pseudonymised")
    _provision(reg, dataset_id="D2", item_ids=["IB"], basis="entrustment", contract_id=None)
    reg["provisions"][0].pop("consent")
    reg["provisions"][0].pop("contract_id")
    # entrustment of pseudonymised data: Art 41(6) allows it, the route holds
    assert _route(tmp_path, reg)[0] is None


@pytest.mark.parametrize(("basis", "route", "ano"), [
    ("law", (None, "art27_1"), False),
    ("joint_use", None, False),  # JNT-005 without joint_use_id: the route fails (consent)
    ("vital", ("consent", None), True),  # step 8
    ("on_behalf", ("consent", None), True),  # step 8
    ("consent", ("consent", None), True),
    ("opt_out", ("opt_out", None), True),
    ("none", ("consent", None), True),
])
def test_pseudonymised_provision_routes(tmp_path, basis, route, ano):
    reg = _processed(web_register(), "pseudonymised")
    _provision(reg, dataset_id="D2", item_ids=["I1", "IB"], basis=basis)
    if route is not None:
        assert _route(tmp_path, reg) == route
    found = keys_of(tmp_path, reg, "ANO-001", "EXT-005", "XB-001")
    assert (("ANO-001", "provisions", "V1", "basis") in found) is ano
    assert not any(k[0] in ("EXT-005", "XB-001") for k in found)


def test_pseudonymised_to_a_foreign_contractor_is_not_xb_001(tmp_path):
    reg = _processed(web_register(), "pseudonymised")
    reg["contractors"] = [{"contract_id": "C1", "party_id": "PV", "task": "分析",
                           "item_ids": ["I1", "IB"], "contract_on": "2020-01-01",
                           "security_terms": True, "last_audit_on": "2026-06-01",
                           "subcontracting": "none"}]
    _provision(reg, dataset_id="D2", item_ids=["I1", "IB"], basis="entrustment",
               contract_id="C1", party_id="PV")
    reg["provisions"][0].pop("consent")
    assert keys_of(tmp_path, reg, "XB-001") == set()
    assert _route(tmp_path, reg) == (None, "art27_5")


@pytest.mark.parametrize("processing", ["anonymised", "statistics"])
def test_anonymised_and_statistics_flows_are_not_personal_information(tmp_path, processing):
    reg = _processed(web_register(), processing, anonymised_published_on="2025-01-01")
    rows(reg, "data_items", "item_id", "I1")  # a name, aggregated or anonymised here
    _provision(reg, dataset_id="D2", item_ids=["I1", "IC"], basis="none", party_id="PV",
               anonymised_notice=True)
    assert _route(tmp_path, reg) == (None, "not_personal_information")
    found = keys_of(tmp_path, reg, "EXT-005", "XB-002", "PRV-001", "ENT-001", "PRV-009")
    assert found == set()


def test_special_care_in_statistics_needs_no_basis(tmp_path):
    reg = _processed(web_register(), "statistics")
    reg["data_items"].append({"item_id": "IS", "name": "病歴", "legal_class": "special_care"})
    rows(reg, "datasets", "dataset_id", "D2")["item_ids"].append("IS")
    assert keys_of(tmp_path, reg, "SEN-001") == set()
    rows(reg, "datasets", "dataset_id", "D2")["processing"] = "none"
    assert keys_of(tmp_path, reg, "SEN-001") == {("SEN-001", "datasets", "D2", "special_care_basis")}


# --- receipts -------------------------------------------------------------------------------


def _receipt(**values):
    r = {"receipt_id": "R1", "party_id": "P1", "basis": "none", "received_on": "2026-03-01",
         "item_ids": ["IB"], "dataset_id": "D2"}
    r.update(values)
    return r


def test_receipt_of_person_related_information_with_basis_none(tmp_path):
    reg = web_register()
    reg["receipts"] = [_receipt()]
    a = analysis_of(tmp_path, reg)
    assert a.routes.receipts["R1"].exempt_reason == "not_personal_data"
    reg["receipts"] = [_receipt(item_ids=["IC"], dataset_id="D1")]  # personal in D1
    a = analysis_of(tmp_path, reg)
    assert a.routes.receipts["R1"].record_type == "consent"
    assert keys_of(tmp_path, reg, "EXT-005") == {("EXT-005", "receipts", "R1", "basis")}


def test_receipt_into_statistics_needs_no_confirmation(tmp_path):
    reg = _processed(web_register(), "statistics")
    reg["receipts"] = [_receipt(item_ids=["I1"], basis="consent")]
    a = analysis_of(tmp_path, reg)
    assert a.routes.receipts["R1"].exempt_reason == "not_personal_information"
    assert keys_of(tmp_path, reg, "RCV-001", "RCV-002", "RCV-004") == set()


# --- scope of the existing rules (web.md §8, N1) --------------------------------------------


def test_xb_003_not_for_a_party_receiving_only_unlinked_person_related_information(tmp_path):
    reg = web_register()
    rows(reg, "parties", "party_id", "PV").update(foreign_safeguard="system")
    _provision(reg, party_id="PV", dataset_id="D2", item_ids=["IB"], basis="none",
               linkage_expected=False)
    assert keys_of(tmp_path, reg, "XB-003") == set()
    _provision(reg, linkage_expected=True, foreign_info_given=True,
               consent_confirmed_on="2026-01-01")
    assert keys_of(tmp_path, reg, "XB-003") == {("XB-003", "parties", "PV", "safeguard_checked_on")}


def test_ent_rules_only_where_personal_data_is_entrusted(tmp_path):
    reg = web_register()
    reg["contractors"] = [{"contract_id": "C1", "party_id": "P1", "task": "アクセス解析",
                           "item_ids": ["IB"], "subcontracting": "free"}]
    _provision(reg, basis="entrustment", contract_id="C1", dataset_id="D2", item_ids=["IB"])
    reg["provisions"][0].pop("consent")
    assert keys_of(tmp_path, reg, "ENT-001", "ENT-002", "ENT-003", "ENT-006") == set()
    rows(reg, "contractors", "contract_id", "C1")["item_ids"] = ["IB", "I1"]  # now personal data
    assert {k[0] for k in keys_of(tmp_path, reg, "ENT-001", "ENT-002", "ENT-003", "ENT-006")} \
        == {"ENT-001", "ENT-002", "ENT-003", "ENT-006"}


# --- laws that hold for all inputs ----------------------------------------------------------

BASES = ["consent", "opt_out", "law", "vital", "public_health", "public_agency", "academic",
         "entrustment", "succession", "joint_use", "on_behalf", "none"]
KINDS = ["corporation", "individual", "state_organ", "foreign_public_body"]
ITEMS = ["I1", "I2", "IC", "IB", "IM"]


@settings(max_examples=30)
@given(basis=st.sampled_from(BASES), kind=st.sampled_from(KINDS),
       country=st.sampled_from(["JP", "US", "DE"]),
       items=st.lists(st.sampled_from(ITEMS), min_size=1, max_size=4, unique=True),
       processing=st.sampled_from(["anonymised", "statistics"]),
       linkage=st.booleans())
def test_a_flow_of_only_anonymised_or_statistical_data_never_needs_a_record(
        tmp_path_factory, basis, kind, country, items, processing, linkage):
    tmp_path = tmp_path_factory.mktemp("npi")
    reg = _processed(web_register(), processing, anonymised_published_on="2025-01-01")
    rows(reg, "datasets", "dataset_id", "D2")["item_ids"] = list(ITEMS)
    rows(reg, "parties", "party_id", "P1").update(kind=kind, country="JP" if kind == "state_organ"
                                                  else country)
    _provision(reg, dataset_id="D2", item_ids=items, basis=basis, linkage_expected=linkage,
               anonymised_notice=True)
    a = analysis_of(tmp_path, reg)
    route = a.routes.provisions["V1"]
    assert route.record_type is None and route.exempt_reason == "not_personal_information"
    assert "V1" not in a.records.provision_outline["provision_id"].to_list()
    bad = {f.rule for f in a.report.findings
           if f.rule.split("-")[0] in ("PRV", "PRI", "XB", "ENT", "EXT") and f.table == "provisions"}
    assert bad == set()


@settings(max_examples=30)
@given(extra=st.lists(st.sampled_from(["I1", "I2", "IM"]), min_size=1, max_size=3, unique=True),
       basis=st.sampled_from(BASES), linkage=st.booleans())
def test_a_person_related_item_held_with_identifying_items_is_never_not_personal_data(
        tmp_path_factory, extra, basis, linkage):
    tmp_path = tmp_path_factory.mktemp("pr")
    reg = web_register()
    rows(reg, "datasets", "dataset_id", "D2")["item_ids"] = ["IB", *extra]
    _provision(reg, dataset_id="D2", item_ids=["IB"], basis=basis, linkage_expected=linkage)
    route = analysis_of(tmp_path, reg).routes.provisions["V1"]
    assert route.exempt_reason != "not_personal_data"
