"""Local time for a Zhejiang township: China Standard Time (UTC+8, no daylight saving)."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, timedelta, timezone

CST = timezone(timedelta(hours=8), "CST")


def now_local() -> datetime:
    """The real wall clock in China Standard Time (timestamps of the record, file stamps)."""
    return datetime.now(CST)


def now_utc() -> datetime:
    """The real wall clock in UTC (``recorded_at`` of events and rows)."""
    return datetime.now(UTC)


TODAY_ENV = "LISHUI_DESK_TODAY"


def today_local() -> date:
    """The working date. ``LISHUI_DESK_TODAY=YYYY-MM-DD`` fixes it (reproducible demos, training and
    the test suite, whose demo cases and deadlines are dated relative to it); otherwise the clock."""
    fixed = os.environ.get(TODAY_ENV)
    if fixed:
        return date.fromisoformat(fixed)
    return now_local().date()


def parse_iso_date(value: str | date | None) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(value[:10])
