"""A case's 文书 tab: issue, preview, print, reprint, export, whole case file."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.gateway import documents
from ui.models.timeline import doc_titles
from ui.ops import Ops, message_of
from ui.text import tr
from ui.widgets import fit_columns, show_error
from ui.widgets.editors import elide
from ui.widgets.pdf_view import (
    PdfPreview,
    ask_and_print,
    ask_export,
    print_to_pdf_file,
)


class DocumentsPane(QWidget):
    """The documents tab of a case workspace."""

    issued = Signal(object)
    pdf: PdfPreview  # built below the buttons that print and export it

    def __init__(self, ops: Ops, case_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("documentsPane")
        self.ops = ops
        self.case_id = case_id
        self.state = QLabel("")
        self.state.setObjectName("docsState")
        self.doc_type = QComboBox()
        elide(self.doc_type, 12)
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
        fit_columns(self.list, 0)
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
            it = QTreeWidgetItem([getattr(d, "title", None) or self._titles.get(d.doc_type) or doc_titles().get(d.doc_type, tr("文书")),
                                  d.number or tr("（无文号）"),
                                  str(d.issued_at)[:16].replace("T", " ")])
            it.setData(0, Qt.ItemDataRole.UserRole, d.id)
            self.list.addTopLevelItem(it)

    def _set_choices(self, choices: list[Any]) -> None:
        """Documents that fit the case's record, each with what it still lacks."""
        current = self.doc_type.currentData()
        self.doc_type.blockSignals(True)
        self.doc_type.clear()
        for c in choices:  # one entry per act (a receipt per served document, each 笔录 …)
            self._titles.setdefault(c.doc_type, c.title)
            mark = "✓ " if c.ready else "… "
            self.doc_type.addItem(mark + c.title, c.key)
            self.doc_type.setItemData(self.doc_type.count() - 1, "；".join(c.missing), Qt.ItemDataRole.ToolTipRole)
        idx = self.doc_type.findData(current)
        self.doc_type.setCurrentIndex(max(0, idx))
        self.doc_type.blockSignals(False)
        self._choices = {c.key: c for c in choices}
        self._choice_changed()

    def _choice_changed(self, *_a: Any) -> None:
        c = getattr(self, "_choices", {}).get(self.doc_type.currentData())
        if c is None:
            self.missing.clear()
            return
        missing = getattr(c, "missing_plain", None) or c.missing  # names only, no data key or command
        self.missing.setText(tr("尚缺：") + "；".join(missing) if missing else tr("可以出具"))

    def _fail(self, exc: BaseException) -> None:
        self.state.setText(message_of(exc))
        show_error(self, exc)

    def _current(self) -> Any:
        return getattr(self, "_choices", {}).get(self.doc_type.currentData())

    def preview(self) -> None:
        c = self._current()
        if c is not None:
            self.ops.call_p(documents.preview, self.case_id, c.doc_type, c.act, progress=tr("正在生成预览…"),
                            parent=self, done=lambda b: self.pdf.set_pdf(b, tr("预览：") + self.doc_type.currentText()),
                            fail=self._fail)

    def issue(self) -> None:
        c = self._current()
        if c is not None:
            self.ops.call_p(documents.issue, self.case_id, c.doc_type, c.act,
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
