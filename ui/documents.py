"""文书: issue, preview, print, reprint, export, whole case file; the 文书 page (list, QR check,
batch print). Rendering is done by ``forms.service``; while it is missing the views say so."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui import backend
from ui.ops import Ops, message_of
from ui.pdf_view import PdfPreview, ask_and_print, ask_export, print_to_pdf_file
from ui.text import tr
from ui.widgets import fmt_date, show_error

NOT_READY = "文书模块尚未就绪"


class DocumentsPane(QWidget):
    """The documents tab of a case workspace."""

    issued = Signal(object)

    def __init__(self, ops: Ops, case_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("documentsPane")
        self.ops = ops
        self.case_id = case_id
        self.ready = backend.has_service("forms.service")
        self.state = QLabel("" if self.ready else tr("文书模块尚未就绪"))
        self.state.setObjectName("docsState")
        self.doc_type = QComboBox()
        self.doc_type.setObjectName("docType")
        self.doc_type.currentIndexChanged.connect(self._choice_changed)
        self.missing = QLabel()
        self.missing.setObjectName("docMissing")
        self.missing.setWordWrap(True)
        self._titles: dict[str, str] = {}
        self.preview_btn = QPushButton(tr("预览(&V)"))
        self.issue_btn = QPushButton(tr("出具(&I)"))
        self.reprint_btn = QPushButton(tr("重印(&R)"))
        self.print_btn = QPushButton(tr("打印(&P)…"))
        self.export_btn = QPushButton(tr("导出 PDF(&E)…"))
        self.casefile_btn = QPushButton(tr("全案卷(&C)"))
        for b in (self.preview_btn, self.issue_btn, self.reprint_btn, self.print_btn, self.export_btn,
                  self.casefile_btn):
            b.setEnabled(self.ready)
        self.preview_btn.clicked.connect(self.preview)
        self.issue_btn.clicked.connect(self.issue)
        self.reprint_btn.clicked.connect(self.reprint)
        self.print_btn.clicked.connect(lambda: ask_and_print(self, self.pdf) if self.pdf.pdf_bytes else None)
        self.export_btn.clicked.connect(self.export)
        self.casefile_btn.clicked.connect(self.casefile)
        self.list = QTreeWidget()
        self.list.setObjectName("issuedDocs")
        self.list.setHeaderLabels([tr("文书"), tr("文号"), tr("出具时间")])
        self.list.setRootIsDecorated(False)
        self.list.setColumnWidth(0, 200)
        self.list.itemActivated.connect(lambda *_: self.reprint())
        self.pdf = PdfPreview()

        row = QHBoxLayout()
        row.addWidget(self.doc_type, 1)
        row.addWidget(self.preview_btn)
        row.addWidget(self.issue_btn)
        row2 = QHBoxLayout()
        row2.addWidget(self.reprint_btn)
        row2.addWidget(self.print_btn)
        row2.addWidget(self.export_btn)
        row2.addWidget(self.casefile_btn)
        left = QWidget()
        left_lay = QVBoxLayout(left)
        left_lay.addWidget(self.state)
        left_lay.addLayout(row)
        left_lay.addWidget(self.missing)
        left_lay.addWidget(self.list, 1)
        left_lay.addLayout(row2)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(self.pdf)
        split.setStretchFactor(1, 2)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(split)

    def show_documents(self, docs: list[Any]) -> None:
        self.list.clear()
        if self.ready and self.ops.profile is not None:
            self.ops.call_p(backend.available_documents, self.case_id, done=self._set_choices,
                            fail=lambda e: self.state.setText(message_of(e)))
        for d in docs:
            it = QTreeWidgetItem([getattr(d, "title", None) or self._titles.get(d.doc_type, d.doc_type),
                                  d.number or tr("（无文号）"),
                                  str(d.issued_at)[:16].replace("T", " ")])
            it.setData(0, Qt.ItemDataRole.UserRole, d.id)
            self.list.addTopLevelItem(it)

    def _set_choices(self, choices: list[Any]) -> None:
        """Documents that fit the case's record, each with what it still lacks."""
        current = self.doc_type.currentData()
        self.doc_type.blockSignals(True)
        self.doc_type.clear()
        for c in choices:
            self._titles[c.doc_type] = c.title
            mark = "✓ " if c.ready else "… "
            self.doc_type.addItem(mark + c.title, c.doc_type)
            self.doc_type.setItemData(self.doc_type.count() - 1, "；".join(c.missing), Qt.ItemDataRole.ToolTipRole)
        idx = self.doc_type.findData(current)
        self.doc_type.setCurrentIndex(max(0, idx))
        self.doc_type.blockSignals(False)
        self._choices = {c.doc_type: c for c in choices}
        self._choice_changed()

    def _choice_changed(self, *_a: Any) -> None:
        c = getattr(self, "_choices", {}).get(self.doc_type.currentData())
        if c is None:
            self.missing.clear()
            return
        self.missing.setText(tr("尚缺：") + "；".join(c.missing) if c.missing else tr("可以出具"))

    def _fail(self, exc: BaseException) -> None:
        self.state.setText(message_of(exc))
        show_error(self, exc)

    def preview(self) -> None:
        doc_type = self.doc_type.currentData()
        if doc_type:
            self.ops.call_p(backend.preview_document, self.case_id, doc_type, progress=tr("正在生成预览…"),
                            parent=self, done=lambda b: self.pdf.set_pdf(b, tr("预览：") + self.doc_type.currentText()),
                            fail=self._fail)

    def issue(self) -> None:
        doc_type = self.doc_type.currentData()
        if doc_type:
            self.ops.call_p(backend.issue_document, self.case_id, doc_type, mutating=True,
                            progress=tr("正在出具文书…"), parent=self, done=self._issued, fail=self._fail)

    def _issued(self, row: Any) -> None:
        self.state.setText(tr("已出具：{0}").format(getattr(row, "number", "") or ""))
        self.issued.emit(row)
        doc_id = getattr(row, "id", None)
        if doc_id:
            self.ops.call_p(backend.reprint, doc_id, done=lambda b: self.pdf.set_pdf(
                b, getattr(row, "number", "") or ""), fail=self._fail)

    def reprint(self) -> None:
        it = self.list.currentItem()
        if it is None:
            return
        doc_id = it.data(0, Qt.ItemDataRole.UserRole)
        caption = it.text(1)
        self.ops.call_p(backend.reprint, doc_id, progress=tr("正在重印…"), parent=self,
                        done=lambda b: self.pdf.set_pdf(b, caption), fail=self._fail)

    def export(self) -> None:
        if self.pdf.pdf_bytes:
            ask_export(self, self.pdf.pdf_bytes, "文书.pdf")

    def casefile(self) -> None:
        self.ops.call_p(backend.casefile, self.case_id, progress=tr("正在生成全案卷…"), parent=self,
                        done=lambda b: self.pdf.set_pdf(b, tr("全案卷")), fail=self._fail)

    def print_to_file(self, path: str) -> int:
        return print_to_pdf_file(self.pdf, path)


