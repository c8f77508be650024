"""Small shared widgets: error display (with each guard's rule and article), headings, busy labels."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QScrollArea,
    QTreeView,
    QWidget,
)

from lishui_desk.errors import RuleViolation
from ui.ops import message_of
from ui.text import tr


def violation_text(v: Any) -> str:
    """One refusal line an officer reads: the message and the article it enforces
    (e.g. "缺少第二名执法人员…（《行政处罚法》第四十二条）"); the tool tip adds where the rule
    comes from (:func:`violation_details`). Rule ids never reach the officer."""
    article = getattr(v, "article", "") or ""
    message = getattr(v, "message", str(v))
    return tr("{0}（{1}）").format(message, article) if article else message


def violation_details(violations: Iterable[Any]) -> str:
    """Where each finding comes from, one line each, for a tool tip: the statute article, or the
    county policy when a local choice applies — which one it applies, never its id."""
    lines: list[str] = []
    for v in violations:
        article = getattr(v, "article", "") or ""
        if getattr(v, "policy_key", None):  # the article names the policy and its version in Chinese
            line = tr("依据县级政策：{0}").format(article)
        else:
            line = tr("依据：{0}").format(article) if article else ""
        if line and line not in lines:
            lines.append(line)
    return "\n".join(lines)


def support_details(violations: Iterable[Any]) -> str:
    """Rule ids for support, behind the error box's 显示详细信息 only (never in a tool tip)."""
    return "\n".join(tr("规则编号：{0}").format(getattr(v, "rule_id", "")) for v in violations
                     if getattr(v, "rule_id", ""))


def show_error(parent: QWidget | None, exc: BaseException, title: str | None = None) -> QMessageBox:
    """Non-blocking message box with the user-facing message; refusals list every violation."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(title or tr("操作未完成"))
    if isinstance(exc, RuleViolation) and exc.violations:
        box.setText(tr("程序规则不允许这一步："))
        box.setInformativeText("\n".join("• " + violation_text(v) for v in exc.violations))
    else:
        box.setText(message_of(exc))
    details = support_details(exc.violations) if isinstance(exc, RuleViolation) else ""
    tb = getattr(exc, "ui_traceback", None)
    if tb or details:
        box.setDetailedText("\n\n".join(x for x in (details, tb) if x))
    box.setObjectName("errorBox")
    box.open()
    return box


class ViolationList(QListWidget):
    """Inline list of guard findings: blocking ones in red, warnings in amber."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("violations")
        self.setWordWrap(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVisible(False)
        self.setSelectionMode(QListWidget.SelectionMode.NoSelection)

    def show_violations(self, violations: Iterable[Any]) -> None:
        self.clear()
        for v in violations:
            blocks = getattr(v, "blocks", True)
            prefix = tr("✗ ") if blocks else tr("⚠ ")
            item = QListWidgetItem(prefix + violation_text(v))
            item.setData(Qt.ItemDataRole.UserRole, getattr(v, "rule_id", ""))
            item.setToolTip(violation_details([v]))
            item.setForeground(Qt.GlobalColor.darkRed if blocks else Qt.GlobalColor.darkYellow)
            self.addItem(item)
        self.setVisible(self.count() > 0)
        self.setFixedHeight(min(150, 12 + 44 * max(1, self.count())) if self.count() else 0)

    def texts(self) -> list[str]:
        return [self.item(i).text() for i in range(self.count())]


def heading(text: str, parent: QWidget | None = None) -> QLabel:
    lab = QLabel(text, parent)
    lab.setObjectName("heading")
    return lab


def fmt_date(value: Any) -> str:
    if value is None or value == "":
        return ""
    return str(value)[:10]


def scrolled(content: QWidget, name: str = "") -> QScrollArea:
    """Content that may be taller than a 1366x712 (or 125 %-scaled) window: scrolls vertically,
    never sideways (the content is laid out to the viewport's width)."""
    area = QScrollArea()
    area.setObjectName(name or f"{content.objectName() or 'content'}Scroll")
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setWidget(content)
    return area


def fit_columns(view: QTreeView, stretch: int) -> None:
    """Columns sized to their content, the long one (``stretch``) taking the remaining width, so a
    case number or 文号 is never cut and no column is squeezed beside empty space."""
    header = view.header()
    header.setStretchLastSection(False)
    header.setMinimumSectionSize(48)
    for col in range(header.count()):
        mode = QHeaderView.ResizeMode.Stretch if col == stretch else QHeaderView.ResizeMode.ResizeToContents
        header.setSectionResizeMode(col, mode)


def fit_to_window(dlg: QWidget, width: int, height: int) -> None:
    """Size a dialog to at most ``width`` x ``height``, and never beyond its parent window (or the
    screen): at 1366x712 or at 125 % scaling (1093x570) the buttons stay on screen."""
    parent = dlg.parentWidget()
    area = parent.window().geometry() if parent is not None else None
    if area is None or area.width() < 200:
        screen = dlg.screen() or QApplication.primaryScreen()
        area = screen.availableGeometry()
    dlg.resize(min(width, max(360, area.width() - 24)), min(height, max(320, area.height() - 24)))
