"""Unsaved forms kept inside the encrypted database across auto-lock (DESIGN.md §6)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from lishui_desk.models import Draft, utcnow_iso
from lishui_desk.storage.profile import Profile


def save_drafts(profile: Profile, drafts: dict[str, dict[str, Any]]) -> int:
    """Store (or replace) each draft by key in one unit of work."""
    with profile.session() as s:
        for key, payload in drafts.items():
            s.merge(Draft(key=key, payload=payload, updated_at=utcnow_iso()))
    return len(drafts)


def take_drafts(profile: Profile) -> dict[str, dict[str, Any]]:
    """Load every draft and delete it: a restored form owns its content again."""
    with profile.session() as s:
        rows = list(s.scalars(select(Draft)))
        out = {r.key: dict(r.payload) for r in rows}
        for r in rows:
            s.delete(r)
    return out
