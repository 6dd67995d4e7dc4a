"""The officer's workbook (japanese.md §6): dropdowns, pick-lists, three header fills, the
guide's 必須 column and a print setup that fits A4 — read back with openpyxl."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from register import schema
from register.checks import load_all
from register.findings import RULES
from register.template import FILLS, GUIDE_NAME, guide_rows, write_template

LANGS = ("en", "ja")


@pytest.fixture(scope="module")
def books(tmp_path_factory) -> dict[str, openpyxl.Workbook]:
    d = tmp_path_factory.mktemp("template_ja")
    return {lang: openpyxl.load_workbook(write_template(d / f"t_{lang}.xlsx", lang)) for lang in LANGS}


def _validations(ws) -> dict[str, object]:
    """Column letter → its data validation (each covers one column from row 2 down)."""
    out = {}
    for dv in ws.data_validations.dataValidation:
        ref = str(dv.sqref)
        first, last = ref.split(":")
        letter = first.rstrip("0123456789")
        assert first == f"{letter}2" and last == f"{letter}1048576", ref
        assert letter not in out
        out[letter] = dv
    return out


def _letter(spec: schema.TableSpec, column: str) -> str:
    return get_column_letter([c.name for c in spec.columns].index(column) + 1)


def _width(ws, spec: schema.TableSpec, column: str) -> float:
    """A column's width (XlsxWriter writes neighbours of equal width as one range)."""
    j = [c.name for c in spec.columns].index(column) + 1
    [dim] = [d for d in ws.column_dimensions.values() if d.min <= j <= d.max]
    return dim.width


def test_every_data_sheet_has_its_header_in_row_1(books):
    ws = books["ja"]["データ提供"]
    assert [c.value for c in ws[1]] == [c.label_ja for c in schema.table("provisions").columns]
    assert ws.max_row == 1


@pytest.mark.parametrize("lang", LANGS)
def test_dropdowns(books, lang):
    for spec in schema.tables():
        found = _validations(books[lang][spec.label(lang)])
        for col in spec.columns:
            dv = found.get(_letter(spec, col.name))
            if col.kind not in ("enum", "bool"):
                continue
            assert dv is not None, (spec.name, col.name)
            assert dv.type == "list"
            if col.kind == "enum":
                want = [col.enum_labels_ja[c] for c in col.enum] if lang == "ja" else list(col.enum)
            else:
                want = ["○", "×"] if lang == "ja" else ["true", "false"]
            assert dv.formula1 == '"' + ",".join(want) + '"'
            assert dv.errorStyle == "warning"
            assert dv.showErrorMessage
            assert GUIDE_NAME[lang] in dv.error  # the error text points to the guide


def test_every_label_fits_a_dropdown():
    for spec in schema.tables():
        for col in spec.columns:
            if col.kind == "enum":
                assert set(col.enum_labels_ja) == set(col.enum), (spec.name, col.name)
                assert not any("," in label for label in col.enum_labels_ja.values())
            if col.kind == "ids" and col.enum:  # a code list: its labels are read back split
                assert not any(sep in label for label in col.enum_labels_ja.values()
                               for sep in ";；、,，\n"), (spec.name, col.name)


# The pick-lists japanese.md §6 names: (sheet, header) → referenced sheet.
SPEC_PICK_LISTS = {
    ("データ提供", "提供先ID"): "相手方",
    ("受領", "提供元ID"): "相手方",
    ("委託先", "委託先ID"): "相手方",
    ("共同利用", "管理責任者ID"): "相手方",
    ("データ提供", "提供元データベースID"): "個人情報データベース等",
    ("受領", "受入先データベースID"): "個人情報データベース等",
    ("データ提供", "委託契約ID"): "委託先",
    ("データ提供", "共同利用ID"): "共同利用",
    ("提供実績", "提供ID"): "データ提供",
}


def _pick_lists(wb, lang: str) -> dict[tuple[str, str], str]:
    out = {}
    for spec in schema.tables():
        ws = wb[spec.label(lang)]
        for letter, dv in _validations(ws).items():
            if dv.formula1.startswith('"'):
                continue
            header = ws[f"{letter}1"].value
            assert dv.type == "list"
            assert dv.errorStyle == "warning"  # `self`, or an ID still to be written
            out[(spec.label(lang), header)] = dv.formula1
    return out


