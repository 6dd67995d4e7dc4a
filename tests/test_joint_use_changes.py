"""joint_use_changes: the joint use on a date, the change rules JNT-008…JNT-013, JNT-001's
managers in force and JNT-003 on each event date, and their effect on the routes and records
(joint-use.md §1.2, §1.3, §2, §3)."""

from __future__ import annotations

import datetime as dt

import pytest

from register.facts import joint_uses as ju

from .joint_use_support import (
    analyse,
    exempt,
    group_register,
    keys_of,
    record_events,
    with_change,
)
from .law_helpers import joint_use_register

D = dt.date.fromisoformat


# --- a change made the wrong way turns exactly the later flows into consent records ----------


@pytest.mark.parametrize(("rule", "change"), [
    ("JNT-010", dict(matter="items", effective_on="2025-06-01", notified_on="2025-05-01",
                     before_item_ids=["I1", "I2"])),
    ("JNT-011", dict(matter="users", effective_on="2025-06-01", notified_on="2025-05-01",
                     before_user_party_ids=["self", "P1"])),
    ("JNT-008", dict(matter="purposes", effective_on="2025-06-01", before_purpose_ids=["U1"])),
    ("JNT-008", dict(matter="manager", effective_on="2025-06-01", before_manager_party_id="P1")),
])
def test_a_wrong_change_fails_exactly_the_provisions_with_events_from_its_date(tmp_path, rule, change):
    a = analyse(tmp_path, with_change(group_register(), **change))
    assert keys_of(a, rule) == {(rule, "joint_use_changes", "JC1", change_field(rule))}
    failed = {pid for pid, r in a.routes.provisions.items() if rule in r.failed_by}
    # V1 (2026-04-01), VA and VX have events on or after 2025-06-01; VB only before; VO is J2's
    assert failed == {"V1", "VA", "VX"}
    assert set(record_events(a)) == {"V1", "VA", "VX"}
    # a failed provision fails whole: VX's event before the change gets its record too
    assert record_events(a)["VX"] == {"E6", "E7"}
    assert exempt(a)[("provision", "VB")] == exempt(a)[("provision", "VO")] == "art27_5"


def change_field(rule: str) -> str:
    return {"JNT-008": "notified_on", "JNT-010": "before_item_ids",
            "JNT-011": "before_user_party_ids"}[rule]


def test_a_late_notice_fails_only_the_events_inside_its_window(tmp_path):
    # purposes changed 2025-06-01, notified 2025-08-01: VA's 2025-06-01 event is inside the
    # window; VX's 2025-09-01 and V1's 2026-04-01 are after the notice
    reg = with_change(group_register(), matter="purposes", effective_on="2025-06-01",
                      notified_on="2025-08-01", before_purpose_ids=["U1"])
    a = analyse(tmp_path, reg)
    assert keys_of(a, "JNT-008") == {("JNT-008", "joint_use_changes", "JC1", "notified_on")}
    assert set(record_events(a)) == {"VA"}


def test_a_change_notified_on_its_effective_day_is_late_but_fails_no_flow(tmp_path):
    # joint-use.md §7 item 1: not "in advance"; the window [eff, notified) is empty
    reg = with_change(group_register(), matter="manager", effective_on="2025-06-01",
                      notified_on="2025-06-01", before_manager_party_id="P1")
    a = analyse(tmp_path, reg)
    assert keys_of(a, "JNT-008") == {("JNT-008", "joint_use_changes", "JC1", "notified_on")}
    assert record_events(a) == {}


