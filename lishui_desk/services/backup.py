"""Backup of a profile for the CLI and the GUI (see ``storage.backup``; restore, which opens its own
units of work on the staging copy, is an edge operation in ``lishui_desk.restore``)."""

from __future__ import annotations

from pathlib import Path

from lishui_desk.storage import backup as store
from lishui_desk.storage.backup import BackupInfo, Progress
from lishui_desk.storage.profile import Profile

__all__ = ["BackupInfo", "auto_backup", "backup_profile"]

KEEP_DEFAULT = 7


def backup_profile(profile: Profile, out_dir: Path, *, progress: Progress | None = None) -> BackupInfo:
    return store.create_backup(profile, Path(out_dir), progress=progress)


def auto_backup(profile: Profile, out_dir: Path | None = None) -> BackupInfo | None:
    """Daily rolling backup into ``<root>/backups/<profile>`` (or ``out_dir``), keeping the newest
    N (profile setting ``backup_keep``, default 7)."""
    directory = Path(out_dir) if out_dir else profile.paths.root.parent.parent / "backups" / profile.profile_id
    keep = int(profile.meta("backup_keep") or KEEP_DEFAULT)
    return store.backup_if_due(profile, directory, keep=keep)


