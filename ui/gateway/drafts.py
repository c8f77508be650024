"""Unsaved forms kept across auto-lock (saved before the lock, restored after the unlock)."""

from __future__ import annotations

from typing import Any

from lishui_desk.services import drafts
from lishui_desk.storage.profile import Profile
from ui.gateway.changes import Changed, OpChanges
from ui.gateway.uow import writing

Drafts = dict[str, dict[str, Any]]


def save(profile: Profile, forms: Drafts) -> Changed[int]:
    with writing(profile) as uow:
        return Changed(drafts.save_drafts(uow, forms), OpChanges(drafts=True))


def take(profile: Profile) -> Changed[Drafts]:
    """Load every draft and delete it (a restored form owns its content again)."""
    with writing(profile) as uow:
        return Changed(drafts.take_drafts(uow), OpChanges(drafts=True))
