"""工作台: open cases by stage, deadlines due within 3 days and overdue, cases waiting for 法制审核,
and the sync state (last success, what waits to be sent, quarantined items: see the 同步 page)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from lishui_desk.timeutil import today_local
from ui.gateway import dashboard, sync
from ui.gateway.changes import OpChanges
from ui.ops import Ops, message_of
from ui.text import tr
from ui.widgets import fit_columns, fmt_date


def _case_tree(name: str) -> QTreeWidget:
    t = QTreeWidget()
    t.setObjectName(name)
    t.setHeaderLabels([tr("案件编号"), tr("当事人"), tr("到期日　期限")])
    t.setRootIsDecorated(False)
    fit_columns(t, 2)
    # a party's name may be long (单位 names): a fixed column that elides, so the deadline keeps
    # its room; the due date leads the deadline's name, so it shows even when the name is elided
    t.header().setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
    t.setColumnWidth(1, 100)
    t.setTextElideMode(Qt.TextElideMode.ElideRight)
    return t


class DashboardPage(QWidget):
    open_case = Signal(str)

    def __init__(self, ops: Ops, today: Callable[[], date] = today_local, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dashboard")
        self.ops = ops
        self.today = today
        self.by_stage = QTreeWidget()
        self.by_stage.setObjectName("byStage")
        self.by_stage.setHeaderLabels([tr("阶段"), tr("件数")])
        self.by_stage.setRootIsDecorated(False)
        fit_columns(self.by_stage, 0)
        self.overdue = _case_tree("overdueList")
        self.due_soon = _case_tree("dueSoonList")
        self.review = _case_tree("reviewList")
        self.disclosure = _case_tree("disclosureList")
        self.sync = QLabel()
        self.sync.setObjectName("syncState")
        self.sync.setWordWrap(True)
        self.sync.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.error = QLabel()
        self.error.setObjectName("dashError")
        # a narrow column (cases by stage, sync) and a 2x2 grid of case lists wide enough for
        # whole case numbers and deadlines at 1366x712 and at 125 % scaling
        side = QVBoxLayout()
        side.addWidget(self._box(tr("我的在办案件（按阶段）"), self.by_stage), 2)
        side.addWidget(self._box(tr("同步"), self.sync), 1)
        grid = QGridLayout()
        grid.addWidget(self._box(tr("已逾期"), self.overdue), 0, 0)
        grid.addWidget(self._box(tr("3日内到期"), self.due_soon), 0, 1)
        grid.addWidget(self._box(tr("待法制审核意见"), self.review), 1, 0)
        grid.addWidget(self._box(tr("待公示"), self.disclosure), 1, 1)
        body = QHBoxLayout()
        body.addLayout(side, 1)
        body.addLayout(grid, 4)
        lay = QVBoxLayout(self)
        lay.addWidget(self.error)
        lay.addLayout(body, 1)
        for t in (self.overdue, self.due_soon, self.review, self.disclosure):
            t.itemActivated.connect(self._open)
        ops.changed.connect(self._data_changed)

    @staticmethod
    def _box(title: str, w: QWidget) -> QGroupBox:
        box = QGroupBox(title)
        lay = QVBoxLayout(box)
        lay.addWidget(w)
        return box

    def _data_changed(self, changes: OpChanges) -> None:
        if changes.cases:  # stages, deadlines, reviews, 公示 and the outbox all follow the cases
            self.reload()

    def reload(self) -> None:
        if self.ops.profile is not None:
            self.ops.call_p(dashboard.dashboard, self.today(), done=self._show,
                            fail=lambda e: self.error.setText(message_of(e)))
            self.ops.call_p(sync.overview, done=self._show_sync,
                            fail=lambda e: self.sync.setText(message_of(e)))

    def _fill(self, tree: QTreeWidget, rows: list[Any]) -> None:
        tree.clear()
        for r in rows:
            article = getattr(r, "next_deadline_article", None)
            label = f"{r.next_deadline_label}（{article}）" if r.next_deadline_label and article else (
                r.next_deadline_label or "")
            due = fmt_date(r.next_deadline)
            it = QTreeWidgetItem([r.case_number or tr("（线索）"), r.party_name or "",
                                  f"{due}　{r.next_deadline_label or ''}".strip()])
            it.setData(0, Qt.ItemDataRole.UserRole, r.id)
            it.setToolTip(2, f"{due} {label}".strip())
            it.setToolTip(1, r.party_name or "")
            tree.addTopLevelItem(it)

    def _show(self, d: Any) -> None:
        self.error.clear()
        self.by_stage.clear()
        for label, n in d.open_by_stage:
            self.by_stage.addTopLevelItem(QTreeWidgetItem([label, str(n)]))
        self._fill(self.overdue, d.overdue)
        self._fill(self.due_soon, d.due_soon)
        self._fill(self.review, d.awaiting_review)
        self._fill(self.disclosure, list(getattr(d, "disclosure_due", []) or []))

    def _show_sync(self, d: dict[str, Any]) -> None:
        from ui.pages.sync_page import when

        if not d.get("enrolled"):
            self.sync.setText(tr("尚未登记到县级平台\n待上传：{0} 条").format(d.get("pending", 0)))
            return
        text = tr("上次成功：{0}\n待上传：{1} 条\n隔离：{2} 条").format(
            when(d.get("last_success")), d.get("pending", 0), d.get("quarantined", 0))
        if d.get("media_cases"):
            text += "\n" + tr("媒体不完整：{0} 件").format(d["media_cases"])
        if d.get("revoked"):
            text += "\n" + tr("本机已被县级平台停用")
        elif d.get("last_error"):
            text += "\n" + tr("上次尝试未成功，详见“同步”页")
        self.sync.setText(text)

    def _open(self, item: QTreeWidgetItem) -> None:
        cid = item.data(0, Qt.ItemDataRole.UserRole)
        if cid:
            self.open_case.emit(cid)