def test_a_change_made_the_right_way_fails_nothing(tmp_path):
    reg = group_register()
    for change in (
        dict(matter="purposes", effective_on="2025-06-01", notified_on="2025-05-01", before_purpose_ids=["U1"]),
        dict(matter="items", effective_on="2025-06-01", notified_on="2025-05-01",
             before_item_ids=["I1", "I2"], change_basis="consent"),
        dict(matter="users", effective_on="2025-07-01", notified_on="2025-07-01",
             before_user_party_ids=["self", "P1", "P2"], change_basis="user_renamed",
             before_users_scope="当社グループ（旧称）"),
        dict(matter="manager_details", effective_on="2025-08-01", notified_on="2025-08-20",
             before_manager_details="旧住所"),
    ):
        reg = with_change(reg, **change)
    a = analyse(tmp_path, reg)
    assert {k for k in keys_of(a) if k[0].startswith("JNT")} == set()
    assert record_events(a) == {}


def test_narrowing_items_or_users_gets_no_finding(tmp_path):
    # joint-use.md §7 item 4: removing items or users stays inside what was notified before
    reg = group_register()
    reg["joint_uses"][0]["item_ids"] = ["I1", "I2"]
    reg = with_change(reg, matter="items", effective_on="2025-06-01",
                      before_item_ids=["I1", "I2", "I3"])
    reg = with_change(reg, matter="users", effective_on="2025-07-01",
                      before_user_party_ids=["self", "P1", "P2", "P3"])
    reg["parties"].append({**reg["parties"][0], "party_id": "P3"})
    a = analyse(tmp_path, reg)
    assert {k for k in keys_of(a) if k[0].startswith("JNT")} == set()


# --- the change rules ------------------------------------------------------------------------


@pytest.mark.parametrize(("change", "expected"), [
    # JNT-008: empty notice, in force before as-of; a pending change is not yet late
    (dict(matter="purposes", effective_on="2026-11-21", before_purpose_ids=["U1"]),
     {("JNT-008", "joint_use_changes", "JC1", "notified_on")}),
    (dict(matter="purposes", effective_on="2026-11-22", before_purpose_ids=["U1"]), set()),
    # JNT-009: manager_details with no notice, effective before as-of (not on it)
    (dict(matter="manager_details", effective_on="2026-11-20", before_manager_details="旧"),
     {("JNT-009", "joint_use_changes", "JC1", "notified_on")}),
    (dict(matter="manager_details", effective_on="2026-11-21", before_manager_details="旧"), set()),
    (dict(matter="manager_details", effective_on="2026-01-01", notified_on="2026-06-01"), set()),
    # JNT-010: added items; consent keeps the joint use; the same list is no addition
    (dict(matter="items", effective_on="2026-01-01", before_item_ids=["I1"]),
     {("JNT-010", "joint_use_changes", "JC1", "before_item_ids")}),
    (dict(matter="items", effective_on="2026-01-01", before_item_ids=["I1"], change_basis="consent"), set()),
    (dict(matter="items", effective_on="2026-01-01", before_item_ids=["I1", "I2"]), set()),
    # JNT-011 / JNT-012
    (dict(matter="users", effective_on="2026-01-01", before_user_party_ids=["self"]),
     {("JNT-011", "joint_use_changes", "JC1", "before_user_party_ids")}),
    (dict(matter="users", effective_on="2026-01-01", before_user_party_ids=["self"], change_basis="consent"), set()),
    (dict(matter="users", effective_on="2026-01-01", before_user_party_ids=["self"],
          change_basis="user_succession"), set()),
    (dict(matter="users", effective_on="2026-01-01", before_users_scope="当社の子会社"),
     {("JNT-012", "joint_use_changes", "JC1", "before_users_scope")}),
    # same list, text changed: neither an addition nor a removal only
    (dict(matter="users", effective_on="2026-01-01", before_user_party_ids=["self", "P1"],
          before_users_scope="旧い範囲"),
     {("JNT-012", "joint_use_changes", "JC1", "before_user_party_ids")}),
    # a user removed and the text changed with it: not "only removes users"
    (dict(matter="users", effective_on="2026-01-01", before_user_party_ids=["self", "P1", "P9"],
          before_users_scope="当社グループ（三社）"),
     {("JNT-012", "joint_use_changes", "JC1", "before_user_party_ids")}),
])
def test_change_rules(tmp_path, change, expected):
    reg = joint_use_register()
    reg["parties"].append({**reg["parties"][0], "party_id": "P9"})
    a = analyse(tmp_path, with_change(reg, **change))
    got = {k for k in keys_of(a) if k[0] in ("JNT-008", "JNT-009", "JNT-010", "JNT-011", "JNT-012", "JNT-013")}
    assert got == expected


