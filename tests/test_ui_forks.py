"""A forked case in the GUI (real hub on loopback, two real SQLCipher profiles, real Qt): the
workspace says the record forked and that the case takes no new step; 处理分叉… shows both
branches side by side without a raw identifier, refuses to go on without a choice and a reason,
and once the officer adopts the other laptop's branch the bar is gone and the record has one head."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QRadioButton
from sqlalchemy import select

from lishui_desk import forks
from lishui_desk.edge import CaseDesk, read
from lishui_desk.models import Case
from lishui_desk.services.demo import DEMO_PASSPHRASE
from lishui_desk.storage.profile import open_profile
from sync.client.worker import sync_now
from tests.demo_window import make_demo, open_demo, open_workspace
from tests.sync_support import crew, enroll, running_hub
from tests.ui_walk import raw_identifiers, settle
from ui.app import install_translator

DATA = frozenset({"demo"})


def _decline(prof, case_id: str, reason: str) -> None:
    c = crew(prof)
    CaseDesk(prof).perform(case_id, "decline_filing", {
        "declined_on": "2026-11-25", "reason": reason, "approved_by": c["leader"],
        "officer_ids": [c["me"], c["colleague"]]})


def _forked_pair(tmp_path, server) -> tuple[Path, str]:
    """Two laptops of one township write the same lead offline and both sync: (root of b, case)."""
    root_a = make_demo(tmp_path / "a")
    root_b = tmp_path / "b"
    shutil.copytree(root_a, root_b)
    a = open_profile("demo", DEMO_PASSPHRASE, root=root_a)
    b = open_profile("demo", DEMO_PASSPHRASE, root=root_b)
    try:
        enroll(a, server)
        enroll(b, server)
        sync_now(a)
        sync_now(b)
        with a.read_session() as s:
            case_id = s.scalars(select(Case.id).where(Case.stage == "lead").order_by(Case.id)).first()
        _decline(a, case_id, "经核查不构成违法（甲的电脑）")
        _decline(b, case_id, "经核查情节轻微，不予立案（乙的电脑）")
        sync_now(a)
        sync_now(b)
    finally:
        a.close()
        b.close()
    return root_b, case_id


@pytest.fixture
def hub(tmp_path):
    with running_hub("sqlite", tmp_path) as server:
        yield server


def test_a_forked_case_is_shown_blocked_and_resolved_from_the_workspace(qtbot, tmp_path, hub, desk_look):
    install_translator(QApplication.instance())
    root, case_id = _forked_pair(tmp_path, hub)
    win = open_demo(qtbot, root, (1366, 712))
    model = win.work.cases.model
    row = next(r for r in range(model.rowCount()) if model.case_id(r) == case_id)
    stage_col = 3
    assert "记录分叉" in model.data(model.index(row, stage_col)), model.data(model.index(row, stage_col))
    ws = open_workspace(qtbot, win, case_id)
    bar = ws.fork_bar
    qtbot.waitUntil(lambda: bar.rows is not None and not win.ops.busy, timeout=10000)
    assert bar.isVisible() and "分叉" in bar.text.text() and "不能继续办理" in bar.text.text()
    buttons = ws.step_buttons()
    assert buttons, "the stage's steps are listed"
    for btn in buttons.values():  # every step is shown refused, naming the rule
        assert btn.property("allowed") is False and "第四十七条" in btn.toolTip(), (btn.text(), btn.toolTip())

    rows = [ws.timeline.text(r, 2) for r in range(ws.timeline.row_count())]
    assert sum("不予立案" in t for t in rows) == 2 and sum("另一分支" in t for t in rows) == 1, rows

    bar.button.click()
    qtbot.waitUntil(lambda: bar.dialog is not None and bar.dialog.isVisible(), timeout=10000)
    dlg = bar.dialog
    assert [t.topLevelItemCount() for t in dlg.trees] == [1, 1]  # one step on each side of the fork
    assert all("不予立案" in t.topLevelItem(0).text(2) for t in dlg.trees)
    titles = [t.parentWidget().title() for t in dlg.trees]
    assert titles[0].startswith("本机记录的分支") and titles[1].startswith("另一台设备记录的分支"), titles
    both = dlg.findChild(QRadioButton, "forkBoth")
    assert both is not None and not both.isEnabled()  # both branches change the stage: one must be chosen
    assert not dlg.go.isEnabled()
    settle()
    if os.environ.get("LISHUI_LOOK_DIR"):  # to look at it: LISHUI_LOOK_DIR=/some/dir pytest …
        dlg.grab().save(os.path.join(os.environ["LISHUI_LOOK_DIR"], "fork_dialog.png"))
        ws.grab().save(os.path.join(os.environ["LISHUI_LOOK_DIR"], "fork_workspace.png"))
    found = raw_identifiers(dlg, DATA) + raw_identifiers(ws, DATA)
    assert not found, found

    other = dlg.findChild(QRadioButton, "forkAdoptOther")
    other.setChecked(True)
    assert not dlg.go.isEnabled()  # no reason yet
    dlg.reason.setPlainText("   ")
    assert not dlg.go.isEnabled()
    dlg.reason.setPlainText("乙先到现场核查，采用乙的记录")
    assert dlg.go.isEnabled()
    dlg.go.click()
    qtbot.waitUntil(lambda: not dlg.isVisible(), timeout=10000)
    qtbot.waitUntil(lambda: not bar.isVisible() and not win.ops.busy, timeout=10000)
    prof = win.ops.profile
    assert read(prof, forks.describe, case_id) is None
    with prof.read_session() as s:
        assert "fork" not in (s.get(Case, case_id).flags or [])
    assert "不予立案" in (ws.view.summary.get("stage_label") or "")
    rows = [ws.timeline.text(r, 2) for r in range(ws.timeline.row_count())]
    assert sum("未采用的分支" in t for t in rows) == 1, rows  # kept in the record, marked
    win.work.tabs.setCurrentWidget(win.work.cases)
    qtbot.waitUntil(lambda: not model.is_loading and not win.ops.busy, timeout=10000)
    row = next(r for r in range(model.rowCount()) if model.case_id(r) == case_id)
    assert "记录分叉" not in model.data(model.index(row, stage_col))
    assert any("分叉" in t for t in rows), rows  # the resolution itself is a record entry
    if os.environ.get("LISHUI_LOOK_DIR"):
        ws.grab().save(os.path.join(os.environ["LISHUI_LOOK_DIR"], "fork_resolved.png"))
    win.close()
