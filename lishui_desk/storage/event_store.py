"""Persistence primitives of the whole-process record (全过程记录).

``build_records`` hashes new events onto a head, ``write`` inserts them with one outbox entry each in
the caller's transaction. Application code never calls these directly: ``lishui_desk.record.append``
is the one writer (head check, sealing, projection) and the only caller of ``write``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session, aliased

from lishui_desk import graph
from lishui_desk.events import (
    GENESIS_HASH,
    ChainBreak,
    EventRecord,
    canonical_json,
    compute_hash,
    normalise_payload,
    verify_chain,
)
from lishui_desk.models import CaseEvent, OutboxEntry, new_id, utcnow_iso
from lishui_desk.timeutil import now_local


@dataclass(frozen=True)
class NewEvent:
    type: str
    payload: dict[str, Any] = field(default_factory=dict)
    occurred_at: datetime | None = None
    place: str | None = None
    corrects: str | None = None
    # set only for an event every device must record identically (a county review opinion: the same
    # id, time and content on each laptop of the case, so two copies are one event)
    id: str | None = None
    recorded_at: datetime | None = None


def _row_to_record(row: CaseEvent) -> EventRecord:
    return EventRecord(
        id=row.id,
        case_id=row.case_id,
        seq=row.seq,
        type=row.type,
        actor_id=row.actor_id,
        occurred_at=row.occurred_at,
        recorded_at=row.recorded_at,
        place=row.place,
        payload=json.loads(row.payload),
        corrects=row.corrects,
        prev_hash=row.prev_hash,
        hash=row.hash,
    )


def load_all(session: Session, case_id: str) -> list[EventRecord]:
    """Every event of the case, both branches of a fork included, ordered by (seq, hash)."""
    rows = session.scalars(select(CaseEvent).where(CaseEvent.case_id == case_id)
                           .order_by(CaseEvent.seq, CaseEvent.hash))
    return [_row_to_record(r) for r in rows]


def load_events(session: Session, case_id: str) -> list[EventRecord]:
    """The case's record in the order the procedure folds it: the whole chain, or for a forked or
    resolved case its deterministic linearisation (``graph.linearise``)."""
    return graph.linearise(load_all(session, case_id))


def head(session: Session, case_id: str) -> tuple[int, str]:
    """(seq, hash) of the case's highest event: the head of a chain (a case without a fork)."""
    row = session.execute(
        select(CaseEvent.seq, CaseEvent.hash)
        .where(CaseEvent.case_id == case_id)
        .order_by(CaseEvent.seq.desc())
        .limit(1)
    ).first()
    return (row[0], row[1]) if row else (0, GENESIS_HASH)


def count_and_ends(session: Session, case_id: str) -> tuple[int, list[tuple[int, str]]]:
    """(number of events, (seq, hash) of every event nothing builds on by ``prev_hash``) — one
    cheap look at the case for the appender's head check (a chain has exactly one such event)."""
    n = session.scalar(select(func.count()).select_from(CaseEvent).where(CaseEvent.case_id == case_id)) or 0
    child = aliased(CaseEvent)
    ends = session.execute(
        select(CaseEvent.seq, CaseEvent.hash).where(
            CaseEvent.case_id == case_id,
            ~exists().where(child.case_id == CaseEvent.case_id, child.prev_hash == CaseEvent.hash))
    ).all()
    return int(n), [(int(a), str(b)) for a, b in ends]


def build_records(
    case_id: str, actor_id: str, start_seq: int, prev_hash: str, events: Iterable[NewEvent], *,
    recorded: datetime | None = None,
) -> list[EventRecord]:
    out: list[EventRecord] = []
    now = recorded or now_local()
    recorded_at = now.isoformat(timespec="seconds")
    seq, prev = start_seq, prev_hash
    for ev in events:
        seq += 1
        rec = EventRecord(
            id=ev.id or new_id(),
            case_id=case_id,
            seq=seq,
            type=ev.type,
            actor_id=actor_id,
            occurred_at=(ev.occurred_at or now).isoformat(timespec="seconds"),
            recorded_at=ev.recorded_at.isoformat(timespec="seconds") if ev.recorded_at else recorded_at,
            place=ev.place,
            payload=normalise_payload(ev.payload),
            corrects=ev.corrects,
            prev_hash=prev,
        )
        rec = replace(rec, hash=compute_hash(prev, rec))
        out.append(rec)
        prev = rec.hash
    return out


def write(session: Session, records: Iterable[EventRecord], *, outbox: bool = True) -> None:
    """Insert built records and their outbox entries (storage primitive of ``record.append``).
    ``outbox=False``: events another device recorded (``record.import_remote``) are not pushed again."""
    for rec in records:
        session.add(
            CaseEvent(
                id=rec.id,
                case_id=rec.case_id,
                seq=rec.seq,
                type=rec.type,
                actor_id=rec.actor_id,
                occurred_at=rec.occurred_at,
                recorded_at=rec.recorded_at,
                place=rec.place,
                payload=canonical_json(rec.payload),
                corrects=rec.corrects,
                prev_hash=rec.prev_hash,
                hash=rec.hash,
            )
        )
        if not outbox:
            continue
        session.add(
            OutboxEntry(
                id=new_id(),
                kind="case_event",
                ref_id=rec.id,
                payload=canonical_json({**rec.hashed_fields(), "prev_hash": rec.prev_hash, "hash": rec.hash}),
                created_at=utcnow_iso(),
            )
        )
    session.flush()


def verify_case(session: Session, case_id: str) -> list[ChainBreak]:
    return verify_chain(load_all(session, case_id))
