"""首次设置 (新建档案): township, officer, passphrase twice, county recovery key file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.gateway import profiles
from ui.ops import Ops, message_of
from ui.qdates import working_qdate
from ui.text import tr
from ui.widgets.passphrase import PassphraseEdit


class FirstRunDialog(QDialog):
    """首次设置: township, officer name + 执法证号, passphrase twice, county recovery key file."""

    created = Signal(object)

    def __init__(self, ops: Ops, root: Path | None, *, kdf_params: Any = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("新建档案"))
        self.setObjectName("firstRun")
        self.ops = ops
        self.root = root
        self.kdf_params = kdf_params
        self.profile_id = QLineEdit()
        self.profile_id.setPlaceholderText(tr("字母或数字，例如 badu-zhang"))
        self.township = QComboBox()
        self.township.setEditable(False)
        self.officer_name = QLineEdit()
        self.cert_no = QLineEdit()
        self.cert_valid = QDateEdit(working_qdate().addYears(3))
        self.cert_valid.setCalendarPopup(True)
        self.cert_valid.setDisplayFormat("yyyy-MM-dd")
        self.pass1 = PassphraseEdit()
        self.pass2 = PassphraseEdit()
        self.caps_hint = QLabel(tr("大写锁定已打开"))
        self.caps_hint.setVisible(False)
        self.pass1.caps_lock.connect(self.caps_hint.setVisible)
        self.pass2.caps_lock.connect(self.caps_hint.setVisible)
        self.recovery_path = QLineEdit()
        self.recovery_path.setReadOnly(True)
        self.recovery_path.setPlaceholderText(tr("县级恢复公钥文件（可稍后导入）"))
        pick = QPushButton(tr("选择文件(&F)…"))
        pick.clicked.connect(self._pick_key)
        key_row = QHBoxLayout()
        key_row.addWidget(self.recovery_path, 1)
        key_row.addWidget(pick)
        self.error = QLabel()
        self.error.setObjectName("wizardError")
        self.error.setWordWrap(True)

        form = QFormLayout()
        form.addRow(tr("档案名："), self.profile_id)
        form.addRow(tr("乡镇（街道）："), self.township)
        form.addRow(tr("执法人员姓名："), self.officer_name)
        form.addRow(tr("执法证号："), self.cert_no)
        form.addRow(tr("执法证有效期至："), self.cert_valid)
        form.addRow(tr("口令："), self.pass1)
        form.addRow(tr("再次输入口令："), self.pass2)
        form.addRow("", self.caps_hint)
        form.addRow(tr("恢复公钥："), key_row)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("创建"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("取消"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.error)
        lay.addWidget(self.buttons)
        self.ops.call(profiles.pilot_townships, done=self._set_townships)

    def _set_townships(self, towns: list[tuple[str, str]]) -> None:
        self.township.clear()
        for code, name in towns:
            self.township.addItem(f"{name}（{code}）", code)
        if not towns:
            self.township.setEditable(True)
            line = self.township.lineEdit()
            if line is not None:  # always, once editable
                line.setPlaceholderText(tr("乡镇区划代码（9位）"))

    def _pick_key(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, tr("选择县级恢复公钥文件"))
        if path:
            self.recovery_path.setText(path)

    def values(self) -> dict[str, Any]:
        code = self.township.currentData() or self.township.currentText().strip()
        return {
            "profile_id": self.profile_id.text().strip(),
            "township_code": code,
            "officer": {"name": self.officer_name.text().strip(), "cert_no": self.cert_no.text().strip(),
                        "cert_valid_until": self.cert_valid.date().toPython()},
            "recovery": self.recovery_path.text() or None,
        }

    def validate(self) -> str | None:
        v = self.values()
        if not v["profile_id"]:
            return tr("请填写档案名")
        if not v["township_code"]:
            return tr("请选择乡镇（街道）")
        if not v["officer"]["name"]:
            return tr("请填写执法人员姓名")
        if not v["officer"]["cert_no"]:
            return tr("请填写执法证号（《中华人民共和国行政处罚法》第四十二条）")
        if len(self.pass1.text()) < 8:
            return tr("口令至少8位")
        if self.pass1.text() != self.pass2.text():
            return tr("两次输入的口令不一致")
        return None

    def submit(self) -> None:
        problem = self.validate()
        if problem:
            self.error.setText(problem)
            return
        v = self.values()
        self.buttons.setEnabled(False)
        self.ops.call(profiles.create_profile, v["profile_id"], self.pass1.text(), self.root, v["township_code"],
                      v["officer"], v["recovery"], self.kdf_params, done=self._done, fail=self._fail,
                      progress=tr("正在创建档案并加密数据库…"), parent=self)

    def _done(self, profile: Any) -> None:
        self.pass1.clear()
        self.pass2.clear()
        self.accept()
        self.created.emit(profile)

    def _fail(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        self.error.setText(message_of(exc))
