"""Cell-value normalisation shared by every loader (Excel, JSON, CSV, Parquet).

The contract is the "Forms of a register" section of the data model: IDs are NFKC-trimmed,
list cells split on ``;`` ``；`` ``、`` ``,`` ``，`` and line breaks (docs/japanese.md §5), booleans
accept several spellings, and dates
accept ISO, ``YYYY/M/D``, ``YYYY.M.D``, ``YYYY年M月D日``, Excel serials and Japanese era text.

Two layers:

* scalar functions (``parse_date``, ``parse_bool``, ``split_list`` ...) define the meaning of
  every cell; they are used for small tables and as the fallback of the vectorised layer;
* ``*_series`` functions process polars Series of millions of rows. They handle the common,
  plain-ASCII spellings with polars expressions and send only the remaining values through the
  scalar function -- once per distinct value, never once per row. Their result is, by
  construction and by property test, identical to mapping the scalar function over the rows.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import json
import math
import numbers
import re
import unicodedata
from collections.abc import Callable
from typing import Any, Literal, NamedTuple

import polars as pl

__all__ = [
    "ID_PATTERN",
    "add_days",
    "add_months",
    "add_years",
    "array_entries",
    "format_era",
    "has_list_separator",
    "is_valid_id",
    "nfkc",
    "past_calendar",
    "normalize_id",
    "normalize_ids_series",
    "parse_bool",
    "parse_bools_series",
    "parse_date",
    "parse_dates_series",
    "split_list",
    "split_list_series",
]

# --------------------------------------------------------------------------------------------
# Text and IDs
# --------------------------------------------------------------------------------------------


def nfkc(s: str) -> str:
    """Return ``s`` in Unicode NFKC form with surrounding whitespace removed.

    NFKC folds full-width letters, digits and punctuation (``Ｐ１``, ``；``, ``／``) into their
    ASCII forms, which is how the model makes half-/full-width spellings equal.
    """
    return unicodedata.normalize("NFKC", s).strip()


def normalize_id(s: str) -> str:
    """Normalise an ID cell: NFKC and trim (``"Ｐ１ "`` -> ``"P1"``).

    The result is not validated; use :func:`is_valid_id` for that, so the caller can report
    the offending value.
    """
    return nfkc(s)


# A leading letter or digit keeps IDs from being read as formulas (=, +, -, @) in spreadsheets.
ID_PATTERN: re.Pattern[str] = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


def is_valid_id(s: str) -> bool:
    """True if ``s`` (already normalised) matches :data:`ID_PATTERN`."""
    # fullmatch, not match: "$" would also accept a trailing newline.
    return ID_PATTERN.fullmatch(s) is not None


# "、" survives NFKC (only "；" and "，" fold to ";" and ","), and NFKC maps the half-width "､"
# and small "﹑" onto "、", so the replacement happens after normalisation. Line breaks (LF,
# CR LF, CR) separate too: officers put one ID a line with Alt+Enter (docs/japanese.md §5). A CR LF
# is two separators with nothing between them, and empty items are dropped.
_TO_SEMICOLON = str.maketrans({"、": ";", ",": ";", "\n": ";", "\r": ";"})


# Every character split_list takes as a separator: what NFKC turns into (or into text holding)
# ";", "、" or ",", and the line breaks. IDs cannot hold any of them.
LIST_SEPARATORS = (
    ";\u037e\u3001\ufe11\ufe14\ufe51\ufe54\uff1b\uff64"
    ",\ufe10\ufe50\uff0c" + "".join(chr(c) for c in range(0x1F101, 0x1F10B)) + "\n\r"
)


def has_list_separator(s: str) -> bool:
    """True if split_list would cut ``s`` in two (it holds ``;`` ``；`` ``、`` ``,`` ``，``, a line
    break or a variant)."""
    return any(ch in s for ch in LIST_SEPARATORS)


def array_entries(text: str) -> list[str] | None:
    """The entries of a list cell written as a JSON array of strings (``["A1", "B;C"]``), or
    None for any other text.

    A reader whose lists are real arrays (JSON, Parquet) writes a list this way when an entry
    holds a separator: joined with ``;`` the entry would become several IDs. Each entry stays
    one value (empty entries are null), and the cell is invalid as an ID list, so it is
    reported and written back verbatim.
    """
    if not text.startswith("["):
        return None
    try:
        entries = json.loads(text)
    except ValueError:
        return None
    if not isinstance(entries, list) or not all(e is None or isinstance(e, str) for e in entries):
        return None
    return entries


def split_list(s: str) -> list[str]:
    """Split a list cell on ``;`` ``；`` ``、`` ``,`` ``，`` or line breaks, in any mix, into
    normalised IDs; empty parts are dropped.

    ``"Ｐ１；P2、 P3;;"`` -> ``["P1", "P2", "P3"]``; ``"P1，P2\nP3"`` -> ``["P1", "P2", "P3"]``.
    """
    text = unicodedata.normalize("NFKC", s).translate(_TO_SEMICOLON)
    return [part for part in (normalize_id(p) for p in text.split(";")) if part]


# --------------------------------------------------------------------------------------------
# Booleans
# --------------------------------------------------------------------------------------------

# Keys are NFKC + casefold forms. ○/◯/〇 and ×/✕/✗ are the marks Japanese forms use for
# yes/no; NFKC leaves all of them unchanged.
_BOOL_WORDS: dict[str, bool] = {
    "true": True,
    "yes": True,
    "1": True,
    "○": True,
    "◯": True,
    "〇": True,
    "はい": True,
    # what officers write in a 有無 column (docs/japanese.md §5)
    "あり": True,
    "有り": True,
    "有": True,
    "false": False,
    "no": False,
    "0": False,
    "×": False,
    "✕": False,
    "✗": False,
    "いいえ": False,
    "なし": False,
    "無し": False,
    "無": False,
}


def parse_bool(value: Any) -> bool | None:
    """Parse a boolean cell; ``None`` when it is empty or not a recognised spelling.

    Accepts Python bools, the numbers 1 and 0 (Excel numeric cells), and case-insensitively
    after NFKC: ``true/false``, ``yes/no``, ``1/0``, ``○ ◯ 〇 / × ✕ ✗``, ``はい/いいえ``,
    ``あり/なし``, ``有り/無し``, ``有/無``.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, numbers.Real):
        # 1.0 arrives from readers that type every numeric cell as float.
        if value == 1:
            return True
        if value == 0:
            return False
        return None
    if not isinstance(value, str):
        return None
    return _BOOL_WORDS.get(nfkc(value).casefold())


