"""Edge helpers: where a unit of work is opened for a caller that is not a GUI op or CLI command
(tests, the demo command, scripts), and profile creation.

``CaseDesk(profile)`` offers the case services with one unit of work per call — the same thing the
GUI's ops do — so a caller that acts step by step does not hold a transaction open between steps.
Services themselves never open a unit of work.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

from lishui_desk.crypto.keyring import KdfParams
from lishui_desk.events import EventRecord
from lishui_desk.services import cases
from lishui_desk.services.setup import OfficerSpec, check_new_profile, seed_profile
from lishui_desk.storage.profile import Profile, counts, create_empty_profile
from lishui_desk.timeutil import today_local
from lishui_desk.unit_of_work import UnitOfWork, unit_of_work

T = TypeVar("T")


def run(profile: Profile, fn: Callable[..., T], *args: Any, write: bool = True, today: date | None = None,
        actor_id: str | None = None, **kwargs: Any) -> T:
    """``fn(uow, *args, **kwargs)`` in a unit of work of its own."""
    with unit_of_work(profile, write=write, today=today, actor_id=actor_id) as uow:
        return fn(uow, *args, **kwargs)


def read(profile: Profile, fn: Callable[..., T], *args: Any, today: date | None = None, **kwargs: Any) -> T:
    return run(profile, fn, *args, write=False, today=today, **kwargs)


class CaseDesk:
    """The case services bound to a profile, one unit of work per call (an edge, like a GUI op)."""

    def __init__(self, profile: Profile, *, today: Callable[[], date] | None = None) -> None:
        self.profile = profile
        self._today = today or today_local
        self.township_code = profile.township_code
        self.default_actor = profile.officer_id

    def today(self) -> date:
        return self._today()

    def uow(self, *, write: bool = True, actor_id: str | None = None):
        return unit_of_work(self.profile, write=write, today=self.today(), actor_id=actor_id)

    def register_lead(self, payload: dict[str, Any], *, actor_id: str | None = None, place: str | None = None,
                      occurred_at: datetime | None = None) -> str:
        with self.uow(actor_id=actor_id) as uow:
            return cases.register_lead(uow, payload, place=place, occurred_at=occurred_at)

    def check(self, case_id: str, action: str, payload: dict[str, Any]) -> list:
        with self.uow(write=False) as uow:
            return cases.check(uow, case_id, action, payload)

    def perform(self, case_id: str, action: str, payload: dict[str, Any], *, actor_id: str | None = None,
                place: str | None = None, occurred_at: datetime | None = None) -> list[EventRecord]:
        with self.uow(actor_id=actor_id) as uow:
            return cases.perform(uow, case_id, action, payload, place=place, occurred_at=occurred_at)

    def add_evidence_file(self, case_id: str, path: Path | str, kind: str, description: str, *,
                          actor_id: str | None = None, place: str | None = None,
                          captured_at: datetime | None = None) -> str:
        with self.uow(actor_id=actor_id) as uow:
            return cases.add_evidence_file(uow, case_id, path, kind, description, place=place,
                                           captured_at=captured_at)

    def export_evidence(self, evidence_id: str, dest: Path | str) -> Path:
        with self.uow(write=False) as uow:
            return cases.export_evidence(uow, evidence_id, dest)

    def view(self, case_id: str) -> cases.CaseView:
        with self.uow(write=False) as uow:
            return cases.view(uow, case_id)

    def rebuild_projection(self, case_id: str) -> None:
        with self.uow() as uow:
            cases.rebuild_projection(uow, case_id)

    @staticmethod
    def actions() -> dict:
        return cases.actions()


def create_profile(
    profile_id: str,
    passphrase: str,
    *,
    root: Path | None = None,
    township_code: str,
    officer: OfficerSpec,
    recovery_public_key: bytes | None = None,
    kdf_params: KdfParams | None = None,
) -> Profile:
    """A new profile for ``officer`` in ``township_code``, seeded with the bundled reference data
    (policy, calendar, the township's catalog) through ``reference.apply_batch``."""
    check_new_profile(township_code)
    prof = create_empty_profile(profile_id, passphrase, root=root, recovery_public_key=recovery_public_key,
                                kdf_params=kdf_params)
    try:
        with unit_of_work(prof, actor_id="-") as uow:
            seed_profile(uow, township_code, officer)
    except BaseException:
        prof.close()
        shutil.rmtree(prof.paths.root, ignore_errors=True)
        raise
    prof._meta_cache.clear()
    prof.meta("township_code")  # prime the meta cache outside any unit of work
    return prof


def build_demo(profile_id: str, passphrase: str, *, root: Path | None = None, today: date | None = None,
               kdf_params: KdfParams | None = None) -> dict[str, int | str]:
    """``lishui-desk demo``: a demo profile (see ``services.demo``), built in one unit of work."""
    from lishui_desk.services import demo

    today = today or demo.demo_date(today_local())
    prof = create_profile(profile_id, passphrase, root=root, township_code=demo.TOWN,
                          officer=OfficerSpec("王建", "ZJ-3311-0001", date(today.year + 3, 12, 31)),
                          kdf_params=kdf_params)
    try:
        with unit_of_work(prof, today=today) as uow:
            demo.populate(uow)
        c = counts(prof)
    finally:
        prof.close()
    return {"townships": c["townships"], "items": c["items"], "cases": c["cases"], "events": c["events"],
            "officers": c["officers"], "demo_date": today.isoformat()}


__all__ = ["CaseDesk", "UnitOfWork", "build_demo", "create_profile", "read", "run", "unit_of_work"]
