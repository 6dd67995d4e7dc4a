"""Law citations in Japanese (japanese.md §3): the mapping, and `law_ja` wherever `law` is."""

from __future__ import annotations

import json
import re

import pytest

from register.law_ja import law_ja

from .conftest import base_register, run_cli, write_json

# Every example of the §3 table, verbatim.
SPEC_TABLE = [
    ("APPI Art 27(5)(iii)", "個人情報保護法第27条第5項第3号"),
    ("APPI Art 28(1), 29(1)", "個人情報保護法第28条第1項、第29条第1項"),
    ("APPI Art 28(2); APPI Rules Art 17", "個人情報保護法第28条第2項、同法施行規則第17条"),
    ("APPI Rules Art 19(2),(3)", "個人情報保護法施行規則第19条第2項、第3項"),
    ("APPI Rules Art 24(1)(ii),(iii)", "個人情報保護法施行規則第24条第1項第2号、第3号"),
    ("APPI Rules Art 21, 25, 29", "個人情報保護法施行規則第21条、第25条、第29条"),
    ("APPI Art 27(1)(v)-(vii)", "個人情報保護法第27条第1項第5号から第7号まで"),
    ("Cabinet Order Art 10(i)", "個人情報保護法施行令第10条第1号"),
    ("My Number Act Art 19", "番号法第19条"),
]
# The rules of §3 stated in its prose.
SPEC_PROSE = [
    ("TBA Rules Art 22-2-29(iii)", "電気通信事業法施行規則第22条の2の29第3号"),
    ("TBA Art 27-12 proviso (ii)", "電気通信事業法第27条の12ただし書第2号"),
    ("TBA Art 27-12 proviso (ii),(iv)", "電気通信事業法第27条の12ただし書第2号、第4号"),
    ("TBA Art 27-12 main text", "電気通信事業法第27条の12本文"),
    ("APPI Rules Art 19(2),(3)", "個人情報保護法施行規則第19条第2項、第3項"),
    ("APPI Art 27(1)(v)–(vii)", "個人情報保護法第27条第1項第5号から第7号まで"),
    ("TBA Art 27-12; TBA Rules Art 22-2-29(iii)",
     "電気通信事業法第27条の12、同法施行規則第22条の2の29第3号"),
    ("APPI Rules Art 8(2); My Number Act Art 29-4(1)",
     "個人情報保護法施行規則第8条第2項、番号法第29条の4第1項"),
    ("APPI Rules Art 31(ii),(iii), 34(ii); Cabinet Order Art 1",
     "個人情報保護法施行規則第31条第2号、第3号、第34条第2号、同法施行令第1条"),
    ("APPI Art 2(1)(i); PPC GL (General Rules) 2-1 ※4",
     "個人情報保護法第2条第1項第1号、個人情報保護法ガイドライン（通則編）2-1 ※4"),
    ("PPC GL (General Rules) 10-2 to 10-6", "個人情報保護法ガイドライン（通則編）10-2～10-6"),
    ("PPC Q&A 10-24, 12-3", "個人情報保護法ガイドラインQ&A 10-24、12-3"),
    ("PPC GL (Foreign Third Parties) 5-2", "個人情報保護法ガイドライン（外国にある第三者への提供編）5-2"),
    ("PPC GL (Confirmation and Record-keeping) 4-1",
     "個人情報保護法ガイドライン（第三者提供時の確認・記録義務編）4-1"),
    ("PPC GL (Pseudonymised and Anonymised) 2-2",
     "個人情報保護法ガイドライン（仮名加工情報・匿名加工情報編）2-2"),
    ("APPI Art 32(1), 27(5)(iii),(6)", "個人情報保護法第32条第1項、第27条第5項第3号、第6項"),
    ("Cabinet Order Art 11", "個人情報保護法施行令第11条"),
    ("APPI Rules Art 7(xix), 7(xx)", "個人情報保護法施行規則第7条第19号、第7条第20号"),
]


