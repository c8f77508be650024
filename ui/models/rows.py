"""A read-only table model over rows of texts prepared once per load (the base of the 文书 and
事项目录 lists): display text per column, one key per row (``KEY_ROLE``), tool tips per cell."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

# (texts per column, key, tool tips by column, extra)
Row = tuple[tuple[str, ...], Any, Mapping[int, str], Any]
KEY_ROLE = Qt.ItemDataRole.UserRole
CASE_ROLE = Qt.ItemDataRole.UserRole + 1


class TextRowsModel(QAbstractTableModel):
    """Rows of ``(texts, key, tips, extra)``; subclasses turn service rows into them."""

    def __init__(self, headers: Sequence[str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._headers = list(headers)
        self._rows: list[Row] = []

    def _reset(self, rows: Sequence[Row]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows) or index.column() >= len(self._headers):
            return None
        texts, key, tips, extra = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return texts[index.column()]
        if role == KEY_ROLE:
            return key
        if role == CASE_ROLE:
            return extra
        if role == Qt.ItemDataRole.ToolTipRole:
            return tips.get(index.column())
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(self._headers):
            return self._headers[section]
        return None

    def key(self, row: int) -> Any:
        return self._rows[row][1] if 0 <= row < len(self._rows) else None

    def extra(self, row: int) -> Any:
        return self._rows[row][3] if 0 <= row < len(self._rows) else None

    def text(self, row: int, column: int) -> str:
        return self._rows[row][0][column]

    def row_of(self, key: Any) -> int:
        return next((i for i, r in enumerate(self._rows) if r[1] == key), -1)
