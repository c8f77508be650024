"""Case workspace: header, the whole-process record (全过程记录), next steps and what is missing,
evidence (import by dialog or drag and drop, thumbnails, export, integrity) and documents."""

from __future__ import annotations

import mimetypes
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from lishui_desk import catalog_data
from lishui_desk.errors import DeskError
from lishui_desk.procedure import recommend
from ui.dialogs.action_form import ActionForm
from ui.gateway import cases
from ui.gateway import media as media_gw
from ui.gateway.changes import OpChanges
from ui.gateway.form_context import FormContext, load_workspace
from ui.models.timeline import TimelineModel
from ui.ops import Ops, message_of
from ui.prefill import known_values
from ui.text import tr
from ui.widgets import fit_columns, show_error, violation_details, violation_text
from ui.widgets.deadlines import DeadlinesPane, next_deadline_text
from ui.widgets.documents_pane import DocumentsPane
from ui.widgets.evidence import EvidencePane
from ui.widgets.fork_bar import ForkBar
from ui.widgets.steps import NextStepsPanel

IMAGE_TYPES = ("image/png", "image/jpeg", "image/gif", "image/bmp", "image/webp", "image/tiff")


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
        fit_columns(self, 2)

    def show_events(self, events: list[Any], names: dict[str, str], broken: set[str],
                    aside: list[Any] | None = None, forked: bool = False, copies: set[str] | None = None) -> None:
        self.events_model.set_events(events, names, broken, aside, forked, copies)

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
        self._lay = QVBoxLayout(self)
        self._lay.setContentsMargins(0, 0, 0, 0)

    def build(self) -> QWidget:
        if self.content is None:
            self.content = self._factory()
            self._lay.addWidget(self.content)
        return self.content


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
        self.media_flag = QLabel()
        self.media_flag.setObjectName("mediaState")
        self.media_flag.setVisible(False)
        self.media_flag.setProperty("state", "bad")
        self.media: dict[str, Any] = {}

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

        # next steps (the one the case needs first) and what is missing
        self.steps = NextStepsPanel()
        self.steps.open_step.connect(lambda a: self.open_form(a))
        self.missing = QListWidget()
        self.missing.setObjectName("missingList")
        self.missing.setWordWrap(True)
        self.missing.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        side = QWidget()
        side_lay = QVBoxLayout(side)
        side_lay.setContentsMargins(0, 0, 0, 0)
        side_lay.addWidget(QLabel(tr("下一步")))
        side_lay.addWidget(self.steps, 3)
        side_lay.addWidget(QLabel(tr("尚缺")))
        side_lay.addWidget(self.missing, 1)

        split = QSplitter()
        split.addWidget(self.tabs)
        split.addWidget(side)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([760, 480])
        lay = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(self.header, 1)
        top.addWidget(self.media_flag)
        top.addWidget(self.chain)
        lay.addLayout(top)
        self.fork_bar = ForkBar(ops, case_id)
        lay.addWidget(self.fork_bar)
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
    def deadlines(self) -> DeadlinesPane:
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
        pane.set_remote(self.media.get("remote", []))
        pane.set_uploads(self.media.get("states", {}))
        if self.view is not None:
            pane.show_evidence(self.view.evidence)
            self._load_thumbnails_and_verify(self.view.evidence)
        return pane

    def _build_documents(self) -> DocumentsPane:
        pane = DocumentsPane(self.ops, self.case_id)
        if self.view is not None:
            pane.show_documents(self.view.documents)
        return pane

    def _build_deadlines(self) -> DeadlinesPane:
        pane = DeadlinesPane()
        if self.view is not None:
            pane.show_deadlines(self.view.deadlines)
        return pane

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
        due_text = next_deadline_text(s, view.deadlines)
        self.header.setText(tr("<b>{0}</b>　当事人：{1}　事项：{2}<br>阶段：<b>{3}</b>　下一期限：{4}").format(
            number, s.get("party_name") or tr("（未登记）"), s.get("item_name") or tr("（未选定）"),
            s.get("stage_label") or "", due_text))
        self.chain.setText(tr("✓ 记录完整") if view.chain_ok else tr("✗ 记录链校验失败"))
        self.chain.setProperty("state", "ok" if view.chain_ok else "bad")
        self.chain.style().unpolish(self.chain)
        self.chain.style().polish(self.chain)
        self.fork_bar.show_flags(view.state.flags)
        self.title_changed.emit(number if s.get("case_number") else (s.get("party_name") or tr("线索")))
        self.timeline.show_events(view.events, view.officer_names, set(view.broken_event_ids),
                                  view.aside_events, "fork" in view.state.flags, view.copy_event_ids)
        self.tabs.setTabText(self.tabs.indexOf(self._evidence_tab), tr("证据（{0}）").format(len(view.evidence)))
        self.tabs.setTabText(self.tabs.indexOf(self._documents_tab), tr("文书（{0}）").format(len(view.documents)))
        if self._evidence_tab.content is not None:
            self.evidence.show_evidence(view.evidence)
            self._load_thumbnails_and_verify(view.evidence)
        if self._documents_tab.content is not None:
            self.documents.show_documents(view.documents)
        if self._deadlines_tab.content is not None:
            self.deadlines.show_deadlines(view.deadlines)
        self.ops.call_p(media_gw.case_media, self.case_id, done=self._show_media, fail=lambda _e: None)
        self.missing.clear()
        shown: dict[str, QListWidgetItem] = {}
        for v in view.missing:  # each reason once, however many rules found it
            text = violation_text(v)
            if text in shown:
                shown[text].setToolTip("\n".join(x for x in (shown[text].toolTip(), violation_details([v])) if x))
                continue
            it = QListWidgetItem(text)
            it.setToolTip(violation_details([v]))
            self.missing.addItem(it)
            shown[text] = it
        self._show_steps(view.next_steps, frozenset(shown))
        if self._pending_form is not None:
            action, values = self._pending_form
            self._pending_form = None
            self.open_form(action, values)

    def _show_media(self, m: dict[str, Any]) -> None:
        """媒体不完整 in the header while a file of this case has not reached the county."""
        self.media = m
        self.media_flag.setVisible(bool(m.get("incomplete")))
        self.media_flag.setText(tr("媒体不完整") if m.get("incomplete") else "")
        self.media_flag.setToolTip(tr("本案有 {0} 个证据文件尚未送达县级平台（见“同步”页的证据上传）").format(
            m.get("missing", 0)) if m.get("incomplete") else "")
        if self._evidence_tab.content is not None:
            self.evidence.set_remote(m.get("remote", []))
            self.evidence.set_uploads(m.get("states", {}))

    def _show_steps(self, steps: list[Any], missing: frozenset[str] = frozenset()) -> None:
        stage = self.view.summary.get("stage") if self.view else None
        others = [(key, spec.label_zh) for key, spec in cases.actions().items() if stage in spec.stages]
        done = recommend.done_actions(e.type for e in (self.view.events if self.view else []))
        self.steps.show_steps(stage, steps, others, done, missing)
        self._step_buttons = self.steps.buttons

    def _load_thumbnails_and_verify(self, rows: list[Any]) -> None:
        check = [(r.id, r.blob_id, r.sha256) for r in rows if r.blob_id and r.sha256]
        if check:
            self.ops.call_p(cases.verify_evidence, check,
                            done=lambda res, rows=rows: self._verified(rows, res))

    def _verified(self, rows: list[Any], verified: dict[str, bool]) -> None:
        self.evidence.show_evidence(rows, verified)
        self._thumbs(rows)

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
        """Prefill what the case already records (see :mod:`ui.prefill`)."""
        state = getattr(self.view, "state", None)
        township = None
        code = getattr(state, "township_code", None)
        if code:
            try:
                township = catalog_data.township_info(code)
            except DeskError:
                township = None
        return known_values(spec, state, self.view.summary, item=self.ctx.item_seed, township=township,
                            evidence=list(self.view.evidence or []))

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
