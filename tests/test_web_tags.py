"""Web tags: the external-transmission notice (TBA Art 27-12), its exemptions, whose act a tag
is under the APPI, and what `register records` lists for it (web.md §4, §5, §7, §9, §10)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import run_cli, write_json
from .web_support import analysis_of, keys_of, rows, web_register


def _tag(reg, **values):
    rows(reg, "tags", "tag_id", "T1").update(values)
    return reg


def _service(reg, sid="S1", **values):
    rows(reg, "services", "service_id", sid).update(values)
    return reg


def _notice(tmp_path, reg, as_of=dt.date(2026, 11, 21)):
    from register.facts import tags
    from register.load import load

    return {k: f.notice for k, f in tags.tag_facts(load(write_json(tmp_path, reg)), as_of).items()}


def test_the_base_web_register_has_no_web_finding(tmp_path):
    assert keys_of(tmp_path, web_register()) == set()
    assert _notice(tmp_path, web_register()) == {"T1": "required"}


# --- EXT-001: the notice in time -------------------------------------------------------------

T1_SERVICES = ("EXT-001", "tags", "T1", "service_ids")


@pytest.mark.parametrize(("service", "tag", "fires"), [
    ({"notice_on": None}, {}, True),  # never published
    ({"notice_on": "2026-12-01"}, {}, True),  # after the as-of date
    ({"notice_on": "2023-06-16"}, {}, False),  # the day the rule took effect
    ({"notice_on": "2023-06-17"}, {}, True),  # tag placed 2022: due on 2023-06-16
    ({"notice_on": "2024-05-01"}, {"added_on": "2024-05-01"}, False),  # published the same day
    ({"notice_on": "2024-05-02"}, {"added_on": "2024-05-01"}, True),  # a day after the tag
    ({"notice_on": "2024-05-02"}, {"added_on": None}, False),  # no date to be late against
    ({"notice_on": None}, {"exemption": "consent"}, False),  # exempt: no notice due
    ({"notice_on": None}, {"exemption": "opt_out", "opt_out_url": "https://x.example/o"}, True),
    ({"notice_on": None}, {"removed_on": "2026-01-01"}, False),  # not live
    ({"notice_on": "not a date"}, {}, False),  # SCH-003's: silent
])
def test_ext_001(tmp_path, service, tag, fires):
    reg = _tag(_service(web_register(), **service), **tag)
    for table, key, row in (("services", "service_id", "S1"), ("tags", "tag_id", "T1")):
        r = rows(reg, table, key, row)
        for k in [k for k, v in r.items() if v is None]:
            del r[k]
    assert (T1_SERVICES in keys_of(tmp_path, reg, "EXT-001")) is fires


def test_ext_001_only_on_covered_services(tmp_path):
    reg = _tag(_service(web_register(), notice_on=None), service_ids=["S2"])
    rows(reg, "services", "service_id", "S1").pop("notice_on")
    assert keys_of(tmp_path, reg, "EXT-001") == set()
    assert _notice(tmp_path, reg) == {"T1": "not_covered"}


# --- EXT-002, EXT-003, EXT-004, EXT-007 -----------------------------------------------------


def test_ext_002_names_each_empty_purpose(tmp_path):
    reg = web_register()
    for k in ("purpose_ours", "purpose_recipient"):
        rows(reg, "tags", "tag_id", "T1").pop(k)
    assert keys_of(tmp_path, reg, "EXT-002") == {
        ("EXT-002", "tags", "T1", "purpose_ours"), ("EXT-002", "tags", "T1", "purpose_recipient")}
    _tag(reg, exemption="necessary")  # exempt: the notice is not needed
    assert keys_of(tmp_path, reg, "EXT-002") == set()


@pytest.mark.parametrize(("tag", "fires", "notice"), [
    ({"exemption": "first_party_id"}, True, "required"),  # to a vendor: (ii) cannot hold
    ({"exemption": "first_party_id", "recipient_party_id": "self"}, False, "exempt"),
    ({"exemption": "opt_out"}, True, "required"),  # no opt-out method given
    ({"exemption": "opt_out", "opt_out_url": "https://x.example/optout"}, False, "required"),
    ({"exemption": "necessary"}, False, "exempt"),
    ({"exemption": "consent"}, False, "exempt"),
    ({"exemption": "first_party_id", "service_ids": ["S2"]}, False, "not_covered"),
])
def test_ext_003_and_the_notice_status(tmp_path, tag, fires, notice):
    reg = _tag(web_register(), **tag)
    assert (("EXT-003", "tags", "T1", "exemption") in keys_of(tmp_path, reg, "EXT-003")) is fires
    assert _notice(tmp_path, reg) == {"T1": notice}


def test_ext_004_on_an_undecided_service_with_a_live_tag(tmp_path):
    reg = _service(web_register(), "S2", category="unknown")
    assert keys_of(tmp_path, reg, "EXT-004") == {("EXT-004", "services", "S2", "category")}
    assert _notice(tmp_path, reg) == {"T1": "required"}  # S1 is covered
    _tag(reg, service_ids=["S2"])
    assert _notice(tmp_path, reg) == {"T1": "unknown"}
    _tag(reg, removed_on="2025-01-01")
    assert keys_of(tmp_path, reg, "EXT-004") == set()  # no live tag on it
    assert _notice(tmp_path, reg) == {"T1": "not_live"}


def test_invalid_category_is_unknown_without_ext_004(tmp_path):
    reg = _tag(_service(web_register(), "S2", category="corporate"), service_ids=["S2"])
    assert ("SCH-004", "services", "S2", "category") in keys_of(tmp_path, reg, "SCH-004")
    assert keys_of(tmp_path, reg, "EXT-004") == set()
    assert _notice(tmp_path, reg) == {"T1": "unknown"}


def test_invalid_exemption_is_treated_as_none(tmp_path):
    reg = _tag(web_register(), exemption="cookie_banner")
    assert ("SCH-004", "tags", "T1", "exemption") in keys_of(tmp_path, reg, "SCH-004")
    assert _notice(tmp_path, reg) == {"T1": "required"}


def test_removed_before_added_is_live_on_no_day(tmp_path):
    reg = _tag(web_register(), added_on="2025-01-01", removed_on="2024-01-01")
    assert _notice(tmp_path, reg) == {"T1": "not_live"}
    assert keys_of(tmp_path, reg) == set()


def test_ext_007_personal_items_through_a_tag_without_a_provision(tmp_path):
    reg = _tag(web_register(), item_ids=["IC", "I2"])
    assert keys_of(tmp_path, reg, "EXT-007") == {("EXT-007", "tags", "T1", "item_ids")}
    _tag(reg, recipient_party_id="self")
    assert keys_of(tmp_path, reg, "EXT-007") == set()
    _tag(reg, recipient_party_id="PV", provision_id="V1")
    assert keys_of(tmp_path, reg, "EXT-007") == set()


# --- references ------------------------------------------------------------------------------


def test_references_of_tags(tmp_path):
    reg = _tag(web_register(), service_ids=["S1", "S9"], recipient_party_id="self",
               provision_id="V9", item_ids=["IC", "I9"])
    found = keys_of(tmp_path, reg, "REF-002", "REF-004")
    assert found == {("REF-002", "tags", "T1", "service_ids"), ("REF-002", "tags", "T1", "provision_id"),
                     ("REF-002", "tags", "T1", "item_ids")}
    # a party only a tag names is used (REF-003 counts tags); IM is named by nothing
    reg = web_register()
    assert keys_of(tmp_path, reg, "REF-003") == {("REF-003", "data_items", "IM", None)}
    # self is valid only as a tag's recipient, not as a provision's
    rows(reg, "provisions", "provision_id", "V1")["party_id"] = "self"
    assert ("REF-004", "provisions", "V1", "party_id") in keys_of(tmp_path, reg, "REF-004")


# --- exempt_flows: direct collection, and a tag through which we provide ----------------------


def _exempt(tmp_path, reg) -> list[dict]:
    out = tmp_path / "out"
    res = run_cli("records", str(write_json(tmp_path, reg)), "--out", str(out), "--format", "json",
                  "--as-of", "2026-11-21")
    assert res.exit_code in (0,), res.output
    return json.loads((out / "records.json").read_bytes())["exempt_flows"]


def test_a_tag_without_provision_is_direct_collection(tmp_path):
    reg = web_register()
    reg["tags"].append({"tag_id": "T0", "service_ids": ["S2"], "module_name": "旧タグ",
                        "recipient_party_id": "self", "item_ids": ["IC"],
                        "added_on": "2020-01-01", "removed_on": "2021-01-01"})
    reg["receipts"] = [{"receipt_id": "R1", "party_id": "P1", "basis": "law",
                        "received_on": "2026-01-05", "item_ids": ["I1"]}]
    flows = _exempt(tmp_path, reg)
    # provisions, receipts, tags — each in table order; every tag without provision, live or not
    assert [f["flow"] for f in flows] == ["receipt", "tag", "tag"]
    assert flows[1:] == [
        {"flow": "tag", "flow_id": "T1", "party_id": "PV", "basis": None, "reason": "direct_collection"},
        {"flow": "tag", "flow_id": "T0", "party_id": "self", "basis": None, "reason": "direct_collection"},
    ]


def test_a_tag_through_which_we_provide_is_classified_by_its_provision(tmp_path):
    # "nothing about a tag needs a fake provision": the provision is the real one, basis none
    reg = web_register()
    p = rows(reg, "provisions", "provision_id", "V1")
    p.update(party_id="PV", basis="none", dataset_id="D2", item_ids=["IB"], linkage_expected=False)
    p.pop("consent")
    _tag(reg, provision_id="V1", item_ids=["IB"])
    flows = _exempt(tmp_path, reg)
    assert flows == [{"flow": "provision", "flow_id": "V1", "party_id": "PV", "basis": "none",
                      "reason": "not_personal_data"}]
    assert keys_of(tmp_path, reg, "EXT-005", "EXT-007", "XB-002", "PRV-001") == set()
    # linked at the vendor: a person-related record and PRI-001's confirmation
    p.update(linkage_expected=True)
    a = analysis_of(tmp_path, reg)
    assert a.routes.provisions["V1"].record_type == "person_related"
    assert ("PRI-001", "provisions", "V1", "consent_confirmed_on") in keys_of(tmp_path, reg, "PRI-001")


def test_a_tag_naming_no_provision_is_unresolved(tmp_path):
    reg = _tag(web_register(), provision_id="V9")
    flows = _exempt(tmp_path, reg)
    assert {"flow": "tag", "flow_id": "T1", "party_id": "PV", "basis": None,
            "reason": "unresolved"} in flows


tags_strategy = st.lists(
    st.fixed_dictionaries({
        "linked": st.booleans(),
        "removed": st.booleans(),
        "to_self": st.booleans(),
        "exemption": st.sampled_from(["none", "necessary", "first_party_id", "consent", "opt_out"]),
    }), min_size=1, max_size=6)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tags=tags_strategy)
def test_exempt_tag_rows_are_exactly_the_tags_without_provision(tmp_path_factory, tags):
    tmp_path = tmp_path_factory.mktemp("tags")
    reg = web_register()
    reg["tags"] = [
        {"tag_id": f"T{n}", "service_ids": ["S1"], "module_name": f"タグ{n}",
         "recipient_party_id": "self" if t["to_self"] else "PV", "item_ids": ["IB"],
         "exemption": t["exemption"], "added_on": "2023-01-01",
         **({"provision_id": "V1"} if t["linked"] else {}),
         **({"removed_on": "2024-01-01"} if t["removed"] else {})}
        for n, t in enumerate(tags)
    ]
    flows = [f for f in _exempt(tmp_path, reg) if f["flow"] == "tag"]
    assert [f["flow_id"] for f in flows] == [f"T{n}" for n, t in enumerate(tags) if not t["linked"]]
    assert all(f["reason"] == "direct_collection" and f["basis"] is None for f in flows)
