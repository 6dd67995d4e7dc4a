"""Tests for register.values: scalar cell parsing and its vectorised twins."""

from __future__ import annotations

import datetime as dt
import unicodedata

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from register import values
from register.values import (
    ID_PATTERN,
    add_months,
    add_years,
    format_era,
    is_valid_id,
    nfkc,
    normalize_id,
    normalize_ids_series,
    parse_bool,
    parse_bools_series,
    parse_date,
    parse_dates_series,
    split_list,
    split_list_series,
)

D = dt.date

# ------------------------------------------------------------------------------------------
# IDs and lists
# ------------------------------------------------------------------------------------------


def test_nfkc_and_normalize_id() -> None:
    assert nfkc("  ｄａｔａ　") == "data"
    assert normalize_id("Ｐ１ ") == "P1"
    assert normalize_id("\u3000item-01\t") == "item-01"


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("P1", True),
        ("a", True),
        ("0", True),
        ("item_01.v2-x", True),
        ("A" * 64, True),
        ("A" * 65, False),
        ("", False),
        ("-P1", False),
        ("_P1", False),
        (".P1", False),
        ("P 1", False),
        ("P1\n", False),
        ("データ", False),
        ("=SUM(A1)", False),
    ],
)
def test_is_valid_id(text: str, ok: bool) -> None:
    assert is_valid_id(text) is ok
    assert ID_PATTERN.pattern == r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"


@pytest.mark.parametrize(
    ("cell", "ids"),
    [
        ("P1;P2", ["P1", "P2"]),
        ("P1；P2、P3", ["P1", "P2", "P3"]),
        ("Ｐ１；Ｐ２ 、 P3 ; ;", ["P1", "P2", "P3"]),
        ("P1､P2", ["P1", "P2"]),  # half-width ideographic comma folds to 、
        (" ; ;、", []),
        ("", []),
        ("single", ["single"]),
        ("a b;c", ["a b", "c"]),  # not split on spaces; validation reports "a b"
    ],
)
def test_split_list(cell: str, ids: list[str]) -> None:
    assert split_list(cell) == ids


# ------------------------------------------------------------------------------------------
# Booleans
# ------------------------------------------------------------------------------------------

TRUE_SPELLINGS = [
    "true",
    "TRUE",
    "True",
    "yes",
    "YES",
    "1",
    "○",
    "◯",
    "〇",
    "はい",
    "ｙｅｓ",
    " true ",
]
FALSE_SPELLINGS = ["false", "FALSE", "no", "No", "0", "×", "✕", "✗", "いいえ", "０"]


@pytest.mark.parametrize("text", TRUE_SPELLINGS)
def test_parse_bool_true(text: str) -> None:
    assert parse_bool(text) is True


@pytest.mark.parametrize("text", FALSE_SPELLINGS)
def test_parse_bool_false(text: str) -> None:
    assert parse_bool(text) is False


@pytest.mark.parametrize(
    "value", [None, "", "  ", "maybe", "2", "x", "t", "y", "-1", 2, 0.5, [], "はいはい"]
)
def test_parse_bool_none(value: object) -> None:
    assert parse_bool(value) is None


def test_parse_bool_python_values() -> None:
    assert parse_bool(True) is True
    assert parse_bool(False) is False
    assert parse_bool(1) is True
    assert parse_bool(0) is False
    assert parse_bool(1.0) is True
    assert parse_bool(0.0) is False


