"""`register incident` (incident.md §2, §4): the files, the drafts' shapes, exit 2 with nothing
written, stale drafts, same bytes, Japanese without codes."""

from __future__ import annotations

import json
import re

import openpyxl
import pytest
from click.testing import CliRunner

from register.cli import main
from register.incident import labels
from register.schema import table

from .incident_support import incident, register_doc, write

RICH = dict(
    dataset_ids=["DS-A", "DS-H", "DS-CLIENT", "DS-CLIENT2"], cause="unauthorized_access",
    occurred_on="2026-03-30", summary="管理画面に不正ログインされ、顧客情報が閲覧された。",
    media="顧客管理サーバ", principal_count=420, contract_id="C-1",
    secondary_damage="現時点で確認されていない", discovered_by="システム部",
)


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture
def reg(tmp_path):
    return write(tmp_path, register_doc(incident(**RICH), incident(incident_id="INC-2")))


def test_writes_the_decision_and_the_drafts_it_requires(reg, tmp_path):
    out = tmp_path / "out"
    r = run("incident", reg, "--incident", "INC-1", "--out", out, "--as-of", "2026-04-02")
    assert r.exit_code == 0, r.output
    names = ["decision.json", "ppc_report.md", "principal_notice.md", "entrustor_notice.md"]
    assert r.stdout.splitlines() == [str(out / n) for n in names]
    assert sorted(p.name for p in out.iterdir()) == sorted(names)
    d = json.loads((out / "decision.json").read_text("utf-8"))
    # 60 days (unauthorized access): 2026-04-01 day 1, 05-30 (Sat) day 60 -> Mon 06-01
    assert (d["final_report_days"], d["final_report_due"]) == (60, "2026-06-01")
    # INC-2: one misdelivered e-mail: decision.json only
    out2 = tmp_path / "out2"
    r = run("incident", reg, "--incident", "INC-2", "--out", out2)
    assert r.exit_code == 0 and [p.name for p in out2.iterdir()] == ["decision.json"]


def test_id_is_normalised(reg, tmp_path):
    r = run("incident", reg, "--incident", "ＩＮＣ－１ ", "--out", tmp_path / "o", "--as-of", "2026-04-02")
    assert r.exit_code == 0
    assert json.loads((tmp_path / "o" / "decision.json").read_text("utf-8"))["incident_id"] == "INC-1"


@pytest.mark.parametrize(("fields", "incident_id"), [
    ({}, "INC-9"),  # no such incident
    ({}, "inc-1"),  # IDs are case-sensitive
    ({}, "  "),
    ({"known_on": None}, "INC-1"),  # empty
    ({"known_on": "2026-02-30"}, "INC-1"),  # no such day
    ({"event_types": []}, "INC-1"),
    ({"event_types": ["leak", "spill"]}, "INC-1"),  # SCH-004
    ({"dataset_ids": ["DS-A", "DS-NOPE"]}, "INC-1"),  # REF-002
    ({"dataset_ids": None}, "INC-1"),
])
def test_exit_2_and_nothing_written(tmp_path, fields, incident_id):
    reg = write(tmp_path, register_doc(incident(**fields)))
    out = tmp_path / "out"
    r = run("incident", reg, "--incident", incident_id, "--out", out)
    assert r.exit_code == 2
    assert len(r.stderr.strip().splitlines()) == 1 and r.stderr.startswith("register: error:")
    assert not out.exists()
    # an existing folder is left exactly as it was
    out.mkdir()
    (out / "ppc_report.md").write_text("old", encoding="utf-8")
    assert run("incident", reg, "--incident", incident_id, "--out", out).exit_code == 2
    assert [p.name for p in out.iterdir()] == ["ppc_report.md"]


def test_other_invalid_columns_are_read_as_empty(tmp_path):
    reg = write(tmp_path, register_doc(incident(dataset_ids=["DS-H"], principal_count="many",
                                                occurred_on="someday")))
    r = run("incident", reg, "--incident", "INC-1", "--out", tmp_path / "o", "--as-of", "2026-04-02")
    assert r.exit_code == 0
    assert r.stderr.strip() == "2 errors"  # SCH-003 twice; the outputs are still written
    d = json.loads((tmp_path / "o" / "decision.json").read_text("utf-8"))
    assert d["count_basis"] == "record_count" and d["principal_count"] == 80


def test_stale_drafts_are_deleted_and_nothing_else_touched(tmp_path):
    doc = register_doc(incident(dataset_ids=["DS-H"]))
    reg = write(tmp_path, doc)
    out = tmp_path / "out"
    assert run("incident", reg, "--incident", "INC-1", "--out", out, "--format", "xlsx").exit_code == 0
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    (out / "entrustor_notice.json").write_text("{}", encoding="utf-8")  # from another incident
    (out / "ppc_report_v1.md").write_text("mine too", encoding="utf-8")  # not a draft name
    (out / "principal_notice.d").mkdir()  # a folder is never deleted
    assert run("incident", reg, "--incident", "INC-1", "--out", out, "--format", "md").exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "decision.json", "notes.txt", "ppc_report.md", "ppc_report_v1.md", "principal_notice.d",
        "principal_notice.md"]
    # the incident turns out not to be one: every draft goes
    doc["incidents"][0]["recovered_unviewed"] = True
    write(tmp_path, doc)
    assert run("incident", reg, "--incident", "INC-1", "--out", out).exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "decision.json", "notes.txt", "ppc_report_v1.md", "principal_notice.d"]
    assert (out / "notes.txt").read_text("utf-8") == "mine"


