"""The 同步 page against a real county hub on loopback (uvicorn, SQLite): enrollment with the
one-time code typed into the wizard, 立即同步 on the worker, the dashboard's sync card, and a
record the hub quarantines (a fork from a copied desktop) shown with its reason in Chinese and
put back by 重新排队 — every text free of raw identifiers."""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from lishui_desk.edge import CaseDesk
from lishui_desk.models import Case
from lishui_desk.services.demo import DEMO_PASSPHRASE
from lishui_desk.storage.profile import open_profile
from sync.client.worker import sync_now
from sync.hub import service
from tests.demo_window import make_demo, open_demo
from tests.sync_support import CERT, TOWN, crew, hub_event_count, outbox_states, running_hub
from tests.ui_walk import raw_identifiers, settle
from ui.app import install_translator

DATA = frozenset({"demo"})


@pytest.fixture
def hub(tmp_path):
    with running_hub("sqlite", tmp_path) as server:
        yield server


def _sync_page(qtbot, win):
    page = win.work.sync
    win.work.tabs.setCurrentWidget(page)
    qtbot.waitUntil(lambda: bool(page.data) and not win.ops.busy, timeout=10000)
    return page


def _decline(prof, case_id: str, reason: str) -> None:
    c = crew(prof)
    CaseDesk(prof).perform(case_id, "decline_filing", {"declined_on": "2026-11-25", "reason": reason,
                                                       "approved_by": c["leader"], "officer_ids": [c["me"], c["colleague"]]})


def _first_lead(prof) -> str:
    with prof.read_session() as s:
        return s.scalars(select(Case.id).where(Case.stage == "lead").order_by(Case.id)).first()


def test_enroll_sync_and_see_the_state_on_the_sync_page_and_the_dashboard(qtbot, tmp_path, hub, desk_look):
    install_translator(QApplication.instance())
    root = make_demo(tmp_path / "desk")
    win = open_demo(qtbot, root, (1366, 712))
    page = _sync_page(qtbot, win)
    assert "尚未登记" in page.status.text() and not page.sync_btn.isEnabled()
    dlg = page.ask_enroll()
    dlg.code.setPlainText("不是登记码")
    dlg.submit()
    qtbot.waitUntil(lambda: "登记码格式不对" in dlg.state.text(), timeout=10000)
    assert not raw_identifiers(dlg, DATA), raw_identifiers(dlg, DATA)
    dlg.code.setPlainText(service.issue_enrollment(hub.hub, TOWN, CERT, hub.url))
    dlg.submit()
    qtbot.waitUntil(lambda: not dlg.isVisible(), timeout=20000)
    qtbot.waitUntil(lambda: page.data.get("enrolled") and not win.ops.busy, timeout=10000)
    pending = page.data["pending"]
    assert pending > 0 and f"待上传：{pending} 条" in page.status.text() and "从未" in page.status.text()
    assert page.sync_btn.isEnabled() and not page.enroll_btn.isVisible()
    page.sync_btn.click()
    qtbot.waitUntil(lambda: page.result.text().startswith("同步完成"), timeout=60000)
    qtbot.waitUntil(lambda: page.data.get("pending") == 0 and not win.ops.busy, timeout=10000)
    assert page.data["acked"] == pending == hub_event_count(hub)  # what the page says the hub holds, it holds
    assert "从未" not in page.status.text() and "待上传：0 条" in page.status.text()
    win.work.tabs.setCurrentWidget(win.work.dashboard)
    qtbot.waitUntil(lambda: "待上传：0 条" in win.work.dashboard.sync.text(), timeout=10000)
    assert "上次成功：从未" not in win.work.dashboard.sync.text()
    win.work.tabs.setCurrentWidget(page)
    settle()
    found = raw_identifiers(page, DATA) + raw_identifiers(win.work.dashboard, DATA)
    assert not found, found
    win.close()


def test_a_quarantined_record_shows_the_hubs_reason_and_can_be_requeued(qtbot, tmp_path, hub, desk_look):
    install_translator(QApplication.instance())
    root = make_demo(tmp_path / "desk")
    prof = open_profile("demo", DEMO_PASSPHRASE, root=root)
    from sync.client.worker import enroll

    enroll(prof, service.issue_enrollment(hub.hub, TOWN, CERT, hub.url))
    sync_now(prof)
    prof.close()
    clone_root = tmp_path / "clone"
    shutil.copytree(root, clone_root)  # the same device and record, copied to a second machine
    prof = open_profile("demo", DEMO_PASSPHRASE, root=root)
    lead = _first_lead(prof)
    _decline(prof, lead, "经核查不构成违法（原机）")
    assert sync_now(prof).accepted == 1
    prof.close()
    clone = open_profile("demo", DEMO_PASSPHRASE, root=clone_root)
    _decline(clone, lead, "经核查不构成违法（复制的机器）")  # same predecessor, other content
    clone.close()

    win = open_demo(qtbot, clone_root, (1366, 712))
    page = _sync_page(qtbot, win)
    page.sync_btn.click()
    qtbot.waitUntil(lambda: page.result.text().startswith("同步完成"), timeout=60000)
    qtbot.waitUntil(lambda: page.items.topLevelItemCount() == 1 and not win.ops.busy, timeout=10000)
    it = page.items.topLevelItem(0)
    assert it.text(1).endswith("不予立案") or "不予立案" in it.text(1), it.text(1)
    assert "不衔接" in it.text(3), it.text(3)
    assert "隔离：1 条" in page.status.text() and page.requeue_btn.isEnabled()
    found = raw_identifiers(page, DATA)
    assert not found, found
    n = hub_event_count(hub)
    page.requeue_btn.click()
    qtbot.waitUntil(lambda: page.items.topLevelItemCount() == 0 and not win.ops.busy, timeout=10000)
    assert "待上传：1 条" in page.status.text() and "隔离：0 条" in page.status.text()
    assert outbox_states(win.ops.profile).get("pending") == 1
    page.sync_btn.click()  # the fork is real: answered conflict again, the hub keeps the original
    qtbot.waitUntil(lambda: page.items.topLevelItemCount() == 1 and not win.ops.busy, timeout=60000)
    assert hub_event_count(hub) == n
    win.close()
