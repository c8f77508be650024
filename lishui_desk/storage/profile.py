"""A profile (officer × township): encrypted database, keyring, evidence store.

``create_profile`` makes the keyring (data key wrapped by the passphrase and, when given, by the
county recovery key), the encrypted database at the current schema, and the reference data.
``open_profile`` unwraps the data key (wrong passphrase → ``WrongPassphrase`` with a growing
delay that survives restarts) before SQLCipher is touched, then migrates with a backup.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from lishui_desk.crypto import create_private_file, file_lock, private_dir, remove_stale_temp_files
from lishui_desk.crypto import keyring as keyring_mod
from lishui_desk.crypto.lockout import Lockout
from lishui_desk.errors import CorruptFile, DeskError, InvalidInput, WrongPassphrase
from lishui_desk.evidence_store import EvidenceStore
from lishui_desk.models import ProfileMeta
from lishui_desk.paths import ProfilePaths, data_root, profile_paths
from lishui_desk.storage import migrate, seal
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
        info = seal.session_info(self.data_key, self.paths.anchor)
        self._factory = sessionmaker(self.engine, expire_on_commit=False, info=info)
        seal.attach(self._factory)
        self._read_factory = sessionmaker(
            self.engine.execution_options(lishui_readonly=True), expire_on_commit=False, info=info
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
        profile drops every reference to the key — its own, the evidence store's, and the engine
        and session factories (the engine's URL carries the key pragma and could reconnect).
        Python cannot wipe the bytes themselves; they go when nothing refers to them."""
        self.data_key = b""
        engine = self.engine
        self.engine = None  # type: ignore[assignment]
        self._factory = self._read_factory = None  # type: ignore[assignment]
        self.evidence = None  # type: ignore[assignment]
        if engine is not None:
            engine.dispose()


def _open_engine(paths: ProfilePaths, data_key: bytes) -> Engine:
    engine = make_engine(paths.db, data_key)
    try:
        migrate.upgrade(engine, paths.db, paths.backups)
    except BaseException:
        engine.dispose()
        raise
    return engine


def _first_seal(prof: Profile) -> None:
    """A profile written before the record was sealed gets its seals and head once."""
    with prof.read_session() as s:
        if not seal.needs_first_seal(s):
            return
    with prof.session() as s:
        if seal.needs_first_seal(s):
            seal.seal_existing(s)


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
    private_dir(paths.root)
    try:
        data_key = keyring_mod.create_keyring(
            paths.keyring, passphrase, recovery_public_key, kdf_params=kdf_params
        )
        _lockout(paths).record_success()  # the counter exists from the start: deleting it is noticed
        create_private_file(paths.db)  # 0600 from the start; SQLite gives -wal/-shm the same mode
        engine = _open_engine(paths, data_key)
        prof = Profile(profile_id, paths, engine, data_key, EvidenceStore(paths.evidence, data_key))
        _ensure_reference(prof)
        _first_seal(prof)
    except BaseException:
        shutil.rmtree(paths.root, ignore_errors=True)
        raise
    return prof


def clean_leftovers(paths: ProfilePaths) -> tuple[int, int]:
    """Remove temporary files killed writers left (evidence imports, keyring and lockout writes);
    returns (files, bytes). Files a running process is still writing are kept."""
    files = freed = 0
    for directory in (paths.root, paths.evidence, paths.backups):
        n, b = remove_stale_temp_files(directory)
        files, freed = files + n, freed + b
    return files, freed


def open_with_key(profile_id: str, data_key: bytes, *, root: Path | None = None) -> Profile:
    paths = profile_paths(profile_id, root or data_root())
    if not paths.keyring.exists():
        raise InvalidInput(f"找不到档案“{profile_id}”（{paths.root}）")
    if not paths.db.exists():  # never silently start an empty database in its place
        raise CorruptFile(f"档案“{profile_id}”的数据库文件 {paths.db} 缺失。请用备份恢复档案", paths.db)
    clean_leftovers(paths)
    engine = _open_engine(paths, data_key)
    prof = Profile(profile_id, paths, engine, data_key, EvidenceStore(paths.evidence, data_key))
    _first_seal(prof)
    _ensure_reference(prof)
    prof.meta("township_code")  # prime the meta cache outside any unit of work
    return prof


T = TypeVar("T")


def _lockout(paths: ProfilePaths) -> Lockout:
    return Lockout(paths.lockout, keyring_mod.lockout_mac_key(paths.keyring),
                   missing_is_tampered=keyring_mod.lockout_required(paths.keyring))


def _existing(profile_id: str, root: Path | None) -> ProfilePaths:
    paths = profile_paths(profile_id, root or data_root())
    if not paths.keyring.exists():
        raise InvalidInput(f"找不到档案“{profile_id}”（{paths.root}）")
    return paths


def passphrase_attempt(paths: ProfilePaths, attempt: Callable[[], T]) -> T:
    """The one way a passphrase is tried (unlock, passwd, rekey): under a lock between processes,
    check the growing delay, run ``attempt``, count a ``WrongPassphrase`` or reset on success. A
    damaged keyring (``CorruptFile``) is not a wrong passphrase and is not counted."""
    with file_lock(paths.root / "lockout.lock"):
        lock = _lockout(paths)
        lock.check()
        try:
            result = attempt()
        except WrongPassphrase:
            lock.record_failure()
            raise
        lock.record_success()
        # an older keyring gains its checksum and the "counter must exist" flag, now that the
        # counter file has just been written and the passphrase proved the file good
        keyring_mod.upgrade_format(paths.keyring)
        return result


def lockout_wait(profile_id: str, root: Path | None = None) -> float:
    """Seconds before the next passphrase try is accepted (0 when none)."""
    from lishui_desk.errors import LockedOut

    paths = profile_paths(profile_id, root or data_root())
    if not paths.keyring.exists():
        return 0.0
    try:
        with file_lock(paths.root / "lockout.lock"):
            _lockout(paths).check()
    except LockedOut as exc:
        return float(exc.wait_seconds)
    return 0.0


def unlock_data_key(profile_id: str, passphrase: str, *, root: Path | None = None) -> bytes:
    """Unwrap the data key, enforcing the growing wrong-passphrase delay."""
    paths = _existing(profile_id, root)
    return passphrase_attempt(paths, lambda: keyring_mod.unlock(paths.keyring, passphrase))


def change_passphrase(profile_id: str, old: str, new: str, *, root: Path | None = None) -> None:
    """``passwd``: rewrap the data key under a new passphrase, through the lockout."""
    paths = _existing(profile_id, root)
    passphrase_attempt(paths, lambda: keyring_mod.change_passphrase(paths.keyring, old, new))


def reset_with_county_key(profile_id: str, county_pem: bytes, new: str, *, root: Path | None = None,
                          password: bytes | None = None) -> None:
    """County-assisted reset: a new passphrase from the recovery key; clears the lockout."""
    paths = _existing(profile_id, root)
    with file_lock(paths.root / "lockout.lock"):
        keyring_mod.reset_passphrase(paths.keyring, county_pem, new, password=password)
        _lockout(paths).record_success()


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
