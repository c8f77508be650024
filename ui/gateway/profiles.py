"""Profiles: list, unlock, create (with the township's bundled catalogue), and the 关于 facts."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, TypedDict

import sqlalchemy

import lishui_desk
from lishui_desk import catalog_data, edge, paths
from lishui_desk.crypto.keyring import KdfParams
from lishui_desk.errors import DeskError
from lishui_desk.services.setup import OfficerSpec
from lishui_desk.storage.migrate import current_revision
from lishui_desk.storage.profile import Profile, counts, open_profile
from ui.text import tr


class NewOfficer(TypedDict, total=False):
    name: str
    cert_no: str
    cert_valid_until: date | None


def list_profiles(root: Path | None) -> list[str]:
    return paths.list_profiles(root)


def unlock(profile_id: str, passphrase: str, root: Path | None) -> Profile:
    return open_profile(profile_id, passphrase, root=root)


def create_profile(profile_id: str, passphrase: str, root: Path | None, township_code: str, officer: NewOfficer,
                   recovery_key_file: str | None, kdf_params: KdfParams | None = None) -> Profile:
    recovery = _read_recovery_key(recovery_key_file) if recovery_key_file else None
    spec = OfficerSpec(officer["name"], officer["cert_no"], officer.get("cert_valid_until"))
    return edge.create_profile(profile_id, passphrase, root=root, township_code=township_code, officer=spec,
                               recovery_public_key=recovery, kdf_params=kdf_params)


def _read_recovery_key(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise DeskError(tr("无法读取县级恢复公钥文件 {0}：{1}").format(path, exc.strerror)) from None


def pilot_townships() -> list[tuple[str, str]]:
    """(code, display name) of the townships with a bundled seed catalogue."""
    out = []
    for code in catalog_data.available_catalogs():
        try:
            t = catalog_data.township_info(code)
            out.append((code, f"{t.county_name}{t.name}"))
        except DeskError:
            out.append((code, code))
    return out


def about(profile: Profile | None) -> dict[str, Any]:
    out: dict[str, Any] = {"app": getattr(lishui_desk, "__version__", "0.1.0"), "sqlalchemy": sqlalchemy.__version__}
    if profile is not None:
        out["schema"] = current_revision(profile.engine)
        out["counts"] = counts(profile)
        out["catalog"] = profile.meta("catalog_version")
        out["township"] = profile.meta("township_code")
        out["data_dir"] = str(profile.paths.root)
    return out
