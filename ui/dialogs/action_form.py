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
from typing import Any

from PySide6.QtCore import QDate, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from lishui_desk.errors import InvalidInput, RuleViolation
from lishui_desk.procedure import vocabulary as V
from ui.dialogs.discretion import DiscretionMixin
from ui.gateway import cases
from ui.gateway.form_context import FormContext
from ui.ops import Ops, message_of
from ui.qdates import as_date
from ui.text import tr
from ui.widgets import ViolationList, scrolled
from ui.widgets.common import fit_to_window
from ui.widgets.editors import CheckList, ChoiceGrid, Combo, ItemPicker, PartyEditor, TimeField

# text fields holding a time of day "HH:MM" (lishui_desk.procedure.actions), edited with a QTimeEdit
TIME_FIELDS = ("start_time", "end_time", "summons_time")
# text fields shown as multi-line boxes (笔录, facts, reasons …)
_LONG_TEXT = ("facts", "findings", "summary", "content", "reason", "reasons", "conclusion", "basis",
              "evidence_summary", "reasoning", "remedies", "items", "materials", "note", "description", "qa", "matters",
              "handler_opinion")


# fields shown in one row, the second after the first (both must be in the step's spec)
PAIRS = (("start_time", "end_time"), ("violation_date", "violation_end_date"), ("amount", "mitigation"),
         ("payment_method", "payment_days"), ("from", "to"), ("started_on", "ended_on"),
         ("summons_on", "summons_time"), ("person", "person_role"),         ("filed_on", "case_number"), ("decided_on", "outcome"), ("served_on", "method"),
         ("inspected_on", "place"), ("inquired_on", "place"), ("issued_on", "notice_number"))
# 送达 fields that apply only to some methods (lishui_desk.procedure.served: 民事诉讼法第八十七条至第九十五条)
METHOD_FIELDS = {
    "receiver": {V.SERVICE_DIRECT, V.SERVICE_ENTRUSTED, V.SERVICE_FORWARDED},
    "witness": {V.SERVICE_LEFT}, "record_sha256": {V.SERVICE_LEFT},
    "receipt_on": {V.SERVICE_POST}, "tracking_no": {V.SERVICE_POST},
    "reached_on": {V.SERVICE_ELECTRONIC}, "e_consent": {V.SERVICE_ELECTRONIC},
    "unreachable_reason": {V.SERVICE_NOTICE}, "publication": {V.SERVICE_NOTICE},
    "entrusted_to": {V.SERVICE_ENTRUSTED, V.SERVICE_FORWARDED},
}
# numbers the desk assigns when left empty (services.cases allocates them from the township's block)
AUTO_NUMBERED = {("file_case", "case_number")}
# officer choices that default to a person with that role (approvals are a leader's)
ROLE_DEFAULTS = {"approved_by": "leader", "decided_by": "leader", "chaired_by": "leader",
                 "reviewer_id": "legal", "presider_id": "officer"}


