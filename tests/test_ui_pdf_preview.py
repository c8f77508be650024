"""The print preview settles at every window size and page count (a one-page document used to
freeze the GUI at 1366x712: QPdfView's fit-to-width zoom and an as-needed scroll bar fed each other).

The check is a bounded event-loop wait, not a time limit: after the preview is shown, ``_settle``
runs the loop for a fixed number of zero-interval timer ticks and counts resize events of the view's
viewport. A settled view gets a handful; the feedback loop floods the loop with relayouts (timer
ticks starve), so the loop is also left as soon as the count passes ``LIMIT``."""

from __future__ import annotations

import io

import pytest
from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer
from PySide6.QtWidgets import QVBoxLayout, QWidget
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from ui.widgets.pdf_view import PdfPreview

TICKS = 60
LIMIT = 200


def _pdf(pages: int) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    for i in range(pages):
        c.drawString(100, 700, f"{i + 1}")
        c.showPage()
    c.save()
    return buf.getvalue()


class _Resizes(QObject):
    """Counts the viewport's resize events; ends the running wait once there are too many."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0
        self.loop: QEventLoop | None = None

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.count += 1
            if self.loop is not None and self.count > LIMIT:
                self.loop.quit()
        return False


def _spin(ticks: int, counter: _Resizes | None = None) -> None:
    """Run the event loop for ``ticks`` zero-interval timer ticks, or until ``counter`` passes LIMIT."""
    loop = QEventLoop()
    timer = QTimer()
    timer.setInterval(0)
    left = [ticks]

    def tick() -> None:
        left[0] -= 1
        if left[0] <= 0:
            loop.quit()

    timer.timeout.connect(tick)
    if counter is not None:
        counter.loop = loop
    timer.start()
    loop.exec()
    timer.stop()
    if counter is not None:
        counter.loop = None


def _settle(counter: _Resizes) -> int:
    """Resize events of the viewport during one bounded wait."""
    _spin(4, counter)
    counter.count = 0
    _spin(TICKS, counter)
    return counter.count


@pytest.fixture
def host(qtbot):
    w = QWidget()
    lay = QVBoxLayout(w)
    lay.setContentsMargins(0, 0, 0, 0)
    preview = PdfPreview()
    lay.addWidget(preview)
    qtbot.addWidget(w)
    w.show()
    counter = _Resizes()
    preview.view.viewport().installEventFilter(counter)
    return w, preview, counter


@pytest.mark.parametrize("pages", [1, 2, 5])
def test_preview_settles_at_every_size(host, pages):
    w, preview, counter = host
    preview.set_pdf(_pdf(pages), "送达回证")
    assert preview.page_count == pages
    unsettled = []
    # widths of the preview pane in the 文书 tab from 125 % scaling up to a wide screen; every 9 px
    # of height so the band where a fitted page is one scroll-bar width taller than the view is hit
    for width in (430, 520, 610, 760):
        for height in range(420, 1000, 9):
            w.resize(width, height)
            n = _settle(counter)
            bar = preview.view.horizontalScrollBar()
            if n > 4 or bar.maximum() > bar.minimum() + 2:  # fit-to-width: nothing to scroll sideways
                unsettled.append((width, height, n))
    assert not unsettled, f"preview keeps relayouting at (width, height, resizes): {unsettled[:5]}"


@pytest.fixture(scope="module")
def demo_root(tmp_path_factory):
    from tests.demo_window import make_demo

    return make_demo(tmp_path_factory.mktemp("preview"))


@pytest.mark.parametrize("size", [(1366, 712), (1093, 570), (1280, 820)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_case_documents_tab_previews_one_and_two_page_documents(qtbot, demo_root, size):
    """The reported freeze: a one-page 送达回证 previewed in a case's 文书 tab at 1366x712; then the
    window is resized through heights around it (the band where a fitted page is one scroll bar
    taller than the view moves with the layout), and the view must settle at each."""
    from tests.demo_window import cases_by_stage, open_demo, open_workspace

    win = open_demo(qtbot, demo_root, size)
    try:
        ws = open_workspace(qtbot, win, cases_by_stage(win)["陈述申辩/听证"])
        ws.show_tab(ws.documents)
        pane = ws.documents
        qtbot.waitUntil(lambda: pane.doc_type.findData("service_receipt") >= 0, timeout=10000)
        counter = _Resizes()
        pane.pdf.view.viewport().installEventFilter(counter)
        for doc_type, pages in (("penalty_notice", 2), ("service_receipt", 1)):
            pane.doc_type.setCurrentIndex(pane.doc_type.findData(doc_type))
            pane.preview()
            qtbot.waitUntil(lambda p=pages: pane.pdf.page_count == p and not win.ops.busy, timeout=30000)
            assert _settle(counter) <= 4, (doc_type, size, counter.count)
            assert win.size().toTuple() == size
        unsettled = []
        for height in range(size[1] - 150, size[1] + 160, 5):
            win.resize(size[0], height)
            n = _settle(counter)
            if n > 4:
                unsettled.append((height, n))
        assert not unsettled, f"one-page preview keeps relayouting at (window height, resizes): {unsettled[:5]}"
    finally:
        win.close()
