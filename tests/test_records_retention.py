"""RET-001 (rules.md §1, §4): one info finding per record whose retention has ended."""

from __future__ import annotations

import datetime as dt

import pytest

from register.checks import retention
from register.records import derive

from .records_support import Ctx, load_register, simple_routes


def ret_findings(tmp_path, as_of: dt.date, **tables):
    reg = load_register(tmp_path, **tables)
    ctx = Ctx(simple_routes(reg), as_of=as_of)
    ctx.records = derive(reg, ctx)
    return [(f.rule, f.table, f.record, f.field) for f in retention.check(reg, ctx)], reg, ctx


PROVISIONS = [
    {"provision_id": "P-EACH", "party_id": "PT-A", "basis": "consent", "consent": True,
     "item_ids": ["I-NAME"]},
    {"provision_id": "P-BULK", "party_id": "PT-A", "basis": "consent", "consent": True,
     "item_ids": ["I-NAME"], "record_method": "bulk"},
    {"provision_id": "P-CONTRACT", "party_id": "PT-A", "basis": "consent", "consent": True,
     "item_ids": ["I-NAME"], "record_method": "contract"},
]
LOG = [
    {"event_id": "E1", "provision_id": "P-EACH", "provided_on": "2024-02-29",
     "principal_ids": ["CU-1"]},
    {"event_id": "E1", "provision_id": "P-EACH", "provided_on": "2024-02-29",
     "principal_ids": ["CU-2"], "recorded_on": "2024-03-02"},
    {"event_id": "E2", "provision_id": "P-BULK", "provided_on": "2024-02-29",
     "principal_ids": ["CU-1"]},
    {"event_id": "E3", "provision_id": "P-CONTRACT", "provided_on": "2024-02-29",
     "principal_ids": ["CU-1"]},
]
RECEIPTS = [
    {"receipt_id": "R1", "party_id": "PT-A", "basis": "consent", "received_on": "2024-02-29",
     "item_ids": ["I-NAME"], "consent": True, "acquisition": "x"},
    {"receipt_id": "R2", "party_id": "PT-A", "basis": "consent", "received_on": "2024-01-10",
     "item_ids": ["I-NAME"], "consent": True, "acquisition": "x", "record_method": "bulk"},
    {"receipt_id": "R3", "party_id": "PT-A", "basis": "consent", "received_on": "2024-02-29",
     "item_ids": ["I-NAME"], "consent": True, "acquisition": "x", "record_method": "bulk"},
]


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        # contract: 1 year from the last event; 29 Feb + 1 year → 1 Mar 2025 (kept that day)
        (dt.date(2025, 3, 1), set()),
        (dt.date(2025, 3, 2), {("RET-001", "provisions", "P-CONTRACT", None)}),
        # bulk: 3 years from the last event → 1 Mar 2027; each: 3 years from recorded_on
        # (2 Mar 2024, the latest of the event's rows) → 2 Mar 2027
        (dt.date(2027, 3, 2), {("RET-001", "provisions", "P-CONTRACT", None),
                               ("RET-001", "provisions", "P-BULK", None),
                               ("RET-001", "receipts", "R1", None),
                               ("RET-001", "receipts", "R3", None)}),
        (dt.date(2027, 3, 3), {("RET-001", "provisions", "P-CONTRACT", None),
                               ("RET-001", "provisions", "P-BULK", None),
                               ("RET-001", "provision_log", "E1", None),
                               ("RET-001", "receipts", "R1", None),
                               ("RET-001", "receipts", "R3", None)}),
    ],
)
def test_ret_001_boundaries(tmp_path, as_of, expected):
    found, _, _ = ret_findings(tmp_path, as_of, provisions=PROVISIONS, provision_log=LOG,
                               receipts=RECEIPTS)
    assert set(found) == expected
    assert len(found) == len(expected)  # one finding per record


def test_ret_001_finding_is_located_and_info(tmp_path):
    reg = load_register(tmp_path, provisions=PROVISIONS, provision_log=LOG)
    ctx = Ctx(simple_routes(reg), as_of=dt.date(2030, 1, 1))
    ctx.records = derive(reg, ctx)
    by_record = {f.record: f for f in retention.check(reg, ctx)}
    f = by_record["E1"]
    assert f.severity.value == "info"
    assert f.spec.law == "APPI Rules Art 21, 25, 29"
    assert f.location.pointer == "/provision_log/0"
    assert "P/P-EACH/E1" in f.message("en") and "2027-03-02" in f.message("ja")
    assert by_record["P-BULK"].location.pointer == "/provisions/1"


def test_no_records_no_findings(tmp_path):
    reg = load_register(tmp_path)
    ctx = Ctx(simple_routes(reg), as_of=dt.date(2030, 1, 1))
    assert list(retention.check(reg, ctx)) == []
