"""The app's working date as a ``QDate``: widgets never read Qt's own clock, so a pinned
``LISHUI_DESK_TODAY`` (training, demos, the test suite) holds in every date editor."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate

from lishui_desk.timeutil import today_local


def working_qdate() -> QDate:
    d = today_local()
    return QDate(d.year, d.month, d.day)


def as_date(q: QDate) -> date:
    """A valid ``QDate`` as a ``datetime.date`` (what ``QDate.toPython()`` returns, typed)."""
    return date(q.year(), q.month(), q.day())
