"""normalize_column's whole-column fast paths give what the per-cell functions give.

A long log's ID and list columns are usually canonical already, and normalize_column skips the
general work for them; these properties hold for any mix of canonical and messy cells.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from register import schema
from register.normalize import normalize_column
from register.values import is_valid_id, normalize_id, parse_date, split_list


def _column(table: str, name: str) -> schema.Column:
    return next(c for t in schema.tables() if t.name == table for c in t.columns if c.name == name)


def _normalised(name: str, cells: list) -> tuple[list, list]:
    """(typed values, invalid mask) of a provision_log column holding `cells`."""
    typed, bad = normalize_column(_column("provision_log", name), pl.Series(name, cells, dtype=pl.String))
    return typed.to_list(), bad.to_list()


_plain_id = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,8}", fullmatch=True)
_messy_id = st.one_of(
    _plain_id.map(lambda v: f" {v}\u3000"),  # spaces to trim
    _plain_id.map(lambda v: v.translate(str.maketrans("0123456789", "０１２３４５６７８９"))),
    st.sampled_from(["-A", "=SUM(A1)", "a b", "self", "x" * 70, "", " "]),
)
_id_cell = st.one_of(_plain_id, _plain_id, _messy_id)
_list_cell = st.lists(_id_cell, min_size=0, max_size=4).flatmap(
    lambda parts: st.sampled_from([";", "；", "、", " ; "]).map(lambda sep: sep.join(parts))
)


def _cells(cell: st.SearchStrategy[str], canonical: st.SearchStrategy[str]):
    # Mostly-canonical columns exercise the fast paths; any messy cell must take the slow one.
    return st.one_of(
        st.lists(st.one_of(canonical, st.none()), max_size=20),
        st.lists(st.one_of(cell, st.none()), max_size=20),
    )


@settings(max_examples=300, deadline=None)
@given(_cells(_id_cell, _plain_id))
def test_id_column_matches_scalar(cells):
    typed, bad = _normalised("provision_id", cells)
    expected = [None if c is None else normalize_id(c) for c in cells]
    assert typed == expected
    assert bad == [t is not None and not is_valid_id(t) for t in expected]


@settings(max_examples=300, deadline=None)
@given(_cells(_list_cell, st.lists(_plain_id, min_size=1, max_size=3).map(";".join)))
def test_list_column_matches_scalar(cells):
    typed, bad = _normalised("principal_ids", cells)
    parts = [None if c is None else split_list(c) for c in cells]
    assert typed == [None if p is None else [e for e in p if is_valid_id(e)] for p in parts]
    assert bad == [p is not None and not all(is_valid_id(e) for e in p) for p in parts]


def test_all_empty_column_is_typed_and_valid():
    col = _column("provision_log", "provided_on")
    typed, bad = normalize_column(col, pl.Series("provided_on", [None, None], dtype=pl.String))
    assert typed.dtype == pl.Date and typed.to_list() == [None, None]
    assert bad.to_list() == [False, False]


_iso = st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(9999, 12, 31)).map(
    lambda d: d.isoformat()
)
_date_cell = st.one_of(
    _iso,
    st.sampled_from(["2024-2-30", "2024-02-29", "2023-02-29", "0999-01-01", " 2024-01-01",
                     "2024/4/1", "令和5年4月1日", "R5.4.1", "", " ", "2024-13-01", "45000"]),
)


@settings(max_examples=300, deadline=None)
@given(_cells(_date_cell, _iso))
def test_date_column_matches_scalar(cells):
    typed, bad = _normalised("provided_on", cells)
    expected = [None if c is None else parse_date(c) for c in cells]
    assert typed == expected
    assert bad == [c is not None and e is None for c, e in zip(cells, expected, strict=True)]