@pytest.mark.parametrize("fmt", ["md", "json", "xlsx"])
def test_same_bytes_twice(reg, tmp_path, fmt):
    outs = []
    for k in (1, 2):
        out = tmp_path / f"o{k}"
        assert run("incident", reg, "--incident", "INC-1", "--out", out, "--format", fmt,
                   "--as-of", "2026-04-02", "--lang", "ja").exit_code == 0
        outs.append({p.name: p.read_bytes() for p in out.iterdir()})
    assert outs[0] == outs[1]


def test_decision_json_is_the_same_in_both_languages(reg, tmp_path):
    got = []
    for lang in ("en", "ja"):
        out = tmp_path / lang
        run("incident", reg, "--incident", "INC-1", "--out", out, "--as-of", "2026-04-02", "--lang", lang)
        got.append((out / "decision.json").read_bytes())
    assert got[0] == got[1]


# ---------------------------------------------------------------- the drafts' shapes


def drafts(reg, tmp_path, lang="en"):
    out = tmp_path / f"json_{lang}"
    assert run("incident", reg, "--incident", "INC-1", "--out", out, "--format", "json",
               "--as-of", "2026-04-02", "--lang", lang).exit_code == 0
    return {p.stem: json.loads(p.read_text("utf-8")) for p in out.iterdir()}


def test_ppc_report_json(reg, tmp_path):
    ppc = drafts(reg, tmp_path)["ppc_report"]
    assert list(ppc) == ["incident_id", "draft", "regimes", "quick_report_by", "final_report_due",
                         "items", "unknown_items"]
    assert (ppc["draft"], ppc["regimes"], ppc["quick_report_by"], ppc["final_report_due"]) == (
        "ppc_report", ["appi"], "2026-04-05", "2026-06-01")
    assert [i["no"] for i in ppc["items"]] == list(range(1, 10))
    assert [i["key"] for i in ppc["items"]] == [
        "summary", "data_items", "principal_count", "cause", "secondary_damage",
        "principal_response", "publication", "prevention", "other"]
    assert all(list(i) == ["no", "key", "label", "status", "content"] for i in ppc["items"])
    assert ppc["unknown_items"] == [6, 7, 8, 9]
    summary = ppc["items"][0]["content"]
    assert summary["event_types"] == ["leak"] and summary["criteria_met"] == ["special_care", "improper_purpose"]
    assert summary["entrustors"] == ["PT-CLIENT", "PT-OTHER"] and summary["trustee_party_id"] == "PT-VENDOR"
    # items in data_items order; subjects in datasets order
    assert ppc["items"][1]["content"] == {"items": ["氏名", "メールアドレス", "健康診断結果", "Cookie ID"],
                                          "media": "顧客管理サーバ",
                                          "subjects": ["顧客", "従業員", "委託元の顧客", "委託元の会員"]}
    assert ppc["items"][2]["content"] == {"count": 420, "max": None}
    assert ppc["items"][3]["content"] == {"cause": "unauthorized_access", "detail": None,
                                          "actor": "trustee", "trustee_party_id": "PT-VENDOR"}


def test_principal_notice_holds_only_what_the_guideline_allows(reg, tmp_path):
    notice = drafts(reg, tmp_path)["principal_notice"]
    assert notice["draft"] == "principal_notice"
    assert [i["no"] for i in notice["items"]] == [1, 2, 4, 5, 9]
    assert list(notice["items"][0]["content"]) == ["occurred_on", "known_on", "event_types", "text"]
    text = json.dumps(notice, ensure_ascii=False)
    for secret in ("420", "PT-CLIENT", "PT-OTHER", "principal_count", "entrustors"):
        assert secret not in text


def test_entrustor_notice_names_only_its_own_data(reg, tmp_path):
    doc = drafts(reg, tmp_path)["entrustor_notice"]
    assert list(doc) == ["incident_id", "draft", "notices"]
    assert [n["party_id"] for n in doc["notices"]] == ["PT-CLIENT", "PT-OTHER"]
    first, second = doc["notices"]
    assert list(first) == ["party_id", "party_name", "dataset_ids", "due", "items", "unknown_items"]
    assert (first["party_name"], first["dataset_ids"], first["due"]) == ("株式会社委託元", ["DS-CLIENT"], "2026-04-05")
    assert first["items"][0]["content"]["entrustors"] == ["PT-CLIENT"]
    assert first["items"][1]["content"]["items"] == ["氏名", "メールアドレス"]
    assert first["items"][1]["content"]["subjects"] == ["委託元の顧客"]
    # the count covers other principals too: unknown, null
    assert first["items"][2]["status"] == "unknown" and first["items"][2]["content"] is None
    assert 3 in first["unknown_items"]
    text = json.dumps(first, ensure_ascii=False)
    for other in ("PT-OTHER", "別の委託元", "DS-CLIENT2", "健康診断結果", "委託元の会員"):
        assert other not in text
    assert second["items"][1]["content"]["items"] == ["氏名", "健康診断結果"]


