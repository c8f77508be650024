"""Where profiles live on disk.

Order of precedence: an explicit ``--data-dir`` argument, the ``LISHUI_DESK_DATA_DIR`` environment
variable, then the platform data directory (``platformdirs``), e.g. ``%LOCALAPPDATA%\\LishuiDesk``
on Windows or ``~/.local/share/lishui-desk`` on Linux.

Layout of one profile (officer × township)::

    <root>/profiles/<profile_id>/desk.db        SQLCipher database (raw 256-bit data key)
    <root>/profiles/<profile_id>/keyring.json   data key wrapped by passphrase and county key
    <root>/profiles/<profile_id>/lockout.json   wrong-passphrase counter (MAC-protected)
    <root>/profiles/<profile_id>/record-head.json  sealed profile head (anchor of the record)
    <root>/profiles/<profile_id>/hub-receipts.json  the county hub's signed receipts of case heads
    <root>/profiles/<profile_id>/evidence/      AES-256-GCM chunked evidence files
    <root>/profiles/<profile_id>/backups/       database copies taken before migrating
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import platformdirs

ENV_DATA_DIR = "LISHUI_DESK_DATA_DIR"
_PROFILE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


def data_root(explicit: str | os.PathLike[str] | None = None) -> Path:
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get(ENV_DATA_DIR)
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir("lishui-desk", "LishuiDesk"))


def check_profile_id(profile_id: str) -> str:
    from lishui_desk.errors import InvalidInput

    if not _PROFILE_ID.match(profile_id):
        raise InvalidInput(f"档案名“{profile_id}”无效：只能使用字母、数字、下划线、点和短横线，最长64位")
    return profile_id


@dataclass(frozen=True)
class ProfilePaths:
    root: Path

    @property
    def db(self) -> Path:
        return self.root / "desk.db"

    @property
    def keyring(self) -> Path:
        return self.root / "keyring.json"

    @property
    def lockout(self) -> Path:
        return self.root / "lockout.json"

    @property
    def anchor(self) -> Path:
        return self.root / "record-head.json"

    @property
    def hub_receipts(self) -> Path:
        return self.root / "hub-receipts.json"

    @property
    def evidence(self) -> Path:
        return self.root / "evidence"

    @property
    def backups(self) -> Path:
        return self.root / "backups"


def profile_paths(profile_id: str, root: Path | None = None) -> ProfilePaths:
    return ProfilePaths((root or data_root()) / "profiles" / check_profile_id(profile_id))


def list_profiles(root: Path | None = None) -> list[str]:
    base = (root or data_root()) / "profiles"
    if not base.is_dir():
        return []
    # hidden folders (a profile kept aside by restore, a restore in progress) are not profiles
    return sorted(p.name for p in base.iterdir() if _PROFILE_ID.match(p.name) and (p / "keyring.json").exists())
