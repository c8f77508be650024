"""Standalone print preview with 打印 / 导出 buttons."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from ui.text import tr
from ui.widgets.pdf_view import PdfPreview, ask_and_print, ask_export


class PreviewDialog(QDialog):
    """Standalone print preview with 打印 / 导出 buttons."""

    def __init__(self, data: bytes, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("打印预览"))
        self.preview = PdfPreview()
        self.preview.set_pdf(data, caption)
        pr = QPushButton(tr("打印(&P)…"))
        pr.clicked.connect(lambda: ask_and_print(self, self.preview))
        ex = QPushButton(tr("导出 PDF(&E)…"))
        ex.clicked.connect(lambda: ask_export(self, self.preview.pdf_bytes, caption + ".pdf"))
        close = QPushButton(tr("关闭"))
        close.clicked.connect(self.accept)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(pr)
        row.addWidget(ex)
        row.addWidget(close)
        lay = QVBoxLayout(self)
        lay.addWidget(self.preview, 1)
        lay.addLayout(row)
        self.resize(900, 1000)
