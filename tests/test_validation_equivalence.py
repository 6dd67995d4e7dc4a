"""The vectorised structure checks find exactly what per-row `jsonschema` finds.

On generated tables (every table of the schema; each column drawn from valid and invalid
spellings of its kind), two paths must give the same set of (row, field, rule):

- the project's path: `load.build_table` (whole-column parsing, `normalize.py`) and
  `checks.structure.check` (SCH-002/003/004 from the masks);
- the reference: `jsonschema.Draft202012Validator` on each row, with a `FormatChecker` (without
  one, 2020-12 treats `format` as an annotation and `2024-02-30` passes) and the project's own
  format checkers for `iso3166-alpha2` and `corporate-number`.

The mapping, and where the two differ by design:

- The loader parses text before the schema sees it (dates in era or slash form, `○`, full-width
  IDs, Japanese enum labels, `UK` → `GB`, `1,000`). So the reference validates the NORMALISED
  row, each cell parsed by the scalar, per-row parsers (`values.parse_date`, `parse_bool`,
  `normalize_id`, `split_list`, `countries.normalize_country`, the enum's code-or-label rule):
  dates as ISO strings, lists as arrays. A cell that does not parse goes to the reference as
  written (a list cell split into its elements), and the schema rejects it for the same reason.
  The scalar parsers are independent of the vectorised code under test, so a column operation
  that accepts what the per-row parser refuses (or the reverse) shows up as a difference.
- Empty cells are absent from the instance: `required` → SCH-002.
- `type`, `format`, `pattern`, `minimum`, `not` (`self` in parties) → SCH-003; `enum` and the
  if/then `const` (an Art 16(2) kind outside JP) → SCH-004.
- One problem, one finding: when a column's value is itself invalid (SCH-003), the reference's
  if/then `const` error on that same value is not a second finding (the structure check only
  compares a country that parsed).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from referencing import Registry, Resource

from register import schema, values
from register.checks import structure
from register.countries import corporate_number_ok, normalize_country
from register.io.sheets import frame_from_rows
from register.load import build_table
from register.model import Register, Sheet

RULES = {"SCH-002", "SCH-003", "SCH-004"}
FIRST_ROW = 2  # the header is line 1

# Spellings per column kind: valid, valid only after the loader's normalisation, and invalid.
_IDS_OK = ["P1", "a.b-c_9", "Ｐ１", " X-1 ", "0" * 64, "self", "ｓｅｌｆ"]
_IDS_BAD = ["-x", "a b", "x" * 65, "日本", "P1!", "_a"]
SPELLINGS: dict[str, list[str]] = {
    "id": _IDS_OK + _IDS_BAD,
    "ids": ["A1", "A1;B2", "A1；B2、C3", " A1 ; B2 ", ";", "A1;-bad", "a b;C", "Ａ１;B2", "x" * 65],
    "date": [
        "2024-02-29", "2023-02-29", "2024-02-30", "2024/3/1", "2024.3.1", "令和5年4月1日",
        "R5.4.1", "平成31年4月30日", "令和元年5月1日", "2023-13-01", "garbage", "45000",
        "2024-1-5", "0000-01-01", "2024-04-31",
    ],
    "bool": ["true", "FALSE", "yes", "no", "1", "0", "○", "×", "はい", "いいえ", "maybe", "2", "t"],
    "int": ["12", "0", "1,000", "１２", "-3", "1.5", "abc", "99999999999999999999", "+7"],
    "country": ["JP", "jp", " gb ", "UK", "EL", "XK", "XX", "Japan", "ＪＰ", "US"],
    "corporate_number": [
        "7120001987654", "1120001987654", "123", "7120-0019-87654", "７１２０００１９８７６５４",
        "712000198765a", "9010001208847",
    ],
    "text": ["abc", "日本語のテキスト", " spaced ", "x;y"],
}
_EMPTY = st.none()
# Free text over the characters the parsers treat specially: separators, full-width forms,
# spaces of every kind, digits and the date punctuation.
_TRICKY = st.text(alphabet="aZ09-_.;；、 \u3000\t\n\x1c/年月日令和Ｐ１２０+,", min_size=1, max_size=12)


def _column_values(col: schema.Column) -> st.SearchStrategy[str | None]:
    if col.kind == "enum":
        codes = list(col.enum)
        spellings = codes + [c.upper() for c in codes] + list(col.enum_labels_ja.values())
        spellings += ["bogus", " " + codes[0] + "　"]
        return st.one_of(_EMPTY, st.sampled_from(spellings))
    spellings = SPELLINGS[col.kind]
    return st.one_of(_EMPTY, st.sampled_from(spellings), st.sampled_from(spellings).map(_pad), _TRICKY)


def _pad(v: str) -> str:
    """The same spelling with the surrounding blanks cells pick up in spreadsheets."""
    return f"\u3000{v} \t"


def _rows(spec: schema.TableSpec) -> st.SearchStrategy[list[dict[str, str | None]]]:
    row = st.fixed_dictionaries({c.name: _column_values(c) for c in spec.columns})
    # a row with every cell empty is not a row at all (readers drop it)
    return st.lists(row.filter(lambda r: any(v is not None for v in r.values())), min_size=1, max_size=5)


# ---------------------------------------------------------------- the project's path


def vectorised(spec: schema.TableSpec, rows: list[dict[str, str | None]]) -> set[tuple[int, str, str]]:
    """(row index, field, rule) from build_table + structure.check."""
    headers = [c.name for c in spec.columns]
    body = [[r[h] for h in headers] for r in rows]
    frame = frame_from_rows(headers, body, [FIRST_ROW + k for k in range(len(rows))])
    sheet = Sheet(name=spec.name, file=f"{spec.name}.csv", form="csv", frame=frame,
                  headers=headers, header_row=1)
    table = build_table(spec, sheet)
    reg = Register(source="t", form="csv", tables={spec.name: table}, files=[])
    out = set()
    for f in structure.check(reg):
        if f.rule in RULES and f.table == spec.name:
            out.add((f.location.row - FIRST_ROW, f.field, f.rule))
    return out


# ---------------------------------------------------------------- the reference


def _format_checker() -> jsonschema.FormatChecker:
    fc = jsonschema.FormatChecker()

    @fc.checks("iso3166-alpha2")
    def _country(v: object) -> bool:
        return not isinstance(v, str) or normalize_country(v) == v

    @fc.checks("corporate-number")
    def _corporate(v: object) -> bool:
        return not isinstance(v, str) or (v.isascii() and corporate_number_ok(v) and v == v.strip())

    return fc


_REGISTRY = Registry().with_resources(
    (uri, Resource.from_contents(doc)) for uri, doc in schema.schema_documents().items()
)
_FORMATS = _format_checker()


def _validator(spec: schema.TableSpec) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(spec.schema, registry=_REGISTRY, format_checker=_FORMATS)


_SPACE = re.compile(r"\s+")
_INT = re.compile(r"[+-]?[0-9]+")


def _fold(v: str) -> str:
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", v)).strip().casefold()


def scalar(col: schema.Column, raw: str) -> Any:
    """One cell normalised by the scalar (per-row) parsers, the way model.md states it.

    Independent of the vectorised code under test: a cell that does not parse is returned as
    written (a list cell: split into its elements), for the schema to reject.
    """
    kind = col.kind
    if kind == "id":
        return values.normalize_id(raw)
    if kind == "ids":
        return values.split_list(raw)
    if kind == "date":
        d = values.parse_date(raw)
        return d.isoformat() if d is not None else raw
    if kind == "bool":
        b = values.parse_bool(raw)
        return raw if b is None else b
    if kind == "int":
        t = unicodedata.normalize("NFKC", raw).strip().replace(",", "")
        if _INT.fullmatch(t) and -(2**63) <= int(t) < 2**63:
            return int(t)
        return raw
    if kind == "country":
        return normalize_country(raw) or raw
    if kind == "corporate_number":
        return unicodedata.normalize("NFKC", raw).strip().replace("-", "")
    if kind == "enum":
        lookup = {_fold(code): code for code in col.enum}
        for code, label in col.enum_labels_ja.items():
            lookup.setdefault(_fold(label), code)
        return lookup.get(_fold(raw), raw)
    return raw


def normalised_rows(spec: schema.TableSpec, rows: list[dict[str, str | None]]) -> list[dict[str, Any]]:
    """Each row as a JSON instance of normalised values; empty cells left out."""
    return [
        {c.name: scalar(c, r[c.name]) for c in spec.columns if r[c.name] is not None}
        for r in rows
    ]


def _rule(err: jsonschema.ValidationError) -> str:
    if err.validator == "required":
        return "SCH-002"
    if err.validator in ("enum", "const"):
        return "SCH-004"
    return "SCH-003"  # type, format, pattern, minimum, not


def _fields(err: jsonschema.ValidationError, instance: dict[str, Any]) -> list[str]:
    if err.validator == "required":
        return [k for k in err.validator_value if k not in instance]
    return [str(err.absolute_path[0])] if err.absolute_path else []


def reference(spec: schema.TableSpec, rows: list[dict[str, str | None]]) -> set[tuple[int, str, str]]:
    """(row index, field, rule) from jsonschema, row by row, on the normalised rows."""
    v = _validator(spec)
    out: set[tuple[int, str, str]] = set()
    for i, inst in enumerate(normalised_rows(spec, rows)):
        found = set()
        for err in v.iter_errors(inst):
            for f in _fields(err, inst):
                found.add((i, f, _rule(err)))
        # one problem, one finding: an invalid value does not also fail the if/then const
        found -= {(i, f, "SCH-004") for (_, f, r) in list(found) if r == "SCH-003"
                  and spec.column(f).kind != "enum"}
        out |= found
    return out


# ---------------------------------------------------------------- the properties


@pytest.mark.parametrize("name", [t.name for t in schema.tables()])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_vectorised_checks_equal_jsonschema(name: str, data: st.DataObject) -> None:
    spec = schema.table(name)
    rows = data.draw(_rows(spec))
    assert vectorised(spec, rows) == reference(spec, rows)


def test_reference_needs_a_format_checker() -> None:
    """The trap the guide names: without a FormatChecker an impossible date passes."""
    spec = schema.table("provision_log")
    row = {"event_id": "E1", "provision_id": "V1", "provided_on": "2024-02-30"}
    bare = jsonschema.Draft202012Validator(spec.schema, registry=_REGISTRY)
    assert list(bare.iter_errors(row)) == []
    assert [e.validator for e in _validator(spec).iter_errors(row)] == ["format"]


@pytest.mark.parametrize(
    ("table", "row", "expected"),
    [
        ("provision_log", {"event_id": "E1", "provision_id": "V1", "provided_on": "2024-02-30"},
         {(0, "provided_on", "SCH-003")}),
        ("provision_log", {"event_id": "-E", "provision_id": None, "provided_on": "令和6年2月29日"},
         {(0, "event_id", "SCH-003"), (0, "provision_id", "SCH-002")}),
        ("parties", {"party_id": "self", "name": "x", "kind": "国の機関", "country": "US"},
         {(0, "party_id", "SCH-003"), (0, "country", "SCH-004")}),
        ("parties", {"party_id": "P1", "name": "x", "kind": "state_organ", "country": "XX"},
         {(0, "country", "SCH-003")}),
        ("provisions", {"provision_id": "V1", "party_id": "P1", "basis": "bogus", "item_ids": "I1;-x"},
         {(0, "basis", "SCH-004"), (0, "item_ids", "SCH-003")}),
    ],
)
def test_known_cases(table: str, row: dict[str, str | None], expected: set) -> None:
    spec = schema.table(table)
    full = [{c.name: row.get(c.name) for c in spec.columns}]
    assert vectorised(spec, full) == expected
    assert reference(spec, full) == expected
