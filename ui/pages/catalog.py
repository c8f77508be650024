"""事项目录 browser: search by Chinese substring, code or domain; item detail with 违法依据 and
处罚依据 citations, fine range, 裁量 tiers, 首违不罚; "以此事项登记线索" starts a lead with the item."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from lishui_desk.timeutil import today_local
from ui.gateway import catalog
from ui.gateway.changes import OpChanges
from ui.models.catalog_table import CatalogTableModel
from ui.ops import Ops, message_of
from ui.text import tr
from ui.widgets import fit_columns

PARTY_ZH = {"individual": tr("个人"), "organisation": tr("单位"), "any": tr("不限")}


class CatalogPage(QWidget):
    start_lead = Signal(str)  # item code

    def __init__(self, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("catalogPage")
        self.ops = ops
        self.current: Any = None
        self.search = QLineEdit()
        self.search.setObjectName("catalogSearch")
        self.search.setPlaceholderText(tr("搜索事项名称（任意汉字片段）或事项代码"))
        self.search.setClearButtonEnabled(True)
        self.domain = QComboBox()
        self.domain.setObjectName("catalogDomain")
        self.domain.addItem(tr("全部领域"), None)
        self.model = CatalogTableModel(self)
        self.results = QTreeView()
        self.results.setObjectName("catalogResults")
        self.results.setModel(self.model)
        self.results.setRootIsDecorated(False)
        self.results.setItemsExpandable(False)
        self.results.setUniformRowHeights(True)
        self.results.setSelectionBehavior(QTreeView.SelectionBehavior.SelectRows)
        fit_columns(self.results, 0)
        self.results.selectionModel().currentRowChanged.connect(self._selected)
        self.empty = QLabel()
        self.empty.setObjectName("catalogEmpty")
        self.empty.setWordWrap(True)
        self.empty.setVisible(False)
        self.detail = QTextBrowser()
        self.detail.setObjectName("itemDetail")
        self.lead_btn = QPushButton(tr("以此事项登记线索(&F)"))
        self.lead_btn.setObjectName("leadFromItem")
        self.lead_btn.setEnabled(False)
        self.lead_btn.clicked.connect(lambda: self.start_lead.emit(self.current.code) if self.current else None)
        bar = QHBoxLayout()
        bar.addWidget(self.search, 1)
        bar.addWidget(self.domain)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.addWidget(self.detail, 1)
        rl.addWidget(self.lead_btn, 0, Qt.AlignmentFlag.AlignRight)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.empty)
        ll.addWidget(self.results, 1)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        lay = QVBoxLayout(self)
        lay.addLayout(bar)
        lay.addWidget(split, 1)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(200)
        self._debounce.timeout.connect(self.run_search)
        self.search.textChanged.connect(self._debounce.start)
        self.domain.currentIndexChanged.connect(self.run_search)
        ops.changed.connect(self._data_changed)

    def _data_changed(self, changes: OpChanges) -> None:
        if changes.catalog and self.model.rowCount():  # shown once already: refresh it
            self.reload()

    def reload(self) -> None:
        if self.ops.profile is None:
            return
        self.ops.call_p(catalog.domains, done=self._domains, fail=lambda e: self.detail.setText(message_of(e)))
        self.run_search()

    def _domains(self, domains: list[str]) -> None:
        self.domain.blockSignals(True)
        self.domain.clear()
        self.domain.addItem(tr("全部领域"), None)
        for d in domains:
            self.domain.addItem(d, d)
        self.domain.blockSignals(False)

    def run_search(self) -> None:
        if self.ops.profile is None:
            return
        self.ops.call_p(catalog.search, self.search.text().strip(), self.domain.currentData(),
                        done=self._show, fail=lambda e: self.detail.setText(message_of(e)))

    def _show(self, rows: list[Any]) -> None:
        self._clear_detail()
        text = self.search.text().strip()
        if not rows:
            self.empty.setText(tr("没有与“{0}”匹配的事项。可换一个词（如行为或场所），或选择“全部领域”。").format(text)
                               if text else tr("本领域没有事项。"))
        self.empty.setVisible(not rows)
        self.model.set_items(rows)
        if rows:
            self.results.setCurrentIndex(self.model.index(0, 0))

    def codes(self) -> list[str]:
        return [self.model.key(r) for r in range(self.model.rowCount())]

    def select_code(self, code: str) -> bool:
        row = self.model.row_of(code)
        if row >= 0:
            self.results.setCurrentIndex(self.model.index(row, 0))
        return row >= 0

    def current_code(self) -> str | None:
        idx = self.results.currentIndex()
        return self.model.key(idx.row()) if idx.isValid() else None

    def _clear_detail(self) -> None:
        """No selection, no detail: the previous item's text and 登记线索 button go away."""
        self.current = None
        self.lead_btn.setEnabled(False)
        self.detail.clear()

    def _selected(self, index: Any = None, _prev: Any = None) -> None:
        code = self.model.key(index.row()) if index is not None and index.isValid() else None
        if code is None:
            self._clear_detail()
            return
        self.ops.call_p(catalog.item, code, done=self._detail, fail=lambda e: self.detail.setText(message_of(e)))

    def _detail(self, it: Any) -> None:
        if self.current_code() != it.code:
            return  # a late answer for an item no longer selected
        self.current = it
        self.lead_btn.setEnabled(it is not None and it.is_active_on(today_local()))
        e = html.escape
        parts = [f"<h3>{e(it.name)}</h3>", tr("<p>代码 {0}　领域 {1}　原主管部门 {2}</p>").format(
            e(it.code), e(it.domain), e(it.original_department or ""))]
        parts.append(tr("<p><b>违法依据：</b>{0}</p>").format(e(it.violation_basis_text())))
        parts.append(tr("<p><b>处罚依据：</b>{0}</p>").format(e(it.penalty_basis_text())))
        parts.append(tr("<p><b>处罚种类：</b>{0}</p>").format(e("、".join(it.penalty_kinds) or tr("无"))))
        if it.measures:
            parts.append(tr("<p><b>其他措施：</b>{0}</p>").format(e("、".join(it.measures))))
        if it.fine is not None:
            rng = []
            for kind, label in (("individual", tr("个人")), ("organisation", tr("单位"))):
                r = getattr(it.fine, kind)
                if r:
                    top = tr("不设上限") if r[1] is None else str(r[1])
                    rng.append(f"{label} {r[0]}–{top}")
            unit = it.fine.unit_zh if it.fine.unit else tr("元")
            parts.append(tr("<p><b>罚款幅度：</b>{0}（{1}）{2}</p>").format(e("；".join(rng)), e(unit), e(it.fine.note or "")))
        if it.tiers:
            rows = "".join(
                f"<tr><td>{e(t.label)}</td><td>{e(PARTY_ZH.get(t.party, t.party))}</td><td>{t.fine_min}–{t.fine_max}</td><td>{e(t.conditions)}</td></tr>"
                for t in it.tiers)
            src = it.tiers_source or ""
            heading = src if src.startswith("裁量基准") else (tr("裁量基准（{0}）").format(src) if src else tr("裁量基准"))
            parts.append(f"<p><b>{e(heading)}</b></p>")
            parts.append(tr("<table border='1' cellpadding='4'><tr><th>阶次</th><th>适用</th><th>幅度</th><th>情形</th></tr>")
                         + rows + "</table>")
        parts.append(tr("<p><b>首违不罚：</b>{0}（《中华人民共和国行政处罚法》第三十三条第一款）</p>").format(
            tr("列入清单") if it.first_offence_waivable else tr("未列入")))
        if it.status != "active":
            parts.append(tr("<p style='color:#b3261e'>已收回（{0}）</p>").format(it.withdrawn_on))
        self.detail.setHtml("".join(parts))
