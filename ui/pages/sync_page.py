"""同步: the county hub link as an officer needs it — last success, how much waits to be sent,
the items the hub set aside (隔离) with its reason and 重新排队, 立即同步 on the worker with
progress, and enrollment with the one-time code (登记码) from the county."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.gateway import sync
from ui.gateway.changes import OpChanges
from ui.ops import Ops, message_of
from ui.text import tr
from ui.widgets.common import fit_columns, fit_to_window, show_error


def when(iso: str | None) -> str:
    """A stored UTC timestamp as local date and minute, or 从未."""
    if not iso:
        return tr("从未")
    from datetime import datetime

    try:
        return datetime.fromisoformat(str(iso)).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return str(iso)[:16].replace("T", " ")


class EnrollDialog(QDialog):
    """登记到县级平台: the officer pastes the one-time code the county gave; the worker enrolls."""

    enrolled = Signal(dict)

    def __init__(self, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.setObjectName("enrollDialog")
        self.setWindowTitle(tr("登记到县级平台"))
        intro = QLabel(tr("第一步：向县局索取本机的一次性登记码。\n第二步：把登记码完整粘贴到下面，点“登记”。"
                          "\n登记码只能使用一次，登记后本机即可与县级平台同步。"))
        intro.setWordWrap(True)
        self.code = QPlainTextEdit()
        self.code.setObjectName("enrollCode")
        self.code.setPlaceholderText(tr("在此粘贴登记码"))
        self.state = QLabel()
        self.state.setObjectName("enrollState")
        self.state.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.go = self.buttons.addButton(tr("登记"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.go.setObjectName("enrollGo")
        self.buttons.rejected.connect(self.reject)
        self.go.clicked.connect(self.submit)
        lay = QVBoxLayout(self)
        lay.addWidget(intro)
        lay.addWidget(self.code, 1)
        lay.addWidget(self.state)
        lay.addWidget(self.buttons)
        fit_to_window(self, 560, 360)

    def submit(self) -> None:
        text = self.code.toPlainText().strip()
        if not text:
            self.state.setText(tr("请先粘贴登记码"))
            return
        self.go.setEnabled(False)
        self.state.setText(tr("正在登记…"))
        self.ops.call_p(sync.enroll, text, progress=tr("正在连接县级平台…"), parent=self,
                        done=self._done, fail=self._fail)

    def _done(self, answer: dict) -> None:
        self.enrolled.emit(answer)
        self.accept()

    def _fail(self, exc: BaseException) -> None:
        self.go.setEnabled(True)
        self.state.setText(message_of(exc))


class SyncPage(QWidget):
    """Status, 立即同步, 登记, and the quarantined items with 重新排队."""

    def __init__(self, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("syncPage")
        self.ops = ops
        self.data: dict[str, Any] = {}
        self.status = QLabel(tr("正在读取…"))
        self.status.setObjectName("syncStatus")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result = QLabel()
        self.result.setObjectName("syncResult")
        self.result.setWordWrap(True)
        self.sync_btn = QPushButton(tr("立即同步(&S)"))
        self.sync_btn.setObjectName("syncNow")
        self.sync_btn.clicked.connect(self.sync_now)
        self.enroll_btn = QPushButton(tr("登记到县级平台(&E)…"))
        self.enroll_btn.setObjectName("syncEnroll")
        self.enroll_btn.clicked.connect(self.ask_enroll)
        row = QHBoxLayout()
        row.addWidget(self.sync_btn)
        row.addWidget(self.enroll_btn)
        row.addStretch(1)
        self.items = QTreeWidget()
        self.items.setObjectName("quarantined")
        self.items.setHeaderLabels([tr("案件"), tr("记录"), tr("日期"), tr("县级平台的理由")])
        self.items.setRootIsDecorated(False)
        self.items.setWordWrap(True)
        fit_columns(self.items, 3)
        self.requeue_btn = QPushButton(tr("重新排队(&Q)"))
        self.requeue_btn.setObjectName("syncRequeue")
        self.requeue_btn.setToolTip(tr("把所选条目放回待推送，下次同步时重发"))
        self.requeue_btn.clicked.connect(self.requeue)
        q_box = QGroupBox(tr("被县级平台隔离的条目"))
        q_lay = QVBoxLayout(q_box)
        self.q_hint = QLabel()
        self.q_hint.setWordWrap(True)
        q_lay.addWidget(self.q_hint)
        q_lay.addWidget(self.items, 1)
        q_lay.addWidget(self.requeue_btn, 0, Qt.AlignmentFlag.AlignLeft)
        top = QGroupBox(tr("同步状态"))
        form = QVBoxLayout(top)
        form.addWidget(self.status)
        form.addLayout(row)
        form.addWidget(self.result)
        lay = QVBoxLayout(self)
        lay.addWidget(top)
        lay.addWidget(q_box, 1)
        self.dialog: EnrollDialog | None = None
        ops.changed.connect(self._data_changed)

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self.reload()

    def _data_changed(self, changes: OpChanges) -> None:
        if changes.cases:  # what is pending follows the cases' records
            self.reload()

    def reload(self) -> None:
        if self.ops.profile is not None and self.isVisible():
            self.ops.call_p(sync.overview, done=self.show_overview,
                            fail=lambda e: self.status.setText(message_of(e)))

    def show_overview(self, d: dict[str, Any]) -> None:
        self.data = d
        self.status.setText(status_text(d))
        self.sync_btn.setEnabled(bool(d.get("enrolled")) and not d.get("revoked"))
        self.enroll_btn.setVisible(not d.get("enrolled") or bool(d.get("revoked")))
        self.items.clear()
        for r in d.get("items", []):
            it = QTreeWidgetItem([r["case"], tr("第{0}条：{1}").format(r["seq"], r["what"]), r["day"], r["reason"]])
            it.setData(0, Qt.ItemDataRole.UserRole, r["id"])
            it.setToolTip(3, r["reason"])
            self.items.addTopLevelItem(it)
        n = self.items.topLevelItemCount()
        self.q_hint.setText(tr("县级平台收到但未接收这些记录（例如与县里已有的记录不衔接），其余记录照常同步。"
                               "核实原因后可重新排队，下次同步时重发。") if n else tr("没有被隔离的条目"))
        self.requeue_btn.setEnabled(n > 0)
        first = self.items.topLevelItem(0)
        if n and first is not None and self.items.currentItem() is None:
            self.items.setCurrentItem(first)

    def sync_now(self) -> None:
        self.sync_btn.setEnabled(False)
        self.result.setText(tr("正在同步…"))
        self.ops.call_p(sync.sync_now, progress=tr("正在与县级平台同步…"), parent=self,
                        done=self._synced, fail=self._failed)

    def _synced(self, rep: Any) -> None:
        self.result.setText(report_text(rep))
        self.sync_btn.setEnabled(True)

    def _failed(self, exc: BaseException) -> None:
        self.result.setText(tr("同步未完成：{0}").format(message_of(exc)))
        self.sync_btn.setEnabled(bool(self.data.get("enrolled")))
        self.reload()

    def requeue(self) -> None:
        it = self.items.currentItem()
        if it is None:
            return
        self.ops.call_p(sync.requeue, it.data(0, Qt.ItemDataRole.UserRole), parent=self,
                        done=lambda _r: self.result.setText(tr("已重新排队，下次同步时重发")),
                        fail=lambda e: show_error(self, e))

    def ask_enroll(self) -> EnrollDialog:
        self.dialog = EnrollDialog(self.ops, self)
        self.dialog.enrolled.connect(lambda a: self.result.setText(
            tr("登记成功：{0}").format(a.get("township_name") or a.get("township_code") or "")))
        self.dialog.open()
        return self.dialog


def status_text(d: dict[str, Any]) -> str:
    if not d.get("enrolled"):
        return tr("本机尚未登记到县级平台，案件记录只保存在本机。请向县局索取登记码后点“登记到县级平台”。\n"
                  "待上传：{0} 条").format(d.get("pending", 0))
    lines = [tr("上次成功同步：{0}").format(when(d.get("last_success"))),
             tr("待上传：{0} 条；县级平台已确认：{1} 条；隔离：{2} 条").format(
                 d.get("pending", 0), d.get("acked", 0), d.get("quarantined", 0)),
             tr("下次同步：点“立即同步”时（本机不会自行定时连接）")]
    if d.get("reference_quarantined"):
        lines.append(tr("县级下发的参考数据有 {0} 条未能应用").format(d["reference_quarantined"]))
    if d.get("revoked"):
        lines.append(tr("本机已被县级平台停用，需要重新登记"))
    if d.get("last_error"):
        lines.append(tr("上次尝试（{0}）未成功：{1}").format(when(d.get("last_attempt")), d["last_error"]))
    return "\n".join(lines)


def report_text(rep: Any) -> str:
    pulled = sum((getattr(rep, "pulled", {}) or {}).values())
    return tr("同步完成：上传 {0} 条（县级平台接收 {1} 条，隔离 {2} 条），收到参考数据 {3} 条；仍待上传 {4} 条").format(
        rep.pushed, rep.accepted + rep.duplicate, rep.conflict + rep.rejected, pulled, rep.pending)
