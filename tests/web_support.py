"""A small register with web services, tags and processed datasets, for the web.md tests.

D1 is a member database (names beside a cookie ID: the cookie is personal there), D2 an
anonymous web log (the cookie alone: person-related there). One covered service with its
notice in time, one self-need site, and one analytics tag whose vendor collects directly.
"""

from __future__ import annotations

import copy
from typing import Any

from .conftest import AS_OF, base_register, findings_of, write_json

__all__ = ["AS_OF", "web_register", "keys_of", "analysis_of", "rows"]


def web_register() -> dict[str, Any]:
    reg = base_register()
    reg["data_items"] += [
        {"item_id": "IC", "name": "Cookie ID", "legal_class": "person_related"},
        {"item_id": "IB", "name": "閲覧履歴", "legal_class": "person_related"},
        {"item_id": "IM", "name": "個人番号", "legal_class": "my_number"},
    ]
    reg["datasets"][0]["item_ids"] = ["I1", "I2", "IC"]
    reg["datasets"].append({"dataset_id": "D2", "name": "閲覧ログ", "subjects": "閲覧者",
                            "item_ids": ["IC", "IB"], "purpose_ids": ["U1"],
                            "source": "generated"})
    reg["parties"].append({"party_id": "PV", "name": "Vendor Analytics Inc.",
                           "kind": "corporation", "address": "1 Main St, Seattle, WA, USA",
                           "representative": "Jane Roe", "country": "US"})
    reg["services"] = [
        {"service_id": "S1", "name": "会員ポータル", "category": "information",
         "notice_url": "https://example.jp/external", "notice_on": "2023-06-01"},
        {"service_id": "S2", "name": "コーポレートサイト", "category": "self_need"},
    ]
    reg["tags"] = [
        {"tag_id": "T1", "service_ids": ["S1", "S2"], "module_name": "Vendor Analytics",
         "recipient_party_id": "PV", "item_ids": ["IC", "IB"],
         "purpose_ours": "利用状況の分析", "purpose_recipient": "解析サービスの提供",
         "added_on": "2022-04-01"},
    ]
    return reg


def rows(reg: dict[str, Any], table: str, key: str, value: str) -> dict[str, Any]:
    """The row of `table` whose `key` is `value` (to change it in place)."""
    return next(r for r in reg[table] if r[key] == value)


def keys_of(tmp_path, reg: dict[str, Any], *rules: str, as_of=AS_OF) -> set[tuple]:
    """(rule, table, record, field) of the findings of the given rules (or of EXT and ANO)."""
    found = findings_of(write_json(tmp_path, copy.deepcopy(reg)), as_of)
    want = set(rules)
    return {
        (f.rule, f.table, f.record, f.field) for f in found
        if (f.rule in want if want else f.rule.split("-")[0] in ("EXT", "ANO"))
    }


def analysis_of(tmp_path, reg: dict[str, Any], as_of=AS_OF):
    from register import api

    return api.check(str(write_json(tmp_path, copy.deepcopy(reg))), as_of)
