"""``check`` sections that compare the stored rows with the sealed record (see ``storage.seal``):

- every event carries a valid seal (HMAC with the record key the database does not hold);
- the profile head row equals what the events give (counts and root over all case heads), and it
  is not older than the anchor sealed beside the keyring (rollback, truncation, lost WAL);
- every case row equals the projection rebuilt from its events (party, amount, stage, …);
- every evidence row matches the chained event that registered it, and every registered file
  has its row.

Each difference is reported by case number and seq.
"""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import select

from lishui_desk import graph
from lishui_desk.errors import IntegrityBroken
from lishui_desk.events import EventRecord
from lishui_desk.models import Case, CaseEvent, EvidenceItem, RecordHead, RecordSeal
from lishui_desk.procedure.state import fold
from lishui_desk.storage import event_store, seal
from lishui_desk.unit_of_work import UnitOfWork

# case row columns a user sees, and how the projection names them
_PROJECTED = {
    "stage": "阶段", "procedure": "程序", "case_number": "案件编号", "party_name": "当事人",
    "party_kind": "当事人类型", "party_id": "当事人证件号码", "item_code": "执法事项", "lead_on": "发现日期",
    "filed_on": "立案日期", "decided_on": "决定日期", "amount": "罚款数额", "is_open": "办结状态",
    "event_count": "事件数", "head_hash": "记录链末端",
}


def _label(number: str | None) -> str:
    return f"案件 {number}" if number else "一件未立案的案件"


def check_seals(uow: UnitOfWork, report) -> None:
    s = uow.session
    key = s.info[seal.KEY_INFO]
    macs = dict(s.execute(select(RecordSeal.event_id, RecordSeal.mac)).all())
    numbers = dict(s.execute(select(Case.id, Case.case_number)).all())
    rows = s.execute(select(CaseEvent.id, CaseEvent.case_id, CaseEvent.seq, CaseEvent.hash)
                     .order_by(CaseEvent.case_id, CaseEvent.seq)).all()
    for ev_id, case_id, seq, ev_hash in rows:
        mac = macs.pop(ev_id, None)
        number = numbers.get(case_id)
        if mac is None:
            report.add("seal", f"{_label(number)}第 {seq} 号事件没有本机的认证码（不是本程序写入的）",
                       case_id=case_id, case_number=number, event_id=ev_id, seq=seq)
        elif mac != seal.event_mac(key, ev_id, case_id, seq, ev_hash):
            report.add("seal", f"{_label(number)}第 {seq} 号事件的认证码不符（事件被改写并重算了哈希）",
                       case_id=case_id, case_number=number, event_id=ev_id, seq=seq)
    if macs:
        report.add("seal", f"有 {len(macs)} 个事件的认证码还在，事件本身却已不在（事件被删除）")


def check_head(uow: UnitOfWork, report) -> None:
    s = uow.session
    key, anchor_path = s.info[seal.KEY_INFO], s.info[seal.PATHS_INFO]
    row = s.get(RecordHead, 1)
    events, cases, root = seal.recompute(s)
    if row is None:
        report.add("head", "档案头缺失：全过程记录未封存，无法判断是否有事件或案件被删除")
        return
    state = seal.HeadState(row.counter, row.event_count, row.case_count, row.root)
    if row.mac != seal.head_mac(key, state):
        report.add("head", "档案头的认证码不符（档案头被改写）")
    if (row.event_count, row.case_count) != (events, cases):
        report.add("head", f"全过程记录应有 {row.case_count} 件案件、{row.event_count} 条事件，"
                           f"实有 {cases} 件、{events} 条：有案件或事件被删除或加入")
    elif row.root != root:
        report.add("head", "各案件记录链末端与档案头不符：有案件的事件被删除、替换或改写")
    try:
        anchor = seal.read_anchor(anchor_path, key)
    except IntegrityBroken as exc:
        report.add("anchor", exc.message)
        return
    if anchor is None:
        report.add("anchor", f"封存的档案头 {anchor_path.name} 缺失，无法确认数据库未被回退到旧副本")
        return
    committed, pending = anchor
    known = [s for s in (committed, pending) if s is not None]
    if any(k == state for k in known):
        return
    newest = max(k.counter for k in known) if known else 0
    floor = committed.counter if committed else 0
    if state.counter < floor:
        lost = next(k for k in known if k.counter == floor)
        report.add("anchor",
                   f"数据库比封存的档案头旧：档案头记录到第 {floor} 次写入（{lost.case_count} 件案件、"
                   f"{lost.event_count} 条事件），数据库只到第 {state.counter} 次（{row.case_count} 件、"
                   f"{row.event_count} 条）。已保存的数据丢失：数据库被换成旧副本，或断电/损坏丢失了写入")
    elif state.counter > newest:
        report.notices.append("封存的档案头比数据库旧一步（上次保存后程序被中断），下次保存时自动更新")
    else:
        report.add("anchor", "数据库的档案头与封存的档案头在同一次写入上不一致：记录被改写")


