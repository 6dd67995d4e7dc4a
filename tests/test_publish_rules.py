"""The PUB rules (publish.md §4) at their cells, the bad input of §5, and the gap list."""

from __future__ import annotations

import datetime as dt

import pytest

from .publish_support import document, pub_keys, publish_register


@pytest.fixture
def reg():
    return publish_register()


def test_the_publish_register_has_no_pub_finding(tmp_path, reg):
    assert pub_keys(tmp_path, reg) == set()


def test_base_register_gains_pub_004_and_pub_001(tmp_path):
    """publish.md §6: a listed dataset and no measure → PUB-004; a consent provision from it
    with no third-party purpose → PUB-001."""
    from .conftest import base_register

    assert pub_keys(tmp_path, base_register()) == {
        ("PUB-004", "security_measures", None, None),
        ("PUB-001", "provisions", "V1", "dataset_id"),
    }


# --- PUB-001 ---------------------------------------------------------------------------------


def test_pub_001_only_for_personal_data_from_a_listed_dataset(tmp_path, reg):
    reg["purposes"][0]["third_party_provision"] = False
    assert pub_keys(tmp_path, reg) == {("PUB-001", "provisions", "V1", "dataset_id")}
    reg["datasets"][0]["retained"] = False  # not our retained data: not listed
    assert pub_keys(tmp_path, reg, "PUB-001") == set()
    reg["datasets"][0]["retained"] = True
    reg["data_items"].append({"item_id": "IC", "name": "Cookie ID", "legal_class": "person_related"})
    reg["provisions"][0]["item_ids"] = ["IC"]  # person-related in a dataset with names: personal
    reg["datasets"][0]["item_ids"] = ["I1", "I2", "IC"]
    assert pub_keys(tmp_path, reg, "PUB-001") == {("PUB-001", "provisions", "V1", "dataset_id")}
    reg["provisions"][0]["basis"] = "entrustment"
    assert pub_keys(tmp_path, reg, "PUB-001") == set()


# --- PUB-002 ---------------------------------------------------------------------------------


def test_pub_002_and_changed_from_references(tmp_path, reg):
    reg["purposes"].append({"purpose_id": "U2", "description": "新サービスの提供", "changed_from": "U1"})
    assert pub_keys(tmp_path, reg) == {("PUB-002", "purposes", "U2", "published_on")}
    reg["purposes"][1]["published_on"] = "令和8年2月30日"  # SCH-003: one problem, one finding
    assert pub_keys(tmp_path, reg, "PUB-002", "SCH-003") == {
        ("SCH-003", "purposes", "U2", "published_on")}
    reg["purposes"][1].update(published_on="2026-02-01", changed_from="U404")
    assert pub_keys(tmp_path, reg, "PUB-002", "REF-002") == {
        ("REF-002", "purposes", "U2", "changed_from")}


# --- PUB-003 ---------------------------------------------------------------------------------


def test_pub_003_per_source(tmp_path, reg):
    reg["organization"]["country"] = "シンガポール"
    reg["datasets"][0]["cloud_party_id"] = "CLOUD"
    reg["parties"].append({"party_id": "CLOUD", "name": "Cloud Inc.", "kind": "corporation",
                           "country": "US"})
    assert pub_keys(tmp_path, reg) == {
        ("PUB-003", "organization", None, "country"),
        ("PUB-003", "datasets", "D1", "cloud_party_id"),
    }
    reg["security_measures"].append({"measure_id": "SM-X", "category": "external_environment",
                                     "country": "US", "text": "米国の制度を把握しています。"})
    assert pub_keys(tmp_path, reg) == {("PUB-003", "organization", None, "country")}
    # a withheld measure names nothing
    reg["security_measures"][-1]["publish"] = False
    assert ("PUB-003", "datasets", "D1", "cloud_party_id") in pub_keys(tmp_path, reg)


def test_cloud_party_self_and_unknown_give_no_country(tmp_path, reg):
    reg["datasets"][0]["cloud_party_id"] = "self"
    assert pub_keys(tmp_path, reg, "REF-004", "PUB-003") == {
        ("REF-004", "datasets", "D1", "cloud_party_id")}
    reg["datasets"][0]["cloud_party_id"] = "NOPE"
    assert pub_keys(tmp_path, reg, "REF-002", "PUB-003") == {
        ("REF-002", "datasets", "D1", "cloud_party_id")}


