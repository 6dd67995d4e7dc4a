"""Record derivation (rules.md §3–§5): granularity, contents, retention, exempt flows."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from register.outputs import output_table, output_tables
from register.records import TABLES, UNSPECIFIED_PUBLIC_NAME, Records, derive

from .records_support import Ctx, load_register, simple_routes

D = dt.date


def derive_for(tmp_path, **tables) -> Records:
    reg = load_register(tmp_path, **tables)
    return derive(reg, Ctx(simple_routes(reg)))


def prov(pid="P1", basis="consent", party="PT-A", items=("I-NAME", "I-MAIL"), **kw):
    return {"provision_id": pid, "party_id": party, "basis": basis, "item_ids": list(items),
            "consent": True} | kw


def ev(eid, day, pid="P1", principals=("CU-01",), **kw):
    return {"event_id": eid, "provision_id": pid, "provided_on": day,
            "principal_ids": list(principals)} | kw


def rows(df: pl.DataFrame) -> list[dict]:
    return df.to_dicts()


# --- granularity ----------------------------------------------------------------------------


def test_each_one_record_per_event_rows_unioned(tmp_path):
    r = derive_for(
        tmp_path,
        provisions=[prov(items=("I-NAME", "I-MAIL", "I-MYN"))],
        provision_log=[
            ev("E2", "2024-03-01", principals=["CU-02"], item_ids=["I-NAME"]),
            ev("E2", "2024-03-01", principals=["CU-03"], item_ids=["I-MAIL"],
               recorded_on="2024-03-05"),
            ev("E1", "2024-01-10"),  # no item_ids: the provision's items (without My Number)
        ],
        principals=[{"principal_id": "CU-02", "name": "佐藤"}],
    )
    recs = rows(r.provision_records)
    assert [x["record_id"] for x in recs] == ["P/P1/E1", "P/P1/E2"]
    e1, e2 = recs
    assert e1["event_ids"] == ["E1"] and e1["record_method"] == "each"
    assert e1["item_names"] == ["氏名", "メールアドレス"]
    assert e1["provided_from"] == e1["provided_to"] == D(2024, 1, 10)
    assert e2["item_names"] == ["氏名", "メールアドレス"]
    assert e2["principal_count"] == 2
    # recorded_on: the latest among the event's rows; retention runs from it (each)
    assert e2["recorded_on"] == D(2024, 3, 5)
    assert e2["retain_until"] == D(2027, 3, 5)
    assert rows(r.provision_principals) == [
        {"record_id": "P/P1/E1", "principal_id": "CU-01", "principal_name": None},
        {"record_id": "P/P1/E2", "principal_id": "CU-02", "principal_name": "佐藤"},
        {"record_id": "P/P1/E2", "principal_id": "CU-03", "principal_name": None},
    ]


@pytest.mark.parametrize(("method", "years"), [("bulk", 3), ("contract", 1)])
def test_bulk_and_contract_one_record_per_provision(tmp_path, method, years):
    r = derive_for(
        tmp_path,
        provisions=[prov(record_method=method)],
        provision_log=[
            ev("E3", "2024-06-01", principals=["CU-01", "CU-02"], recorded_on="2024-12-31"),
            ev("E1", "2024-01-01", principals=["CU-01"]),
            ev("E2", "2024-02-01", principals=["CU-03"]),
        ],
    )
    (rec,) = rows(r.provision_records)
    assert rec["record_id"] == "P/P1"
    assert rec["record_method"] == method
    assert rec["event_ids"] == ["E1", "E2", "E3"]
    assert (rec["provided_from"], rec["provided_to"]) == (D(2024, 1, 1), D(2024, 6, 1))
    assert rec["principal_count"] == 3
    # recorded_on is the latest of the events' but does not move retention (rules.md §4)
    assert rec["recorded_on"] == D(2024, 12, 31)
    assert rec["retain_until"] == D(2024 + years, 6, 1)


@pytest.mark.parametrize(
    ("method", "day", "recorded", "expected"),
    [
        ("each", "2024-02-29", None, D(2027, 3, 1)),
        ("each", "2024-02-28", "2024-02-29", D(2027, 3, 1)),
        ("each", "2023-02-28", None, D(2026, 2, 28)),
        ("bulk", "2024-02-29", None, D(2027, 3, 1)),
        ("contract", "2024-02-29", None, D(2025, 3, 1)),
        ("contract", "2023-03-01", "2024-02-29", D(2024, 3, 1)),
    ],
)
def test_retention_29_february(tmp_path, method, day, recorded, expected):
    e = ev("E1", day) | ({"recorded_on": recorded} if recorded else {})
    r = derive_for(tmp_path, provisions=[prov(record_method=method)], provision_log=[e])
    assert r.provision_records["retain_until"].to_list() == [expected]


def test_opt_out_record_is_each_even_if_bulk_requested(tmp_path):
    r = derive_for(
        tmp_path,
        provisions=[prov(basis="opt_out", record_method="bulk", consent=None)],
        provision_log=[ev("E1", "2024-01-01"), ev("E2", "2024-01-02")],
    )
    recs = rows(r.provision_records)
    assert [x["record_method"] for x in recs] == ["each", "each"]
    assert [x["record_type"] for x in recs] == ["opt_out", "opt_out"]
    assert [x["consent"] for x in recs] == [None, None]


# --- contents -------------------------------------------------------------------------------


def test_consent_text_never_invented(tmp_path):
    r = derive_for(
        tmp_path,
        provisions=[prov("P1"), prov("P2", consent=False), prov("P3", consent=None)],
        provision_log=[ev("E1", "2024-01-01", "P1"), ev("E2", "2024-01-01", "P2"),
                       ev("E3", "2024-01-01", "P3")],
    )
    assert r.provision_records["consent"].to_list() == ["obtained", None, None]


def test_person_related_record(tmp_path):
    r = derive_for(
        tmp_path,
        provisions=[prov(items=["I-COOKIE"], linkage_expected=True,
                         consent_confirmed_on="2024-01-09", foreign_info_given=True)],
        provision_log=[ev("E1", "2024-02-01", principals=["CU-01"])],
    )
    (rec,) = rows(r.provision_records)
    assert rec["record_type"] == "person_related"
    assert rec["consent"] == "confirmed 2024-01-09; foreign information confirmed"
    assert rec["principal_count"] is None
    assert rec["item_names"] == ["Cookie ID"]
    assert r.provision_principals.height == 0


def test_recipient_fields_and_unspecified_public(tmp_path):
    r = derive_for(
        tmp_path,
        provisions=[prov("P1"), prov("P2", party="PT-PUB")],
        provision_log=[ev("E1", "2024-01-01", "P1"), ev("E2", "2024-01-01", "P2")],
    )
    a, pub = rows(r.provision_records)
    assert (a["recipient_id"], a["recipient_name"], a["recipient_address"],
            a["recipient_representative"], a["recipient_country"]) == (
        "PT-A", "株式会社エー", "大阪市1", "代表 一郎", "JP")
    assert pub["recipient_name"] == UNSPECIFIED_PUBLIC_NAME
    assert pub["recipient_address"] is None and pub["recipient_representative"] is None


def test_my_number_items_never_listed(tmp_path):
    r = derive_for(
        tmp_path,
        provisions=[prov(items=["I-NAME", "I-MYN"])],
        provision_log=[ev("E1", "2024-01-01", item_ids=["I-MYN", "I-NAME"])],
    )
    assert r.provision_records["item_names"].to_list() == [["氏名"]]


def test_provision_without_events_has_no_record_and_is_not_exempt(tmp_path):
    r = derive_for(tmp_path, provisions=[prov()], provision_log=[])
    assert r.provision_records.height == 0
    assert r.exempt_flows.height == 0


def test_exempt_flows_for_provisions_and_receipts(tmp_path):
    r = derive_for(
        tmp_path,
        provisions=[prov("P1", basis="law"), prov("P2", party="PT-GOV"),
                    prov("P3", items=["I-MYN"]), prov("P4", party="PT-NOBODY")],
        receipts=[{"receipt_id": "R1", "party_id": "PT-A", "basis": "entrustment",
                   "received_on": "2024-01-01", "item_ids": ["I-NAME"]}],
        provision_log=[ev("E1", "2024-01-01", "P1")],
    )
    assert [(x["flow"], x["flow_id"], x["reason"]) for x in rows(r.exempt_flows)] == [
        ("provision", "P1", "art27_1"),
        ("provision", "P2", "public_body"),
        ("provision", "P3", "my_number_act"),
        ("provision", "P4", "unresolved"),
        ("receipt", "R1", "art27_5"),
    ]
    assert r.provision_records.height == 0


def test_disclosure_excluded_marked_outside_the_tables(tmp_path):
    r = derive_for(
        tmp_path,
        provisions=[prov("P1", disclosure_excluded=True), prov("P2")],
        provision_log=[ev("E1", "2024-01-01", "P1"), ev("E2", "2024-01-01", "P2")],
    )
    assert r.disclosure_excluded == frozenset({"P/P1/E1"})
    assert r.provision_records.columns == output_table("provision_records").names


# --- receipts -------------------------------------------------------------------------------


def rcpt(rid, day, method="each", party="PT-A", basis="consent", **kw):
    return {"receipt_id": rid, "party_id": party, "basis": basis, "received_on": day,
            "item_ids": ["I-NAME", "I-MYN"], "principal_ids": ["CU-01"], "record_method": method,
            "acquisition": "展示会", "consent": True} | kw


def test_receipts_each_one_record_per_receipt(tmp_path):
    r = derive_for(tmp_path, receipts=[rcpt("R2", "2024-05-01", recorded_on="2024-05-03"),
                                       rcpt("R1", "2024-04-01")])
    recs = rows(r.confirmation_records)
    assert [x["record_id"] for x in recs] == ["C/R1", "C/R2"]
    assert recs[1]["retain_until"] == D(2027, 5, 3)
    assert recs[0]["item_names"] == ["氏名"]
    assert recs[0]["consent"] is True and recs[0]["ppc_publication_checked"] is None
    assert recs[0]["principal_count"] == 1


def test_receipts_bulk_grouped_per_provider_type_method(tmp_path):
    r = derive_for(
        tmp_path,
        receipts=[
            rcpt("R1", "2024-01-01", "bulk", principal_ids=["CU-01", "CU-02"]),
            rcpt("R2", "2024-03-01", "bulk", acquisition="名刺交換", consent=False,
                 principal_ids=["CU-02"]),
            rcpt("R3", "2024-02-01", "bulk", acquisition="展示会"),
            rcpt("R4", "2024-02-01", "contract"),
            rcpt("R5", "2024-02-01", "bulk", basis="opt_out", ppc_publication_checked=True),
        ],
    )
    by_id = {x["record_id"]: x for x in rows(r.confirmation_records)}
    assert set(by_id) == {"C/PT-A/consent/bulk", "C/PT-A/consent/contract", "C/R5"}
    bulk = by_id["C/PT-A/consent/bulk"]
    assert bulk["receipt_ids"] == ["R1", "R3", "R2"]
    assert (bulk["received_from"], bulk["received_to"]) == (D(2024, 1, 1), D(2024, 3, 1))
    assert bulk["acquisition"] == "展示会; 名刺交換"
    assert bulk["consent"] is False  # AND-ed
    assert bulk["principal_count"] == 2
    assert bulk["retain_until"] == D(2027, 3, 1)
    assert by_id["C/PT-A/consent/contract"]["retain_until"] == D(2025, 2, 1)
    # opt-out receipts are recorded each time (RCV-005): PPC check shown, consent not
    assert by_id["C/R5"]["ppc_publication_checked"] is True
    assert by_id["C/R5"]["consent"] is None


def test_person_related_receipt_has_no_acquisition_but_principals(tmp_path):
    r = derive_for(tmp_path, receipts=[rcpt("R1", "2024-01-01", basis="person_related")])
    (rec,) = rows(r.confirmation_records)
    assert rec["record_type"] == "person_related"
    assert rec["acquisition"] is None
    assert rec["principal_count"] == 1
    assert r.confirmation_principals.height == 1


# --- shape and determinism ------------------------------------------------------------------


def test_empty_records_have_every_table_and_column():
    r = Records.empty()
    for t in output_tables():
        assert r.table(t.name).columns == t.names
        assert r.table(t.name).height == 0


def test_deterministic(tmp_path):
    tables = dict(
        provisions=[prov("P1"), prov("P2", record_method="bulk")],
        provision_log=[ev(f"E{i}", f"2024-01-{i % 28 + 1:02d}", f"P{i % 2 + 1}",
                          principals=[f"CU-{i % 7}", f"CU-{i % 5}"]) for i in range(40)],
    )
    a = derive_for(tmp_path, **tables)
    b = derive_for(tmp_path, **tables)
    for name in TABLES:
        assert a.table(name).equals(b.table(name))


def test_output_schema_labels():
    assert [t.name for t in output_tables()] == list(TABLES)
    for t in output_tables():
        assert t.label_ja != t.name and len(t.label_ja) <= 28
        labels = [c.label_ja for c in t.columns]
        assert all(label != c.name for label, c in zip(labels, t.columns, strict=True))
        assert len(set(labels)) == len(labels)
    assert output_table("provision_records").names[:3] == ["record_id", "record_type",
                                                            "provision_id"]
