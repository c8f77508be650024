"""The one writer of the whole-process record (全过程记录).

``append(uow, case_id, events)`` is the only function that adds events to a case. In the caller's
unit of work it

1. checks the chain head: the events the caller folded (``loaded``) must end at the head stored in
   the database, and the case row's ``head_hash`` must agree — otherwise ``IntegrityBroken``;
2. builds the new records, each hashed onto the previous one (``events.compute_hash``);
3. inserts each event and its outbox entry (sync pushes the outbox);
4. re-projects the case row from the extended record (``project``).

Everything a device appends is sealed right after it is written, in the same transaction, by
``storage.seal.on_append`` (per-event HMAC with a key the database does not hold, and the profile
head the anchor beside the keyring follows) — here and nowhere else.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from lishui_desk.errors import DeskError, IntegrityBroken, NotFound
from lishui_desk.events import GENESIS_HASH, EventRecord
from lishui_desk.models import Case, Officer, utcnow_iso
from lishui_desk.procedure import engine
from lishui_desk.procedure.state import KNOWN_EVENT_TYPES, CaseState, fold
from lishui_desk.procedure.types import EngineContext
from lishui_desk.storage import event_store, seal
from lishui_desk.storage.event_store import NewEvent
from lishui_desk.unit_of_work import UnitOfWork

__all__ = ["Appended", "NewEvent", "append", "project"]


@dataclass(frozen=True)
class Appended:
    records: list[EventRecord]  # the events just written
    events: list[EventRecord]  # the case's whole record after the append
    state: CaseState  # fold(events)


def append(
    uow: UnitOfWork,
    case_id: str,
    events: Sequence[NewEvent],
    *,
    loaded: list[EventRecord] | None = None,
    actor_id: str | None = None,
    ctx: EngineContext | None = None,
) -> Appended:
    """Append ``events`` to the case's record, with outbox entries, and re-project the case row.

    ``loaded`` is the record the caller folded to decide (read in this unit of work); when omitted
    it is loaded here. ``ctx`` is the engine context for the projection's deadlines.
    """
    uow.require_write()
    unknown = sorted({e.type for e in events} - KNOWN_EVENT_TYPES)
    if unknown:
        raise DeskError(f"内部错误：全过程记录不接受未登记的事件类型（{len(unknown)} 种），未写入")
    s = uow.session
    case = s.get(Case, case_id)
    if case is None:
        raise NotFound(f"找不到案件 {case_id}")
    if loaded is None:
        loaded = event_store.load_events(s, case_id)
    seq, head_hash = event_store.head(s, case_id)
    mine = (len(loaded), loaded[-1].hash if loaded else GENESIS_HASH)
    if (seq, head_hash) != mine or (case.head_hash or GENESIS_HASH) != head_hash:
        raise IntegrityBroken(
            f"案件 {case.case_number or case_id} 的全过程记录在本次操作期间已变化或与案件记录不一致，"
            "未写入；请重新打开案件后再试")
    records = event_store.build_records(case_id, actor_id or uow.actor_id, seq, head_hash, events,
                                        recorded=uow.now())
    event_store.write(s, records)
    seal.on_append(s, case_id, seq, head_hash, records)  # per-event HMAC and the profile head
    extended = list(loaded) + records
    state = fold(extended)
    if ctx is None:
        from lishui_desk.services.context import engine_context

        ctx = engine_context(s, uow.today, case.township_code or uow.township_code, case_id)
    project(s, case, extended, state, ctx)
    return Appended(records, extended, state)


def project(s: Session, case: Case, events: list[EventRecord], state: CaseState, ctx: EngineContext) -> None:
    """Refresh the case row (a projection of its events: list, search, dashboard read it)."""
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
    names = {o.id: o.name for o in s.scalars(select(Officer).where(Officer.id.in_(ids)))} if ids else {}
    case.officer_names = "、".join(names.get(oid, oid) for oid in ids)
    for attr in ("lead_on", "filed_on", "decided_on"):
        v = summ.get(attr)
        setattr(case, attr, date.fromisoformat(v) if isinstance(v, str) else v)
    amount = summ.get("amount")
    case.amount = str(amount) if amount is not None else None
    case.is_open = bool(summ.get("is_open", True))
    case.flags = list(summ.get("flags") or [])
    pending = [d for d in engine.deadlines(state, ctx) if not d.done and d.due is not None]
    pending.sort(key=lambda d: d.due or date.max)  # due is set: filtered above
    case.next_deadline = pending[0].due if pending else None
    case.next_deadline_label = pending[0].label_zh if pending else None
    case.next_deadline_article = pending[0].article if pending else None
    publish = [d.due for d in pending if d.key == "disclosure.publish"]
    case.disclosure_due = publish[0] if publish else None
    case.event_count = len(events)
    case.head_hash = events[-1].hash if events else case.head_hash
    case.updated_at = utcnow_iso()
