"""The report's readiness and incidents sections (incident.md §6)."""

from __future__ import annotations

import re

import pytest

from register.report import write_report

from .incident_support import D, analysis, incident
from .test_incident_command import RICH


@pytest.fixture
def pages(tmp_path):
    a = analysis(tmp_path, incident(**RICH), incident(incident_id="INC-2", known_on="someday"),
                 incident(incident_id="INC-3", cause="other"), incident(incident_id="INC-4"),
                 as_of=D(2026, 4, 10))
    out = {}
    for lang in ("en", "ja"):
        write_report(a, tmp_path / f"{lang}.html", lang)
        out[lang] = (tmp_path / f"{lang}.html").read_text("utf-8")
    return out


def section(html: str, sid: str) -> str:
    return re.search(rf'<section id="{sid}">(.*?)</section>', html, re.S).group(1)


def test_readiness_rows(pages):
    for html in pages.values():
        rows = re.findall(r'<tr data-dataset="([^"]+)" data-criteria="([^"]*)" data-protected="(true|false)"',
                          section(html, "readiness"))
        assert rows == [
            ("DS-A", "", "false"), ("DS-H", "special_care", "false"), ("DS-MN", "mn_over_100", "false"),
            ("DS-PAY", "financial_damage", "false"), ("DS-COOKIE", "", "false"),
            ("DS-PSEUDO", "", "false"), ("DS-CLIENT", "", "false"),
            ("DS-CLIENT2", "special_care", "false"), ("DS-SAFE", "", "true"),
        ]


def test_incident_rows(pages):
    for html in pages.values():
        rows = re.findall(r'<tr data-incident="([^"]+)" data-reportable="([a-z]+)" data-final-due="([^"]*)"',
                          section(html, "incidents"))
        # INC-1: unauthorized access, 60 days: 2026-04-01 day 1, 05-30 (Sat) day 60 -> Mon 06-01
        assert rows == [("INC-1", "true", "2026-06-01"), ("INC-2", "undetermined", ""),
                        ("INC-3", "undetermined", "2026-04-30"), ("INC-4", "false", "")]


def test_japanese_sections_show_labels_not_codes(pages):
    for sid in ("readiness", "incidents"):
        visible = re.sub(r"<[^>]+>", " ", section(pages["ja"], sid))
        for code in ("special_care", "unauthorized_access", "leak", "overdue", "ppc_quick_report",
                     "mn_over_100", "advanced", "true", "false"):
            assert code not in visible
    assert "期限超過" in section(pages["ja"], "incidents")
    assert "高度な暗号化" in section(pages["ja"], "readiness")


def test_report_json_holds_the_decisions(tmp_path):
    import json

    from register.report.data import write_report_json

    a = analysis(tmp_path, incident(**RICH), incident(incident_id="INC-2", known_on="someday"),
                 as_of=D(2026, 4, 10))
    data = json.loads(write_report_json(a, tmp_path / "r.json").read_text("utf-8"))
    assert [(x["incident_id"], x["reportable"]) for x in data["incidents"]] == [
        ("INC-1", "true"), ("INC-2", "undetermined")]
    assert data["incidents"][0]["decision"]["final_report_due"] == "2026-06-01"
    assert data["incidents"][1]["decision"] is None
    by_id = {r["dataset_id"]: r for r in data["readiness"]}
    assert by_id["DS-H"]["criteria"] == ["special_care"] and by_id["DS-SAFE"]["protected"] is True