@pytest.mark.parametrize("law, expected", SPEC_TABLE + SPEC_PROSE, ids=[x for x, _ in SPEC_TABLE + SPEC_PROSE])
def test_law_maps_to_its_japanese_citation(law, expected):
    assert law_ja(law) == expected


def test_no_law_has_no_japanese_citation():
    assert law_ja(None) is None


@pytest.mark.parametrize("bad", ["APPI 27(1)", "Act Art 5", "APPI Art 27(1)(q)", "APPI Art (2)",
                                 "APPI Art 27(1) unverified", "APPI Art 27(1)(xxi)"])
def test_what_is_not_a_citation_is_refused(bad):
    with pytest.raises(ValueError):
        law_ja(bad)


# ASCII words no Japanese citation may keep: `Q&A` is part of the guideline's own title.
_LEFTOVER = re.compile(r"[A-Za-z]+")


def _catalogue():
    from register.checks import load_all
    from register.findings import RULES

    load_all()
    return sorted(RULES.values(), key=lambda r: r.id)


def test_every_declared_law_maps_without_english_words():
    for r in _catalogue():
        if r.law is None:
            continue
        ja = law_ja(r.law)
        words = set(_LEFTOVER.findall(ja)) - {"Q", "A"}
        assert not words, (r.id, r.law, ja)
        assert "第" in ja or "ガイドライン" in ja, (r.id, ja)


def test_rules_json_has_law_ja_in_both_languages():
    for lang in ("en", "ja"):
        res = run_cli("rules", "--format", "json", "--lang", lang)
        assert res.exit_code == 0, res.output
        entries = json.loads(res.output)
        for e in entries:
            assert list(e) == ["id", "severity", "law", "law_ja", "title", "description"]
            assert e["law_ja"] == law_ja(e["law"])
        by_id = {e["id"]: e for e in entries}
        assert by_id["XB-002"]["law_ja"] == "個人情報保護法第28条第2項、同法施行規則第17条"
        assert by_id["SCH-001"]["law"] is None and by_id["SCH-001"]["law_ja"] is None


def test_rules_text_cites_law_ja_under_ja_and_law_under_en():
    ja = run_cli("rules", "--lang", "ja").output
    en = run_cli("rules").output
    assert "（個人情報保護法第27条第1項）" in ja and "APPI" not in ja and " Art " not in ja
    assert "[APPI Art 27(1)]" in en and "個人情報保護法第" not in en
    line = next(x for x in ja.splitlines() if x.startswith("PRV-001"))
    assert line.startswith("PRV-001  エラー  ")


def test_check_json_findings_carry_law_ja(tmp_path):
    reg = base_register()
    reg["provisions"][0]["consent"] = False  # PRV-001
    src = write_json(tmp_path, reg)
    for lang in ("en", "ja"):
        res = run_cli("check", str(src), "--format", "json", "--lang", lang, "--as-of", "2026-11-21")
        doc = json.loads(res.output)
        for f in doc["findings"]:
            assert list(f)[:6] == ["rule", "severity", "message", "hint", "law", "law_ja"]
            assert f["law_ja"] == law_ja(f["law"])
        prv = next(f for f in doc["findings"] if f["rule"] == "PRV-001")
        assert (prv["law"], prv["law_ja"]) == ("APPI Art 27(1)", "個人情報保護法第27条第1項")


def test_report_cites_law_ja_under_ja(tmp_path):
    reg = base_register()
    reg["provisions"][0]["consent"] = False  # PRV-001
    src = write_json(tmp_path, reg)
    for lang, want, unwanted in (("ja", "個人情報保護法第27条第1項", "APPI Art"),
                                 ("en", "APPI Art 27(1)", "個人情報保護法第27条")):
        out = tmp_path / f"report-{lang}.html"
        res = run_cli("report", str(src), "--out", str(out), "--lang", lang, "--as-of", "2026-11-21")
        assert res.exit_code == 0, res.output
        html = out.read_text(encoding="utf-8")
        assert want in html
        assert unwanted not in html
