"""One sync at a time per profile: an exclusive, non-blocking lock on ``<profile>/sync.lock``."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from lishui_desk.errors import DeskError


class SyncBusy(DeskError):
    code = "sync_busy"


@contextmanager
def sync_lock(profile_root: Path) -> Iterator[None]:
    path = profile_root / "sync.lock"
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            _lock(fd)
        except OSError:
            raise SyncBusy("本档案正在同步中（另一个窗口或进程），请稍后再试") from None
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def _lock(fd: int) -> None:
    if sys.platform == "win32":  # pragma: no cover - Windows desktops
        import msvcrt

        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
