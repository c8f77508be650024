"""全过程记录 table model: one row per event, texts prepared once per load."""

from __future__ import annotations

import functools
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from ui.gateway import cases, documents
from ui.text import tr

# record entries that no step form writes (documents are issued from the 文书 tab, forks by sync)
OTHER_EVENTS = {"document.issued": "出具文书", "sync.fork_detected": "同步时发现记录分叉"}


@functools.cache
def doc_titles() -> dict[str, str]:
    return dict(documents.doc_types())


def event_text(e: Any) -> str:
    """The 记录 column: the step's Chinese name; an issued document names itself and its number."""
    label = cases.event_label(e.type)
    if label == e.type:  # not a step of the action table
        label = tr(OTHER_EVENTS.get(e.type, "其他记录"))
    payload = getattr(e, "payload", None) or {}
    if e.type == "document.issued" and isinstance(payload, dict):
        title = payload.get("title") or doc_titles().get(payload.get("doc_type") or "", "")
        number = payload.get("number") or ""
        label = "：".join(x for x in (label, " ".join(y for y in (title, number) if y)) if x)
    return label


class TimelineModel(QAbstractTableModel):
    """全过程记录 as a table model: one row per event, texts prepared once per load."""

    COLUMNS = ("序号", "时间", "记录", "执行人", "地点", "校验")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._headers = [tr("序号"), tr("时间"), tr("记录"), tr("执行人"), tr("地点"), tr("校验")]
        self._rows: list[tuple[tuple[str, ...], str, str, bool]] = []  # (texts, event id, hash, ok)
        self._aside: set[str] = set()

    def set_events(self, events: list[Any], names: dict[str, str], broken: set[str],
                   aside: list[Any] | None = None, forked: bool = False, copies: set[str] | None = None) -> None:
        """``aside``: events of the record that do not count — the other branch of an open fork
        (``forked``), or the branch a resolution did not adopt; shown in place, marked and grey.
        ``copies``: those of them that repeat an event that counts (marked as such)."""
        rows: list[tuple[tuple[str, ...], str, str, bool]] = []
        corrected = tr("（更正）")
        bad = tr("✗ 哈希不符")
        mark = tr("（另一分支，待处理分叉）") if forked else tr("（未采用的分支，保留在记录中）")
        copy_mark = tr("（同一内容已在记录中，此份不重复计入）")
        aside_ids = {e.id for e in aside or []}
        self._aside = aside_ids
        merged = sorted([*events, *(aside or [])], key=lambda e: (e.seq, e.id in aside_ids))
        for e in merged:
            ok = e.id not in broken
            label = event_text(e) + (corrected if e.corrects else "") + (
                (copy_mark if e.id in (copies or set()) else mark) if e.id in aside_ids else "")
            texts = (str(e.seq), str(e.occurred_at)[:16].replace("T", " "), label,
                     names.get(e.actor_id, e.actor_id or ""), e.place or "", "✓" if ok else bad)
            rows.append((texts, e.id, e.hash, ok))
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        texts, event_id, digest, ok = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return texts[col]
        if role == Qt.ItemDataRole.UserRole:
            return event_id
        if role == Qt.ItemDataRole.ToolTipRole and col == 5:
            return tr("本条哈希 {0}").format(digest)
        if role == Qt.ItemDataRole.ForegroundRole and col == 5 and not ok:
            return QColor(Qt.GlobalColor.red)
        if role == Qt.ItemDataRole.ForegroundRole and event_id in self._aside:
            return QColor(Qt.GlobalColor.darkGray)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None
