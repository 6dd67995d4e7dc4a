"""PRV-011 (a provision needing records, in force, never logged) and REF-006 (a principal ID
the principals table does not hold): japanese.md §10."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from .conftest import base_register, findings_of, keys, run_cli, write_json

AS_OF = dt.date(2026, 11, 21)


def _prv011(tmp_path, reg) -> set[str]:
    return {f.record for f in findings_of(write_json(tmp_path, reg), AS_OF) if f.rule == "PRV-011"}


def _unlogged(reg: dict, **provision) -> dict:
    """`reg` with provision V2 (consent, to P1) that no log row names."""
    row = {"provision_id": "V2", "party_id": "P1", "basis": "consent", "consent": True,
           "item_ids": ["I1"], "dataset_id": "D1"} | provision
    reg["provisions"].append({k: v for k, v in row.items() if v is not None})
    return reg


def test_a_consent_provision_in_force_without_log_rows(tmp_path):
    found = findings_of(write_json(tmp_path, _unlogged(base_register())), AS_OF)
    assert ("PRV-011", "provisions", "V2", "provision_id") in keys(found, "warning")
    f = next(f for f in found if f.rule == "PRV-011")
    assert f.location.pointer == "/provisions/1/provision_id"
    d = f.as_dict("ja")
    assert d["law"] == "APPI Art 29(1), 31(3)"
    assert d["law_ja"] == "個人情報保護法第29条第1項、第31条第3項"
    assert "「提供実績」" in d["message"] and "本人の同意による第三者提供" in d["message"]


@pytest.mark.parametrize("starts, ends, fires", [
    (None, None, True),
    ("2026-11-21", None, True),  # from as-of on
    (None, "2026-11-21", True),  # up to as-of
    ("2026-11-22", None, False),  # not yet
    (None, "2026-11-20", False),  # ended
    ("2026-02-30", None, True),  # an invalid date counts as empty (SCH-003 says the rest)
])
def test_only_provisions_in_force_on_as_of(tmp_path, starts, ends, fires):
    reg = _unlogged(base_register(), starts_on=starts, ends_on=ends)
    assert (_prv011(tmp_path, reg) == {"V2"}) is fires


@pytest.mark.parametrize("basis, extra, fires", [
    ("consent", {}, True),
    ("opt_out", {"optout_notified_on": "2025-01-01"}, True),
    ("law", {}, False),  # no record needed
    ("entrustment", {"contract_id": "C1"}, False),  # the route holds
])
def test_only_provisions_whose_route_needs_records(tmp_path, basis, extra, fires):
    reg = base_register()
    reg["purposes"][0]["third_party_provision"] = True
    reg["contractors"] = [{"contract_id": "C1", "party_id": "P1", "task": "発送", "item_ids": ["I1"],
                           "contract_on": "2025-01-01", "security_terms": True,
                           "last_audit_on": "2026-06-01"}]
    reg = _unlogged(reg, basis=basis, consent=None, **extra)
    assert (_prv011(tmp_path, reg) == {"V2"}) is fires


def test_a_failed_route_needs_records_too(tmp_path):
    """Entrustment abroad (XB-001): the route fails, the flow needs consent and a record."""
    reg = base_register()
    reg["parties"].append({"party_id": "P2", "name": "Overseas Ltd.", "kind": "corporation",
                           "address": "1 Main St", "representative": "Jane Roe", "country": "US",
                           "foreign_safeguard": "none"})
    reg["contractors"] = [{"contract_id": "C1", "party_id": "P2", "task": "保守", "item_ids": ["I1"],
                           "contract_on": "2025-01-01", "security_terms": True,
                           "last_audit_on": "2026-06-01"}]
    reg = _unlogged(reg, party_id="P2", basis="entrustment", consent=None, contract_id="C1")
    assert _prv011(tmp_path, reg) == {"V2"}


def test_person_related_provisions_count(tmp_path):
    reg = base_register()
    reg["data_items"].append({"item_id": "I3", "name": "Cookie ID", "legal_class": "person_related"})
    reg["datasets"].append({"dataset_id": "D2", "name": "閲覧履歴", "subjects": "閲覧者",
                            "item_ids": ["I3"], "purpose_ids": ["U1"], "source": "generated"})
    reg = _unlogged(reg, item_ids=["I3"], dataset_id="D2", consent=None, linkage_expected=True,
                    consent_confirmed_on="2026-01-01")
    assert _prv011(tmp_path, reg) == {"V2"}


def test_a_log_row_without_an_event_id_still_names_the_provision(tmp_path):
    reg = _unlogged(base_register())
    reg["provision_log"].append({"provision_id": "V2", "provided_on": "2026-04-02",
                                 "principal_ids": ["A1"]})  # SCH-002, but the row names V2
    assert _prv011(tmp_path, reg) == set()


def test_unlogged_provisions_stay_out_of_exempt_flows(tmp_path):
    src = write_json(tmp_path, _unlogged(base_register()))
    out = tmp_path / "out"
    run_cli("records", str(src), "--out", str(out), "--format", "json", "--as-of", "2026-11-21")
    doc = json.loads((out / "records.json").read_bytes())
    assert "V2" not in {e["flow_id"] for e in doc["exempt_flows"]}
    assert "V2" not in {r["provision_id"] for r in doc["provision_records"]}


# --- REF-006 ------------------------------------------------------------------------------------


def _with_principals(reg: dict) -> dict:
    reg["principals"] = [{"principal_id": "A1", "name": "本人 一"}]
    return reg


def test_no_principals_table_no_finding(tmp_path):
    reg = base_register()
    reg["provision_log"][0]["principal_ids"] = ["ZZ-1"]
    assert "REF-006" not in {f.rule for f in findings_of(write_json(tmp_path, reg), AS_OF)}


def test_unknown_ids_in_the_log_and_receipts(tmp_path):
    reg = _with_principals(base_register())
    reg["provision_log"][0]["principal_ids"] = ["A1", "a1", "B2", "a1"]
    reg["receipts"] = [{"receipt_id": "R1", "party_id": "P1", "basis": "consent",
                        "received_on": "2026-03-01", "item_ids": ["I1"], "dataset_id": "D1",
                        "acquisition": "x", "provider_confirmed": True, "consent": True,
                        "principal_ids": ["C3"]}]
    found = [f for f in findings_of(write_json(tmp_path, reg), AS_OF) if f.rule == "REF-006"]
    assert keys(found) == {("REF-006", "provision_log", "E1", "principal_ids"),
                           ("REF-006", "receipts", "R1", "principal_ids")}
    log = next(f for f in found if f.table == "provision_log")
    assert log.severity.value == "warning"
    assert log.message("en") == "provision_log E1: principal_ids names IDs that are not in principals: a1, B2."
    assert log.message("ja") == "提供実績 E1：「本人ID」の a1、B2 は「本人」にありません。"
    assert log.as_dict()["law_ja"] == "個人情報保護法施行規則第20条第1項、第24条第1項"


def test_the_record_still_lists_the_unknown_id(tmp_path):
    reg = _with_principals(base_register())
    reg["provision_log"][0]["principal_ids"] = ["A1", "B2"]
    out = tmp_path / "out"
    run_cli("records", str(write_json(tmp_path, reg)), "--out", str(out), "--format", "json",
            "--as-of", "2026-11-21")
    doc = json.loads((out / "records.json").read_bytes())
    assert {(p["principal_id"], p["principal_name"]) for p in doc["provision_principals"]} == {
        ("A1", "本人 一"), ("B2", None)}


def test_capped_like_the_log_rules(tmp_path):
    reg = _with_principals(base_register())
    reg["provision_log"] = [
        {"event_id": f"E{k:04d}", "provision_id": "V1", "provided_on": "2026-04-01",
         "principal_ids": [f"X{k}"]}
        for k in range(150)
    ]
    res = run_cli("check", str(write_json(tmp_path, reg)), "--format", "json", "--as-of", "2026-11-21")
    doc = json.loads(res.output)
    ref = [f for f in doc["findings"] if f["rule"] == "REF-006"]
    notes = [f for f in ref if f["record"] is None]
    assert len(ref) == 101 and len(notes) == 1  # 100, and the note saying how many more
    assert notes[0]["message"].startswith("50 more findings")
    assert doc["summary"]["suppressed"] == 50


@pytest.fixture(scope="module")
def long_log(tmp_path_factory):
    """A generated register whose log (120,000 rows) is long enough for `records` to code its
    principals while the checks run (api.analyze's prefetch), read whole."""
    import sys

    from .conftest import ROOT

    sys.path.insert(0, str(ROOT / "benchmarks"))
    import generate

    folder = tmp_path_factory.mktemp("long") / "reg"
    generate.generate(folder, 120_000)
    return folder


@pytest.mark.parametrize("where", ["none", "event_row", "row_without_event"])
def test_ref006_read_from_the_records_coding_is_the_scan(long_log, tmp_path, where):
    """`records` reads REF-006 over the log's events from its own coding of their principal
    IDs; `check` tests every ID. The same findings either way: an unknown ID in a row of an
    event, in a row without an event ID (no event holds it), or none."""
    import shutil

    import polars as pl

    from register import api
    from register.facts import flows
    from register.model import LONG_TABLE_ROWS

    folder = tmp_path / "reg"
    shutil.copytree(long_log, folder)
    log = pl.read_csv(folder / "provision_log.csv", infer_schema=False)
    assert log.height >= LONG_TABLE_ROWS
    if where == "event_row":
        log = log.with_columns(pl.when(pl.int_range(pl.len()) == 5_000).then(pl.lit("NOBODY-1"))
                               .otherwise(pl.col("principal_ids")).alias("principal_ids"))
    elif where == "row_without_event":
        hit = pl.int_range(pl.len()) == 7_000
        log = log.with_columns(pl.when(hit).then(None).otherwise(pl.col("event_id")).alias("event_id"),
                               pl.when(hit).then(pl.lit("NOBODY-2")).otherwise(pl.col("principal_ids"))
                               .alias("principal_ids"))
    log.write_csv(folder / "provision_log.csv")

    def ref006(principals: bool):
        a = api.check(str(folder), AS_OF, principals=principals)
        assert flows.asked(a.register, "coded_log_principals") == principals
        return [(f.location.row, f.params.get("missing")) for f in a.report.findings
                if f.rule == "REF-006"]

    coded, scanned = ref006(True), ref006(False)
    assert coded == scanned
    assert coded == {"none": [], "event_row": [(5_002, ["NOBODY-1"])],
                     "row_without_event": [(7_002, ["NOBODY-2"])]}[where]