class ActionForm(DiscretionMixin, QDialog):
    """One procedure step: fields from its ``ActionSpec``; submit runs ``services.cases.perform``."""

    performed = Signal(object)

    def __init__(self, ops: Ops, spec: Any, ctx: FormContext, case_id: str | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("actionForm")
        self.setWindowTitle(tr(spec.label_zh))
        self.setMinimumWidth(480)
        self.ops = ops
        self.spec = spec
        self.ctx = ctx
        self.case_id = case_id
        self.editors: dict[str, QWidget] = {}
        self._submitting = False
        self._asked: set[str] = set()

        self._attempted = False  # refusals are listed only once the officer tried to submit
        self._auto_reasoning = ""  # the 裁量理由 text this form wrote (kept in step with the amount)

        title = QLabel(tr(spec.label_zh))
        title.setObjectName("formTitle")
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.officer_hint = QLabel()
        self.officer_hint.setObjectName("officerHint")
        self.officer_hint.setWordWrap(True)
        self.discretion = QWidget()
        self._build_discretion()
        self._form = form
        self._rows: dict[str, QWidget] = {}
        names = {f.name for f in spec.fields}
        partner_of = {a: b for a, b in PAIRS if a in names and b in names}
        paired = set(partner_of.values())
        by_name = {f.name: f for f in spec.fields}
        for f in spec.fields:
            if f.name in paired:
                continue
            w = self._editor(f)
            self.editors[f.name] = w
            lab = QLabel(self._label(f))
            lab.setBuddy(w)
            lab.setWordWrap(True)
            if f.help_zh:
                w.setToolTip(f.help_zh)
            row: QWidget = w
            if f.name in partner_of:  # related fields side by side: 开始/结束时间, 罚款数额/幅度 …
                g = by_name[partner_of[f.name]]
                w2 = self._editor(g)
                self.editors[g.name] = w2
                lab2 = QLabel(self._label(g))
                lab2.setBuddy(w2)
                if g.help_zh:
                    w2.setToolTip(g.help_zh)
                row = QWidget()
                hl = QHBoxLayout(row)
                hl.setContentsMargins(0, 0, 0, 0)
                hl.addWidget(w, 1)
                hl.addWidget(lab2)
                hl.addWidget(w2, 1)
            form.addRow(lab, row)
            self._rows[f.name] = row
            if f.kind == "officers" and f.name == "officer_ids":
                form.addRow("", self.officer_hint)
            if f.name == "amount" or (f.name in partner_of and partner_of[f.name] == "amount"):
                form.addRow(self.discretion)  # the 裁量 panel right under the amount it explains
        if "amount" not in names:
            form.addRow(self.discretion)
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
        self.check_btn.clicked.connect(self.check_now)
        cancel = QPushButton(tr("取消"))
        cancel.setAutoDefault(False)
        cancel.clicked.connect(self.reject)

        inner = QWidget()
        inner.setObjectName("formFields")
        inner_lay = QVBoxLayout(inner)
        inner_lay.addLayout(form)
        inner_lay.addStretch(1)
        scroll = scrolled(inner, "formScroll")
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
        fit_to_window(self, 780, max(360, min(680, inner.sizeHint().height() + 150)))  # short steps, short forms

        QShortcut(QKeySequence("Ctrl+Return"), self, self.submit)
        QShortcut(QKeySequence("Ctrl+Enter"), self, self.submit)
        self._check_timer = QTimer(self)
        self._check_timer.setSingleShot(True)
        self._check_timer.setInterval(700)
        self._check_timer.timeout.connect(self.run_check)
        self._update_officer_hint()
        self._update_discretion()
        method = self.editors.get("method")
        if isinstance(method, Combo) and any(f.name in METHOD_FIELDS for f in spec.fields):
            method.currentIndexChanged.connect(self._show_method_fields)
            self._show_method_fields()

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
            w = ChoiceGrid([(c, c) for c in self._choices(f)], 3 if f.name != "factors" else 2)
            w.changed.connect(self._changed)
        elif k == "officer":
            people = self._officers_for(f.name)
            w = Combo([(o["id"], self._officer_label(o)) for o in people], not f.required)
            wanted = ROLE_DEFAULTS.get(f.name)
            if wanted and people and self._has_role(people[0], wanted):
                w.set_value(people[0]["id"])
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
            w.setPlaceholderText(tr("更正后的内容：按原记录的格式逐项填写"))
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
            if (self.spec.key, f.name) in AUTO_NUMBERED:
                w.setPlaceholderText(tr("留空则按本机号段自动编号"))
        if f.name == "reasoning" and isinstance(w, QPlainTextEdit):
            w.textChanged.connect(self._reasoning_edited)
        w.setObjectName(f"field_{f.name}")
        return w

    def _label(self, f: Any) -> str:
        required = f.required and (self.spec.key, f.name) not in AUTO_NUMBERED
        return tr(f.label_zh) + (" *" if required else "")

    def _choices(self, f: Any) -> tuple[str, ...]:
        """Choices of a multichoice field; 处罚种类 only those the item's 处罚依据 provides."""
        choices = tuple(f.choices)
        item = self.ctx.item_seed
        if f.name == "kinds" and item is not None and getattr(item, "penalty_kinds", None):
            allowed = set(item.penalty_kinds)
            narrowed = tuple(c for c in choices if c in allowed)
            if narrowed:
                return narrowed
        return choices

    @staticmethod
    def _has_role(o: dict, role: str) -> bool:
        if role == "legal":
            return bool(o.get("legal_qualification"))
        return (o.get("role") or "officer") == role

    def _officers_for(self, name: str) -> list[dict]:
        """Officer choices, those with the role the field calls for first (approvals: leaders)."""
        role = ROLE_DEFAULTS.get(name)
        people = list(self.ctx.officers)
        if role:
            people.sort(key=lambda o: 0 if self._has_role(o, role) else 1)
        return people

    @staticmethod
    def _officer_label(o: dict) -> str:
        cert = o.get("cert_no") or tr("无执法证")
        role = {"leader": tr("负责人"), "auxiliary": tr("辅助人员")}.get(o.get("role") or "")
        return f"{o.get('name')}（{role}，{cert}）" if role else f"{o.get('name')}（{cert}）"

    def _changed(self, *_a: Any) -> None:
        if self.case_id is not None and not self._submitting:
            self._check_timer.start()

    # -- values -----------------------------------------------------------------------------
    def _method_hides(self, name: str) -> bool:
        """A 送达 field that does not apply to the chosen method (e.g. 邮件单号 for 直接送达)."""
        method = self.editors.get("method")
        wanted = METHOD_FIELDS.get(name)
        return wanted is not None and isinstance(method, Combo) and method.value() not in wanted

    def _show_method_fields(self, *_a: Any) -> None:
        for name, row in self._rows.items():
            if name in METHOD_FIELDS:
                self._form.setRowVisible(row, not self._method_hides(name))

    def payload(self, *, strict: bool = True) -> dict[str, Any]:
        """The action payload; optional empty fields are left out, and so are 送达 fields of
        another method than the one chosen. ``strict`` raises on bad JSON."""
        out: dict[str, Any] = {}
        for f in self.spec.fields:
            if self._method_hides(f.name):
                continue
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
            return as_date(w.date()).isoformat()
        if k == "money" and isinstance(w, QLineEdit):
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

    # -- check and submit -------------------------------------------------------------------
    def check_now(self) -> None:
        """检查: the officer asks for the engine's verdict, so refusals are shown from now on."""
        self._attempted = True
        self.run_check()

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
        if not self._attempted:  # before the first 提交: no red list while the officer fills in
            self.status.setText("")
            return
        self.violations.show_violations(violations)
        blocking = [v for v in violations if getattr(v, "blocks", True)]
        self.status.setText(tr("还有 {0} 项须处理").format(len(blocking)) if blocking else tr("检查通过，可以提交"))

    def submit(self) -> None:
        if self._submitting or self.ops.profile is None:
            return
        self._attempted = True
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
