"""The output tables of `register records` and `disclose`, read from schemas/output/records.schema.json.

That schema is the single source of the five tables of docs/routes-and-records.md §4: their column
order, kinds, Japanese sheet names, headers, labels of code values and print titles. Nothing here
restates a column list or a label. `display_frame` turns a records frame into what a person reads
under `--lang ja` (docs/japanese.md §1–2): labels for codes, ○/×, Japanese phrases, country
names.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from .schema import SCHEMA_DIR

OUTPUT_SCHEMA = SCHEMA_DIR / "output" / "records.schema.json"


@dataclass(frozen=True)
class OutColumn:
    """One column of an output table."""

    name: str
    label_ja: str
    kind: str  # text | list | date | int | bool | record_id
    description: dict[str, str]
    # code → Japanese label (x-enum-labels-ja), for a column holding code values
    labels_ja: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    # English phrase → Japanese phrase, for a column stating fixed phrases (x-phrases-ja)
    phrases_ja: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    # a list of the same table's column names (x-list-of: columns): shown as their headers
    lists_columns: bool = False

    def label(self, lang: str) -> str:
        return self.label_ja if lang == "ja" else self.name

    @property
    def dtype(self) -> pl.DataType:
        return _DTYPES[self.kind]


_DTYPES: dict[str, pl.DataType] = {
    "text": pl.Utf8(),
    "record_id": pl.Utf8(),
    "list": pl.List(pl.Utf8()),
    "date": pl.Date(),
    "int": pl.Int64(),
    "bool": pl.Boolean(),
}


@dataclass(frozen=True)
class OutTable:
    """One output table (a JSON array, a CSV file, a sheet)."""

    name: str
    label_ja: str
    columns: tuple[OutColumn, ...]
    # the record kind a printed page names in its header (docs/japanese.md §7)
    title: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    def label(self, lang: str) -> str:
        return self.label_ja if lang == "ja" else self.name

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def schema(self) -> dict[str, pl.DataType]:
        return {c.name: c.dtype for c in self.columns}

    def column(self, name: str) -> OutColumn:
        return next(c for c in self.columns if c.name == name)

    def empty(self) -> pl.DataFrame:
        """A frame with no rows and this table's columns and types."""
        return pl.DataFrame(schema=self.schema)

    def conform(self, df: pl.DataFrame) -> pl.DataFrame:
        """`df` reduced to this table's columns, in order, with their types."""
        return df.select([pl.col(c.name).cast(c.dtype) for c in self.columns])


def _resolve(prop: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    ref = prop.get("$ref")
    if not ref:
        return prop
    target = defs[ref.rsplit("/", 1)[-1]]
    return {**target, **{k: v for k, v in prop.items() if k != "$ref"}}


def _kind(p: dict[str, Any]) -> str:
    if "x-kind" in p:
        return p["x-kind"]
    types = p.get("type")
    types = set(types) if isinstance(types, list) else {types}
    if "array" in types:
        return "list"
    if p.get("format") == "date":
        return "date"
    if "integer" in types:
        return "int"
    if "boolean" in types:
        return "bool"
    return "text"


def _columns(props: dict[str, Any], defs: dict[str, Any]) -> tuple[OutColumn, ...]:
    out = []
    for name, raw in props.items():
        p = _resolve(raw, defs)
        out.append(
            OutColumn(
                name=name,
                label_ja=p.get("x-label-ja", name),
                kind=_kind(p),
                description={"en": p.get("description", ""), "ja": p.get("x-description-ja", "")},
                labels_ja=dict(p.get("x-enum-labels-ja", {})),
                phrases_ja=dict(p.get("x-phrases-ja", {})),
                lists_columns=p.get("x-list-of") == "columns",
            )
        )
    return tuple(out)


@functools.cache
def _document() -> dict[str, Any]:
    return json.loads(OUTPUT_SCHEMA.read_text(encoding="utf-8"))


@functools.cache
def output_tables() -> tuple[OutTable, ...]:
    """The five tables of docs/routes-and-records.md §4, in output order."""
    doc = _document()
    defs = doc.get("$defs", {})
    return tuple(
        OutTable(
            name=name,
            label_ja=t.get("x-label-ja", name),
            columns=_columns(t["items"]["properties"], defs),
            title={"en": t.get("x-title", name), "ja": t.get("x-title-ja", name)},
        )
        for name, t in doc["properties"].items()
    )


def output_table(name: str) -> OutTable:
    """One output table by its canonical name."""
    return next(t for t in output_tables() if t.name == name)


@functools.cache
def disclosure_columns() -> tuple[OutColumn, ...]:
    """Columns only `disclose` adds (record_kind)."""
    doc = _document()
    return _columns(doc["x-disclosure"]["properties"], doc.get("$defs", {}))


# --------------------------------------------------------------------------------------------
# What a person reads under --lang ja (docs/japanese.md §1–2, §7)
# --------------------------------------------------------------------------------------------

BOOL_JA = ("×", "○")
# `incomplete` and other lists of labels are joined so under ja (docs/japanese.md §7)
LIST_SEPARATOR_JA = "、"
COUNTRY_COLUMNS = frozenset({"recipient_country"})


def _phrases(e: pl.Expr, phrases: dict[str, str]) -> pl.Expr:
    """A text made of the fixed phrases `phrases` declares, each replaced by its Japanese: a
    phrase starting with `; ` is a suffix, any other starts the text; `{date}` is an ISO date.
    Longest first, so a suffix is translated before a shorter phrase could match inside it."""
    import re

    for en, ja in sorted(phrases.items(), key=lambda kv: (-len(kv[0]), kv[0])):
        pattern = re.escape(en).replace(re.escape("{date}"), r"(\d{4}-\d{2}-\d{2})")
        pattern = pattern + "$" if en.startswith("; ") else "^" + pattern
        e = e.str.replace(pattern, ja.replace("{date}", "${1}"))
    return e


def display_frame(df: pl.DataFrame, columns: Sequence[OutColumn], lang: str) -> pl.DataFrame:
    """`df` as a person reads it in `lang`: under `ja`, code values as their labels, booleans
    ○/×, the consent phrases in Japanese, countries by their Japanese names, and lists of
    columns (`incomplete`) as their Japanese headers joined with 、. Under `en`, `df` itself.

    A value with no label (an invalid basis, as written) is shown as it is. JSON never goes
    through here: it keeps the canonical codes in every language.
    """
    if lang != "ja":
        return df
    from .countries import country_name

    headers = {c.name: c.label_ja for c in columns}
    exprs = []
    for c in columns:
        if c.name not in df.columns:
            continue
        e = pl.col(c.name)
        dtype = df.schema[c.name]
        if c.labels_ja and dtype == pl.Utf8():
            e = e.replace(c.labels_ja)
        elif c.phrases_ja and dtype == pl.Utf8():
            e = _phrases(e, c.phrases_ja)
        elif dtype == pl.Boolean():
            e = pl.when(e).then(pl.lit(BOOL_JA[1])).when(~e).then(pl.lit(BOOL_JA[0]))
        elif c.lists_columns and isinstance(dtype, pl.List):
            e = pl.when(e.list.len() > 0).then(
                e.list.eval(pl.element().replace(headers)).list.join(LIST_SEPARATOR_JA)
            )
        elif c.name in COUNTRY_COLUMNS and dtype == pl.Utf8():
            codes = df[c.name].drop_nulls().unique().to_list()
            e = e.replace({code: country_name(code, "ja") for code in codes})
        else:
            exprs.append(e)
            continue
        exprs.append(e.alias(c.name))
    return df.with_columns(exprs)
