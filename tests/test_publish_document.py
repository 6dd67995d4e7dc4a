"""The public document (publish.md §2, §3): its JSON shape, titles and sections as the register
states them, and content_sha256 exactly as §3 defines it."""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json

import pytest

from .conftest import SAMPLE, workbook_bytes
from .publish_support import document, publish_register

TOP_KEYS = ["lang", "as_of", "titles", "sections", "content_sha256", "published", "gaps", "summary"]
SECTION_KEYS = [
    "operator", "purposes", "pseudonymised_purposes", "procedures", "security_measures",
    "foreign_countries", "complaints", "accredited_org", "joint_uses", "external_transmission",
    "anonymised",
]
KINDS = ["public_matters", "joint_use", "external_transmission", "anonymised"]
TITLES = {
    "document": ("個人情報の取扱いに関する公表事項", "Public notice on the handling of personal information"),
    "operator": ("事業者の名称、住所及び代表者の氏名", "Name, address and representative"),
    "purposes": ("保有個人データの利用目的", "Purposes of use of retained personal data"),
    "pseudonymised_purposes": ("仮名加工情報の利用目的", "Purposes of use of pseudonymised information"),
    "procedures": ("開示等の請求等に応じる手続", "Procedures for requests"),
    "security_measures": ("保有個人データの安全管理のために講じた措置",
                          "Security measures taken for retained personal data"),
    "complaints": ("保有個人データの取扱いに関する苦情の申出先",
                   "Where to lodge complaints about retained personal data"),
    "accredited_org": ("認定個人情報保護団体", "Accredited personal information protection organisation"),
    "joint_uses": ("個人データの共同利用", "Joint use of personal data"),
    "external_transmission": ("利用者情報の外部送信", "External transmission of user information"),
    "anonymised": ("匿名加工情報に関する公表事項", "Anonymised information"),
    "gaps": ("公表内容の不備（社内確認用）", "Gaps (for internal review)"),
}
KIND_KEYS = {
    "public_matters": ["operator", "purposes", "pseudonymised_purposes", "procedures",
                       "security_measures", "foreign_countries", "complaints", "accredited_org"],
    "joint_use": ["joint_uses"],
    "external_transmission": ["external_transmission"],
    "anonymised": ["anonymised"],
}


def _strip_ids(v):
    if isinstance(v, dict):
        return {k: _strip_ids(x) for k, x in v.items() if not k.endswith(("_id", "_ids"))}
    if isinstance(v, list):
        return [_strip_ids(x) for x in v]
    return v