def test_pick_lists_name_the_referenced_key_column(books):
    found = _pick_lists(books["ja"], "ja")
    for (sheet, header), target in SPEC_PICK_LISTS.items():
        assert found[(sheet, header)] == f"'{target}'!$A$2:$A$1048576"
    # derived from x-references: every single-ID reference, no list cell
    expected = {
        (spec.label_ja, col.label_ja): f"'{schema.table(col.references).label_ja}'!$A$2:$A$1048576"
        for spec in schema.tables() for col in spec.columns if col.references and col.kind == "id"
    }
    assert found == expected


def test_no_pick_list_on_list_cells(books):
    for spec in schema.tables():
        found = _validations(books["ja"][spec.label_ja])
        for col in spec.columns:
            if col.kind == "ids":
                assert _letter(spec, col.name) not in found, (spec.name, col.name)


def test_the_key_column_of_every_referenced_sheet_is_column_a():
    referenced = {c.references for t in schema.tables() for c in t.columns if c.references}
    for name in referenced:
        spec = schema.table(name)
        assert spec.key is not None and spec.columns[0].name == spec.key, name


def test_en_pick_lists_name_the_english_sheets(books):
    found = _pick_lists(books["en"], "en")
    assert found[("provisions", "party_id")] == "'parties'!$A$2:$A$1048576"
    assert found[("provision_log", "provision_id")] == "'provisions'!$A$2:$A$1048576"


# The conditionally required columns of japanese.md §6.
SPEC_CONDITIONAL = {
    ("purposes", "third_party_provision"): {"PRV-004"},
    ("datasets", "special_care_basis"): {"SEN-001"},
    ("parties", "address"): {"PRV-008", "RCV-002"},
    ("parties", "representative"): {"PRV-008", "RCV-002"},
    ("parties", "safeguard_checked_on"): {"XB-003"},
    ("contractors", "contract_on"): {"ENT-001"},
    ("contractors", "security_terms"): {"ENT-002"},
    ("contractors", "last_audit_on"): {"ENT-003"},
    ("joint_uses", "item_ids"): {"JNT-001"},
    ("joint_uses", "users_scope"): {"JNT-001"},
    ("joint_uses", "purpose_ids"): {"JNT-001"},
    ("joint_uses", "manager_party_id"): {"JNT-001"},
    ("joint_uses", "notified_on"): {"JNT-001"},
    ("provisions", "dataset_id"): {"PRV-010"},
    ("provisions", "optout_notified_on"): {"PRV-003"},
    ("provisions", "contract_id"): {"ENT-001"},
    ("provisions", "joint_use_id"): {"JNT-005"},
    ("provisions", "consent"): {"PRV-001"},
    ("provisions", "foreign_info_given"): {"XB-002", "PRI-002"},
    ("provisions", "consent_confirmed_on"): {"PRI-001"},
    ("provision_log", "principal_ids"): {"PRV-009"},
    ("receipts", "acquisition"): {"RCV-001"},
    ("receipts", "provider_confirmed"): {"RCV-002"},
    ("receipts", "ppc_publication_checked"): {"RCV-003"},
    ("receipts", "consent"): {"RCV-004"},
}


def test_conditions_are_declared_in_the_schemas():
    declared = {
        (t.name, c.name): set(c.required_when["rules"])
        for t in schema.tables() for c in t.columns if c.required_when
    }
    for key, rules in SPEC_CONDITIONAL.items():
        assert declared.get(key) == rules, key
    for (table, column), rules in declared.items():
        col = schema.table(table).column(column)
        assert not col.required  # schema-required columns are simply required
        assert col.required_when["en"] and col.required_when["ja"]
        load_all()
        assert rules <= set(RULES), rules


@pytest.mark.parametrize("lang", LANGS)
def test_three_header_fills(books, lang):
    fills = {k: "FF" + v.lstrip("#").upper() for k, v in FILLS.items()}
    assert len(set(fills.values())) == 3
    for spec in schema.tables():
        ws = books[lang][spec.label(lang)]
        for j, col in enumerate(spec.columns):
            cell = ws.cell(row=1, column=j + 1)
            assert cell.fill.fgColor.rgb == fills[col.requirement], (spec.name, col.name)
            assert cell.font.b
    assert schema.table("provisions").column("contract_id").requirement == "conditional"
    assert schema.table("provisions").column("basis").requirement == "required"
    assert schema.table("provisions").column("purpose").requirement == "optional"


