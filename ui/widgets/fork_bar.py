"""The red bar over a forked case in its workspace: what happened, that the case takes no new step
until the fork is resolved (《行政处罚法》第四十七条), and 处理分叉… which opens the fork dialog
with both branches (read on the worker)."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from ui.dialogs.fork_dialog import ForkDialog, fork_banner_text
from ui.gateway.forks import ForkRows, fork_rows
from ui.ops import Ops, message_of
from ui.text import tr


class ForkBar(QFrame):
    """Hidden unless the shown case is flagged ``fork``."""

    def __init__(self, ops: Ops, case_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.case_id = case_id
        self.setObjectName("forkBar")
        self.text = QLabel()
        self.text.setObjectName("forkText")
        self.text.setWordWrap(True)
        self.text.setProperty("state", "bad")
        self.button = QPushButton(tr("处理分叉(&F)…"))
        self.button.setObjectName("forkOpen")
        self.button.setToolTip(tr("查看两台设备分别记录的分支，选择采用哪一条并写明理由"))
        self.button.clicked.connect(self.open_dialog)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.text, 1)
        lay.addWidget(self.button)
        self.dialog: ForkDialog | None = None
        self.rows: ForkRows | None = None
        self.hide()

    def show_flags(self, flags: set[str] | frozenset[str]) -> None:
        forked = "fork" in flags
        self.setVisible(forked)
        if forked:
            self.text.setText(tr("本案记录出现分叉：两台设备离线时分别记录了后续步骤，处理分叉前不能继续办理。"))
            self.ops.call_p(fork_rows, self.case_id, done=self._rows, fail=lambda e: self.text.setText(message_of(e)))

    def _rows(self, rows: ForkRows | None) -> None:
        self.rows = rows
        if rows is None:  # resolved meanwhile (e.g. pulled from the other laptop)
            self.hide()
            return
        self.text.setText(fork_banner_text(rows))

    def open_dialog(self) -> None:
        self.button.setEnabled(False)
        self.ops.call_p(fork_rows, self.case_id, done=self._open, fail=self._failed)

    def _open(self, rows: ForkRows | None) -> None:
        self.button.setEnabled(True)
        self._rows(rows)
        if rows is None:
            return
        self.dialog = ForkDialog(self.ops, self.case_id, rows, self)
        self.dialog.open()

    def _failed(self, exc: BaseException) -> None:
        self.button.setEnabled(True)
        self.text.setText(message_of(exc))
