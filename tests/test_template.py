"""`register template`: the blank workbook is derived from the schemas and reads back cleanly."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from register import schema
from register.io.sheets import GUIDE_SHEETS
from register.template import GUIDE_NAME, guide_rows, write_template

from .conftest import findings_of, keys, run_cli

LANGS = ("en", "ja")


@pytest.fixture(scope="module")
def templates(tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("template")
    return {lang: write_template(d / f"template_{lang}.xlsx", lang) for lang in LANGS}


@pytest.mark.parametrize("lang", LANGS)
def test_every_table_is_a_sheet_with_its_headers(templates, lang):
    wb = openpyxl.load_workbook(templates[lang])
    assert wb.sheetnames == [GUIDE_NAME[lang]] + [t.label(lang) for t in schema.tables()]
    for spec in schema.tables():
        ws = wb[spec.label(lang)]
        headers = [c.value for c in ws[1]]
        assert headers == [c.label(lang) for c in spec.columns]
        assert ws.max_row == 1  # blank: header only
        assert ws.freeze_panes == "A2"


def test_both_languages_have_the_same_layout(templates):
    en = openpyxl.load_workbook(templates["en"])
    ja = openpyxl.load_workbook(templates["ja"])
    assert len(en.sheetnames) == len(ja.sheetnames)
    for spec in schema.tables():
        e, j = en[spec.name], ja[spec.label_ja]
        assert [c.value for c in e[1]] == [c.name for c in spec.columns]
        assert [c.value for c in j[1]] == [c.label_ja for c in spec.columns]


def test_guide_sheet_names_are_skipped_by_the_loader():
    assert {schema.fold(n) for n in GUIDE_NAME.values()} == GUIDE_SHEETS


@pytest.mark.parametrize("lang", LANGS)
def test_required_columns_are_styled_not_marked(templates, lang):
    wb = openpyxl.load_workbook(templates[lang])
    for spec in schema.tables():
        ws = wb[spec.label(lang)]
        for j, col in enumerate(spec.columns):
            cell = ws.cell(row=1, column=j + 1)
            assert "*" not in cell.value and "必須" not in cell.value
            assert cell.font.b
            fill = cell.fill.fgColor.rgb
            assert (fill == "FFF8CBAD") is col.required, (spec.name, col.name, fill)


@pytest.mark.parametrize("lang", LANGS)
def test_enum_and_boolean_columns_have_dropdowns(templates, lang):
    """Codes and true/false under en; the Japanese labels and ○/× under ja (japanese.md §6)."""
    wb = openpyxl.load_workbook(templates[lang])
    for spec in schema.tables():
        ws = wb[spec.label(lang)]
        found = {}
        for dv in ws.data_validations.dataValidation:
            assert dv.type == "list"
            if not dv.formula1.startswith('"'):
                continue  # an ID pick-list (test_template_ja.py)
            col = str(dv.sqref).split(":")[0].rstrip("0123456789")
            found[col] = dv.formula1.strip('"').split(",")
        expected = {}
        for j, col in enumerate(spec.columns):
            letter = openpyxl.utils.get_column_letter(j + 1)
            if col.kind == "enum":
                expected[letter] = [col.enum_labels_ja[c] for c in col.enum] if lang == "ja" else list(col.enum)
            elif col.kind == "bool":
                expected[letter] = ["○", "×"] if lang == "ja" else ["true", "false"]
        assert found == expected, spec.name


@pytest.mark.parametrize("lang", LANGS)
def test_date_columns_have_a_date_format(templates, lang):
    wb = openpyxl.load_workbook(templates[lang])
    ws = wb[schema.table("provision_log").label(lang)]
    # openpyxl exposes column styles through column_dimensions
    letter = openpyxl.utils.get_column_letter(
        [c.name for c in schema.table("provision_log").columns].index("provided_on") + 1
    )
    assert ws.column_dimensions[letter].number_format == "yyyy-mm-dd"


@pytest.mark.parametrize("lang", LANGS)
def test_guide_explains_every_column(templates, lang):
    wb = openpyxl.load_workbook(templates[lang])
    ws = wb[GUIDE_NAME[lang]]
    rows = [r for r in ws.iter_rows(values_only=True)]
    listed = {(r[0], r[1]) for r in rows if r[1]}
    for spec in schema.tables():
        for col in spec.columns:
            assert (spec.label(lang), col.label(lang)) in listed
    # an enum column lists its codes; for Japanese with their Japanese labels
    basis = next(r for r in guide_rows(lang) if r[1] == schema.table("provisions").column("basis").label(lang))
    assert "opt_out" in basis[5]
    if lang == "ja":
        assert "オプトアウト（opt_out）" in basis[5]
        assert basis[3] == "必須"
        assert basis[6] == "本人の同意"  # the example as typed: its label
    else:
        assert basis[3] == "required"
        assert basis[6] == schema.table("provisions").column("basis").example


@pytest.mark.parametrize("lang", LANGS)
def test_template_is_deterministic(tmp_path, lang):
    a = write_template(tmp_path / "a.xlsx", lang).read_bytes()
    b = write_template(tmp_path / "b.xlsx", lang).read_bytes()
    assert a == b


def test_cli_writes_the_template(tmp_path):
    out = tmp_path / "t.xlsx"
    result = run_cli("template", str(out), "--lang", "ja")
    assert result.exit_code == 0, result.output
    assert out.exists()
    assert openpyxl.load_workbook(out).sheetnames[0] == "記入ガイド"


def test_cli_template_into_missing_folder_exits_2(tmp_path):
    result = run_cli("template", str(tmp_path / "nope" / "t.xlsx"))
    assert result.exit_code == 2
    assert "nope" in result.output


# --- a filled template reads back with no finding ---------------------------------------------

# What a lawful one-row-per-table register needs beyond the schema's examples: the provision
# goes to the contractor under its contract, so the consent / opt-out / joint-use columns are
# left empty (they would describe another route). The example purpose is our own (not a
# client's), and the example joint-use change is one purposes change: the other matters'
# before_* columns and change_basis stay empty (JNT-013, joint-use.md §2).
OVERRIDES: dict[str, dict[str, Any]] = {
    "purposes": {"client_party_id": None},
    # One measure a sheet cannot publish every category (PUB-005), so the example dataset is
    # not retained data; the example hash is no text's (PUB-007) (publish.md §4).
    "datasets": {"retained": False},
    "notice_versions": {"sha256": None},
    # The example lists two principals; the one-row principals sheet names only the first
    # (REF-006 would rightly say CU-1002 is unknown).
    "provision_log": {"principal_ids": "CU-1001"},
    "receipts": {"principal_ids": "CU-1001"},
    "joint_use_changes": {
        "change_basis": None,
        "before_item_ids": None,
        "before_user_party_ids": None,
        "before_users_scope": None,
        "before_manager_party_id": None,
        "before_manager_details": None,
    },
    "provisions": {
        "basis": "entrustment",
        "joint_use_id": None,
        "consent": None,
        "consent_evidence": None,
        "foreign_info_given": None,
        "optout_notified_on": None,
        "linkage_expected": None,
        "consent_confirmed_on": None,
    },
}


def example_row(spec: schema.TableSpec) -> dict[str, Any]:
    """One row of the table from the schema's x-example values, references pointing at the
    one row of each referenced table, values typed as a person filling Excel would type them."""
    row: dict[str, Any] = {}
    for col in spec.columns:
        v: Any = col.example
        if v is not None and col.references:
            target = schema.table(col.references)
            key_example = target.column(target.key).example
            if col.is_list:
                keep_self = ["self"] if col.allow_self and "self" in v.split(";") else []
                v = ";".join(keep_self + [key_example])
            elif v != "self" or not col.allow_self:
                v = key_example
        row[col.name] = v
    row.update(OVERRIDES.get(spec.name, {}))
    for col in spec.columns:
        v = row[col.name]
        if v is None:
            continue
        if col.kind == "date":
            row[col.name] = dt.datetime.fromisoformat(v)
        elif col.kind == "int":
            row[col.name] = int(v)
    return row


@pytest.mark.parametrize("lang", LANGS)
def test_filled_template_has_no_finding(templates, tmp_path, lang):
    wb = openpyxl.load_workbook(templates[lang])
    for spec in schema.tables():
        ws = wb[spec.label(lang)]
        row = example_row(spec)
        for j, col in enumerate(spec.columns):
            if row[col.name] is not None:
                ws.cell(row=2, column=j + 1, value=row[col.name])
    filled = tmp_path / f"filled_{lang}.xlsx"
    wb.save(filled)
    assert keys(findings_of(filled)) == set()
