"""The five seed companies' tag practices (sample_data/seeds/, built by build_web.py from the
privacy policies in the shared seeds): each register gives the findings and routes web.md
states, has no error a tag could have caused, and shows each tag's notice status."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from .conftest import SAMPLE

SEEDS = SAMPLE / "seeds"
EXPECTED = json.loads((SEEDS / "expected.json").read_text(encoding="utf-8"))
AS_OF = dt.date.fromisoformat(EXPECTED["as_of"])
NAMES = sorted(EXPECTED["seeds"])


def test_every_seed_register_is_stated():
    assert sorted(p.stem for p in SEEDS.glob("0*.json")) == NAMES and len(NAMES) == 5


@pytest.fixture(scope="module")
def analyses():
    from register import api

    return {name: api.check(str(SEEDS / f"{name}.json"), AS_OF) for name in NAMES}


@pytest.mark.parametrize("name", NAMES)
def test_seed_gives_the_web_findings_web_md_states(analyses, name):
    a = analyses[name]
    got = {(f.rule, f.table, f.record, f.field) for f in a.report.findings
           if f.rule.split("-")[0] in ("EXT", "ANO")}
    assert got == {tuple(k) for k in EXPECTED["seeds"][name]["findings"]}
    # no seed has an error: a tag never needs a made-up provision to be "lawful"
    assert [f.rule for f in a.report.findings if f.severity.value == "error"] == []


@pytest.mark.parametrize("name", NAMES)
def test_seed_routes(analyses, name):
    a = analyses[name]
    want = EXPECTED["seeds"][name]
    assert {pid: [r.record_type, r.exempt_reason] for pid, r in a.routes.provisions.items()} \
        == want["provisions"]
    assert {tid: r.exempt_reason for tid, r in a.routes.tags.items()} == want["tags"]


@pytest.mark.parametrize("name", NAMES)
def test_seed_report_shows_each_tags_notice_status(analyses, name):
    from register.report import render_html

    html = render_html(analyses[name], "ja")
    section = html.split('<section id="tags"')[1].split("</section>")[0]
    shown = dict(re.findall(r'<tr data-tag="([^"]+)" data-notice="([^"]+)"', section))
    assert shown == EXPECTED["seeds"][name]["notice"]


def test_no_seed_uses_a_real_company_name():
    text = " ".join(p.read_text(encoding="utf-8") for p in SEEDS.glob("0*.json"))
    for real in ("Nulab", "PicoCELA", "Cybozu", "サイボウズ", "Onplanetz", "JustSystems",
                 "ジャストシステム", "Google", "Mixpanel"):
        assert real not in text, real


def test_seed_registers_are_what_build_web_writes(tmp_path, monkeypatch):
    """The committed registers equal the builder's output (the builder is the source)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_web", SAMPLE / "build_web.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    for name, build in mod.SEED_BUILDERS.items():
        want = json.loads(Path(SEEDS / f"{name}.json").read_text(encoding="utf-8"))
        assert build() == want, name