# --------------------------------------------------------------------------------------------
# Japanese eras
# --------------------------------------------------------------------------------------------


class _Era(NamedTuple):
    kanji: str
    letter: str
    since: dt.date  # first day, inclusive
    until: dt.date | None  # first day of the next era, exclusive; None for the current era


def _modern_eras() -> tuple[_Era, ...]:
    """Meiji onwards from japanera's table (its source: the Japanese Wikipedia era list)."""
    import japanera  # only for era dates: most registers have none, and it costs start-up

    general = list(japanera.ERA_DATA_GENERAL)
    start = next(i for i, era in enumerate(general) if era.kanji == "明治")
    eras: list[_Era] = []
    previous_until = general[start - 1].until
    for era in general[start:]:
        since = era.since
        # japanera dates Meiji from 1868-01-23 (the retroactive start of the year) while Keiō
        # runs to 1868-10-23, the day the era was proclaimed; an era starts where its
        # predecessor ends, so Meiji starts 1868-10-23 here.
        if previous_until is not None and previous_until > since:
            since = previous_until
        eras.append(_Era(era.kanji, era.english_head.upper(), since, era.until))
        previous_until = era.until
    return tuple(eras)


class _EraTable(NamedTuple):
    eras: tuple[_Era, ...]
    by_name: dict[str, _Era]
    kanji_re: re.Pattern[str]  # 令和5年4月1日
    punct_re: re.Pattern[str]  # R5.4.1


