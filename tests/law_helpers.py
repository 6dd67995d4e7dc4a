"""Helpers for the law-check tests: mutate the base register, run it, look at one rule."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from .conftest import AS_OF, base_register, findings_of, write_json

Mutation = Callable[[dict[str, Any]], None]


def rule_keys(tmp_path, reg: dict[str, Any], rule: str, as_of=AS_OF) -> set[tuple]:
    """(rule, table, record, field) of the findings of one rule."""
    return {
        (f.rule, f.table, f.record, f.field)
        for f in findings_of(write_json(tmp_path, reg), as_of)
        if f.rule == rule
    }


def analysis_of(tmp_path, reg: dict[str, Any], as_of=AS_OF):
    from register import api

    return api.check(str(write_json(tmp_path, reg)), as_of)


def mutated(*mutations: Mutation, start: dict[str, Any] | None = None) -> dict[str, Any]:
    reg = copy.deepcopy(start) if start is not None else base_register()
    for m in mutations:
        m(reg)
    return reg


def opt_out_register() -> dict[str, Any]:
    """The base register with V1 a complete opt-out provision."""
    reg = base_register()
    reg["purposes"][0]["third_party_provision"] = True
    reg["provisions"][0].update(basis="opt_out", optout_notified_on="2026-01-01")
    del reg["provisions"][0]["consent"]
    return reg


def entrustment_register() -> dict[str, Any]:
    """The base register with V1 a complete entrustment under contract C1."""
    reg = base_register()
    reg["contractors"] = [{
        "contract_id": "C1", "party_id": "P1", "task": "発送代行", "item_ids": ["I1", "I2"],
        "contract_on": "2020-01-01", "security_terms": True, "last_audit_on": "2026-06-01",
        "subcontracting": "with_approval",
    }]
    reg["provisions"][0].update(basis="entrustment", contract_id="C1")
    del reg["provisions"][0]["consent"]
    return reg


def joint_use_register() -> dict[str, Any]:
    """The base register with V1 a complete joint use J1 managed by the organization."""
    reg = base_register()
    reg["joint_uses"] = [{
        "joint_use_id": "J1", "notified_on": "2020-01-01", "item_ids": ["I1", "I2"],
        "users_scope": "当社グループ", "purpose_ids": ["U1"], "manager_party_id": "self",
        "user_party_ids": ["self", "P1"],
    }]
    reg["provisions"][0].update(basis="joint_use", joint_use_id="J1")
    del reg["provisions"][0]["consent"]
    return reg


def person_related_register() -> dict[str, Any]:
    """The base register with V1 providing a person-related item from a web log of its own
    (beside D1's names it would be personal information: web.md §2), linkage expected."""
    reg = base_register()
    reg["data_items"].append({"item_id": "IR", "name": "閲覧履歴", "legal_class": "person_related"})
    reg["datasets"].append({"dataset_id": "D2", "name": "閲覧ログ", "subjects": "閲覧者",
                            "item_ids": ["IR"], "purpose_ids": ["U1"], "source": "generated"})
    reg["provisions"][0].update(item_ids=["IR"], dataset_id="D2", linkage_expected=True,
                                consent_confirmed_on="2026-01-01")
    return reg


def my_number_register() -> dict[str, Any]:
    """The base register with a My Number item I9 provided by V1 (basis law, to a tax office)."""
    reg = base_register()
    reg["data_items"].append({"item_id": "I9", "name": "個人番号", "legal_class": "my_number"})
    reg["datasets"][0]["item_ids"].append("I9")
    reg["provisions"][0].update(item_ids=["I1", "I9"], basis="law")
    return reg
