"""Case workspace: header, the whole-process record (全过程记录), next steps and what is missing,
evidence (import by dialog or drag and drop, thumbnails, export, integrity) and documents."""

from __future__ import annotations

import dataclasses
import mimetypes
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QColor, QDragEnterEvent, QDropEvent, QIcon, QImage, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QTreeView,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from lishui_desk.procedure import vocabulary as V
from ui.action_form import ActionForm
from ui.documents import DocumentsPane
from ui.gateway import cases
from ui.gateway.changes import OpChanges
from ui.gateway.form_context import FormContext, load_workspace
from ui.ops import Ops, message_of
from ui.text import tr
from ui.widgets import fmt_date, show_error, violation_text

IMAGE_TYPES = ("image/png", "image/jpeg", "image/gif", "image/bmp", "image/webp", "image/tiff")


class TimelineModel(QAbstractTableModel):
    """全过程记录 as a table model: one row per event, texts prepared once per load."""

    COLUMNS = ("序号", "时间", "记录", "执行人", "地点", "校验")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._headers = [tr("序号"), tr("时间"), tr("记录"), tr("执行人"), tr("地点"), tr("校验")]
        self._rows: list[tuple[tuple[str, ...], str, str, bool]] = []  # (texts, event id, hash, ok)

    def set_events(self, events: list[Any], names: dict[str, str], broken: set[str]) -> None:
        rows = []
        corrected = tr("（更正）")
        bad = tr("✗ 哈希不符")
        for e in events:
            ok = e.id not in broken
            label = cases.event_label(e.type) + (corrected if e.corrects else "")
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
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None