def test_users_not_comparable_is_jnt012(tmp_path):
    # no users were listed before: the check cannot see what was added (JNT-012, no route effect)
    reg = joint_use_register()
    reg = with_change(reg, matter="users", effective_on="2026-01-01", before_users_scope="当社")
    a = analyse(tmp_path, reg)
    assert keys_of(a, "JNT-011", "JNT-012") == {("JNT-012", "joint_use_changes", "JC1", "before_users_scope")}
    assert a.routes.provisions["V1"].reason == "art27_5"


@pytest.mark.parametrize(("change", "field"), [
    (dict(matter="items"), "before_item_ids"),  # (a) its matter's column is empty
    (dict(matter="purposes"), "before_purpose_ids"),
    (dict(matter="manager"), "before_manager_party_id"),
    (dict(matter="users"), "before_user_party_ids"),
    (dict(matter="purposes", before_purpose_ids=["U1"], before_item_ids=["I1"]), "before_item_ids"),  # (b)
    (dict(matter="manager", before_manager_party_id="self", before_manager_details="旧"), "before_manager_details"),
    (dict(matter="purposes", before_purpose_ids=["U1"], change_basis="consent"), "change_basis"),  # (c)
    (dict(matter="manager_details", change_basis="user_renamed"), "change_basis"),
    (dict(matter="items", before_item_ids=["I1"], change_basis="user_renamed"), "change_basis"),
])
def test_jnt013_a_row_that_is_not_one_readable_change(tmp_path, change, field):
    reg = with_change(joint_use_register(), effective_on="2026-01-01", **change)
    a = analyse(tmp_path, reg)
    assert keys_of(a, "JNT-013") == {("JNT-013", "joint_use_changes", "JC1", field)}
    # an invalid row takes no part in anything: no change rule, no route failure
    assert keys_of(a, "JNT-008", "JNT-010", "JNT-011", "JNT-012") == set()
    assert a.routes.provisions["V1"].reason == "art27_5"


def test_jnt013_a_change_before_the_joint_use_was_notified(tmp_path):
    reg = with_change(joint_use_register(), matter="items", effective_on="2019-12-31",
                      before_item_ids=["I1"])
    a = analyse(tmp_path, reg)
    assert keys_of(a, "JNT-013", "JNT-010") == {("JNT-013", "joint_use_changes", "JC1", "effective_on")}


@pytest.mark.parametrize(("mutate", "rule"), [
    (lambda r: r["joint_use_changes"][0].update(matter="scope"), "SCH-004"),
    (lambda r: r["joint_use_changes"][0].update(effective_on="2026-02-30"), "SCH-003"),
    (lambda r: r["joint_use_changes"][0].pop("effective_on"), "SCH-002"),
    (lambda r: r["joint_use_changes"][0].update(joint_use_id="J9"), "REF-002"),
    (lambda r: r["joint_use_changes"].insert(0, {**r["joint_use_changes"][0], "matter": "purposes",
                                                 "before_item_ids": None, "before_purpose_ids": ["U1"],
                                                 "notified_on": "2020-01-01"}), "REF-001"),
])
def test_an_invalid_row_takes_no_part(tmp_path, mutate, rule):
    reg = with_change(joint_use_register(), matter="items", effective_on="2025-06-01", before_item_ids=["I1"])
    mutate(reg)
    a = analyse(tmp_path, reg)
    assert rule in {k[0] for k in keys_of(a)}
    assert keys_of(a, "JNT-010") == set()
    assert a.routes.provisions["V1"].reason == "art27_5"


