"""Walk a widget tree the way an officer sees it: the visible text of every widget, and whether
each page fits the window (no sideways scrolling, every button reachable)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from PySide6.QtCore import QModelIndex, QPoint, QRect, Qt
from PySide6.QtGui import QTextDocumentFragment
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QTabBar,
    QTextEdit,
    QWidget,
)

# what an officer must never read (tool tips and details areas may hold them, for support)
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}|\b[0-9a-f]{6,}…")
IDENT = re.compile(r"\b[A-Za-z]+(?:[._][A-Za-z0-9]+)+\b")  # document.issued, penalty_notice, payload.required
HASH_NAME = re.compile(r"SHA-?256", re.I)
PATH = re.compile(r"(?:[A-Za-z]:)?(?:[/\\][^\s/\\（）()；，]+)+")  # a file or folder the officer chose
# an English word: letters not part of a code; a code (ZJ-3311-0001, FZ-0001, LSD1) is upper case
# joined to digits or hyphens, while a lower-case word is flagged wherever it stands (default-2024.1)
WORD = re.compile(r"(?<![A-Za-z0-9-])[A-Za-z]{2,}(?![A-Za-z0-9-])|[A-Za-z]*[a-z][A-Za-z]+")
# ASCII a Chinese UI legitimately shows: file formats, the scanned QR code, document format prefix,
# time format placeholder
ALLOWED_WORDS = {"PDF", "QR", "HH", "MM", "KB", "MB", "GB"}  # units of size


def _plain(text: str) -> str:
    if "<" in text and ">" in text:
        return QTextDocumentFragment.fromHtml(text).toPlainText()
    return text


def _columns(model, parent: QModelIndex) -> int:
    try:
        return model.columnCount(parent)
    except TypeError:  # list models keep columnCount private
        return 0 if parent.isValid() else 1


def _model_texts(view: QAbstractItemView) -> Iterator[str]:
    model = view.model()
    if model is None:
        return
    cols = _columns(model, QModelIndex())
    for c in range(cols):
        h = model.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
        if h:
            yield str(h)

    def rows(parent, depth=0):
        for r in range(min(model.rowCount(parent), 200)):
            for c in range(_columns(model, parent)):
                idx = model.index(r, c, parent)
                v = model.data(idx, Qt.ItemDataRole.DisplayRole)
                if v not in (None, ""):
                    yield str(v)
                if c == 0 and depth < 3 and model.rowCount(idx) > 0:
                    yield from rows(idx, depth + 1)

    yield from rows(QModelIndex())


def visible_texts(root: QWidget) -> Iterator[tuple[str, str]]:
    """(widget description, text) for every piece of text shown by a visible widget under root."""
    widgets = [root, *root.findChildren(QWidget)]
    for w in widgets:
        if (not w.isVisibleTo(root) and w is not root) or w.property("supportDetails"):
            continue  # hidden, or a details area kept for support (paths, versions, rule ids)
        name = f"{type(w).__name__}#{w.objectName()}"
        texts: list[str] = []
        if w.isWindow() and w.windowTitle():
            texts.append(w.windowTitle())
        if isinstance(w, QLabel):
            texts.append(_plain(w.text()))
        elif isinstance(w, QAbstractButton):
            texts.append(w.text().replace("&", ""))
        elif isinstance(w, QGroupBox):
            texts.append(w.title())
        elif isinstance(w, QComboBox):
            texts.extend(w.itemText(i) for i in range(w.count()))
            if w.isEditable():
                texts.append(w.lineEdit().placeholderText())
        elif isinstance(w, QLineEdit):
            texts.extend((w.text(), w.placeholderText()))
        elif isinstance(w, QPlainTextEdit):
            texts.extend((w.toPlainText(), w.placeholderText()))
        elif isinstance(w, QTextEdit):
            texts.append(w.toPlainText())
        elif isinstance(w, QTabBar):
            texts.extend(w.tabText(i).replace("&", "") for i in range(w.count()))
        if isinstance(w, QAbstractItemView):
            texts.extend(_model_texts(w))
        if w.toolTip():  # a tool tip reaches the officer as well
            texts.append(_plain(w.toolTip()))
        for t in texts:
            if t:
                yield name, t


def raw_identifiers(root: QWidget, data: frozenset[str] = frozenset()) -> list[str]:
    """Visible texts holding a UUID, an ASCII identifier, a hash algorithm name or an English word.
    ``data``: ASCII the officer typed themselves (a profile name) and may see again."""
    found = []
    for name, text in visible_texts(root):
        text = PATH.sub(" ", text)
        bad = [m.group(0) for rx in (UUID, IDENT, HASH_NAME) for m in rx.finditer(text)]
        bad += [m.group(0) for m in WORD.finditer(text) if m.group(0) not in ALLOWED_WORDS | data]
        if bad:
            found.append(f"{name}: {bad[:3]} in {text[:80]!r}")
    return found


def _global_rect(w: QWidget) -> QRect:
    return QRect(w.mapToGlobal(QPoint(0, 0)), w.size())


def fit_problems(window: QWidget, root: QWidget | None = None) -> list[str]:
    """Sideways scrolling anywhere under root, and buttons that cannot be reached inside window.

    A button inside a scroll area is reachable when the scroll area itself is on screen (vertical
    scrolling is fine); any other button must lie wholly inside the window and every ancestor."""
    root = root or window
    out: list[str] = []
    frame = _global_rect(window)
    for area in root.findChildren(QAbstractScrollArea):
        if not area.isVisibleTo(root) or isinstance(area, QAbstractItemView):
            continue  # tables may scroll sideways through their columns; forms and panels may not
        bar = area.horizontalScrollBar()
        if bar.maximum() > bar.minimum():
            out.append(f"{type(area).__name__}#{area.objectName()} scrolls sideways by {bar.maximum()} px")
        if isinstance(area, QScrollArea) and area.widget() is not None \
                and area.widget().width() > area.viewport().width() + 1:
            out.append(f"{area.objectName()}: content {area.widget().width()} px wider than {area.viewport().width()}")
    for btn in root.findChildren(QAbstractButton):
        if not btn.isVisibleTo(root) or isinstance(btn.parent(), QTabBar) or btn.objectName().startswith("qt_"):
            continue
        rect = _global_rect(btn)
        w: QWidget | None = btn.parentWidget()
        while w is not None and w is not window:
            area = _area_of_viewport(w)
            if area is not None:  # reachable by scrolling vertically, not sideways
                vp = _global_rect(w)
                if rect.left() < vp.left() - 1 or rect.right() > vp.right() + 1:
                    out.append(f"button {btn.text()!r} beyond the width of {area.objectName() or 'a scroll area'}")
                rect = _global_rect(area)
                w = area.parentWidget()
                continue
            if _area_of_viewport(w.parentWidget()) is None and not _global_rect(w).adjusted(-1, -1, 1, 1).contains(rect):
                out.append(f"button {btn.text()!r} clipped by {type(w).__name__}#{w.objectName()}")
                break
            w = w.parentWidget()
        if not frame.adjusted(-1, -1, 1, 1).contains(rect):
            out.append(f"button {btn.text()!r} at {rect.getRect()} outside the window {frame.getRect()}")
    return out


def _area_of_viewport(w: QWidget | None) -> QAbstractScrollArea | None:
    p = w.parentWidget() if w is not None else None
    return p if isinstance(p, QAbstractScrollArea) and p.viewport() is w else None


def settle(ticks: int = 30) -> None:
    """Let pending layout and paint events run: a bounded number of event-loop iterations
    (zero-interval timer ticks), not a wait for time to pass."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    timer = QTimer()
    timer.setInterval(0)
    left = [ticks]

    def tick() -> None:
        left[0] -= 1
        if left[0] <= 0:
            loop.quit()

    timer.timeout.connect(tick)
    timer.start()
    loop.exec()
    timer.stop()
