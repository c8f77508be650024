"""备份: one encrypted archive of the whole profile (to a USB stick), the daily rolling local
backup, and how many of those are kept. A backup copies the profile; it changes no data shown."""

from __future__ import annotations

from pathlib import Path
from typing import TypedDict

from lishui_desk.services import backup
from lishui_desk.storage.profile import Profile


class BackupDone(TypedDict):
    path: str
    size: int
    files: int


def backup_to(profile: Profile, folder: str) -> BackupDone:
    """One encrypted archive of the whole profile in ``folder``; runs on the worker."""
    info = backup.backup_profile(profile, Path(folder))
    return {"path": str(info.path), "size": info.size, "files": info.members}


def auto_backup(profile: Profile) -> str | None:
    """The daily rolling local backup (at most one a day, newest N kept); the path or None."""
    info = backup.auto_backup(profile)
    return str(info.path) if info else None


def backup_keep(profile: Profile) -> int:
    return int(profile.meta("backup_keep") or backup.KEEP_DEFAULT)


def set_backup_keep(profile: Profile, keep: int) -> int:
    profile.set_meta("backup_keep", str(int(keep)))
    return int(keep)
