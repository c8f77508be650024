"""执法人员 roster of the profile's township: list, add, retire (never deleted: the record cites them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from lishui_desk.errors import NotFound
from lishui_desk.models import Officer
from lishui_desk.services.setup import OfficerSpec, add_officer
from lishui_desk.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class OfficerRow:
    id: str
    name: str
    cert_no: str | None
    cert_valid_until: date | None
    role: str
    legal_qualification: bool
    active: bool
    reviewer_since: date | None = None  # first took up 法制审核 (《行政处罚法》第五十八条第二款)


def _row(o: Officer) -> OfficerRow:
    return OfficerRow(o.id, o.name, o.cert_no, o.cert_valid_until, o.role, o.legal_qualification, o.active,
                      o.reviewer_since)


def list_officers(uow: UnitOfWork, *, include_inactive: bool = False) -> list[OfficerRow]:
    stmt = select(Officer).order_by(Officer.role, Officer.name)
    if not include_inactive:
        stmt = stmt.where(Officer.active.is_(True))
    return [_row(o) for o in uow.session.scalars(stmt)]


def create_officer(uow: UnitOfWork, spec: OfficerSpec) -> OfficerRow:
    uow.require_write()
    return _row(add_officer(uow.session, uow.township_code, spec))


def retire_officer(uow: UnitOfWork, officer_id: str) -> OfficerRow:
    uow.require_write()
    o = uow.session.get(Officer, officer_id)
    if o is None:
        raise NotFound(f"找不到执法人员 {officer_id}")
    o.active = False
    uow.session.flush()
    return _row(o)
