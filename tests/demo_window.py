"""The demo profile (every stage of the procedure) opened in the main window at a given size."""

from __future__ import annotations

from pathlib import Path

from lishui_desk.crypto.keyring import KdfParams
from lishui_desk.services.demo import DEMO_PASSPHRASE

try:  # the unit of work opened at the edge builds the demo there
    from lishui_desk.edge import build_demo
except ImportError:  # pragma: no cover - before the edge module exists
    from lishui_desk.services.demo import build_demo

from ui.mainwindow import DeskWindow


def make_demo(root: Path) -> Path:
    build_demo("demo", DEMO_PASSPHRASE, root=root, kdf_params=KdfParams(memory_cost=8192, iterations=1, lanes=1))
    return root


def open_demo(qtbot, root: Path, size: tuple[int, int], **window: object) -> DeskWindow:
    """``window``: further DeskWindow arguments (e.g. ``autosync=True``)."""
    win = DeskWindow(root=root, profile="demo", autolock=30, **window)  # type: ignore[arg-type]
    qtbot.addWidget(win)
    win.resize(*size)
    win.show()
    qtbot.waitUntil(lambda: win.unlock.profile_box.count() >= 1, timeout=5000)
    win.unlock.passphrase.setText(DEMO_PASSPHRASE)
    with qtbot.waitSignal(win.ready, timeout=20000):
        win.unlock.try_unlock()
    qtbot.waitUntil(lambda: win.work.cases.model.rowCount() > 0 and not win.ops.busy, timeout=10000)
    return win


def cases_by_stage(win: DeskWindow) -> dict[str, str]:
    """stage label -> one case id, from the 案件 list."""
    model = win.work.cases.model
    out: dict[str, str] = {}
    for r in range(model.rowCount()):
        out.setdefault(model.data(model.index(r, 3)), model.case_id(r))
    return out


def open_workspace(qtbot, win: DeskWindow, case_id: str):
    ws = win.work.open_case(case_id)
    qtbot.waitUntil(lambda: ws.view is not None and not win.ops.busy, timeout=10000)
    return ws
