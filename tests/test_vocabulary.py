"""Tests over the vocabulary itself (fideslang's habit; style.md habit 12, japanese.md §2, §4).

Labels live in the schemas and words in the rule declarations; these tests prove that the two
agree: every label is unique where officers type it, every code has its words, every reference
resolves, every header a rule quotes is one the officer can find on the sheet, Japanese texts
show labels rather than code values, and check code supplies values, never prose.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from register import cli, schema
from register.checks import load_all
from register.findings import RULES

load_all()

TABLES = schema.tables()
ENUM_COLUMNS = [(t, c) for t in TABLES for c in t.columns if c.enum]
REFERENCE_COLUMNS = [(t, c) for t in TABLES for c in t.columns if c.references]
TEXTS = ("title", "description", "message", "hint")

PLACEHOLDER = re.compile(r"\{\w+\}")
# Inside 『…』 a Japanese text shows a value: an enum label, ○/× for a boolean, or one of these
# words the officer types as they are (japanese.md §4).
RESERVED = frozenset({"○", "×", "self", ";"})


def _ids(items):
    return [f"{t.name}.{c.name}" for t, c in items]


def _rule_texts(lang: str):
    """(rule id, which text, text) for every text of every declared rule, cases included."""
    for rid, r in sorted(RULES.items()):
        for what in TEXTS:
            yield rid, what, getattr(r, what)[lang]
        for case, templates in sorted(r.cases.items()):
            yield rid, f"case {case}", templates[lang]


def _table_labels() -> set[str]:
    return {t.label_ja for t in TABLES}


def _column_labels() -> set[str]:
    return {c.label_ja for t in TABLES for c in t.columns}


def _enum_labels() -> set[str]:
    return {label for _t, c in ENUM_COLUMNS for label in c.enum_labels_ja.values()}


def _codes() -> set[str]:
    return {code for _t, c in ENUM_COLUMNS for code in c.enum}


def _column_names() -> set[str]:
    return {c.name for t in TABLES for c in t.columns}


# --- labels --------------------------------------------------------------------------------


def test_table_labels_are_unique_and_name_no_other_table():
    seen: dict[str, str] = {}
    names = {schema.fold(t.name): t.name for t in TABLES}
    for t in TABLES:
        label = schema.fold(t.label_ja)
        assert label not in seen, f"{t.name} and {seen[label]} share the label {t.label_ja}"
        seen[label] = t.name
        other = names.get(label)
        assert other in (None, t.name), f"the label of {t.name} is the name of table {other}"


@pytest.mark.parametrize("t", TABLES, ids=lambda t: t.name)
def test_column_labels_are_unique_within_their_table(t):
    seen: dict[str, str] = {}
    for c in t.columns:
        label = schema.fold(c.label_ja)
        assert label not in seen, f"{t.name}: {c.name} and {seen[label]} share {c.label_ja}"
        seen[label] = c.name


@pytest.mark.parametrize("t", TABLES, ids=lambda t: t.name)
def test_no_column_label_is_another_columns_name(t):
    names = {schema.fold(c.name): c.name for c in t.columns}
    for c in t.columns:
        other = names.get(schema.fold(c.label_ja))
        assert other in (None, c.name), f"{t.name}: the label of {c.name} is the column {other}"


# --- codes ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("t", "c"), ENUM_COLUMNS, ids=_ids(ENUM_COLUMNS))
def test_every_code_has_a_label_and_a_description_in_both_languages(t, c):
    descriptions_ja = c.schema.get("x-enum-descriptions-ja", {})
    words = {
        "x-enum-labels-ja": c.enum_labels_ja,
        "x-enum-descriptions": c.enum_descriptions,
        "x-enum-descriptions-ja": descriptions_ja,
    }
    for key, given in words.items():
        missing = [code for code in c.enum if not str(given.get(code) or "").strip()]
        assert not missing, f"{t.name}.{c.name}: {key} lacks {missing}"
        stale = sorted(set(given) - set(c.enum))
        assert not stale, f"{t.name}.{c.name}: {key} names codes that are not allowed: {stale}"


@pytest.mark.parametrize(("t", "c"), ENUM_COLUMNS, ids=_ids(ENUM_COLUMNS))
def test_code_labels_are_unique_and_fit_a_dropdown(t, c):
    labels = [schema.fold(c.enum_labels_ja[code]) for code in c.enum]
    assert len(set(labels)) == len(labels), f"{t.name}.{c.name}: two codes share a label"
    # the dropdown's list separator (japanese.md §2)
    assert not [label for label in labels if "," in label]


# --- references ----------------------------------------------------------------------------


@pytest.mark.parametrize(("t", "c"), REFERENCE_COLUMNS, ids=_ids(REFERENCE_COLUMNS))
def test_every_reference_names_a_table_and_its_key_column(t, c):
    tables = schema.table_map()
    assert c.references in tables, f"{t.name}.{c.name} refers to unknown table {c.references}"
    target = tables[c.references]
    assert target.key is not None, f"{t.name}.{c.name} refers to {target.name}, which has no key"
    assert target.key in target.by_name, f"{target.name}'s key {target.key} is not a column"
    assert c.kind in ("id", "ids"), f"{t.name}.{c.name} refers to a table but holds {c.kind}"


# --- what the rules say --------------------------------------------------------------------


def _japanese_quotes():
    for rid, what, text in _rule_texts("ja"):
        for quoted in re.findall(r"「([^」]*)」", text):
            yield rid, what, quoted


def test_every_quoted_header_exists():
    """「…」 names a sheet or a header of the Japanese template, exactly as written there."""
    known = _table_labels() | _column_labels() | _enum_labels()
    bad = [
        f"{rid} {what}: 「{quoted}」"
        for rid, what, quoted in _japanese_quotes()
        if quoted not in known and not PLACEHOLDER.fullmatch(quoted)
    ]
    assert not bad, "quoted names that are not on the template:\n" + "\n".join(bad)


def test_every_quoted_value_is_a_label_or_a_word_the_officer_types():
    """『…』 shows a value: an enum label, ○ or ×, or a reserved word or separator."""
    known = _enum_labels() | RESERVED
    bad = [
        f"{rid} {what}: 『{quoted}』"
        for rid, what, text in _rule_texts("ja")
        for quoted in re.findall(r"『([^』]*)』", text)
        if quoted not in known and not PLACEHOLDER.fullmatch(quoted)
    ]
    assert not bad, "quoted values that are no label:\n" + "\n".join(bad)


def test_japanese_texts_show_labels_not_code_values_or_column_names():
    forbidden = _codes() | _column_names() | {"true", "false", "True", "False", "None"}
    bad = []
    for rid, what, text in _rule_texts("ja"):
        if "`" in text:
            bad.append(f"{rid} {what}: a backtick")
        # placeholders are filled per language; 『…』 may hold what the officer types (self)
        plain = re.sub(r"『[^』]*』", "", PLACEHOLDER.sub("", text))
        words = sorted(set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", plain)) & forbidden)
        if words:
            bad.append(f"{rid} {what}: {', '.join(words)}")
    assert not bad, "Japanese rule texts with code values:\n" + "\n".join(bad)


def _output_columns() -> set[str]:
    """The columns of the outputs (records.json and the like), as their schemas declare them."""
    names: set[str] = set()

    def walk(node):
        if isinstance(node, dict):
            names.update(node.get("properties", {}))
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    for path in (schema.SCHEMA_DIR / "output").iterdir():
        if path.name.endswith(".json"):
            walk(json.loads(path.read_text(encoding="utf-8")))
    return names


def test_english_backticks_name_real_columns_tables_or_codes():
    """A name in backticks in an English text is one a user can find in the data model, the
    outputs, or the commands."""
    columns = _column_names() | {f"{t.name}.{c.name}" for t in TABLES for c in t.columns}
    commands = {f"register {name}" for name in cli.main.commands}
    known = columns | _output_columns() | {t.name for t in TABLES} | _codes() | {"self"} | commands
    bad = []
    for rid, what, text in _rule_texts("en"):
        for name in re.findall(r"`([^`]+)`", text):
            if name in known:
                continue
            if "*" in name:  # a family of columns, e.g. `*_id`
                pattern = re.compile(re.escape(name).replace(r"\*", ".*"))
                if any(pattern.fullmatch(c) for c in columns):
                    continue
            bad.append(f"{rid} {what}: `{name}`")
    assert not bad, "English rule texts naming unknown columns:\n" + "\n".join(bad)


def test_a_problem_slot_is_filled_from_declared_cases():
    """A message with a {problem} slot declares its cases, in both languages."""
    for rid, r in RULES.items():
        en, ja = r.message["en"], r.message["ja"]
        if "{problem}" not in en:
            continue
        assert r.cases, f"{rid} has a {{problem}} slot but declares no cases"
        assert "{problem}" in ja or "{problem_ja}" in ja, f"{rid}: the Japanese message has no slot"


CHECKS = Path(__file__).resolve().parent.parent / "register" / "checks"


@pytest.mark.parametrize("path", sorted(CHECKS.glob("*.py")), ids=lambda p: p.name)
def test_check_code_passes_no_prose_for_the_problem_slot(path):
    """Check code names a case and passes values; the words stay in the declaration."""
    source = path.read_text(encoding="utf-8")
    assert not re.search(r"\bproblem(_ja)?\s*=", source), f"{path.name} writes a problem's prose"
