"""The government calendar of the leak report deadlines (incident.md §3.7).

Dates are counted by hand in the comments: the day of knowledge is day 1, so day N is
known_on + (N - 1); a day that is a 行政機関の休日 (Saturday, Sunday, national holiday,
29 Dec - 3 Jan) moves the deadline to the next day, again while that day is one too.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from register.incident import calendar

D = dt.date


def test_table_names_its_source_and_reach():
    t = calendar.table()
    assert t.source.startswith("jpholiday ")
    assert t.cross_checked_with.startswith("holidays ")
    assert t.first_day == D(2022, 1, 1)
    assert t.official_through == D(2027, 12, 31)  # the 暦要項 of 2 Feb 2026 announced 2027
    assert t.as_of == D(2026, 11, 30)
    assert {d.year for d in t.holidays} == set(range(2022, 2028))


@pytest.mark.skipif(
    not (importlib.util.find_spec("jpholiday") and importlib.util.find_spec("holidays")),
    reason="jpholiday and holidays are test dependencies (pyproject.toml [test])",
)
def test_bundled_table_equals_both_holiday_packages():
    import holidays
    import jpholiday

    t = calendar.table()
    for year in range(2022, 2028):
        jp = {d for d, _ in jpholiday.year_holidays(year)}
        other = {d for d in holidays.country_holidays("JP", years=year) if d.year == year}
        mine = {d for d in t.holidays if d.year == year}
        assert mine == jp == other, year


def test_table_file_is_plain_data_in_the_package():
    from importlib import resources

    doc = json.loads((resources.files("register.incident") / "holidays.json").read_text("utf-8"))
    assert doc["holidays"]["2026-09-22"] == "国民の休日"  # between 敬老の日 and 秋分の日
    assert doc["holidays"]["2026-05-06"].endswith("振替休日")  # 憲法記念日 fell on a Sunday


@pytest.mark.parametrize(("day", "reason"), [
    (D(2026, 4, 4), "saturday"),
    (D(2026, 4, 5), "sunday"),
    (D(2026, 4, 29), "holiday"),  # 昭和の日
    (D(2026, 9, 22), "holiday"),  # 国民の休日
    (D(2026, 5, 6), "holiday"),  # 振替休日
    (D(2026, 12, 29), "year_end"),
    (D(2027, 1, 3), "year_end"),  # a Sunday, but the year-end closure is what it is first
    (D(2027, 1, 4), None),  # Monday: offices open
    (D(2026, 12, 28), None),  # Monday: the last working day of 2026
    (D(2026, 4, 30), None),
])
def test_closed_days(day, reason):
    assert calendar.closed_reason(day) == reason


@pytest.mark.parametrize(("known_on", "days", "day", "due"), [
    # 2026-04-01 (Wed) is day 1; 04-30 (Thu) is day 30, open
    (D(2026, 4, 1), 30, D(2026, 4, 30), D(2026, 4, 30)),
    # 2026-05-08 (Fri) is day 1; 05-31 day 24; 06-06 (Sat) day 30 -> Sun -> Mon 06-08
    (D(2026, 5, 8), 30, D(2026, 6, 6), D(2026, 6, 8)),
    # 2026-06-19 (Fri) day 1; 06-30 day 12; 07-18 (Sat) day 30 -> Sun 19 -> 海の日 Mon 20 -> Tue 21
    (D(2026, 6, 19), 30, D(2026, 7, 18), D(2026, 7, 21)),
    # 2026-08-21 day 1; 08-31 day 11; 09-19 (Sat) day 30; Sun 20, 敬老の日 21, 国民の休日 22,
    # 秋分の日 23 -> Thu 09-24
    (D(2026, 8, 21), 30, D(2026, 9, 19), D(2026, 9, 24)),
    # 2026-04-03 day 1; 04-30 day 28; 05-02 (Sat) day 30; Sun 3 (憲法記念日), 4, 5, 振替休日 6 -> Thu 05-07
    (D(2026, 4, 3), 30, D(2026, 5, 2), D(2026, 5, 7)),
    # 2026-12-01 day 1; 12-30 day 30: 30, 31 Dec, 1-3 Jan closed -> Mon 2027-01-04
    (D(2026, 12, 1), 30, D(2026, 12, 30), D(2027, 1, 4)),
    # 60 days: 2026-10-31 (Sat) day 1; 11-30 day 31; 12-29 day 60 -> 2027-01-04 (Mon)
    (D(2026, 10, 31), 60, D(2026, 12, 29), D(2027, 1, 4)),
    # 60 days: 2026-04-01 day 1; 04-30 day 30; 05-30 (Sat) day 60 -> Sun 31 -> Mon 06-01
    (D(2026, 4, 1), 60, D(2026, 5, 30), D(2026, 6, 1)),
    # 2026-12-25 (Fri) is day 1 of 30: day 30 is 2027-01-23 (Sat) -> Mon 2027-01-25
    (D(2026, 12, 25), 30, D(2027, 1, 23), D(2027, 1, 25)),
])
def test_final_report_due(known_on, days, day, due):
    d = calendar.deadlines(known_on, days)
    assert (d.final_report_day, d.final_report_due) == (day, due)
    assert d.quick_report_by == known_on + dt.timedelta(days=4)
    assert d.provisional is False


def test_quick_report_date_is_never_moved():
    # 2026-04-01 (Wed) + 4 = 04-05, a Sunday: the 5th day stays (incident.md §3.7)
    assert calendar.deadlines(D(2026, 4, 1), 30).quick_report_by == D(2026, 4, 5)
    # 2026-12-27 + 4 = 12-31, in the year-end closure: still the 5th day
    assert calendar.deadlines(D(2026, 12, 27), 30).quick_report_by == D(2026, 12, 31)


def test_beyond_the_announced_holidays_is_provisional():
    # 2027-12-02 day 1; 12-31 day 30 -> 2028-01-01..03 closed -> Tue 2028-01-04: 2028 not announced
    d = calendar.deadlines(D(2027, 12, 2), 30)
    assert d.final_report_due == D(2028, 1, 4)
    assert d.provisional is True
    assert calendar.deadlines(D(2027, 11, 1), 30).provisional is False  # due 2027-11-30


days_in_table = st.dates(min_value=D(2022, 4, 1), max_value=D(2027, 10, 1))


@settings(max_examples=300, deadline=None)
@given(known_on=days_in_table, improper=st.booleans())
def test_deadline_laws_hold_for_every_day(known_on, improper):
    days = 60 if improper else 30
    d = calendar.deadlines(known_on, days)
    # day N counts the day of knowledge as day 1
    assert (d.final_report_day - known_on).days == days - 1
    # never earlier than day N, never a closed day, and every day skipped was closed
    assert d.final_report_due >= d.final_report_day
    assert not calendar.is_closed(d.final_report_due)
    skipped = (d.final_report_due - d.final_report_day).days
    assert all(calendar.is_closed(d.final_report_day + dt.timedelta(days=k)) for k in range(skipped))
    # the longest run of closed days is the year-end with weekends on both sides: day 30 on
    # Sat 2024-12-28 is due Mon 2025-01-06 (28, 29 … 3 Jan, Sat 4, Sun 5: nine days skipped)
    assert skipped <= 9
    # the quick report date: the 5th day, after known_on, never moved
    assert d.quick_report_by == known_on + dt.timedelta(days=4) > known_on
    assert d.quick_report_by < d.final_report_due
    assert d.provisional is False


@given(st.dates(min_value=D(2022, 1, 1), max_value=D(2030, 12, 31)))
def test_next_open_day_is_the_first_open_day(day):
    nxt = calendar.next_open_day(day)
    assert nxt >= day and not calendar.is_closed(nxt)
    assert all(calendar.is_closed(day + dt.timedelta(days=k)) for k in range((nxt - day).days))
