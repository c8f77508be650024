"""Field editors of the generated step forms: 当事人, check lists, times of day, choices, the item picker."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTime, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QTimeEdit,
    QWidget,
)

from lishui_desk import identity
from lishui_desk.errors import InvalidInput
from lishui_desk.procedure import vocabulary as V
from ui.text import tr

# text fields holding a time of day "HH:MM" (lishui_desk.procedure.actions), edited with a QTimeEdit


def elide(combo: QComboBox, chars: int = 16) -> None:
    """A choice box sized for ``chars`` characters, not for its longest entry (事项 names reach
    60 characters); the drop-down list shows entries whole, or elided in the middle."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(chars)
    combo.view().setTextElideMode(Qt.TextElideMode.ElideMiddle)


class PartyEditor(QWidget):
    """当事人: kind, name, 身份证号 / 统一社会信用代码 (checked as you type), address, phone."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = QComboBox()
        for key in V.PARTY_KINDS:
            self.kind.addItem(V.PARTY_KIND_LABELS[key], key)
        self.name = QLineEdit()
        self.name.setObjectName("partyName")
        self.id_number = QLineEdit()
        self.id_number.setObjectName("partyIdNumber")
        self.id_number.setPlaceholderText(tr("18位公民身份号码"))
        self.credit_code = QLineEdit()
        self.credit_code.setObjectName("partyCreditCode")
        self.credit_code.setPlaceholderText(tr("18位统一社会信用代码"))
        self.legal_rep = QLineEdit()
        self.address = QLineEdit()
        self.phone = QLineEdit()
        self.status = QLabel()
        self.status.setObjectName("partyStatus")
        self.status.setWordWrap(True)
        lay = QFormLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addRow(tr("类型"), self.kind)
        lay.addRow(tr("姓名或名称"), self.name)
        lay.addRow(tr("身份证号"), self.id_number)
        lay.addRow(tr("统一社会信用代码"), self.credit_code)
        lay.addRow(tr("法定代表人"), self.legal_rep)
        lay.addRow(tr("住址"), self.address)
        lay.addRow(tr("电话"), self.phone)
        lay.addRow("", self.status)
        for w in (self.name, self.id_number, self.credit_code, self.legal_rep, self.address, self.phone):
            w.textChanged.connect(self._changed)
        self.kind.currentIndexChanged.connect(self._changed)
        self._changed()

    def _changed(self) -> None:
        self.check()
        self.changed.emit()

    def check(self) -> str | None:
        """Validate the identity numbers now; returns the problem text (also shown under the fields)."""
        problems = []
        ok = []
        idn = self.id_number.text().strip()
        if idn:
            try:
                rid = identity.parse_resident_id(idn)
                ok.append(tr("身份证号有效（出生日期 {0}）").format(rid.birth_date.isoformat()))
            except InvalidInput as exc:
                problems.append(exc.message)
        cc = self.credit_code.text().strip()
        if cc:
            try:
                identity.parse_credit_code(cc)
                ok.append(tr("统一社会信用代码有效"))
            except InvalidInput as exc:
                problems.append(exc.message)
        kind = self.kind.currentData()
        self.legal_rep.setEnabled(kind != V.INDIVIDUAL)
        if problems:
            self.status.setText("✗ " + "；".join(problems))
            self.status.setProperty("state", "bad")
        else:
            self.status.setText(("✓ " + "；".join(ok)) if ok else "")
            self.status.setProperty("state", "ok")
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)
        return "；".join(problems) or None

    def value(self) -> dict | None:
        if not self.name.text().strip() and not self.id_number.text().strip() and not self.credit_code.text().strip():
            return None
        out: dict[str, Any] = {"kind": self.kind.currentData(), "name": self.name.text().strip()}
        for key, w in (("id_number", self.id_number), ("credit_code", self.credit_code),
                       ("legal_representative", self.legal_rep), ("address", self.address), ("phone", self.phone)):
            text = w.text().strip()
            if text and w.isEnabled():
                out[key] = text
        return out

    def set_value(self, v: dict | None) -> None:
        v = v or {}
        idx = self.kind.findData(v.get("kind") or V.INDIVIDUAL)
        self.kind.setCurrentIndex(max(0, idx))
        self.name.setText(v.get("name") or "")
        self.id_number.setText(v.get("id_number") or "")
        self.credit_code.setText(v.get("credit_code") or "")
        self.legal_rep.setText(v.get("legal_representative") or "")
        self.address.setText(v.get("address") or "")
        self.phone.setText(v.get("phone") or "")


class CheckList(QListWidget):
    """Checkable list for ``multichoice`` and ``officers``; ``value()`` is the list of checked keys."""

    changed = Signal()

    def __init__(self, choices: list[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        for key, label in choices:
            it = QListWidgetItem(label)
            it.setData(Qt.ItemDataRole.UserRole, key)
            it.setFlags(it.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            it.setCheckState(Qt.CheckState.Unchecked)
            self.addItem(it)
        self.setFixedHeight(min(220, 12 + 36 * max(1, len(choices))))
        self.itemChanged.connect(lambda _it: self.changed.emit())

    def keyPressEvent(self, event: Any) -> None:
        if event.key() == Qt.Key.Key_Space and self.currentItem() is not None:
            it = self.currentItem()
            it.setCheckState(Qt.CheckState.Unchecked if it.checkState() == Qt.CheckState.Checked
                             else Qt.CheckState.Checked)
            return
        super().keyPressEvent(event)

    def value(self) -> list[str]:
        return [self.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.count())
                if self.item(i).checkState() == Qt.CheckState.Checked]

    def set_value(self, keys: list[str] | None) -> None:
        wanted = set(keys or [])
        for i in range(self.count()):
            it = self.item(i)
            it.setCheckState(Qt.CheckState.Checked if it.data(Qt.ItemDataRole.UserRole) in wanted
                             else Qt.CheckState.Unchecked)


class ChoiceGrid(QWidget):
    """``multichoice`` as check boxes in columns (处罚种类, 裁量情节): all visible at once, compact;
    ``value()`` is the list of checked keys in the order offered."""

    changed = Signal()

    def __init__(self, choices: list[tuple[str, str]], columns: int = 3, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.boxes: list[tuple[str, QCheckBox]] = []
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(0)
        for i, (key, label) in enumerate(choices):
            box = QCheckBox(label)
            box.toggled.connect(lambda _b: self.changed.emit())
            grid.addWidget(box, i // columns, i % columns)
            self.boxes.append((key, box))
        if self.boxes:
            self.setFocusProxy(self.boxes[0][1])

    def keys(self) -> list[str]:
        return [k for k, _ in self.boxes]

    def value(self) -> list[str]:
        return [k for k, b in self.boxes if b.isChecked()]

    def set_value(self, keys: list[str] | None) -> None:
        wanted = set(keys or [])
        for k, b in self.boxes:
            b.setChecked(k in wanted)


class TimeField(QWidget):
    """HH:MM time of day (开始/结束时间, 接受调查时间): a QTimeEdit; an optional one has a
    “填写” box so that leaving it out is distinct from 00:00. ``value()`` is "HH:MM" or None."""

    changed = Signal()

    def __init__(self, optional: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QTimeEdit(QTime(9, 0))
        self.edit.setDisplayFormat("HH:mm")
        self.edit.timeChanged.connect(lambda _t: self.changed.emit())
        self.use: QCheckBox | None = None
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        if optional:
            self.use = QCheckBox(tr("填写"))
            self.use.toggled.connect(self.edit.setEnabled)
            self.use.toggled.connect(lambda _b: self.changed.emit())
            self.edit.setEnabled(False)
            lay.addWidget(self.use)
        lay.addWidget(self.edit)
        lay.addStretch(1)
        self.setFocusProxy(self.edit)

    def value(self) -> str | None:
        if self.use is not None and not self.use.isChecked():
            return None
        return self.edit.time().toString("HH:mm")

    def set_value(self, v: Any) -> None:
        t = QTime.fromString(str(v or "").strip()[:5], "HH:mm")
        if self.use is not None:
            self.use.setChecked(t.isValid())
        if t.isValid():
            self.edit.setTime(t)


class Combo(QComboBox):
    """Choice box with an empty first entry for optional fields; ``value()`` is the data key."""

    def __init__(self, choices: list[tuple[str, str]], optional: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        if optional:
            self.addItem(tr("（不填）"), None)
        for key, label in choices:
            self.addItem(label, key)
        elide(self)

    def value(self) -> Any:
        return self.currentData()

    def set_value(self, v: Any) -> None:
        idx = self.findData(v)
        if idx >= 0:
            self.setCurrentIndex(idx)


class ItemPicker(QComboBox):
    """执法事项: type to search by name or code (substring), pick from the township catalogue."""

    def __init__(self, items: list[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.addItem("", None)
        for code, name in items:
            self.addItem(f"{name}（{code}）", code)
        comp = QCompleter(self.model(), self)
        comp.setFilterMode(Qt.MatchFlag.MatchContains)
        comp.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setCompleter(comp)
        self.line().setPlaceholderText(tr("输入事项名称或代码搜索"))
        elide(self)
        popup = comp.popup()
        if popup is not None:
            popup.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        # a long 事项 name shows from its start (not scrolled to the code at its end)
        self.currentIndexChanged.connect(lambda _i: self.line().setCursorPosition(0))

    def line(self) -> QLineEdit:
        """The search box (an editable combo box always has one)."""
        line = self.lineEdit()
        assert line is not None
        return line

    def value(self) -> str | None:
        idx = self.findText(self.currentText())
        if idx >= 0 and self.itemData(idx):
            return self.itemData(idx)
        text = self.currentText().strip()
        return text or None

    def set_value(self, code: str | None) -> None:
        idx = self.findData(code)
        if idx >= 0:
            self.setCurrentIndex(idx)
        elif code:
            self.setEditText(code)
        self.line().setCursorPosition(0)


# ---------------------------------------------------------------------------------- the form
