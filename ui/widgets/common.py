"""Small shared widgets: error display (with each guard's rule and article), headings, busy labels."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QMessageBox, QWidget

from lishui_desk.errors import RuleViolation
from ui.ops import message_of
from ui.text import tr


def violation_text(v: Any) -> str:
    """One refusal line: message, article and rule id (e.g. "…（《行政处罚法》第四十二条，规则 officers.two_certified）")."""
    article = getattr(v, "article", "") or ""
    rule_id = getattr(v, "rule_id", "") or ""
    return tr("{0}（{1}，规则 {2}）").format(getattr(v, "message", str(v)), article, rule_id)


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
    tb = getattr(exc, "ui_traceback", None)
    if tb:
        box.setDetailedText(tb)
    box.setObjectName("errorBox")
    box.open()
    return box


class ViolationList(QListWidget):
    """Inline list of guard findings: blocking ones in red, warnings in amber."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("violations")
        self.setWordWrap(True)
        self.setVisible(False)
        self.setSelectionMode(QListWidget.SelectionMode.NoSelection)

    def show_violations(self, violations: Iterable[Any]) -> None:
        self.clear()
        for v in violations:
            blocks = getattr(v, "blocks", True)
            prefix = tr("✗ ") if blocks else tr("⚠ ")
            item = QListWidgetItem(prefix + violation_text(v))
            item.setData(Qt.ItemDataRole.UserRole, getattr(v, "rule_id", ""))
            item.setForeground(Qt.GlobalColor.darkRed if blocks else Qt.GlobalColor.darkYellow)
            self.addItem(item)
        self.setVisible(self.count() > 0)
        self.setFixedHeight(min(200, 12 + 44 * max(1, self.count())) if self.count() else 0)

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
