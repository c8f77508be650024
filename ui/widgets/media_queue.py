"""证据上传 on the 同步 page: the evidence files still owed to the county in upload order (文书,
照片, 录音, 录像), each with its state (等待上传 / x % / 仅U盘), the bytes sent of the total and an
ETA from the rate measured over the last upload; 上传证据 and the per-file 仅U盘 toggle; 下载证据 for
the files this laptop's cases name but another laptop recorded (在县级平台（未下载）)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.gateway.media import PARTIAL, USB, state_text
from ui.text import tr
from ui.widgets.common import fit_columns


def size_text(n: float) -> str:
    if n >= 1024 * 1024:
        return tr("{0:.1f} MB").format(n / (1024 * 1024))
    if n >= 1024:
        return tr("{0:.0f} KB").format(n / 1024)
    return tr("{0} 字节").format(int(n))


def eta_text(seconds: float | None) -> str:
    if seconds is None:
        return tr("完成时间：上传一次后按实测速率估算")
    minutes = max(1, round(seconds / 60))
    if minutes < 90:
        return tr("按实测速率约需 {0} 分钟").format(minutes)
    return tr("按实测速率约需 {0:.1f} 小时").format(minutes / 60)


class MediaQueue(QWidget):
    upload = Signal()
    download = Signal()
    usb_only = Signal(str, bool)  # evidence id, on

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mediaQueue")
        self.data: dict[str, Any] = {}
        self.summary = QLabel()
        self.summary.setObjectName("mediaSummary")
        self.summary.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setObjectName("mediaFiles")
        self.tree.setHeaderLabels([tr("文件"), tr("类别"), tr("案件"), tr("大小"), tr("状态")])
        self.tree.setRootIsDecorated(False)
        fit_columns(self.tree, 0)
        self.upload_btn = QPushButton(tr("上传证据(&U)"))
        self.upload_btn.setObjectName("mediaUpload")
        self.upload_btn.setToolTip(tr("按文书、照片、录音、录像的顺序断点续传；标为“仅U盘”的文件不经网络"))
        self.upload_btn.clicked.connect(self.upload.emit)
        self.usb_btn = QPushButton(tr("仅U盘传送(&B)"))
        self.usb_btn.setObjectName("mediaUsbOnly")
        self.usb_btn.setCheckable(True)
        self.usb_btn.setToolTip(tr("所选文件不经网络上传，改由U盘包带到县局（适合很大的录像）"))
        self.usb_btn.clicked.connect(self._toggle_usb)
        self.download_btn = QPushButton(tr("下载证据(&D)"))
        self.download_btn.setObjectName("mediaDownload")
        self.download_btn.setToolTip(tr("从县级平台下载本乡镇其他设备记录的证据文件（断点续传，核对哈希后保存）"))
        self.download_btn.clicked.connect(self.download.emit)
        self.download_label = QLabel()
        self.download_label.setObjectName("mediaDownloadSummary")
        self.tree.currentItemChanged.connect(lambda *_a: self._selection())
        row = QHBoxLayout()
        row.addWidget(self.upload_btn)
        row.addWidget(self.usb_btn)
        row.addWidget(self.download_btn)
        row.addWidget(self.download_label)
        row.addStretch(1)
        lay = QVBoxLayout(self)
        lay.addWidget(self.summary)
        lay.addWidget(self.tree, 1)
        lay.addLayout(row)
        self._selection()

    def show_queue(self, d: dict[str, Any]) -> None:
        self.data = d
        keep = self.current_evidence()
        self.tree.clear()
        for r in d.get("files", []):
            it = QTreeWidgetItem([r["name"] or tr("（未命名）"), r["kind"], r["case"], size_text(r["size"]),
                                  r["state_text"]])
            it.setData(0, Qt.ItemDataRole.UserRole, r["evidence_id"])
            it.setData(1, Qt.ItemDataRole.UserRole, r["sha256"])
            it.setData(4, Qt.ItemDataRole.UserRole, r["state"])
            self.tree.addTopLevelItem(it)
            if r["evidence_id"] == keep:
                self.tree.setCurrentItem(it)
        first = self.tree.topLevelItem(0)
        if first is not None and self.tree.currentItem() is None:
            self.tree.setCurrentItem(first)
        self.summary.setText(self.summary_text(d))
        self.download_label.setText(self.download_text(d))
        self._selection()

    @staticmethod
    def download_text(d: dict[str, Any]) -> str:
        if not d.get("download_files"):
            return ""
        return tr("待下载 {0} 个证据文件（{1}）").format(d["download_files"], size_text(d.get("download_bytes", 0)))

    @staticmethod
    def summary_text(d: dict[str, Any], *, done: int | None = None) -> str:
        files = d.get("files", [])
        if not d.get("enrolled", True):
            return tr("登记到县级平台后，证据文件在这里排队上传")
        if not files:
            return tr("所有证据文件均已送达县级平台")
        net = len(files) - d.get("usb_files", 0)
        got = d.get("bytes_done", 0) if done is None else done
        text = tr("媒体不完整：{0} 件案件的 {1} 个证据文件尚未送达").format(d.get("cases", 0), len(files))
        if d.get("usb_files"):
            text += tr("（其中 {0} 个仅U盘传送）").format(d["usb_files"])
        text += tr("；经网络已上传 {0} / {1}").format(size_text(got), size_text(d.get("bytes_total", 0)))
        if net:
            text += tr("；") + eta_text(d.get("eta_s"))
        return text

    def show_progress(self, p: dict[str, Any]) -> None:
        """One acknowledged chunk: the file's percentage and the totals, while the upload runs."""
        if p.get("download"):  # a range of 下载证据 is durable here
            self.download_label.setText(tr("正在下载证据：已下载 {0} / {1}").format(
                size_text(p.get("bytes_done", 0)), size_text(p.get("bytes_total", 0))))
            return
        for i in range(self.tree.topLevelItemCount()):
            it = self.tree.topLevelItem(i)
            if it is not None and it.data(1, Qt.ItemDataRole.UserRole) == p.get("name"):
                it.setText(4, state_text(PARTIAL, int(p.get("offset", 0)), int(p.get("size", 0)) or 1))
        rate = float(p.get("rate_bps") or 0)
        left = max(0, int(p.get("bytes_total", 0)) - int(p.get("bytes_done", 0)))
        self.summary.setText(tr("正在上传第 {0}/{1} 个文件：已上传 {2} / {3}；{4}").format(
            p.get("file", 0), p.get("files", 0), size_text(p.get("bytes_done", 0)), size_text(p.get("bytes_total", 0)),
            eta_text(left / rate if rate > 0 else None)))

    def current_evidence(self) -> str | None:
        it = self.tree.currentItem()
        return it.data(0, Qt.ItemDataRole.UserRole) if it is not None else None

    def select_evidence(self, evidence_id: str) -> bool:
        for i in range(self.tree.topLevelItemCount()):
            it = self.tree.topLevelItem(i)
            if it is not None and it.data(0, Qt.ItemDataRole.UserRole) == evidence_id:
                self.tree.setCurrentItem(it)
                return True
        return False

    def state_of(self, evidence_id: str) -> str:
        for i in range(self.tree.topLevelItemCount()):
            it = self.tree.topLevelItem(i)
            if it is not None and it.data(0, Qt.ItemDataRole.UserRole) == evidence_id:
                return it.text(4)
        return ""

    def set_busy(self, busy: bool) -> None:
        self.upload_btn.setEnabled(not busy and self._net_files() > 0)
        self._selection(busy)
        self.download_btn.setEnabled(not busy and bool(self.data.get("download_files")))

    def _net_files(self) -> int:
        return sum(1 for r in self.data.get("files", []) if r["state"] != USB)

    def _selection(self, busy: bool = False) -> None:
        it = self.tree.currentItem()
        self.usb_btn.setEnabled(it is not None and not busy)
        self.usb_btn.setChecked(it is not None and it.data(4, Qt.ItemDataRole.UserRole) == USB)
        self.upload_btn.setEnabled(not busy and self._net_files() > 0)
        self.download_btn.setEnabled(not busy and bool(self.data.get("download_files")))

    def _toggle_usb(self) -> None:
        it = self.tree.currentItem()
        if it is not None:
            self.usb_only.emit(it.data(0, Qt.ItemDataRole.UserRole), it.data(4, Qt.ItemDataRole.UserRole) != USB)
