"""设置 → 备份 in the real window (Qt offscreen, real profile): the daily automatic backup is made
after unlocking, a backup to a chosen folder runs on the worker and restores with check passing,
and the number of automatic backups kept is a profile setting."""

from __future__ import annotations

import pytest

from lishui_desk.restore import restore_profile
from tests.conftest import DEMO_PW
from tests.ui_helpers import unlocked_window

pytestmark = pytest.mark.gui


@pytest.fixture
def win(qtbot, clone_profile):
    root = clone_profile()
    yield from unlocked_window(qtbot, root, "demo", DEMO_PW)


def test_backup_from_settings_restores_and_auto_backup_ran(qtbot, win, tmp_path):
    work = win.work
    qtbot.waitUntil(lambda: not win.ops.busy, timeout=20000)
    profile_root = win.ops.profile.paths.root
    auto_dir = profile_root.parent.parent / "backups" / "demo"
    assert len(list(auto_dir.glob("*.lsdbak"))) == 1  # made after unlocking, once
    work.tabs.setCurrentWidget(work.settings)
    settings = work.settings
    qtbot.waitUntil(lambda: settings.backup_keep.value() == 7, timeout=5000)
    settings.backup_keep.setValue(3)
    qtbot.waitUntil(lambda: not win.ops.busy, timeout=5000)
    assert win.ops.profile.meta("backup_keep") == "3"
    usb = tmp_path / "usb"
    settings.backup_to(str(usb))
    qtbot.waitUntil(lambda: "已备份到" in settings.backup_state.text(), timeout=30000)
    (archive,) = usb.glob("*.lsdbak")
    result = restore_profile(archive, DEMO_PW, root=tmp_path / "elsewhere")
    assert result.cases >= 20
