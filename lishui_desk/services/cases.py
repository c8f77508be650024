"""Case services over the caller's unit of work, shared by the CLI, the GUI, sync and the tests.

Every action runs the same path: load the case's events → ``fold`` → the procedure engine checks
its guards and drafts events → ``record.append`` appends them to the hash-chained record (with
their outbox entries) and refreshes the case row (a projection) — all in the edge's transaction.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from lishui_desk import graph, record, validation
from lishui_desk.errors import InvalidInput, NotFound
from lishui_desk.events import EventRecord, verify_chain
from lishui_desk.models import Case, EvidenceItem, IssuedDocument, Officer, Township, new_id, utcnow_iso
from lishui_desk.procedure import engine
from lishui_desk.procedure.actions import ACTIONS
from lishui_desk.procedure.state import CaseState, fold
from lishui_desk.procedure.types import EngineContext
from lishui_desk.services import numbers
from lishui_desk.services.context import engine_context
from lishui_desk.storage import event_store
from lishui_desk.unit_of_work import UnitOfWork

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
    # events of the record that do not count for the procedure: the other branch of an open fork,
    # or the branch a resolution did not adopt (kept in the record, never deleted)
    aside_events: list[EventRecord] = field(default_factory=list)
    # of those, copies of an event that counts (a county opinion recorded on two laptops, a fork
    # resolved the same way twice: ``graph.copy_key``)
    copy_event_ids: set[str] = field(default_factory=set)
    evidence: list[EvidenceRow] = field(default_factory=list)
    documents: list[DocumentRow] = field(default_factory=list)
    officer_names: dict[str, str] = field(default_factory=dict)


def _evidence_rows(file_rows: Sequence[EvidenceItem], state: CaseState) -> list[EvidenceRow]:
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


def _ctx(uow: UnitOfWork, case_id: str | None, township_code: str | None = None) -> EngineContext:
    return engine_context(uow.session, uow.today, township_code or uow.township_code, case_id)


def _load(s: Session, case_id: str) -> tuple[Case, list[EventRecord], CaseState]:
    case = s.get(Case, case_id)
    if case is None:
        raise NotFound(f"找不到案件 {case_id}")
    everything = event_store.load_all(s, case_id)
    events = graph.linearise(everything)
    state = fold(events)
    if graph.is_forked(everything):
        state.flags.add("fork")  # the engine then refuses every step (engine.fork_violation)
    return case, events, state


def _prepare(uow: UnitOfWork, state: CaseState, action: str, payload: dict[str, Any]) -> dict[str, Any]:
    """Service-side additions the engine cannot make itself (numbers come from blocks)."""
    payload = dict(payload)
    if action == "file_case" and not payload.get("case_number"):
        township = uow.session.get(Township, state.township_code or uow.township_code)
        if township is None:
            raise InvalidInput("档案缺少乡镇信息，无法编立案号")
        year = uow.today.year
        alloc = numbers.allocate(uow, township.code, CASE_DOC_CODE, year)
        payload["case_number"] = numbers.format_number(
            township.agency_code, CASE_DOC_CODE, year, alloc.seq, provisional=alloc.provisional
        )
    return payload


def _append(uow: UnitOfWork, case: Case, events: list[EventRecord], drafts: list, place: str | None,
            occurred_at: datetime | None, ctx: EngineContext) -> list[EventRecord]:
    new = [record.NewEvent(d.type, d.payload, occurred_at, place, getattr(d, "corrects", None)) for d in drafts]
    return record.append(uow, case.id, new, loaded=events, ctx=ctx).records


# -- actions -------------------------------------------------------------------------------------
def register_lead(uow: UnitOfWork, payload: dict[str, Any], *, place: str | None = None,
                  occurred_at: datetime | None = None) -> str:
    """线索登记 — creates the case."""
    validation.check_payload(payload, today=uow.today, action="register_lead")
    validation.check_place(place)
    case_id = new_id()
    ctx = _ctx(uow, case_id)
    drafts = engine.apply(fold([]), "register_lead", payload, ctx, uow.actor_id)
    now = utcnow_iso()
    case = Case(id=case_id, township_code=uow.township_code, stage="lead", stage_label="线索",
                head_hash="0" * 64, created_at=now, updated_at=now)
    uow.session.add(case)
    uow.session.flush()
    _append(uow, case, [], drafts, place, occurred_at, ctx)
    return case_id


def check(uow: UnitOfWork, case_id: str, action: str, payload: dict[str, Any]) -> list:
    _case, _events, state = _load(uow.session, case_id)
    return engine.check(state, action, payload, _ctx(uow, case_id))


def perform(uow: UnitOfWork, case_id: str, action: str, payload: dict[str, Any], *, place: str | None = None,
            occurred_at: datetime | None = None) -> list[EventRecord]:
    """Run one procedure action; raises ``RuleViolation`` listing each guard and article."""
    validation.check_payload(payload, today=uow.today, action=action)
    validation.check_place(place)
    case, events, state = _load(uow.session, case_id)
    ctx = _ctx(uow, case_id)
    payload = _prepare(uow, state, action, payload)
    drafts = engine.apply(state, action, payload, ctx, uow.actor_id)
    return _append(uow, case, events, drafts, place, occurred_at, ctx)


def add_evidence_file(uow: UnitOfWork, case_id: str, path: Path | str, kind: str, description: str, *,
                      place: str | None = None, captured_at: datetime | None = None) -> str:
    """证据 — encrypts the file into the evidence store and records it in the case (Art. 46/47)."""
    path = Path(path)
    if not path.is_file():
        raise InvalidInput(f"找不到证据文件 {path}")
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    validation.check_evidence_file(path, mime)
    validation.check_payload({"kind": kind, "description": description}, today=uow.today, action="add_evidence")
    validation.check_place(place)
    validation.check_text(path.name, "文件名", multiline=False, limit=255)
    case, events, state = _load(uow.session, case_id)
    blob = uow.profile.evidence.put_file(path)
    try:
        return _record_evidence(uow, case, events, state, path, blob, mime, kind, description, place, captured_at)
    except BaseException:
        # refused or failed: nothing in the record names the file just stored
        uow.profile.evidence.discard_unrecorded(blob.blob_id)
        raise


def _record_evidence(uow: UnitOfWork, case: Case, events: list[EventRecord], state: CaseState, path: Path, blob,
                     mime: str, kind: str, description: str, place: str | None,
                     captured_at: datetime | None) -> str:
    case_id = case.id
    actor = uow.actor_id
    captured = (captured_at or uow.now()).isoformat(timespec="seconds")
    payload = {
        "kind": kind, "description": description, "sha256": blob.sha256, "size": blob.size,
        "mime": mime, "blob_id": blob.blob_id, "captured_at": captured, "captured_place": place,
        "collected_on": captured[:10],
    }
    ctx = _ctx(uow, case_id)
    drafts = engine.apply(state, "add_evidence", payload, ctx, actor)
    records = _append(uow, case, events, drafts, place, captured_at, ctx)
    ev_id = new_id()
    uow.session.add(EvidenceItem(
        id=ev_id, case_id=case_id, event_id=records[0].id, kind=kind, description=description,
        blob_id=blob.blob_id, sha256=blob.sha256, size=blob.size, mime=mime, original_name=path.name,
        captured_by=actor, captured_at=captured, captured_place=place,
    ))
    uow.session.flush()
    return ev_id


def export_evidence(uow: UnitOfWork, evidence_id: str, dest: Path | str) -> Path:
    row = uow.session.get(EvidenceItem, evidence_id)
    if row is None or not row.blob_id:
        raise NotFound(f"找不到证据 {evidence_id}")
    got = uow.profile.evidence.export(row.blob_id, dest)
    if row.sha256 and got != row.sha256:
        raise InvalidInput(f"证据 {evidence_id} 导出内容的哈希与登记不符")
    return Path(dest)


# -- reading -------------------------------------------------------------------------------------
def view(uow: UnitOfWork, case_id: str) -> CaseView:
    s = uow.session
    case, events, state = _load(s, case_id)
    ctx = _ctx(uow, case_id)
    everything = event_store.load_all(s, case_id)
    breaks = verify_chain(everything)
    counted = {e.id for e in events}
    ev_rows = s.scalars(select(EvidenceItem).where(EvidenceItem.case_id == case_id)).all()
    doc_rows = s.scalars(
        select(IssuedDocument).where(IssuedDocument.case_id == case_id).order_by(IssuedDocument.issued_at)
    ).all()
    summary = state.summary()
    aside = [e for e in everything if e.id not in counted]
    counted_keys = {graph.copy_key(e) for e in events} - {None}
    copies = {e.id for e in aside if graph.copy_key(e) in counted_keys}
    actor_ids = {e.actor_id for e in events + aside} | set(summary.get("officer_ids") or [])
    names = {o.id: o.name for o in s.scalars(select(Officer).where(Officer.id.in_(actor_ids)))}
    return CaseView(
        case_id=case_id,
        summary={**summary, "next_deadline": case.next_deadline, "next_deadline_label": case.next_deadline_label},
        state=state,
        next_steps=engine.next_steps(state, ctx),
        missing=engine.missing(state, ctx),
        deadlines=engine.deadlines(state, ctx),
        events=events,
        chain_ok=not breaks,
        broken_event_ids={b.event_id for b in breaks},
        aside_events=aside,
        copy_event_ids=copies,
        evidence=_evidence_rows(ev_rows, state),
        documents=[DocumentRow(d.id, d.doc_type, d.number, d.issued_at, d.pdf_sha256) for d in doc_rows],
        officer_names=names,
    )


def rebuild_projection(uow: UnitOfWork, case_id: str) -> None:
    """Recompute the case row from its events (the row is only a projection)."""
    case, events, state = _load(uow.session, case_id)
    record.project(uow.session, case, events, state, _ctx(uow, case_id, case.township_code))


def actions() -> dict:
    return ACTIONS
