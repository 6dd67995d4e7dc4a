"""The auditor report: contents, determinism, both languages, the flow map and the charts."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from register import __version__, api
from register.cli import main
from register.report import charts, flowmap, render_html, write_report

from .report_support import base_register, many_parties, write

AS_OF = dt.date(2025, 3, 31)
SVG_NS = "{http://www.w3.org/2000/svg}"
SECTION_IDS = (
    "org",
    "summary",
    "recipients",
    "findings",
    "inventory",
    "flowmap",
    "contractors",
    "joint",
    "xb",
    "tags",  # web.md §9, after the cross-border section
    "records",
    "exempt",
    "receipts",
    "readiness",
    "incidents",
)


@pytest.fixture
def reg_path(tmp_path: Path) -> Path:
    return write(tmp_path, base_register())


@pytest.fixture
def analysis(reg_path: Path):
    return api.check(reg_path, AS_OF)


def svgs(html: str, cls: str) -> list[ET.Element]:
    """Every inline <svg class=cls> of the page, parsed (so it must be well-formed XML)."""
    return [ET.fromstring(m) for m in re.findall(rf'<svg [^>]*class="{cls}".*?</svg>', html, re.S)]


def edge_outcomes(html: str) -> dict[str, str]:
    """provision_id → outcome class of its line in the flow map."""
    out = {}
    for svg in svgs(html, "flowmap"):
        for path in svg.iter(f"{SVG_NS}path"):
            pid = path.find(f"{SVG_NS}title").text.split(":")[0]
            assert pid not in out, f"{pid} drawn twice"
            out[pid] = path.get("class").split()[1]
    return out


def test_writes_one_self_contained_file(analysis, tmp_path):
    out = write_report(analysis, tmp_path / "report.html", "en")
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    for sid in SECTION_IDS:
        assert f'<section id="{sid}"' in html
    # nothing fetched: no external stylesheet, script, image, font or url()
    assert "<link" not in html
    assert "<script" not in html
    assert "<img" not in html
    assert "url(" not in html
    assert "@import" not in html
    assert not re.search(r'(src|href)="(?!#)', html)
    # print stylesheet: A4 pages, sections on new pages, headers repeated, rows kept whole
    assert "size: A4" in html
    assert "break-before: page" in html
    assert "display: table-header-group" in html
    assert "break-inside: avoid" in html


def test_inputs_version_and_as_of(analysis, reg_path):
    html = render_html(analysis, "en")
    digest = hashlib.sha256(reg_path.read_bytes()).hexdigest()
    assert digest in html
    assert str(reg_path) in html
    assert f"register {__version__}" in html
    assert "2025-03-31" in html
    assert "Example KK" in html and "privacy@example.jp" in html


def test_csv_folder_lists_every_file_with_its_hash(tmp_path):
    reg = base_register()
    folder = tmp_path / "csv"
    folder.mkdir()
    (folder / "organization.csv").write_text(
        "name,address,representative,contact\nExample KK,Tokyo,Taro,desk\n", encoding="utf-8"
    )
    (folder / "data_items.csv").write_text(
        "item_id,name,legal_class\n"
        + "".join(f"{i['item_id']},{i['name']},{i['legal_class']}\n" for i in reg["data_items"]),
        encoding="utf-8",
    )
    html = render_html(api.check(folder, AS_OF), "en")
    for f in sorted(folder.iterdir()):
        assert hashlib.sha256(f.read_bytes()).hexdigest() in html


def test_deterministic_bytes(reg_path, tmp_path):
    a = write_report(api.check(reg_path, AS_OF), tmp_path / "a.html", "ja").read_bytes()
    b = write_report(api.check(reg_path, AS_OF), tmp_path / "b.html", "ja").read_bytes()
    assert a == b
    c = write_report(api.check(reg_path, dt.date(2025, 4, 1)), tmp_path / "c.html", "ja").read_bytes()
    assert c != a and b"2025-04-01" in c


def test_summary_and_every_finding_with_location_and_fix(analysis):
    html = render_html(analysis, "en")
    found = {(f.rule, f.table, f.record, f.field) for f in analysis.report.findings}
    assert ("ENT-004", "provisions", "PV-BAD", "item_ids") in found
    assert ("PRV-002", "provisions", "PV-OPT", "item_ids") in found
    findings_section = html.split('<section id="findings"')[1].split("</section>")[0]
    for f in analysis.report.findings:
        assert f.message("en").replace("'", "&#39;") in findings_section
        assert f.hint("en").replace("'", "&#39;") in findings_section
        assert f.location.pointer in findings_section
    summary = html.split('<section id="summary"')[1].split("</section>")[0]
    s = analysis.report.summary()
    assert f'<span class="n">{s["error"]}</span>' in summary
    assert 'class="chart"' in summary
    # the chart has one bar per rule with findings
    (chart,) = svgs(summary, "chart")
    assert len(list(chart.iter(f"{SVG_NS}rect"))) == len({f.rule for f in analysis.report.findings})


def test_flow_map_one_edge_per_provision_coloured_by_outcome(analysis):
    html = render_html(analysis, "en")
    assert edge_outcomes(html) == {
        "PV-MAIL": "no_record",  # entrustment that holds
        "PV-BAD": "violation",  # ENT-004 broke the route
        "PV-US": "record",  # consent record
        "PV-POLICE": "no_record",  # public body
        "PV-OPT": "violation",  # PRV-002 error on it
    }
    (legend,) = svgs(html, "legend")
    labels = [t.text for t in legend.iter(f"{SVG_NS}text")]
    assert labels == ["record needed", "no record needed", "in violation"]
    routes = [t.text for svg in svgs(html, "flowmap") for t in svg.iter(f"{SVG_NS}text") if t.get("class") == "route"]
    assert "consent → consent record" in routes
    assert "entrustment → Art 27(5)" in routes


def test_per_recipient_table_answers_route_record_and_where_to_fix(analysis):
    html = render_html(analysis, "en")
    rec = html.split('<section id="recipients"')[1].split("</section>")[0]
    bodies = {
        m.group(1): m.group(0)
        for m in re.finditer(r'<tbody class="party \w+">.*?<span class="id">([^<]+)</span>.*?</tbody>', rec, re.S)
    }
    assert set(bodies) == {"PT-MAIL", "PT-US", "PT-POLICE", "PT-LIST"}
    mail = bodies["PT-MAIL"]
    assert "PV-MAIL" in mail and "PV-BAD" in mail
    assert "ENT-004" in mail and "/provisions/1/item_ids" in mail
    assert "the contractor is not a third party" in mail  # why PV-MAIL has no record
    assert "the entrustment route fails (ENT-004)" in mail
    assert "United States (US)" in bodies["PT-US"] and "consent record" in bodies["PT-US"]
    assert "Japanese public body" in bodies["PT-POLICE"]
    assert "PRV-002" in bodies["PT-LIST"] and "/provisions/4/item_ids" in bodies["PT-LIST"]


def test_sections_inventory_contractors_xb_records_exempt(analysis):
    html = render_html(analysis, "en")

    def section(sid: str) -> str:
        return html.split(f'<section id="{sid}"')[1].split("</section>")[0]

    inv = section("inventory")
    assert '<th class="v special_care"' in inv and '<th class="v my_number"' in inv
    assert inv.count('<td class="m special_care">◆</td>') == 1
    assert "Providing the service" in inv
    con = section("contractors")
    assert "CT-1" in con and "audit overdue" in con and "2025-01-10" in con
    xb = section("xb")
    assert "Acme Inc." in xb and "Mailer KK" not in xb
    records = section("records")
    assert "consent record" in records and "opt-out record" in records
    # retention horizon: the latest retain_until of the derived records
    latest = max(
        str(d) for d in analysis.records.provision_records["retain_until"].to_list() if d is not None
    )
    assert f"kept until {latest}" in records
    exempt = section("exempt")
    assert "PV-POLICE" in exempt and "(public_body)" in exempt and "PV-MAIL" in exempt
    assert "PV-US" not in exempt


def test_japanese_from_the_same_templates(analysis):
    ja = render_html(analysis, "ja")
    en = render_html(analysis, "en")
    assert '<html lang="ja">' in ja
    for title in ("事業者と入力", "指摘の概要", "データフロー図", "委託先", "共同利用", "記録と保存期間", "記録を要しない提供・受領"):
        assert title in ja and title not in en
    assert "国の機関・地方公共団体等" in ja  # public_body in plain Japanese
    assert "記録が必要" in ja and "法令違反のおそれ" in ja
    # the same structure: same sections, same flow map outcomes
    assert edge_outcomes(ja) == edge_outcomes(en)
    assert [m for m in re.findall(r'<section id="(\w+)"', ja)] == list(SECTION_IDS)


def test_empty_tables_render(tmp_path):
    reg = base_register()
    for t in ("datasets", "parties", "contractors", "provisions", "provision_log", "principals"):
        reg.pop(t)
    html = render_html(api.check(write(tmp_path, reg), AS_OF), "en")
    assert "No provisions in the register." in html
    assert "No outsourcing contracts in the register." in html
    assert 'class="flowmap"' not in html


def test_fifty_parties_legible(tmp_path):
    reg = many_parties(60, 2)
    html = render_html(api.check(write(tmp_path, reg), AS_OF), "en")
    outcomes = edge_outcomes(html)
    assert len(outcomes) == len(reg["provisions"])
    parts = svgs(html, "flowmap")
    assert len(parts) > 1  # cut into page-sized parts
    for svg in parts:
        assert int(svg.get("height")) <= flowmap.MAX_HEIGHT  # fits a portrait A4 page
        ys = sorted(float(t.get("y")) for t in svg.iter(f"{SVG_NS}text") if t.get("class") == "route")
        assert all(b - a >= flowmap.PORT - 0.01 for a, b in zip(ys, ys[1:], strict=False))


def test_cli_report(reg_path, tmp_path):
    out = tmp_path / "r.html"
    res = CliRunner().invoke(main, ["report", str(reg_path), "--out", str(out), "--as-of", "2025-03-31", "--lang", "ja"])
    assert res.exit_code == 0, res.output
    assert out.stat().st_size > 0
    again = CliRunner().invoke(main, ["report", str(reg_path), "--out", str(reg_path)])
    assert again.exit_code == 2
    assert reg_path.read_text(encoding="utf-8").startswith("{")


def test_charts_are_well_formed():
    h = charts.hbar([("PRV-002", 3), ("ENT-<&>", 0)], title="t & <x>")
    v = charts.vbar([(f"2024-{m:02d}", m) for m in range(1, 13)], title="months")
    for svg in (h, v):
        ET.fromstring(svg)
    assert charts.vbar([], title="none").startswith("<svg")


names = st.text(alphabet="abcXYZ社情報 <&>'\"", min_size=1, max_size=30)


@settings(max_examples=40, deadline=None)
@given(
    n_src=st.integers(1, 6),
    n_dst=st.integers(1, 30),
    edges=st.lists(st.tuples(st.integers(0, 5), st.integers(0, 29), st.sampled_from(flowmap.OUTCOMES)), min_size=1, max_size=80),
    label=names,
)
def test_flowmap_draws_every_edge_once_and_labels_never_overlap(n_src, n_dst, edges, label):
    sources = [flowmap.Node(f"s{i}", f"{label}{i}") for i in range(n_src)]
    targets = [flowmap.Node(f"d{i}", f"{label}{i}") for i in range(n_dst)]
    es = [
        flowmap.Edge(f"e{k}", f"s{s % n_src}", f"d{d % n_dst}", o, f"{label} → {o}")
        for k, (s, d, o) in enumerate(edges)
    ]
    parts = flowmap.render(sources, targets, es, "map")
    assert parts == flowmap.render(sources, targets, es, "map")  # deterministic
    drawn: list[str] = []
    for svg_text in parts:
        svg = ET.fromstring(svg_text)
        paths = list(svg.iter(f"{SVG_NS}path"))
        drawn += [p.get("class") for p in paths]
        ys = sorted(float(t.get("y")) for t in svg.iter(f"{SVG_NS}text") if t.get("class") == "route")
        assert all(b - a >= flowmap.PORT - 0.01 for a, b in zip(ys, ys[1:], strict=False))
        recipients = [g for g in svg.iter(f"{SVG_NS}g") if g.get("class") == "node recipient"]
        assert int(svg.get("height")) <= flowmap.MAX_HEIGHT or len(recipients) == 1
    assert sorted(drawn) == sorted(f"edge {e.outcome}" for e in es)


def test_hostile_names_are_escaped_and_unknown_parties_shown(tmp_path):
    reg = base_register()
    reg["parties"][1]["name"] = "<script>alert('x')</script> & Co"
    reg["datasets"][0]["name"] = "<img src=x onerror=alert(1)>"
    reg["provisions"].append(
        {"provision_id": "PV-GHOST", "party_id": "PT-NOBODY", "basis": "consent", "consent": True, "item_ids": ["DI-NAME"]}
    )
    analysis = api.check(write(tmp_path, reg), AS_OF)
    html = render_html(analysis, "en")
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;" in html
    for svg in svgs(html, "flowmap"):  # still well-formed with the names inside
        assert svg is not None
    outcomes = edge_outcomes(html)
    assert outcomes["PV-GHOST"] == "violation"  # REF-002 error on it
    rec = html.split('<section id="recipients"')[1].split("</section>")[0]
    assert "PT-NOBODY" in rec and "REF-002" in rec
