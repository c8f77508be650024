"""同步: the county hub link as an officer needs it — last success, how much waits to be sent, the
next automatic attempt, 立即同步 / 上传证据 / 导出U盘包 / 导入U盘包 on the sync worker with progress
and 取消, the evidence upload queue (证据上传), the items the hub set aside (隔离) with its reason
and 重新排队, and enrollment with the one-time code (登记码) from the county."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.auto_sync import AutoSync
from ui.gateway import media as media_gw
from ui.gateway import sync
from ui.gateway.changes import OpChanges
from ui.ops import Ops, message_of
from ui.qdates import working_qdate
from ui.sync_runner import SyncRunner
from ui.sync_schedule import SyncSchedule
from ui.text import tr
from ui.widgets.common import fit_columns, fit_to_window, show_error
from ui.widgets.media_queue import MediaQueue, size_text


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
    """Status (with the next automatic attempt), 立即同步, U盘包 export and import, 登记, the
    evidence upload queue, and the quarantined items with 重新排队. Link work runs on the sync
    worker (``runner``), never on the main ops worker."""

    def __init__(self, ops: Ops, runner: SyncRunner | None = None, auto: AutoSync | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("syncPage")
        self.ops = ops
        self.runner = runner or SyncRunner(ops, self)
        self.auto = auto or AutoSync(ops, self.runner, parent=self)
        self.data: dict[str, Any] = {}
        self.status = QLabel(tr("正在读取…"))
        self.status.setObjectName("syncStatus")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result = QLabel()
        self.result.setObjectName("syncResult")
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.sync_btn = QPushButton(tr("立即同步(&S)"))
        self.sync_btn.setObjectName("syncNow")
        self.sync_btn.clicked.connect(self.sync_now)
        self.export_btn = QPushButton(tr("导出U盘包(&X)…"))
        self.export_btn.setObjectName("bundleExport")
        self.export_btn.setToolTip(tr("没有网络时：把待上传的记录和“仅U盘”的证据导出为加密数据包，带到县局导入"))
        self.export_btn.clicked.connect(self.ask_export)
        self.import_btn = QPushButton(tr("导入U盘包(&I)…"))
        self.import_btn.setObjectName("bundleImport")
        self.import_btn.setToolTip(tr("导入县局导出给本机的数据包：确认记录、参考数据、已用文号"))
        self.import_btn.clicked.connect(self.ask_import)
        self.enroll_btn = QPushButton(tr("登记到县级平台(&E)…"))
        self.enroll_btn.setObjectName("syncEnroll")
        self.enroll_btn.clicked.connect(self.ask_enroll)
        row = QHBoxLayout()
        for b in (self.sync_btn, self.export_btn, self.import_btn, self.enroll_btn):
            row.addWidget(b)
        row.addStretch(1)
        self.bar = QProgressBar()
        self.bar.setObjectName("syncProgress")
        self.bar.setTextVisible(False)
        self.bar.setMaximumHeight(14)
        self.cancel_btn = QPushButton(tr("取消(&C)"))
        self.cancel_btn.setObjectName("syncCancel")
        self.cancel_btn.clicked.connect(self.runner.cancel)
        self.activity = QLabel()
        self.activity.setObjectName("syncActivity")
        busy_row = QHBoxLayout()
        busy_row.addWidget(self.activity)
        busy_row.addWidget(self.bar, 1)
        busy_row.addWidget(self.cancel_btn)
        self.busy_box = QWidget()
        self.busy_box.setLayout(busy_row)
        busy_row.setContentsMargins(0, 0, 0, 0)
        self.busy_box.setVisible(False)

        self.media = MediaQueue()
        self.media.upload.connect(self.upload_media)
        self.media.download.connect(self.download_media)
        self.media.usb_only.connect(self.set_usb_only)
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
        q_box = QWidget()
        q_lay = QVBoxLayout(q_box)
        self.q_hint = QLabel()
        self.q_hint.setWordWrap(True)
        q_lay.addWidget(self.q_hint)
        q_lay.addWidget(self.items, 1)
        q_lay.addWidget(self.requeue_btn, 0, Qt.AlignmentFlag.AlignLeft)
        self.lists = QTabWidget()
        self.lists.setObjectName("syncLists")
        self.lists.addTab(self.media, tr("证据上传"))
        self.lists.addTab(q_box, tr("被县级平台隔离的条目"))
        top = QGroupBox(tr("同步状态"))
        form = QVBoxLayout(top)
        form.addWidget(self.status)
        form.addLayout(row)
        form.addWidget(self.busy_box)
        form.addWidget(self.result)
        lay = QVBoxLayout(self)
        lay.addWidget(top)
        lay.addWidget(self.lists, 1)
        self.dialog: EnrollDialog | None = None
        ops.changed.connect(self._data_changed)
        self.runner.busy_changed.connect(self._busy)
        self.runner.progress.connect(self._progress)
        self.auto.schedule_changed.connect(self._show_status)
        self.auto.round_started.connect(lambda: self.result.setText(tr("正在同步…")))
        self.auto.round_finished.connect(self._round_finished)

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
            self.ops.call_p(media_gw.queue, done=self.show_media, fail=lambda e: self.media.summary.setText(message_of(e)))

    def show_overview(self, d: dict[str, Any]) -> None:
        self.data = d
        self.auto.saw_status(d)
        self._show_status()
        self.enroll_btn.setVisible(not d.get("enrolled") or bool(d.get("revoked")))
        self.items.clear()
        for r in d.get("items", []):
            it = QTreeWidgetItem([r["case"], tr("第{0}条：{1}").format(r["seq"], r["what"]), r["day"], r["reason"]])
            it.setData(0, Qt.ItemDataRole.UserRole, r["id"])
            it.setToolTip(3, r["reason"])
            self.items.addTopLevelItem(it)
        n = self.items.topLevelItemCount()
        self.lists.setTabText(1, tr("被县级平台隔离的条目（{0}）").format(n))
        self.q_hint.setText(tr("县级平台收到但未接收这些记录（例如与县里已有的记录不衔接），其余记录照常同步。"
                               "核实原因后可重新排队，下次同步时重发。") if n else tr("没有被隔离的条目"))
        self.requeue_btn.setEnabled(n > 0)
        first = self.items.topLevelItem(0)
        if n and first is not None and self.items.currentItem() is None:
            self.items.setCurrentItem(first)
        self._busy(self.runner.busy)

    def show_media(self, d: dict[str, Any]) -> None:
        self.media.show_queue(d)
        self.lists.setTabText(0, tr("证据上传（{0}）").format(len(d.get("files", []))))
        self.media.set_busy(self.runner.busy)

    def _show_status(self) -> None:
        if self.data:
            text = status_text(self.data, self.auto.schedule)
            if self.auto.last_media_error:
                text += "\n" + media_error_text(self.auto.last_media_error)
            self.status.setText(text)

    def _busy(self, busy: bool) -> None:
        ok = bool(self.data.get("enrolled")) and not self.data.get("revoked")
        for b in (self.sync_btn, self.export_btn, self.import_btn):
            b.setEnabled(ok and not busy)
        self.media.set_busy(busy or not ok)
        self.busy_box.setVisible(busy)
        # only an evidence upload stops safely part-way (after the chunk in flight)
        can_cancel = busy and self.runner.label in ("media", "fetch")
        self.cancel_btn.setEnabled(can_cancel)
        if can_cancel and self.runner.label == "fetch":
            self.cancel_btn.setToolTip(tr("停止下载：已下载的部分（加密保存）保留，下次从断点继续"))
        elif can_cancel:
            self.cancel_btn.setToolTip(tr("停止上传：已送达的部分保留，下次从断点继续"))
        elif self.runner.label == "sync":
            self.cancel_btn.setToolTip(tr("一轮同步不能中途取消；县级平台已确认的记录不会丢失"))
        else:
            self.cancel_btn.setToolTip(tr("导出、导入U盘包不能中途取消；完成前请勿拔出U盘"))
        if busy:
            self.bar.setRange(0, 0)  # busy until the job reports figures
            self.activity.setText(activity_text(self.runner.label))
        else:
            self.bar.setRange(0, 1)

    def _progress(self, p: dict[str, Any]) -> None:
        if p.get("bytes_total"):
            self.bar.setRange(0, 1000)
            self.bar.setValue(int(1000 * p.get("bytes_done", 0) / max(1, p["bytes_total"])))
            self.media.show_progress(p)

    # -- 立即同步 and the automatic rounds ------------------------------------------------------
    def sync_now(self) -> None:
        if self.auto.sync_now():
            self.result.setText(tr("正在同步…"))

    def _round_finished(self, rep: Any, exc: BaseException | None) -> None:
        if exc is None:
            text = report_text(rep)
            if getattr(rep, "media_error", None):
                text = tr("案件记录已同步，但证据上传未完成") + "\n" + text + "\n" + media_error_text(rep.media_error)
            self.result.setText(text)
            self._show_status()
        else:
            self.result.setText(tr("同步未完成：{0}").format(message_of(exc)))
        self.reload()

    # -- 证据上传 -------------------------------------------------------------------------------
    def upload_media(self) -> None:
        if self.runner.start(media_gw.upload, label="media", done=self._uploaded, fail=self._job_failed):
            self.result.setText(tr("正在上传证据…"))

    def _uploaded(self, rep: dict[str, Any]) -> None:
        self.auto.last_media_error = None  # 上传证据 went through
        self.result.setText(tr("证据上传：完成 {0} 个文件，本次发送 {1}（续传 {2} 次），尚余 {3}").format(
            rep.get("files_done", 0), size_text(rep.get("bytes_sent", 0)), rep.get("resumed", 0),
            size_text(rep.get("remaining_bytes", 0))))
        self.reload()

    def download_media(self) -> None:
        if self.runner.start(media_gw.download, label="fetch", done=self._downloaded, fail=self._job_failed):
            self.result.setText(tr("正在下载证据…"))

    def _downloaded(self, rep: dict[str, Any]) -> None:
        text = tr("下载证据：完成 {0} 个文件，本次接收 {1}（续传 {2} 次）").format(
            rep.get("files_done", 0), size_text(rep.get("bytes_received", 0)), rep.get("resumed", 0))
        if rep.get("not_at_hub"):
            text += tr("；{0} 个文件县级平台尚未收齐，稍后再试").format(rep["not_at_hub"])
        if rep.get("refused"):
            text += tr("；{0} 个文件与证据记录的哈希不符，未保存").format(len(rep["refused"]))
        self.result.setText(text)
        self.reload()

    def set_usb_only(self, evidence_id: str, on: bool) -> None:
        self.ops.call_p(media_gw.set_usb_only, evidence_id, on, done=lambda _r: self.reload(),
                        fail=lambda e: show_error(self, e))

    def _job_failed(self, exc: BaseException) -> None:
        self.result.setText(tr("未完成：{0}").format(message_of(exc)))
        self.reload()

    # -- U盘包 -------------------------------------------------------------------------------
    def ask_export(self) -> None:
        name = tr("至县级平台-{0}.lsb").format(working_qdate().toString("yyyyMMdd"))
        path, _ = QFileDialog.getSaveFileName(self, tr("导出U盘包"), name, tr("执法数据包 (*.lsb)"))
        if path:
            self.export_to(path)

    def export_to(self, path: str) -> bool:
        started = self.runner.start(sync.export_bundle, path, label="export", done=self._exported,
                                    fail=self._bundle_failed)
        if started:
            self.result.setText(tr("正在导出U盘包…"))
        return started

    def _exported(self, out: dict[str, Any]) -> None:
        text = tr("已导出U盘包（第 {0} 号）：{1} 条待确认记录、{2} 个证据文件，共 {3}。请带到县局导入，"
                  "再把县局返回的数据包导入本机，这些记录才算确认。").format(
            out.get("seq", 0), out.get("items", 0), out.get("media_files", 0), size_text(out.get("bytes", 0)))
        if out.get("media_waiting"):
            text += tr("另有 {0} 个“仅U盘”证据文件超出本包容量，下次导出时带上。").format(out["media_waiting"])
        self.result.setText(text)
        self.reload()

    def ask_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, tr("导入U盘包"), "", tr("执法数据包 (*.lsb);;所有文件 (*)"))
        if path:
            self.import_from(path)

    def import_from(self, path: str) -> bool:
        started = self.runner.start(sync.import_bundle, path, label="import", done=self._imported,
                                    fail=self._bundle_failed)
        if started:
            self.result.setText(tr("正在导入U盘包…"))
        return started

    def _imported(self, out: dict[str, Any]) -> None:
        self.result.setText(import_text(out))
        self.reload()

    def _bundle_failed(self, exc: BaseException) -> None:
        self.result.setText(tr("U盘包未处理：{0}").format(message_of(exc)))
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
        self.dialog.enrolled.connect(self._enrolled)
        self.dialog.open()
        return self.dialog

    def _enrolled(self, a: dict[str, Any]) -> None:
        self.result.setText(tr("登记成功：{0}").format(a.get("township_name") or a.get("township_code") or ""))
        self.auto.schedule.enrolled(self.auto.clock())  # automatic sync from now on
        self._show_status()


def activity_text(label: str) -> str:
    return {"sync": tr("正在与县级平台同步…"), "media": tr("正在上传证据…"), "fetch": tr("正在下载证据…"),
            "export": tr("正在导出U盘包…"),
            "import": tr("正在导入U盘包…")}.get(label, tr("正在处理…"))


def import_text(out: dict[str, Any]) -> str:
    if out.get("already_imported"):
        return tr("此U盘包（第 {0} 号）已导入过，无变化").format(out.get("seq", 0))
    pulled = sum((out.get("pulled") or {}).values())
    text = tr("已导入县级数据包（第 {0} 号）：县级平台确认 {1} 条记录（重复 {2} 条），隔离 {3} 条，应用参考数据 {4} 条；"
              "仍待确认 {5} 条").format(out.get("seq", 0), out.get("accepted", 0), out.get("duplicate", 0),
                                   out.get("conflict", 0) + out.get("rejected", 0), pulled, out.get("pending", 0))
    if out.get("media_confirmed"):
        text += tr("；县级平台确认收到证据文件 {0} 个").format(out["media_confirmed"])
    if out.get("numbering_released"):
        text += tr("；已确认已用文号，恢复编号")
    return text


def next_text(schedule: SyncSchedule | None) -> str:
    if schedule is None or not schedule.enabled:
        return tr("自动同步：未开启（登记后本机在启动时、每 15 分钟和网络恢复时自动同步）")
    if schedule.running:
        return tr("正在同步…")
    if schedule.next_at is None:
        return tr("下次同步：点“立即同步”时")
    at = schedule.next_at.astimezone().strftime("%H:%M")
    if schedule.failures:
        return tr("下次尝试 {0}（已连续 {1} 次未成功，间隔逐次加长）").format(at, schedule.failures)
    return tr("下次自动同步 {0}").format(at)


def status_text(d: dict[str, Any], schedule: SyncSchedule | None = None) -> str:
    if not d.get("enrolled"):
        return tr("本机尚未登记到县级平台，案件记录只保存在本机。请向县局索取登记码后点“登记到县级平台”。\n"
                  "待上传：{0} 条").format(d.get("pending", 0))
    lines = [tr("上次成功同步：{0}").format(when(d.get("last_success"))),
             tr("待上传：{0} 条；县级平台已确认：{1} 条；隔离：{2} 条").format(
                 d.get("pending", 0), d.get("acked", 0), d.get("quarantined", 0)),
             next_text(schedule)]
    if d.get("reference_quarantined"):
        lines.append(tr("县级下发的参考数据有 {0} 条未能应用").format(d["reference_quarantined"]))
    if d.get("revoked"):
        lines.append(tr("本机已被县级平台停用，需要重新登记"))
    if d.get("last_error"):
        lines.append(tr("上次尝试（{0}）未成功：{1}").format(when(d.get("last_attempt")), d["last_error"]))
    return "\n".join(lines)


def media_error_text(message: str) -> str:
    return tr("上次自动同步时证据上传未完成：{0}。案件记录不受影响；下次同步时从断点继续，也可点“上传证据”").format(message)


def report_text(rep: Any) -> str:
    pulled = sum((getattr(rep, "pulled", {}) or {}).values())
    return tr("同步完成：上传 {0} 条（县级平台接收 {1} 条，隔离 {2} 条），收到参考数据 {3} 条；仍待上传 {4} 条").format(
        rep.pushed, rep.accepted + rep.duplicate, rep.conflict + rep.rejected, pulled, rep.pending)
