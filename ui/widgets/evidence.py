"""证据 pane: import (dialog or drag and drop), thumbnails for images, export, integrity state."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QIcon, QImage, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from lishui_desk.procedure import vocabulary as V
from ui.text import tr


class EvidencePane(QWidget):
    """证据: import (dialog or drop), thumbnails for images, export, integrity state."""

    import_files = Signal(list, str, str)  # paths, kind, description
    export_one = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAcceptDrops(True)
        self.uploads: dict[str, str] = {}  # evidence id -> upload state (once enrolled)
        self.remote: set[str] = set()  # evidence ids whose file is at the county only (未下载)
        self._rows: dict[str, Any] = {}
        self._verified: dict[str, bool] | None = None
        self.list = QListWidget()
        self.list.setObjectName("evidenceList")
        self.list.setViewMode(QListWidget.ViewMode.IconMode)
        self.list.setIconSize(QSize(128, 128))
        self.list.setGridSize(QSize(200, 190))
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.list.setWordWrap(True)
        self.kind = QComboBox()
        self.kind.addItems(list(V.EVIDENCE_KINDS))
        self.kind.setCurrentText("视听资料")
        self.description = QLineEdit()
        self.description.setPlaceholderText(tr("证明内容（可留空，默认为文件名）"))
        add = QPushButton(tr("导入文件(&I)…"))
        add.clicked.connect(self._pick)
        export = QPushButton(tr("导出(&X)…"))
        export.clicked.connect(self._export)
        self.hint = QLabel(tr("可把照片、录音、录像、扫描件直接拖到这里"))
        self.hint.setObjectName("hint")
        row = QHBoxLayout()
        row.addWidget(QLabel(tr("种类")))
        row.addWidget(self.kind)
        row.addWidget(self.description, 1)
        row.addWidget(add)
        row.addWidget(export)
        lay = QVBoxLayout(self)
        lay.addLayout(row)
        lay.addWidget(self.list, 1)
        lay.addWidget(self.hint)

    def show_evidence(self, rows: list[Any], verified: dict[str, bool] | None = None) -> None:
        self.list.clear()
        self._rows = {r.id: r for r in rows}
        self._verified = verified
        for r in rows:
            it = QListWidgetItem(self._text(r))
            it.setData(Qt.ItemDataRole.UserRole, r.id)
            it.setToolTip(tr("{0}\nSHA-256 {1}\n{2} 字节\n{3} {4}").format(
                r.original_name or "", r.sha256 or "", r.size or 0, r.captured_at or "", r.captured_place or ""))
            self.list.addItem(it)

    def _text(self, r: Any) -> str:
        state = ""
        if not r.blob_id:
            state = tr("登记在案（无电子文件）")
        elif r.id in self.remote:  # recorded on another laptop: its bytes are at the county
            remote = tr("在县级平台（未下载）")
            return f"{r.kind}\n{r.description}\n{remote}"
        elif self._verified is not None and r.id in self._verified:
            state = tr("✓ 完整") if self._verified[r.id] else tr("✗ 文件与登记哈希不符")
        upload = self.uploads.get(r.id)
        if upload:
            state = f"{state} · {upload}" if state else upload
        return f"{r.kind}\n{r.description}\n{state}"

    def set_uploads(self, states: dict[str, str]) -> None:
        """Each file's upload state to the county (已上传 / x% / 等待上传 / 仅U盘)."""
        self.uploads = dict(states)
        for i in range(self.list.count()):
            it = self.list.item(i)
            r = self._rows.get(it.data(Qt.ItemDataRole.UserRole))
            if r is not None:
                it.setText(self._text(r))

    def set_remote(self, evidence_ids: list[str]) -> None:
        """The files this laptop does not hold (在县级平台（未下载）): no thumbnail, no export."""
        self.remote = set(evidence_ids)
        for i in range(self.list.count()):
            it = self.list.item(i)
            eid = it.data(Qt.ItemDataRole.UserRole)
            r = self._rows.get(eid)
            if r is not None:
                it.setText(self._text(r))
            if eid in self.remote:
                it.setIcon(QIcon())
                it.setToolTip(tr("该文件由本乡镇的另一台设备记录，尚未下载到本机：在“同步”页点“下载证据”后可查看和导出"))

    def is_remote(self, evidence_id: str) -> bool:
        return evidence_id in self.remote

    def upload_state(self, evidence_id: str) -> str:
        return self.uploads.get(evidence_id, "")

    def set_thumbnail(self, evidence_id: str, data: bytes) -> None:
        img = QImage.fromData(data)
        if img.isNull():
            return
        pix = QPixmap.fromImage(img.scaled(128, 128, Qt.AspectRatioMode.KeepAspectRatio,
                                           Qt.TransformationMode.SmoothTransformation))
        for i in range(self.list.count()):
            it = self.list.item(i)
            if it.data(Qt.ItemDataRole.UserRole) == evidence_id:
                it.setIcon(QIcon(pix))

    def thumbnails(self) -> int:
        return sum(1 for i in range(self.list.count()) if not self.list.item(i).icon().isNull())

    def _pick(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, tr("选择证据文件"), "",
                                                tr("证据文件 (*.jpg *.jpeg *.png *.bmp *.gif *.tif *.tiff *.mp4 *.mov *.avi "
                                                   "*.mp3 *.wav *.m4a *.amr *.pdf);;所有文件 (*)"))
        if paths:
            self.import_files.emit(paths, self.kind.currentText(), self.description.text().strip())

    def _export(self) -> None:
        it = self.list.currentItem()
        if it is None:
            return
        if it.data(Qt.ItemDataRole.UserRole) in self.remote:
            self.hint.setText(tr("该证据文件在县级平台（未下载）：请先在“同步”页点“下载证据”，再导出"))
            return
        self.export_one.emit(it.data(Qt.ItemDataRole.UserRole))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            self.import_files.emit(paths, self.kind.currentText(), self.description.text().strip())
            event.acceptProposedAction()
