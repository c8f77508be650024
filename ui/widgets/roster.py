"""执法人员名册 in 设置: list the township's officers, add a colleague, retire one.

Officers are never deleted (the record cites them); retiring sets them inactive, so they are no
longer offered in the step forms' officer choosers. The work goes through
``lishui_desk.services.officers`` on the ops worker (``ui.gateway.officers``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from lishui_desk.timeutil import today_local
from ui.gateway import officers
from ui.ops import Ops, message_of
from ui.qdates import as_date
from ui.text import tr

ART_42 = "《中华人民共和国行政处罚法》第四十二条"
ZJ_28 = "《浙江省综合行政执法条例》第二十八条"
MAX_CERT = 32


def role_labels() -> dict[str, str]:
    return {"officer": tr("执法人员"), "leader": tr("负责人"), "reviewer": tr("法制审核"),
            "auxiliary": tr("辅助人员")}


def validate(name: str, cert_no: str, valid_until: date | None, role: str, known_certs: set[str],
             today: date) -> list[str]:
    """What is wrong with a new roster entry, in the words shown under the form (empty: fine)."""
    problems = []
    if not name.strip():
        problems.append(tr("请填写姓名"))
    cert = cert_no.strip()
    if not cert:
        problems.append(tr("请填写执法证号（辅助人员填工作证号）"))
    elif len(cert) > MAX_CERT or any(ch.isspace() for ch in cert):
        problems.append(tr("执法证号不能含空格，最多 {0} 个字符").format(MAX_CERT))
    elif cert.upper() in known_certs:
        problems.append(tr("执法证号 {0} 已登记（含已停用人员），同一证号只能登记一次").format(cert))
    if role != "auxiliary":
        if valid_until is None:
            problems.append(tr("请填写执法证有效期（执法人员须持有有效执法证件，{0}）").format(ART_42))
        elif valid_until < today:
            problems.append(tr("执法证已于 {0} 过期，过期证件不能用于执法（{1}）").format(valid_until.isoformat(), ZJ_28))
    return problems


class RosterBox(QGroupBox):
    """The roster table, an add form with inline checks, and 停用 for the selected officer."""

    def __init__(self, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(tr("执法人员名册"), parent)
        self.setObjectName("rosterBox")
        self.ops = ops
        self.rows: list[dict] = []
        self.table = QTreeWidget()
        self.table.setObjectName("roster")
        self.table.setRootIsDecorated(False)
        self.table.setHeaderLabels([tr("姓名"), tr("执法证号"), tr("有效期至"), tr("角色"), tr("法制审核资格"), tr("状态")])
        self.table.setColumnWidth(0, 120)
        self.table.setColumnWidth(1, 130)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.show_inactive = QCheckBox(tr("显示已停用人员"))
        self.show_inactive.toggled.connect(self._fill)
        self.retire_btn = QPushButton(tr("停用所选(&R)…"))
        self.retire_btn.setObjectName("retireOfficer")
        self.retire_btn.setEnabled(False)
        self.retire_btn.clicked.connect(self.ask_retire)

        self.name = QLineEdit()
        self.name.setObjectName("officerName")
        self.cert = QLineEdit()
        self.cert.setObjectName("officerCert")
        self.cert.setPlaceholderText(tr("如 ZJ-3311-0003"))
        self.valid_until = QDateEdit()
        self.valid_until.setObjectName("officerValidUntil")
        self.valid_until.setCalendarPopup(True)
        self.valid_until.setDisplayFormat("yyyy-MM-dd")
        self.valid_until.setMinimumDate(QDate(1990, 1, 1))
        self.valid_until.setSpecialValueText(tr("（不填）"))
        self.valid_until.setDate(self.valid_until.minimumDate())
        self.role = QComboBox()
        self.role.setObjectName("officerRole")
        for key, label in role_labels().items():
            self.role.addItem(label, key)
        self.legal = QCheckBox(tr("具有法制审核资格"))
        self.legal.setObjectName("officerLegal")
        # 《行政处罚法》第五十八条第二款: 初次从事法制审核 (from 2021-07-15) requires 法律职业资格
        self.reviewer_since = QDateEdit()
        self.reviewer_since.setObjectName("officerReviewerSince")
        self.reviewer_since.setCalendarPopup(True)
        self.reviewer_since.setDisplayFormat("yyyy-MM-dd")
        self.reviewer_since.setMinimumDate(QDate(1990, 1, 1))
        self.reviewer_since.setSpecialValueText(tr("（不填）"))
        self.reviewer_since.setDate(self.reviewer_since.minimumDate())
        self.reviewer_since.setToolTip(tr("2021年7月15日以后初次从事法制审核的人员，应当取得法律职业资格"
                                          "（《中华人民共和国行政处罚法》第五十八条第二款）"))
        self.add_btn = QPushButton(tr("添加人员(&A)"))
        self.add_btn.setObjectName("addOfficer")
        self.add_btn.clicked.connect(self.add)
        self.state = QLabel()
        self.state.setObjectName("rosterState")
        self.state.setWordWrap(True)
        for w in (self.name, self.cert):
            w.textChanged.connect(self._clear_state)
        self.valid_until.dateChanged.connect(self._clear_state)
        self.role.currentIndexChanged.connect(self._clear_state)

        form = QFormLayout()
        form.addRow(tr("姓名："), self.name)
        form.addRow(tr("执法证号："), self.cert)
        form.addRow(tr("证件有效期至："), self.valid_until)
        form.addRow(tr("角色："), self.role)
        form.addRow("", self.legal)
        form.addRow(tr("开始从事法制审核："), self.reviewer_since)
        top = QHBoxLayout()
        top.addWidget(self.show_inactive)
        top.addStretch(1)
        top.addWidget(self.retire_btn)
        buttons = QHBoxLayout()
        buttons.addWidget(self.state, 1)
        buttons.addWidget(self.add_btn)
        lay = QVBoxLayout(self)
        lay.addWidget(self.table, 1)
        lay.addLayout(top)
        lay.addLayout(form)
        lay.addLayout(buttons)

    # -- loading ------------------------------------------------------------------------------
    def reload(self) -> None:
        self.ops.call_p(officers.list_officers, include_inactive=True, done=self._loaded,
                        fail=lambda e: self._set_state(message_of(e), False))

    def _loaded(self, rows: list[dict]) -> None:
        self.rows = rows
        self._fill()

    def _fill(self, *_a: Any) -> None:
        labels = role_labels()
        me = getattr(self.ops.profile, "officer_id", None)
        self.table.clear()
        for o in self.rows:
            if not o["active"] and not self.show_inactive.isChecked():
                continue
            name = o["name"] + (tr("（本人）") if o["id"] == me else "")
            it = QTreeWidgetItem([name, o.get("cert_no") or "", str(o.get("cert_valid_until") or ""),
                                  labels.get(o.get("role") or "", o.get("role") or ""),
                                  tr("有") if o.get("legal_qualification") else "",
                                  tr("在职") if o["active"] else tr("已停用")])
            it.setData(0, Qt.ItemDataRole.UserRole, o["id"])
            if not o["active"]:
                for col in range(6):
                    it.setForeground(col, Qt.GlobalColor.gray)
            self.table.addTopLevelItem(it)
        self._selection_changed()

    def names(self, *, active_only: bool = True) -> list[str]:
        return [o["name"] for o in self.rows if o["active"] or not active_only]

    # -- add ----------------------------------------------------------------------------------
    def _valid_until(self) -> date | None:
        d = self.valid_until.date()
        return None if d == self.valid_until.minimumDate() else as_date(d)

    def _reviewer_since(self) -> date | None:
        d = self.reviewer_since.date()
        return None if d == self.reviewer_since.minimumDate() else as_date(d)

    def add(self) -> None:
        known = {(o.get("cert_no") or "").upper() for o in self.rows}
        problems = validate(self.name.text(), self.cert.text(), self._valid_until(), self.role.currentData(),
                            known, today_local())
        if problems:
            self._set_state("✗ " + "；".join(problems), False)
            return
        officer = {"name": self.name.text().strip(), "cert_no": self.cert.text().strip(),
                   "cert_valid_until": self._valid_until(), "role": self.role.currentData(),
                   "legal_qualification": self.legal.isChecked(), "reviewer_since": self._reviewer_since()}
        self.add_btn.setEnabled(False)
        self.ops.call_p(officers.create_officer, officer, done=self._added, fail=self._add_failed)

    def _added(self, row: dict) -> None:
        self.add_btn.setEnabled(True)
        for w in (self.name, self.cert):
            w.clear()
        self.valid_until.setDate(self.valid_until.minimumDate())
        self.legal.setChecked(False)
        self.reviewer_since.setDate(self.reviewer_since.minimumDate())
        self._set_state(tr("✓ 已添加：{0}（{1}）").format(row["name"], row.get("cert_no") or ""), True)
        self.reload()

    def _add_failed(self, exc: BaseException) -> None:
        self.add_btn.setEnabled(True)
        self._set_state("✗ " + message_of(exc), False)

    # -- retire -------------------------------------------------------------------------------
    def selected(self) -> dict | None:
        it = self.table.currentItem()
        if it is None or not it.isSelected():
            return None
        oid = it.data(0, Qt.ItemDataRole.UserRole)
        return next((o for o in self.rows if o["id"] == oid), None)

    def _selection_changed(self) -> None:
        o = self.selected()
        me = getattr(self.ops.profile, "officer_id", None)
        self.retire_btn.setEnabled(o is not None and o["active"] and o["id"] != me)

    def ask_retire(self) -> QMessageBox | None:
        """Ask (window-modal, not blocking) before retiring the selected officer."""
        o = self.selected()
        if o is None:
            return None
        box = QMessageBox(QMessageBox.Icon.Question, tr("停用执法人员"),
                          tr("停用 {0}（{1}）？停用后不再出现在各环节的执法人员选项中；"
                             "已有记录中的署名保留。").format(o["name"], o.get("cert_no") or ""),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setObjectName("retireConfirm")
        box.setDefaultButton(QMessageBox.StandardButton.No)
        yes = box.button(QMessageBox.StandardButton.Yes)
        box.buttonClicked.connect(lambda b, oid=o["id"]: self.retire(oid) if b is yes else None)
        box.open()
        return box

    def retire(self, officer_id: str) -> None:
        self.ops.call_p(officers.retire_officer, officer_id, done=self._retired,
                        fail=lambda e: self._set_state("✗ " + message_of(e), False))

    def _retired(self, row: officers.Officer) -> None:
        self._set_state(tr("已停用：{0}").format(row["name"]), True)
        self.reload()

    # -- state line ---------------------------------------------------------------------------
    def _clear_state(self, *_a: Any) -> None:
        self.state.clear()

    def _set_state(self, text: str, ok: bool) -> None:
        self.state.setText(text)
        self.state.setProperty("state", "ok" if ok else "bad")
        self.state.style().unpolish(self.state)
        self.state.style().polish(self.state)
