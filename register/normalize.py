"""From text cells to typed columns, whole columns at a time.

Each column is parsed by its schema kind. The result is the typed column (null where the cell is
empty or does not parse) and a mask of cells that were given but are invalid: the structure
checks turn exactly those cells into findings, and `convert` writes them verbatim.
"""

from __future__ import annotations

import re
import unicodedata

import polars as pl

from . import values
from .countries import corporate_numbers_ok_series, normalize_country
from .schema import ID_PATTERN, Column

_ASCII_PLAIN = r"^[\x21-\x7e]*$"


def _nfkc_series(s: pl.Series) -> pl.Series:
    """NFKC + trim; only non-ASCII unique values go through Python."""
    s = s.str.strip_chars()
    plain = s.str.contains(_ASCII_PLAIN).fill_null(True)
    if bool(plain.all()):
        return s
    odd = s.filter(~plain).unique()
    mapping = {v: unicodedata.normalize("NFKC", v).strip() for v in odd.to_list()}
    return s.replace(mapping)


# A list cell already in canonical form: IDs joined by ";" with nothing to strip or drop.
_ID = ID_PATTERN.removeprefix("^").removesuffix("$")
_CANONICAL_IDS = rf"^{_ID}(?:;{_ID})*$"


def _none_bad(s: pl.Series) -> pl.Series:
    return pl.zeros(s.len(), pl.Boolean, eager=True).alias(s.name)


def fast_path(col: Column, s: pl.Series) -> tuple[pl.Series, pl.Series] | None:
    """(typed values, invalid-cell mask) when the whole column is already canonical (plain
    IDs, `;`-joined ID lists, ISO dates, or nothing at all), from one whole-column test; else
    None. A canonical column holds no blank (whitespace-only) cell either.
    """
    kind = col.kind
    if s.null_count() == s.len():
        return empty_typed(col, s.len()).alias(s.name), _none_bad(s)
    if kind not in ("id", "ids", "date") or s.dtype != pl.String or col.enum:
        return None
    if kind == "date":
        typed = values.iso_dates_series(s)
        return None if typed is None else (typed, _none_bad(s))
    if not bool(values.few_values(s).str.contains(ID_PATTERN).fill_null(True).all()):
        if kind == "ids" and bool(s.str.contains(_CANONICAL_IDS).fill_null(True).all()):
            return s.str.split(";"), _none_bad(s)
        return None
    if kind == "ids":
        # one ID a cell (a log of one row per principal): a one-element list each
        one = pl.select(pl.when(pl.lit(s).is_not_null()).then(pl.concat_list(pl.lit(s))))
        return one.to_series().alias(s.name), _none_bad(s)
    # Values matching the pattern are printable ASCII with nothing to strip: normalised.
    bad = (s == "self").fill_null(False) if col.not_self else _none_bad(s)
    return s, bad


def normalize_column(col: Column, s: pl.Series) -> tuple[pl.Series, pl.Series]:
    """(typed values, invalid-cell mask) for one column of text cells.

    A long log's columns are mostly already canonical (plain IDs, ISO dates): `fast_path`
    tests that with one whole-column pass, and the general work is done only when it fails.
    """
    kind = col.kind
    if kind == "text":
        return s, _none_bad(s)
    fast = fast_path(col, s)
    if fast is not None:
        return fast
    given = s.is_not_null()
    if kind in ("id", "ids") and s.dtype != pl.String:
        s = s.cast(pl.String)
    if kind == "id":
        typed = values.normalize_ids_series(s)
        ok = typed.str.contains(ID_PATTERN).fill_null(True)
        if col.not_self:
            ok = ok & (typed != "self").fill_null(True)
        bad = given & ~ok
        return typed, bad.fill_null(False)
    if kind == "ids" and col.enum:
        return _code_list(col, s)
    if kind == "ids":
        typed = values.split_list_series(s)
        ok_elem = typed.list.eval(pl.element().str.contains(ID_PATTERN))
        bad = (~ok_elem.list.all()).fill_null(False)
        typed = typed.list.eval(pl.element().filter(pl.element().str.contains(ID_PATTERN)))
        return _array_cells(s, typed), bad
    if kind == "date":
        typed = values.parse_dates_series(s)
    elif kind == "bool":
        typed = values.parse_bools_series(s)
    elif kind == "int":
        t = _nfkc_series(s).str.replace_all(",", "")
        typed = t.cast(pl.Int64, strict=False)
        if col.minimum is not None:
            typed = pl.select(
                pl.when(typed >= col.minimum).then(typed).otherwise(None)
            ).to_series().alias(s.name)
    elif kind == "country":
        typed = values.map_unique(s, given, normalize_country, pl.Utf8)
    elif kind == "corporate_number":
        t = _nfkc_series(s).str.replace_all("-", "")
        typed = t.zip_with(corporate_numbers_ok_series(t).fill_null(False), t.clear(t.len()))
    elif kind == "enum":
        typed = values.map_unique(s, given, _enum_parser(col), pl.Utf8)
    else:
        raise ValueError(f"unknown column kind {kind}")
    bad = given & typed.is_null()
    return typed.alias(s.name), bad.fill_null(False)


