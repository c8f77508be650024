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
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

__all__ = ["atomic_write_bytes", "atomic_writer", "file_lock", "fsync_dir"]


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
    directory.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    tmp = Path(tmp_name)
    try:
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
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        if os.name == "nt":  # pragma: no cover - exercised on Windows only
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