@functools.cache
def _era_table() -> _EraTable:
    eras = _modern_eras()
    # Built from the era table so a new era in japanera is accepted without touching them.
    names = "|".join([e.kanji for e in eras] + [f"[{''.join(e.letter for e in eras)}]"])
    kanji_re = re.compile(
        rf"(?P<era>{names})\s*(?P<y>元|[0-9]{{1,2}})\s*年\s*(?P<m>[0-9]{{1,2}})\s*月"
        r"\s*(?P<d>[0-9]{1,2})\s*日",
        re.ASCII | re.IGNORECASE,
    )
    punct_re = re.compile(
        rf"(?P<era>{names})\s*(?P<y>元|[0-9]{{1,2}})(?P<sep>[-/.])(?P<m>[0-9]{{1,2}})"
        r"(?P=sep)(?P<d>[0-9]{1,2})",
        re.ASCII | re.IGNORECASE,
    )
    by_name = {e.kanji: e for e in eras} | {e.letter: e for e in eras}
    return _EraTable(eras, by_name, kanji_re, punct_re)


def _era_of(d: dt.date) -> _Era | None:
    for era in reversed(_era_table().eras):
        if era.since <= d and (era.until is None or d < era.until):
            return era
    return None


def format_era(d: dt.date, style: Literal["kanji", "letter"] = "kanji") -> str:
    """Write ``d`` as Japanese era text: ``令和5年4月1日`` (kanji) or ``R5.4.1`` (letter).

    The kanji style writes the first year as ``元年``. Raises ``ValueError`` for dates before
    the Meiji era.
    """
    era = _era_of(d)
    if era is None:
        raise ValueError(f"{d.isoformat()} is before the Meiji era")
    year = d.year - era.since.year + 1
    if style == "kanji":
        year_text = "元" if year == 1 else str(year)
        return f"{era.kanji}{year_text}年{d.month}月{d.day}日"
    if style == "letter":
        return f"{era.letter}{year}.{d.month}.{d.day}"
    raise ValueError(f"unknown era style: {style!r}")


def _era_date(name: str, year_text: str, month: int, day: int) -> dt.date | None:
    era = _era_table().by_name.get(name.upper())
    if era is None:
        return None
    year = 1 if year_text == "元" else int(year_text)
    if year < 1:
        return None
    try:
        d = dt.date(era.since.year + year - 1, month, day)
    except ValueError:
        return None
    # 平成32年 or 令和1年4月30日 name a real Gregorian day, but not one inside that era.
    if d < era.since or (era.until is not None and d >= era.until):
        return None
    return d


# --------------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------------

# Excel's 1900 date system: serial 1 = 1900-01-01 and, copying a Lotus 1-2-3 bug, serial 60 is
# the non-existent 1900-02-29. 2958465 is 9999-12-31, the largest date Excel shows.
_EXCEL_DAY_ZERO = dt.date(1899, 12, 31)
_EXCEL_FAKE_LEAP_DAY = 60
_EXCEL_MAX_SERIAL = 2958465


def _from_serial(serial: int) -> dt.date | None:
    if not 1 <= serial <= _EXCEL_MAX_SERIAL or serial == _EXCEL_FAKE_LEAP_DAY:
        return None
    shift = 1 if serial > _EXCEL_FAKE_LEAP_DAY else 0
    return _EXCEL_DAY_ZERO + dt.timedelta(days=serial - shift)


