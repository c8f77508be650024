"""The one writer of the whole-process record (全过程记录).

``append(uow, case_id, events)`` is the only function that adds events to a case. In the caller's
unit of work it

1. checks the head: the events the caller folded (``loaded``, ``event_store.load_events``) must be
   the record's folded order as stored in the database, and the case row's ``head_hash`` must
   agree — otherwise ``IntegrityBroken``; a forked case (two heads, ``lishui_desk.graph``) takes
   no new step (``RuleViolation``, 全过程记录须为单一链条) except its resolution (``forks.resolve``);
2. builds the new records, each hashed onto the previous one (``events.compute_hash``);
3. inserts each event and its outbox entry (sync pushes the outbox);
4. re-projects the case row from the extended record (``project``).

``import_remote(uow, events)`` is the second and only other way in: events another device of the
township recorded, as the county hub replicates them. Each is checked (known type, hash recomputes,
its parent is held with seq + 1; a resolution names two current heads), written without an outbox
entry (it is not this device's to push), sealed and projected like an appended one; an event that
builds on an earlier event than the head is a fork's branch: written, and the case flagged
``fork``. One that does not fit is set aside and named in the result.

Everything a device appends is sealed right after it is written, in the same transaction, by
``storage.seal.on_append`` (per-event HMAC with a key the database does not hold, and the profile
head the anchor beside the keyring follows) — here and nowhere else.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from lishui_desk import graph
from lishui_desk.errors import DeskError, IntegrityBroken, NotFound, RuleViolation
from lishui_desk.events import GENESIS_HASH, EventRecord, compute_hash
from lishui_desk.models import Case, EvidenceItem, Officer, new_id, utcnow_iso
from lishui_desk.procedure import engine
from lishui_desk.procedure import vocabulary as V
from lishui_desk.procedure.state import KNOWN_EVENT_TYPES, CaseState, fold
from lishui_desk.procedure.types import EngineContext
from lishui_desk.storage import event_store, seal
from lishui_desk.storage.event_store import NewEvent
from lishui_desk.unit_of_work import UnitOfWork

__all__ = ["Appended", "Imported", "NewEvent", "append", "import_remote", "project"]


@dataclass(frozen=True)
class Appended:
    records: list[EventRecord]  # the events just written
    events: list[EventRecord]  # the case's whole record after the append
    state: CaseState  # fold(events)


def _label(case: Case) -> str:
    return f"案件 {case.case_number}" if case.case_number else "该案件"


def append(
    uow: UnitOfWork,
    case_id: str,
    events: Sequence[NewEvent],
    *,
    loaded: list[EventRecord] | None = None,
    actor_id: str | None = None,
    ctx: EngineContext | None = None,
    onto: EventRecord | None = None,
) -> Appended:
    """Append ``events`` to the case's record, with outbox entries, and re-project the case row.

    ``loaded`` is the record the caller folded to decide (``event_store.load_events``, read in this
    unit of work); when omitted it is loaded here. ``ctx`` is the engine context for the
    projection's deadlines. A forked case (two heads, ``lishui_desk.graph``) takes no new step:
    only its resolution (``lishui_desk.forks.resolve``), which hangs on the head it names (``onto``).
    """
    uow.require_write()
    unknown = sorted({e.type for e in events} - KNOWN_EVENT_TYPES)
    if unknown:
        raise DeskError(f"内部错误：全过程记录不接受未登记的事件类型（{len(unknown)} 种），未写入")
    s = uow.session
    case = s.get(Case, case_id)
    if case is None:
        raise NotFound(f"找不到案件 {case_id}")
    count, ends = event_store.count_and_ends(s, case_id)
    structural: list[tuple[int, str]] = []
    everything: list[EventRecord] | None = None
    if (loaded is not None and onto is None and count == len(loaded)
            and [h for _seq, h in ends] == ([loaded[-1].hash] if loaded else [])):
        heads = structural = ends  # a chain that is what the caller folded: the cheap look suffices
        linear = loaded
    else:
        everything = event_store.load_all(s, case_id)
        linear = graph.linearise(everything)
        structural = [(e.seq, e.hash) for e in graph.tips(everything)]  # what the profile head seals
        heads = [(e.seq, e.hash) for e in graph.live_tips(everything)]  # what counts as a fork
        if loaded is None:
            loaded = linear
    last = _last_hash(linear)
    if (len(loaded), _last_hash(loaded)) != (len(linear), last) or (case.head_hash or GENESIS_HASH) != last:
        raise IntegrityBroken(
            f"案件 {case.case_number or case_id} 的全过程记录在本次操作期间已变化或与案件记录不一致，"
            "未写入；请重新打开案件后再试")
    resolving = bool(events) and all(e.type == V.EV_FORK_RESOLVED for e in events)
    if len(heads) > 1 and not resolving:
        raise RuleViolation([engine.fork_violation(_label(case))])
    if resolving and (onto is None or len(heads) < 2 or len(events) != 1):
        raise DeskError("内部错误：分叉处理记录只能由分叉处理功能写入，未写入")
    if onto is not None:
        if (onto.seq, onto.hash) not in heads:
            raise DeskError("内部错误：分叉处理记录须接在当前的一条分支末端，未写入")
        seq, head_hash = onto.seq, onto.hash
    else:
        seq, head_hash = (heads[0] if heads else (0, GENESIS_HASH))
    records = event_store.build_records(case_id, actor_id or uow.actor_id, seq, head_hash, events,
                                        recorded=uow.now())
    event_store.write(s, records)
    forked = False
    if everything is None:
        seal.on_append(s, case_id, seq, head_hash, records)  # per-event HMAC and the profile head
        extended = list(loaded) + records
        total = count + len(records)
    else:
        grown = everything + records
        after = [(e.seq, e.hash) for e in graph.tips(grown)]
        seal.on_append(s, case_id, seq, head_hash, records, before=structural, after=after)
        extended = graph.linearise(grown)
        total = len(grown)
        forked = graph.is_forked(grown)  # a resolution of one pair when three devices forked the case
    state = fold(extended)
    if ctx is None:
        from lishui_desk.services.context import engine_context

        ctx = engine_context(s, uow.today, case.township_code or uow.township_code, case_id)
    project(s, case, extended, state, ctx, event_count=total, forked=forked)
    return Appended(records, extended, state)


@dataclass
class Imported:
    written: list[EventRecord]  # events written into the record
    known: int  # already held (the same id and hash): nothing to do
    set_aside: list[tuple[EventRecord, str]]  # (event, why, in Chinese) — not written
    forked: list[str] = field(default_factory=list)  # cases that have two heads after the import


def import_remote(uow: UnitOfWork, events: Sequence[EventRecord]) -> Imported:
    """Write events another device recorded into their cases' records (creating a case this
    device does not hold yet), sealed and projected, without outbox entries. An event whose parent
    is held but is not the head is a branch (two laptops wrote the case offline): it is written
    too, and the case is flagged ``fork`` until someone resolves it."""
    uow.require_write()
    s = uow.session
    out = Imported([], 0, [])
    by_case: dict[str, list[EventRecord]] = {}
    for ev in events:
        by_case.setdefault(ev.case_id, []).append(ev)
    for case_id, evs in by_case.items():
        case = s.get(Case, case_id)
        everything = event_store.load_all(s, case_id) if case is not None else []
        before = graph.tips(everything)
        if case is not None and (case.head_hash or GENESIS_HASH) != _last_hash(graph.linearise(everything)):
            msg = (f"案件 {case.case_number or '（尚未编号）'} 的案件记录与其全过程记录不一致，"
                   "未接收其他设备的记录；请先做完整性检查")
            raise IntegrityBroken(msg, cli_text=msg + "（lishui-desk check）")
        held = {e.id: e.hash for e in everything}
        by_hash = {e.hash: e for e in everything}
        new: list[EventRecord] = []
        for ev in sorted(evs, key=lambda e: (e.seq, e.hash)):
            if ev.id in held:
                if held[ev.id] == ev.hash:
                    out.known += 1
                else:
                    out.set_aside.append((ev, "同一事件标识在本机已有不同内容，未覆盖"))
                continue
            why = _refusal(ev, by_hash, everything + new)
            if why:
                out.set_aside.append((ev, why))
                continue
            new.append(ev)
            held[ev.id] = ev.hash
            by_hash[ev.hash] = ev
        if not new:
            continue
        grown = everything + new
        extended = graph.linearise(grown)
        state = fold(extended)
        number = _number_of(state)
        if number and s.scalar(select(Case.id).where(Case.case_number == number, Case.id != case_id)):
            why = f"案件文号“{number}”在本机已被另一案件使用（同一文号不得重复），未接收，待县级核查"
            out.set_aside.extend((ev, why) for ev in new)
            continue
        if case is None:
            now = utcnow_iso()
            case = Case(id=case_id, township_code=uow.township_code, stage="lead", stage_label="线索",
                        head_hash=GENESIS_HASH, created_at=now, updated_at=now)
            s.add(case)
            s.flush()
        event_store.write(s, new, outbox=False)
        _evidence_rows(s, new)
        after = graph.tips(grown)
        seal.on_append(s, case_id, 0, GENESIS_HASH, new, before=[(e.seq, e.hash) for e in before],
                       after=[(e.seq, e.hash) for e in after])
        from lishui_desk.services.context import engine_context

        ctx = engine_context(s, uow.today, case.township_code or uow.township_code, case_id)
        forked = graph.is_forked(grown)
        project(s, case, extended, state, ctx, event_count=len(grown), forked=forked)
        out.written.extend(new)
        if forked:
            out.forked.append(case_id)
    return out


def _last_hash(events: list[EventRecord]) -> str:
    return events[-1].hash if events else GENESIS_HASH


def _number_of(state: CaseState) -> str | None:
    number = state.summary().get("case_number")
    if not number and state.is_summary and state.decision is not None:
        number = state.decision.get("decision_number")  # 简易程序: the pre-numbered 当场处罚决定书
    return number or None


def _refusal(ev: EventRecord, by_hash: dict[str, EventRecord], held: list[EventRecord]) -> str | None:
    if ev.type not in KNOWN_EVENT_TYPES:
        return "其他设备记录了本程序不认识的事件类型，请更新软件"
    if compute_hash(ev.prev_hash, ev) != ev.hash:
        return "事件内容与其哈希不符（传输中被改动或记录被篡改），未接收"
    if ev.prev_hash == GENESIS_HASH:
        if held or ev.seq != 1:
            return "与本机已有的记录链不衔接（同一案件有两个起点），未接收"
        return None
    parent = by_hash.get(ev.prev_hash)
    if parent is None:
        return f"缺少前序事件（本机已有 {len(held)} 条），暂未接收"
    if ev.seq != parent.seq + 1:
        return "事件序号与其前一事件不衔接，未接收"
    if ev.type == V.EV_FORK_RESOLVED:
        heads = {e.hash for e in graph.live_tips(held)}
        parents = graph.resolution_parents(ev)
        concurrent = len(parents) == 2 and all(p in by_hash for p in parents) and graph.same_fork_resolved(held, ev)
        aliased = set(graph.counted_as(held, parents))
        if len(parents) != 2 or not (set(parents) <= heads or concurrent or (len(aliased) == 2 and aliased <= heads)):
            return "分叉处理记录所指的两条分支与本机记录不符（已有其他处理或分支已变化），未接收"
    return None


def _evidence_rows(s: Session, records: list[EventRecord]) -> None:
    """The evidence register of events recorded elsewhere (the file itself travels as media)."""
    for rec in records:
        p = rec.payload
        if not p.get("blob_id"):
            continue
        s.add(EvidenceItem(id=new_id(), case_id=rec.case_id, event_id=rec.id, kind=str(p.get("kind") or ""),
                           description=str(p.get("description") or ""), blob_id=p.get("blob_id"),
                           sha256=p.get("sha256"), size=p.get("size"), mime=p.get("mime"), original_name=None,
                           captured_by=rec.actor_id, captured_at=p.get("captured_at"),
                           captured_place=p.get("captured_place")))
    s.flush()


def project(s: Session, case: Case, events: list[EventRecord], state: CaseState, ctx: EngineContext, *,
            event_count: int | None = None, forked: bool = False) -> None:
    """Refresh the case row (a projection of its events: list, search, dashboard read it).
    ``events`` is the folded order (``graph.linearise``); ``event_count`` every event held (both
    branches of a fork); ``forked`` adds the flag ``fork``."""
    summ = state.summary()
    case.stage = summ.get("stage") or case.stage
    case.stage_label = summ.get("stage_label") or case.stage_label
    case.procedure = summ.get("procedure")
    case.source = summ.get("source")
    case.case_number = _number_of(state)
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
    flags = set(summ.get("flags") or [])
    if forked:
        flags.add("fork")
    case.flags = sorted(flags)
    pending = [d for d in engine.deadlines(state, ctx) if not d.done and d.due is not None]
    pending.sort(key=lambda d: d.due or date.max)  # due is set: filtered above
    case.next_deadline = pending[0].due if pending else None
    case.next_deadline_label = pending[0].label_zh if pending else None
    case.next_deadline_article = pending[0].article if pending else None
    publish = [d.due for d in pending if d.key == "disclosure.publish"]
    case.disclosure_due = publish[0] if publish else None
    case.event_count = len(events) if event_count is None else event_count
    case.head_hash = events[-1].hash if events else case.head_hash
    case.updated_at = utcnow_iso()
