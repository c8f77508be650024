"""Key handling of a profile: the data key, its wraps, recovery keys and the wrong-passphrase lockout.

Modules:

- ``keyring``: the random 256-bit data key, stored only wrapped in ``keyring.json`` (by the
  officer's passphrase via Argon2id, and by the county recovery public key via X25519).
- ``recovery``: the county's X25519 recovery key pair, fingerprints for display.
- ``lockout``: a MAC-protected counter of consecutive wrong passphrases with a growing delay.

This package also holds the small file helpers every key/evidence writer shares: writes go to a
temporary file in the same directory, are flushed and ``fsync``-ed, then ``os.replace``-d over the
target, and the directory entry is ``fsync``-ed where the platform allows it, so a crash leaves
either the old or the new file, never a half-written one.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

__all__ = [
    "PRIVATE_UMASK",
    "atomic_write_bytes",
    "atomic_writer",
    "create_private_file",
    "file_lock",
    "fsync_dir",
    "private_dir",
    "remove_stale_temp_files",
]

# Everything a profile holds (names, ID numbers, addresses, evidence) is for the officer's account
# only: the programs set this umask at start, and the core creates its files and folders with
# explicit owner-only modes as well (so a library caller with a lax umask gets the same).
PRIVATE_UMASK = 0o077
TEMP_SUFFIX = ".tmp"


def private_dir(directory: Path | str) -> Path:
    """Create ``directory`` and any missing parents with mode 0700 (from the start, no chmod)."""
    directory = Path(directory)
    missing = []
    p = directory
    while not p.exists():
        missing.append(p)
        p = p.parent
    for d in reversed(missing):
        with contextlib.suppress(FileExistsError):
            d.mkdir(mode=0o700)
    return directory


def create_private_file(path: Path | str) -> None:
    """Create an empty file with mode 0600 unless it exists (SQLite then opens it as a new
    database and gives its -wal and -shm files the same mode)."""
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def _try_lock(fd: int) -> bool:
    if os.name == "nt":  # pragma: no cover - Windows: an open file cannot be deleted anyway
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def remove_stale_temp_files(directory: Path | str) -> tuple[int, int]:
    """Delete the hidden temporary files a killed writer left in ``directory``.

    A live writer holds an exclusive ``flock`` on its temporary file (``atomic_writer``), so a
    file we can lock belongs to a dead process. Returns (files removed, bytes freed).
    """
    directory = Path(directory)
    if not directory.is_dir():
        return 0, 0
    removed = freed = 0
    for p in directory.iterdir():
        if not (p.name.startswith(".") and p.name.endswith(TEMP_SUFFIX) and p.is_file()):
            continue
        try:
            fd = os.open(p, os.O_RDONLY)
        except OSError:
            continue
        try:
            if not _try_lock(fd):
                continue  # still being written by a running process
            size = os.fstat(fd).st_size
            with contextlib.suppress(OSError):
                p.unlink()
                removed += 1
                freed += size
        finally:
            os.close(fd)
    return removed, freed



def fsync_dir(directory: Path) -> None:
    """Make a rename inside ``directory`` durable (no-op on Windows, where it is not possible)."""
    if os.name == "nt":  # pragma: no cover - Windows cannot open a directory for fsync
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_writer(target: Path | str, *, mode: int = 0o600) -> Iterator[BinaryIO]:
    """Yield a binary file that replaces ``target`` atomically when the block ends without error.

    On an exception the temporary file is removed and ``target`` is left untouched.
    """
    target = Path(target)
    directory = target.parent
    private_dir(directory)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=TEMP_SUFFIX, dir=directory)
    tmp = Path(tmp_name)
    # a second descriptor keeps the lock (which marks the file as live for
    # remove_stale_temp_files) until the file has its final name
    lock_fd = os.dup(fd)
    try:
        _try_lock(lock_fd)
        if os.name != "nt":
            os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    finally:
        os.close(lock_fd)
    fsync_dir(directory)


def atomic_write_bytes(target: Path | str, data: bytes, *, mode: int = 0o600) -> None:
    """Write ``data`` to ``target`` atomically (temp file + fsync + ``os.replace``)."""
    with atomic_writer(target, mode=mode) as fh:
        fh.write(data)


@contextlib.contextmanager
def file_lock(path: Path | str) -> Iterator[None]:
    """An exclusive lock between processes on ``path`` (created 0600 if missing), held for the
    block. POSIX ``flock``; on Windows ``msvcrt.locking`` on the first byte, retried until granted.
    The lock goes with the process: a killed holder never leaves it stuck."""
    path = Path(path)
    private_dir(path.parent)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
            import msvcrt

            while True:
                try:
                    msvcrt.locking(fd, msvcrt.LK_LOCK, 1)  # itself retries for ~10 s
                    break
                except OSError:
                    continue
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock
