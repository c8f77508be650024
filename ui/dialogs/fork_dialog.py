"""处理记录分叉: two devices recorded the same case while offline, so its whole-process record
(全过程记录) has two branches after one event. Both are kept; the case takes no new step until a
person allowed to decide records which branch stands (or that both do), with a reason.

The dialog shows the branches side by side (the one this laptop recorded first), offers the
choices the core allows and sends the resolution through the gateway on the worker.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QRadioButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.gateway.forks import BranchRow, ForkRows, resolve
from ui.models.timeline import event_text
from ui.ops import Ops, message_of
from ui.text import tr
from ui.widgets.common import fit_columns, fit_to_window

BOTH = "both"


def _branch_title(b: BranchRow) -> str:
    who = b.recorded_by or tr("未知人员")
    if b.local:
        return tr("本机记录的分支（{0}，{1} 条）").format(who, len(b.events))
    return tr("另一台设备记录的分支（{0}，{1} 条）").format(who, len(b.events))


class BranchTree(QTreeWidget):
    """One branch: 序号, 时间, 记录, 执行人."""

    def __init__(self, branch: BranchRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHeaderLabels([tr("序号"), tr("时间"), tr("记录"), tr("执行人")])
        self.setRootIsDecorated(False)
        self.setAlternatingRowColors(True)
        for ev in branch.events:
            what = event_text(ev.event)
            it = QTreeWidgetItem([str(ev.seq), ev.when, what, ev.actor])
            it.setToolTip(2, what)
            self.addTopLevelItem(it)
        fit_columns(self, 2)


class ForkDialog(QDialog):
    """Both branches, the choice (采用本机分支 / 采用另一分支 / 两条分支都保留), the reason, and
    记录分叉处理. ``resolved`` is emitted after the resolution is written."""

    resolved = Signal()

    def __init__(self, ops: Ops, case_id: str, rows: ForkRows, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.case_id = case_id
        self.rows = rows
        self.setObjectName("forkDialog")
        self.setWindowTitle(tr("处理记录分叉"))
        intro = QLabel(tr(
            "本案在两台设备离线期间分别记录了后续步骤，自第 {0} 条起出现两条分支，两条分支都已完整保存。"
            "处理分叉前本案不能继续办理（全过程记录须为一条完整的记录链，《中华人民共和国行政处罚法》第四十七条）。"
            "请核实实际发生的情况，选择采用哪一条分支并写明理由；处理记录本身也记入全过程记录。").format(rows.fork_seq))
        intro.setWordWrap(True)
        intro.setObjectName("forkIntro")

        branches = QHBoxLayout()
        self.trees: list[BranchTree] = []
        for b in rows.branches:
            box = QGroupBox(_branch_title(b))
            lay = QVBoxLayout(box)
            tree = BranchTree(b)
            self.trees.append(tree)
            lay.addWidget(tree)
            facts = [tr("采用后办案阶段：{0}").format(b.stage_label)] if b.stage_label else []
            if b.numbers:
                facts.append(tr("使用的文号：{0}").format("、".join(b.numbers)))
            if b.stage_changing:
                facts.append(tr("含有办案步骤（不只是证据、笔录等记录）"))
            note = QLabel("\n".join(facts))
            note.setWordWrap(True)
            lay.addWidget(note)
            branches.addWidget(box, 1)

        choice = QGroupBox(tr("处理方式"))
        c_lay = QVBoxLayout(choice)
        self.group = QButtonGroup(self)
        self.choices: dict[str, QRadioButton] = {}
        for b in rows.branches:
            who = b.recorded_by or tr("未知人员")
            text = (tr("采用本机记录的分支（{0}）") if b.local else tr("采用另一台设备记录的分支（{0}）")).format(who)
            btn = QRadioButton(text + tr("：另一分支保留在记录中，不再生效"))
            btn.setObjectName("forkAdoptLocal" if b.local else "forkAdoptOther")
            self.group.addButton(btn)
            self.choices[b.head] = btn
            c_lay.addWidget(btn)
        both = QRadioButton(tr("两条分支都生效（仅当另一分支只有证据、笔录等记录，没有改变办案阶段的步骤时）"))
        both.setObjectName("forkBoth")
        both.setEnabled(rows.both_allowed)
        if not rows.both_allowed:
            both.setToolTip(rows.both_refusal or tr("两条分支都含有改变办案阶段的步骤，只能采用其中一条"))
        self.group.addButton(both)
        self.choices[BOTH] = both
        c_lay.addWidget(both)
        for btn in self.choices.values():
            btn.toggled.connect(self._update)

        self.reason = QPlainTextEdit()
        self.reason.setObjectName("forkReason")
        self.reason.setPlaceholderText(tr("处理理由（必填）：例如核实了哪台设备记录的情况与实际相符"))
        self.reason.setMaximumHeight(80)
        self.reason.textChanged.connect(self._update)
        self.state = QLabel()
        self.state.setObjectName("forkState")
        self.state.setWordWrap(True)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.go = self.buttons.addButton(tr("记录分叉处理"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.go.setObjectName("forkResolve")
        self.go.setEnabled(False)
        self.buttons.rejected.connect(self.reject)
        self.go.clicked.connect(self.submit)

        lay = QVBoxLayout(self)
        lay.addWidget(intro)
        lay.addLayout(branches, 1)
        lay.addWidget(choice)
        lay.addWidget(QLabel(tr("处理理由")))
        lay.addWidget(self.reason)
        lay.addWidget(self.state)
        lay.addWidget(self.buttons)
        fit_to_window(self, 1000, 640)

    def chosen(self) -> str | None:
        for key, btn in self.choices.items():
            if btn.isChecked():
                return key
        return None

    def _update(self) -> None:
        self.go.setEnabled(self.chosen() is not None and bool(self.reason.toPlainText().strip()))

    def submit(self) -> None:
        adopt = self.chosen()
        reason = self.reason.toPlainText().strip()
        if adopt is None or not reason:
            self.state.setText(tr("请选择处理方式并填写处理理由"))
            return
        self.go.setEnabled(False)
        self.state.setText(tr("正在记录…"))
        self.ops.call_p(resolve, self.case_id, adopt, reason, parent=self, done=self._done, fail=self._fail)

    def _done(self, _result: object) -> None:
        self.resolved.emit()
        self.accept()

    def _fail(self, exc: BaseException) -> None:
        self.state.setText(message_of(exc))
        self._update()


def fork_banner_text(rows: ForkRows) -> str:
    """The workspace's red line over a forked case."""
    return tr("本案记录出现分叉（自第 {0} 条起有两条分支），处理分叉前不能继续办理。").format(rows.fork_seq)


__all__ = ["BOTH", "ForkDialog", "fork_banner_text"]