def test_a_party_referenced_only_as_cloud_is_used(tmp_path, reg):
    reg["parties"].append({"party_id": "CLOUD", "name": "国内クラウド株式会社", "kind": "corporation",
                           "country": "JP"})
    assert ("REF-003", "parties", "CLOUD", None) in pub_keys(tmp_path, reg, "REF-003")
    reg["datasets"][0]["cloud_party_id"] = "CLOUD"
    assert pub_keys(tmp_path, reg, "REF-003") == set()


# --- PUB-004, PUB-005, PUB-006 ---------------------------------------------------------------


def test_pub_004_and_005(tmp_path, reg):
    measures = reg["security_measures"]
    reg["security_measures"] = []
    assert pub_keys(tmp_path, reg) == {("PUB-004", "security_measures", None, None)}
    reg["security_measures"] = [
        dict(measures[0]),
        dict(measures[1], publish="maybe"),  # SCH-003: withheld
        dict(measures[2], category="people"),  # SCH-004: not printed, counts for nothing
        dict(measures[3], text=None),  # SCH-002
        dict(measures[4]),
    ]
    assert pub_keys(tmp_path, reg) == {
        ("PUB-005", "security_measures", None, "category"),
    }
    found = pub_keys(tmp_path, reg, "PUB-005", "SCH-002", "SCH-003", "SCH-004")
    assert found == {("PUB-005", "security_measures", None, "category"),
                     ("SCH-003", "security_measures", "SM-2", "publish"),
                     ("SCH-004", "security_measures", "SM-3", "category"),
                     ("SCH-002", "security_measures", "SM-4", "text")}
    doc = document(tmp_path, reg, "ja")
    cats = [g["message"] for g in doc["gaps"] if g["rule"] == "PUB-005"]
    assert cats == ["安全管理措置：『組織的安全管理措置』の措置を公表していません。",
                    "安全管理措置：『人的安全管理措置』の措置を公表していません。",
                    "安全管理措置：『物理的安全管理措置』の措置を公表していません。"]
    # no retained data: neither
    reg["datasets"][0]["retained"] = False
    assert pub_keys(tmp_path, reg, "PUB-004", "PUB-005") == set()


def test_pub_006(tmp_path, reg):
    ext = {"category": "external_environment", "text": "外国の制度を把握しています。"}
    reg["security_measures"] += [
        dict(ext, measure_id="E1"), dict(ext, measure_id="E2", country="JP"),
        dict(ext, measure_id="E3", country="ZZ"),  # SCH-003, no PUB-006
        dict(ext, measure_id="E4", country="GB"),
    ]
    assert pub_keys(tmp_path, reg, "PUB-006", "SCH-003") == {
        ("PUB-006", "security_measures", "E1", "country"),
        ("PUB-006", "security_measures", "E2", "country"),
        ("SCH-003", "security_measures", "E3", "country"),
    }


def test_duplicate_measure_ids_are_ref_001_and_still_used(tmp_path, reg):
    reg["security_measures"][1]["measure_id"] = "SM-1"
    assert pub_keys(tmp_path, reg, "REF-001", "PUB-005") == {
        ("REF-001", "security_measures", "SM-1", "measure_id")}


# --- PUB-007 ---------------------------------------------------------------------------------


def test_pub_007_and_malformed_hashes(tmp_path, reg):
    reg["notice_versions"] = [
        {"notice_id": "N1", "kind": "public_matters", "published_on": "2026-01-01", "sha256": "0" * 64},
        {"notice_id": "N2", "kind": "joint_use", "published_on": "2026-01-01", "sha256": "xyz"},
        {"notice_id": "N3", "kind": "external_transmission", "published_on": "いつか",
         "sha256": "1" * 64},
    ]
    assert pub_keys(tmp_path, reg, "PUB-007", "SCH-003") == {
        ("PUB-007", "notice_versions", "N1", "sha256"),
        ("SCH-003", "notice_versions", "N2", "sha256"),  # treated as empty: no PUB-007
        ("SCH-003", "notice_versions", "N3", "published_on"),  # ignored
    }
    doc = document(tmp_path, reg, "ja")
    gap = next(g for g in doc["gaps"] if g["rule"] == "PUB-007")
    assert gap["message"].startswith("公表履歴 N1：2026-01-01に公表した『保有個人データに関する事項』のSHA-256は")
    assert doc["content_sha256"]["public_matters"] in gap["message"]
    # recording the current hash mends it
    reg["notice_versions"][0]["sha256"] = doc["content_sha256"]["public_matters"]
    assert pub_keys(tmp_path, reg, "PUB-007") == set()


