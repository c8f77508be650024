"""案件 list model: a lazy table model over ``services.queries`` (pages of ``PAGE`` rows via
``canFetchMore``/``fetchMore`` on the ops worker; a new filter bumps a generation number so late
pages of an old filter are dropped)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from lishui_desk.storage.profile import Profile
from lishui_desk.timeutil import today_local
from ui.gateway import cases
from ui.ops import Ops, message_of
from ui.text import tr

PAGE = 200
COLUMNS = (
    ("case_number", "案件编号"),
    ("party_name", "当事人"),
    ("item_name", "事项"),
    ("stage_label", "阶段"),
    ("next_deadline", "下一期限"),
    ("officer_names", "执法人员"),
    ("media", "证据上传"),
)
# tuple positions from ui.gateway.cases.case_row_tuple
_POS = {"id": 0, "case_number": 1, "party_name": 2, "item_name": 3, "stage_label": 4, "next_deadline": 5,
        "next_deadline_label": 6, "officer_names": 7, "media": 8, "forked": 9}


ID_ROLE = Qt.ItemDataRole.UserRole + 1


class CaseSource:
    """Where the model gets its rows; the default calls the query service on the ops worker."""

    def count(self, profile: Profile, flt: dict) -> int:
        return cases.count_cases(profile, flt)

    def page(self, profile: Profile, flt: dict, offset: int, limit: int) -> list[tuple]:
        return list(cases.list_cases_with_media(profile, flt, offset, limit))


class CaseTableModel(QAbstractTableModel):
    """Lazy rows: ``rowCount`` grows page by page up to the filtered total."""

    loaded = Signal()  # a page or the count arrived
    failed = Signal(str)

    def __init__(self, ops: Ops, source: CaseSource | None = None, *, today: Callable[[], date] = today_local,
                 parent: Any = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.source = source or CaseSource()
        self.today = today
        self.filter: dict = {}
        self.total = 0
        self.rows: list[tuple] = []
        self._gen = 0
        self._loading = False
        self._counted = False

    # -- Qt model API -----------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            return tr(COLUMNS[section][1])
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows) or index.column() >= len(COLUMNS):
            return None
        row = self.rows[index.row()]
        key = COLUMNS[index.column()][0]
        if key == "media":
            flagged = len(row) > _POS["media"] and bool(row[_POS["media"]])
            if role == Qt.ItemDataRole.DisplayRole:
                return tr("媒体不完整") if flagged else ""
            if role == Qt.ItemDataRole.ToolTipRole and flagged:
                return tr("有证据文件尚未送达县级平台（见“同步”页的证据上传）")
            if role == Qt.ItemDataRole.ForegroundRole and flagged:
                return QBrush(QColor("#8a5a00"))
            return row[0] if role == ID_ROLE else None
        forked = key == "stage_label" and len(row) > _POS["forked"] and bool(row[_POS["forked"]])
        if forked and role == Qt.ItemDataRole.DisplayRole:
            return tr("{0}（记录分叉）").format(row[_POS[key]] or "")
        if forked and role == Qt.ItemDataRole.ToolTipRole:
            return tr("两台设备离线时分别记录了本案，处理分叉前不能继续办理（打开案件后点“处理分叉”）")
        if forked and role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(QColor("#b3261e"))
        if role == Qt.ItemDataRole.DisplayRole:
            value = row[_POS[key]]
            if key == "next_deadline":
                if value is None:
                    return ""
                label = row[_POS["next_deadline_label"]] or ""
                return f"{str(value)[:10]} {label}".strip()
            return "" if value is None else str(value)
        if role == ID_ROLE:
            return row[0]
        if role == Qt.ItemDataRole.ToolTipRole and key == "next_deadline":
            return row[_POS["next_deadline_label"]] or None
        if role == Qt.ItemDataRole.ForegroundRole and key == "next_deadline":
            due = _as_date(row[_POS["next_deadline"]])
            if due is not None and due < self.today():
                return QBrush(QColor("#b3261e"))
            if due is not None and (due - self.today()).days <= 3:
                return QBrush(QColor("#8a5a00"))
        return None

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> bool:  # noqa: B008
        if parent.isValid():
            return False
        return self._counted and not self._loading and len(self.rows) < self.total

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or not self.canFetchMore():
            return
        self._request_page()

    # -- loading ----------------------------------------------------------------------------
    def set_filter(self, flt: dict) -> None:
        """Replace the filter: reset, count (SQL-side), then load the first page."""
        self._gen += 1
        gen = self._gen
        self.beginResetModel()
        self.filter = dict(flt)
        self.rows = []
        self.total = 0
        self._counted = False
        self._loading = True
        self.endResetModel()
        if self.ops.profile is None:
            self._loading = False
            return
        self.ops.call_p(self.source.count, self.filter, done=lambda n: self._on_count(gen, n),
                        fail=lambda e: self._on_fail(gen, e))

    def reload(self) -> None:
        self.set_filter(self.filter)

    def _on_count(self, gen: int, n: int) -> None:
        if gen != self._gen:
            return
        self.total = int(n)
        self._counted = True
        self._loading = False
        if self.total:
            self._request_page()
        else:
            self.loaded.emit()

    def _request_page(self) -> None:
        if self.ops.profile is None:
            return
        gen = self._gen
        self._loading = True
        offset = len(self.rows)
        self.ops.call_p(self.source.page, self.filter, offset, PAGE,
                        done=lambda rows: self._on_page(gen, offset, rows), fail=lambda e: self._on_fail(gen, e))

    def _on_page(self, gen: int, offset: int, rows: list[tuple]) -> None:
        if gen != self._gen or offset != len(self.rows):
            return
        self._loading = False
        rows = rows[: max(0, self.total - offset)]
        if rows:
            self.beginInsertRows(QModelIndex(), offset, offset + len(rows) - 1)
            self.rows.extend(rows)
            self.endInsertRows()
        if len(rows) < PAGE and len(self.rows) < self.total:
            self.total = len(self.rows)  # rows vanished since the count: stop asking
        self.loaded.emit()

    def _on_fail(self, gen: int, exc: BaseException) -> None:
        if gen != self._gen:
            return
        self._loading = False
        self.failed.emit(message_of(exc))

    def case_id(self, row: int) -> str | None:
        return self.rows[row][0] if 0 <= row < len(self.rows) else None

    @property
    def is_loading(self) -> bool:
        return self._loading


def _as_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and len(value) >= 10:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None
