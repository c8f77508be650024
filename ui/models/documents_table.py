"""文书 page list: every issued document (文号, 文书, 案件, 出具日期); the row's key is the
document id, its ``CASE_ROLE`` the case id (double-click opens the case)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject

from ui.models.rows import TextRowsModel
from ui.models.timeline import doc_titles
from ui.text import tr
from ui.widgets.common import fmt_date


class DocumentsTableModel(TextRowsModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__([tr("文号"), tr("文书"), tr("案件"), tr("出具日期")], parent)

    def set_documents(self, docs: list[Any]) -> None:
        rows = []
        for d in docs:
            g = (lambda k, d=d: d.get(k)) if isinstance(d, dict) else (lambda k, d=d: getattr(d, k, None))
            title = g("title") or doc_titles().get(g("doc_type") or "", tr("文书"))
            texts = (g("number") or tr("（无文号）"), title, g("case_number") or "", fmt_date(g("issued_at")))
            rows.append((texts, g("id"), {1: title}, g("case_id")))
        self._reset(rows)