# ------------------------------------------------------------------------------------------
# Dates: examples
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-04-01", D(2024, 4, 1)),
        ("2024-4-1", D(2024, 4, 1)),
        ("2024-04-01T10:30:00", D(2024, 4, 1)),
        ("2024-04-01T23:59:59.123+09:00", D(2024, 4, 1)),
        ("2024-04-01 00:00:00", D(2024, 4, 1)),
        ("2024/4/1", D(2024, 4, 1)),
        ("2024/04/01", D(2024, 4, 1)),
        ("2024/4/1 0:00", D(2024, 4, 1)),
        ("2024.4.1", D(2024, 4, 1)),
        ("2024年4月1日", D(2024, 4, 1)),
        ("２０２４年４月１日", D(2024, 4, 1)),
        (" 2024-04-01 ", D(2024, 4, 1)),
        ("令和5年4月1日", D(2023, 4, 1)),
        ("令和元年5月1日", D(2019, 5, 1)),
        ("R5.4.1", D(2023, 4, 1)),
        ("R05.04.01", D(2023, 4, 1)),
        ("r5/4/1", D(2023, 4, 1)),
        ("R5-4-1", D(2023, 4, 1)),
        ("Ｒ５．４．１", D(2023, 4, 1)),
        ("㋿5年4月1日", D(2023, 4, 1)),
        ("H31.4.30", D(2019, 4, 30)),
        ("平成31年4月30日", D(2019, 4, 30)),
        ("平成元年1月8日", D(1989, 1, 8)),
        ("S64.1.7", D(1989, 1, 7)),
        ("昭和64年1月7日", D(1989, 1, 7)),
        ("昭和元年12月25日", D(1926, 12, 25)),
        ("T15.12.24", D(1926, 12, 24)),
        ("大正元年7月30日", D(1912, 7, 30)),
        ("M45.7.29", D(1912, 7, 29)),
        ("明治元年10月23日", D(1868, 10, 23)),
        ("1", D(1900, 1, 1)),
        ("59", D(1900, 2, 28)),
        ("61", D(1900, 3, 1)),
        ("45017", D(2023, 4, 1)),
        ("45017.75", D(2023, 4, 1)),
        ("2958465", D(9999, 12, 31)),
    ],
)
def test_parse_date_accepts(text: str, expected: dt.date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "2024-02-30",
        "2023-02-29",
        "2024-13-01",
        "2024-00-10",
        "0000-01-01",
        "2024-04-01T25:00",
        "2024-04-01 garbage",
        "2024/04-01",  # mixed separators
        "24-04-01",
        "平成32年1月1日",
        "令和1年4月30日",
        "令和0年5月1日",
        "昭和64年1月8日",
        "H31.5.1",
        "明治元年10月22日",
        "X5.4.1",
        "令和5年4月",
        "0",
        "60",
        "2958466",
        "-1",
        "12345678901234567890",
        "tomorrow",
        "R5.4.1.2",
        "٢٠٢٤-٠٤-٠١",  # Arabic-Indic digits survive NFKC and are not accepted
    ],
)
def test_parse_date_rejects(text: str) -> None:
    assert parse_date(text) is None


def test_parse_date_non_text() -> None:
    assert parse_date(None) is None
    assert parse_date(D(2024, 4, 1)) == D(2024, 4, 1)
    assert parse_date(dt.datetime(2024, 4, 1, 23, 59)) == D(2024, 4, 1)
    assert parse_date(45017) == D(2023, 4, 1)
    assert parse_date(45017.999) == D(2023, 4, 1)
    assert parse_date(60) is None
    assert parse_date(61) == D(1900, 3, 1)
    assert parse_date(0) is None
    assert parse_date(0.5) is None
    assert parse_date(float("nan")) is None
    assert parse_date(float("inf")) is None
    assert parse_date(True) is None
    assert parse_date(["2024-04-01"]) is None


def test_parse_date_pandas_nat() -> None:
    pd = pytest.importorskip("pandas")
    assert parse_date(pd.NaT) is None
    assert parse_date(pd.Timestamp("2024-04-01 12:00")) == D(2024, 4, 1)


# ------------------------------------------------------------------------------------------
# Dates: laws
# ------------------------------------------------------------------------------------------

MEIJI_START = D(1868, 10, 23)


@settings(max_examples=300, deadline=None)
@given(st.dates(min_value=MEIJI_START, max_value=D(2100, 12, 31)))
def test_era_round_trip(d: dt.date) -> None:
    for style in ("kanji", "letter"):
        text = format_era(d, style)
        assert parse_date(text) == d
        # Full-width and lower-case spellings mean the same.
        wide = text.translate({c: c + 0xFEE0 for c in range(0x21, 0x7F)})
        assert parse_date(wide) == d
        assert parse_date(text.lower()) == d


@pytest.mark.parametrize(
    ("first_day", "kanji_first", "letter_last_before"),
    [
        (D(1912, 7, 30), "大正元年7月30日", "M45.7.29"),
        (D(1926, 12, 25), "昭和元年12月25日", "T15.12.24"),
        (D(1989, 1, 8), "平成元年1月8日", "S64.1.7"),
        (D(2019, 5, 1), "令和元年5月1日", "H31.4.30"),
    ],
)
def test_era_boundaries(first_day: dt.date, kanji_first: str, letter_last_before: str) -> None:
    last_before = first_day - dt.timedelta(days=1)
    assert format_era(first_day, "kanji") == kanji_first
    assert format_era(last_before, "letter") == letter_last_before
    # The old era does not reach the new era's first day, nor the new era back before it.
    old_letter = letter_last_before[0]
    new_letter = format_era(first_day, "letter")[0]
    assert (
        parse_date(
            f"{old_letter}{letter_last_before[1:].split('.')[0]}.{first_day.month}.{first_day.day}"
        )
        is None
    )
    assert parse_date(f"{new_letter}1.{last_before.month}.{last_before.day}") is None


