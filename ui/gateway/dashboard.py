"""工作台: open cases by stage, deadlines due soon or overdue, reviews and 公示 due, the outbox."""

from __future__ import annotations

from datetime import date

from lishui_desk.services import queries
from lishui_desk.storage.profile import Profile
from ui.gateway.uow import reading


def dashboard(profile: Profile, today: date) -> queries.Dashboard:
    with reading(profile, today=today) as uow:
        return queries.dashboard(uow)
