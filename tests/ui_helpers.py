"""Shared GUI test helpers (pytest-qt)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ui.mainwindow import DeskWindow


def unlocked_window(qtbot, root: Path, profile: str, passphrase: str, *, autolock: float = 30) -> Iterator[DeskWindow]:
    """The main window shown, unlocked with ``passphrase`` and ready (first data requested)."""
    w = DeskWindow(root=root, profile=profile, autolock=autolock)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: w.unlock.profile_box.count() >= 1, timeout=5000)
    w.unlock.passphrase.setText(passphrase)
    with qtbot.waitSignal(w.ready, timeout=20000):
        w.unlock.try_unlock()
    yield w
    w.close()
