"""What the report shows of joint-use changes and data held for clients (joint-use.md §4): the
joint use as in force on as-of with its history (id="joint-changes"), the held-data section, the
inventory marks, contractors without clients, the return's edge — and the same in its JSON."""

from __future__ import annotations

import re
from html import unescape

from register.report import render_html
from register.report.data import report_data

from .joint_use_support import analyse, group_register, trustee_register, with_change
from .law_helpers import joint_use_register


def _section(html: str, sid: str) -> str:
    m = re.search(rf'<section id="{sid}".*?</section>', html, re.S)
    assert m, f"no section {sid}"
    return m.group(0)


def _element(html: str, eid: str) -> str:
    m = re.search(rf'<div id="{eid}">.*?</div>\s*</section>', html, re.S)
    assert m, f"no element {eid}"
    return m.group(0)


def _text(fragment: str) -> str:
    """The visible text: no tags, no attribute values (data-* keep the codes)."""
    return unescape(re.sub(r"<[^>]+>", " ", fragment))


def _history_register():
    reg = group_register()
    reg = with_change(reg, change_id="JC-late", matter="purposes", effective_on="2025-06-01",
                      notified_on="2025-08-01", before_purpose_ids=["U1"])
    reg["purposes"].append({"purpose_id": "U2", "description": "新サービスの案内"})
    reg["joint_uses"][0]["purpose_ids"] = ["U1", "U2"]
    reg = with_change(reg, change_id="JC-pending", matter="users", effective_on="2027-01-01",
                      notified_on="2026-11-01", before_user_party_ids=["self", "P1", "P2"],
                      before_users_scope="当社グループ（旧）", change_basis="user_renamed")
    reg = with_change(reg, change_id="JC-bad", matter="items", effective_on="2025-01-01")
    reg["joint_uses"][0]["manager_representative_published"] = False
    return reg


def test_joint_section_shows_the_notice_in_force_and_every_change(tmp_path):
    a = analyse(tmp_path, _history_register())
    html = render_html(a, "en")
    joint = _section(html, "joint")
    # as in force on as-of: the pending users change has not happened, its old text is shown
    assert "当社グループ（旧）" in _text(joint.split('id="joint-changes"')[0])
    assert "representative: not published" in _text(joint)
    changes = _element(html, "joint-changes")
    ids = re.findall(r'data-change="([^"]+)"', changes)
    assert ids == ["JC-bad", "JC-late", "JC-pending"]  # by joint use, effective date, ID
    row = re.search(r'<tr data-change="JC-late">.*?</tr>', changes, re.S).group(0)
    assert "JNT-008" in row and "2025-08-01" in row
    bad = re.search(r'<tr data-change="JC-bad">.*?</tr>', changes, re.S).group(0)
    assert "JNT-013" in bad and "not read" in _text(bad)
    assert "pending" in _text(re.search(r'<tr data-change="JC-pending">.*?</tr>', changes, re.S).group(0))


def test_joint_changes_in_japanese_show_labels_not_codes(tmp_path):
    a = analyse(tmp_path, _history_register())
    changes = _text(_element(render_html(a, "ja"), "joint-changes"))
    assert "利用目的" in changes and "共同利用者の名称変更" in changes and "予定" in changes
    for code in ("user_renamed", "purposes", "items", "consent", "not published"):
        assert code not in changes
    assert "代表者: 公表なし" in _text(_section(render_html(a, "ja"), "joint"))


def test_joint_changes_without_rows_say_so(tmp_path):
    html = render_html(analyse(tmp_path, joint_use_register()), "en")
    changes = _element(html, "joint-changes")
    assert "No changes of joint-use matters are recorded." in changes
    assert "共同利用の事項の変更の記録はありません。" in _element(render_html(analyse(
        tmp_path, joint_use_register(), name="b.json"), "ja"), "joint-changes")


def _trustee_with_flows():
    reg = trustee_register()
    reg["contractors"] = [
        {"contract_id": "CS", "party_id": "P1", "task": "再委託", "item_ids": ["I1", "I2"],
         "contract_on": "2026-01-01", "security_terms": True, "last_audit_on": "2026-06-01",
         "subcontracting": "none"},
        # the old workaround: a contract row naming the client, used only by the return
        {"contract_id": "CF", "party_id": "PC", "task": "返還", "item_ids": ["I1", "I2"]},
    ]
    reg["provisions"][-1]["contract_id"] = "CF"
    reg["provisions"].append({"provision_id": "VS", "party_id": "P1", "basis": "entrustment",
                              "item_ids": ["I1", "I2"], "dataset_id": "DH", "contract_id": "CS"})
    return reg