def test_the_guides_required_column():
    rows = {(r.sheet, r.column): r for r in guide_rows("ja") if not r.is_table}
    assert rows[("データ提供", "提供の根拠")].required == "必須"
    assert rows[("データ提供", "提供目的")].required == "任意"
    assert rows[("データ提供", "委託契約ID")].required == "条件付き必須：「提供の根拠」が『委託』の場合（ENT-001）"
    assert rows[("相手方", "住所")].required.endswith("（PRV-008、RCV-002）")
    for (table, column), rules in SPEC_CONDITIONAL.items():
        spec = schema.table(table)
        text = rows[(spec.label_ja, spec.column(column).label_ja)].required
        assert text.startswith("条件付き必須：")
        assert all(r in text for r in rules)
    en = {(r.sheet, r.column): r for r in guide_rows("en") if not r.is_table}
    assert en[("provisions", "contract_id")].required == "conditionally required: basis entrustment (ENT-001)"


def test_the_guide_sheet_shows_the_required_column_with_its_fill(books):
    ws = books["ja"][GUIDE_NAME["ja"]]
    header = next(r for r in ws.iter_rows(min_row=1, max_row=10) if r[0].value == "シート")
    assert [c.value for c in header] == ["シート", "列名", "英語の列名", "必須", "説明", "入力できる値", "記入例"]
    colours = {}
    for row in ws.iter_rows(min_row=header[0].row + 1):
        if row[1].value:
            colours.setdefault(row[3].value.split("：")[0], set()).add(row[3].fill.fgColor.rgb)
    assert colours["必須"] == {"FF" + FILLS["required"].lstrip("#")}
    assert colours["条件付き必須"] == {"FF" + FILLS["conditional"].lstrip("#")}
    assert colours["任意"] == {"FF" + FILLS["optional"].lstrip("#")}


@pytest.mark.parametrize("lang", LANGS)
def test_print_setup(books, lang):
    wb = books[lang]
    for ws in wb.worksheets:
        ps = ws.page_setup
        assert ps.orientation == "landscape", ws.title
        assert int(ps.paperSize) == 9  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert int(ps.fitToWidth) == 1 and int(ps.fitToHeight) == 0
    for spec in schema.tables():
        ws = wb[spec.label(lang)]
        assert ws.print_title_rows == "$1:$1"
        assert ws.freeze_panes == "A2"


def test_guide_rows_wrap_with_heights(books):
    ws = books["ja"][GUIDE_NAME["ja"]]
    assert ws.print_title_rows == "$4:$4"  # its header row on every page
    body = [r for r in ws.iter_rows(min_row=5) if r[1].value or r[0].value]
    assert len(body) == len(guide_rows("ja"))
    for row in body:
        assert row[4].alignment.wrap_text
        height = ws.row_dimensions[row[0].row].height
        assert height is not None and height >= 15
        # a longer text gets a taller row
        lines = max(str(c.value or "").count("\n") + 1 for c in row)
        assert height >= 15 * lines


def test_column_widths_fit_the_examples(books):
    from register.values import display_width

    for spec in schema.tables():
        ws = books["ja"][spec.label_ja]
        for col in spec.columns:
            width = _width(ws, spec, col.name)
            example = col.example or ""
            if col.kind == "enum":
                example = col.enum_labels_ja.get(example, example)
            assert width >= min(display_width(example) + 1, 40), (spec.name, col.name, width)
            assert width <= 41


def test_the_blank_template_reads_back_as_an_empty_register(tmp_path):
    from register.load import load

    reg = load(write_template(tmp_path / "t.xlsx", "ja"))
    assert all(t.df.height == 0 for t in reg.tables.values())
    assert not reg.extra_sheets


def test_the_template_is_deterministic(tmp_path: Path):
    a = write_template(tmp_path / "a.xlsx", "ja").read_bytes()
    b = write_template(tmp_path / "b.xlsx", "ja").read_bytes()
    assert a == b
