"""事项目录 search results: 事项 (marked when 首违不罚 applies), 领域, 罚款幅度, 代码; the row's key
is the item code."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject

from ui.models.rows import TextRowsModel
from ui.text import tr


class CatalogTableModel(TextRowsModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__([tr("事项"), tr("领域"), tr("罚款幅度"), tr("代码")], parent)

    def set_items(self, rows: list[Any]) -> None:
        out = []
        for r in rows:
            name = r.name + (tr("（可首违不罚）") if r.first_offence_waivable else "")
            out.append(((name, r.domain, r.fine_text, r.code), r.code, {0: r.name}, None))
        self._reset(out)