def test_format_era_examples_and_errors() -> None:
    assert format_era(D(2023, 4, 1), "kanji") == "令和5年4月1日"
    assert format_era(D(2023, 4, 1), "letter") == "R5.4.1"
    assert format_era(D(2019, 5, 1), "letter") == "R1.5.1"
    with pytest.raises(ValueError):
        format_era(D(1868, 10, 22), "kanji")
    with pytest.raises(ValueError):
        format_era(D(2023, 4, 1), "roman")  # type: ignore[arg-type]


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=1, max_value=2958465).filter(lambda n: n != 60), st.floats(0, 0.999))
def test_serial_round_trip(serial: int, fraction: float) -> None:
    d = parse_date(serial)
    assert d is not None
    # Excel's day count from 1899-12-30, off by one before its fictitious 1900-02-29.
    base = D(1899, 12, 30) if serial > 60 else D(1899, 12, 31)
    assert (d - base).days == serial
    assert parse_date(str(serial)) == d
    assert parse_date(serial + fraction) == d


@settings(max_examples=300, deadline=None)
@given(st.dates())
def test_iso_round_trip(d: dt.date) -> None:
    assert parse_date(d.isoformat()) == d
    if d.year >= 1000:
        assert parse_date(f"{d.year}/{d.month}/{d.day}") == d
        assert parse_date(f"{d.year}.{d.month}.{d.day}") == d
        assert parse_date(f"{d.year}年{d.month}月{d.day}日") == d


# ------------------------------------------------------------------------------------------
# add_years / add_months (rules.md §4)
# ------------------------------------------------------------------------------------------


def test_add_examples() -> None:
    assert add_years(D(2024, 2, 29), 1) == D(2025, 3, 1)
    assert add_years(D(2024, 2, 29), 4) == D(2028, 2, 29)
    assert add_years(D(2023, 3, 31), 3) == D(2026, 3, 31)
    assert add_years(D(2023, 4, 1), 3) == D(2026, 4, 1)
    assert add_months(D(2024, 1, 31), 1) == D(2024, 3, 1)
    assert add_months(D(2023, 1, 29), 1) == D(2023, 3, 1)
    assert add_months(D(2024, 3, 31), 1) == D(2024, 5, 1)
    assert add_months(D(2024, 12, 31), 1) == D(2025, 1, 31)
    assert add_months(D(2024, 11, 30), 1) == D(2024, 12, 30)
    assert add_months(D(2024, 10, 31), 1) == D(2024, 12, 1)
    assert add_months(D(2024, 1, 15), 12) == D(2025, 1, 15)
    assert add_months(D(2024, 3, 31), -1) == D(2024, 3, 1)
    assert add_months(D(2024, 5, 31), 0) == D(2024, 5, 31)


@settings(max_examples=300, deadline=None)
@given(st.dates(min_value=D(1900, 1, 1), max_value=D(2200, 12, 31)), st.integers(-600, 600))
def test_add_months_law(d: dt.date, n: int) -> None:
    result = add_months(d, n)
    months = (d.year * 12 + d.month - 1) + n
    target_year, target_month0 = divmod(months, 12)
    if result.day == d.day:
        assert (result.year, result.month - 1) == (target_year, target_month0)
    else:
        # The day does not exist in the target month: the 1st of the following month.
        assert result.day == 1
        nxt_year, nxt_month0 = divmod(months + 1, 12)
        assert (result.year, result.month - 1) == (nxt_year, nxt_month0)
    assert result >= D(target_year, target_month0 + 1, 1)
    assert add_years(d, n) == add_months(d, 12 * n) or abs(n) > 600


# ------------------------------------------------------------------------------------------
# Vectorised == scalar
# ------------------------------------------------------------------------------------------

_small = st.integers(min_value=-1, max_value=33)
_years = st.sampled_from([0, 1, 999, 1000, 1868, 1900, 1989, 2019, 2023, 2024, 9999, 10000])


