"""A profile (officer × township): encrypted database, keyring, evidence store.

``create_profile`` makes the keyring (data key wrapped by the passphrase and, when given, by the
county recovery key), the encrypted database at the current schema, and the reference data.
``open_profile`` unwraps the data key (wrong passphrase → ``WrongPassphrase`` with a growing
delay that survives restarts) before SQLCipher is touched, then migrates with a backup.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from lishui_desk.crypto import keyring as keyring_mod
from lishui_desk.crypto.lockout import Lockout
from lishui_desk.errors import DeskError, InvalidInput, WrongPassphrase
from lishui_desk.evidence_store import EvidenceStore
from lishui_desk.models import ProfileMeta
from lishui_desk.paths import ProfilePaths, data_root, profile_paths
from lishui_desk.storage import migrate
from lishui_desk.storage.engine import make_engine


@dataclass
class Profile:
    """An unlocked profile. ``close()`` drops the engine and the key reference (auto-lock)."""

    profile_id: str
    paths: ProfilePaths
    engine: Engine
    data_key: bytes = field(repr=False)
    evidence: EvidenceStore = field(repr=False)
    _factory: sessionmaker[Session] = field(init=False, repr=False)
    _read_factory: sessionmaker[Session] = field(init=False, repr=False)
    _meta_cache: dict[str, str] = field(init=False, repr=False, default_factory=dict)

    def __post_init__(self) -> None:
        self._factory = sessionmaker(self.engine, expire_on_commit=False)
        self._read_factory = sessionmaker(
            self.engine.execution_options(lishui_readonly=True), expire_on_commit=False
        )

    @property
    def closed(self) -> bool:
        return not self.data_key

    def _check_open(self) -> None:
        if self.closed:
            raise DeskError("档案已锁定，请先解锁")

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work: committed when the block ends normally, rolled back otherwise."""
        self._check_open()
        with self._factory() as s, s.begin():
            yield s

    @contextmanager
    def read_session(self) -> Iterator[Session]:
        self._check_open()
        with self._read_factory() as s, s.begin():
            yield s

    def meta(self, key: str, default: str | None = None) -> str | None:
        """Profile facts, cached: safe to call inside another unit of work on this thread."""
        if key not in self._meta_cache:
            with self.read_session() as s:
                self._meta_cache.update({r.key: r.value for r in s.query(ProfileMeta)})
        return self._meta_cache.get(key, default)

    def set_meta(self, key: str, value: str) -> None:
        with self.session() as s:
            s.merge(ProfileMeta(key=key, value=value))
        self._meta_cache[key] = value

    @property
    def township_code(self) -> str:
        code = self.meta("township_code")
        if not code:
            raise DeskError("档案缺少乡镇信息")
        return code

    @property
    def officer_id(self) -> str:
        oid = self.meta("officer_id")
        if not oid:
            raise DeskError("档案缺少执法人员信息")
        return oid

    def close(self) -> None:
        """Lock: no further unit of work can start, pooled connections are closed, and the
        profile drops its references to the key (Python cannot wipe the bytes themselves)."""
        self.data_key = b""
        self.engine.dispose()
        self.evidence = None  # type: ignore[assignment]


def _open_engine(paths: ProfilePaths, data_key: bytes) -> Engine:
    engine = make_engine(paths.db, data_key)
    try:
        migrate.upgrade(engine, paths.db, paths.backups)
    except BaseException:
        engine.dispose()
        raise
    return engine


def _ensure_reference(prof: Profile) -> None:
    """Bundled policy and calendar through the one way in (``reference.apply_batch``), for a new
    profile and for a profile made before reference data lived in the database."""
    from lishui_desk.services import reference
    from lishui_desk.unit_of_work import unit_of_work

    with prof.read_session() as s:
        if not reference.needs_seed(s):
            return
    with unit_of_work(prof, actor_id="-") as uow:
        reference.seed_bundled(uow)


def profile_exists(profile_id: str, root: Path | None = None) -> bool:
    return profile_paths(profile_id, root or data_root()).keyring.exists()


def create_empty_profile(
    profile_id: str,
    passphrase: str,
    *,
    root: Path | None = None,
    recovery_public_key: bytes | None = None,
    kdf_params: keyring_mod.KdfParams | None = None,
) -> Profile:
    """Keyring + encrypted DB at the current schema with the bundled policy and calendar; no
    township, catalog or officer yet."""
    paths = profile_paths(profile_id, root or data_root())
    if paths.keyring.exists() or paths.db.exists():
        raise InvalidInput(f"档案“{profile_id}”已存在（{paths.root}），不会覆盖")
    paths.root.mkdir(parents=True, exist_ok=True)
    try:
        data_key = keyring_mod.create_keyring(
            paths.keyring, passphrase, recovery_public_key, kdf_params=kdf_params
        )
        engine = _open_engine(paths, data_key)
        prof = Profile(profile_id, paths, engine, data_key, EvidenceStore(paths.evidence, data_key))
        _ensure_reference(prof)
    except BaseException:
        shutil.rmtree(paths.root, ignore_errors=True)
        raise
    return prof


def open_with_key(profile_id: str, data_key: bytes, *, root: Path | None = None) -> Profile:
    paths = profile_paths(profile_id, root or data_root())
    engine = _open_engine(paths, data_key)
    prof = Profile(profile_id, paths, engine, data_key, EvidenceStore(paths.evidence, data_key))
    _ensure_reference(prof)
    prof.meta("township_code")  # prime the meta cache outside any unit of work
    return prof


def unlock_data_key(profile_id: str, passphrase: str, *, root: Path | None = None) -> bytes:
    """Unwrap the data key, enforcing the growing wrong-passphrase delay."""
    paths = profile_paths(profile_id, root or data_root())
    if not paths.keyring.exists():
        raise InvalidInput(f"找不到档案“{profile_id}”（{paths.root}）")
    lock = Lockout(paths.lockout, keyring_mod.lockout_mac_key(paths.keyring))
    lock.check()
    try:
        key = keyring_mod.unlock(paths.keyring, passphrase)
    except WrongPassphrase:
        lock.record_failure()
        raise
    lock.record_success()
    return key


def open_profile(profile_id: str, passphrase: str, *, root: Path | None = None) -> Profile:
    key = unlock_data_key(profile_id, passphrase, root=root)
    return open_with_key(profile_id, key, root=root)


def counts(profile: Profile) -> dict[str, int]:
    from sqlalchemy import func

    from lishui_desk import models as m

    out: dict[str, int] = {}
    with profile.read_session() as s:
        for name, model in (
            ("townships", m.Township),
            ("officers", m.Officer),
            ("catalog_versions", m.CatalogVersion),
            ("items", m.EnforcementItem),
            ("cases", m.Case),
            ("events", m.CaseEvent),
            ("evidence", m.EvidenceItem),
            ("documents", m.IssuedDocument),
            ("outbox_pending", m.OutboxEntry),
        ):
            stmt = select(func.count()).select_from(model)
            if name == "outbox_pending":
                stmt = stmt.where(m.OutboxEntry.state == "pending")
            out[name] = s.scalar(stmt) or 0
    return out