def _code_list(col: Column, s: pl.Series) -> tuple[pl.Series, pl.Series]:
    """A code-list cell (`incidents.event_types`): separated like an ID list, each element a
    code or its Japanese label; a cell with an element outside the codes is invalid."""
    parts = values.split_list_series(s)
    parse = _enum_parser(col)
    mapping = {v: parse(v) for v in parts.explode().drop_nulls().unique().to_list()}
    if not mapping:
        return parts, _none_bad(s)
    coded = parts.list.eval(
        pl.element().replace_strict(mapping, default=None, return_dtype=pl.Utf8)
    )
    bad = coded.list.eval(pl.element().is_null()).list.any().fill_null(False)
    typed = coded.list.eval(pl.element().drop_nulls().unique(maintain_order=True))
    return typed.alias(s.name), bad.alias(s.name)


def _array_cells(s: pl.Series, typed: pl.Series) -> pl.Series:
    """ID lists written as a JSON array (values.array_entries: an entry held a separator):
    each entry is one ID, the valid ones kept. Such a cell is invalid already (`[` is no ID
    character), so it is reported; it never becomes IDs cut out of an entry."""
    arrays = s.str.starts_with("[").fill_null(False)
    if not bool(arrays.any()):
        return typed
    mapping: dict[str, list[str]] = {}
    for text in s.filter(arrays).unique().to_list():
        entries = values.array_entries(text)
        if entries is not None:
            ids = (values.normalize_id(e) for e in entries if e is not None)
            mapping[text] = [e for e in ids if values.is_valid_id(e)]
    if not mapping:
        return typed
    keep = ~s.is_in(list(mapping)).fill_null(False)
    entries = s.replace_strict(mapping, default=None, return_dtype=typed.dtype)
    return typed.zip_with(keep, entries).alias(typed.name)


def _enum_parser(col: Column):
    """Accept the code as written, case-insensitively, or its Japanese label."""
    lookup: dict[str, str] = {}
    for code in col.enum:
        lookup[_fold(code)] = code
    for code, label in col.enum_labels_ja.items():
        lookup.setdefault(_fold(label), code)

    def parse(v: str) -> str | None:
        return lookup.get(_fold(v))

    return parse


_SPACE = re.compile(r"\s+")


def _fold(v: str) -> str:
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", v)).strip().casefold()


def empty_typed(col: Column, n: int = 0) -> pl.Series:
    """A column of nulls of the right type, for a column the input lacks."""
    if n == 0:  # every column of every absent table: the plain constructor, no query
        return pl.Series(col.name, [], dtype=dtype_of(col))
    return pl.repeat(None, n, dtype=dtype_of(col), eager=True).alias(col.name)


def dtype_of(col: Column) -> pl.DataType:
    return {
        "ids": pl.List(pl.Utf8),
        "date": pl.Date,
        "bool": pl.Boolean,
        "int": pl.Int64,
    }.get(col.kind, pl.Utf8)
