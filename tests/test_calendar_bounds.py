"""Deadlines in a year whose holiday arrangement is not loaded: the earliest/latest bounds contain the
true date, for each of 2020–2026 hidden in turn, and the spread stays days, not months."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lishui_desk import deadlines as dl
from lishui_desk.workcal import CalendarGap, WorkdayCalendar

FULL = WorkdayCalendar.from_package()
KEYS = sorted(dl.PERIODS)
MAX_SPREAD_DAYS = 24  # an unknown arrangement moves a deadline by days (measured: at most 22)


def hidden(year: int) -> WorkdayCalendar:
    return WorkdayCalendar([FULL.year_info(y) for y in FULL.years() if y != year])  # type: ignore[misc]


@pytest.mark.parametrize("year", range(2020, 2027))
@settings(max_examples=120, deadline=None)
@given(offset=st.integers(0, 455), key=st.sampled_from(KEYS), n=st.integers(1, 12))
def test_bounds_contain_the_true_date(year: int, offset: int, key: str, n: int) -> None:
    start = date(year - 1, 10, 1) + timedelta(days=offset)
    cal = hidden(year)
    try:
        truth = dl.due_date(FULL, key, start)
        raw_truth = dl.add_working_days(FULL, start, n)
    except CalendarGap:
        return  # the true end is past the last year the package knows
    early, late = cal.bounds()
    ends = (dl.due_date(early, key, start), dl.due_date(late, key, start))
    assert min(ends) <= truth <= max(ends)
    assert (max(ends) - min(ends)).days <= MAX_SPREAD_DAYS
    raw = (dl.add_working_days(early, start, n), dl.add_working_days(late, start, n))
    assert raw[0] <= raw_truth <= raw[1]


@pytest.mark.parametrize("year", range(2020, 2027))
def test_every_day_of_the_hidden_year_is_bracketed(year: int) -> None:
    """Day by day: a day that truly is a working day is one in the early calendar, and a true rest
    day is one in the late calendar (so every working-day count is bracketed)."""
    early, late = hidden(year).bounds()
    d = date(year, 1, 1)
    while d.year == year:
        if FULL.is_workday(d):
            assert early.is_workday(d), d
        else:
            assert not late.is_workday(d), d
        d += timedelta(days=1)


def test_a_year_past_the_lunar_tables_still_has_no_calendar() -> None:
    early, late = FULL.bounds()
    assert late.is_workday(date(2098, 3, 2)) in (True, False)
    with pytest.raises(CalendarGap):
        early.is_workday(date(2099, 3, 1))
