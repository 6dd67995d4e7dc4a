"""RCV-001…006: only receipts that need a confirmation record are checked."""

from __future__ import annotations

import pytest

from .conftest import base_register
from .law_helpers import mutated, rule_keys


def _receipt_register() -> dict:
    reg = base_register()
    reg["parties"].append({"party_id": "P2", "name": "山田一郎", "kind": "individual",
                           "country": "JP", "address": "東京都"})
    reg["receipts"] = [{
        "receipt_id": "R1", "party_id": "P1", "basis": "consent", "received_on": "2026-01-01",
        "principal_ids": ["A1"], "item_ids": ["I1"], "dataset_id": "D1",
        "acquisition": "本人から書面で取得", "provider_confirmed": True, "consent": True,
    }]
    return reg


def _r(**values):
    return lambda reg: reg["receipts"][0].update(values)


def _provider(**values):
    return lambda reg: reg["parties"][0].update(values)


CASES = [
    ("RCV-001", [_r(acquisition=None)], {("RCV-001", "receipts", "R1", "acquisition")}),
    ("RCV-001", [_r(acquisition=None, basis="law")], set()),  # no record needed
    ("RCV-001", [_r(acquisition=None, basis="person_related")], set()),
    ("RCV-002", [_r(provider_confirmed=False)], {("RCV-002", "receipts", "R1", "provider_confirmed")}),
    ("RCV-002", [_provider(address=None)], {("RCV-002", "receipts", "R1", "party_id")}),
    ("RCV-002", [_provider(representative=None)], {("RCV-002", "receipts", "R1", "party_id")}),
    ("RCV-002", [_r(provider_confirmed=False, basis="entrustment")], set()),
    ("RCV-002", [], set()),
    ("RCV-003", [_r(basis="opt_out")], {("RCV-003", "receipts", "R1", "ppc_publication_checked")}),
    ("RCV-003", [_r(basis="opt_out", ppc_publication_checked=True)], set()),
    ("RCV-004", [_r(consent=None)], {("RCV-004", "receipts", "R1", "consent")}),
    ("RCV-004", [_r(consent=None, basis="person_related")], {("RCV-004", "receipts", "R1", "consent")}),
    ("RCV-004", [_r(consent=None, basis="opt_out", ppc_publication_checked=True)], set()),
    ("RCV-005", [_r(basis="opt_out", ppc_publication_checked=True, record_method="bulk")],
     {("RCV-005", "receipts", "R1", "record_method")}),
    ("RCV-005", [_r(record_method="bulk")], set()),
    ("RCV-006", [_r(basis="private")], {("RCV-006", "receipts", "R1", "basis")}),
    ("RCV-006", [_r(basis="private", party_id="P2")], set()),
]


@pytest.mark.parametrize(("rule", "mutations", "expected"), CASES,
                         ids=[f"{c[0]}-{n}" for n, c in enumerate(CASES)])
def test_rule(tmp_path, rule, mutations, expected):
    assert rule_keys(tmp_path, mutated(*mutations, start=_receipt_register()), rule) == expected


def test_opt_out_receipt_bulk_is_made_each(tmp_path):
    from .law_helpers import analysis_of

    reg = mutated(_r(basis="opt_out", ppc_publication_checked=True, record_method="bulk"),
                  start=_receipt_register())
    route = analysis_of(tmp_path, reg).routes.receipts["R1"]
    assert (route.record_type, route.record_method) == ("opt_out", "each")
