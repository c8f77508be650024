"""Where the gateway opens its unit of work: one per GUI op (``reading`` for a read, ``writing``
for a write), on the edge helper :func:`lishui_desk.edge.unit_of_work`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from lishui_desk.edge import UnitOfWork, unit_of_work
from lishui_desk.storage.profile import Profile


@contextmanager
def reading(profile: Profile, *, today: date | None = None) -> Iterator[UnitOfWork]:
    """One read-only unit of work (one snapshot) as of ``today`` (default: the working date)."""
    with unit_of_work(profile, write=False, today=today) as uow:
        yield uow


@contextmanager
def writing(profile: Profile) -> Iterator[UnitOfWork]:
    """One writing unit of work: committed when the block ends, rolled back on any error."""
    with unit_of_work(profile) as uow:
        yield uow
