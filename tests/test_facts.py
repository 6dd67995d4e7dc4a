"""One legal fact, one place: check, records and the report (HTML and JSON) agree.

The report used to decide audit status and the joint-use matters itself, and disagreed with
ENT-003 twice (an interval of 0 months; a contract signed after the as-of date). Each case
here reads the same register through `check`, `records` and `report --format json`.
"""

from __future__ import annotations

import json

import pytest

from register.report import render_html
from register.report.data import report_data

from .conftest import AS_OF, SAMPLE, run_cli, write_json
from .law_helpers import analysis_of, entrustment_register, joint_use_register, mutated


def _contract(reg, **changes):
    reg["contractors"][0].update(changes)


def _ent003(analysis) -> set[str]:
    return {f.record for f in analysis.report.findings if f.rule == "ENT-003"}


def _contract_row(analysis, cid="C1"):
    return next(c for c in report_data(analysis)["contractors"] if c["contract_id"] == cid)


def test_audit_interval_zero_is_overdue_in_check_and_report(tmp_path) -> None:
    # audited 2026-06-01, every 0 months: due again on 2026-06-01, before the as-of date
    reg = mutated(lambda r: _contract(r, audit_interval_months=0), start=entrustment_register())
    a = analysis_of(tmp_path, reg)
    assert _ent003(a) == {"C1"}
    row = _contract_row(a)
    assert (row["audit_due_on"], row["audit_overdue"], row["rules"]) == ("2026-06-01", True, ["ENT-003"])
    html = render_html(a, "en")
    assert "audit overdue" in html and "audit current" not in html  # the report said current


def test_contract_signed_after_as_of_is_not_yet_in_force(tmp_path) -> None:
    reg = mutated(
        lambda r: _contract(r, contract_on="2027-01-01", last_audit_on=None),
        start=entrustment_register(),
    )
    a = analysis_of(tmp_path, reg)
    assert _ent003(a) == set()
    row = _contract_row(a)
    assert (row["state"], row["in_force"], row["audit_overdue"]) == ("not_yet_in_force", False, False)
    html = render_html(a, "en")
    assert "not yet in force" in html and "never audited" not in html  # the report said never


def test_ended_contract_is_not_audited(tmp_path) -> None:
    reg = mutated(
        lambda r: _contract(r, ends_on="2025-12-31", last_audit_on="2020-02-01"),
        start=entrustment_register(),
    )
    a = analysis_of(tmp_path, reg)
    assert _ent003(a) == set()
    assert _contract_row(a)["state"] == "ended"
    assert "contract ended" in render_html(a, "en")


def test_never_audited_contract_in_force(tmp_path) -> None:
    reg = mutated(lambda r: _contract(r, last_audit_on=None), start=entrustment_register())
    a = analysis_of(tmp_path, reg)
    assert _ent003(a) == {"C1"}
    row = _contract_row(a)
    assert (row["never_audited"], row["audit_overdue"], row["audit_due_on"]) == (True, True, None)
    msg = next(f for f in a.report.findings if f.rule == "ENT-003")
    assert "最終監査日が空欄" in msg.message("ja")


@pytest.mark.parametrize("column", ["notified_on", "item_ids", "users_scope", "purpose_ids"])
def test_joint_use_missing_a_matter(tmp_path, column) -> None:
    reg = mutated(lambda r: r["joint_uses"][0].pop(column), start=joint_use_register())
    a = analysis_of(tmp_path, reg)
    jnt = {(f.rule, f.record, f.field) for f in a.report.findings if f.rule == "JNT-001"}
    assert jnt == {("JNT-001", "J1", column)}
    data = report_data(a)
    ju = data["joint_uses"][0]
    assert ju["complete"] is False
    assert [m["matter"] for m in ju["matters"] if not m["given"]] == [column]
    flow = next(f for f in data["flows"] if f["flow_id"] == "V1")
    # the route fails: an ordinary provision that needs consent and a consent record
    assert "JNT-001" in flow["route_failed_by"] and "JNT-001" in flow["rules"]


def test_joint_use_manager_without_address(tmp_path) -> None:
    reg = mutated(lambda r: r["organization"].pop("address"), start=joint_use_register())
    a = analysis_of(tmp_path, reg)
    f = next(f for f in a.report.findings if f.rule == "JNT-001")
    assert (f.record, f.field) == ("J1", "manager_party_id")
    assert "「住所」" in f.message("ja")
    ju = report_data(a)["joint_uses"][0]
    assert {m["matter"]: m["manager_missing"] for m in ju["matters"]}["manager_party_id"] == ["address"]


def _agree_with_records(analysis) -> None:
    """Every flow of the report's JSON agrees with the records and with check's findings."""
    data = report_data(analysis)
    records = analysis.records
    exempt = {(r["flow"], r["flow_id"]): r["reason"]
              for r in records.table("exempt_flows").iter_rows(named=True)}
    provided = {r["provision_id"]: r["record_type"]
                for r in records.table("provision_records").iter_rows(named=True)}
    confirmed = {r["receipt_id"]: r["record_type"]
                 for r in records.table("confirmation_records").iter_rows(named=True)
                 if r.get("receipt_id")}
    found = {(f.table, f.record): f.rule for f in analysis.report.findings}
    assert data["flows"], "the register has flows"
    for flow in data["flows"]:
        key = (flow["flow"], flow["flow_id"])
        if flow["record_type"] is None:
            assert exempt[key] == flow["reason"], key
        else:
            assert flow["reason"] is None and key not in exempt, key
            made = provided if flow["flow"] == "provision" else confirmed
            if flow["flow_id"] in made:
                assert made[flow["flow_id"]] == flow["record_type"], key
        table = "provisions" if flow["flow"] == "provision" else "receipts"
        own = {rule for (t, rec), rule in found.items() if (t, rec) == (table, flow["flow_id"])}
        assert own <= set(flow["rules"]), key
    for c in data["contractors"]:
        assert ("ENT-003" in c["rules"]) == c["audit_overdue"], c


def test_sample_report_json_agrees_with_check_and_records() -> None:
    from register import api

    _agree_with_records(api.check(SAMPLE / "register.json", AS_OF))


@pytest.mark.parametrize("start", [entrustment_register, joint_use_register])
def test_edge_registers_agree(tmp_path, start) -> None:
    _agree_with_records(analysis_of(tmp_path, start()))


def test_report_json_from_the_command_line(tmp_path) -> None:
    src = write_json(tmp_path, entrustment_register())
    out = tmp_path / "report.json"
    r = run_cli("report", str(src), "--out", str(out), "--as-of", AS_OF.isoformat())
    assert r.exit_code == 0, r.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert {f["flow_id"]: f["basis"] for f in data["flows"]} == {"V1": "entrustment"}
    first = out.read_bytes()
    out2 = tmp_path / "again.txt"
    r = run_cli("report", str(src), "--out", str(out2), "--format", "json", "--as-of", AS_OF.isoformat())
    assert r.exit_code == 0 and out2.read_bytes() == first
