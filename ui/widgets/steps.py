"""下一步 panel: the step the case needs first and prominent, then the other steps possible now,
then — collapsed, with the reason on demand — the steps not possible yet; utility actions
(更正、回避、延长期限 …) in a drop-down below."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from lishui_desk.procedure import recommend
from ui.text import tr
from ui.widgets.common import violation_details, violation_text


def _reasons(step: Any, *, blocking_only: bool = False, shown: frozenset[str] = frozenset()) -> str:
    """The step's reasons, one line each; ``shown``: reasons already listed elsewhere (尚缺), left out."""
    lines = []
    for v in step.violations:
        blocks = getattr(v, "blocks", True)
        if blocking_only and not blocks:
            continue
        text = violation_text(v)
        if text in shown:
            continue
        if not blocks or not v.rule_id.startswith(recommend.FORM_FILLED_RULES) or not recommend.possible(step):
            line = ("✗ " if blocks else "⚠ ") + text
            if line not in lines:
                lines.append(line)
    return "\n".join(lines)


class NextStepsPanel(QWidget):
    """Emits ``open_step(action)`` for a click on any step button or 办理 of 其他操作."""

    open_step = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("nextStepsPanel")
        self.buttons: dict[str, QPushButton] = {}
        self.recommended: list[str] = []
        self.scroll_area = QScrollArea()  # not `scroll`: QWidget.scroll is a method
        self.scroll_area.setObjectName("nextStepsScroll")
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.box = QWidget()
        self.scroll_area.setWidget(self.box)
        self.other = QComboBox()
        self.other.setObjectName("otherActions")
        self.other.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.other.setMinimumContentsLength(8)
        other_btn = QPushButton(tr("办理(&D)"))
        other_btn.setObjectName("otherActionGo")
        other_btn.clicked.connect(lambda: self.open_step.emit(self.other.currentData())
                                  if self.other.currentData() else None)
        other_row = QHBoxLayout()
        other_row.addWidget(QLabel(tr("其他操作")))
        other_row.addWidget(self.other, 1)
        other_row.addWidget(other_btn)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.scroll_area, 1)
        lay.addLayout(other_row)

    def show_steps(self, stage: str | None, steps: Sequence[Any], others: Sequence[tuple[str, str]],
                   done: frozenset[str] = frozenset(), missing: frozenset[str] = frozenset()) -> None:
        """Rebuild the panel off-screen, then swap it in (laid out once). ``done``: steps the
        record already holds (not recommended again); ``missing``: the reasons the 尚缺 list shows,
        which the milestone's "尚不能" note refers to instead of repeating."""
        rec = recommend.recommended(stage or "", steps, done) if stage else []
        now = [s for s in steps if s.action not in rec and recommend.possible(s)]
        later = [s for s in steps if s.action not in rec and not recommend.possible(s)]
        by_key = {s.action: s for s in steps}
        box = QWidget()
        box.setObjectName("nextSteps")
        lay = QVBoxLayout(box)
        buttons: dict[str, QPushButton] = {}

        def button(step: Any, role: str) -> QPushButton:
            btn = QPushButton(tr(step.label_zh))
            btn.setObjectName(f"step_{step.action}")
            btn.setProperty("allowed", recommend.possible(step))
            btn.setProperty("role", role)
            btn.setAutoDefault(False)
            btn.clicked.connect(lambda _=False, a=step.action: self.open_step.emit(a))
            tip = violation_details(step.violations)
            if tip:
                btn.setToolTip(tip)
            buttons[step.action] = btn
            return btn

        if rec:
            lay.addWidget(self._heading(tr("建议下一步")))
            for key in rec:
                lay.addWidget(button(by_key[key], "recommended"))
                warn = _reasons(by_key[key])
                if warn:
                    lay.addWidget(self._reason(warn))
        waiting = recommend.blocked_milestone(stage or "", steps, done) if stage else None
        if waiting is not None:
            rest = _reasons(waiting, blocking_only=True, shown=missing)
            if not rest:
                text = tr("尚不能“{0}”：原因见下方“尚缺”").format(tr(waiting.label_zh))
            elif rest != _reasons(waiting, blocking_only=True):
                text = tr("尚不能“{0}”：除下方“尚缺”所列外，还因").format(tr(waiting.label_zh)) + "\n" + rest
            else:
                text = tr("尚不能“{0}”：").format(tr(waiting.label_zh)) + "\n" + rest
            lab = self._reason(text)
            lab.setObjectName("waitingReason")
            lay.addWidget(lab)
        if now:
            lay.addWidget(self._heading(tr("其他可办理") if rec else tr("可办理")))
            grid = QGridLayout()
            for i, step in enumerate(now):
                grid.addWidget(button(step, "possible"), i // 2, i % 2)
            lay.addLayout(grid)
        if later:
            toggle = QToolButton()
            toggle.setObjectName("laterToggle")
            toggle.setText(tr("暂不可办理（{0}）").format(len(later)))
            toggle.setCheckable(True)
            toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            toggle.setArrowType(Qt.ArrowType.RightArrow)
            later_box = QWidget()
            later_box.setObjectName("laterSteps")
            ll = QVBoxLayout(later_box)
            ll.setContentsMargins(0, 0, 0, 0)
            for step in later:
                ll.addWidget(button(step, "later"))
                why = _reasons(step)
                if why:
                    ll.addWidget(self._reason(why))
            later_box.setVisible(False)

            def flip(on: bool, t: QToolButton = toggle, b: QWidget = later_box) -> None:
                b.setVisible(on)
                t.setArrowType(Qt.ArrowType.DownArrow if on else Qt.ArrowType.RightArrow)

            toggle.toggled.connect(flip)
            lay.addWidget(toggle)
            lay.addWidget(later_box)
        if not steps:
            lay.addWidget(self._reason(tr("本阶段没有待办理的环节")))
        lay.addStretch(1)
        old = self.scroll_area.takeWidget()
        self.scroll_area.setWidget(box)
        if old is not None:
            old.deleteLater()
        self.box = box
        self.buttons = buttons
        self.recommended = rec
        self.other.clear()
        for key, label in others:
            if key not in buttons:
                self.other.addItem(tr(label), key)

    @staticmethod
    def _heading(text: str) -> QLabel:
        lab = QLabel(text)
        lab.setObjectName("stepsHeading")
        return lab

    @staticmethod
    def _reason(text: str) -> QLabel:
        lab = QLabel(text)
        lab.setWordWrap(True)
        lab.setObjectName("stepReason")
        return lab

    def later_toggle(self) -> QToolButton | None:
        return self.box.findChild(QToolButton, "laterToggle")