def test_entrustor_notice_counts_when_all_data_is_its_own(tmp_path):
    reg = write(tmp_path, register_doc(incident(dataset_ids=["DS-CLIENT"], cause="theft", principal_count=300)))
    doc = drafts(reg, tmp_path)["entrustor_notice"]
    item3 = doc["notices"][0]["items"][2]
    assert (item3["status"], item3["content"]) == ("known", {"count": 300, "max": None})


def test_json_labels_follow_the_language_and_nothing_else(reg, tmp_path):
    en, ja = drafts(reg, tmp_path, "en"), drafts(reg, tmp_path, "ja")
    assert en["ppc_report"]["items"][0]["label"] == "Summary"
    assert ja["ppc_report"]["items"][0]["label"] == "概要"

    def strip(doc):
        for it in doc.get("items", []):
            it["label"] = None
        for n in doc.get("notices", []):
            strip(n)
        return doc

    assert {k: strip(v) for k, v in en.items()} == {k: strip(v) for k, v in ja.items()}


# ---------------------------------------------------------------- Japanese drafts: no codes

CODES = sorted(
    set(table("incidents").column("cause").enum)
    | set(table("incidents").column("event_types").enum)
    | {c for group in ("criteria", "duty", "to", "status", "item_status", "actor", "regimes")
       for c in labels.CODES[group]}
    - {"other", "done", "open", "self"}  # also English words; checked as codes below
)


def _assert_no_code(text: str):
    for code in CODES:
        assert not re.search(rf"(?<![A-Za-z_]){re.escape(code)}(?![A-Za-z_])", text), code
    assert not re.search(r"\b(other|done|open|self|True|False|None|null)\b", text)


def test_japanese_md_has_no_code_values(reg, tmp_path):
    out = tmp_path / "md"
    run("incident", reg, "--incident", "INC-1", "--out", out, "--as-of", "2026-04-02", "--lang", "ja")
    for name in ("ppc_report.md", "principal_notice.md", "entrustor_notice.md"):
        text = (out / name).read_text("utf-8")
        _assert_no_code(text)
        assert "不正アクセス" in text and "漏えい" in text
    ppc = (out / "ppc_report.md").read_text("utf-8")
    assert "要配慮個人情報、不正の目的のおそれ" in ppc
    assert "2026-06-01（発覚日を1日目として60日以内、60日目の2026-05-30は行政機関の休日）" in ppc


def test_japanese_xlsx_has_no_code_values_and_no_formula(reg, tmp_path):
    out = tmp_path / "x"
    run("incident", reg, "--incident", "INC-1", "--out", out, "--format", "xlsx", "--as-of",
        "2026-04-02", "--lang", "ja")
    for name in ("ppc_report.xlsx", "principal_notice.xlsx", "entrustor_notice.xlsx"):
        wb = openpyxl.load_workbook(out / name)
        for ws in wb.worksheets:
            rows = list(ws.iter_rows(values_only=True))
            assert rows[0] == ("番号", "項目", "状況", "内容")
            cells = [c for row in ws.iter_rows() for c in row]
            assert all(c.data_type != "f" for c in cells)
            _assert_no_code("\n".join(str(c.value) for c in cells if c.value is not None))
    wb = openpyxl.load_workbook(out / "entrustor_notice.xlsx")
    assert wb.sheetnames == ["委託元への通知 PT-CLIENT", "委託元への通知 PT-OTHER"]
    wb = openpyxl.load_workbook(out / "principal_notice.xlsx")
    assert [r[0] for r in wb.active.iter_rows(min_row=2, values_only=True)] == [1, 2, 4, 5, 9]


def test_text_cannot_become_a_formula_or_markup(tmp_path):
    reg = write(tmp_path, register_doc(incident(dataset_ids=["DS-H"], summary="=HYPERLINK(\"x\")\n# 見出し<b>")))
    run("incident", reg, "--incident", "INC-1", "--out", tmp_path / "o", "--format", "xlsx")
    cell = openpyxl.load_workbook(tmp_path / "o" / "ppc_report.xlsx").active["D2"]
    assert cell.data_type == "s" and '=HYPERLINK("x")' in cell.value
    run("incident", reg, "--incident", "INC-1", "--out", tmp_path / "o")
    md = (tmp_path / "o" / "ppc_report.md").read_text("utf-8")
    assert "\\# 見出し&lt;b&gt;" in md and "<b>" not in md
