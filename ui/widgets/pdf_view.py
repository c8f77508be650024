"""Print preview (QPdfView), printing through QPrintDialog, PDF export."""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, QPointF, QRectF, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrinterInfo
from PySide6.QtWidgets import QDialog, QFileDialog, QLabel, QVBoxLayout, QWidget

from ui.text import tr


class PdfPreview(QWidget):
    """Shows PDF bytes; keeps the bytes so they can be printed or exported unchanged."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pdfPreview")
        self.pdf_bytes = b""
        self.doc = QPdfDocument(self)
        self._buffer: QBuffer | None = None
        self.view = QPdfView()
        self.view.setDocument(self.doc)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        # FitToWidth derives the zoom from the viewport width. With an as-needed vertical scroll
        # bar, a document whose fitted height is within one scroll-bar width of the viewport height
        # (a one-page A4 at 1366x712) oscillates: the bar appears -> the viewport narrows -> the
        # page shrinks and fits -> the bar hides -> the page grows -> ... forever, at 100 % CPU.
        # A permanent vertical bar keeps the width, hence the zoom, independent of the content.
        self.view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.info = QLabel()
        self.info.setObjectName("pdfInfo")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.info)
        lay.addWidget(self.view, 1)

    def set_pdf(self, data: bytes, caption: str = "") -> None:
        self.pdf_bytes = bytes(data)
        self.doc.close()
        buf = QBuffer(self)
        buf.setData(QByteArray(self.pdf_bytes))
        buf.open(QIODevice.OpenModeFlag.ReadOnly)
        self._buffer = buf
        self.doc.load(buf)
        self.info.setText(tr("{0}  共 {1} 页").format(caption, self.doc.pageCount()))

    @property
    def page_count(self) -> int:
        return self.doc.pageCount()


def print_pdf(doc: QPdfDocument, printer: QPrinter) -> int:
    """Render every page at the printer's resolution; returns the number of pages sent."""
    return print_documents([doc], printer)


def print_documents(docs: list[QPdfDocument], printer: QPrinter) -> int:
    """One print job: every page of every document, in order (``QPdfDocument.render`` into a
    ``QPainter`` on the printer). Returns the number of pages sent (0 if the printer refused)."""
    painter = QPainter()
    if not painter.begin(printer):
        return 0
    pages = 0
    try:
        for doc in docs:
            for i in range(doc.pageCount()):
                if pages:
                    printer.newPage()
                rect = printer.pageRect(QPrinter.Unit.DevicePixel)
                size = doc.pagePointSize(i)
                dpi = min(printer.resolution(), 300)  # bounded memory: an A4 page at 300 dpi is ~35 MB
                img: QImage = doc.render(i, (size * dpi / 72.0).toSize())
                scaled = img.size().scaled(rect.size().toSize(), Qt.AspectRatioMode.KeepAspectRatio)
                painter.drawImage(QRectF(QPointF(0, 0), scaled.toSizeF()), img)
                pages += 1
    finally:
        painter.end()
    return pages


def load_pdf(data: bytes, parent: QObject) -> QPdfDocument:
    """A QPdfDocument over in-memory bytes (the buffer is kept alive as the document's child)."""
    doc = QPdfDocument(parent)
    buf = QBuffer(doc)
    buf.setData(QByteArray(bytes(data)))
    buf.open(QIODevice.OpenModeFlag.ReadOnly)
    doc.load(buf)
    return doc


def default_printer(mode: QPrinter.PrinterMode = QPrinter.PrinterMode.HighResolution) -> QPrinter:
    """A printer set to the default chosen in 设置 (if that printer still exists)."""
    from ui.pages.settings import KEY_PRINTER, settings

    printer = QPrinter(mode)
    name = str(settings().value(KEY_PRINTER, "") or "")
    if name and name in QPrinterInfo.availablePrinterNames():
        printer.setPrinterName(name)
    return printer


def ask_printer(parent: QWidget, title: str) -> QPrinter | None:
    """Show the system print dialog; the configured printer, or None when cancelled."""
    printer = default_printer()
    dlg = QPrintDialog(printer, parent)
    dlg.setWindowTitle(title)
    if dlg.exec() != QDialog.DialogCode.Accepted:
        return None
    return printer


def ask_and_print(parent: QWidget, preview: PdfPreview) -> bool:
    printer = ask_printer(parent, tr("打印文书"))
    return printer is not None and print_pdf(preview.doc, printer) > 0


def print_to_pdf_file(preview: PdfPreview, path: str) -> int:
    """Print through QPrinter into a PDF file (what "print" does on a machine without a printer)."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(path)
    return print_pdf(preview.doc, printer)


def ask_export(parent: QWidget, data: bytes, suggested: str) -> str | None:
    path, _ = QFileDialog.getSaveFileName(parent, tr("导出 PDF"), suggested, tr("PDF 文件 (*.pdf)"))
    if not path:
        return None
    with open(path, "wb") as fh:
        fh.write(data)
    return path


