"""执法人员 roster of the profile's township: list, add, retire (never deleted: the record cites them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from lishui_desk.errors import NotFound
from lishui_desk.models import Officer
from lishui_desk.services.setup import OfficerSpec, add_officer
from lishui_desk.storage.profile import Profile


@dataclass(frozen=True)
class OfficerRow:
    id: str
    name: str
    cert_no: str | None
    cert_valid_until: date | None
    role: str
    legal_qualification: bool
    active: bool


def _row(o: Officer) -> OfficerRow:
    return OfficerRow(o.id, o.name, o.cert_no, o.cert_valid_until, o.role, o.legal_qualification, o.active)


def list_officers(profile: Profile, *, include_inactive: bool = False) -> list[OfficerRow]:
    with profile.read_session() as s:
        stmt = select(Officer).order_by(Officer.role, Officer.name)
        if not include_inactive:
            stmt = stmt.where(Officer.active.is_(True))
        return [_row(o) for o in s.scalars(stmt)]


def create_officer(profile: Profile, spec: OfficerSpec) -> OfficerRow:
    township = profile.township_code
    with profile.session() as s:
        return _row(add_officer(s, township, spec))


def retire_officer(profile: Profile, officer_id: str) -> OfficerRow:
    with profile.session() as s:
        o = s.get(Officer, officer_id)
        if o is None:
            raise NotFound(f"找不到执法人员 {officer_id}")
        o.active = False
        s.flush()
        return _row(o)
