"""Bounds for a year whose holiday arrangement (节假日安排) is not loaded.

An unknown arrangement moves a deadline by days, not months: the statutory holidays themselves are
fixed by 《全国年节及纪念日放假办法》 (元旦, 春节, 清明节, 劳动节, 端午节, 中秋节, 国庆节 — their
dates follow the solar and lunar calendars), and the yearly State Council notice only joins them to
weekends, moving rest days and 调休 make-up workdays within a few days of each festival.

For a missing year this module classifies every day:

- certainly a rest day — a statutory holiday day, or a weekend day outside every make-up window;
- certainly a working day — a weekday outside every festival's rest window;
- uncertain — a weekday inside a rest window, or a weekend day inside a make-up window.

The *early* calendar counts every uncertain day as a working day and the *late* calendar counts it
as a rest day. Every period the deadline engine computes is monotone in the set of working days,
so its true end under any arrangement within the windows lies between the ends computed with the
two calendars. The windows (rest days up to 2 days before and 3–6 days after a festival's statutory
days, make-up days within 7–12 days) contain every arrangement of 2020–2026 with a margin of one
or two days (including the 2020 extension of the 春节 holiday); a test hides each of those years
in turn and checks that the bounds contain the true date of every statutory period.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

from lishui_desk.workcal import YearCalendar

STATUS_BOUND = "推算界限（未载入）"
EARLY = "early"
LATE = "late"
BOUND_SOURCE = "该年节假日安排尚未载入：按《全国年节及纪念日放假办法》推算的{kind}界限"
# the 2024 revision of 《全国年节及纪念日放假办法》 (in force 2025-01-01): 春节 from 除夕, 劳动节 two days
REVISION_2025 = 2025

_D = timedelta(days=1)


def _span(start: date, end: date) -> list[date]:
    out = []
    d = start
    while d <= end:
        out.append(d)
        d += _D
    return out


@lru_cache(maxsize=256)
def festivals(year: int) -> tuple[tuple[str, date, tuple[date, ...], int, int, int], ...]:
    """(name, first statutory day, statutory days, rest-window days before/after, make-up reach) per festival
    whose windows touch ``year``. Dates are solar; 春节/端午/中秋 come from the lunar calendar."""
    from chinese_calendar import get_solar_terms
    from lunardate import LunarDate

    out = []
    for y in (year - 1, year, year + 1):
        new = REVISION_2025 <= y
        spring = LunarDate(y, 1, 1).to_solar_date()
        eve = spring - _D
        spring_days = tuple(_span(eve if new else spring, spring + 2 * _D))
        terms = [d for d, name in get_solar_terms(date(y, 4, 1), date(y, 4, 10)) if name == "清明"]
        qingming = terms[0] if terms else date(y, 4, 5)
        dragon = LunarDate(y, 5, 5).to_solar_date()
        autumn = LunarDate(y, 8, 15).to_solar_date()
        may_days = (date(y, 5, 1), date(y, 5, 2)) if new else (date(y, 5, 1),)
        out.extend([
            ("元旦", date(y, 1, 1), (date(y, 1, 1),), 2, 3, 7),
            ("春节", spring_days[0], spring_days, 2, 6, 12),
            ("清明节", qingming, (qingming,), 2, 3, 7),
            ("劳动节", date(y, 5, 1), may_days, 2, 5, 12),
            ("端午节", dragon, (dragon,), 2, 3, 7),
            ("中秋节", autumn, (autumn,), 2, 3, 8),
            ("国庆节", date(y, 10, 1), (date(y, 10, 1), date(y, 10, 2), date(y, 10, 3)), 2, 6, 12),
        ])
    return tuple(
        f for f in out
        if f[1] - timedelta(days=f[5]) <= date(year, 12, 31) and f[2][-1] + timedelta(days=f[5]) >= date(year, 1, 1)
    )


@lru_cache(maxsize=64)
def classify(year: int) -> tuple[frozenset[date], frozenset[date], frozenset[date]]:
    """(certain rest days that are weekdays or statutory, uncertain weekdays, uncertain weekends) of ``year``."""
    statutory: set[date] = set()
    rest_window: set[date] = set()
    makeup_window: set[date] = set()
    for _name, first, days, before, after, reach in festivals(year):
        statutory.update(days)
        rest_window.update(_span(first - timedelta(days=before), days[-1] + timedelta(days=after)))
        makeup_window.update(_span(first - timedelta(days=reach), days[-1] + timedelta(days=reach)))
    in_year = {d for d in statutory if d.year == year}
    uncertain_weekdays = {d for d in rest_window if d.year == year and d.weekday() < 5} - in_year
    uncertain_weekends = {d for d in makeup_window if d.year == year and d.weekday() >= 5} - in_year
    return frozenset(in_year), frozenset(uncertain_weekdays), frozenset(uncertain_weekends)


@lru_cache(maxsize=128)
def bound_year(year: int, kind: str) -> YearCalendar:
    """The early (uncertain days work) or late (uncertain days rest) calendar of a missing year."""
    statutory, weekdays, weekends = classify(year)
    if kind == EARLY:
        holidays, workdays = statutory, weekends
    else:
        holidays, workdays = statutory | weekdays, frozenset()
    label = "最早" if kind == EARLY else "最晚"
    return YearCalendar(year, frozenset(holidays), frozenset(workdays), BOUND_SOURCE.format(kind=label), STATUS_BOUND)
