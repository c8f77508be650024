"""案件 list: a lazy table model over ``services.queries`` plus filters and search.

:class:`CaseTableModel` never holds more than the pages the view has asked for. The total count
is fetched first (SQL-side filtering), then pages of ``PAGE`` rows through ``canFetchMore`` /
``fetchMore`` as the view scrolls; both run on the ops worker. A new filter bumps a generation
number so that late pages of an old filter are dropped.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from lishui_desk.procedure import vocabulary as V
from ui.gateway import cases
from ui.gateway.changes import OpChanges
from ui.models.case_table import CaseSource, CaseTableModel
from ui.ops import Ops
from ui.qdates import working_qdate
from ui.text import tr


class CaseListPage(QWidget):
    """Filters (stage, domain, overdue, date range) and one search box (编号/当事人/身份证号/事项)."""

    open_case = Signal(str)
    new_case = Signal()

    def __init__(self, ops: Ops, source: CaseSource | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("caseListPage")
        self.ops = ops
        self.model = CaseTableModel(ops, source, parent=self)
        self.search = QLineEdit()
        self.search.setObjectName("caseSearch")
        self.search.setPlaceholderText(tr("搜索：案件编号、当事人、身份证号（完整）、事项"))
        self.search.setClearButtonEnabled(True)
        self.stage = QComboBox()
        self.stage.addItem(tr("全部阶段"), None)
        for key, label in V.STAGE_LABELS.items():
            if key != V.NEW:
                self.stage.addItem(label, key)
        self.domain = QComboBox()
        self.domain.addItem(tr("全部领域"), None)
        self.overdue = QCheckBox(tr("只看逾期(&O)"))
        self.media = QCheckBox(tr("媒体不完整(&M)"))
        self.media.setObjectName("caseMediaFilter")
        self.media.setToolTip(tr("只看有证据文件尚未送达县级平台的案件"))
        self.use_dates = QCheckBox(tr("日期"))
        self.date_from = QDateEdit(working_qdate().addMonths(-3))
        self.date_to = QDateEdit(working_qdate())
        for d in (self.date_from, self.date_to):
            d.setCalendarPopup(True)
            d.setDisplayFormat("yyyy-MM-dd")
            d.setEnabled(False)
        self.use_dates.toggled.connect(self.date_from.setEnabled)
        self.use_dates.toggled.connect(self.date_to.setEnabled)
        self.new_btn = QPushButton(tr("登记线索(&L)"))
        self.new_btn.clicked.connect(self.new_case.emit)
        self.count_label = QLabel()
        self.count_label.setObjectName("caseCount")

        self.table = QTableView()
        self.table.setObjectName("caseTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(36)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        # fixed widths (a lazy model of 100,000 rows is not measured); whole case numbers, and the
        # long 事项 name takes the remaining width
        for col, width in enumerate((200, 140, 260, 110, 230, 130, 100)):
            self.table.setColumnWidth(col, width)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.activated.connect(self._activated)
        self.table.doubleClicked.connect(self._activated)

        bar = QHBoxLayout()
        bar.addWidget(self.search, 3)
        bar.addWidget(self.stage)
        bar.addWidget(self.domain)
        bar.addWidget(self.overdue)
        bar.addWidget(self.media)
        bar.addWidget(self.use_dates)
        bar.addWidget(self.date_from)
        bar.addWidget(QLabel(tr("至")))
        bar.addWidget(self.date_to)
        bar.addWidget(self.new_btn)
        lay = QVBoxLayout(self)
        lay.addLayout(bar)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.count_label)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(250)
        self._debounce.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(self._debounce.start)
        self.search.returnPressed.connect(self.apply_filter)
        for sig in (self.stage.currentIndexChanged, self.domain.currentIndexChanged):
            sig.connect(self.apply_filter)
        for box in (self.overdue, self.media, self.use_dates):
            box.toggled.connect(self.apply_filter)
        self.date_from.dateChanged.connect(self.apply_filter)
        self.date_to.dateChanged.connect(self.apply_filter)
        self.model.loaded.connect(self._update_count)
        self.model.failed.connect(self.count_label.setText)
        ops.changed.connect(self._data_changed)
        QShortcut(QKeySequence.StandardKey.Find, self, self.search.setFocus)

    def current_filter(self) -> dict:
        flt: dict[str, Any] = {}
        if self.stage.currentData():
            flt["stage"] = self.stage.currentData()
        if self.domain.currentData():
            flt["domain"] = self.domain.currentData()
        if self.overdue.isChecked():
            flt["overdue"] = True
        if self.media.isChecked():
            flt["media_incomplete"] = True
        if self.use_dates.isChecked():
            flt["date_from"] = self.date_from.date().toPython()
            flt["date_to"] = self.date_to.date().toPython()
        text = self.search.text().strip()
        if text:
            flt["text"] = text
        return flt

    def apply_filter(self) -> None:
        self._debounce.stop()
        self.count_label.setText(tr("正在查询…"))
        self.model.set_filter(self.current_filter())

    def set_domains(self, domains: list[str]) -> None:
        current = self.domain.currentData()
        self.domain.blockSignals(True)
        self.domain.clear()
        self.domain.addItem(tr("全部领域"), None)
        for d in domains:
            self.domain.addItem(d, d)
        idx = self.domain.findData(current)
        self.domain.setCurrentIndex(max(0, idx))
        self.domain.blockSignals(False)

    def load_domains(self) -> None:
        if self.ops.profile is not None:
            self.ops.call_p(cases.domains, done=self.set_domains, fail=lambda e: None)

    def _data_changed(self, changes: OpChanges) -> None:
        """A case moved (a step, a new lead, evidence, a document): the rows may differ."""
        if changes.cases and self.model.ops.profile is not None:
            self.model.reload()
            self.load_domains()

    def _update_count(self) -> None:
        self.count_label.setText(tr("共 {0} 件，已载入 {1} 件").format(self.model.total, self.model.rowCount()))

    def _activated(self, index: QModelIndex) -> None:
        cid = self.model.case_id(index.row())
        if cid:
            self.open_case.emit(cid)
