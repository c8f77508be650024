"""The 裁量 panel of the step forms with a fine: the item's legal range and tiers for the party,
the suggested amount (``lishui_desk.discretion``), the entered amount checked as it is typed, and
the 裁量理由 kept in step with the amount (written for it, until the officer edits it by hand)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
)

from lishui_desk.errors import InvalidInput
from ui.gateway import catalog
from ui.text import tr
from ui.widgets.editors import ItemPicker, PartyEditor


class DiscretionMixin:
    """Mixed into :class:`ui.dialogs.action_form.ActionForm` (uses its ``editors``, ``ctx``, ``ops``)."""

    editors: dict[str, Any]
    ctx: Any
    ops: Any
    discretion: Any
    _asked: set[str]
    _auto_reasoning: str

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
        code = picker.value() if picker is not None else None
        if code:
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
        # a fine being decided (处罚种类 chosen in the same form), not a payment being recorded
        if "kinds" not in self.editors or not isinstance(amount_w, QLineEdit) or item is None or kind not in ("individual", "organisation") \
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
            sample = tr("（本机裁量基准为示例，待县级发布）") if discretion.is_sample_source(item.tiers_source) else ""
            self.suggestion.setText(tr("法定幅度 {0}–{1} 元；本阶次 {2}–{3} 元；建议 {4} 元。{5}").format(
                s.legal_min, top, s.allowed_min, s.allowed_max, s.amount, sample))
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
        self._sync_reasoning()

    def _use_suggestion(self) -> None:
        s = self._suggested
        if s is None:
            return
        amount_w = self.editors.get("amount")
        if isinstance(amount_w, QLineEdit):
            amount_w.setText(f"{s.amount:.2f}")
        self._sync_reasoning()

    def _reasoning_text(self) -> str | None:
        """裁量理由 for the amount in the box: the suggestion's reasoning, its closing sentence
        naming the amount actually entered."""
        s = self._suggested
        amount_w = self.editors.get("amount")
        if s is None or not isinstance(amount_w, QLineEdit):
            return None
        try:
            amount = Decimal(amount_w.text().strip())
        except InvalidOperation:
            return None
        from lishui_desk.discretion import yuan

        text = s.reasoning
        # document text, in the words of lishui_desk.discretion.suggest (not a UI string)
        suggested = f"综合裁量，建议罚款人民币{yuan(s.amount)}。"
        chosen = f"综合裁量，决定罚款人民币{yuan(amount)}。"
        return text.replace(suggested, chosen) if suggested in text else text + chosen

    def _sync_reasoning(self) -> None:
        """Write the reasoning when it is empty or still the text this form wrote (not when the
        officer edited it by hand)."""
        reasoning = self.editors.get("reasoning")
        if not isinstance(reasoning, QPlainTextEdit):
            return
        current = reasoning.toPlainText().strip()
        if current and current != self._auto_reasoning:
            return
        text = self._reasoning_text()
        if text is None or text == current:
            return
        self._auto_reasoning = text
        reasoning.blockSignals(True)
        reasoning.setPlainText(text)
        reasoning.blockSignals(False)

    def _reasoning_edited(self) -> None:
        w = self.editors.get("reasoning")
        if isinstance(w, QPlainTextEdit) and w.toPlainText().strip() != self._auto_reasoning:
            self._auto_reasoning = ""  # the officer's own words from now on
