"""Unlock screen (wrong passphrase, growing delay), first-run wizard, idle auto-lock with drafts."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit

from lishui_desk.crypto.lockout import FREE_ATTEMPTS
from lishui_desk.edge import CaseDesk, create_profile
from lishui_desk.models import Draft
from lishui_desk.services.setup import OfficerSpec
from lishui_desk.timeutil import today_local
from ui.dialogs.first_run import FirstRunDialog
from ui.mainwindow import DeskWindow

PASS = "correct horse battery"
TOWN = "331181100"  # 龙泉市八都镇


@pytest.fixture
def profile_with_lead(data_root, fast_kdf):
    prof = create_profile("t1", PASS, root=data_root, township_code=TOWN,
                          officer=OfficerSpec("王建", "ZJ-3311-0001", date(2030, 12, 31)), kdf_params=fast_kdf)
    case_id = CaseDesk(prof).register_lead(
        {"lead_on": today_local().isoformat(), "source": "巡查发现", "summary": "八都镇新街占道堆放物料"})
    prof.close()
    return case_id


@pytest.fixture
def window(qtbot, data_root):
    win = DeskWindow(root=data_root, profile="t1", autolock=10)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.unlock.profile_box.count() > 0, timeout=3000)
    yield win
    win.close()


def _unlock(qtbot, win, secret):
    win.unlock.passphrase.setText(secret)
    win.unlock.try_unlock()


def test_wrong_passphrase_shows_the_error_then_the_wait(qtbot, profile_with_lead, window):
    page = window.unlock
    assert page.profile_box.currentText() == "t1"  # preselected like `lishui-desk gui --profile t1`
    for _ in range(FREE_ATTEMPTS):
        qtbot.waitUntil(lambda: page.unlock_btn.isEnabled() and not window.ops.busy, timeout=5000)
        page.error.clear()
        _unlock(qtbot, window, "wrong passphrase")
        # the failure is fully handled (message shown, worker idle) before the next try
        qtbot.waitUntil(lambda: "口令" in page.error.text() and not window.ops.busy, timeout=5000)
    assert page.passphrase.text() == ""  # never kept after a failure
    assert page.passphrase.echoMode() == QLineEdit.EchoMode.Password
    # after the third failure the next try must wait: a countdown, and the button is disabled
    def waiting() -> bool:
        text = page.wait_label.text()
        return page.remaining_wait > 0 and "请等待" in text and "秒" in text and not page.unlock_btn.isEnabled()

    qtbot.waitUntil(waiting, timeout=5000)
    assert window.work is None
    # once the wait is over the right passphrase opens the work area
    qtbot.waitUntil(lambda: page.unlock_btn.isEnabled() and page.remaining_wait == 0 and not window.ops.busy,
                    timeout=20000)
    _unlock(qtbot, window, PASS)
    qtbot.waitUntil(lambda: window.work is not None, timeout=20000)


def test_idle_autolock_keeps_an_unsaved_form_as_a_draft_and_restores_it(qtbot, profile_with_lead, window):
    case_id = profile_with_lead
    with qtbot.waitSignal(window.ready, timeout=8000):
        _unlock(qtbot, window, PASS)
    ws = window.work.open_case(case_id)
    qtbot.waitUntil(lambda: ws.view is not None, timeout=5000)
    form = ws.open_form("record_inquiry")
    form.editors["person"].setText("林志强")
    form.editors["summary"].setPlainText("询问占道堆放物料的经过")
    # no input for the auto-lock period: back to the unlock screen, key dropped
    window.idle.set_minutes(1 / 60)
    window.idle.arm()
    with qtbot.waitSignal(window.locked, timeout=6000):
        pass
    assert window.stack.currentWidget() is window.unlock
    assert window.ops.profile is None
    assert window.work is None
    # the draft is in the encrypted database
    from lishui_desk.storage.profile import open_profile

    prof = open_profile("t1", PASS, root=window.unlock.root)
    with prof.read_session() as s:
        drafts = {d.key: d.payload for d in s.query(Draft)}
    prof.close()
    assert drafts[f"form:{case_id}:record_inquiry"]["values"]["person"] == "林志强"
    # unlock again: the form comes back with what was typed, and the draft row is consumed
    window.idle.set_minutes(10)
    with qtbot.waitSignal(window.ready, timeout=8000):
        _unlock(qtbot, window, PASS)
    ws2 = window.work.workspaces[case_id]
    qtbot.waitUntil(lambda: bool(ws2.forms), timeout=5000)
    restored = ws2.forms[0]
    assert restored.spec.key == "record_inquiry"
    assert restored.editors["person"].text() == "林志强"
    summary = restored.editors["summary"]
    assert isinstance(summary, QPlainTextEdit) and summary.toPlainText() == "询问占道堆放物料的经过"
    prof = window.ops.profile
    with prof.read_session() as s:
        assert s.query(Draft).count() == 0


def test_first_run_wizard_validates_and_creates_a_profile(qtbot, data_root, fast_kdf, tmp_path):
    from lishui_desk.crypto.recovery import generate_recovery_keypair
    from ui.ops import Ops

    ops = Ops()
    ops.profile = None
    dlg = FirstRunDialog(ops, data_root, kdf_params=fast_kdf)
    qtbot.addWidget(dlg)
    qtbot.waitUntil(lambda: dlg.township.count() == 3, timeout=3000)  # the three pilot townships
    assert any("八都镇" in dlg.township.itemText(i) for i in range(3))
    dlg.profile_id.setText("badu-wang")
    dlg.township.setCurrentIndex(dlg.township.findData(TOWN))
    dlg.officer_name.setText("王建")
    dlg.cert_no.setText("ZJ-3311-0001")
    dlg.pass1.setText("abcdefgh1")
    dlg.pass2.setText("abcdefgh2")
    dlg.submit()
    assert dlg.error.text() == "两次输入的口令不一致"
    _priv, pub = generate_recovery_keypair()
    key_file = tmp_path / "county.pub"
    key_file.write_bytes(pub)
    dlg.recovery_path.setText(str(key_file))
    dlg.pass2.setText("abcdefgh1")
    with qtbot.waitSignal(dlg.created, timeout=8000) as sig:
        dlg.submit()
    prof = sig.args[0]
    assert prof.profile_id == "badu-wang" and prof.township_code == TOWN
    assert prof.meta("officer_name") == "王建"
    prof.close()
    ops.shutdown()