# --- PUB-008 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("form", "notice", "fires"), [
    ("direct_written", None, True),
    ("direct_written", "notified", True),
    ("direct_written", "published", True),
    ("direct_written", "explicit", False),
    ("direct_written", "取得の状況から明らか", False),
    ("direct_written", "告知", False),  # SCH-004: not evaluated
    ("indirect", None, False),
    ("本人から直接取得（書面等以外）", "published", False),
])
def test_pub_008(tmp_path, reg, form, notice, fires):
    reg["datasets"][0].update(acquisition_form=form, purpose_notice=notice)
    want = {("PUB-008", "datasets", "D1", "purpose_notice")} if fires else set()
    assert pub_keys(tmp_path, reg, "PUB-008") == want


# --- PUB-009 … PUB-012 -----------------------------------------------------------------------


def test_organization_rules(tmp_path, reg):
    org = reg["organization"]
    org["agent_allowed"] = "×"
    assert pub_keys(tmp_path, reg) == {("PUB-009", "organization", None, "agent_allowed")}
    org["agent_allowed"] = "maybe"  # SCH-003: the default (true) applies
    assert pub_keys(tmp_path, reg) == set()
    org.pop("agent_allowed")
    org["disclosure_methods"] = "電磁的記録の提供;書留"  # SCH-004; the rest lacks paper
    assert pub_keys(tmp_path, reg, "PUB-010", "SCH-004") == {
        ("PUB-010", "organization", None, "disclosure_methods"),
        ("SCH-004", "organization", None, "disclosure_methods")}
    org["disclosure_methods"] = ["paper", "electronic", "other"]
    org["accredited_org"] = "一般財団法人サンプル協会"
    assert pub_keys(tmp_path, reg) == {("PUB-011", "organization", None, "accredited_org_contact")}
    org["privacy_mark"] = True
    org["accredited_org_contact"] = "苦情相談室 03-0000-0000"
    assert pub_keys(tmp_path, reg) == set()
    org.pop("accredited_org")
    assert pub_keys(tmp_path, reg) == {("PUB-011", "organization", None, "accredited_org"),
                                       ("PUB-012", "organization", None, "accredited_org")}


def test_unknown_request_method_is_dropped(tmp_path, reg):
    reg["organization"]["request_methods"] = "郵送、伝書鳩、web"
    assert pub_keys(tmp_path, reg, "SCH-004") == {("SCH-004", "organization", None, "request_methods")}
    assert document(tmp_path, reg)["sections"]["procedures"]["methods"] == ["post", "web"]


# --- the gap list ----------------------------------------------------------------------------


def test_gaps_are_pub_and_jnt_001_in_checks_order(tmp_path, reg):
    reg["security_measures"] = []
    reg["purposes"][0]["third_party_provision"] = False
    reg["joint_uses"] = [{"joint_use_id": "J1", "item_ids": ["I1"], "purpose_ids": ["U1"],
                          "manager_party_id": "self", "notified_on": "2024-01-01"}]  # no scope
    reg["provisions"][0]["basis"] = "opt_out"  # PRV errors: not gaps
    doc = document(tmp_path, reg)
    assert [(g["rule"], g["table"], g["record"], g["field"]) for g in doc["gaps"]] == [
        ("JNT-001", "joint_uses", "J1", "users_scope"),  # as check sorts them (rules.md §1)
        ("PUB-004", "security_measures", None, None),
    ]
    assert list(doc["gaps"][0]) == ["rule", "severity", "message", "hint", "law", "law_ja", "table",
                                    "record", "field", "location"]
    assert doc["gaps"][1]["law_ja"] == "個人情報保護法第32条第1項第4号、同法施行令第10条第1号"
    assert doc["summary"] == {"error": 1, "warning": 1, "info": 0}


def test_pub_003_and_pub_007_depend_on_the_as_of_date(tmp_path, reg):
    reg["parties"].append({"party_id": "VN", "name": "Dev Co.", "kind": "corporation", "country": "VN"})
    reg["contractors"] = [{"contract_id": "C1", "party_id": "VN", "task": "開発", "item_ids": ["I1"],
                           "contract_on": "2024-01-01", "ends_on": "2026-06-30"}]
    assert pub_keys(tmp_path, reg, "PUB-003", as_of=dt.date(2026, 6, 30)) == {
        ("PUB-003", "contractors", "C1", "party_id")}
    assert pub_keys(tmp_path, reg, "PUB-003", as_of=dt.date(2026, 7, 1)) == set()