def expected_sha256(sections: dict, kind: str) -> str:
    """publish.md §3, written out again here."""
    v = {k: _strip_ids(sections[k]) for k in KIND_KEYS[kind]}
    text = json.dumps(v, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@pytest.fixture
def reg():
    return publish_register()


# --- shape and titles ------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_json_shape_and_titles(tmp_path, reg, lang):
    doc = document(tmp_path, reg, lang)
    assert list(doc) == TOP_KEYS
    assert doc["lang"] == lang and doc["as_of"] == "2026-11-21"
    assert doc["titles"] == {k: v[0 if lang == "ja" else 1] for k, v in TITLES.items()}
    assert list(doc["sections"]) == SECTION_KEYS
    assert list(doc["content_sha256"]) == KINDS
    assert list(doc["published"]) == KINDS and set(doc["published"].values()) == {None}
    assert doc["gaps"] == [] and doc["summary"] == {"error": 0, "warning": 0, "info": 0}
    s = doc["sections"]
    assert s["operator"] == {"name": "株式会社テスト", "address": "東京都千代田区丸の内1-1-1",
                             "representative": "山田太郎", "country": "JP"}
    assert s["purposes"] == [{"purpose_id": "U1", "description": "サービスの提供",
                              "third_party_provision": True}]
    assert s["pseudonymised_purposes"] == [] and s["joint_uses"] == [] and s["anonymised"] == []
    assert s["external_transmission"] == [] and s["foreign_countries"] == []
    assert s["accredited_org"] is None
    assert s["complaints"] == {"desk": "privacy@example.jp"}  # defaults to contact


def test_sections_and_hashes_do_not_depend_on_the_language(tmp_path, reg):
    en, ja = document(tmp_path, reg, "en"), document(tmp_path, reg, "ja")
    assert en["sections"] == ja["sections"]
    assert en["content_sha256"] == ja["content_sha256"]
    assert en["titles"] != ja["titles"]


def test_procedures(tmp_path, reg):
    p = document(tmp_path, reg)["sections"]["procedures"]
    assert list(p) == ["desk", "methods", "identity_check", "agents", "disclosure_methods", "requests"]
    assert p["desk"] == "privacy@example.jp"  # request_desk empty: contact
    assert p["methods"] == ["post", "email"]
    assert p["agents"] is True  # agent_allowed empty: true
    assert p["disclosure_methods"] == ["electronic", "paper"]  # empty: the default
    assert p["requests"] == [
        {"type": "purpose_notice", "law": "APPI Art 32(2)", "fee": None},
        {"type": "disclosure", "law": "APPI Art 33(1)", "fee": 1000},
        {"type": "record_disclosure", "law": "APPI Art 33(5)", "fee": None},
        {"type": "correction", "law": "APPI Art 34(1)", "fee": None},
        {"type": "suspension_erasure", "law": "APPI Art 35(1)", "fee": None},
        {"type": "stop_provision", "law": "APPI Art 35(3)", "fee": None},
        {"type": "art35_5", "law": "APPI Art 35(5)", "fee": None},
    ]
    reg["organization"].update(request_desk="開示請求受付係", fee_purpose_notice=0,
                               fee_record_disclosure="千円", disclosure_methods=["paper", "other"])
    p = document(tmp_path, reg)["sections"]["procedures"]
    assert p["desk"] == "開示請求受付係"
    assert [r["fee"] for r in p["requests"][:3]] == [None, 1000, None]  # 0 and an invalid fee: none
    assert p["disclosure_methods"] == ["paper", "other"]


# --- which datasets are listed ---------------------------------------------------------------


def test_purposes_of_listed_datasets_once_in_table_order(tmp_path, reg):
    reg["purposes"] = [
        {"purpose_id": "U0", "description": "捜査への協力", "excluded_art21_4": True},
        {"purpose_id": "U1", "description": "サービスの提供", "third_party_provision": True},
        {"purpose_id": "U2", "description": "仮名加工情報の分析"},
        {"purpose_id": "U3", "description": "受託業務の遂行"},
        {"purpose_id": "U4", "description": "統計の作成"},
        {"purpose_id": "U5", "description": "アンケートの実施"},
    ]
    reg["data_items"].append({"item_id": "IC", "name": "Cookie ID", "legal_class": "person_related"})
    reg["parties"].append({"party_id": "CL", "name": "委託元株式会社", "kind": "corporation",
                           "address": "東京都", "representative": "委託 太郎", "country": "JP"})
    ds = reg["datasets"][0]
    ds["purpose_ids"] = ["U5", "U1", "U0", "U1"]
    reg["datasets"] += [
        dict(ds, dataset_id="D2", purpose_ids=["U2"], processing="pseudonymised"),
        dict(ds, dataset_id="D3", purpose_ids=["U3"], held_for_party_id="CL"),  # the client's
        dict(ds, dataset_id="D4", purpose_ids=["U4"], processing="statistics"),
        dict(ds, dataset_id="D5", purpose_ids=["U4"], item_ids=["IC"]),  # no personal item
    ]
    s = document(tmp_path, reg)["sections"]
    assert [p["purpose_id"] for p in s["purposes"]] == ["U1", "U5"]
    assert [p["purpose_id"] for p in s["pseudonymised_purposes"]] == ["U2"]
    # a held dataset made retained explicitly is ours: its purposes must be knowable
    reg["datasets"][2]["retained"] = True
    reg["datasets"][0]["retained"] = "たぶん"  # SCH-003: the default (true) applies
    s = document(tmp_path, reg)["sections"]
    assert [p["purpose_id"] for p in s["purposes"]] == ["U1", "U3", "U5"]


# --- security measures and foreign countries -------------------------------------------------


def test_measures_by_category_then_input_order(tmp_path, reg):
    reg["security_measures"] = [
        {"measure_id": "M-T", "category": "technical", "text": "暗号化"},
        {"measure_id": "M-W", "category": "technical", "text": "非公表", "publish": False},
        {"measure_id": "M-Q", "category": "technical", "text": "疑問", "publish": "maybe"},
        {"measure_id": "M-B", "category": "basic_policy", "text": "基本方針"},
        {"measure_id": "M-X", "category": "firewall", "text": "区分誤り"},
        {"measure_id": "M-E", "category": "technical"},
        {"measure_id": "M-T", "category": "human", "text": "研修", "text_en": "Training"},
    ]
    m = document(tmp_path, reg)["sections"]["security_measures"]
    assert m == [
        {"measure_id": "M-B", "category": "basic_policy", "text": "基本方針", "text_en": None, "country": None},
        {"measure_id": "M-T", "category": "human", "text": "研修", "text_en": "Training", "country": None},
        {"measure_id": "M-T", "category": "technical", "text": "暗号化", "text_en": None, "country": None},
    ]


def test_foreign_countries_come_from_the_handling_and_are_named(tmp_path, reg):
    """Order Art 10(i): the country where data is stored or handled, by name (GL 3-8-1 ※8)."""
    reg["datasets"][0].update(storage_country="SG", cloud_party_id="CLOUD")
    reg["parties"] += [
        {"party_id": "CLOUD", "name": "Cloud Inc.", "kind": "corporation", "country": "US"},
        {"party_id": "IN", "name": "Offshore Ltd.", "kind": "corporation", "country": "IN"},
        {"party_id": "OLD", "name": "Old Ltd.", "kind": "corporation", "country": "VN"},
        {"party_id": "BUYER", "name": "Buyer Inc.", "kind": "corporation", "country": "CN"},
    ]
    reg["contractors"] = [
        {"contract_id": "C-IN", "party_id": "IN", "task": "開発", "item_ids": ["I1"],
         "ends_on": "2026-11-21"},  # in force on the as-of date, signed or not
        {"contract_id": "C-OLD", "party_id": "OLD", "task": "旧開発", "item_ids": ["I1"],
         "contract_on": "2020-01-01", "ends_on": "2026-11-20"},  # ended
    ]
    reg["provisions"][0]["party_id"] = "BUYER"  # their own business: Art 28, not our handling
    reg["provisions"][0]["foreign_info_given"] = True
    doc = document(tmp_path, reg, "ja")
    assert doc["sections"]["foreign_countries"] == ["IN", "SG", "US"]
    gaps = {(g["rule"], g["table"], g["record"], g["field"]) for g in doc["gaps"]}
    assert gaps >= {("PUB-003", "datasets", "D1", "storage_country"),
                    ("PUB-003", "datasets", "D1", "cloud_party_id"),
                    ("PUB-003", "contractors", "C-IN", "party_id")}
    reg["security_measures"] += [
        {"measure_id": f"X-{c}", "category": "external_environment", "country": c,
         "text": f"{c}の制度を把握したうえで措置を講じています。"} for c in ("SG", "US", "IN")
    ]
    doc = document(tmp_path, reg, "ja")
    assert doc["gaps"] == []
    assert [m["country"] for m in doc["sections"]["security_measures"][-3:]] == ["SG", "US", "IN"]


def test_no_retained_data_no_foreign_countries(tmp_path, reg):
    reg["datasets"][0].update(retained=False, storage_country="US")
    reg["organization"]["country"] = "US"
    doc = document(tmp_path, reg)
    assert doc["sections"]["foreign_countries"] == [] and doc["sections"]["purposes"] == []


# --- joint uses, tags, anonymised ------------------------------------------------------------


def test_joint_use_notice(tmp_path, reg):
    reg["parties"].append({"party_id": "MGR", "name": "管理株式会社", "kind": "corporation",
                           "address": "大阪府", "representative": "管理 花子", "country": "JP"})
    reg["joint_uses"] = [
        {"joint_use_id": "J1", "item_ids": ["I2", "I9", "I1"], "users_scope": "当社グループ",
         "purpose_ids": ["U1"], "manager_party_id": "self", "user_party_ids": ["self", "P1", "P404"],
         "notified_on": "2024-01-01"},
        {"joint_use_id": "J2", "item_ids": ["I1"], "users_scope": "提携先", "purpose_ids": ["U1"],
         "manager_party_id": "MGR", "notified_on": "2024-01-01"},
    ]
    j = document(tmp_path, reg)["sections"]["joint_uses"]
    assert j[0] == {
        "joint_use_id": "J1", "item_ids": ["I2", "I9", "I1"], "item_names": ["メールアドレス", "氏名"],
        "users_scope": "当社グループ", "user_names": ["株式会社テスト", "株式会社パートナー", None],
        "purpose_ids": ["U1"], "purposes": ["サービスの提供"],
        "manager": {"name": "株式会社テスト", "address": "東京都千代田区丸の内1-1-1",
                    "representative": "山田太郎"},
    }
    assert j[1]["manager"] == {"name": "管理株式会社", "address": "大阪府", "representative": "管理 花子"}


def test_live_tags_and_anonymised_items(tmp_path, reg):
    reg["data_items"].append({"item_id": "IC", "name": "Cookie ID", "legal_class": "person_related"})
    reg["services"] = [{"service_id": "S1", "name": "サイト", "category": "self_need"}]
    tag = {"tag_id": "T1", "service_ids": ["S1"], "module_name": "Analytics",
           "recipient_party_id": "P1", "item_ids": ["IC"], "purpose_ours": "分析",
           "purpose_recipient": "解析", "opt_out_url": "https://example.com/optout"}
    reg["tags"] = [
        tag,
        dict(tag, tag_id="T2", module_name="Removed", removed_on="2026-11-21"),
        dict(tag, tag_id="T3", module_name="Future", added_on="2026-11-22"),
        dict(tag, tag_id="T4", module_name="Own", recipient_party_id="self", exemption="first_party_id"),
    ]
    reg["datasets"] += [
        {"dataset_id": "A1", "name": "購買傾向データ", "subjects": "顧客", "item_ids": ["I1", "IC"],
         "purpose_ids": ["U1"], "source": "generated", "processing": "anonymised",
         "anonymised_published_on": "2025-01-10"},
        {"dataset_id": "A2", "name": "受領データ", "subjects": "顧客", "item_ids": ["I1"],
         "purpose_ids": ["U1"], "source": "third_party", "processing": "anonymised"},
    ]
    s = document(tmp_path, reg)["sections"]
    assert [t["module_name"] for t in s["external_transmission"]] == ["Analytics", "Own"]
    assert s["external_transmission"][0] == {
        "module_name": "Analytics", "recipient_party_id": "P1", "recipient_name": "株式会社パートナー",
        "item_ids": ["IC"], "item_names": ["Cookie ID"], "purpose_ours": "分析",
        "purpose_recipient": "解析", "opt_out_url": "https://example.com/optout", "exemption": "none",
    }
    assert s["external_transmission"][1]["recipient_name"] == "株式会社テスト"
    assert s["anonymised"] == [{"dataset_id": "A1", "name": "購買傾向データ", "item_ids": ["I1", "IC"],
                                "item_names": ["氏名", "Cookie ID"], "published_on": "2025-01-10"}]


# --- content_sha256 --------------------------------------------------------------------------


def test_content_sha256_is_section_3s_formula(tmp_path):
    doc = document(tmp_path, json.loads((SAMPLE / "register.json").read_text("utf-8")))
    for kind in KINDS:
        assert doc["content_sha256"][kind] == expected_sha256(doc["sections"], kind)
    # the sample's publications were recorded with the hashes it gives now
    assert {k: (v or {}).get("matches") for k, v in doc["published"].items()} == {
        "public_matters": True, "joint_use": True, "external_transmission": True, "anonymised": None}


def test_content_sha256_follows_the_published_facts_only(tmp_path, reg):
    base = document(tmp_path, reg)["content_sha256"]
    # the same register from a workbook: the same hashes
    (tmp_path / "w.xlsx").write_bytes(workbook_bytes(reg))
    from .publish_support import run_publish

    r = run_publish(tmp_path / "w.xlsx", "--out", tmp_path / "w.json", "--as-of", "2026-11-21")
    assert r.exit_code == 0
    assert json.loads((tmp_path / "w.json").read_text("utf-8"))["content_sha256"] == base
    # renamed IDs: the same hashes
    renamed = copy.deepcopy(reg)
    renamed["purposes"][0]["purpose_id"] = "PURPOSE-1"
    renamed["datasets"][0]["purpose_ids"] = ["PURPOSE-1"]
    for m in renamed["security_measures"]:
        m["measure_id"] = "N" + m["measure_id"]
    assert document(tmp_path, renamed)["content_sha256"] == base

    def changed(mutate) -> set[str]:
        r2 = copy.deepcopy(reg)
        mutate(r2)
        now = document(tmp_path, r2)["content_sha256"]
        return {k for k in KINDS if now[k] != base[k]}

    assert changed(lambda r: r["organization"].update(address="大阪府")) == {"public_matters"}
    assert changed(lambda r: r["security_measures"][0].update(text_en="Rules.")) == {"public_matters"}
    assert changed(lambda r: r["organization"].update(fee_disclosure=500)) == {"public_matters"}
    assert changed(lambda r: r["organization"].update(privacy_mark=True)) == set()  # not published
    assert changed(lambda r: r.update(joint_uses=[{"joint_use_id": "J1", "item_ids": ["I1"]}])) == {"joint_use"}


def test_latest_publication_per_kind(tmp_path, reg):
    doc = document(tmp_path, reg)
    current = doc["content_sha256"]["public_matters"]
    reg["notice_versions"] = [
        {"notice_id": "N1", "kind": "public_matters", "published_on": "2026-01-01", "sha256": "a" * 64},
        {"notice_id": "N2", "kind": "public_matters", "published_on": "2026-06-01", "sha256": "b" * 64},
        {"notice_id": "N3", "kind": "public_matters", "published_on": "2026-06-01",
         "sha256": f" {current.upper()} "},  # ties: the later row; any case, trimmed
        {"notice_id": "N4", "kind": "public_matters", "published_on": "2026-12-01", "sha256": "c" * 64},
        {"notice_id": "N5", "kind": "joint_use", "published_on": "2025-01-01"},
        {"notice_id": "N6", "kind": "privacy", "published_on": "2026-07-01"},  # SCH-004: ignored
    ]
    doc = document(tmp_path, reg)
    assert doc["published"] == {
        "public_matters": {"notice_id": "N3", "published_on": "2026-06-01", "matches": True},
        "joint_use": {"notice_id": "N5", "published_on": "2025-01-01", "matches": None},
        "external_transmission": None, "anonymised": None,
    }
    # after the future entry goes public it is the latest, and it differs
    later = document(tmp_path, reg, as_of=dt.date(2026, 12, 1))
    assert later["published"]["public_matters"]["notice_id"] == "N4"
    assert [g["rule"] for g in later["gaps"]] == ["PUB-007"]

