"""Encrypted backup and verified restore of a whole profile (备份与恢复).

One archive file holds everything a profile needs: the database (copied with SQLite's online
backup API while the program runs — the copy is itself SQLCipher-encrypted), every evidence file
(already encrypted), ``keyring.json``, ``lockout.json``, the sealed anchor ``record-head.json`` and
a manifest with the SHA-256 of each member. Layout::

    b"LSDBAK1\\n" ‖ u32 header length ‖ header (UTF-8 JSON: format, version, profile, created_at,
    keyring — the keyring itself, so the archive opens with the officer's passphrase —, nonce prefix,
    chunk size) ‖ body

The body is a tar stream cut into 1 MiB chunks, each sealed with AES-256-GCM under a key derived
(HKDF) from the data key, nonce = prefix ‖ chunk index, associated data = SHA-256(header) ‖ index ‖
final flag — so any flipped byte, a truncated or re-ordered archive, or a header from another
archive fails. ``restore`` decrypts into a staging folder next to the profile, verifies every
member hash, every evidence file against the database, and the restored database with the full
integrity check (seals, head, anchor); only then does it swap the folders. The profile being
replaced is kept aside (``.<id>.replaced-<time>``), never deleted.

A restored profile is marked (``profile_meta``: ``restored_from_backup``, ``numbering_hold``) so
that, once sync exists, it re-pulls first and does not reuse document numbers.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import struct
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from lishui_desk.crypto import atomic_writer, fsync_dir, private_dir
from lishui_desk.errors import CorruptFile, InvalidInput, NotFound
from lishui_desk.paths import ProfilePaths
from lishui_desk.timeutil import now_local

MAGIC = b"LSDBAK1\n"
FORMAT = "lishui-desk-backup"
VERSION = 1
CHUNK = 1024 * 1024
SUFFIX = ".lsdbak"
_INFO = b"lishui-desk backup v1"
Progress = Callable[[int, int], None]  # (bytes done, bytes total)


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    profile: str
    created_at: str
    size: int
    members: int


def _key(data_key: bytes, header: bytes) -> AESGCM:
    salt = hashlib.sha256(header).digest()
    return AESGCM(HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=_INFO).derive(data_key))


def _aad(header_digest: bytes, index: int, final: bool) -> bytes:
    return header_digest + struct.pack(">QB", index, 1 if final else 0)


class _SealedWriter(io.RawIOBase):
    """A write-only stream that seals what it is given in chunks."""

    def __init__(self, out: BinaryIO, cipher: AESGCM, prefix: bytes, header_digest: bytes) -> None:
        self.out, self.cipher, self.prefix, self.digest = out, cipher, prefix, header_digest
        self.buf = bytearray()
        self.index = 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.buf += data
        while len(self.buf) > CHUNK:  # keep at least one byte back: the last chunk is sealed as final
            self._emit(bytes(self.buf[:CHUNK]), final=False)
            del self.buf[:CHUNK]
        return len(data)

    def _emit(self, chunk: bytes, *, final: bool) -> None:
        nonce = self.prefix + struct.pack(">I", self.index)
        self.out.write(self.cipher.encrypt(nonce, chunk, _aad(self.digest, self.index, final)))
        self.index += 1

    def finish(self) -> None:
        self._emit(bytes(self.buf), final=True)
        self.buf.clear()


def _read_header(fh: BinaryIO, path: Path) -> tuple[bytes, dict]:
    if fh.read(len(MAGIC)) != MAGIC:
        raise CorruptFile(f"{path.name} 不是丽水执法桌面端的备份文件", path)
    raw_len = fh.read(4)
    if len(raw_len) != 4:
        raise CorruptFile(f"备份文件 {path.name} 不完整（文件头被截断）", path)
    (n,) = struct.unpack(">I", raw_len)
    header = fh.read(n) if n <= 1_000_000 else b""
    try:
        doc = json.loads(header.decode("utf-8"))
        if doc.get("format") != FORMAT or doc.get("version") != VERSION:
            raise ValueError
    except (ValueError, UnicodeDecodeError):
        raise CorruptFile(f"备份文件 {path.name} 的文件头已损坏", path) from None
    return header, doc


def _chunks(fh: BinaryIO, cipher: AESGCM, prefix: bytes, digest: bytes, path: Path) -> Iterator[bytes]:
    block = CHUNK + 16
    current = fh.read(block)
    index = 0
    while True:
        nxt = fh.read(block) if len(current) == block else b""
        final = not nxt
        try:
            yield cipher.decrypt(prefix + struct.pack(">I", index), current, _aad(digest, index, final))
        except InvalidTag:
            raise CorruptFile(f"备份文件 {path.name} 第 {index + 1} 块校验失败（被改动、截断或损坏）", path) from None
        if final:
            return
        current, index = nxt, index + 1


class _ChunkReader(io.RawIOBase):
    def __init__(self, chunks: Iterator[bytes]) -> None:
        self.chunks, self.buf = chunks, b""

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        while not self.buf:
            try:
                self.buf = next(self.chunks)
            except StopIteration:
                return 0
        n = min(len(b), len(self.buf))
        b[:n] = self.buf[:n]
        self.buf = self.buf[n:]
        return n


# --- backup ----------------------------------------------------------------------------------


def _online_copy(profile, target: Path) -> None:
    """The database through SQLite's backup API (consistent while others write), encrypted with
    the same data key."""
    import sqlcipher3

    from lishui_desk.storage.engine import CIPHER_COMPATIBILITY, raw_key_pragma_value

    dst = sqlcipher3.connect(str(target))
    try:
        dst.execute(f'PRAGMA key = "{raw_key_pragma_value(profile.data_key)}"')
        dst.execute(f"PRAGMA cipher_compatibility = {CIPHER_COMPATIBILITY}")
        src = profile.engine.raw_connection()
        try:
            src.driver_connection.backup(dst)
        finally:
            src.close()
    finally:
        dst.close()


def _add_file(tar: tarfile.TarFile, path: Path, name: str, manifest: dict[str, str], progress) -> None:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(CHUNK), b""):
            digest.update(block)
    manifest[name] = digest.hexdigest()
    info = tar.gettarinfo(str(path), arcname=name)
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    info.mode = 0o600
    with path.open("rb") as fh:
        tar.addfile(info, fh)
    progress(info.size)


def create_backup(profile, out_dir: Path, *, progress: Progress | None = None) -> BackupInfo:
    """Write one encrypted archive of ``profile`` into ``out_dir``; returns what was written."""
    paths: ProfilePaths = profile.paths
    private_dir(out_dir)
    stamp = now_local().strftime("%Y%m%d-%H%M%S")
    target = out_dir / f"{profile.profile_id}-{stamp}{SUFFIX}"
    if target.exists():
        raise InvalidInput(f"{target} 已存在，不会覆盖")
    keyring_text = paths.keyring.read_text("utf-8")
    header = json.dumps({"format": FORMAT, "version": VERSION, "profile": profile.profile_id,
                         "created_at": now_local().isoformat(timespec="seconds"), "keyring": keyring_text,
                         "nonce_prefix": os.urandom(8).hex(), "chunk": CHUNK},
                        ensure_ascii=False, sort_keys=True).encode("utf-8")
    doc = json.loads(header)
    with tempfile.TemporaryDirectory(prefix=".backup-", dir=paths.root) as tmp:
        files = []
        for p in (paths.keyring, paths.lockout, paths.anchor, paths.hub_receipts):  # anchors before the database:
            if p.exists():  # a database copy taken later is never older than it
                shutil.copy2(p, Path(tmp) / p.name)
                files.append((Path(tmp) / p.name, p.name))
        db_copy = Path(tmp) / "desk.db"
        _online_copy(profile, db_copy)
        files.insert(0, (db_copy, "desk.db"))
        # listed after the copy: every file the copied database names was written before its row
        files += [(profile.evidence.path_of(b), f"evidence/{b}.lsev") for b in profile.evidence.list_ids()]
        total = sum(p.stat().st_size for p, _ in files)
        done = 0

        def step(n: int) -> None:
            nonlocal done
            done += n
            if progress:
                progress(done, total)

        manifest: dict[str, str] = {}
        with atomic_writer(target) as out:
            out.write(MAGIC + struct.pack(">I", len(header)) + header)
            sealed = _SealedWriter(out, _key(profile.data_key, header), bytes.fromhex(doc["nonce_prefix"]),
                                   hashlib.sha256(header).digest())
            with tarfile.open(fileobj=sealed, mode="w|", format=tarfile.PAX_FORMAT) as tar:
                for path, name in files:
                    _add_file(tar, path, name, manifest, step)
                body = json.dumps({"profile": profile.profile_id, "files": manifest}, sort_keys=True).encode()
                info = tarfile.TarInfo("manifest.json")
                info.size, info.mode = len(body), 0o600
                tar.addfile(info, io.BytesIO(body))
            sealed.finish()
    return BackupInfo(target, profile.profile_id, doc["created_at"], target.stat().st_size, len(files))


def prune(out_dir: Path, profile_id: str, keep: int) -> list[Path]:
    """Keep the newest ``keep`` archives of this profile in ``out_dir``; returns the removed ones."""
    mine = sorted(p for p in out_dir.glob(f"{profile_id}-*{SUFFIX}") if p.is_file())
    gone = mine[:-keep] if keep > 0 else []
    for p in gone:
        p.unlink()
    return gone


def backup_if_due(profile, out_dir: Path, *, keep: int = 7) -> BackupInfo | None:
    """Rolling local backup: one a day (by the clock, not the pinned working date), the newest
    ``keep`` kept."""
    today = now_local().strftime("%Y%m%d")
    if any(out_dir.glob(f"{profile.profile_id}-{today}-*{SUFFIX}")):
        return None
    info = create_backup(profile, out_dir)
    prune(out_dir, profile.profile_id, keep)
    return info


# --- restore ---------------------------------------------------------------------------------


def read_header(path: Path) -> dict:
    try:
        with path.open("rb") as fh:
            return _read_header(fh, path)[1]
    except FileNotFoundError:
        raise NotFound(f"找不到备份文件 {path}") from None


def _safe_name(name: str) -> bool:
    parts = Path(name).parts
    return bool(parts) and not Path(name).is_absolute() and ".." not in parts and len(parts) <= 2


def unpack(path: Path, data_key: bytes, staging: Path) -> dict:
    """Decrypt and unpack into ``staging``; verify each member against the manifest."""
    with path.open("rb") as fh:
        header, doc = _read_header(fh, path)
        cipher = _key(data_key, header)
        reader = io.BufferedReader(_ChunkReader(_chunks(fh, cipher, bytes.fromhex(doc["nonce_prefix"]),
                                                        hashlib.sha256(header).digest(), path)))
        digests: dict[str, str] = {}
        manifest = None
        try:
            with tarfile.open(fileobj=reader, mode="r|") as tar:
                for member in tar:
                    if not member.isfile() or not _safe_name(member.name):
                        raise CorruptFile(f"备份文件 {path.name} 含有不应有的条目", path)
                    src = tar.extractfile(member)
                    assert src is not None
                    if member.name == "manifest.json":
                        manifest = json.loads(src.read().decode("utf-8"))
                        continue
                    dest = staging / member.name
                    private_dir(dest.parent)
                    digest = hashlib.sha256()
                    with dest.open("wb") as out:
                        while block := src.read(CHUNK):
                            digest.update(block)
                            out.write(block)
                        out.flush()
                        os.fsync(out.fileno())
                    digests[member.name] = digest.hexdigest()
        except tarfile.TarError as exc:
            raise CorruptFile(f"备份文件 {path.name} 的内容无法解包（{exc}）", path) from None
    if manifest is None or manifest.get("files") != digests:
        raise CorruptFile(f"备份文件 {path.name} 的文件清单与内容不符", path)
    return doc


def swap_in(paths: ProfilePaths, staging: Path) -> Path | None:
    """Move the verified staging folder into place; the old profile folder is kept aside."""
    aside = None
    if paths.root.exists():
        aside = paths.root.with_name(f".{paths.root.name}.replaced-{now_local().strftime('%Y%m%d-%H%M%S-%f')}")
        os.replace(paths.root, aside)
    os.replace(staging, paths.root)
    fsync_dir(paths.root.parent)
    return aside


def discard(staging: Path) -> None:
    shutil.rmtree(staging, ignore_errors=True)