class DocumentsPage(QWidget):
    """文书 view: every issued document; verify a printout by its QR string; batch print."""

    open_case = Signal(str)

    def __init__(self, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("documentsPage")
        self.ops = ops
        self.ready = backend.has_service("forms.service")
        self.state = QLabel("" if self.ready else tr("文书模块尚未就绪"))
        self.state.setObjectName("docsState")
        self.list = QTreeWidget()
        self.list.setObjectName("allDocs")
        self.list.setHeaderLabels([tr("文号"), tr("文书"), tr("案件"), tr("出具日期")])
        self.list.setSelectionMode(QTreeWidget.SelectionMode.ExtendedSelection)
        self.list.setRootIsDecorated(False)
        self.list.itemActivated.connect(self._open)
        self.qr = QLineEdit()
        self.qr.setObjectName("qrInput")
        self.qr.setPlaceholderText(tr("扫描或粘贴文书上的二维码内容，如 LSD1|…|…"))
        self.qr.returnPressed.connect(self.verify)
        verify = QPushButton(tr("核验(&V)"))
        verify.clicked.connect(self.verify)
        self.verdict = QLabel()
        self.verdict.setObjectName("qrVerdict")
        self.verdict.setWordWrap(True)
        batch = QPushButton(tr("批量打印所选(&B)…"))
        batch.clicked.connect(self.batch_print)
        for w in (verify, batch, self.qr):
            w.setEnabled(self.ready)
        qrow = QHBoxLayout()
        qrow.addWidget(self.qr, 1)
        qrow.addWidget(verify)
        lay = QVBoxLayout(self)
        lay.addWidget(self.state)
        lay.addLayout(qrow)
        lay.addWidget(self.verdict)
        lay.addWidget(self.list, 1)
        lay.addWidget(batch, 0, Qt.AlignmentFlag.AlignRight)
        ops.changed.connect(self.reload)

    def reload(self) -> None:
        if self.ready and self.ops.profile is not None:
            self.ops.call_p(backend.list_documents, done=self._show, fail=lambda e: self.state.setText(message_of(e)))

    def _show(self, docs: list[Any]) -> None:
        self.list.clear()
        for d in docs:
            g = (lambda k, d=d: d.get(k)) if isinstance(d, dict) else (lambda k, d=d: getattr(d, k, None))
            it = QTreeWidgetItem([g("number") or tr("（无文号）"), g("title") or g("doc_type") or "",
                                  g("case_number") or "", fmt_date(g("issued_at"))])
            it.setData(0, Qt.ItemDataRole.UserRole, g("id"))
            it.setData(1, Qt.ItemDataRole.UserRole, g("case_id"))
            self.list.addTopLevelItem(it)

    def _open(self, item: QTreeWidgetItem) -> None:
        cid = item.data(1, Qt.ItemDataRole.UserRole)
        if cid:
            self.open_case.emit(cid)

    def verify(self) -> None:
        text = self.qr.text().strip()
        if text:
            self.ops.call_p(backend.verify_qr, text, done=self._verdict,
                            fail=lambda e: self.verdict.setText("✗ " + message_of(e)))

    def _verdict(self, r: Any) -> None:
        if r.ok:
            self.verdict.setText(tr("✓ 与登记一致：{0}（{1}，案件 {2}，出具于 {3}）").format(
                r.number or "", r.doc_type or "", r.case_number or "", fmt_date(r.issued_at)))
        else:
            self.verdict.setText(tr("✗ 与登记不符：{0}").format(r.reason))
        self.verdict.setProperty("state", "ok" if r.ok else "bad")
        self.verdict.style().unpolish(self.verdict)
        self.verdict.style().polish(self.verdict)

    def batch_print(self) -> None:
        ids = [it.data(0, Qt.ItemDataRole.UserRole) for it in self.list.selectedItems()]
        if not ids:
            return
        folder = QFileDialog.getExistingDirectory(self, tr("选择导出目录（无打印机时）"))
        if not folder:
            return

        def _all(profile: Any) -> list[str]:
            paths = []
            for i, doc_id in enumerate(ids, 1):
                paths.append(backend.write_bytes(f"{folder}/{i:03d}.pdf", backend.reprint(profile, doc_id)))
            return paths

        self.ops.call_p(_all, progress=tr("正在批量输出文书…"), parent=self,
                        done=lambda p: self.state.setText(tr("已输出 {0} 份").format(len(p))), fail=self._fail)

    def _fail(self, exc: BaseException) -> None:
        show_error(self, exc)
