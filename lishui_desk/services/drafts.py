"""Unsaved forms kept inside the encrypted database across auto-lock (DESIGN.md §6)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from lishui_desk.models import Draft, utcnow_iso
from lishui_desk.unit_of_work import UnitOfWork


def save_drafts(uow: UnitOfWork, drafts: dict[str, dict[str, Any]]) -> int:
    """Store (or replace) each draft by key in the caller's unit of work."""
    uow.require_write()
    for key, payload in drafts.items():
        uow.session.merge(Draft(key=key, payload=payload, updated_at=utcnow_iso()))
    return len(drafts)


def take_drafts(uow: UnitOfWork) -> dict[str, dict[str, Any]]:
    """Load every draft and delete it: a restored form owns its content again."""
    uow.require_write()
    rows = list(uow.session.scalars(select(Draft)))
    out = {r.key: dict(r.payload) for r in rows}
    for r in rows:
        uow.session.delete(r)
    return out