def test_no_joint_uses_table_makes_every_change_ref002(tmp_path):
    reg = with_change(joint_use_register(), matter="items", effective_on="2025-06-01", before_item_ids=["I1"])
    del reg["joint_uses"]
    reg["provisions"][0]["basis"] = "consent"
    reg["provisions"][0]["consent"] = True
    del reg["provisions"][0]["joint_use_id"]
    a = analyse(tmp_path, reg)
    assert ("REF-002", "joint_use_changes", "JC1", "joint_use_id") in keys_of(a, "REF-002")


# --- the joint use on a date (§1.3) ----------------------------------------------------------


def test_the_notice_on_each_date(tmp_path):
    reg = joint_use_register()
    reg["data_items"].append({"item_id": "I3", "name": "電話番号", "legal_class": "personal"})
    reg["joint_uses"][0]["item_ids"] = ["I1", "I2", "I3"]
    reg = with_change(reg, matter="items", effective_on="2024-01-01", before_item_ids=["I1"],
                      change_basis="consent", change_id="C-a")
    reg = with_change(reg, matter="items", effective_on="2025-01-01", before_item_ids=["I1", "I2"],
                      change_basis="consent", change_id="C-b")
    reg = with_change(reg, matter="users", effective_on="2024-06-01", before_user_party_ids=["self"],
                      change_basis="consent", change_id="C-c")
    reg = with_change(reg, matter="users", effective_on="2025-06-01",
                      before_user_party_ids=["self", "P1"], before_users_scope="当社及び子会社",
                      change_basis="user_renamed", change_id="C-d")
    a = analyse(tmp_path, reg)
    h = ju.history(a.register)["J1"]
    assert [c.change_id for c in h.changes] == ["C-a", "C-c", "C-b", "C-d"]
    assert h.state_on(D("2023-12-31")).items == ("I1",)
    assert h.state_on(D("2024-01-01")).items == ("I1", "I2")  # in force on its effective day
    assert h.state_on(D("2025-01-01")).items == ("I1", "I2", "I3")
    assert h.state_on(D("2024-05-31")).users == ("self",)
    # the text before C-c is empty: unchanged, so it is the text before C-d
    assert h.state_on(D("2024-05-31")).users_scope == "当社及び子会社"
    assert h.state_on(D("2025-06-01")).users_scope == "当社グループ"
    c_a = h.changes[0]
    assert h.before(c_a) == ("I1",) and h.after(c_a) == ("I1", "I2")


def test_jnt003_compares_with_the_joint_use_in_force_on_each_event(tmp_path):
    reg = group_register()
    # P2 joined on 2025-06-01 with the principals' consent: VB's events before are fine (to P1),
    # VX's event of 2025-03-01 went to P2 before it was a joint user
    reg = with_change(reg, matter="users", effective_on="2025-06-01",
                      before_user_party_ids=["self", "P1"], change_basis="consent")
    a = analyse(tmp_path, reg)
    assert keys_of(a, "JNT-003") == {("JNT-003", "provisions", "VX", "party_id")}
    f = next(f for f in a.report.findings if f.rule == "JNT-003")
    assert "2025-03-01" in f.message("en") and "2025-03-01" in f.message("ja")
    assert set(record_events(a)) == {"VX"}


def test_jnt003_an_item_removed_later(tmp_path):
    # I2 left the joint use on 2025-06-01: VA (events from that day) carries it
    reg = group_register()
    reg["joint_uses"][0]["item_ids"] = ["I1"]
    reg = with_change(reg, matter="items", effective_on="2025-06-01", before_item_ids=["I1", "I2"])
    a = analyse(tmp_path, reg)
    assert keys_of(a, "JNT-003") == {("JNT-003", "provisions", p, "item_ids") for p in ("V1", "VA", "VX")}


def test_jnt003_without_changes_is_todays_check(tmp_path):
    reg = joint_use_register()
    reg["joint_uses"][0]["user_party_ids"] = ["self"]
    a = analyse(tmp_path, reg)
    f = next(f for f in a.report.findings if f.rule == "JNT-003")
    assert f.params["case"] == "recipient"