class Timeline(QTreeView):
    """One row per event: 序号, 时间, 事项, 执行人, 地点, 校验 (✓ when its hash verifies)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timeline")
        self.events_model = TimelineModel(self)
        self.setModel(self.events_model)
        self.setRootIsDecorated(False)
        self.setItemsExpandable(False)
        self.setAlternatingRowColors(True)
        self.setUniformRowHeights(True)
        self.setSelectionBehavior(QTreeView.SelectionBehavior.SelectRows)
        for col, w in enumerate((60, 170, 240, 120, 160)):
            self.setColumnWidth(col, w)

    def show_events(self, events: list[Any], names: dict[str, str], broken: set[str]) -> None:
        self.events_model.set_events(events, names, broken)

    def row_count(self) -> int:
        return self.events_model.rowCount()

    def text(self, row: int, column: int) -> str:
        return self.events_model.data(self.events_model.index(row, column)) or ""


class LazyTab(QWidget):
    """A tab page whose content is built the first time it is shown or asked for."""

    def __init__(self, factory: Callable[[], QWidget], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._factory = factory
        self.content: QWidget | None = None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)

    def build(self) -> QWidget:
        if self.content is None:
            self.content = self._factory()
            self.layout().addWidget(self.content)
        return self.content


class EvidencePane(QWidget):
    """证据: import (dialog or drop), thumbnails for images, export, integrity state."""

    import_files = Signal(list, str, str)  # paths, kind, description
    export_one = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAcceptDrops(True)
        self.list = QListWidget()
        self.list.setObjectName("evidenceList")
        self.list.setViewMode(QListWidget.ViewMode.IconMode)
        self.list.setIconSize(QSize(128, 128))
        self.list.setGridSize(QSize(200, 190))
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.list.setWordWrap(True)
        self.kind = QComboBox()
        self.kind.addItems(list(V.EVIDENCE_KINDS))
        self.kind.setCurrentText("视听资料")
        self.description = QLineEdit()
        self.description.setPlaceholderText(tr("证明内容（可留空，默认为文件名）"))
        add = QPushButton(tr("导入文件(&I)…"))
        add.clicked.connect(self._pick)
        export = QPushButton(tr("导出(&X)…"))
        export.clicked.connect(self._export)
        self.hint = QLabel(tr("可把照片、录音、录像、扫描件直接拖到这里"))
        self.hint.setObjectName("hint")
        row = QHBoxLayout()
        row.addWidget(QLabel(tr("种类")))
        row.addWidget(self.kind)
        row.addWidget(self.description, 1)
        row.addWidget(add)
        row.addWidget(export)
        lay = QVBoxLayout(self)
        lay.addLayout(row)
        lay.addWidget(self.list, 1)
        lay.addWidget(self.hint)

    def show_evidence(self, rows: list[Any], verified: dict[str, bool] | None = None) -> None:
        self.list.clear()
        for r in rows:
            state = ""
            if not r.blob_id:
                state = tr("登记在案（无电子文件）")
            elif verified is not None and r.id in verified:
                state = tr("✓ 完整") if verified[r.id] else tr("✗ 文件与登记哈希不符")
            text = f"{r.kind}\n{r.description}\n{state}"
            it = QListWidgetItem(text)
            it.setData(Qt.ItemDataRole.UserRole, r.id)
            it.setToolTip(tr("{0}\nSHA-256 {1}\n{2} 字节\n{3} {4}").format(
                r.original_name or "", r.sha256 or "", r.size or 0, r.captured_at or "", r.captured_place or ""))
            self.list.addItem(it)

    def set_thumbnail(self, evidence_id: str, data: bytes) -> None:
        img = QImage.fromData(data)
        if img.isNull():
            return
        pix = QPixmap.fromImage(img.scaled(128, 128, Qt.AspectRatioMode.KeepAspectRatio,
                                           Qt.TransformationMode.SmoothTransformation))
        for i in range(self.list.count()):
            it = self.list.item(i)
            if it.data(Qt.ItemDataRole.UserRole) == evidence_id:
                it.setIcon(QIcon(pix))

    def thumbnails(self) -> int:
        return sum(1 for i in range(self.list.count()) if not self.list.item(i).icon().isNull())

    def _pick(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, tr("选择证据文件"), "",
                                                tr("证据文件 (*.jpg *.jpeg *.png *.bmp *.gif *.tif *.tiff *.mp4 *.mov *.avi "
                                                   "*.mp3 *.wav *.m4a *.amr *.pdf);;所有文件 (*)"))
        if paths:
            self.import_files.emit(paths, self.kind.currentText(), self.description.text().strip())

    def _export(self) -> None:
        it = self.list.currentItem()
        if it is not None:
            self.export_one.emit(it.data(Qt.ItemDataRole.UserRole))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            self.import_files.emit(paths, self.kind.currentText(), self.description.text().strip())
            event.acceptProposedAction()


class CaseWorkspace(QWidget):
    """Everything about one case; reloads itself when ``ops.changed`` says this case moved, or
    what its step forms offer (the roster, the catalogue), or the document settings (what is ready).

    Opening is fast (bench: open case workspace): the case is requested from the worker before
    any widget is built, the record is a table model, and the 证据/文书/期限 tabs are built (and
    their data — thumbnails, hash checks, available documents — requested) only when first shown.
    """

    title_changed = Signal(str)

    def __init__(self, ops: Ops, case_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("caseWorkspace")
        self.ops = ops
        self.case_id = case_id
        self.view: Any = None
        self.ctx = FormContext()
        self.forms: list[ActionForm] = []
        self._pending_form: tuple[str, dict] | None = None
        self._step_buttons: dict[str, QPushButton] = {}
        self.reload()  # the worker reads the case while the widgets are built

        self.header = QLabel(tr("正在载入…"))
        self.header.setObjectName("caseHeader")
        self.header.setWordWrap(True)
        self.header.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.chain = QLabel()
        self.chain.setObjectName("chainState")

        self.timeline = Timeline()
        self._evidence_tab = LazyTab(self._build_evidence)
        self._documents_tab = LazyTab(self._build_documents)
        self._deadlines_tab = LazyTab(self._build_deadlines)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.timeline, tr("全过程记录"))
        self.tabs.addTab(self._evidence_tab, tr("证据"))
        self.tabs.addTab(self._documents_tab, tr("文书"))
        self.tabs.addTab(self._deadlines_tab, tr("期限"))
        self.tabs.currentChanged.connect(self._tab_shown)

        # next steps and what is missing
        self.steps_scroll = QScrollArea()
        self.steps_scroll.setWidgetResizable(True)
        self.steps_box = QWidget()
        self.steps_box.setObjectName("nextSteps")
        self.steps_scroll.setWidget(self.steps_box)
        self.missing = QListWidget()
        self.missing.setObjectName("missingList")
        self.missing.setWordWrap(True)
        self.other = QComboBox()
        self.other.setObjectName("otherActions")
        other_btn = QPushButton(tr("办理(&D)"))
        other_btn.clicked.connect(lambda: self.open_form(self.other.currentData()) if self.other.currentData() else None)
        other_row = QHBoxLayout()
        other_row.addWidget(self.other, 1)
        other_row.addWidget(other_btn)
        side = QWidget()
        side_lay = QVBoxLayout(side)
        side_lay.addWidget(QLabel(tr("下一步")))
        side_lay.addWidget(self.steps_scroll, 3)
        side_lay.addWidget(QLabel(tr("尚缺")))
        side_lay.addWidget(self.missing, 2)
        side_lay.addWidget(QLabel(tr("其他操作")))
        side_lay.addLayout(other_row)

        split = QSplitter()
        split.addWidget(self.tabs)
        split.addWidget(side)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([760, 480])
        lay = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(self.header, 1)
        top.addWidget(self.chain)
        lay.addLayout(top)
        lay.addWidget(split, 1)
        ops.changed.connect(self._data_changed)

    # -- tabs built on first use -------------------------------------------------------------
    @property
    def evidence(self) -> EvidencePane:
        return self._evidence_tab.build()  # type: ignore[return-value]

    @property
    def documents(self) -> DocumentsPane:
        return self._documents_tab.build()  # type: ignore[return-value]

    @property
    def deadlines(self) -> QTreeWidget:
        return self._deadlines_tab.build()  # type: ignore[return-value]

    def show_tab(self, pane: QWidget) -> None:
        """Bring a pane (``self.evidence``, ``self.documents`` …) to the front."""
        for tab in (self._evidence_tab, self._documents_tab, self._deadlines_tab):
            if tab.content is pane:
                self.tabs.setCurrentWidget(tab)
                return
        self.tabs.setCurrentWidget(pane)

    def _tab_shown(self, idx: int) -> None:
        w = self.tabs.widget(idx)
        if isinstance(w, LazyTab):
            w.build()

    def _build_evidence(self) -> EvidencePane:
        pane = EvidencePane()
        pane.import_files.connect(self.import_evidence)
        pane.export_one.connect(self.export_evidence)
        if self.view is not None:
            pane.show_evidence(self.view.evidence)
            self._load_thumbnails_and_verify(self.view.evidence)
        return pane

    def _build_documents(self) -> DocumentsPane:
        pane = DocumentsPane(self.ops, self.case_id)
        if self.view is not None:
            pane.show_documents(self.view.documents)
        return pane

    def _build_deadlines(self) -> QTreeWidget:
        tree = QTreeWidget()
        tree.setObjectName("deadlines")
        tree.setHeaderLabels([tr("期限"), tr("到期日"), tr("剩余"), tr("依据")])
        tree.setRootIsDecorated(False)
        tree.setColumnWidth(0, 220)
        if self.view is not None:
            self._fill_deadlines(tree, self.view.deadlines)
        return tree

    # -- loading ----------------------------------------------------------------------------
    def _data_changed(self, changes: OpChanges) -> None:
        if changes.touches_case(self.case_id) or changes.form_choices or changes.settings:
            self.reload()

    def reload(self) -> None:
        if self.ops.profile is None:
            return
        self.ops.call_p(load_workspace, self.case_id, done=self._show, fail=self._load_failed)

    def _load_failed(self, exc: BaseException) -> None:
        self.header.setText(message_of(exc))

    def _show(self, result: tuple[Any, FormContext]) -> None:
        view, ctx = result
        self.view, self.ctx = view, ctx
        s = view.summary
        number = s.get("case_number") or tr("（未立案）")
        due = fmt_date(s.get("next_deadline"))
        due_text = f"{due} {s.get('next_deadline_label') or ''}".strip() or tr("无")
        self.header.setText(tr("<b>{0}</b>　当事人：{1}　事项：{2}<br>阶段：<b>{3}</b>　下一期限：{4}").format(
            number, s.get("party_name") or tr("（未登记）"), s.get("item_name") or tr("（未选定）"),
            s.get("stage_label") or "", due_text))
        self.chain.setText(tr("✓ 记录完整") if view.chain_ok else tr("✗ 记录链校验失败"))
        self.chain.setProperty("state", "ok" if view.chain_ok else "bad")
        self.chain.style().unpolish(self.chain)
        self.chain.style().polish(self.chain)
        self.title_changed.emit(number if s.get("case_number") else (s.get("party_name") or tr("线索")))
        self.timeline.show_events(view.events, view.officer_names, set(view.broken_event_ids))
        self.tabs.setTabText(self.tabs.indexOf(self._evidence_tab), tr("证据（{0}）").format(len(view.evidence)))
        self.tabs.setTabText(self.tabs.indexOf(self._documents_tab), tr("文书（{0}）").format(len(view.documents)))
        if self._evidence_tab.content is not None:
            self.evidence.show_evidence(view.evidence)
            self._load_thumbnails_and_verify(view.evidence)
        if self._documents_tab.content is not None:
            self.documents.show_documents(view.documents)
        if self._deadlines_tab.content is not None:
            self._fill_deadlines(self.deadlines, view.deadlines)
        self._show_steps(view.next_steps)
        self.missing.clear()
        self.missing.addItems([violation_text(v) for v in view.missing])
        if self._pending_form is not None:
            action, values = self._pending_form
            self._pending_form = None
            self.open_form(action, values)

    @staticmethod
    def _fill_deadlines(tree: QTreeWidget, deadlines: list[Any]) -> None:
        tree.clear()
        for d in deadlines:
            left = "" if d.days_left is None else (tr("已逾期 {0} 天").format(-d.days_left) if d.overdue
                                                   else tr("{0} 天").format(d.days_left))
            if d.done:
                left = tr("已完成")
            it = QTreeWidgetItem([d.label_zh, fmt_date(d.due), left, f"{d.article}（{d.rule_id}）"])
            if d.overdue and not d.done:
                it.setForeground(2, Qt.GlobalColor.red)
            if d.error:
                it.setToolTip(0, d.error)
            tree.addTopLevelItem(it)

    def _show_steps(self, steps: list[Any]) -> None:
        """One button per next step, with one label listing why it is refused (built off-screen,
        then swapped in, so the panel is laid out once)."""
        box = QWidget()
        box.setObjectName("nextSteps")
        lay = QVBoxLayout(box)
        lay.setAlignment(Qt.AlignmentFlag.AlignTop)
        buttons: dict[str, QPushButton] = {}
        for step in steps:
            btn = QPushButton(tr(step.label_zh))
            btn.setObjectName(f"step_{step.action}")
            btn.setProperty("allowed", step.allowed)
            btn.clicked.connect(lambda _=False, a=step.action: self.open_form(a))
            lay.addWidget(btn)
            buttons[step.action] = btn
            if step.violations:
                lab = QLabel("\n".join(("✗ " if getattr(v, "blocks", True) else "⚠ ") + violation_text(v)
                                       for v in step.violations))
                lab.setWordWrap(True)
                lab.setObjectName("stepReason")
                lay.addWidget(lab)
        old = self.steps_scroll.takeWidget()
        self.steps_scroll.setWidget(box)
        if old is not None:
            old.deleteLater()
        self.steps_box = box
        self._step_buttons = buttons
        self.other.clear()
        stage = self.view.summary.get("stage") if self.view else None
        for key, spec in cases.actions().items():
            if key not in buttons and stage in spec.stages:
                self.other.addItem(spec.label_zh, key)

    def _load_thumbnails_and_verify(self, rows: list[Any]) -> None:
        check = [(r.id, r.blob_id, r.sha256) for r in rows if r.blob_id and r.sha256]
        if check:
            self.ops.call_p(cases.verify_evidence, check,
                            done=lambda res, rows=rows: self.evidence.show_evidence(rows, res)
                            or self._thumbs(rows))

    def _thumbs(self, rows: list[Any]) -> None:
        for r in rows:
            if r.blob_id and (r.mime in IMAGE_TYPES) and (r.size or 0) <= 8 * 1024 * 1024:
                self.ops.call_p(cases.evidence_bytes, r.blob_id,
                                done=lambda data, rid=r.id: self.evidence.set_thumbnail(rid, data))

    # -- actions ----------------------------------------------------------------------------
    def open_form(self, action: str, values: dict | None = None) -> ActionForm | None:
        if self.view is None:
            self._pending_form = (action, values or {})
            return None
        spec = cases.actions()[action]
        form = ActionForm(self.ops, spec, self.ctx, self.case_id, self)
        form.set_values(self._known_values(spec))
        if values:
            form.set_values(values)
        self.forms.append(form)
        form.finished.connect(lambda _r, f=form: self.forms.remove(f) if f in self.forms else None)
        form.open()
        return form

    def _known_values(self, spec: Any) -> dict[str, Any]:
        """Prefill what the case already records (party, item, violation date, officers)."""
        s = self.view.summary
        state = getattr(self.view, "state", None)
        out: dict[str, Any] = {}
        for f in spec.fields:
            if f.kind == "party" and state is not None and getattr(state, "party", None) is not None:
                out[f.name] = {k: v for k, v in dataclasses.asdict(state.party).items()
                               if v is not None and k != "birth_date"}
            elif f.name in ("item_code", "violation_date", "violation_end_date") and s.get(f.name):
                out[f.name] = s[f.name]
            elif f.name == "officer_ids" and f.kind == "officers" and s.get("officer_ids"):
                out[f.name] = list(s["officer_ids"])
        return out

    def import_evidence(self, paths: list[str], kind: str, description: str) -> None:
        for p in paths:
            desc = description or Path(p).name
            self.ops.call_p(cases.add_evidence, self.case_id, p, kind, desc,
                            progress=tr("正在加密导入证据…"), parent=self,
                            fail=lambda e: show_error(self, e))

    def export_evidence(self, evidence_id: str) -> None:
        row = next((r for r in (self.view.evidence if self.view else []) if r.id == evidence_id), None)
        if row is None:
            return
        ext = Path(row.original_name or "").suffix or (mimetypes.guess_extension(row.mime or "") or "")
        dest, _ = QFileDialog.getSaveFileName(self, tr("导出证据"), (row.original_name or evidence_id) if not ext
                                              else (row.original_name or f"{evidence_id}{ext}"))
        if dest:
            self.ops.call_p(cases.export_evidence, evidence_id, dest, progress=tr("正在导出…"), parent=self,
                            fail=lambda e: show_error(self, e))

    def step_buttons(self) -> dict[str, QPushButton]:
        return dict(self._step_buttons)
