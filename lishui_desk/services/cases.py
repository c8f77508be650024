"""Case services: one unit of work per user action, shared by the CLI, the GUI and the tests.

Every action runs the same path: load the case's events → ``fold`` → the procedure engine checks
its guards and drafts events → the events are appended to the hash-chained record (with their
outbox entries) → the case row (a projection) is refreshed — all in one transaction.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from lishui_desk.errors import InvalidInput, NotFound
from lishui_desk.events import EventRecord, verify_chain
from lishui_desk.limits import MAX_TEXT
from lishui_desk.models import Case, EvidenceItem, IssuedDocument, Officer, Township, new_id, utcnow_iso
from lishui_desk.procedure import engine
from lishui_desk.procedure.state import CaseState, fold
from lishui_desk.procedure.types import EngineContext
from lishui_desk.services import numbers
from lishui_desk.services.context import engine_context
from lishui_desk.storage import event_store
from lishui_desk.storage.profile import Profile
from lishui_desk.timeutil import now_local, today_local

CASE_DOC_CODE = "立"  # 立案 number: {机关代字}立〔YYYY〕第N号


@dataclass
class EvidenceRow:
    id: str
    kind: str
    description: str
    sha256: str | None
    size: int | None
    mime: str | None
    original_name: str | None
    captured_by: str | None
    captured_at: str | None
    captured_place: str | None
    blob_id: str | None


@dataclass
class DocumentRow:
    id: str
    doc_type: str
    number: str | None
    issued_at: str
    pdf_sha256: str


@dataclass
class CaseView:
    case_id: str
    summary: dict[str, Any]
    state: CaseState
    next_steps: list = field(default_factory=list)
    missing: list = field(default_factory=list)
    deadlines: list = field(default_factory=list)
    events: list[EventRecord] = field(default_factory=list)
    chain_ok: bool = True
    broken_event_ids: set[str] = field(default_factory=set)
    evidence: list[EvidenceRow] = field(default_factory=list)
    documents: list[DocumentRow] = field(default_factory=list)
    officer_names: dict[str, str] = field(default_factory=dict)


def _evidence_rows(file_rows: list[EvidenceItem], state: CaseState) -> list[EvidenceRow]:
    """Every item of evidence in the record: files kept in the evidence store, and evidence
    registered without a file (a paper 书证, an object) from its 登记证据 event."""
    rows = [EvidenceRow(r.id, r.kind, r.description, r.sha256, r.size, r.mime, r.original_name, r.captured_by,
                        r.captured_at, r.captured_place, r.blob_id) for r in file_rows]
    with_file = {r.event_id for r in file_rows}
    for rec in state.evidence:
        if rec.event_id in with_file or rec.get("blob_id"):
            continue
        rows.append(EvidenceRow(rec.event_id, str(rec.get("kind") or ""), str(rec.get("description") or
                                rec.get("title") or ""), rec.get("sha256"), None, None, None, rec.actor_id,
                                rec.get("collected_on"), rec.get("captured_place"), None))
    return rows


def _check_sizes(payload: dict[str, Any]) -> None:
    for key, value in payload.items():
        if isinstance(value, str) and len(value) > MAX_TEXT:
            raise InvalidInput(f"字段“{key}”过长（{len(value)} 字），单个字段最多 {MAX_TEXT} 字")
        if isinstance(value, dict):
            _check_sizes(value)
        if isinstance(value, list):
            for v in value:
                if isinstance(v, dict):
                    _check_sizes(v)
                elif isinstance(v, str) and len(v) > MAX_TEXT:
                    raise InvalidInput(f"字段“{key}”中的内容过长，单项最多 {MAX_TEXT} 字")


class CaseService:
    def __init__(self, profile: Profile, *, today: Callable[[], date] | None = None) -> None:
        self.profile = profile
        self._today = today or today_local
        self.township_code = profile.township_code  # read before any unit of work opens
        self.default_actor = profile.officer_id

    # -- helpers -------------------------------------------------------------------------------
    def today(self) -> date:
        return self._today()

    def _actor(self, actor_id: str | None) -> str:
        return actor_id or self.default_actor

    def _ctx(self, s: Session, case_id: str | None) -> EngineContext:
        return engine_context(s, self.today(), self.township_code, case_id)

    def _load(self, s: Session, case_id: str) -> tuple[Case, list[EventRecord], CaseState]:
        case = s.get(Case, case_id)
        if case is None:
            raise NotFound(f"找不到案件 {case_id}")
        events = event_store.load_events(s, case_id)
        return case, events, fold(events)

    def _prepare(self, s: Session, state: CaseState, action: str, payload: dict[str, Any]) -> dict[str, Any]:
        """Service-side additions the engine cannot make itself (numbers come from blocks)."""
        payload = dict(payload)
        if action == "file_case" and not payload.get("case_number"):
            township = s.get(Township, state.township_code or self.township_code)
            if township is None:
                raise InvalidInput("档案缺少乡镇信息，无法编立案号")
            year = self.today().year
            alloc = numbers.allocate(s, township.code, CASE_DOC_CODE, year)
            payload["case_number"] = numbers.format_number(
                township.agency_code, CASE_DOC_CODE, year, alloc.seq, provisional=alloc.provisional
            )
        return payload

    def _append_and_project(
        self, s: Session, case: Case, events: list[EventRecord], actor: str, drafts: list, place: str | None,
        occurred_at: datetime | None, ctx: EngineContext,
    ) -> list[EventRecord]:
        """Append the drafted events after ``events`` (the case's record as just loaded in this unit
        of work) and refresh the projection from the extended record."""
        new = [event_store.NewEvent(d.type, d.payload, occurred_at, place, getattr(d, "corrects", None)) for d in drafts]
        records = event_store.append(s, case.id, actor, new)
        extended = events + records
        self._project(s, case, extended, fold(extended), ctx)
        return records

    def _project(self, s: Session, case: Case, events: list[EventRecord], state: CaseState, ctx: EngineContext) -> None:
        summ = state.summary()
        case.stage = summ.get("stage") or case.stage
        case.stage_label = summ.get("stage_label") or case.stage_label
        case.procedure = summ.get("procedure")
        case.source = summ.get("source")
        number = summ.get("case_number")
        if not number and state.is_summary and state.decision is not None:
            number = state.decision.get("decision_number")  # 简易程序: the pre-numbered 当场处罚决定书
        case.case_number = number or None
        case.party_name = summ.get("party_name")
        case.party_kind = summ.get("party_kind")
        case.party_id = summ.get("party_id")
        case.item_code = summ.get("item_code")
        case.item_name = summ.get("item_name")
        if case.item_code and not case.item_name:
            # an item outside this township's catalog (移送): name it from any catalog we hold
            other = ctx.catalog.any_item(case.item_code) if hasattr(ctx.catalog, "any_item") else None
            case.item_name = other.name if other else None
        case.domain = summ.get("domain")
        ids = list(summ.get("officer_ids") or [])
        case.officer_ids = ",".join(ids)
        names = []
        for oid in ids:
            o = s.get(Officer, oid)
            names.append(o.name if o else oid)
        case.officer_names = "、".join(names)
        for attr in ("lead_on", "filed_on", "decided_on"):
            v = summ.get(attr)
            setattr(case, attr, date.fromisoformat(v) if isinstance(v, str) else v)
        amount = summ.get("amount")
        case.amount = str(amount) if amount is not None else None
        case.is_open = bool(summ.get("is_open", True))
        case.flags = list(summ.get("flags") or [])
        pending = [d for d in engine.deadlines(state, ctx) if not d.done and d.due is not None]
        pending.sort(key=lambda d: d.due)
        case.next_deadline = pending[0].due if pending else None
        case.next_deadline_label = pending[0].label_zh if pending else None
        case.next_deadline_article = pending[0].article if pending else None
        publish = [d.due for d in pending if d.key == "disclosure.publish"]
        case.disclosure_due = publish[0] if publish else None
        case.event_count = len(events)
        case.head_hash = events[-1].hash if events else case.head_hash
        case.updated_at = utcnow_iso()

    # -- actions -------------------------------------------------------------------------------
    def register_lead(self, payload: dict[str, Any], *, actor_id: str | None = None, place: str | None = None,
                      occurred_at: datetime | None = None) -> str:
        """线索登记 — creates the case."""
        _check_sizes(payload)
        actor = self._actor(actor_id)
        case_id = new_id()
        with self.profile.session() as s:
            ctx = self._ctx(s, case_id)
            state = fold([])
            drafts = engine.apply(state, "register_lead", payload, ctx, actor)
            now = utcnow_iso()
            case = Case(id=case_id, township_code=self.township_code, stage="lead", stage_label="线索",
                        head_hash="0" * 64, created_at=now, updated_at=now)
            s.add(case)
            s.flush()
            self._append_and_project(s, case, [], actor, drafts, place, occurred_at, ctx)
        return case_id

    def check(self, case_id: str, action: str, payload: dict[str, Any]) -> list:
        with self.profile.read_session() as s:
            _case, _events, state = self._load(s, case_id)
            return engine.check(state, action, payload, self._ctx(s, case_id))

    def perform(self, case_id: str, action: str, payload: dict[str, Any], *, actor_id: str | None = None,
                place: str | None = None, occurred_at: datetime | None = None) -> list[EventRecord]:
        """Run one procedure action; raises ``RuleViolation`` listing each guard and article."""
        _check_sizes(payload)
        actor = self._actor(actor_id)
        with self.profile.session() as s:
            case, events, state = self._load(s, case_id)
            ctx = self._ctx(s, case_id)
            payload = self._prepare(s, state, action, payload)
            drafts = engine.apply(state, action, payload, ctx, actor)
            return self._append_and_project(s, case, events, actor, drafts, place, occurred_at, ctx)

    def add_evidence_file(self, case_id: str, path: Path | str, kind: str, description: str, *,
                          actor_id: str | None = None, place: str | None = None,
                          captured_at: datetime | None = None) -> str:
        """证据 — encrypts the file into the evidence store and records it in the case (Art. 46/47)."""
        path = Path(path)
        if not path.is_file():
            raise InvalidInput(f"找不到证据文件 {path}")
        blob = self.profile.evidence.put_file(path)
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        actor = self._actor(actor_id)
        captured = (captured_at or now_local()).isoformat(timespec="seconds")
        payload = {
            "kind": kind, "description": description, "sha256": blob.sha256, "size": blob.size,
            "mime": mime, "blob_id": blob.blob_id, "captured_at": captured, "captured_place": place,
            "collected_on": captured[:10],
        }
        with self.profile.session() as s:
            case, events, state = self._load(s, case_id)
            ctx = self._ctx(s, case_id)
            drafts = engine.apply(state, "add_evidence", payload, ctx, actor)
            records = self._append_and_project(s, case, events, actor, drafts, place, captured_at, ctx)
            ev_id = new_id()
            s.add(EvidenceItem(
                id=ev_id, case_id=case_id, event_id=records[0].id, kind=kind, description=description,
                blob_id=blob.blob_id, sha256=blob.sha256, size=blob.size, mime=mime, original_name=path.name,
                captured_by=actor, captured_at=captured, captured_place=place,
            ))
        return ev_id

    def export_evidence(self, evidence_id: str, dest: Path | str) -> Path:
        with self.profile.read_session() as s:
            row = s.get(EvidenceItem, evidence_id)
            if row is None or not row.blob_id:
                raise NotFound(f"找不到证据 {evidence_id}")
            blob_id, sha = row.blob_id, row.sha256
        got = self.profile.evidence.export(blob_id, dest)
        if sha and got != sha:
            raise InvalidInput(f"证据 {evidence_id} 导出内容的哈希与登记不符")
        return Path(dest)

    # -- reading -------------------------------------------------------------------------------
    def view(self, case_id: str) -> CaseView:
        with self.profile.read_session() as s:
            case, events, state = self._load(s, case_id)
            ctx = self._ctx(s, case_id)
            breaks = verify_chain(events)
            ev_rows = s.scalars(select(EvidenceItem).where(EvidenceItem.case_id == case_id)).all()
            doc_rows = s.scalars(
                select(IssuedDocument).where(IssuedDocument.case_id == case_id).order_by(IssuedDocument.issued_at)
            ).all()
            summary = state.summary()
            actor_ids = {e.actor_id for e in events} | set(summary.get("officer_ids") or [])
            names = {o.id: o.name for o in s.scalars(select(Officer).where(Officer.id.in_(actor_ids)))}
            return CaseView(
                case_id=case_id,
                summary={**summary, "next_deadline": case.next_deadline,
                         "next_deadline_label": case.next_deadline_label},
                state=state,
                next_steps=engine.next_steps(state, ctx),
                missing=engine.missing(state, ctx),
                deadlines=engine.deadlines(state, ctx),
                events=events,
                chain_ok=not breaks,
                broken_event_ids={b.event_id for b in breaks},
                evidence=_evidence_rows(ev_rows, state),
                documents=[DocumentRow(d.id, d.doc_type, d.number, d.issued_at, d.pdf_sha256) for d in doc_rows],
                officer_names=names,
            )

    def rebuild_projection(self, case_id: str) -> None:
        """Recompute the case row from its events (the row is only a projection)."""
        with self.profile.session() as s:
            case, events, state = self._load(s, case_id)
            self._project(s, case, events, state, self._ctx(s, case_id))

    @staticmethod
    def actions() -> dict:
        from lishui_desk.procedure.actions import ACTIONS

        return ACTIONS
