"""The output tables of `register records` and `disclose`, read from schemas/output/records.schema.json.

That schema is the single source of the five tables of rules.md §5: their column order, kinds,
Japanese sheet names and headers. Nothing here restates a column list.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
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
            )
        )
    return tuple(out)


@functools.cache
def _document() -> dict[str, Any]:
    return json.loads(OUTPUT_SCHEMA.read_text(encoding="utf-8"))


@functools.cache
def output_tables() -> tuple[OutTable, ...]:
    """The five tables of rules.md §5, in output order."""
    doc = _document()
    defs = doc.get("$defs", {})
    return tuple(
        OutTable(
            name=name,
            label_ja=t.get("x-label-ja", name),
            columns=_columns(t["items"]["properties"], defs),
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
