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
from register.countries import normalize_country
from register.normalize import normalize_column
from register.values import is_valid_id, normalize_id, parse_bool, parse_date, split_list


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
# Every separator japanese.md §5 accepts, in any mix within one cell, and some that are not
# separators (a space, "/", "・": the cell is then one invalid item).
_SEPARATORS = [";", "；", "、", " ; ", ",", "，", "\n", "\r\n", "\r", " ,\n", "､"]
_NOT_SEPARATORS = [" ", "/", "・"]


@st.composite
def _list_cell(draw) -> str:
    parts = draw(st.lists(_id_cell, min_size=0, max_size=4))
    out = parts[:1]
    for part in parts[1:]:
        out.append(draw(st.sampled_from(_SEPARATORS) | st.sampled_from(_NOT_SEPARATORS)))
        out.append(part)
    return "".join(out)


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
@given(_cells(_list_cell(), st.lists(_plain_id, min_size=1, max_size=3).map(";".join)))
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


# --- the other parsed kinds: a column gives what the per-cell parser gives -------------------

_bool_cell = st.sampled_from(
    ["true", "FALSE", "○", "×", "はい", "いいえ", "あり", "有り", "有", "なし", "無し", "無",
     " あり\u3000", "ｱﾘ", "✓", "済", "未定", "", "1", "0"]
)


@settings(max_examples=200, deadline=None)
@given(_cells(_bool_cell, st.sampled_from(["true", "false"])))
def test_bool_column_matches_scalar(cells):
    col = _column("provisions", "consent")
    typed, bad = normalize_column(col, pl.Series("consent", cells, dtype=pl.String))
    expected = [None if c is None else parse_bool(c) for c in cells]
    assert typed.to_list() == expected
    assert bad.to_list() == [c is not None and e is None for c, e in zip(cells, expected, strict=True)]


_country_cell = st.sampled_from(
    ["JP", "jp", "ＵＳ", "UK", "日本", "米国", "アメリカ", "イギリス", "豪州", "大韓民国", "ドイツ連邦共和国",
     " シンガポール ", "ヨーロッパ", "EU", "Japan", "XX", "", "中国領・台湾"]
)


@settings(max_examples=200, deadline=None)
@given(_cells(_country_cell, st.sampled_from(["JP", "US", "GB"])))
def test_country_column_matches_scalar(cells):
    col = _column("parties", "country")
    typed, bad = normalize_column(col, pl.Series("country", cells, dtype=pl.String))
    expected = [None if c is None else normalize_country(c) for c in cells]
    assert typed.to_list() == expected
    assert bad.to_list() == [c is not None and e is None for c, e in zip(cells, expected, strict=True)]


def _enum_spellings(col: schema.Column) -> list[str]:
    return list(col.enum) + list(col.enum_labels_ja.values()) + ["同意", "bogus", "ＣＯＮＳＥＮＴ"]


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_enum_column_takes_the_code_or_its_own_label(data):
    table, name = data.draw(st.sampled_from(
        [("provisions", "basis"), ("receipts", "basis"), ("parties", "kind"), ("datasets", "source")]
    ))
    col = _column(table, name)
    others = [label for t in schema.tables() for c in t.columns if c.kind == "enum"
              for label in c.enum_labels_ja.values() if label not in col.enum_labels_ja.values()]
    cells = data.draw(st.lists(st.one_of(st.none(), st.sampled_from(_enum_spellings(col) + others)),
                               max_size=12))
    typed, bad = normalize_column(col, pl.Series(name, cells, dtype=pl.String))
    by_label = {label: code for code, label in col.enum_labels_ja.items()}
    codes = {c.casefold(): c for c in col.enum}

    def expected(c: str | None) -> str | None:
        if c is None:
            return None
        folded = normalize_id(c).casefold()
        return codes.get(folded) or by_label.get(c)

    assert typed.to_list() == [expected(c) for c in cells]
    assert bad.to_list() == [c is not None and expected(c) is None for c in cells]


_CELLS = st.one_of(st.none(), st.sampled_from(["PR-1", "PR-2", "2024-05-01", "2024-5-1"]),
                   st.text(alphabet="AZaz09-_.=+ /", max_size=8))


@settings(max_examples=60, deadline=None)
@given(st.lists(_CELLS, min_size=1, max_size=30), st.integers(min_value=0, max_value=20_000),
       st.one_of(st.none(), _CELLS), st.integers(min_value=1, max_value=40))
def test_a_long_column_of_few_values_is_judged_as_every_cell_is(few, at, odd, run):
    """fast_path tests a long, repetitive column on the first cell of each run or on its
    distinct values (values.few_values), and parses a column of dates in runs a run at a
    time; its verdict and typed values are those of the same work over every cell, wherever
    the odd cell lies (after the first 1,000, which decide how the column is taken), whether
    the values come in runs of `run` cells or cycle."""
    from register import values
    from register.normalize import fast_path

    cycled = (few * (12_000 // len(few) + 1))[:12_000]
    in_runs = [v for v in cycled[: 12_000 // run + 1] for _ in range(run)][:12_000]
    for cells in (cycled, in_runs):
        cells = list(cells)
        cells.insert(min(at, len(cells)), odd)
        s = pl.Series("c", cells, dtype=pl.Utf8)
        for name in ("event_id", "provided_on", "principal_ids"):
            col = schema.table("provision_log").column(name)
            got = fast_path(col, s)
            originals = values.few_values, values._in_runs
            values.few_values = lambda x: x  # the test over every cell
            values._in_runs = lambda x: None  # every cell parsed
            try:
                want = fast_path(col, s)
            finally:
                values.few_values, values._in_runs = originals
            assert (got is None) == (want is None), name
            if got is not None:
                assert got[0].equals(want[0], null_equal=True) and got[1].equals(want[1]), name