@st.composite
def _western(draw: st.DrawFn) -> str:
    y, m, d = draw(_years), draw(_small), draw(_small)
    if draw(st.booleans()):
        m, d = draw(st.integers(1, 12)), draw(st.integers(1, 28))
    form = draw(
        st.sampled_from(
            [
                "{y:04d}-{m:02d}-{d:02d}",
                "{y}-{m}-{d}",
                "{y}/{m}/{d}",
                "{y:04d}/{m:02d}/{d:02d}",
                "{y}.{m}.{d}",
                "{y}年{m}月{d}日",
                "+{y}-{m}-{d}",
                "{y:05d}-{m:02d}-{d:02d}",
            ]
        )
    )
    text = form.format(y=y, m=m, d=d)
    return text + draw(st.sampled_from(["", "", "T10:00", " 0:00:00", "T25:00", "Z", " x"]))


@st.composite
def _era(draw: st.DrawFn) -> str:
    if draw(st.booleans()):
        d = draw(st.dates(min_value=D(1860, 1, 1), max_value=D(2100, 1, 1)))
        try:
            return format_era(d, draw(st.sampled_from(["kanji", "letter"])))
        except ValueError:
            return d.isoformat()
    era = draw(
        st.sampled_from(
            ["明治", "大正", "昭和", "平成", "令和", "M", "T", "S", "H", "R", "r", "h", "X"]
        )
    )
    year = draw(st.sampled_from(["元", "0", "1", "01", "5", "31", "32", "45", "64", "99"]))
    m, d = draw(_small), draw(_small)
    sep = draw(st.sampled_from([".", "/", "-", "年"]))
    if sep == "年":
        return f"{era}{year}年{m}月{d}日"
    return f"{era}{year}{sep}{m}{sep}{d}"


_serials = st.one_of(
    st.integers(-3, 3_000_000).map(str),
    st.floats(-1, 3_000_000, allow_nan=False).map(repr),
)
_garbage = st.one_of(
    st.text(max_size=8),
    st.text(alphabet="0123456789-/.T: 年月日元RHSr令和平成　\u3000０１２\t", max_size=12),
)


def _decorate(text: str, pad: str, wide: bool) -> str:
    if wide:
        text = text.translate({c: c + 0xFEE0 for c in range(0x21, 0x7F)})
    return pad + text + pad


_date_cell = st.builds(
    _decorate,
    st.one_of(_western(), _era(), _serials, _garbage),
    st.sampled_from(["", "", "", " ", "\u3000", "\t", "\x1c"]),
    st.booleans(),
)


def _column(cells: st.SearchStrategy[str]) -> st.SearchStrategy[list[str | None]]:
    # Draw a few distinct cells and repeat them, so the unique-value path sees duplicates.
    return st.lists(st.one_of(cells, st.none()), min_size=1, max_size=8).flatmap(
        lambda pool: st.lists(st.sampled_from(pool), min_size=0, max_size=30)
    )


@settings(max_examples=200, deadline=None)
@given(_column(_date_cell))
def test_parse_dates_series_matches_scalar(cells: list[str | None]) -> None:
    result = parse_dates_series(pl.Series("d", cells, dtype=pl.String))
    assert result.dtype == pl.Date
    assert result.name == "d"
    assert result.to_list() == [parse_date(c) for c in cells]


