"""Restore of a profile from an encrypted backup (an edge operation: it opens its own units of work
on the staging copy to verify it before anything is replaced). See ``storage.backup``."""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

from lishui_desk.crypto import keyring as keyring_mod
from lishui_desk.crypto import private_dir
from lishui_desk.errors import CorruptFile, IntegrityBroken, InvalidInput
from lishui_desk.evidence_store import EvidenceStore
from lishui_desk.paths import ProfilePaths, check_profile_id, profile_paths
from lishui_desk.storage import backup as store
from lishui_desk.storage.backup import Progress
from lishui_desk.storage.profile import Profile, _open_engine, passphrase_attempt
from lishui_desk.timeutil import now_local

__all__ = ["RestoreResult", "restore_profile"]


@dataclass(frozen=True)
class RestoreResult:
    profile: str
    created_at: str
    cases: int
    events: int
    replaced: Path | None  # where the profile folder that was replaced was kept


def _keyring_id(text: str) -> str | None:
    try:
        return json.loads(text).get("keyring_id")
    except ValueError:
        return None


def restore_profile(archive: Path, passphrase: str, *, root: Path, profile_id: str | None = None,
                    allow_other_profile: bool = False, progress: Progress | None = None) -> RestoreResult:
    """Verify everything in ``archive`` (the passphrase of the backed-up keyring opens it), then
    replace the profile. Nothing is replaced when any check fails."""
    archive = Path(archive)
    header = store.read_header(archive)
    target = check_profile_id(profile_id or header["profile"])
    paths = profile_paths(target, root)
    if paths.keyring.exists():
        current = _keyring_id(paths.keyring.read_text("utf-8"))
        if current != _keyring_id(header["keyring"]) and not allow_other_profile:
            raise InvalidInput(
                f"备份文件 {archive.name} 属于另一个档案（“{header['profile']}”，密钥不同），不会覆盖档案“{target}”。"
                "确需用它替换现有档案时，请加 --allow-other-profile")
    private_dir(paths.root.parent)
    staging = Path(tempfile.mkdtemp(prefix=f".restore-{target}-", dir=paths.root.parent))
    try:
        kr = staging / "keyring.json"
        kr.write_text(header["keyring"], "utf-8")
        if paths.keyring.exists():  # the lockout of the profile being restored counts the tries
            data_key = passphrase_attempt(paths, lambda: keyring_mod.unlock(kr, passphrase))
        else:
            data_key = keyring_mod.unlock(kr, passphrase)
        if progress:
            progress(0, 1)
        store.unpack(archive, data_key, staging)
        result = _verify_staging(ProfilePaths(staging), target, data_key, header)
        aside = store.swap_in(paths, staging)
    except BaseException:
        store.discard(staging)
        raise
    if progress:
        progress(1, 1)
    return RestoreResult(target, header["created_at"], result[0], result[1], aside)


def _verify_staging(paths: ProfilePaths, target: str, data_key: bytes, header: dict) -> tuple[int, int]:
    from lishui_desk.services.integrity import check_profile
    from lishui_desk.storage.profile import counts

    if not paths.db.exists():
        raise CorruptFile("备份中没有数据库文件", paths.db)
    from lishui_desk.unit_of_work import unit_of_work

    engine = _open_engine(paths, data_key)
    prof = Profile(target, paths, engine, data_key, EvidenceStore(paths.evidence, data_key))
    try:
        with unit_of_work(prof, write=False) as uow:
            report = check_profile(uow)
        if not report.ok:
            lines = "；".join(p.message for p in report.problems[:5])
            raise IntegrityBroken(f"备份文件中的档案未通过完整性检查，未恢复：{lines}")
        c = counts(prof)
        prof.set_meta("restored_from_backup", header["created_at"])
        prof.set_meta("restored_at", now_local().isoformat(timespec="seconds"))
        # until sync confirms which numbers and events the county already has (sync issues)
        prof.set_meta("numbering_hold", "1")
    finally:
        prof.close()
    return c["cases"], c["events"]
