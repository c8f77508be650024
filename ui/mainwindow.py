"""Main window: unlock screen ↔ the working area (工作台, 案件, 事项目录, 文书, 设置, open cases).

Idle auto-lock: after ``autolock_minutes`` without keyboard or mouse input every open form is saved
as a ``Draft`` row in the encrypted database, the profile is closed (the data key dropped) and the
unlock screen returns. After the next unlock the drafts are read back (and deleted) and their forms
reopen with the typed content.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ui.auto_sync import AutoSync
from ui.dialogs.action_form import ActionForm
from ui.gateway import backup, cases, drafts
from ui.gateway.form_context import FormContext, form_context
from ui.ops import Ops, message_of
from ui.pages.case_list import CaseListPage
from ui.pages.catalog import CatalogPage
from ui.pages.dashboard import DashboardPage
from ui.pages.documents import DocumentsPage
from ui.pages.settings import SettingsPage, autolock_minutes
from ui.pages.sync_page import SyncPage
from ui.pages.unlock import UnlockPage
from ui.pages.workspace import CaseWorkspace
from ui.sync_runner import SyncRunner
from ui.text import tr
from ui.widgets import show_error

_INPUT_EVENTS = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.Wheel,
                 QEvent.Type.TouchBegin}


class IdleWatcher(QObject):
    """Emits ``idle`` once when no input arrived for ``minutes``; any input restarts the wait."""

    idle = Signal()

    def __init__(self, minutes: float, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.seconds = minutes * 60.0
        self.last = time.monotonic()
        self.armed = False
        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self._check)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def set_minutes(self, minutes: float) -> None:
        self.seconds = minutes * 60.0

    def arm(self) -> None:
        self.last = time.monotonic()
        self.armed = True
        self.timer.start()

    def disarm(self) -> None:
        self.armed = False
        self.timer.stop()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() in _INPUT_EVENTS:
            self.last = time.monotonic()
        return False

    def _check(self) -> None:
        if self.armed and time.monotonic() - self.last >= self.seconds:
            self.disarm()
            self.idle.emit()


def warm_up() -> None:
    """Runs on the worker before unlock: heavy imports (Alembic for the schema check, the forms
    package and ReportLab for the documents tab) so that unlock-to-window pays only for Argon2id."""
    import alembic.command  # noqa: F401

    import forms.service  # noqa: F401
    from lishui_desk.storage import migrate

    migrate.script_directory()


class WorkArea(QWidget):
    """The unlocked application: one tab per section plus one per open case."""

    def __init__(self, ops: Ops, runner: SyncRunner | None = None, auto: AutoSync | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("mainTabs")
        self.tabs.setTabsClosable(True)
        self.tabs.setDocumentMode(True)
        self.tabs.tabCloseRequested.connect(self._close_tab)
        self.dashboard = DashboardPage(ops)
        self.cases = CaseListPage(ops)
        self.catalog = CatalogPage(ops)
        self.documents = DocumentsPage(ops)
        self.sync = SyncPage(ops, runner, auto)
        self.settings = SettingsPage(ops)
        for page, title in ((self.dashboard, tr("工作台")), (self.cases, tr("案件")), (self.catalog, tr("事项目录")),
                            (self.documents, tr("文书")), (self.sync, tr("同步")), (self.settings, tr("设置"))):
            self.tabs.addTab(page, title)
        for i in range(self.tabs.count()):
            self.tabs.tabBar().setTabButton(i, self.tabs.tabBar().ButtonPosition.RightSide, None)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.tabs)
        self.workspaces: dict[str, CaseWorkspace] = {}
        self.lead_forms: list[ActionForm] = []
        self.dashboard.open_case.connect(self.open_case)
        self.cases.open_case.connect(self.open_case)
        self.cases.new_case.connect(lambda: self.new_lead())
        self.catalog.start_lead.connect(lambda code: self.new_lead({"item_code": code}))
        self.documents.open_case.connect(self.open_case)
        for n in range(1, 6):
            QShortcut(QKeySequence(f"Ctrl+{n}"), self, lambda n=n: self.tabs.setCurrentIndex(n - 1))
        QShortcut(QKeySequence("Ctrl+N"), self, lambda: self.new_lead())
        QShortcut(QKeySequence("Ctrl+W"), self, lambda: self._close_tab(self.tabs.currentIndex()))

    def start(self) -> None:
        """Load what the first screen shows; the other sections load when first opened, so the
        window is usable right after unlock (bench: unlock to usable window)."""
        self.dashboard.reload()
        self.cases.apply_filter()
        self.cases.load_domains()
        self._lazy = {self.catalog: self.catalog.reload, self.documents: self.documents.reload,
                      self.settings: self.settings.reload}
        self.tabs.currentChanged.connect(self._load_on_first_show)

    def _load_on_first_show(self, idx: int) -> None:
        page = self.tabs.widget(idx)
        load = self._lazy.pop(page, None) if page is not None else None
        if load is not None:
            load()

    def open_case(self, case_id: str) -> CaseWorkspace:
        ws = self.workspaces.get(case_id)
        if ws is None:
            ws = CaseWorkspace(self.ops, case_id)
            self.workspaces[case_id] = ws
            idx = self.tabs.addTab(ws, tr("案件"))
            ws.title_changed.connect(lambda t, w=ws: self.tabs.setTabText(self.tabs.indexOf(w), t))
        else:
            idx = self.tabs.indexOf(ws)
        self.tabs.setCurrentIndex(idx)
        return ws

    def _close_tab(self, idx: int) -> None:
        w = self.tabs.widget(idx)
        if isinstance(w, CaseWorkspace):
            self.tabs.removeTab(idx)
            self.workspaces.pop(w.case_id, None)
            w.deleteLater()

    def new_lead(self, values: dict | None = None) -> None:
        """登记线索: load officers and the catalogue, then open the generated form."""
        self.ops.call_p(form_context, None, done=lambda ctx: self._open_lead(ctx, values or {}),
                        fail=lambda e: show_error(self, e))

    def _open_lead(self, ctx: FormContext, values: dict) -> ActionForm:
        spec = cases.actions()["register_lead"]
        form = ActionForm(self.ops, spec, ctx, None, self)
        form.set_values(values)
        form.performed.connect(lambda case_id: self.open_case(case_id) if isinstance(case_id, str) else None)
        self.lead_forms.append(form)
        form.finished.connect(lambda _r, f=form: self.lead_forms.remove(f) if f in self.lead_forms else None)
        form.open()
        return form

    # -- drafts -------------------------------------------------------------------------------
    def open_forms(self) -> list[ActionForm]:
        forms = [f for f in self.lead_forms if f.isVisible()]
        for ws in self.workspaces.values():
            forms.extend(f for f in ws.forms if f.isVisible())
        return forms

    def collect_drafts(self) -> dict[str, dict]:
        return {f.draft_key(): f.draft_payload() for f in self.open_forms()}

    def restore_drafts(self, drafts: dict[str, dict]) -> None:
        for _key, d in sorted(drafts.items()):
            values = d.get("values") or {}
            if d.get("case_id"):
                self.open_case(d["case_id"]).open_form(d["action"], values)
            elif d.get("action") == "register_lead":
                self.new_lead(values)


def default_size(w: QWidget) -> tuple[int, int]:
    """1280x820, or the available screen when smaller (a 1366x768 laptop leaves 1366x712 above the
    taskbar; at 125 % scaling 1093x570 logical pixels)."""
    screen = w.screen() or QApplication.primaryScreen()
    if screen is None:
        return 1280, 820
    avail = screen.availableGeometry()
    return min(1280, avail.width()), min(820, avail.height())


class DeskWindow(QMainWindow):
    """Top-level window: a stack of the unlock page and the work area."""

    locked = Signal()
    ready = Signal()  # unlocked, drafts restored, first data requested

    def __init__(self, ops: Ops | None = None, *, root: Path | None = None, profile: str | None = None,
                 autolock: float | None = None, autosync: bool = True) -> None:
        super().__init__()
        self.setObjectName("deskWindow")
        self.setWindowTitle(tr("丽水乡镇综合执法办案"))
        self.ops = ops or Ops(self)
        # link work (立即同步, the automatic rounds, 证据上传, U盘包) on a worker of its own
        self.sync_runner = SyncRunner(self.ops, self)
        self.auto_sync = AutoSync(self.ops, self.sync_runner, parent=self)
        self.autosync = autosync
        self.ops.error.connect(lambda e: show_error(self, e))
        self.stack = QStackedWidget()
        self.setCentralWidget(self.stack)
        self.unlock = UnlockPage(self.ops, root, profile)
        self.unlock.unlocked.connect(self.on_unlocked)
        self.stack.addWidget(self.unlock)
        self.work: WorkArea | None = None
        self.status = QLabel()
        self.statusBar().addPermanentWidget(self.status)
        self.ops.busy_changed.connect(lambda b: self.status.setText(tr("处理中…") if b else ""))
        self.sync_status = QLabel()
        self.sync_status.setObjectName("syncBusy")
        self.statusBar().addPermanentWidget(self.sync_status)
        self.sync_runner.busy_changed.connect(
            lambda b: self.sync_status.setText(tr("正在与县级平台同步…") if b else ""))
        self.idle = IdleWatcher(autolock if autolock is not None else autolock_minutes(), self)
        self.idle.idle.connect(self.lock)
        QShortcut(QKeySequence("Ctrl+L"), self, self.lock)
        self.resize(*default_size(self))
        # while the officer types the passphrase, import what unlocking and the first screen need
        self.ops.call(warm_up, fail=lambda _e: None)

    def on_unlocked(self, profile: Any) -> None:
        self.ops.set_profile(profile)
        self.work = WorkArea(self.ops, self.sync_runner, self.auto_sync)
        self.work.settings.autolock_changed.connect(self.idle.set_minutes)
        self.stack.addWidget(self.work)
        self.stack.setCurrentWidget(self.work)
        self.setWindowTitle(tr("丽水乡镇综合执法办案 — {0}").format(profile.profile_id))
        self.work.start()
        if self.autosync:  # a round at once when enrolled, then every 15 minutes
            self.auto_sync.start()
        self.idle.arm()
        self.ops.call_p(drafts.take, done=self._restore, fail=lambda e: show_error(self, e))
        # the daily rolling local backup (at most once a day; the officer is not kept waiting)
        self.ops.call_p(backup.auto_backup, done=self._auto_backed_up,
                        fail=lambda e: self.statusBar().showMessage(message_of(e), 15000))

    def _auto_backed_up(self, path: str | None) -> None:
        if path:
            self.statusBar().showMessage(tr("已完成今日自动备份：{0}").format(path), 8000)

    def _restore(self, drafts: dict[str, dict]) -> None:
        if self.work is not None and drafts:
            self.work.restore_drafts(drafts)
            self.statusBar().showMessage(tr("已恢复 {0} 份未保存的表单").format(len(drafts)), 8000)
        self.ready.emit()

    def lock(self) -> None:
        """Save open forms as drafts, drop the key, show the unlock screen."""
        if self.work is None or self.ops.profile is None:
            return
        self.idle.disarm()
        self.auto_sync.stop()
        unsaved = self.work.collect_drafts()
        work, self.work = self.work, None

        def _after_save(_n: Any = None) -> None:
            self.ops.lock(done=lambda _r: self.locked.emit())

        def _failed_save(exc: BaseException) -> None:
            show_error(self, exc)
            _after_save()

        self.stack.setCurrentWidget(self.unlock)
        self.unlock.show_locked(tr("已锁定：请重新输入口令；未保存的表单会在解锁后恢复"))
        for f in work.open_forms():
            f.done(0)
        self.stack.removeWidget(work)
        work.deleteLater()
        if unsaved:
            self.ops.call_p(drafts.save, unsaved, done=_after_save,
                            fail=lambda e: _failed_save(e))
        else:
            _after_save()

    def closeEvent(self, event: Any) -> None:
        self.idle.disarm()
        self.auto_sync.stop()
        self.sync_runner.shutdown()
        self.ops.shutdown()
        super().closeEvent(event)

