"""Records under --lang ja, the `incomplete` column, empty dates, print setup (japanese.md §2, §7).

Asserted on cells, headers and stderr lines exactly; the JSON forms never change with --lang.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
from pathlib import Path

import openpyxl
import pytest

from register import schema
from register.outputs import output_table, output_tables

from .conftest import SAMPLE, base_register, run_cli, write_json

AS_OF = "2026-11-21"
TABLES = ("provision_records", "provision_principals", "confirmation_records",
          "confirmation_principals", "exempt_flows")


def _records(src: Path, out: Path, fmt: str, lang: str = "en", as_of: str = AS_OF):
    res = run_cli("records", str(src), "--out", str(out), "--format", fmt, "--lang", lang,
                  "--as-of", as_of)
    assert res.exit_code == 0, res.output
    return res


def _csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def _register() -> dict:
    """Every kind of record and flow: consent (each), opt-out, person-related (bulk, abroad),
    a receipt of each type, an exempt flow of several reasons."""
    reg = base_register()
    reg["data_items"].append({"item_id": "I3", "name": "Cookie ID", "legal_class": "person_related"})
    reg["datasets"].append({"dataset_id": "D2", "name": "閲覧履歴", "subjects": "閲覧者",
                            "item_ids": ["I3"], "purpose_ids": ["U1"], "source": "generated"})
    reg["purposes"][0]["third_party_provision"] = True
    reg["parties"] += [
        {"party_id": "P2", "name": "Ad Partner Inc.", "kind": "corporation", "address": "1 Main St",
         "representative": "Jane Roe", "country": "US", "foreign_safeguard": "none"},
        {"party_id": "P3", "name": "税務署", "kind": "state_organ", "country": "JP"},
        {"party_id": "P4", "name": "個人 花子", "kind": "individual", "address": "東京都1",
         "country": "JP"},
        {"party_id": "P5", "name": "名簿業者", "kind": "corporation", "address": "東京都2",
         "country": "JP"},  # no representative: incomplete
    ]
    reg["provisions"] += [
        {"provision_id": "V2", "party_id": "P1", "basis": "opt_out", "item_ids": ["I1"],
         "dataset_id": "D1", "optout_notified_on": "2025-01-01"},
        {"provision_id": "V3", "party_id": "P2", "basis": "consent", "item_ids": ["I3"],
         "dataset_id": "D2", "linkage_expected": True, "consent_confirmed_on": "2026-01-05",
         "foreign_info_given": True, "record_method": "bulk"},
        {"provision_id": "V4", "party_id": "P3", "basis": "law", "item_ids": ["I1"],
         "dataset_id": "D1"},
    ]
    reg["provision_log"] += [
        {"event_id": "E2", "provision_id": "V2", "provided_on": "2026-04-02", "principal_ids": ["A1", "A2"]},
        {"event_id": "E3", "provision_id": "V3", "provided_on": "2026-04-03"},
        {"event_id": "E4", "provision_id": "V3", "provided_on": "2026-05-03"},
        {"event_id": "E5", "provision_id": "V4", "provided_on": "2026-04-05", "principal_ids": ["A1"]},
    ]
    reg["receipts"] = [
        {"receipt_id": "R1", "party_id": "P5", "basis": "opt_out", "received_on": "2026-03-01",
         "item_ids": ["I1"], "dataset_id": "D1", "acquisition": "公刊物から", "provider_confirmed": True,
         "ppc_publication_checked": False, "principal_ids": ["A3"]},
        {"receipt_id": "R2", "party_id": "P4", "basis": "consent", "received_on": "2026-03-02",
         "item_ids": ["I1"], "dataset_id": "D1", "acquisition": "知人の紹介", "provider_confirmed": True,
         "principal_ids": ["A4"]},
    ]
    return reg


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """The records of `_register()` in every format and language."""
    tmp = tmp_path_factory.mktemp("ja")
    src = write_json(tmp, _register())
    out = {}
    for lang in ("en", "ja"):
        for fmt in ("json", "csv", "xlsx"):
            out[lang, fmt] = tmp / f"{lang}-{fmt}"
            _records(src, out[lang, fmt], fmt, lang)
    return src, out


# --- §2 labels --------------------------------------------------------------------------------


def test_output_codes_have_the_spec_labels():
    col = lambda t, c: output_table(t).column(c).labels_ja  # noqa: E731
    assert col("provision_records", "record_type") == {
        "opt_out": "オプトアウトによる第三者提供", "consent": "本人の同意による第三者提供",
        "person_related": "個人関連情報の第三者提供"}
    assert col("confirmation_records", "record_type") == {
        "opt_out": "オプトアウトによる受領", "consent": "本人の同意による受領",
        "person_related": "個人関連情報の個人データとしての取得",
        "private": "個人情報取扱事業者以外の者からの受領"}
    for t in ("provision_records", "confirmation_records"):
        assert col(t, "record_method") == {"each": "都度記録", "bulk": "一括記録",
                                           "contract": "契約書等による代替"}
    assert col("exempt_flows", "flow") == {"provision": "提供", "receipt": "受領", "tag": "外部送信"}
    reason = col("exempt_flows", "reason")
    assert {k: reason[k] for k in ("public_body", "my_number_act", "not_personal_data", "art27_1",
                                   "on_behalf", "art27_5", "unresolved")} == {
        "public_body": "法第16条第2項の公的機関", "my_number_act": "個人番号のみ（番号法による）",
        "not_personal_data": "個人データとして取得されない個人関連情報",
        "art27_1": "法第27条第1項各号の例外", "on_behalf": "本人に代わる提供",
        "art27_5": "委託・事業承継・共同利用（第三者に該当しない）",
        "unresolved": "分類できない（登録内容の誤り）"}
    assert reason["not_personal_information"] == "個人情報に該当しない情報"
    assert reason["direct_collection"] == "送信先による直接の取得"
    assert reason["return_to_entrustor"] == "委託元への返還"
    basis = col("exempt_flows", "basis")
    assert basis["none"] == "個人データの提供に当たらない" and basis["consent"] == "本人の同意"
    assert basis["private"] == "事業者でない個人からの受領"
    # the output's basis labels are the input schemas' (one name for one code)
    provisions = schema.table("provisions").column("basis").enum_labels_ja
    assert {k: basis[k] for k in provisions} == provisions
    from register.outputs import disclosure_columns

    kind = next(c for c in disclosure_columns() if c.name == "record_kind")
    assert kind.labels_ja == {"provision": "提供記録", "confirmation": "確認記録"}
    assert output_table("provision_records").column("incomplete").label_ja == "記載が欠けている項目"


def test_every_output_enum_code_has_a_label():
    doc = json.loads((schema.SCHEMA_DIR / "output" / "records.schema.json").read_text("utf-8"))
    for t in output_tables():
        for c in t.columns:
            enum = _enum(doc, t.name, c.name)
            if enum:
                assert set(enum) <= set(c.labels_ja), (t.name, c.name)
                assert "," not in "".join(c.labels_ja.values())


def _enum(doc: dict, table: str, column: str) -> list[str]:
    p = doc["properties"][table]["items"]["properties"][column]
    if "$ref" in p:
        p = doc["$defs"][p["$ref"].rsplit("/", 1)[-1]]
    return p.get("enum", [])


def test_csv_under_ja_shows_labels_booleans_phrases_and_countries(written):
    _src, out = written
    pr = {r["記録ID"]: r for r in _csv(out["ja", "csv"] / "provision_records.csv")}
    assert pr["P/V1/E1"]["記録の種類"] == "本人の同意による第三者提供"
    assert pr["P/V1/E1"]["記録方法"] == "都度記録"
    assert pr["P/V1/E1"]["本人の同意"] == "本人の同意を得ている"
    assert pr["P/V1/E1"]["提供先の国"] == "日本"
    assert pr["P/V2/E2"]["記録の種類"] == "オプトアウトによる第三者提供"
    assert pr["P/V2/E2"]["本人の同意"] == ""
    assert pr["P/V3"]["記録の種類"] == "個人関連情報の第三者提供"
    assert pr["P/V3"]["記録方法"] == "一括記録"
    assert pr["P/V3"]["本人の同意"] == "本人の同意を確認済み（2026-01-05）、外国の制度等の情報提供を確認済み"
    assert pr["P/V3"]["提供先の国"] == "米国"
    conf = {r["記録ID"]: r for r in _csv(out["ja", "csv"] / "confirmation_records.csv")}
    assert conf["C/R1"]["記録の種類"] == "オプトアウトによる受領"
    assert conf["C/R1"]["委員会公表の確認"] == "×"
    assert conf["C/R2"]["記録の種類"] == "個人情報取扱事業者以外の者からの受領"
    ex = {r["提供ID・受領ID"]: r for r in _csv(out["ja", "csv"] / "exempt_flows.csv")}
    assert (ex["V4"]["区分"], ex["V4"]["根拠"], ex["V4"]["記録不要の理由"]) == (
        "提供", "法令に基づく場合", "法第16条第2項の公的機関")


def test_csv_under_en_keeps_the_codes(written):
    _src, out = written
    pr = {r["record_id"]: r for r in _csv(out["en", "csv"] / "provision_records.csv")}
    assert (pr["P/V3"]["record_type"], pr["P/V3"]["record_method"], pr["P/V3"]["consent"],
            pr["P/V3"]["recipient_country"]) == (
        "person_related", "bulk", "confirmed 2026-01-05; foreign information confirmed", "US")
    conf = {r["record_id"]: r for r in _csv(out["en", "csv"] / "confirmation_records.csv")}
    assert conf["C/R1"]["ppc_publication_checked"] == "false"
    ex = {r["flow_id"]: r for r in _csv(out["en", "csv"] / "exempt_flows.csv")}
    assert (ex["V4"]["flow"], ex["V4"]["basis"], ex["V4"]["reason"]) == ("provision", "law", "public_body")


def test_json_is_the_same_in_both_languages(written):
    _src, out = written
    en = (out["en", "json"] / "records.json").read_bytes()
    assert en == (out["ja", "json"] / "records.json").read_bytes()
    doc = json.loads(en)
    assert doc["provision_records"][0]["record_type"] in ("consent", "opt_out", "person_related")


def _all_codes() -> set[str]:
    codes = {"true", "false", "True", "False"}
    for t in schema.tables():
        for c in t.columns:
            codes |= set(c.enum or ())
    for t in output_tables():
        for c in t.columns:
            codes |= set(c.labels_ja)
            if c.lists_columns:
                codes |= {x.name for x in t.columns}
    return codes


def _xlsx_cells(path: Path):
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        for ws in wb.worksheets:
            for row in ws.iter_rows(values_only=True):
                yield from row
    finally:
        wb.close()


@pytest.mark.parametrize("source", ["sample", "crafted"])
def test_no_code_value_in_any_japanese_records_cell(written, tmp_path, source):
    """Property of §1: under ja a person never reads a code value in records.xlsx or CSV."""
    if source == "sample":
        src = SAMPLE / "register.json"
        outs = {fmt: tmp_path / fmt for fmt in ("csv", "xlsx")}
        for fmt, o in outs.items():
            _records(src, o, fmt, "ja")
    else:
        outs = {fmt: written[1]["ja", fmt] for fmt in ("csv", "xlsx")}
    codes = _all_codes()
    cells = [c for c in _xlsx_cells(outs["xlsx"] / "records.xlsx") if isinstance(c, str)]
    for t in TABLES:
        for row in _csv(outs["csv"] / f"{t}.csv"):
            cells += list(row.values())
    # lists are joined: every part must be free of codes too
    parts = {p for c in cells for p in c.replace("、", ";").split(";")}
    assert cells and not (parts & codes), sorted(parts & codes)


# --- §7 incomplete ----------------------------------------------------------------------------


def test_incomplete_lists_the_empty_required_columns(written):
    _src, out = written
    doc = json.loads((out["en", "json"] / "records.json").read_bytes())
    pr = {r["record_id"]: r for r in doc["provision_records"]}
    assert pr["P/V1/E1"]["incomplete"] == []
    assert list(pr["P/V1/E1"])[-1] == "incomplete"
    # person-related: no principal needed; consent confirmed
    assert pr["P/V3"]["incomplete"] == [] and pr["P/V3"]["principal_count"] is None
    conf = {r["record_id"]: r for r in doc["confirmation_records"]}
    # opt-out receipt: PPC publication not checked, corporation without representative
    assert conf["C/R1"]["incomplete"] == ["provider_representative", "ppc_publication_checked"]
    # private (an individual): no representative needed, no consent needed
    assert conf["C/R2"]["incomplete"] == []
    en = {r["record_id"]: r for r in _csv(out["en", "csv"] / "confirmation_records.csv")}
    assert en["C/R1"]["incomplete"] == "provider_representative;ppc_publication_checked"
    assert en["C/R2"]["incomplete"] == ""
    ja = {r["記録ID"]: r for r in _csv(out["ja", "csv"] / "confirmation_records.csv")}
    assert ja["C/R1"]["記載が欠けている項目"] == "提供元の代表者氏名、委員会公表の確認"
    wb = openpyxl.load_workbook(out["ja", "xlsx"] / "records.xlsx")
    ws = wb["確認記録"]
    header = [c.value for c in ws[1]]
    assert header[-1] == "記載が欠けている項目"
    rows = {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    assert rows["C/R1"][-1] == "提供元の代表者氏名、委員会公表の確認"
    assert rows["C/R2"][-1] is None


def test_incomplete_by_record_type_and_recipient_kind(tmp_path):
    reg = base_register()
    reg["parties"] += [
        {"party_id": "PU", "name": "ウェブ公開", "kind": "unspecified_public", "country": "JP"},
        {"party_id": "IND", "name": "個人 太郎", "kind": "individual", "address": "東京都3",
         "country": "JP"},
    ]
    reg["parties"][0].pop("representative")  # a corporation without its representative
    reg["provisions"][0]["consent"] = False  # consent record, consent not obtained
    reg["provisions"] += [
        {"provision_id": "V2", "party_id": "PU", "basis": "consent", "consent": True,
         "item_ids": ["I1"], "dataset_id": "D1"},
        {"provision_id": "V3", "party_id": "IND", "basis": "consent", "consent": True,
         "item_ids": ["I1"], "dataset_id": "D1"},
    ]
    reg["provision_log"] += [
        {"event_id": "E2", "provision_id": "V2", "provided_on": "2026-04-02", "principal_ids": ["A1"]},
        {"event_id": "E3", "provision_id": "V3", "provided_on": "2026-04-03"},  # no principal
    ]
    out = tmp_path / "out"
    _records(write_json(tmp_path, reg), out, "json")
    pr = {r["record_id"]: r for r in json.loads((out / "records.json").read_bytes())["provision_records"]}
    assert pr["P/V1/E1"]["incomplete"] == ["recipient_representative", "consent"]
    assert pr["P/V2/E2"]["incomplete"] == []  # unspecified public: only the name is stated
    assert pr["P/V3/E3"]["incomplete"] == ["principal_count"]  # 0 principals


# --- §7 dates that do not parse ------------------------------------------------------------


def _undated(tmp_path: Path) -> Path:
    reg = base_register()
    reg["provision_log"][0]["provided_on"] = "令和6年4月31日"  # no such day
    reg["provisions"].append(dict(reg["provisions"][0], provision_id="V2", record_method="bulk"))
    reg["provision_log"] += [
        {"event_id": "E2", "provision_id": "V2", "provided_on": "2021-04-02", "principal_ids": ["A1"]},
        {"event_id": "E3", "provision_id": "V2", "provided_on": "2021-02-30", "principal_ids": ["A2"]},
        {"event_id": "E4", "provision_id": "V1", "provided_on": "2021-04-03",
         "recorded_on": "2021-13-01", "principal_ids": ["A2"]},
        {"event_id": "E5", "provision_id": "V1", "provided_on": "2021-04-04", "principal_ids": ["A2"]},
    ]
    reg["receipts"] = [
        {"receipt_id": "R1", "party_id": "P1", "basis": "consent", "received_on": "2021-02-29",
         "item_ids": ["I1"], "dataset_id": "D1", "acquisition": "x", "provider_confirmed": True,
         "consent": True, "principal_ids": ["A3"]},
    ]
    return write_json(tmp_path, reg)


def test_dates_computed_from_an_invalid_date_are_empty_and_the_record_is_written(tmp_path):
    out = tmp_path / "out"
    res = _records(_undated(tmp_path), out, "json")
    assert "errors" in res.stderr  # SCH-003, and still exit 0
    doc = json.loads((out / "records.json").read_bytes())
    pr = {r["record_id"]: r for r in doc["provision_records"]}
    dates = ("provided_from", "provided_to", "recorded_on", "retain_until")
    assert [pr["P/V1/E1"][d] for d in dates] == [None] * 4
    assert pr["P/V1/E1"]["incomplete"] == ["retain_until"]
    # bulk: one undated event leaves the whole period and the retention empty
    assert [pr["P/V2"][d] for d in dates] == [None] * 4
    assert pr["P/V2"]["incomplete"] == ["retain_until"]
    # an invalid recorded_on is empty, not the provision date; retention runs from it: empty
    assert [pr["P/V1/E4"][d] for d in dates] == ["2021-04-03", "2021-04-03", None, None]
    # a sound event beside them keeps its dates
    assert [pr["P/V1/E5"][d] for d in dates] == ["2021-04-04", "2021-04-04", "2021-04-04", "2024-04-04"]
    conf = doc["confirmation_records"][0]
    assert [conf[d] for d in ("received_from", "received_to", "recorded_on", "retain_until")] == [None] * 4
    assert conf["incomplete"] == ["retain_until"]
    # the principals' entries are all there
    assert {(p["record_id"], p["principal_id"]) for p in doc["provision_principals"]} >= {
        ("P/V1/E1", "A1"), ("P/V2", "A1"), ("P/V2", "A2")}


def test_an_empty_retain_until_means_keep(tmp_path):
    """RET-001 fires on the sound record only, however late the as-of date."""
    res = run_cli("check", str(_undated(tmp_path)), "--format", "json", "--as-of", "2040-01-01")
    ret = [f["record"] for f in json.loads(res.output)["findings"] if f["rule"] == "RET-001"]
    assert ret == ["E5"]  # the event of record P/V1/E5


# --- §7 principal_count, print setup, determinism ----------------------------------------------


def test_principal_count_is_an_integer_cell(written):
    _src, out = written
    for lang, sheet in (("en", "provision_records"), ("ja", "提供記録")):
        wb = openpyxl.load_workbook(out[lang, "xlsx"] / "records.xlsx")
        ws = wb[sheet]
        col = [c.value for c in ws[1]].index("principal_count" if lang == "en" else "本人の数")
        counts = [r[col] for r in ws.iter_rows(min_row=2, values_only=True)]
        assert 2 in counts and all(type(v) is int for v in counts if v is not None), counts


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_records_xlsx_prints_on_a4(written, lang):
    _src, out = written
    wb = openpyxl.load_workbook(out[lang, "xlsx"] / "records.xlsx")
    centre = {
        "en": ["Records of provision to third parties", "Records of provision to third parties: principals",
               "Records of confirmation on receipt", "Records of confirmation on receipt: principals",
               "Flows that need no record"],
        "ja": ["第三者提供に係る記録", "第三者提供に係る記録（本人）",
               "第三者提供を受ける際の確認に係る記録", "第三者提供を受ける際の確認に係る記録（本人）",
               "記録を要しない提供・受領"],
    }[lang]
    right = "基準日 2026-11-21" if lang == "ja" else "As of 2026-11-21"
    for ws, title in zip(wb.worksheets, centre, strict=True):
        ps = ws.page_setup
        assert (ps.orientation, ps.paperSize) == ("landscape", 9), ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert (ps.fitToWidth in (None, 1), ps.fitToHeight) == (True, 0)
        assert ws.print_title_rows == "$1:$1" and ws.freeze_panes == "A2"
        assert ws.oddHeader.left.text == "株式会社テスト"
        assert ws.oddHeader.center.text == title
        assert ws.oddHeader.right.text == right
        assert ws.oddFooter.center.text == "&P / &N"
        assert ws["A1"].value in ("record_id", "記録ID", "flow", "区分")  # no title rows
    ws = wb.worksheets[0]
    names = [c.value for c in ws[1]]
    items = names.index("item_names" if lang == "en" else "個人データの項目")
    assert ws.cell(2, items + 1).alignment.wrap_text


def test_an_ampersand_in_the_organization_name_prints_as_itself(tmp_path):
    reg = base_register()
    reg["organization"]["name"] = "A&B株式会社"
    out = tmp_path / "out"
    _records(write_json(tmp_path, reg), out, "xlsx", "ja")
    ws = openpyxl.load_workbook(out / "records.xlsx").worksheets[0]
    assert ws.oddHeader.left.text == "A&&B株式会社"  # Excel's code for one '&'


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_same_input_same_bytes(written, tmp_path, fmt, lang):
    src, out = written
    again = tmp_path / "again"
    _records(src, again, fmt, lang)
    for f in sorted(out[lang, fmt].iterdir()):
        assert (again / f.name).read_bytes() == f.read_bytes(), f.name


# --- stderr summary ---------------------------------------------------------------------------


@pytest.mark.parametrize("lang, line", [("en", "1 error"), ("ja", "エラー 1件")])
def test_error_summary_on_stderr(tmp_path, lang, line):
    reg = base_register()
    reg["provisions"][0]["consent"] = False  # PRV-001, one error
    src = write_json(tmp_path, reg)
    runs = {
        "records": ("records", str(src), "--out", str(tmp_path / "r")),
        "report": ("report", str(src), "--out", str(tmp_path / "r.html")),
        "disclose": ("disclose", str(src), "--principal", "A1", "--out", str(tmp_path / "d.json")),
    }
    for name, args in runs.items():
        res = run_cli(*args, "--lang", lang, "--as-of", AS_OF)
        assert res.exit_code == 0, (name, res.output)
        assert res.stderr.splitlines() == [line], (name, res.stderr)


# The sample's records under ja, pinned like tests/golden/sample_records/ (and regenerated
# with it: `REGISTER_UPDATE_GOLDEN=1`, then review the diff).
GOLDEN_JA = Path(__file__).parent / "golden" / "sample_records_ja"


def test_japanese_csv_records_of_the_sample_are_pinned(tmp_path):
    out = tmp_path / "csv"
    _records(SAMPLE / "register.json", out, "csv", "ja")
    for t in TABLES:
        data = (out / f"{t}.csv").read_bytes()
        target = GOLDEN_JA / f"{t}.csv"
        if os.environ.get("REGISTER_UPDATE_GOLDEN"):
            GOLDEN_JA.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        assert data == target.read_bytes(), f"{t}.csv differs from the pinned Japanese records"


def test_dates_are_iso_in_every_output(written):
    _src, out = written
    rows = _csv(out["ja", "csv"] / "provision_records.csv")
    for r in rows:
        for h in ("提供期間（開始）", "保存期限"):
            if r[h]:
                assert dt.date.fromisoformat(r[h]).isoformat() == r[h]
