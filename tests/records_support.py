"""Helpers for the records/export/disclose tests: small registers and hand-made routes.

The route classifier (routes.classify) is tested on its own; these tests build Routes directly
so that record derivation is tested against exactly the routes it is given.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import orjson

from register.load import load
from register.model import Register
from register.routes import Route, Routes

ORG = {"name": "株式会社テスト", "address": "東京都千代田区1-1", "representative": "山田 太郎",
       "contact": "privacy@example.jp"}
ITEMS = [
    {"item_id": "I-NAME", "name": "氏名", "legal_class": "personal"},
    {"item_id": "I-MAIL", "name": "メールアドレス", "legal_class": "personal"},
    {"item_id": "I-MYN", "name": "個人番号", "legal_class": "my_number"},
    {"item_id": "I-COOKIE", "name": "Cookie ID", "legal_class": "person_related"},
]
PARTIES = [
    {"party_id": "PT-A", "name": "株式会社エー", "kind": "corporation", "address": "大阪市1",
     "representative": "代表 一郎", "country": "JP"},
    {"party_id": "PT-PUB", "name": "ウェブ公開", "kind": "unspecified_public", "address": "x",
     "representative": "y", "country": "JP"},
    {"party_id": "PT-GOV", "name": "税務署", "kind": "state_organ", "country": "JP"},
]


def write_register(tmp_path: Path, **tables: Any) -> Path:
    """A JSON register file in tmp_path with defaults for the tables not given."""
    doc = {"organization": ORG, "data_items": ITEMS, "parties": PARTIES} | tables
    path = tmp_path / "register.json"
    path.write_bytes(orjson.dumps(doc))
    return path


def load_register(tmp_path: Path, **tables: Any) -> Register:
    return load(write_register(tmp_path, **tables))


NO_RECORD = {
    "law": "art27_1", "vital": "art27_1", "public_health": "art27_1", "public_agency": "art27_1",
    "academic": "art27_1", "on_behalf": "on_behalf", "entrustment": "art27_5",
    "succession": "art27_5", "joint_use": "art27_5",
}


def simple_routes(reg: Register) -> Routes:
    """A minimal classifier for tests: enough of rules.md §2 to drive derive()."""
    items = {r["item_id"]: r["legal_class"] for r in reg["data_items"].rows}
    parties = reg["parties"].by_key
    routes = Routes()
    for flow, table, key in (("provision", "provisions", "provision_id"),
                             ("receipt", "receipts", "receipt_id")):
        for row in reg[table].rows:
            fid, pid, basis = row[key], row["party_id"], row["basis"]
            kept = tuple(i for i in (row["item_ids"] or []) if items.get(i) != "my_number")
            method = row.get("record_method") or "each"
            rtype = reason = None
            party = parties.get(pid)
            if party is None:
                reason = "unresolved"
            elif not kept:
                reason = "my_number_act"
            elif party["kind"] == "state_organ":
                reason = "public_body"
            elif basis in NO_RECORD:
                reason = NO_RECORD[basis]
            elif flow == "provision" and all(items.get(i) == "person_related" for i in kept):
                rtype = "person_related"
            elif flow == "receipt" and party["kind"] == "individual":
                rtype = "private"
            else:
                rtype = basis
            if rtype == "opt_out":
                method = "each"
            routes_of = routes.provisions if flow == "provision" else routes.receipts
            routes_of[fid] = Route(flow, fid, pid, basis, rtype, reason, method, kept)
    return routes


class Ctx:
    """Stands in for checks.Context where only as_of and routes matter."""

    def __init__(self, routes: Routes, as_of: dt.date = dt.date(2025, 1, 1)):
        self.routes = routes
        self.as_of = as_of
        self.records = None


def analysis_for(tmp_path: Path, as_of: dt.date = dt.date(2025, 1, 1), **tables: Any):
    """An api.Analysis over a small register, with records derived from simple_routes."""
    from register.api import Analysis
    from register.findings import Report
    from register.records import derive

    reg = load_register(tmp_path, **tables)
    ctx = Ctx(simple_routes(reg), as_of)
    records = derive(reg, ctx)
    return Analysis(register=reg, report=Report.build([]), as_of=as_of, routes=ctx.routes,
                    records=records)