def test_held_data_section(tmp_path):
    a = analyse(tmp_path, _trustee_with_flows())
    html = render_html(a, "en")
    held = _section(html, "held-data")
    assert "DH" in held and "PC" in held and "株式会社委託元" in held
    assert "委託元から受託した顧客対応業務" in held  # the client's purpose
    kinds = dict(re.findall(r'data-provision="([^"]+)" data-kind="([^"]+)"', held))
    assert kinds == {"VR": "return", "VS": "re_entrustment"}
    vs = re.search(r'data-provision="VS".*?</tr>', held, re.S).group(0)
    assert "not approved by the client" in vs and "ENT-009" in vs
    # after contractors, before joint uses
    assert html.index('id="contractors"') < html.index('id="held-data"') < html.index('id="joint"')


def test_held_data_in_japanese(tmp_path):
    held = _text(_section(render_html(analyse(tmp_path, _trustee_with_flows()), "ja"), "held-data"))
    assert "委託元への返還" in held and "再委託" in held and "委託元の承諾なし" in held
    assert "return_to_entrustor" not in held and "re_entrustment" not in held


def test_contractors_never_list_the_client_and_show_whose_data(tmp_path):
    a = analyse(tmp_path, _trustee_with_flows())
    contractors = _section(render_html(a, "en"), "contractors")
    assert "CS" in contractors and "<strong>CF</strong>" not in contractors
    assert "carries data held for" in contractors and "(PC)" in contractors
    data = report_data(a)
    assert [c["contract_id"] for c in data["contractors"]] == ["CS"]
    assert data["contractors"][0]["client_party_ids"] == ["PC"]


def test_inventory_marks_held_datasets_and_lists_them_last(tmp_path):
    reg = trustee_register()
    reg["datasets"].insert(0, reg["datasets"].pop())  # the held dataset first in the register
    inventory = _section(render_html(analyse(tmp_path, reg), "ja"), "inventory")
    rows = re.findall(r'<span class="id">(D\w+)</span>', inventory)
    assert rows[:2] == ["D1", "DH"]
    assert "受託: 株式会社委託元 (PC)" in _text(inventory)


def test_the_return_is_an_edge_with_no_record_needed(tmp_path):
    html = render_html(analyse(tmp_path, trustee_register()), "en")
    edge = re.search(r'<path class="edge (\w+)"[^>]*data-provision="VR"', html)
    edge = edge or re.search(r'<path class="edge (\w+)"[^>]*>\s*<title>VR:', html)
    assert edge and edge.group(1) == "no_record"
    assert "return to client" in html


def test_report_json_has_the_history_and_the_held_data(tmp_path):
    a = analyse(tmp_path, _history_register())
    data = report_data(a)
    changes = {c["change_id"]: c for c in data["joint_use_changes"]}
    assert set(changes) == {"JC-late", "JC-pending"}  # valid changes (JC-bad is JNT-013)
    late = changes["JC-late"]
    assert (late["fails_routes_from"], late["fails_routes_until"]) == ("2025-06-01", "2025-08-01")
    assert late["before"] == ["U1"] and late["after"] == ["U1", "U2"] and late["rules"] == ["JNT-008"]
    assert changes["JC-pending"]["pending"] is True
    j1 = next(j for j in data["joint_uses"] if j["joint_use_id"] == "J1")
    assert j1["in_force"]["users_scope"] == "当社グループ（旧）"
    held = report_data(analyse(tmp_path, _trustee_with_flows(), name="t.json"))["held_data"]
    assert held == [{
        "dataset_id": "DH", "client_party_id": "PC", "client_purpose_ids": ["UC"],
        "provisions": [
            {"provision_id": "VR", "party_id": "PC", "kind": "return", "rules": []},
            {"provision_id": "VS", "party_id": "P1", "kind": "re_entrustment", "rules": ["ENT-009"]},
        ],
        "rules": [],
    }]


def test_the_report_is_deterministic(tmp_path):
    reg = _history_register()
    a, b = analyse(tmp_path, reg, name="a.json"), analyse(tmp_path, reg, name="b.json")
    strip = lambda h: h.replace("b.json", "a.json")  # noqa: E731 -- the input's name is shown
    assert strip(render_html(a, "ja")) == strip(render_html(b, "ja"))
