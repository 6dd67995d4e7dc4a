"""The report's web parts (web.md §9): the tags section, the flow map's service boxes and tag
edges, the processed-data markers, the cross-border wording and the JSON data."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from .conftest import AS_OF, SAMPLE
from .web_support import analysis_of, rows, web_register

SVG_NS = "{http://www.w3.org/2000/svg}"


def _html(tmp_path, reg, lang="en"):
    from register.report import render_html

    return render_html(analysis_of(tmp_path, reg), lang)


def _section(html: str, sid: str) -> str:
    return html.split(f'<section id="{sid}"')[1].split("</section>")[0]


def _paths(html: str) -> list[ET.Element]:
    svgs = re.findall(r'<svg [^>]*class="flowmap".*?</svg>', html, re.S)
    return [p for s in svgs for p in ET.fromstring(s).iter(f"{SVG_NS}path")]


def test_tags_section_after_cross_border_with_one_row_per_tag(tmp_path):
    reg = web_register()
    reg["tags"].append({"tag_id": "T2", "service_ids": ["S1"], "module_name": "ログイン",
                        "recipient_party_id": "self", "item_ids": ["IC"],
                        "exemption": "first_party_id"})
    html = _html(tmp_path, reg)
    ids = re.findall(r'<section id="([\w-]+)"', html)
    assert ids.index("tags") == ids.index("xb") + 1
    tags = _section(html, "tags")
    assert re.findall(r'<tr data-tag="([^"]+)" data-notice="([^"]+)"', tags) == [
        ("T1", "required"), ("T2", "exempt")]
    row = tags.split('data-tag="T1"')[1].split("</tr>")[0]
    for shown in ("Vendor Analytics", "Vendor Analytics Inc.", "United States", "Cookie ID",
                  "利用状況の分析", "解析サービスの提供", "collected directly by the vendor"):
        assert shown in row, shown
    assert 'data-service="S1"' in tags and "https://example.jp/external" in tags


def test_tag_through_our_provision_shows_the_provision_and_its_route(tmp_path):
    reg = web_register()
    p = rows(reg, "provisions", "provision_id", "V1")
    p.update(party_id="PV", basis="none", dataset_id="D2", item_ids=["IB"], linkage_expected=False)
    p.pop("consent")
    rows(reg, "tags", "tag_id", "T1").update(provision_id="V1", item_ids=["IB"])
    row = _section(_html(tmp_path, reg), "tags").split('data-tag="T1"')[1].split("</tr>")[0]
    assert 'data-appi="provision"' in _section(_html(tmp_path, reg), "tags")
    assert "our provision V1" in row and "no record needed" in row


def test_tag_findings_show_in_its_row(tmp_path):
    reg = web_register()
    rows(reg, "services", "service_id", "S1").pop("notice_on")
    row = _section(_html(tmp_path, reg), "tags").split('data-tag="T1"')[1].split("</tr>")[0]
    assert "EXT-001" in row and "not published in time" in row


def test_flow_map_draws_services_and_tag_edges(tmp_path):
    reg = web_register()
    html = _html(tmp_path, reg)
    paths = _paths(html)
    tag_edges = [p for p in paths if p.get("data-tag")]
    # one edge per live tag and service, grey and dotted
    assert sorted((p.get("data-tag"), p.get("class")) for p in tag_edges) == [
        ("T1", "edge tag"), ("T1", "edge tag")]
    assert all(p.get("stroke-dasharray") for p in tag_edges)
    # every other edge is a provision's, and says which
    assert [p.get("data-provision") for p in paths if not p.get("data-tag")] == ["V1"]
    assert html.count('class="node service"') == 2
    assert "tag → direct collection" in html and "web tag (the vendor collects)" in html


def test_no_edge_for_a_tag_to_self_or_not_live(tmp_path):
    reg = web_register()
    rows(reg, "tags", "tag_id", "T1").update(removed_on="2025-01-01")
    reg["tags"].append({"tag_id": "T2", "service_ids": ["S1"], "module_name": "ログイン",
                        "recipient_party_id": "self", "item_ids": ["IC"]})
    html = _html(tmp_path, reg)
    assert [p for p in _paths(html) if p.get("data-tag")] == []
    assert 'class="node service"' not in html
    assert 'data-notice="not_live"' in html


def test_flows_from_statistics_are_labelled_not_personal_information(tmp_path):
    reg = web_register()
    rows(reg, "datasets", "dataset_id", "D2")["processing"] = "statistics"
    p = rows(reg, "provisions", "provision_id", "V1")
    p.update(basis="none", dataset_id="D2", item_ids=["IB"])
    html = _html(tmp_path, reg)
    edge = next(p for p in _paths(html) if p.get("data-provision") == "V1")
    assert edge.get("class") == "edge no_record"
    assert "no route → not personal information" in html
    assert "(not_personal_information)" in _section(html, "exempt")
    processed = _section(html, "inventory")
    assert 'data-dataset="D2" data-processing="statistics"' in processed


def test_inventory_marks_a_person_related_item_personal_in_its_dataset(tmp_path):
    html = _html(tmp_path, web_register(), "ja")
    inv = _section(html, "inventory")
    assert 'class="m pr_personal"' in inv and "個人情報（識別情報と同じ台帳）" in inv


def test_cross_border_not_applicable_without_personal_data(tmp_path):
    reg = web_register()
    p = rows(reg, "provisions", "provision_id", "V1")
    p.update(party_id="PV", basis="none", dataset_id="D2", item_ids=["IB"], linkage_expected=False)
    p.pop("consent")
    xb = _section(_html(tmp_path, reg, "ja"), "xb")
    assert "該当なし（個人データの提供なし）" in xb
    p.update(basis="consent", consent=True, item_ids=["I1"], dataset_id="D1",
             foreign_info_given=True)
    xb = _section(_html(tmp_path, reg, "ja"), "xb")
    assert "該当なし" not in xb


def test_japanese_tags_section_reads_in_japanese(tmp_path):
    tags = _section(_html(tmp_path, web_register(), "ja"), "tags")
    assert "外部送信（電気通信事業法第27条の12）" in tags
    assert "送信先による直接の取得" in tags and "通知・公表が必要" in tags
    text = re.sub(r"<[^>]+>", " ", tags)
    text = re.sub(r'data-\w+="[^"]*"', "", text)
    # no code value shows to a human reader
    for code in ("direct_collection", "first_party_id", "not_covered", "self_need", "information"):
        assert code not in text, code


def test_report_json_holds_services_and_tags(tmp_path):
    from register.report.data import report_data

    a = analysis_of(tmp_path, web_register())
    data = report_data(a)
    assert [s["service_id"] for s in data["services"]] == ["S1", "S2"]
    (tag,) = data["tags"]
    assert tag["tag_id"] == "T1" and tag["notice"] == "required" and tag["needs_notice"]
    assert tag["appi"] == "direct_collection" and tag["provision_id"] is None
    assert {"flow": "tag", "flow_id": "T1", "reason": "direct_collection"}.items() <= next(
        f for f in data["flows"] if f["flow"] == "tag").items()


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_sample_report_shows_every_tag(lang):
    from register import api
    from register.report import render_html

    a = api.check(str(SAMPLE / "register.json"), AS_OF)
    html = render_html(a, lang)
    shown = dict(re.findall(r'<tr data-tag="([^"]+)" data-notice="([^"]+)"',
                            _section(html, "tags")))
    assert shown == {"TG-ANALYTICS": "required", "TG-ADNET": "not_covered", "TG-DMP": "exempt",
                     "TG-SUPPORT": "exempt", "TG-SESSION": "exempt", "TG-HEATMAP": "not_live"}
    assert html == render_html(a, lang)  # deterministic


def test_tables_round_trip_through_the_workbook(tmp_path):
    """services and tags are ordinary tables: the template has their sheets, convert keeps them."""
    import json

    from .conftest import run_cli, write_json

    src = write_json(tmp_path, web_register())
    xlsx = tmp_path / "r.xlsx"
    assert run_cli("convert", str(src), str(xlsx), "--lang", "ja").exit_code == 0
    back = tmp_path / "back.json"
    assert run_cli("convert", str(xlsx), str(back)).exit_code == 0
    doc = json.loads(back.read_text(encoding="utf-8"))
    assert [t["tag_id"] for t in doc["tags"]] == ["T1"]
    assert doc["tags"][0]["service_ids"] == ["S1", "S2"]
    assert [s["category"] for s in doc["services"]] == ["information", "self_need"]
    import openpyxl

    tpl = tmp_path / "t.xlsx"
    assert run_cli("template", str(tpl), "--lang", "ja").exit_code == 0
    names = openpyxl.load_workbook(tpl, read_only=True).sheetnames
    assert "提供サービス" in names and "外部送信" in names
