"""文书: issue, preview, print, reprint, export, whole case file; the 文书 page (list, QR check,
print the selected documents through QPrintDialog/QPrinter, or export them to a folder). Rendering is done by
``forms.service`` (through :mod:`ui.gateway.documents`)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from ui.gateway import documents
from ui.gateway.changes import OpChanges
from ui.models.documents_table import DocumentsTableModel
from ui.models.rows import CASE_ROLE
from ui.ops import Ops, message_of
from ui.text import tr
from ui.widgets import fit_columns, fmt_date, show_error
from ui.widgets.pdf_view import (
    ask_printer,
    load_pdf,
    print_documents,
)


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
        self.model = DocumentsTableModel(self)
        self.list = QTreeView()
        self.list.setObjectName("allDocs")
        self.list.setModel(self.model)
        self.list.setSelectionMode(QTreeView.SelectionMode.ExtendedSelection)
        self.list.setSelectionBehavior(QTreeView.SelectionBehavior.SelectRows)
        self.list.setRootIsDecorated(False)
        self.list.setItemsExpandable(False)
        self.list.setUniformRowHeights(True)
        fit_columns(self.list, 1)
        self.list.activated.connect(self._open)
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
        self.state.setText("" if docs else tr("尚未出具任何文书：在案件的“文书”页预览并出具后，会列在这里"))
        self.model.set_documents(docs)

    def _open(self, index: Any) -> None:
        cid = self.model.data(index, CASE_ROLE)
        if cid:
            self.open_case.emit(cid)

    def row_count(self) -> int:
        return self.model.rowCount()

    def select_rows(self, rows: list[int]) -> None:
        """Select exactly these rows (as a click with Ctrl would)."""
        sel = self.list.selectionModel()
        sel.clearSelection()
        for r in rows:
            sel.select(self.model.index(r, 0), sel.SelectionFlag.Select | sel.SelectionFlag.Rows)

    def _selected_rows(self) -> list[int]:
        return sorted(i.row() for i in self.list.selectionModel().selectedRows())

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
        return [self.model.key(r) for r in self._selected_rows()]

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
        chosen = self._selected_rows()
        if not chosen:
            return
        folder = QFileDialog.getExistingDirectory(self, tr("选择导出目录"))
        if folder:
            self.export_to(folder, [(self.model.key(r), f"{self.model.text(r, 1)}-{self.model.text(r, 0)}")
                                    for r in chosen])

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