def test_parse_dates_series_calls_scalar_once_per_unique_residual(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[object] = []
    real = values.parse_date

    def counting(value: object) -> dt.date | None:
        calls.append(value)
        return real(value)

    monkeypatch.setattr(values, "parse_date", counting)
    cells = [
        "2024-04-01",
        "2024/4/1",
        "R5.4.1",
        None,
        "R5.4.1",
        "junk",
        "junk",
        "2024-02-30",
    ] * 1000
    result = parse_dates_series(pl.Series(cells, dtype=pl.String))
    assert sorted(map(str, calls)) == sorted(["R5.4.1", "junk", "2024-02-30"])
    assert result.to_list()[:8] == [
        D(2024, 4, 1),
        D(2024, 4, 1),
        D(2023, 4, 1),
        None,
        D(2023, 4, 1),
        None,
        None,
        None,
    ]


def test_parse_dates_series_other_dtypes() -> None:
    dates = pl.Series([D(2024, 4, 1), None])
    assert parse_dates_series(dates).to_list() == [D(2024, 4, 1), None]
    stamps = pl.Series([dt.datetime(2024, 4, 1, 10), None])
    assert parse_dates_series(stamps).to_list() == [D(2024, 4, 1), None]
    serials = pl.Series([45017, 60, None])
    assert parse_dates_series(serials).to_list() == [D(2023, 4, 1), None, None]
    floats = pl.Series([45017.5, None])
    assert parse_dates_series(floats).to_list() == [D(2023, 4, 1), None]
    assert parse_dates_series(pl.Series([None, None])).dtype == pl.Date
    assert parse_dates_series(pl.Series([], dtype=pl.String)).to_list() == []
    assert parse_dates_series(pl.Series([None, None], dtype=pl.String)).to_list() == [None, None]


_bool_cell = st.one_of(
    st.sampled_from(
        TRUE_SPELLINGS + FALSE_SPELLINGS + ["", " ", "maybe", "TRUE ", "Ｔｒｕｅ", "2"]
    ),
    st.text(max_size=4),
)


@settings(max_examples=100, deadline=None)
@given(_column(_bool_cell))
def test_parse_bools_series_matches_scalar(cells: list[str | None]) -> None:
    result = parse_bools_series(pl.Series(cells, dtype=pl.String))
    assert result.dtype == pl.Boolean
    assert result.to_list() == [parse_bool(c) for c in cells]


def test_parse_bools_series_other_dtypes() -> None:
    assert parse_bools_series(pl.Series([True, None])).to_list() == [True, None]
    assert parse_bools_series(pl.Series([1, 0, 2, None])).to_list() == [True, False, None, None]
    assert parse_bools_series(pl.Series([None, None])).dtype == pl.Boolean


_id_cell = st.one_of(
    st.text(alphabet="abcP01_.-", max_size=6),
    # ASCII only, with every character Python's strip() removes (polars' default strip
    # misses \x1c-\x1f).
    st.text(alphabet="ab1 ;\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f", max_size=8),
    st.text(alphabet="abP01 \t\u3000Ｐ１；;、､\x1c\x85\u00a0é", max_size=10),
    st.text(max_size=8),
)


@settings(max_examples=200, deadline=None)
@given(_column(_id_cell))
def test_normalize_ids_series_matches_scalar(cells: list[str | None]) -> None:
    result = normalize_ids_series(pl.Series(cells, dtype=pl.String))
    assert result.dtype == pl.String
    assert result.to_list() == [None if c is None else normalize_id(c) for c in cells]


@settings(max_examples=200, deadline=None)
@given(_column(_id_cell))
def test_split_list_series_matches_scalar(cells: list[str | None]) -> None:
    result = split_list_series(pl.Series(cells, dtype=pl.String))
    assert result.dtype == pl.List(pl.String)
    assert result.to_list() == [None if c is None else split_list(c) for c in cells]


def test_series_examples() -> None:
    ids = pl.Series(["P1", "Ｐ１ ", None, " a", "b"])
    assert normalize_ids_series(ids).to_list() == ["P1", "P1", None, "a", "b"]
    lists = pl.Series(["a; b;;c", "Ｐ１；P2、 P3;;", None, "", "x\x1c;y"])
    assert split_list_series(lists).to_list() == [
        ["a", "b", "c"],
        ["P1", "P2", "P3"],
        None,
        [],
        ["x", "y"],
    ]
    assert split_list_series(pl.Series([None, None])).dtype == pl.List(pl.String)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=20))
def test_split_list_parts_are_normalised(text: str) -> None:
    for part in split_list(text):
        assert part
        assert part == unicodedata.normalize("NFKC", part).strip()
        assert ";" not in part and "、" not in part


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.none(), st.sampled_from(["a", "b", "2024-01-01"])), max_size=40))
def test_run_starts_marks_the_first_cell_of_each_run(cells: list[str | None]) -> None:
    got = values.run_starts(pl.Series(cells, dtype=pl.Utf8)).to_list()
    assert got == [i == 0 or cells[i] != cells[i - 1] for i in range(len(cells))]


@pytest.mark.parametrize("lead", [None, "2024-03-01"])
def test_dates_in_runs_are_parsed_a_run_at_a_time(lead: str | None) -> None:
    """A long column of dates in runs (a log's provided_on) gives each row its run's date,
    an empty run (at the start too) stays empty, and one invalid date anywhere refuses the
    fast path."""
    cells = [lead] * 700 + (["2024-01-31"] * 300 + [None] * 200 + ["2024-02-29"] * 500) * 12
    s = pl.Series("d", cells, dtype=pl.Utf8)
    got = values.iso_dates_series(s)
    want = [None if c is None else dt.date.fromisoformat(c) for c in cells]
    assert got is not None and got.name == "d" and got.to_list() == want
    assert values.iso_dates_series(s.scatter(9_000, "2023-02-29")) is None
    assert len(values.few_values(s)) < 100  # the runs' first cells, not every cell
