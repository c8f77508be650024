"""Working-day calendar: package data, county overrides, gap errors."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from lishui_desk.errors import InvalidInput
from lishui_desk.workcal import CALENDAR_DIR, CalendarGap, WorkdayCalendar


@pytest.fixture(scope="module")
def cal() -> WorkdayCalendar:
    return WorkdayCalendar.default()


# A fictitious year used only to exercise overrides (not a real holiday schedule).
OVERRIDE_2031 = {
    "year": 2031,
    "holidays": ["2031-01-01", "2031-01-02", "2031-01-03"],
    "workdays": ["2031-01-04"],
    "source": "测试用县级通知",
    "status": "县级下发",
}


def test_national_day_2025_and_its_makeup_days(cal: WorkdayCalendar) -> None:
    assert cal.is_holiday(date(2025, 10, 1))
    assert cal.is_holiday(date(2025, 10, 8))  # Wednesday inside the 国庆/中秋 block
    assert cal.is_workday(date(2025, 9, 28))  # Sunday 调休 workday
    assert cal.is_workday(date(2025, 10, 11))  # Saturday 调休 workday
    assert cal.is_workday(date(2025, 10, 9))


def test_ordinary_weekend_is_rest_and_weekday_is_work(cal: WorkdayCalendar) -> None:
    assert cal.is_holiday(date(2026, 3, 8))  # Sunday
    assert cal.is_workday(date(2026, 3, 9))  # Monday


def test_spring_festival_2026(cal: WorkdayCalendar) -> None:
    assert cal.is_workday(date(2026, 2, 14))  # Saturday 调休 workday
    assert all(cal.is_holiday(date(2026, 2, d)) for d in range(15, 24))
    assert cal.is_workday(date(2026, 2, 24))


def test_default_covers_package_years_only(cal: WorkdayCalendar) -> None:
    assert cal.covers(date(2026, 12, 31))
    assert not cal.covers(date(2027, 1, 1))
    assert cal.known_range() == (date(2004, 1, 1), date(2026, 12, 31))


def test_date_outside_calendar_raises_gap_naming_the_date(cal: WorkdayCalendar) -> None:
    with pytest.raises(CalendarGap) as exc:
        cal.is_workday(date(2028, 5, 2))
    err = exc.value
    assert isinstance(err, InvalidInput)
    assert err.code == "calendar_gap"
    assert "2028-05-02" in err.message
    assert "同步" in err.message
    assert err.date == date(2028, 5, 2)


def test_shipped_2027_file_is_a_placeholder_and_does_not_guess() -> None:
    data = json.loads((CALENDAR_DIR / "cn_2027.json").read_text(encoding="utf-8"))
    assert data["status"] == ""
    assert data["holidays"] == []
    with pytest.raises(CalendarGap):
        WorkdayCalendar.default().is_workday(date(2027, 3, 1))


def test_with_override_adds_a_year_and_keeps_the_original_unchanged(cal: WorkdayCalendar) -> None:
    extended = cal.with_override(OVERRIDE_2031)
    assert extended.is_holiday(date(2031, 1, 2))  # Thursday declared a holiday
    assert extended.is_workday(date(2031, 1, 4))  # Saturday make-up day
    assert extended.is_holiday(date(2031, 1, 5))  # ordinary Sunday
    assert extended.year_info(2031).status == "县级下发"
    assert not cal.covers(date(2031, 1, 2))
    with pytest.raises(CalendarGap):
        extended.is_workday(date(2028, 1, 3))  # the gap years stay gaps


def test_override_replaces_a_package_year(cal: WorkdayCalendar) -> None:
    corrected = cal.with_override(
        {"year": 2026, "holidays": ["2026-03-10"], "workdays": [], "source": "测试", "status": "预置待确认"}
    )
    assert corrected.is_holiday(date(2026, 3, 10))
    assert corrected.is_workday(date(2026, 2, 16))  # the package's Spring Festival no longer applies
    assert corrected.unconfirmed_years() == (2026,)


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"status": ""}, "status"),
        ({"status": "猜测"}, "status"),
        ({"source": " "}, "source"),
        ({"year": "2031"}, "year"),
        ({"holidays": ["2031-13-01"]}, "2031-13-01"),
        ({"holidays": ["2030-12-31"]}, "不属于 2031 年"),
        ({"workdays": ["2031-01-06"]}, "不是周六或周日"),
        ({"workdays": ["2031-01-04"], "holidays": ["2031-01-04"]}, "同时"),
        ({"extra": 1}, "extra"),
    ],
)
def test_bad_override_is_rejected_with_reason(cal: WorkdayCalendar, change: dict, fragment: str) -> None:
    with pytest.raises(InvalidInput) as exc:
        cal.with_override({**OVERRIDE_2031, **change})
    assert fragment in exc.value.message


def test_default_loads_county_files_and_skips_placeholders(tmp_path: Path) -> None:
    (tmp_path / "cn_2031.json").write_text(json.dumps(OVERRIDE_2031), encoding="utf-8")
    (tmp_path / "cn_2032.json").write_text(
        json.dumps({"year": 2032, "holidays": [], "workdays": [], "source": "", "status": ""}), encoding="utf-8"
    )
    cal = WorkdayCalendar.default(tmp_path)
    assert cal.is_holiday(date(2031, 1, 3))
    assert not cal.covers(date(2032, 6, 1))


def test_broken_county_file_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "cn_2031.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(InvalidInput) as exc:
        WorkdayCalendar.default(tmp_path)
    assert "cn_2031.json" in exc.value.message


def test_next_workday_skips_the_national_day_block(cal: WorkdayCalendar) -> None:
    assert cal.next_workday(date(2025, 10, 1)) == date(2025, 10, 9)
    assert cal.next_workday(date(2025, 10, 9)) == date(2025, 10, 9)
