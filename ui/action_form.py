"""Forms generated from the procedure action table (``lishui_desk.procedure.actions.ACTIONS``).

One widget per ``FieldSpec`` kind; inline checks while typing (身份证号 GB 11643 and 统一社会信用代码
GB 32100 through ``lishui_desk.identity``; the fine against the item's range and 裁量 tiers through
``lishui_desk.discretion``; two certified officers, Art. 42); the engine's own check runs on the
ops worker after a pause in typing, and a refusal lists each guard's message and article.
Keyboard: Tab order follows the fields, Enter (or Ctrl+Enter in a text box) submits, Esc cancels.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtCore import QDate, Qt, QTime, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from lishui_desk import identity
from lishui_desk.errors import InvalidInput, RuleViolation
from lishui_desk.procedure import vocabulary as V
from ui.gateway import cases, catalog
from ui.gateway.form_context import FormContext
from ui.ops import Ops, message_of
from ui.text import tr
from ui.widgets import ViolationList

# text fields holding a time of day "HH:MM" (lishui_desk.procedure.actions), edited with a QTimeEdit
TIME_FIELDS = ("start_time", "end_time", "summons_time")
# text fields shown as multi-line boxes (笔录, facts, reasons …)
_LONG_TEXT = ("facts", "findings", "summary", "content", "reason", "reasons", "conclusion", "basis",
              "evidence_summary", "reasoning", "remedies", "items", "materials", "note", "description", "qa", "matters",
              "handler_opinion")


# ---------------------------------------------------------------------------------- editors
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
        self.lineEdit().setPlaceholderText(tr("输入事项名称或代码搜索"))

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


# ---------------------------------------------------------------------------------- the form
class ActionForm(QDialog):
    """One procedure step: fields from its ``ActionSpec``; submit runs ``services.cases.perform``."""

    performed = Signal(object)

    def __init__(self, ops: Ops, spec: Any, ctx: FormContext, case_id: str | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("actionForm")
        self.setWindowTitle(tr(spec.label_zh))
        self.setMinimumWidth(640)
        self.ops = ops
        self.spec = spec
        self.ctx = ctx
        self.case_id = case_id
        self.editors: dict[str, QWidget] = {}
        self._submitting = False
        self._asked: set[str] = set()

        title = QLabel(tr(spec.label_zh))
        title.setObjectName("formTitle")
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.officer_hint = QLabel()
        self.officer_hint.setObjectName("officerHint")
        self.officer_hint.setWordWrap(True)
        for f in spec.fields:
            w = self._editor(f)
            self.editors[f.name] = w
            label = tr(f.label_zh) + (" *" if f.required else "")
            lab = QLabel(label)
            lab.setBuddy(w)
            if f.help_zh:
                w.setToolTip(f.help_zh)
            form.addRow(lab, w)
            if f.kind == "officers" and f.name == "officer_ids":
                form.addRow("", self.officer_hint)
        self.discretion = QWidget()
        self._build_discretion()
        self.violations = ViolationList()
        self.status = QLabel()
        self.status.setObjectName("formStatus")
        self.status.setWordWrap(True)

        self.submit_btn = QPushButton(tr("提交(&S)"))
        self.submit_btn.setObjectName("submitButton")
        self.submit_btn.setDefault(True)
        self.submit_btn.setAutoDefault(True)
        self.submit_btn.clicked.connect(self.submit)
        self.check_btn = QPushButton(tr("检查(&K)"))
        self.check_btn.setAutoDefault(False)
        self.check_btn.clicked.connect(self.run_check)
        cancel = QPushButton(tr("取消"))
        cancel.setAutoDefault(False)
        cancel.clicked.connect(self.reject)

        inner = QWidget()
        inner_lay = QVBoxLayout(inner)
        inner_lay.addLayout(form)
        inner_lay.addWidget(self.discretion)
        inner_lay.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.check_btn)
        buttons.addWidget(cancel)
        buttons.addWidget(self.submit_btn)
        lay = QVBoxLayout(self)
        lay.addWidget(title)
        lay.addWidget(scroll, 1)
        lay.addWidget(self.violations)
        lay.addLayout(buttons)
        self.resize(720, 640)

        QShortcut(QKeySequence("Ctrl+Return"), self, activated=self.submit)
        QShortcut(QKeySequence("Ctrl+Enter"), self, activated=self.submit)
        self._check_timer = QTimer(self)
        self._check_timer.setSingleShot(True)
        self._check_timer.setInterval(700)
        self._check_timer.timeout.connect(self.run_check)
        self._update_officer_hint()
        self._update_discretion()

    # -- editors ----------------------------------------------------------------------------
    def _editor(self, f: Any) -> QWidget:
        k = f.kind
        w: QWidget
        if k == "date":
            w = QDateEdit(QDate(self.ctx.today))
            w.setCalendarPopup(True)
            w.setDisplayFormat("yyyy-MM-dd")
            w.setProperty("optional", not f.required)
            if not f.required and f.name != self.spec.date_field:  # the act's own date defaults to the working date
                w.setSpecialValueText(tr("（不填）"))
                w.setMinimumDate(QDate(1990, 1, 1))
                w.setDate(w.minimumDate())
            w.dateChanged.connect(self._changed)
        elif k == "money":
            w = QLineEdit()
            w.setPlaceholderText(tr("金额（元），如 200 或 200.00"))
            w.textChanged.connect(self._changed)
            w.textChanged.connect(self._update_discretion)
        elif k == "int":
            w = QSpinBox()
            w.setRange(0, 100000)
            w.valueChanged.connect(self._changed)
        elif k == "bool":
            w = QCheckBox()
            w.toggled.connect(self._changed)
        elif k == "choice":
            w = Combo([(c, c) for c in f.choices], not f.required)
            w.currentIndexChanged.connect(self._changed)
        elif k == "multichoice":
            w = CheckList([(c, c) for c in f.choices])
            w.changed.connect(self._changed)
        elif k == "officer":
            w = Combo([(o["id"], self._officer_label(o)) for o in self.ctx.officers], not f.required)
            w.currentIndexChanged.connect(self._changed)
        elif k == "officers":
            w = CheckList([(o["id"], self._officer_label(o)) for o in self.ctx.officers])
            w.changed.connect(self._changed)
            w.changed.connect(self._update_officer_hint)
        elif k == "party":
            w = PartyEditor()
            w.changed.connect(self._changed)
            w.changed.connect(self._update_discretion)
        elif k == "item":
            w = ItemPicker(self.ctx.items)
            w.currentIndexChanged.connect(self._changed)
            w.currentIndexChanged.connect(self._update_discretion)
        elif k == "evidence":
            w = Combo(self.ctx.evidence, True)
            w.setEditable(True)
            w.currentIndexChanged.connect(self._changed)
        elif k == "event":
            w = Combo(self.ctx.events, not f.required)
            w.currentIndexChanged.connect(self._changed)
        elif f.name in TIME_FIELDS and k == "text":
            w = TimeField(not f.required)
            w.changed.connect(self._changed)
        elif k == "payload":
            w = QPlainTextEdit()
            w.setPlaceholderText(tr("更正后的内容（JSON 对象）"))
            w.setTabChangesFocus(True)
            w.textChanged.connect(self._changed)
        elif f.name in _LONG_TEXT:
            w = QPlainTextEdit()
            w.setTabChangesFocus(True)
            w.setFixedHeight(96)
            w.textChanged.connect(self._changed)
        else:
            w = QLineEdit()
            w.textChanged.connect(self._changed)
        w.setObjectName(f"field_{f.name}")
        return w

    @staticmethod
    def _officer_label(o: dict) -> str:
        cert = o.get("cert_no") or tr("无执法证")
        return f"{o.get('name')}（{cert}）"

    def _changed(self, *_a: Any) -> None:
        if self.case_id is not None and not self._submitting:
            self._check_timer.start()

    # -- values -----------------------------------------------------------------------------
    def payload(self, *, strict: bool = True) -> dict[str, Any]:
        """The action payload; optional empty fields are left out. ``strict`` raises on bad JSON."""
        out: dict[str, Any] = {}
        for f in self.spec.fields:
            w = self.editors[f.name]
            v = self._value_of(f, w, strict)
            if v is None or v == "" or v == []:
                continue
            out[f.name] = v
        return out

    def _value_of(self, f: Any, w: QWidget, strict: bool) -> Any:
        k = f.kind
        if isinstance(w, QDateEdit):
            if w.property("optional") and w.date() == w.minimumDate():
                return None
            return w.date().toPython().isoformat()
        if k == "money":
            return w.text().strip() or None
        if isinstance(w, QSpinBox):
            return w.value() if (f.required or w.value()) else None
        if isinstance(w, QCheckBox):
            return w.isChecked() if (f.required or w.isChecked()) else None
        if isinstance(w, QPlainTextEdit):
            text = w.toPlainText().strip()
            if k == "payload" and text:
                try:
                    data = json.loads(text)
                except json.JSONDecodeError:
                    if strict:
                        raise InvalidInput(tr("“{0}”不是有效的 JSON 对象").format(tr(f.label_zh))) from None
                    return text
                return data
            return text
        if isinstance(w, QLineEdit):
            return w.text().strip()
        if isinstance(w, Combo) and w.isEditable():
            if w.currentIndex() >= 0 and w.currentText() == w.itemText(w.currentIndex()):
                return w.currentData()
            return w.currentText().strip() or None
        if hasattr(w, "value"):
            return w.value()
        return None

    def set_values(self, values: dict[str, Any]) -> None:
        """Fill the form (restoring a draft); unknown keys are ignored."""
        for f in self.spec.fields:
            if f.name not in values:
                continue
            w, v = self.editors[f.name], values[f.name]
            if isinstance(w, QDateEdit):
                try:
                    w.setDate(QDate(date.fromisoformat(str(v)[:10])))
                except ValueError:
                    pass
            elif isinstance(w, QSpinBox):
                w.setValue(int(v))
            elif isinstance(w, QCheckBox):
                w.setChecked(bool(v))
            elif isinstance(w, QPlainTextEdit):
                w.setPlainText(v if isinstance(v, str) else json.dumps(v, ensure_ascii=False))
            elif isinstance(w, QLineEdit):
                w.setText(str(v))
            elif hasattr(w, "set_value"):
                w.set_value(v)

    def draft_key(self) -> str:
        return f"form:{self.case_id or 'new'}:{self.spec.key}"

    def draft_payload(self) -> dict[str, Any]:
        return {"case_id": self.case_id, "action": self.spec.key, "values": self.payload(strict=False)}

    # -- inline helpers ---------------------------------------------------------------------
    def _update_officer_hint(self) -> None:
        w = self.editors.get("officer_ids")
        if not isinstance(w, CheckList):
            self.officer_hint.setVisible(False)
            return
        chosen = set(w.value())
        certified = [o for o in self.ctx.officers if o["id"] in chosen and o.get("cert_no")]
        needed = self.spec.officers_required
        text = tr("已选 {0} 名持证执法人员").format(len(certified))
        if needed and len(certified) < 2:
            text += tr("：本环节需两名以上持有执法证件的执法人员（《中华人民共和国行政处罚法》第四十二条）")
            self.officer_hint.setProperty("state", "bad")
        else:
            self.officer_hint.setProperty("state", "ok")
        self.officer_hint.setText(text)
        self.officer_hint.style().unpolish(self.officer_hint)
        self.officer_hint.style().polish(self.officer_hint)

    def _build_discretion(self) -> None:
        self.discretion.setObjectName("discretionPanel")
        self.tier = QComboBox()
        self.tier.setObjectName("tierBox")
        self.tier.currentIndexChanged.connect(self._update_discretion)
        self.suggestion = QLabel()
        self.suggestion.setObjectName("suggestion")
        self.suggestion.setWordWrap(True)
        self.suggestion.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.amount_problem = QLabel()
        self.amount_problem.setObjectName("amountProblem")
        self.amount_problem.setWordWrap(True)
        self.use_btn = QPushButton(tr("采用建议金额(&A)"))
        self.use_btn.setAutoDefault(False)
        self.use_btn.clicked.connect(self._use_suggestion)
        row = QHBoxLayout()
        row.addWidget(QLabel(tr("裁量阶次")))
        row.addWidget(self.tier, 1)
        row.addWidget(self.use_btn)
        lay = QVBoxLayout(self.discretion)
        lay.setContentsMargins(0, 8, 0, 0)
        lay.addLayout(row)
        lay.addWidget(self.suggestion)
        lay.addWidget(self.amount_problem)
        self._suggested: Any = None
        self.discretion.setVisible(False)

    def _item_and_party(self) -> tuple[Any, str | None]:
        item = self.ctx.item_seed
        picker = next((w for w in self.editors.values() if isinstance(w, ItemPicker)), None)
        if picker is not None and picker.value():
            code = picker.value()
            if code in self.ctx.seeds:
                item = self.ctx.seeds[code]
            elif code not in self._asked and self.ops.profile is not None and any(c == code for c, _ in self.ctx.items):
                self._asked.add(code)
                self.ops.call_p(catalog.item, code, done=self._seed_arrived, fail=lambda e: None)
        kind = self.ctx.party_kind
        party = next((w for w in self.editors.values() if isinstance(w, PartyEditor)), None)
        if party is not None and party.value():
            kind = party.kind.currentData()
        return item, kind

    def _seed_arrived(self, seed: Any) -> None:
        self.ctx.seeds[seed.code] = seed
        self._update_discretion()

    def _update_discretion(self, *_a: Any) -> None:
        amount_w = self.editors.get("amount")
        item, kind = self._item_and_party()
        if not isinstance(amount_w, QLineEdit) or item is None or kind not in ("individual", "organisation") \
                or getattr(item, "fine", None) is None:
            self.discretion.setVisible(False)
            return
        from lishui_desk import discretion

        self.discretion.setVisible(True)
        labels = [t.label for t in item.tiers_for(kind)]
        if [self.tier.itemData(i) for i in range(1, self.tier.count())] != labels:
            self.tier.blockSignals(True)
            self.tier.clear()
            self.tier.addItem(tr("（按法定幅度）"), None)
            for t in item.tiers_for(kind):
                self.tier.addItem(f"{t.label}：{t.conditions}", t.label)
            self.tier.blockSignals(False)
        try:
            s = discretion.suggest(item, kind, self.tier.currentData())
            self._suggested = s
            top = tr("不设上限") if s.legal_max is None else f"{s.legal_max}"
            self.suggestion.setText(tr("法定幅度 {0}–{1} 元；本阶次 {2}–{3} 元；建议 {4} 元。{5}").format(
                s.legal_min, top, s.allowed_min, s.allowed_max, s.amount, s.reasoning))
        except InvalidInput as exc:
            self._suggested = None
            self.suggestion.setText(exc.message)
        text = amount_w.text().strip()
        problems: list[str] = []
        if text:
            try:
                problems = discretion.check_amount(item, kind, Decimal(text))
            except (InvalidOperation, InvalidInput) as exc:
                problems = [getattr(exc, "message", tr("不是有效金额"))]
        self.amount_problem.setText("✗ " + "；".join(problems) if problems else (tr("✓ 金额在法定幅度内") if text else ""))
        self.amount_problem.setProperty("state", "bad" if problems else "ok")
        self.amount_problem.style().unpolish(self.amount_problem)
        self.amount_problem.style().polish(self.amount_problem)

    def _use_suggestion(self) -> None:
        s = self._suggested
        if s is None:
            return
        amount_w = self.editors.get("amount")
        if isinstance(amount_w, QLineEdit):
            amount_w.setText(f"{s.amount:.2f}")
        reasoning = self.editors.get("reasoning")
        if isinstance(reasoning, QPlainTextEdit) and not reasoning.toPlainText().strip():
            reasoning.setPlainText(s.reasoning)

    # -- check and submit -------------------------------------------------------------------
    def run_check(self) -> None:
        if self.case_id is None or self.ops.profile is None:
            return
        try:
            payload = self.payload()
        except InvalidInput as exc:
            self.status.setText(exc.message)
            return
        self.ops.call_p(cases.check, self.case_id, self.spec.key, payload, done=self._show_check,
                        fail=lambda e: self.status.setText(message_of(e)))

    def _show_check(self, violations: list) -> None:
        if self._submitting:
            return
        self.violations.show_violations(violations)
        blocking = [v for v in violations if getattr(v, "blocks", True)]
        self.status.setText(tr("还有 {0} 项须处理").format(len(blocking)) if blocking else tr("检查通过，可以提交"))

    def submit(self) -> None:
        if self._submitting or self.ops.profile is None:
            return
        try:
            payload = self.payload()
        except InvalidInput as exc:
            self.status.setText(exc.message)
            return
        self._submitting = True
        self._check_timer.stop()
        self.submit_btn.setEnabled(False)
        self.status.setText(tr("正在保存…"))
        self.ops.call_p(cases.perform, self.case_id, self.spec.key, payload, done=self._done, fail=self._fail)

    def _done(self, result: Any) -> None:
        self._submitting = False
        self.submit_btn.setEnabled(True)
        self.status.setText(tr("已保存"))
        self.performed.emit(result)
        self.accept()

    def _fail(self, exc: BaseException) -> None:
        self._submitting = False
        self.submit_btn.setEnabled(True)
        if isinstance(exc, RuleViolation):
            self.violations.show_violations(exc.violations)
            self.status.setText(tr("未保存：程序规则不允许这一步"))
        else:
            self.violations.show_violations([])
            self.status.setText(tr("未保存：") + message_of(exc))
