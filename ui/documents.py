"""文书: issue, preview, print, reprint, export, whole case file; the 文书 page (list, QR check,
print the selected documents through QPrintDialog/QPrinter, or export them to a folder). Rendering is done by
``forms.service`` (through :mod:`ui.gateway.documents`)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtPrintSupport import QPrinter
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

from ui.gateway import documents
from ui.gateway.changes import OpChanges
from ui.ops import Ops, message_of
from ui.pdf_view import (
    PdfPreview,
    ask_and_print,
    ask_export,
    ask_printer,
    load_pdf,
    print_documents,
    print_to_pdf_file,
)
from ui.text import tr
from ui.widgets import fmt_date, show_error


class DocumentsPane(QWidget):
    """The documents tab of a case workspace."""

    issued = Signal(object)

    def __init__(self, ops: Ops, case_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("documentsPane")
        self.ops = ops
        self.case_id = case_id
        self.state = QLabel("")
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
        if self.ops.profile is not None:
            self.ops.call_p(documents.available, self.case_id, done=self._set_choices,
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
            self.ops.call_p(documents.preview, self.case_id, doc_type, progress=tr("正在生成预览…"),
                            parent=self, done=lambda b: self.pdf.set_pdf(b, tr("预览：") + self.doc_type.currentText()),
                            fail=self._fail)

    def issue(self) -> None:
        doc_type = self.doc_type.currentData()
        if doc_type:
            self.ops.call_p(documents.issue, self.case_id, doc_type,
                            progress=tr("正在出具文书…"), parent=self, done=self._issued, fail=self._fail)

    def _issued(self, row: Any) -> None:
        self.state.setText(tr("已出具：{0}").format(getattr(row, "number", "") or ""))
        self.issued.emit(row)
        doc_id = getattr(row, "id", None)
        if doc_id:
            self.ops.call_p(documents.reprint, doc_id, done=lambda b: self.pdf.set_pdf(
                b, getattr(row, "number", "") or ""), fail=self._fail)

    def reprint(self) -> None:
        it = self.list.currentItem()
        if it is None:
            return
        doc_id = it.data(0, Qt.ItemDataRole.UserRole)
        caption = it.text(1)
        self.ops.call_p(documents.reprint, doc_id, progress=tr("正在重印…"), parent=self,
                        done=lambda b: self.pdf.set_pdf(b, caption), fail=self._fail)

    def export(self) -> None:
        if self.pdf.pdf_bytes:
            ask_export(self, self.pdf.pdf_bytes, "文书.pdf")

    def casefile(self) -> None:
        self.ops.call_p(documents.casefile, self.case_id, progress=tr("正在生成全案卷…"), parent=self,
                        done=lambda b: self.pdf.set_pdf(b, tr("全案卷")), fail=self._fail)

    def print_to_file(self, path: str) -> int:
        return print_to_pdf_file(self.pdf, path)


class DocumentsPage(QWidget):
    """文书 view: every issued document; verify a printout by its QR string; batch print."""

    open_case = Signal(str)
    printed = Signal(int)  # pages sent to the printer

    def __init__(self, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("documentsPage")
        self.ops = ops
        self.state = QLabel("")
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
        batch = QPushButton(tr("打印所选(&B)…"))
        batch.setObjectName("printSelected")
        batch.clicked.connect(self.batch_print)
        export = QPushButton(tr("导出所选到文件夹(&F)…"))
        export.setObjectName("exportSelected")
        export.clicked.connect(self.export_selected)
        qrow = QHBoxLayout()
        qrow.addWidget(self.qr, 1)
        qrow.addWidget(verify)
        lay = QVBoxLayout(self)
        lay.addWidget(self.state)
        lay.addLayout(qrow)
        lay.addWidget(self.verdict)
        lay.addWidget(self.list, 1)
        brow = QHBoxLayout()
        brow.addStretch(1)
        brow.addWidget(export)
        brow.addWidget(batch)
        lay.addLayout(brow)
        ops.changed.connect(self._data_changed)

    def _data_changed(self, changes: OpChanges) -> None:
        if changes.documents or changes.profile:
            self.reload()

    def reload(self) -> None:
        if self.ops.profile is not None:
            self.ops.call_p(documents.list_documents, done=self._show, fail=lambda e: self.state.setText(message_of(e)))

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
            self.ops.call_p(documents.verify_qr, text, done=self._verdict,
                            fail=lambda e: self.verdict.setText("✗ " + message_of(e)))

    def _verdict(self, r: Any) -> None:
        if r.ok:
            self.verdict.setText(tr("✓ 核验通过：{0}（案件 {1}，出具于 {2}）").format(
                r.reason or r.number or "", r.case_number or tr("（未立案）"), fmt_date(r.issued_at)))
        else:
            self.verdict.setText(tr("✗ 核验未通过：{0}").format(r.reason))
        self.verdict.setProperty("state", "ok" if r.ok else "bad")
        self.verdict.style().unpolish(self.verdict)
        self.verdict.style().polish(self.verdict)

    def selected_ids(self) -> list[str]:
        """Selected documents in list order (the order they are printed in)."""
        items = sorted(self.list.selectedItems(), key=lambda it: self.list.indexOfTopLevelItem(it))
        return [it.data(0, Qt.ItemDataRole.UserRole) for it in items]

    def batch_print(self) -> None:
        """打印所选: reprint the selected documents on the worker, then the system print dialog."""
        if self.selected_ids():
            self.print_selected(None)

    def print_selected(self, printer: QPrinter | None) -> None:
        """Print the selected documents' reprints as one job. ``printer`` None asks with
        QPrintDialog once the PDFs are ready; a given printer (e.g. PdfFormat to a file) is used as is."""
        ids = self.selected_ids()
        if not ids:
            return

        self.state.setText(tr("正在准备打印…"))
        self.ops.call_p(documents.reprints, ids, progress=tr("正在重印所选文书…"), parent=self,
                        done=lambda pdfs: self._print_pdfs(pdfs, printer), fail=self._fail)

    def _print_pdfs(self, pdfs: list[bytes], printer: QPrinter | None) -> None:
        if printer is None:
            printer = ask_printer(self, tr("打印所选文书（{0} 份）").format(len(pdfs)))
            if printer is None:
                self.state.setText(tr("已取消打印"))
                return
        docs = [load_pdf(data, self) for data in pdfs]
        try:
            pages = print_documents(docs, printer)
        finally:
            for d in docs:
                d.close()
                d.deleteLater()
        if pages:
            self.state.setText(tr("已打印 {0} 份，共 {1} 页").format(len(pdfs), pages))
        else:
            self.state.setText(tr("打印机未能开始打印，请检查打印机或改用“导出所选到文件夹”"))
        self.printed.emit(pages)

    def export_selected(self) -> None:
        """导出所选到文件夹: one PDF per selected document, named by order, title and 文号."""
        chosen = sorted(self.list.selectedItems(), key=lambda it: self.list.indexOfTopLevelItem(it))
        if not chosen:
            return
        folder = QFileDialog.getExistingDirectory(self, tr("选择导出目录"))
        if folder:
            self.export_to(folder, [(it.data(0, Qt.ItemDataRole.UserRole), f"{it.text(1)}-{it.text(0)}")
                                    for it in chosen])

    def export_to(self, folder: str, docs: list[tuple[str, str]]) -> None:
        targets = [(doc_id, f"{i:03d}-{safe_name(name)}.pdf") for i, (doc_id, name) in enumerate(docs, 1)]
        self.ops.call_p(documents.export_reprints, folder, targets, progress=tr("正在导出文书…"), parent=self,
                        done=lambda p: self.state.setText(tr("已导出 {0} 份到 {1}").format(len(p), folder)),
                        fail=self._fail)

    def _fail(self, exc: BaseException) -> None:
        self.state.setText(message_of(exc))
        show_error(self, exc)


def safe_name(text: str) -> str:
    """A file name part without the characters Windows and Linux refuse."""
    return "".join("_" if ch in '\\/:*?"<>|' or ord(ch) < 32 else ch for ch in text).strip()[:80] or "文书"