def _as_text(value) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def check_projection(uow: UnitOfWork, report) -> None:
    s = uow.session
    cases = list(s.scalars(select(Case)))
    for case in cases:
        everything = event_store.load_all(s, case.id)
        _compare_case(case, graph.linearise(everything), len(everything), report)


def _compare_case(case: Case, events: list[EventRecord], total: int, report) -> None:
    state = fold(events)
    summ = state.summary()
    number = summ.get("case_number")
    if not number and state.is_summary and state.decision is not None:
        number = state.decision.get("decision_number")
    expected = {**summ, "case_number": number or None, "event_count": total,
                "head_hash": events[-1].hash if events else case.head_hash}
    label = _label(case.case_number or number)
    diffs = []
    for col, zh in _PROJECTED.items():
        want, have = expected.get(col), getattr(case, col)
        if col == "is_open":
            if bool(want) != bool(have):
                diffs.append(zh)
        elif _as_text(want) != _as_text(have):
            diffs.append(zh)
    if diffs:
        report.add("projection", f"{label}的案件记录与其全过程记录不符（{'、'.join(diffs)}被改动）",
                   case_id=case.id, case_number=case.case_number)


def check_evidence_rows(uow: UnitOfWork, report) -> None:
    s = uow.session
    rows = list(s.scalars(select(EvidenceItem)))
    numbers = dict(s.execute(select(Case.id, Case.case_number)).all())
    registered = {ev.id: ev for ev in s.scalars(
        select(CaseEvent).where(CaseEvent.payload.like('%"blob_id"%')))}
    seen = set()
    for row in rows:
        ev = registered.get(row.event_id) if row.event_id is not None else None
        number = numbers.get(row.case_id) if row.case_id is not None else None
        if ev is None:
            report.add("evidence_row", f"{_label(number)}的证据“{row.description}”没有对应的登记事件",
                       case_id=row.case_id, case_number=number)
            continue
        seen.add(ev.id)
        payload = json.loads(ev.payload)
        wrong = [zh for field, zh in (("blob_id", "文件"), ("sha256", "哈希"), ("size", "大小"))
                 if payload.get(field) != getattr(row, field)]
        if ev.case_id != row.case_id:
            wrong.append("所属案件")
        if wrong:
            report.add("evidence_row",
                       f"{_label(number)}第 {ev.seq} 号事件登记的证据与证据记录不符（{'、'.join(wrong)}被改动）",
                       case_id=row.case_id, case_number=number, event_id=ev.id, seq=ev.seq)
    for ev in registered.values():
        if ev.id not in seen and json.loads(ev.payload).get("blob_id"):
            number = numbers.get(ev.case_id)
            report.add("evidence_row",
                       f"{_label(number)}第 {ev.seq} 号事件登记的证据文件在证据记录中不见了（证据记录被删除）",
                       case_id=ev.case_id, case_number=number, event_id=ev.id, seq=ev.seq)


def reseal(uow: UnitOfWork) -> seal.HeadState:
    """Accept the database as it stands as the record (after a person has checked it); the anchor
    is rewritten when the caller's unit of work commits."""
    uow.require_write()
    return seal.seal_existing(uow.session)
