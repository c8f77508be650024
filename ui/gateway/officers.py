"""执法人员名册: the active officers (the step forms' choices), add a colleague, retire one."""

from __future__ import annotations

from datetime import date
from typing import TypedDict

from lishui_desk.services import officers
from lishui_desk.services.setup import OfficerSpec
from lishui_desk.storage.profile import Profile
from ui.gateway.changes import Changed, OpChanges
from ui.gateway.uow import reading, writing


class Officer(TypedDict):
    id: str
    name: str
    cert_no: str | None
    role: str
    cert_valid_until: date | None
    legal_qualification: bool
    reviewer_since: date | None
    active: bool


class NewOfficer(TypedDict, total=False):
    name: str
    cert_no: str
    cert_valid_until: date | None
    role: str
    legal_qualification: bool
    reviewer_since: date | None


ROSTER = OpChanges(officers=True)


def as_officer(o: officers.OfficerRow) -> Officer:
    return {"id": o.id, "name": o.name, "cert_no": o.cert_no, "role": o.role,
            "cert_valid_until": o.cert_valid_until, "legal_qualification": bool(o.legal_qualification),
            "reviewer_since": o.reviewer_since, "active": bool(o.active)}


def list_officers(profile: Profile, include_inactive: bool = False) -> list[Officer]:
    """Active officers (the step forms' choices), or everyone for the roster view."""
    with reading(profile) as uow:
        return [as_officer(o) for o in officers.list_officers(uow, include_inactive=include_inactive)]


def create_officer(profile: Profile, officer: NewOfficer) -> Changed[Officer]:
    spec = OfficerSpec(officer["name"], officer["cert_no"], officer.get("cert_valid_until"),
                       role=officer.get("role") or "officer",
                       legal_qualification=bool(officer.get("legal_qualification")),
                       reviewer_since=officer.get("reviewer_since"))
    with writing(profile) as uow:
        return Changed(as_officer(officers.create_officer(uow, spec)), ROSTER)


def retire_officer(profile: Profile, officer_id: str) -> Changed[Officer]:
    with writing(profile) as uow:
        return Changed(as_officer(officers.retire_officer(uow, officer_id)), ROSTER)
