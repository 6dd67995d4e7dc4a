"""The tables and columns of a register, read from the JSON Schemas in `register/schemas/`.

The schemas are package data, read through importlib.resources so that an installed wheel reads
the very files an editable checkout does; the top-level `schemas/` is a pointer to them.

The schemas are the single source of truth: this module only interprets them (column kinds,
Japanese labels, enums, references, defaults) for the loaders, the checks, the template and the
docs. Nothing here restates a column list.
"""

from __future__ import annotations

import functools
import json
import unicodedata
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

SCHEMA_DIR = resources.files(__package__) / "schemas"
COMMON = "common.schema.json"
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"


def fold(text: str) -> str:
    """How names are matched: NFKC, trimmed, case-folded (docs/data-model.md)."""
    return unicodedata.normalize("NFKC", str(text)).strip().casefold()


@dataclass(frozen=True)
class Column:
    """One column as the schema declares it."""

    name: str
    label_ja: str
    description: dict[str, str]
    kind: str  # id | ids | date | bool | int | country | corporate_number | enum | text
    required: bool
    enum: tuple[str, ...] = ()
    enum_labels_ja: dict[str, str] = field(default_factory=dict)
    enum_descriptions: dict[str, str] = field(default_factory=dict)
    references: str | None = None
    allow_self: bool = False
    not_self: bool = False
    default: Any = None
    default_from: str | None = None
    example: str | None = None
    minimum: int | None = None
    rule: str | None = None
    pattern: str | None = None
    # `x-required-when`: not schema-required, but a rule needs it in some cases — the case in
    # words (en, ja) and the rules that report it (docs/japanese.md §6: the template's third style)
    required_when: dict[str, Any] | None = field(default=None, compare=False, hash=False)
    schema: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def is_list(self) -> bool:
        return self.kind == "ids"

    @property
    def requirement(self) -> str:
        """required | conditional | optional, as the template styles the header."""
        if self.required:
            return "required"
        return "conditional" if self.required_when else "optional"

    def label(self, lang: str) -> str:
        return self.label_ja if lang == "ja" else self.name


@dataclass(frozen=True)
class TableSpec:
    """One table (sheet / CSV file / JSON array) as the schema declares it."""

    name: str
    label_ja: str
    description: dict[str, str]
    order: int
    key: str | None
    required_table: bool
    single_row: bool
    columns: tuple[Column, ...]
    conditions: tuple[dict[str, Any], ...]
    schema: dict[str, Any] = field(compare=False, hash=False)

    def column(self, name: str) -> Column:
        return self.by_name[name]

    @functools.cached_property
    def by_name(self) -> dict[str, Column]:
        return {c.name: c for c in self.columns}

    @functools.cached_property
    def header_index(self) -> dict[str, str]:
        """Folded header (canonical name or Japanese label) → canonical column name."""
        out: dict[str, str] = {}
        for c in self.columns:
            out[fold(c.name)] = c.name
            out[fold(c.label_ja)] = c.name
        return out

    def label(self, lang: str) -> str:
        return self.label_ja if lang == "ja" else self.name

    @property
    def required_columns(self) -> list[str]:
        return [c.name for c in self.columns if c.required]


def _schema_files() -> list[Any]:
    """The table schemas (`*.schema.json`) of the package, by name."""
    files = [p for p in SCHEMA_DIR.iterdir() if p.name.endswith(".schema.json")]
    return sorted(files, key=lambda p: p.name)


def _load_json(name: str) -> dict[str, Any]:
    return json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))


def _resolve(prop: dict[str, Any], common: dict[str, Any]) -> dict[str, Any]:
    """Merge a `$ref` into common.schema.json's $defs with the property's own keywords."""
    ref = prop.get("$ref")
    if not ref:
        return prop
    target_file, _, pointer = ref.partition("#")
    defs = common if target_file.endswith(COMMON) or not target_file else None
    if defs is None:
        raise ValueError(f"unsupported $ref {ref}")
    node: Any = defs
    for part in pointer.strip("/").split("/"):
        node = node[part]
    node = _resolve(node, common)
    merged = {**node, **{k: v for k, v in prop.items() if k != "$ref"}}
    if "items" in merged:
        merged["items"] = _resolve(merged["items"], common)
    return merged