# re.ASCII throughout: "\d" would otherwise match Arabic-Indic and other digits that NFKC keeps.
_SERIAL_RE = re.compile(r"([0-9]+)(?:\.[0-9]+)?", re.ASCII)
# An optional time of day after a date: "T10:00", " 0:00:00", "T10:00:00.5+09:00", "Z".
_TIME = r"(?:[T ]\s*(?P<h>[0-9]{1,2}):(?P<mi>[0-9]{2})(?::(?P<s>[0-9]{2})(?:\.[0-9]+)?)?(?:Z|[+-][0-9]{2}(?::?[0-9]{2})?)?)?"
_WESTERN_RE = re.compile(
    r"(?P<y>[0-9]{4})(?P<sep>[-/.])(?P<m>[0-9]{1,2})(?P=sep)(?P<d>[0-9]{1,2})" + _TIME,
    re.ASCII,
)
_WESTERN_KANJI_RE = re.compile(
    r"(?P<y>[0-9]{4})\s*年\s*(?P<m>[0-9]{1,2})\s*月\s*(?P<d>[0-9]{1,2})\s*日", re.ASCII
)
def _ymd(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        # 2024-02-30, month 13, year 0: not a date.
        return None


def _parse_date_text(text: str) -> dt.date | None:
    s = nfkc(text)
    if not s:
        return None
    if match := _SERIAL_RE.fullmatch(s):
        digits = match.group(1)
        # More than 7 digits is beyond the largest serial; also keeps int() off huge strings.
        return _from_serial(int(digits)) if len(digits) <= 7 else None
    if match := _WESTERN_RE.fullmatch(s):
        if match["h"] is not None and (
            int(match["h"]) > 23 or int(match["mi"]) > 59 or int(match["s"] or 0) > 59
        ):
            return None
        # The calendar date as written; a time zone suffix does not move it.
        return _ymd(int(match["y"]), int(match["m"]), int(match["d"]))
    if match := _WESTERN_KANJI_RE.fullmatch(s):
        return _ymd(int(match["y"]), int(match["m"]), int(match["d"]))
    eras = _era_table()
    if match := eras.kanji_re.fullmatch(s) or eras.punct_re.fullmatch(s):
        return _era_date(match["era"], match["y"], int(match["m"]), int(match["d"]))
    return None


def parse_date(value: Any) -> dt.date | None:
    """Parse a date cell; ``None`` when it is empty or not a valid date.

    Accepts ``datetime.date``/``datetime.datetime`` (Excel date cells; the date part is kept);
    numbers and numeric text as Excel 1900-system serials (1..2958465, 60 being Excel's
    fictitious 1900-02-29; a time fraction is dropped); and, after NFKC, ``YYYY-MM-DD``
    (optionally followed by ``T``/space and a time), ``YYYY/M/D``, ``YYYY.M.D``,
    ``YYYY年M月D日`` and Japanese era text (``令和5年4月1日``, ``令和元年5月1日``, ``R5.4.1``,
    ``r05/04/01``, ``H31-4-30``) whose day must lie within the named era.
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        # pandas' NaT is a datetime subclass standing for "no value"; only it is unequal to itself.
        if value != value:
            return None
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        # bool is an int subclass; True is not serial 1.
        return None
    if isinstance(value, numbers.Integral):
        return _from_serial(int(value))
    if isinstance(value, numbers.Real):
        number = float(value)
        if not math.isfinite(number):
            return None
        return _from_serial(math.floor(number))
    if isinstance(value, str):
        return _parse_date_text(value)
    return None


# The last and first days a date can hold. 9999-12-31 is also what people type for "no end".
LAST_DATE = dt.date.max
FIRST_DATE = dt.date.min


def _shifted(d: dt.date, n: int) -> dt.date | None:
    """``d`` moved by ``n`` months (docs/routes-and-records.md §6), or None when that falls outside
    the years 1-9999 that a date can hold."""
    index = d.year * 12 + (d.month - 1) + n
    year, month0 = divmod(index, 12)
    month = month0 + 1
    if not 1 <= year <= 9999:
        return None
    if d.day <= calendar.monthrange(year, month)[1]:
        return dt.date(year, month, d.day)
    if month == 12:
        return dt.date(year + 1, 1, 1) if year < 9999 else None
    return dt.date(year, month + 1, 1)


def add_months(d: dt.date, n: int) -> dt.date:
    """The same day ``n`` months later (earlier for negative ``n``).

    When that day does not exist (the 31st in a 30-day month, 29-31 February) the result is
    the 1st of the following month -- docs/routes-and-records.md §6: the later reading, because
    keeping a record a day too long is harmless and a day too short is a violation.

    Every date derived in the register (retention, audit and safeguard due dates) comes from
    here, and none can crash: a result past 9999-12-31 (from a placeholder date such as
    9999-12-31, or an interval of 999,999 months) is 9999-12-31, one before year 1 is
    0001-01-01. :func:`past_calendar` tells when that happened; the checks then report the
    cell that caused it.
    """
    shifted = _shifted(d, n)
    if shifted is None:
        return LAST_DATE if n > 0 else FIRST_DATE
    return shifted


def add_years(d: dt.date, n: int) -> dt.date:
    """The same day ``n`` years later; 29 February becomes 1 March in a common year (§4).
    Saturates like :func:`add_months`."""
    return add_months(d, 12 * n)


def add_days(d: dt.date, n: int) -> dt.date:
    """``d`` moved by ``n`` days, stopping at 9999-12-31 (or 0001-01-01) like
    :func:`add_months` instead of raising OverflowError (``d + timedelta`` does)."""
    ordinal = d.toordinal() + n
    if ordinal > LAST_DATE.toordinal():
        return LAST_DATE
    if ordinal < FIRST_DATE.toordinal():
        return FIRST_DATE
    return dt.date.fromordinal(ordinal)


def past_calendar(d: dt.date, months: int) -> bool:
    """True when ``d`` moved by ``months`` falls outside the calendar (past 9999-12-31, or
    before year 1): :func:`add_months` then gives the calendar's end instead."""
    return _shifted(d, months) is None


# --------------------------------------------------------------------------------------------
# Vectorised forms
# --------------------------------------------------------------------------------------------


def map_unique(
    s: pl.Series,
    need: pl.Series,
    func: Callable[[Any], Any],
    dtype: pl.DataType | type[pl.DataType],
) -> pl.Series:
    """``func`` applied to the rows where ``need`` holds, calling it once per distinct value.

    Other rows are null. The per-row work (the lookup) stays in polars.
    """
    keys = s.filter(need).unique()
    if keys.len() == 0:
        return pl.repeat(None, s.len(), dtype=dtype, eager=True).alias(s.name)
    mapping = {key: func(key) for key in keys.to_list()}
    # ``need`` depends only on the value, so every row holding a key needs it.
    return s.replace_strict(mapping, default=None, return_dtype=dtype)


def run_starts(s: pl.Series) -> pl.Series:
    """Where each run of equal cells starts (empty cells are equal to one another)."""
    return s.ne_missing(s.shift(1)).scatter(0, True) if s.len() else s.is_null()


def _in_runs(s: pl.Series) -> pl.Series | None:
    """run_starts of a long column that comes in runs, judged from its first 1,000 cells; else
    None. A log's event IDs, provision IDs and dates repeat row after row."""
    if s.len() > 10_000 and run_starts(s.head(1_000)).sum() < 250:
        return run_starts(s)
    return None


def few_values(s: pl.Series) -> pl.Series:
    """`s`, or fewer values among which is each of its values, when a long column repeats
    itself: a whole-column test of every value then runs over a small part of it. Where the
    column comes in runs, the first cell of each run (found by comparing each cell with the
    one before: nothing hashed); else, where it holds few distinct values, those. Judged from
    the first 1,000 cells, so a column of mostly distinct values (principal IDs) is not
    hashed for nothing."""
    starts = _in_runs(s)
    if starts is not None:
        return s.filter(starts)
    if s.len() > 10_000 and s.head(1_000).n_unique() < 250:
        return s.unique()
    return s


# Only these spellings go to polars' parser, because chrono is more lenient than parse_date
# (it skips leading spaces, takes "+2024" and year 0); everything it leaves null falls back to
# parse_date, so the fast path can only add dates that parse_date gives too.
_FAST_DATE_FORMATS = (
    (r"^[1-9][0-9]{3}-[0-9]{1,2}-[0-9]{1,2}$", "%Y-%m-%d"),
    (r"^[1-9][0-9]{3}/[0-9]{1,2}/[0-9]{1,2}$", "%Y/%m/%d"),
)


def iso_dates_series(s: pl.Series) -> pl.Series | None:
    """The dates of a String column whose given cells are all `YYYY-MM-DD` (or `YYYY-M-D`)
    and real dates; None when any is not (parse_dates_series then does the general work)."""
    pattern, fmt = _FAST_DATE_FORMATS[0]
    # a log's dates come in runs: each run's first date is parsed, and given to the run
    starts = _in_runs(s)
    heads = s if starts is None else s.filter(starts)
    if not bool(few_values(heads).str.contains(pattern).fill_null(True).all()):
        return None
    parsed = heads.str.strptime(pl.Date, fmt, strict=False)
    if parsed.null_count() != heads.null_count():
        return None
    if starts is None:
        return parsed
    # Each run's date is put at the run's first cell and carried forward over the run (cheaper
    # than gathering it by each cell's run number: 12 ms against 17 for 390,000 cells); the
    # cells of a run of empty ones are empty again after.
    out = _nulls(s.len(), pl.Date, s.name).scatter(starts.arg_true(), parsed).forward_fill()
    if heads.null_count():
        out = out.zip_with(s.is_not_null(), _nulls(s.len(), pl.Date, s.name))
    return out


def _nulls(n: int, dtype: pl.DataType, name: str) -> pl.Series:
    return pl.repeat(None, n, dtype=dtype, eager=True).alias(name)


def parse_dates_series(s: pl.Series) -> pl.Series:
    """Vectorised :func:`parse_date`: a ``pl.Date`` Series, null where empty or unparseable.

    ``YYYY-MM-DD`` and ``YYYY/M/D`` text is parsed by polars; any other value goes through
    ``parse_date`` once per distinct value. Date and Datetime input is passed through (as a
    date), numeric input is read as Excel serials.
    """
    if s.dtype == pl.Date:
        return s
    if s.dtype == pl.Null:
        return s.cast(pl.Date)
    if isinstance(s.dtype, pl.Datetime):
        return s.dt.date()
    if s.dtype.is_numeric():
        return map_unique(s, s.is_not_null(), parse_date, pl.Date)
    if s.dtype != pl.String:
        s = s.cast(pl.String)
    nulls = _nulls(s.len(), pl.Date, s.name)
    fast = nulls
    need = s.is_not_null()
    for pattern, fmt in _FAST_DATE_FORMATS:
        parsed = s.str.strptime(pl.Date, fmt, strict=False)
        fast = fast.fill_null(parsed.zip_with(s.str.contains(pattern).fill_null(False), nulls))
        need = s.is_not_null() & fast.is_null()
        if not need.any():
            return fast  # usually after the first format: a system's export is uniform
    return fast.fill_null(map_unique(s, need, parse_date, pl.Date))


def parse_bools_series(s: pl.Series) -> pl.Series:
    """Vectorised :func:`parse_bool`: a ``pl.Boolean`` Series, null where empty or unknown.

    A boolean column has few distinct values, so each distinct value is parsed once.
    """
    if s.dtype == pl.Boolean:
        return s
    if s.dtype == pl.Null:
        return s.cast(pl.Boolean)
    return map_unique(s, s.is_not_null(), parse_bool, pl.Boolean)


# Printable ASCII without leading/trailing space: NFKC and strip leave such values unchanged.
_PLAIN_ASCII_ID = r"^[!-~](?:[ -~]*[!-~])?$"


def normalize_ids_series(s: pl.Series) -> pl.Series:
    """Vectorised :func:`normalize_id`: a String Series, nulls kept.

    Values already in printable ASCII without surrounding spaces are kept as they are; the
    others go through ``normalize_id`` once per distinct value.
    """
    if s.dtype == pl.Null:
        return s.cast(pl.String)
    if s.dtype != pl.String:
        s = s.cast(pl.String)
    need = s.is_not_null() & ~s.str.contains(_PLAIN_ASCII_ID).fill_null(True)
    if not need.any():
        return s
    return s.zip_with(~need, map_unique(s, need, normalize_id, pl.String))


# Exactly what Python's str.strip() removes from ASCII text; polars' default strip follows
# Rust's char::is_whitespace, which omits the separators \x1c-\x1f.
_PY_ASCII_WHITESPACE = " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f"
# Every character str.isspace() holds (what str.strip() removes); Rust's whitespace lacks
# \x1c-\x1f.
PY_WHITESPACE = _PY_ASCII_WHITESPACE + (
    "\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000"
)


def split_list_series(s: pl.Series) -> pl.Series:
    """Vectorised :func:`split_list`: a ``List(String)`` Series, null rows stay null.

    ASCII values are split with polars string operations (NFKC is the identity on ASCII);
    values with other characters go through ``split_list`` once per distinct value.
    """
    list_dtype = pl.List(pl.String)
    if s.dtype == pl.Null:
        return s.cast(list_dtype)
    if s.dtype != pl.String:
        s = s.cast(pl.String)
    ascii_rows = s.str.contains(r"^[\x00-\x7f]*$").fill_null(True)
    element = pl.element().str.strip_chars(_PY_ASCII_WHITESPACE)
    fast = s.str.replace_all(r"[,\r\n]", ";").str.split(";").list.eval(element.filter(element != ""))
    need = s.is_not_null() & ~ascii_rows
    if not need.any():
        return fast
    return fast.zip_with(ascii_rows, map_unique(s, need, split_list, list_dtype))


def display_width(text: str) -> int:
    """Columns `text` takes in a terminal or a spreadsheet: wide (CJK) characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
