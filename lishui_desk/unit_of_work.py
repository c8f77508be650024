"""The unit of work: one transaction of one action, opened by the edge that serves it.

The edge (a GUI op, a CLI command, the sync worker, a test) opens a ``UnitOfWork`` with
``unit_of_work(profile, ...)`` and passes it as the first argument to every application service
(``lishui_desk.services.*``, ``forms.service``). Services never open a session themselves (a test
walks their sources). The block commits when it ends normally and rolls back on any exception;
a writing unit starts with ``BEGIN IMMEDIATE`` so a second writer waits instead of failing later.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy.orm import Session

from lishui_desk.errors import DeskError
from lishui_desk.storage.profile import Profile
from lishui_desk.timeutil import now_local, today_local


@dataclass
class UnitOfWork:
    """What a service needs to act: the open transaction, the profile (paths, evidence store,
    meta), the working date, a clock and the acting officer."""

    session: Session
    profile: Profile
    today: date
    now: Callable[[], datetime] = field(default=now_local)
    actor_id: str = ""
    writable: bool = True

    @property
    def township_code(self) -> str:
        return self.profile.township_code

    def require_write(self) -> None:
        if not self.writable:
            raise DeskError("内部错误：只读事务中不能写入")


@contextmanager
def unit_of_work(
    profile: Profile,
    *,
    write: bool = True,
    today: date | None = None,
    now: Callable[[], datetime] | None = None,
    actor_id: str | None = None,
) -> Iterator[UnitOfWork]:
    """Open one unit of work on ``profile``: committed on success, rolled back on error.

    ``today`` defaults to ``timeutil.today_local()`` (which honours ``LISHUI_DESK_TODAY``),
    ``now`` to ``timeutil.now_local``, ``actor_id`` to the profile's own officer.
    """
    actor = actor_id or profile.meta("officer_id") or ""  # read before the transaction (meta cache)
    opener = profile.session if write else profile.read_session
    with opener() as s:
        yield UnitOfWork(s, profile, today or today_local(), now or now_local, actor, write)
