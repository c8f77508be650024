"""期限 tab and the header's 下一期限: a deadline ending in a year whose holiday arrangement is not
loaded yet is shown as the range it can end in (earliest–latest, ``DeadlineInfo.earliest/latest``)
with the warning in plain sight, not as a single date."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from ui.text import tr
from ui.widgets.common import fit_columns, fmt_date


def is_range(d: Any) -> bool:
    """The end is not known to the day: the calendar of its year is missing."""
    earliest, latest = getattr(d, "earliest", None), getattr(d, "latest", None)
    return earliest is not None and latest is not None and earliest != latest


def uncertain(d: Any) -> bool:
    """Computed from the bounds of a missing calendar (a range, or bounds that happen to agree)."""
    return getattr(d, "earliest", None) is not None and getattr(d, "latest", None) is not None


def due_text(d: Any) -> str:
    """``2027-01-02～2027-01-05`` for a range, the date otherwise."""
    if is_range(d):
        return tr("{0}～{1}").format(fmt_date(d.earliest), fmt_date(d.latest))
    return fmt_date(d.due)


def left_text(d: Any) -> str:
    if d.done:
        return tr("已完成")
    if d.days_left is None:
        return ""
    if d.overdue:
        return tr("已逾期 {0} 天").format(-d.days_left)
    if is_range(d):
        return tr("最早 {0} 天").format(d.days_left)
    return tr("{0} 天").format(d.days_left)


class DeadlinesPane(QWidget):
    """The deadlines table, and under it each warning of a deadline shown as a range (or not
    computable) in words the officer reads without hovering."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tree = QTreeWidget()
        self.tree.setObjectName("deadlines")
        self.tree.setHeaderLabels([tr("期限"), tr("到期日"), tr("剩余"), tr("依据")])
        self.tree.setRootIsDecorated(False)
        fit_columns(self.tree, 3)
        self.warnings = QLabel()
        self.warnings.setObjectName("deadlineWarnings")
        self.warnings.setWordWrap(True)
        self.warnings.setVisible(False)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.tree, 1)
        lay.addWidget(self.warnings)

    def show_deadlines(self, deadlines: list[Any]) -> None:
        self.tree.clear()
        notes: list[str] = []
        for d in deadlines:
            it = QTreeWidgetItem([d.label_zh, due_text(d), left_text(d), d.article])
            if d.article:
                it.setToolTip(3, tr("依据：{0}").format(d.article))
            if d.overdue and not d.done:
                it.setForeground(2, Qt.GlobalColor.red)
            if d.error:
                it.setToolTip(0, d.error)
                it.setToolTip(1, d.error)
                if not d.done:
                    it.setForeground(1, Qt.GlobalColor.darkYellow)
                    it.setText(1, tr("⚠ ") + (it.text(1) or tr("暂无法计算")))
                    note = tr("⚠ {0}：{1}").format(d.label_zh, d.error)
                    if note not in notes:
                        notes.append(note)
            self.tree.addTopLevelItem(it)
        self.warnings.setText("\n".join(notes))
        self.warnings.setVisible(bool(notes))

    def row_texts(self) -> list[list[str]]:
        items = [self.tree.topLevelItem(r) for r in range(self.tree.topLevelItemCount())]
        return [[it.text(c) for c in range(self.tree.columnCount())] for it in items if it is not None]


def next_deadline_text(summary: dict, deadlines: list[Any]) -> str:
    """下一期限 in the case header: the nearest running deadline — as a range, with the reason,
    when the calendar of its year is missing; one that cannot be computed yet says so instead of 无."""
    running = [d for d in deadlines if not getattr(d, "done", False)]
    due = fmt_date(summary.get("next_deadline"))
    if due:
        label = summary.get("next_deadline_label") or ""
        match = next((d for d in running if fmt_date(d.due) == due and (not label or d.label_zh == label)), None)
        if match is not None and is_range(match):
            return tr("{0} {1}（{2}年节假日安排未载入，可能的届满区间，请按最早日期办理）").format(
                due_text(match), match.label_zh, match.latest.year)
        return f"{due} {label}".strip()
    unknown = next((d for d in running if d.due is None), None)
    if unknown is not None:
        return tr("{0}：暂无法计算到期日").format(unknown.label_zh)
    return tr("无进行中的期限")
