"""Data held for a client (受託, joint-use.md §1.4): the return (step 0r), re-entrustment,
ENT-007…ENT-009, the rules that no longer apply to a return, and REF-004 / REF-002 on the new
columns."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from register.facts import clients

from .joint_use_support import analyse, exempt, keys_of, record_events, trustee_register


def _sub(reg, approved=None, **contract):
    """Re-entrust DH to P1 under contract CS (the client's approval on `approved`)."""
    reg["contractors"] = [{
        "contract_id": "CS", "party_id": "P1", "task": "受託業務の一部（再委託）",
        "item_ids": ["I1", "I2"], "contract_on": "2026-01-01", "security_terms": True,
        "last_audit_on": "2026-06-01", "subcontracting": "none", **contract,
    }]
    if approved:
        reg["contractors"][0]["client_approved_on"] = approved
    reg["provisions"].append({"provision_id": "VS", "party_id": "P1", "basis": "entrustment",
                              "item_ids": ["I1", "I2"], "dataset_id": "DH", "contract_id": "CS"})
    reg["provision_log"].append({"event_id": "ES", "provision_id": "VS", "provided_on": "2026-03-01"})
    return reg


# --- the return ------------------------------------------------------------------------------


def test_a_return_needs_no_record_and_no_contract(tmp_path):
    a = analyse(tmp_path, trustee_register())
    assert exempt(a)[("provision", "VR")] == "return_to_entrustor"
    # the data came from the client under the entrustment: no confirmation record
    assert exempt(a)[("receipt", "R1")] == "art27_5"
    assert keys_of(a, "ENT-001", "ENT-004", "ENT-005", "ENT-007", "ENT-008", "ENT-009") == set()
    assert {f.severity.value for f in a.report.findings} <= {"warning", "info"}
    assert "VR" not in record_events(a)


def test_a_return_ignores_its_contract(tmp_path):
    # the old workaround: a contract naming the client as our contractor, outside its period
    reg = trustee_register()
    reg["contractors"] = [{"contract_id": "CF", "party_id": "PC", "task": "返還用", "item_ids": ["I1"],
                           "contract_on": "2026-06-01"}]
    reg["provisions"][-1]["contract_id"] = "CF"
    a = analyse(tmp_path, reg)
    # no ENT-004 (items), ENT-005 (before contract_on), and the client is never audited (ENT-003)
    assert keys_of(a, "ENT-001", "ENT-002", "ENT-003", "ENT-004", "ENT-005", "ENT-006") == set()
    assert exempt(a)[("provision", "VR")] == "return_to_entrustor"


def test_our_own_data_added_to_a_return_fails_it(tmp_path):
    # PRV-006: I3 is not held in DH (Q&A 7-42): the return is an entrustment whose route failed
    reg = trustee_register()
    reg["data_items"].append({"item_id": "I3", "name": "電話番号", "legal_class": "personal"})
    reg["provisions"][-1]["item_ids"] = ["I1", "I3"]
    a = analyse(tmp_path, reg)
    assert keys_of(a, "PRV-006") == {("PRV-006", "provisions", "VR", "item_ids")}
    route = a.routes.provisions["VR"]
    assert (route.record_type, route.failed_by) == ("consent", ("PRV-006",))
    assert record_events(a) == {"V1": {"E1"}, "VR": {"ER"}}


def test_a_return_to_a_client_abroad_fails_by_xb001(tmp_path):
    reg = trustee_register()
    reg["parties"][-1]["country"] = "US"
    a = analyse(tmp_path, reg)
    assert ("XB-001", "provisions", "VR", "basis") in keys_of(a, "XB-001")
    assert a.routes.provisions["VR"].record_type == "consent"


def test_prv006_on_an_ordinary_entrustment_does_not_fail_its_route(tmp_path):
    reg = _sub(trustee_register(), approved="2025-12-01")
    reg["data_items"].append({"item_id": "I3", "name": "電話番号", "legal_class": "personal"})
    reg["contractors"][0]["item_ids"].append("I3")
    reg["provisions"][-1]["item_ids"] = ["I1", "I3"]
    a = analyse(tmp_path, reg)
    assert ("PRV-006", "provisions", "VS", "item_ids") in keys_of(a, "PRV-006")
    assert exempt(a)[("provision", "VS")] == "art27_5"


# --- re-entrustment (ENT-009) ----------------------------------------------------------------


@pytest.mark.parametrize(("approved", "expected"), [
    (None, {("ENT-009", "provisions", "VS", "contract_id")}),
    ("2026-03-02", {("ENT-009", "provisions", "VS", "contract_id")}),  # after the first event
    ("2026-03-01", set()),
    ("2025-12-01", set()),
])
def test_ent009_client_approval(tmp_path, approved, expected):
    a = analyse(tmp_path, _sub(trustee_register(), approved))
    assert keys_of(a, "ENT-009") == expected
    # a warning: the re-entrustment is still an entrustment (GL 3-4-4, joint-use.md §7 item 8)
    assert exempt(a)[("provision", "VS")] == "art27_5"


def test_ent009_messages(tmp_path):
    a = analyse(tmp_path, _sub(trustee_register(), "2026-03-02"))
    f = next(f for f in a.report.findings if f.rule == "ENT-009")
    assert "2026-03-01" in f.message("ja") and "2026-03-02" in f.message("ja")


def test_a_reentrustment_is_supervised_like_any_contract(tmp_path):
    a = analyse(tmp_path, _sub(trustee_register(), "2025-12-01", item_ids=["I1"]))
    assert keys_of(a, "ENT-004") == {("ENT-004", "provisions", "VS", "item_ids")}
    assert a.routes.provisions["VS"].record_type == "consent"


def test_client_approved_on_without_held_data_is_ignored(tmp_path):
    from .law_helpers import entrustment_register

    reg = entrustment_register()
    reg["contractors"][0]["client_approved_on"] = "2030-01-01"
    a = analyse(tmp_path, reg)
    assert keys_of(a, "ENT-009") == set()


# --- ENT-007: whose purpose -------------------------------------------------------------------


@pytest.mark.parametrize(("dataset", "purposes", "expected"), [
    ("DH", ["UC", "U1"], {("ENT-007", "datasets", "DH", "purpose_ids")}),  # client data, our purpose
    ("D1", ["U1", "UC"], {("ENT-007", "datasets", "D1", "purpose_ids")}),  # our data, client purpose
    ("DH", ["UC"], set()),
    ("D1", ["U1"], set()),
])
def test_ent007(tmp_path, dataset, purposes, expected):
    reg = trustee_register()
    next(d for d in reg["datasets"] if d["dataset_id"] == dataset)["purpose_ids"] = purposes
    a = analyse(tmp_path, reg)
    assert keys_of(a, "ENT-007") == expected


def test_ent007_another_clients_purpose_one_finding_per_purpose(tmp_path):
    reg = trustee_register()
    reg["parties"].append({**reg["parties"][-1], "party_id": "PC2", "name": "株式会社別委託元"})
    reg["purposes"] += [
        {"purpose_id": "UC2", "description": "別の委託元の業務", "client_party_id": "PC2"},
        {"purpose_id": "UC3", "description": "別の委託元の業務その2", "client_party_id": "PC2"},
    ]
    reg["datasets"][-1]["purpose_ids"] = ["UC", "UC2", "UC3"]
    a = analyse(tmp_path, reg)
    found = [f for f in a.report.findings if f.rule == "ENT-007"]
    assert len(found) == 2
    assert {f.params["purpose"] for f in found} == {"UC2", "UC3"}
    assert all(f.params["case"] == "client_data_other_client" for f in found)


# --- ENT-008: a client's data given out as ours -----------------------------------------------


@pytest.mark.parametrize(("basis", "extra", "fails"), [
    ("consent", {"consent": True}, False),
    ("opt_out", {"optout_notified_on": "2025-01-01"}, False),
    ("joint_use", {"joint_use_id": "JH"}, True),
])
def test_ent008(tmp_path, basis, extra, fails):
    reg = trustee_register()
    reg["purposes"][-1]["third_party_provision"] = True
    reg["joint_uses"] = [{"joint_use_id": "JH", "notified_on": "2020-01-01", "item_ids": ["I1", "I2"],
                          "users_scope": "当社及び株式会社パートナー", "purpose_ids": ["U1"],
                          "manager_party_id": "self", "user_party_ids": ["self", "P1"]}]
    reg["provisions"].append({"provision_id": "VG", "party_id": "P1", "basis": basis,
                              "item_ids": ["I1", "I2"], "dataset_id": "DH", **extra})
    reg["provision_log"].append({"event_id": "EG", "provision_id": "VG", "provided_on": "2026-05-01",
                                 "principal_ids": ["C9"]})
    a = analyse(tmp_path, reg)
    assert keys_of(a, "ENT-008") == {("ENT-008", "provisions", "VG", "basis")}
    route = a.routes.provisions["VG"]
    assert ("ENT-008" in route.failed_by) is fails
    # the law requires the record of a provision that happened, whatever its defect
    assert "VG" in record_events(a)


@pytest.mark.parametrize("basis", ["law", "vital", "on_behalf", "succession"])
def test_no_ent008_for_the_other_bases(tmp_path, basis):
    reg = trustee_register()
    reg["provisions"].append({"provision_id": "VG", "party_id": "P1", "basis": basis,
                              "item_ids": ["I1", "I2"], "dataset_id": "DH"})
    a = analyse(tmp_path, reg)
    assert keys_of(a, "ENT-008") == set()


# --- the new columns: self and unknown IDs ------------------------------------------------------


def test_self_as_the_client_is_ref004_and_makes_no_held_data(tmp_path):
    reg = trustee_register()
    reg["datasets"][-1]["held_for_party_id"] = "self"
    reg["purposes"][-1]["client_party_id"] = "self"
    a = analyse(tmp_path, reg)
    assert keys_of(a, "REF-004") == {("REF-004", "datasets", "DH", "held_for_party_id"),
                                     ("REF-004", "purposes", "UC", "client_party_id")}
    assert keys_of(a, "SCH-003") == set()
    assert clients.held_data(a.register).datasets == {}
    # the flow back to PC is then an ordinary entrustment without a contract
    assert ("ENT-001", "provisions", "VR", "contract_id") in keys_of(a, "ENT-001")
    f = next(f for f in a.report.findings if f.rule == "REF-004")
    assert "委託元" in f.message("ja")


def test_an_unknown_client_is_ref002_and_makes_no_held_data(tmp_path):
    reg = trustee_register()
    reg["datasets"][-1]["held_for_party_id"] = "PZ"
    a = analyse(tmp_path, reg)
    assert ("REF-002", "datasets", "DH", "held_for_party_id") in keys_of(a, "REF-002")
    assert a.routes.provisions["VR"].reason != "return_to_entrustor"


# --- a law over all inputs -------------------------------------------------------------------


@given(
    basis=st.sampled_from(["consent", "opt_out", "entrustment", "joint_use", "law", "on_behalf", "succession"]),
    to_client=st.booleans(),
    held=st.booleans(),
)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_a_flow_is_a_return_exactly_when_it_is_an_entrustment_of_held_data_to_its_client(
        tmp_path, basis, to_client, held):
    reg = trustee_register()
    if not held:
        del reg["datasets"][-1]["held_for_party_id"]
    p = reg["provisions"][-1]
    p.update(basis=basis, party_id="PC" if to_client else "P1", consent=True,
             optout_notified_on="2025-01-01")
    a = analyse(tmp_path, reg, name=f"{basis}-{to_client}-{held}.json")
    is_return = basis == "entrustment" and to_client and held
    assert (a.routes.provisions["VR"].reason == "return_to_entrustor") is is_return
    assert ("VR" in clients.returns(a.register)) is is_return
    # ENT-008 exactly for held data given out by consent, opt-out or joint use
    ent008 = ("ENT-008", "provisions", "VR", "basis") in keys_of(a, "ENT-008")
    assert ent008 is (held and basis in ("consent", "opt_out", "joint_use"))


def test_as_of_does_not_change_what_is_held(tmp_path):
    a = analyse(tmp_path, trustee_register(), as_of=dt.date(2020, 1, 1))
    assert exempt(a)[("provision", "VR")] == "return_to_entrustor"
