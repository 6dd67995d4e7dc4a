"""Pseudonymised, anonymised and statistical data (APPI Art 41–44; web.md §6, §7), and basis
`none` on a flow that carries personal data (EXT-005)."""

from __future__ import annotations

import pytest

from .web_support import analysis_of, keys_of, rows, web_register


def _dataset(reg, processing, items=("I1", "IB"), **extra):
    reg["datasets"].append({"dataset_id": "D3", "name": "加工データ", "subjects": "顧客",
                            "item_ids": list(items), "purpose_ids": ["U1"],
                            "source": "generated", "processing": processing, **extra})
    return reg


def _provide(reg, **values):
    p = {"provision_id": "V3", "party_id": "P1", "basis": "none", "item_ids": ["I1"],
         "dataset_id": "D3"}
    p.update(values)
    reg["provisions"].append(p)
    reg.setdefault("provision_log", []).append(
        {"event_id": "E3", "provision_id": "V3", "provided_on": "2026-04-01", "principal_ids": ["A1"]})
    return reg


# --- ANO-001 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("basis", "fires"), [
    ("law", False), ("entrustment", False), ("succession", False), ("joint_use", False),
    ("consent", True), ("opt_out", True), ("vital", True), ("academic", True),
    ("on_behalf", True), ("none", True),
])
def test_ano_001_bases_of_a_pseudonymised_provision(tmp_path, basis, fires):
    reg = _provide(_dataset(web_register(), "pseudonymised"), basis=basis, consent=True)
    assert (("ANO-001", "provisions", "V3", "basis") in keys_of(tmp_path, reg, "ANO-001")) is fires
    # it is still a provision of personal data: an unlawful one keeps its record
    route = analysis_of(tmp_path, reg).routes.provisions["V3"]
    if fires:
        assert route.record_type in ("consent", "opt_out")


# --- ANO-002 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("extra", "fires"), [
    ({}, True),
    ({"anonymised_published_on": "2025-04-01"}, False),
    ({"source": "third_party"}, False),  # received: Art 44 has no creation duty
    ({"held_for_party_id": "P1"}, False),  # created for a client, who publishes
    ({"anonymised_published_on": "2025-02-30"}, False),  # SCH-003's
])
def test_ano_002_publication_on_creation(tmp_path, extra, fires):
    reg = _dataset(web_register(), "anonymised", **extra)
    assert (("ANO-002", "datasets", "D3", "anonymised_published_on")
            in keys_of(tmp_path, reg, "ANO-002")) is fires


def test_ano_002_not_for_other_processing(tmp_path):
    assert keys_of(tmp_path, _dataset(web_register(), "statistics"), "ANO-002") == set()


# --- ANO-003 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("published", "notice", "expected"), [
    ("2025-01-01", True, set()),
    ("2025-01-01", None, {("ANO-003", "provisions", "V3", "anonymised_notice")}),
    ("2025-01-01", False, {("ANO-003", "provisions", "V3", "anonymised_notice")}),
    (None, True, {("ANO-003", "provisions", "V3", "dataset_id")}),
    ("2026-04-02", True, {("ANO-003", "provisions", "V3", "dataset_id")}),  # after the event
    ("2026-04-01", True, set()),
])
def test_ano_003_notice_before_provision(tmp_path, published, notice, expected):
    extra = {"anonymised_published_on": published} if published else {}
    reg = _dataset(web_register(), "anonymised", **extra)
    _provide(reg, **({"anonymised_notice": notice} if notice is not None else {}))
    assert keys_of(tmp_path, reg, "ANO-003") == expected
    a = analysis_of(tmp_path, reg)
    assert a.routes.provisions["V3"].exempt_reason == "not_personal_information"


# --- ANO-004 ---------------------------------------------------------------------------------


def test_ano_004_what_processing_must_delete(tmp_path):
    reg = web_register()
    rows(reg, "data_items", "item_id", "I2")["financial_risk"] = True
    _dataset(reg, "pseudonymised", items=("I1", "I2", "IM"))
    assert keys_of(tmp_path, reg, "ANO-004") == {("ANO-004", "datasets", "D3", "item_ids")}
    rows(reg, "datasets", "dataset_id", "D3")["processing"] = "anonymised"
    rows(reg, "datasets", "dataset_id", "D3")["anonymised_published_on"] = "2025-01-01"
    assert keys_of(tmp_path, reg, "ANO-004") == {("ANO-004", "datasets", "D3", "item_ids")}
    rows(reg, "datasets", "dataset_id", "D3")["item_ids"] = ["I1", "I2"]  # financial risk only
    assert keys_of(tmp_path, reg, "ANO-004") == set()  # anonymisation: no such duty here
    rows(reg, "datasets", "dataset_id", "D3")["processing"] = "none"
    assert keys_of(tmp_path, reg, "ANO-004") == set()


# --- EXT-005 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("processing", "held", "items", "fires"), [
    ("none", ("I1", "IB"), ["I1"], True),
    ("none", ("I1", "IB"), ["IB"], True),  # beside a name the history is personal data
    ("none", ("IB",), ["IB"], False),  # person-related only: basis none is the right route
    ("pseudonymised", ("I1", "IB"), ["I1"], False),  # ANO-001's
    ("anonymised", ("I1", "IB"), ["I1"], False),
    ("statistics", ("I1", "IB"), ["I1"], False),
])
def test_ext_005_basis_none_on_personal_data(tmp_path, processing, held, items, fires):
    reg = _provide(_dataset(web_register(), processing, held, anonymised_published_on="2025-01-01"),
                   item_ids=items, anonymised_notice=True)
    assert (("EXT-005", "provisions", "V3", "basis") in keys_of(tmp_path, reg, "EXT-005")) is fires


def test_basis_none_is_valid_input_now(tmp_path):
    reg = _provide(_dataset(web_register(), "statistics"))
    assert keys_of(tmp_path, reg, "SCH-004") == set()


def test_invalid_processing_is_treated_as_none(tmp_path):
    reg = _provide(_dataset(web_register(), "masked"))
    found = keys_of(tmp_path, reg, "SCH-004", "EXT-005")
    assert found == {("SCH-004", "datasets", "D3", "processing"), ("EXT-005", "provisions", "V3", "basis")}
    assert analysis_of(tmp_path, reg).routes.provisions["V3"].record_type == "consent"