def _kind(p: dict[str, Any]) -> str:
    t = p.get("type")
    fmt = p.get("format")
    if t == "array":
        return "ids"
    if t == "boolean":
        return "bool"
    if t == "integer":
        return "int"
    if fmt == "date":
        return "date"
    if fmt == "iso3166-alpha2":
        return "country"
    if fmt == "corporate-number":
        return "corporate_number"
    if "enum" in p:
        return "enum"
    if p.get("pattern") == ID_PATTERN:
        return "id"
    return "text"


def _column(name: str, raw: dict[str, Any], required: bool, common: dict[str, Any]) -> Column:
    p = _resolve(raw, common)
    return Column(
        name=name,
        label_ja=p.get("x-label-ja", name),
        description={"en": p.get("description", ""), "ja": p.get("x-description-ja", "")},
        kind=_kind(p),
        required=required,
        # a code-list column (an array of codes, e.g. incidents.event_types) keeps its codes
        # in `items`
        enum=tuple(p.get("enum") or (p.get("items") or {}).get("enum", ())),
        enum_labels_ja=dict(p.get("x-enum-labels-ja", {})),
        enum_descriptions=dict(p.get("x-enum-descriptions", {})),
        references=p.get("x-references"),
        allow_self=bool(p.get("x-allow-self", False)),
        not_self=p.get("not", {}).get("const") == "self",
        default=p.get("default"),
        default_from=p.get("x-default-from"),
        example=p.get("x-example"),
        minimum=p.get("minimum"),
        rule=p.get("x-rule"),
        pattern=p.get("pattern") or (p.get("items") or {}).get("pattern"),
        required_when=p.get("x-required-when"),
        schema=p,
    )


@functools.cache
def tables() -> tuple[TableSpec, ...]:
    """Every table of the register, in sheet order."""
    common = _load_json(COMMON)
    specs = []
    for path in _schema_files():
        if path.name in (COMMON, "register.schema.json"):
            continue
        s = json.loads(path.read_text(encoding="utf-8"))
        required = set(s.get("required", []))
        cols = tuple(
            _column(n, p, n in required, common) for n, p in s.get("properties", {}).items()
        )
        specs.append(
            TableSpec(
                name=s["title"],
                label_ja=s.get("x-label-ja", s["title"]),
                description={"en": s.get("description", ""), "ja": s.get("x-description-ja", "")},
                order=int(s.get("x-order", 99)),
                key=s.get("x-key"),
                required_table=bool(s.get("x-required-table", False)),
                single_row=bool(s.get("x-single-row", False)),
                columns=cols,
                conditions=tuple(s.get("allOf", ())),
                schema=s,
            )
        )
    specs.sort(key=lambda t: (t.order, t.name))
    return tuple(specs)


@functools.cache
def table_map() -> dict[str, TableSpec]:
    return {t.name: t for t in tables()}


def table(name: str) -> TableSpec:
    return table_map()[name]


@functools.cache
def table_index() -> dict[str, str]:
    """Folded sheet/file name (canonical or Japanese) → canonical table name."""
    out: dict[str, str] = {}
    for t in tables():
        out[fold(t.name)] = t.name
        out[fold(t.label_ja)] = t.name
    return out


def match_table(name: str) -> str | None:
    return table_index().get(fold(name))


def public_body_kinds() -> frozenset[str]:
    """The party kinds that are Japanese public bodies of APPI Art 16(2).

    Declared once, in the parties schema's if/then condition (such a body must be in JP).
    """
    for cond in table("parties").conditions:
        kind = cond.get("if", {}).get("properties", {}).get("kind", {})
        if "enum" in kind:
            return frozenset(kind["enum"])
    raise ValueError("schemas/parties.schema.json declares no Art 16(2) condition")


@functools.cache
def schema_documents() -> dict[str, dict[str, Any]]:
    """Every schema file by its `$id`, for jsonschema's referencing registry."""
    docs = {}
    for path in _schema_files():
        s = json.loads(path.read_text(encoding="utf-8"))
        docs[s.get("$id", path.name)] = s
    return docs
