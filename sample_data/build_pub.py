#!/usr/bin/env python3
"""Build the registers of publish.md: one invalid register per PUB rule, and one seed company's
register completed for publication.

    .venv/bin/python sample_data/build_pub.py

- ``sample_data/invalid/PUB-0xx/``: the register of ``invalid/ENT-002`` with its contract mended
  and a published security measure of every required category (so that it has no PUB finding),
  changed by the one fact that triggers the rule, as of 2026-11-21; ``expected.json`` as the
  other builders write it.
- ``sample_data/seeds/publish/000_namiki_works.json``: the web capability's register of the
  first seed's practice (``seeds/000_namiki_works.json``: a Fukuoka software company whose
  policy, like every seed's, names no foreign country and publishes no security measure by
  category), completed with what ``register publish`` needs: the request procedure, the
  measures by category, the US cloud the service runs on (servers in Tokyo: its country is
  named all the same), the recipients' purposes of its tags. Its document has no gap.

Deterministic, stdlib only.
"""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
INVALID = HERE / "invalid"
SEEDS = HERE / "seeds"
BASE = INVALID / "ENT-002" / "register.json"
AS_OF = "2026-11-21"


def dump(path: Path, obj: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def F(table: str, record: str | None, field: str | None) -> dict[str, Any]:
    return {"table": table, "record": record, "field": field}


MEASURES = [
    ("SM-1", "handling_rules", "取得・利用・保存・提供・削除の段階ごとに取扱規程を定めています。"),
    ("SM-2", "organizational", "個人情報保護管理者を置き、取扱状況を定期的に点検しています。"),
    ("SM-3", "human", "従業者に年1回の研修を行い、就業規則で秘密保持を定めています。"),
    ("SM-4", "physical", "取扱区域の入退室を管理し、機器の持出しを制限しています。"),
    ("SM-5", "technical", "アクセス権限を担当者に限定し、不正アクセス対策ソフトウェアを導入しています。"),
]


def base() -> dict[str, Any]:
    """A register with no PUB finding: ENT-002's with its contract mended and every required
    category of measure published."""
    doc = json.loads(BASE.read_text(encoding="utf-8"))
    doc["contractors"][0]["security_terms"] = True
    doc["security_measures"] = [
        {"measure_id": m, "category": c, "text": t} for m, c, t in MEASURES
    ]
    return doc


def invalid_registers() -> dict[str, tuple[dict[str, Any], list[dict[str, Any]]]]:
    out = {}

    # a consent provision from the employee data, whose only purpose foresees no provision
    d = base()
    d["provisions"].append({
        "provision_id": "PV-HR", "party_id": "PT-CON", "basis": "consent",
        "item_ids": ["DI-NAME"], "dataset_id": "DS-EMP", "consent": True,
        "consent_evidence": "同意書", "record_method": "each"})
    out["PUB-001"] = (d, [F("provisions", "PV-HR", "dataset_id")])

    # a purpose changed from another, never published
    d = base()
    d["purposes"][1]["changed_from"] = "PU-1"
    out["PUB-002"] = (d, [F("purposes", "PU-2", "published_on")])

    # the customer data is stored in the United States; no measure names it
    d = base()
    d["datasets"][0]["storage_country"] = "US"
    out["PUB-003"] = (d, [F("datasets", "DS-CUST", "storage_country")])

    d = base()
    del d["security_measures"]
    out["PUB-004"] = (d, [F("security_measures", None, None)])

    # no physical measure published (one is withheld, which does not count)
    d = base()
    d["security_measures"][3]["publish"] = False
    out["PUB-005"] = (d, [F("security_measures", None, "category")])

    # an external-environment measure about Japan
    d = base()
    d["security_measures"].append({"measure_id": "SM-6", "category": "external_environment",
                                   "text": "国内のデータセンターで保管しています。", "country": "JP"})
    out["PUB-006"] = (d, [F("security_measures", "SM-6", "country")])

    # the matters published on 2026-04-01 are not the register's any more
    d = base()
    d["notice_versions"] = [{"notice_id": "NV-1", "kind": "public_matters",
                             "published_on": "2026-04-01", "sha256": "0" * 64}]
    out["PUB-007"] = (d, [F("notice_versions", "NV-1", "sha256")])

    # data from an application form, the purpose only notified afterwards
    d = base()
    d["datasets"][0].update(acquisition_form="direct_written", purpose_notice="notified")
    out["PUB-008"] = (d, [F("datasets", "DS-CUST", "purpose_notice")])

    d = base()
    d["organization"]["agent_allowed"] = False
    out["PUB-009"] = (d, [F("organization", None, "agent_allowed")])

    d = base()
    d["organization"]["disclosure_methods"] = ["electronic"]
    out["PUB-010"] = (d, [F("organization", None, "disclosure_methods")])

    d = base()
    d["organization"]["accredited_org"] = "一般財団法人ミナモト個人情報保護協会"
    out["PUB-011"] = (d, [F("organization", None, "accredited_org_contact")])

    d = base()
    d["organization"]["privacy_mark"] = True
    out["PUB-012"] = (d, [F("organization", None, "accredited_org")])
    return out


def namiki_completed() -> dict[str, Any]:
    """The first seed's register, completed for publication (see the module docstring)."""
    doc = copy.deepcopy(json.loads((SEEDS / "000_namiki_works.json").read_text(encoding="utf-8")))
    doc["organization"].update({
        "complaint_contact": "個人情報お問い合わせ窓口（privacy@namiki-works.example）",
        "request_desk": "〒810-0041 福岡県福岡市中央区大名二丁目6番11号 株式会社ナミキワークス "
                        "個人情報お問い合わせ窓口",
        "request_methods": ["post", "web"],
        "identity_check": "運転免許証等の本人確認書類の写しの提出（代理人の場合は委任状及び代理人の本人確認書類の写しも提出）",
        "agent_allowed": True,
        "fee_disclosure": 1000,
        "fee_record_disclosure": 1000,
        "disclosure_methods": ["electronic", "paper"],
    })
    doc["parties"].append({
        "party_id": "PT-CUMULUS", "name": "Cumulus Web Services, Inc.", "kind": "corporation",
        "address": "410 Terry Avenue North, Seattle, WA 98109, USA",
        "representative": "Andrew R. Jessop", "country": "US"})
    users = doc["datasets"][0]
    users.update(storage="ナミキボードのサービス基盤（米国事業者のクラウド、東京リージョン）",
                 storage_country="JP", cloud_party_id="PT-CUMULUS",
                 acquisition_form="direct_written", purpose_notice="explicit")
    doc["datasets"][1].update(acquisition_form="direct_other", purpose_notice="published")
    recipients = {
        "TG-STRATUS": "アクセス解析サービスの提供及び改善",
        "TG-FLOWPANEL": "製品分析サービスの提供",
    }
    for tag in doc["tags"]:
        tag["purpose_recipient"] = recipients[tag["tag_id"]]
    doc["security_measures"] = [
        {"measure_id": "SM-01", "category": "basic_policy",
         "text": "法令の遵守、安全管理措置の実施、お問い合わせ窓口等を定めた個人情報保護方針を策定しています。",
         "text_en": "Our privacy policy sets out compliance with the law, our security measures and our inquiry desk."},
        {"measure_id": "SM-02", "category": "handling_rules",
         "text": "取得、利用、保存、提供、削除・廃棄の段階ごとに、取扱方法と責任者を定めた取扱規程を策定しています。",
         "text_en": "Our handling rules set the method and the person responsible at each stage, from acquisition to disposal."},
        {"measure_id": "SM-03", "category": "organizational",
         "text": "個人データの取扱いの責任者を定め、取扱状況を四半期ごとに点検しています。",
         "text_en": "A manager is responsible for personal data, and its handling is inspected every quarter."},
        {"measure_id": "SM-04", "category": "human",
         "text": "全従業者に年1回研修を行い、秘密保持に関する誓約書を取得しています。",
         "text_en": "All staff are trained once a year and sign a confidentiality undertaking."},
        {"measure_id": "SM-05", "category": "physical",
         "text": "執務室の入退室を管理し、個人データを保存した機器・媒体の持出しを制限しています。",
         "text_en": "Entry to our offices is controlled and devices or media holding personal data may not be taken out."},
        {"measure_id": "SM-06", "category": "technical",
         "text": "通信を暗号化（SSL/TLS）し、アクセス権限を担当者に限定したうえで、アクセスログを監視しています。",
         "text_en": "Communication is encrypted (SSL/TLS), access is limited to the staff in charge, and access logs are monitored."},
        {"measure_id": "SM-07", "category": "external_environment", "country": "US",
         "text": "サービスの利用者情報は米国の事業者が提供するクラウド基盤（東京リージョン）に保存しています。米国の個人情報の保護に関する制度を把握したうえで安全管理措置を講じています。",
         "text_en": "User data is kept on the cloud platform of a US provider (Tokyo region). We have learnt the US system for the protection of personal information and take our measures accordingly."},
    ]
    return doc


def main() -> None:
    for rule, (doc, findings) in invalid_registers().items():
        folder = INVALID / rule
        if folder.exists():
            shutil.rmtree(folder)
        dump(folder / "register.json", doc)
        dump(folder / "expected.json", {"rule": rule, "findings": findings, "as_of": AS_OF})
    dump(SEEDS / "publish" / "000_namiki_works.json", namiki_completed())
    print(f"wrote {len(invalid_registers())} invalid registers and the completed seed register")


if __name__ == "__main__":
    main()
