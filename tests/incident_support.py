"""A small register to build leak incidents on (tests/test_incident_*.py)."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

from register.api import analyze
from register.load import load

D = dt.date
AS_OF = D(2026, 4, 2)

BASE: dict[str, Any] = {
    "organization": {
        "name": "株式会社テスト", "address": "東京都千代田区1-1", "representative": "山田 太郎",
        "contact": "個人情報窓口 03-0000-0000",
    },
    "data_items": [
        {"item_id": "I-NAME", "name": "氏名", "legal_class": "personal"},
        {"item_id": "I-MAIL", "name": "メールアドレス", "legal_class": "personal"},
        {"item_id": "I-HEALTH", "name": "健康診断結果", "legal_class": "special_care"},
        {"item_id": "I-CARD", "name": "クレジットカード番号", "legal_class": "personal",
         "financial_risk": True},
        {"item_id": "I-MN", "name": "個人番号", "legal_class": "my_number"},
        {"item_id": "I-COOKIE", "name": "Cookie ID", "legal_class": "person_related"},
    ],
    "purposes": [
        {"purpose_id": "U-1", "description": "顧客管理"},
        {"purpose_id": "U-C1", "description": "委託元の顧客対応（受託業務）", "client_party_id": "PT-CLIENT"},
        {"purpose_id": "U-C2", "description": "委託元の会員管理（受託業務）", "client_party_id": "PT-OTHER"},
    ],
    "datasets": [
        {"dataset_id": "DS-A", "name": "顧客台帳", "subjects": "顧客", "item_ids": ["I-NAME", "I-MAIL", "I-COOKIE"],
         "purpose_ids": ["U-1"], "source": "principal", "record_count": 500},
        {"dataset_id": "DS-H", "name": "健康診断", "subjects": "従業員", "item_ids": ["I-NAME", "I-HEALTH"],
         "purpose_ids": ["U-1"], "source": "principal", "special_care_basis": "law", "record_count": 80},
        {"dataset_id": "DS-MN", "name": "源泉徴収", "subjects": "従業員", "item_ids": ["I-NAME", "I-MN"],
         "purpose_ids": ["U-1"], "source": "principal", "record_count": 150},
        {"dataset_id": "DS-PAY", "name": "決済", "subjects": "会員", "item_ids": ["I-NAME", "I-CARD"],
         "purpose_ids": ["U-1"], "source": "principal", "record_count": 20},
        {"dataset_id": "DS-COOKIE", "name": "アクセスログ", "subjects": "訪問者", "item_ids": ["I-COOKIE"],
         "purpose_ids": ["U-1"], "source": "generated", "record_count": 90000},
        {"dataset_id": "DS-PSEUDO", "name": "分析用データ", "subjects": "顧客", "item_ids": ["I-NAME", "I-MAIL"],
         "purpose_ids": ["U-1"], "source": "generated", "processing": "pseudonymised", "record_count": 5000},
        {"dataset_id": "DS-CLIENT", "name": "受託顧客データ", "subjects": "委託元の顧客", "item_ids": ["I-NAME", "I-MAIL"],
         "purpose_ids": ["U-C1"], "source": "third_party", "held_for_party_id": "PT-CLIENT", "record_count": 300},
        {"dataset_id": "DS-CLIENT2", "name": "受託会員データ", "subjects": "委託元の会員", "item_ids": ["I-NAME", "I-HEALTH"],
         "purpose_ids": ["U-C2"], "source": "third_party", "held_for_party_id": "PT-OTHER",
         "special_care_basis": "art27_5", "record_count": 40},
        {"dataset_id": "DS-SAFE", "name": "暗号化済み顧客台帳", "subjects": "顧客", "item_ids": ["I-NAME", "I-CARD"],
         "purpose_ids": ["U-1"], "source": "principal", "encryption": "advanced", "key_separated": True,
         "record_count": 3000},
    ],
    "parties": [
        {"party_id": "PT-CLIENT", "name": "株式会社委託元", "kind": "corporation", "country": "JP",
         "address": "大阪市", "representative": "佐藤"},
        {"party_id": "PT-OTHER", "name": "別の委託元株式会社", "kind": "corporation", "country": "JP",
         "address": "名古屋市", "representative": "鈴木"},
        {"party_id": "PT-VENDOR", "name": "株式会社外注先", "kind": "corporation", "country": "JP",
         "address": "福岡市", "representative": "田中"},
    ],
    "contractors": [
        {"contract_id": "C-1", "party_id": "PT-VENDOR", "task": "システム運用", "item_ids": ["I-NAME", "I-MAIL"],
         "contract_on": "2022-04-01", "security_terms": True, "last_audit_on": "2026-06-01"},
    ],
}


def incident(**fields: Any) -> dict[str, Any]:
    """An incident row: a leak of DS-A known on 2026-04-01, misdelivered; fields override."""
    row: dict[str, Any] = {
        "incident_id": "INC-1", "known_on": "2026-04-01", "event_types": ["leak"],
        "dataset_ids": ["DS-A"], "cause": "misdelivery", "principal_count": 1,
    }
    row.update(fields)
    return {k: v for k, v in row.items() if v is not None}


def register_doc(*incidents: dict[str, Any], **tables: Any) -> dict[str, Any]:
    doc = copy.deepcopy(BASE)
    doc.update(copy.deepcopy(tables))
    if incidents:
        doc["incidents"] = list(incidents)
    return doc


def write(tmp: Path, doc: dict[str, Any], name: str = "register.json") -> Path:
    path = tmp / name
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def analysis(tmp: Path, *incidents: dict[str, Any], as_of: dt.date = AS_OF, **tables: Any):
    return analyze(load(write(tmp, register_doc(*incidents, **tables))), as_of)
