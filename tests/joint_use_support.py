"""Registers for the joint-use and held-data tests (joint-use.md): a group joint use with
several provisions and a long history, and a trustee holding a client's data."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

from .conftest import AS_OF
from .law_helpers import joint_use_register


def group_register() -> dict[str, Any]:
    """The base joint use J1 (notified 2020-01-01, items I1 I2 I3, users self P1 P2, manager
    self) and four provisions under it, each carrying I1 and I2:

    - V1 to P1: one event, 2026-04-01 (the base's);
    - VB to P1: events only before 2025-06-01 (2025-01-10, 2025-05-31);
    - VA to P2: events only from 2025-06-01 (2025-06-01, 2026-02-01);
    - VX to P2: events on both sides (2025-03-01, 2025-09-01);
    and VO to P1 under another joint use J2, which no change touches.
    """
    reg = joint_use_register()
    reg["parties"].append({**reg["parties"][0], "party_id": "P2", "name": "株式会社グループ二"})
    reg["data_items"].append({"item_id": "I3", "name": "電話番号", "legal_class": "personal"})
    reg["datasets"][0]["item_ids"].append("I3")
    reg["joint_uses"][0]["item_ids"] = ["I1", "I2", "I3"]
    reg["joint_uses"][0]["user_party_ids"] = ["self", "P1", "P2"]
    reg["joint_uses"].append({**copy.deepcopy(reg["joint_uses"][0]), "joint_use_id": "J2",
                              "users_scope": "当社及び株式会社パートナー"})
    base = {"basis": "joint_use", "item_ids": ["I1", "I2"], "dataset_id": "D1"}
    reg["provisions"] += [
        {"provision_id": "VB", "party_id": "P1", "joint_use_id": "J1", **base},
        {"provision_id": "VA", "party_id": "P2", "joint_use_id": "J1", **base},
        {"provision_id": "VX", "party_id": "P2", "joint_use_id": "J1", **base},
        {"provision_id": "VO", "party_id": "P1", "joint_use_id": "J2", **base},
    ]
    events = [("VB", "2025-01-10"), ("VB", "2025-05-31"), ("VA", "2025-06-01"),
              ("VA", "2026-02-01"), ("VX", "2025-03-01"), ("VX", "2025-09-01"),
              ("VO", "2025-09-01")]
    for n, (pid, day) in enumerate(events, start=2):
        reg["provision_log"].append({"event_id": f"E{n}", "provision_id": pid, "provided_on": day,
                                     "principal_ids": [f"A{n}"]})
    return reg


def with_change(reg: dict[str, Any], **fields: Any) -> dict[str, Any]:
    """`reg` with one more joint_use_changes row (JC1, JC2, … unless change_id is given)."""
    reg = copy.deepcopy(reg)
    rows = reg.setdefault("joint_use_changes", [])
    rows.append({"change_id": f"JC{len(rows) + 1}", "joint_use_id": "J1", **fields})
    return reg


def trustee_register() -> dict[str, Any]:
    """The base register plus data held for client PC: dataset DH (items I1 I2, the client's
    purpose UC), received from PC under the entrustment, and returned to PC (VR, one event)."""
    from .conftest import base_register

    reg = base_register()
    reg["parties"].append({
        "party_id": "PC", "name": "株式会社委託元", "kind": "corporation",
        "address": "東京都港区芝1-1", "representative": "鈴木一郎", "country": "JP",
    })
    reg["purposes"].append({"purpose_id": "UC", "description": "委託元から受託した顧客対応業務",
                            "client_party_id": "PC"})
    reg["datasets"].append({
        "dataset_id": "DH", "name": "受託データ", "subjects": "委託元の顧客",
        "item_ids": ["I1", "I2"], "purpose_ids": ["UC"], "source": "third_party",
        "held_for_party_id": "PC",
    })
    reg["receipts"] = [{
        "receipt_id": "R1", "party_id": "PC", "basis": "entrustment", "received_on": "2026-01-05",
        "item_ids": ["I1", "I2"], "dataset_id": "DH",
    }]
    reg["provisions"].append({
        "provision_id": "VR", "party_id": "PC", "basis": "entrustment", "item_ids": ["I1", "I2"],
        "dataset_id": "DH",
    })
    reg["provision_log"].append({"event_id": "ER", "provision_id": "VR", "provided_on": "2026-05-01",
                                 "principal_ids": ["C1"]})
    return reg


def analyse(tmp_path: Path, reg: dict[str, Any], as_of: dt.date = AS_OF, name: str = "r.json"):
    """The analysis (findings, routes, records) of `reg`, written as JSON under tmp_path."""
    from register import api

    path = tmp_path / name
    path.write_text(json.dumps(reg, ensure_ascii=False), encoding="utf-8")
    return api.check(str(path), as_of)


def keys_of(analysis, *rules: str) -> set[tuple]:
    """(rule, table, record, field) of the findings of `rules` (every rule when none given)."""
    return {
        (f.rule, f.table, f.record, f.field) for f in analysis.report.findings
        if not rules or f.rule in rules
    }


def record_events(analysis) -> dict[str, set[str]]:
    """provision_id → the event IDs that got a provision record."""
    out: dict[str, set[str]] = {}
    for r in analysis.records.table("provision_records").iter_rows(named=True):
        out.setdefault(r["provision_id"], set()).update(r["event_ids"] or ())
    return out


def exempt(analysis) -> dict[tuple[str, str], str]:
    """(flow, flow_id) → reason, for every flow without a record."""
    return {(r["flow"], r["flow_id"]): r["reason"]
            for r in analysis.records.table("exempt_flows").iter_rows(named=True)}
