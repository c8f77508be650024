"""解锁 unlock screen and the first-run wizard (新建档案).

The passphrase is never shown; a caps-lock hint appears while typing. A wrong passphrase shows the
core's message, and when the growing delay applies (``LockedOut.wait_seconds``) the button stays
disabled with a live countdown.
"""

from __future__ import annotations

import math
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from lishui_desk.errors import LockedOut, WrongPassphrase
from ui.dialogs.first_run import FirstRunDialog
from ui.gateway import profiles
from ui.ops import Ops, message_of
from ui.text import tr
from ui.widgets.passphrase import PassphraseEdit


def lockout_wait(profile_id: str, root: Path | None) -> float:
    """Seconds before the next passphrase try is accepted (0 when none); runs on the worker."""
    from lishui_desk.storage.profile import lockout_wait as core_wait

    return core_wait(profile_id, root)


class UnlockPage(QWidget):
    """Pick a profile, type the passphrase, unlock. Emits ``unlocked(profile)``."""

    unlocked = Signal(object)

    def __init__(self, ops: Ops, root: Path | None = None, preselect: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("unlockPage")
        self.ops = ops
        self.root = root
        self.preselect = preselect
        self.kdf_params: Any = None  # tests pass cheap Argon2id parameters to the wizard
        self._remaining = 0.0
        self._deadline = 0.0
        self._countdown = QTimer(self)
        self._countdown.setInterval(250)
        self._countdown.timeout.connect(self._tick)

        title = QLabel(tr("丽水乡镇综合执法办案"))
        title.setObjectName("appTitle")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.profile_box = QComboBox()
        self.profile_box.setObjectName("profileBox")
        self.profile_box.setMinimumWidth(320)
        self.passphrase = PassphraseEdit()
        self.passphrase.setObjectName("passphrase")
        self.passphrase.setPlaceholderText(tr("口令"))
        self.passphrase.returnPressed.connect(self.try_unlock)
        self.caps_hint = QLabel(tr("大写锁定已打开"))
        self.caps_hint.setObjectName("capsHint")
        self.caps_hint.setVisible(False)
        self.passphrase.caps_lock.connect(self.caps_hint.setVisible)
        self.unlock_btn = QPushButton(tr("解锁(&U)"))
        self.unlock_btn.setObjectName("unlockButton")
        self.unlock_btn.setDefault(True)
        self.unlock_btn.clicked.connect(self.try_unlock)
        self.new_btn = QPushButton(tr("新建档案(&N)…"))
        self.new_btn.clicked.connect(self.open_wizard)
        self.error = QLabel()
        self.error.setObjectName("unlockError")
        self.error.setWordWrap(True)
        self.wait_label = QLabel()
        self.wait_label.setObjectName("waitLabel")
        self.info = QLabel()
        self.info.setObjectName("unlockInfo")
        self.info.setWordWrap(True)

        form = QFormLayout()
        form.addRow(tr("档案："), self.profile_box)
        form.addRow(tr("口令："), self.passphrase)
        form.addRow("", self.caps_hint)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_btn)
        buttons.addStretch(1)
        buttons.addWidget(self.unlock_btn)
        box = QWidget()
        box.setObjectName("unlockBox")
        box.setMaximumWidth(560)
        inner = QVBoxLayout(box)
        inner.addWidget(title)
        inner.addLayout(form)
        inner.addWidget(self.info)
        inner.addWidget(self.error)
        inner.addWidget(self.wait_label)
        inner.addLayout(buttons)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(box)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)
        self.setTabOrder(self.profile_box, self.passphrase)
        self.setTabOrder(self.passphrase, self.unlock_btn)
        self.refresh_profiles()

    # -- profiles ---------------------------------------------------------------------------
    def refresh_profiles(self, select: str | None = None) -> None:
        self.ops.call(profiles.list_profiles, self.root,
                      done=lambda names: self._set_profiles(names, select or self.preselect))

    def _set_profiles(self, names: list[str], select: str | None) -> None:
        current = select or self.profile_box.currentText()
        self.profile_box.clear()
        self.profile_box.addItems(names)
        if current and current in names:
            self.profile_box.setCurrentText(current)
        elif select and select not in names:
            self.info.setText(tr("没有名为“{0}”的档案，请新建或选择其他档案").format(select))
        if not names:
            self.info.setText(tr("还没有档案：请点“新建档案”完成首次设置"))
        self.unlock_btn.setEnabled(bool(names) and self._remaining <= 0)
        self.passphrase.setFocus()

    def show_locked(self, message: str | None = None) -> None:
        """Back from auto-lock: clear the passphrase, keep the profile selected."""
        self.passphrase.clear()
        self.error.clear()
        self.info.setText(message or "")
        self.passphrase.setFocus()

    # -- unlock -----------------------------------------------------------------------------
    def try_unlock(self) -> None:
        name = self.profile_box.currentText()
        if not name or self._remaining > 0 or not self.unlock_btn.isEnabled():
            return
        secret = self.passphrase.text()
        if not secret:
            self.error.setText(tr("请输入口令"))
            return
        self.error.clear()
        self.unlock_btn.setEnabled(False)
        self.ops.call(profiles.unlock, name, secret, self.root, done=self._on_unlocked, fail=self._on_fail,
                      progress=tr("正在解锁…"), parent=self)

    def _on_unlocked(self, profile: Any) -> None:
        self.passphrase.clear()
        self.error.clear()
        self.info.clear()
        self.unlock_btn.setEnabled(True)
        self.unlocked.emit(profile)

    def _on_fail(self, exc: BaseException) -> None:
        self.passphrase.clear()
        self.passphrase.setFocus()
        self.unlock_btn.setEnabled(True)
        if isinstance(exc, LockedOut):
            self.error.setText(message_of(exc))
            self.start_wait(exc.wait_seconds)
            return
        self.error.setText(message_of(exc))
        if isinstance(exc, WrongPassphrase):
            self.ops.call(lockout_wait, self.profile_box.currentText(), self.root,
                          done=lambda s: self.start_wait(s) if s > 0 else None)

    def start_wait(self, seconds: float) -> None:
        # a wall-clock deadline, not a tick count: timers may fire early or late, and the button
        # must never come back before the core's lockout (crypto/lockout.py) accepts a try
        self._deadline = time.monotonic() + float(seconds)
        self._remaining = float(seconds)
        self.unlock_btn.setEnabled(False)
        self._render_wait()
        self._countdown.start()

    def _tick(self) -> None:
        self._remaining = max(0.0, self._deadline - time.monotonic())
        if self._remaining <= 0:
            self._remaining = 0
            self._countdown.stop()
            self.wait_label.clear()
            self.unlock_btn.setEnabled(self.profile_box.count() > 0)
            return
        self._render_wait()

    def _render_wait(self) -> None:
        secs = max(1, math.ceil(self._remaining))
        self.wait_label.setText(tr("口令错误次数过多，请等待 {0} 秒后再试").format(secs))

    @property
    def remaining_wait(self) -> float:
        return self._remaining

    # -- first run --------------------------------------------------------------------------
    def open_wizard(self) -> None:
        dlg = FirstRunDialog(self.ops, self.root, kdf_params=self.kdf_params, parent=self)
        dlg.created.connect(self._on_created)
        dlg.open()

    def _on_created(self, profile: Any) -> None:
        self.refresh_profiles(select=profile.profile_id)
        self.unlocked.emit(profile)