# --- JNT-001: every manager in force; the published details ---------------------------------


def _pm(reg, **fields):
    reg["parties"].append({"party_id": "PM", "name": "管理会社", "kind": "corporation",
                           "address": "東京都新宿区1-1", "representative": "管理太郎",
                           "country": "JP", **fields})


def test_jnt001_the_manager_until_a_pending_change(tmp_path):
    # PM manages until 2027-01-01, when the organization takes over: PM lacks an address today
    reg = joint_use_register()
    _pm(reg, address=None)
    reg = with_change(reg, matter="manager", effective_on="2027-01-01", notified_on="2026-10-01",
                      before_manager_party_id="PM")
    a = analyse(tmp_path, reg)
    assert keys_of(a, "JNT-001") == {("JNT-001", "joint_uses", "J1", "manager_party_id")}
    assert a.routes.provisions["V1"].failed_by == ("JNT-001",)
    # a manager change already in force: the earlier manager is history, not checked
    a = analyse(tmp_path, reg, as_of=dt.date(2027, 1, 1), name="later.json")
    assert keys_of(a, "JNT-001") == set()


@pytest.mark.parametrize(("flags", "manager", "expected"), [
    ({"manager_address_published": False}, "self", {"manager_address_published"}),
    ({"manager_representative_published": False}, "self", {"manager_representative_published"}),
    ({"manager_address_published": False, "manager_representative_published": False}, "self",
     {"manager_address_published", "manager_representative_published"}),
    ({"manager_address_published": True, "manager_representative_published": True}, "self", set()),
    ({}, "self", set()),  # empty: true (today's reading)
    ({"manager_representative_published": False}, "PI", set()),  # an individual has none
    ({"manager_address_published": False}, "PI", {"manager_address_published"}),
])
def test_jnt001_published_details(tmp_path, flags, manager, expected):
    reg = joint_use_register()
    reg["parties"].append({"party_id": "PI", "name": "管理 花子", "kind": "individual",
                           "address": "東京都中野区1-1", "country": "JP"})
    reg["joint_uses"][0].update(manager_party_id=manager, **flags)
    a = analyse(tmp_path, reg)
    assert keys_of(a, "JNT-001") == {("JNT-001", "joint_uses", "J1", f) for f in expected}
    assert bool(expected) == ("JNT-001" in a.routes.provisions["V1"].failed_by)


def test_jnt001_messages_name_the_detail_in_japanese(tmp_path):
    reg = joint_use_register()
    reg["joint_uses"][0]["manager_address_published"] = False
    a = analyse(tmp_path, reg)
    f = next(f for f in a.report.findings if f.rule == "JNT-001")
    assert "「住所」" in f.message("ja") and "「管理責任者の住所の公表」が『×』" in f.message("ja")


# --- determinism -----------------------------------------------------------------------------


def test_change_order_does_not_depend_on_row_order(tmp_path):
    changes = [
        dict(change_id="JC-b", matter="items", effective_on="2025-06-01", before_item_ids=["I1"]),
        dict(change_id="JC-a", matter="items", effective_on="2025-06-01", before_item_ids=["I1"],
             change_basis="consent"),
        dict(change_id="JC-c", matter="purposes", effective_on="2024-01-01", notified_on="2023-12-01",
             before_purpose_ids=["U1"]),
    ]
    regs = []
    for order in (changes, list(reversed(changes))):
        reg = group_register()
        for c in order:
            reg = with_change(reg, **c)
        regs.append(reg)
    a, b = analyse(tmp_path, regs[0], name="a.json"), analyse(tmp_path, regs[1], name="b.json")
    ha, hb = ju.history(a.register)["J1"], ju.history(b.register)["J1"]
    assert [c.change_id for c in ha.changes] == [c.change_id for c in hb.changes] == ["JC-c", "JC-a", "JC-b"]
    assert keys_of(a) == keys_of(b)
    assert record_events(a) == record_events(b)
