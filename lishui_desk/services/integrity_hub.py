"""``check`` section: every case head the county hub acknowledged (its signed receipts, kept outside
the database in ``hub-receipts.json``, see ``storage.hub_receipts``) is still in the local record.

A case with fewer events than the hub acknowledged, or whose event at the acknowledged position
has another hash, is reported by case number: the database was put back to an older copy (with its
``record-head.json``), or the record was rewritten by someone who could recompute the local seals.
"""

from __future__ import annotations

from sqlalchemy import func, select

from lishui_desk.models import Case, CaseEvent, ProfileMeta
from lishui_desk.storage import hub_receipts
from lishui_desk.unit_of_work import UnitOfWork


def _label(number: str | None) -> str:
    return f"案件 {number}" if number else "一件未立案的案件"


def check_hub_receipts(uow: UnitOfWork, report) -> None:
    s = uow.session
    row = s.get(ProfileMeta, hub_receipts.PINNED_KEY_META)
    pinned = bytes.fromhex(row.value) if row is not None and row.value else None
    loaded = hub_receipts.load(uow.profile.paths.hub_receipts, pinned)
    if loaded is None:
        return
    for msg in loaded.problems:
        report.add("hub_receipt", msg)
    if loaded.heads and pinned is None:
        report.add("hub_receipt", "本档案有县级平台的确认回执，数据库却没有登记信息：数据库被换成了登记之前的旧副本")
    numbers = dict(s.execute(select(Case.id, Case.case_number)).all())
    counts = dict(s.execute(select(CaseEvent.case_id, func.count()).group_by(CaseEvent.case_id)).all())
    for head in sorted(loaded.heads, key=lambda h: (h.case_number or "", h.case_id)):
        number = numbers.get(head.case_id) or head.case_number
        have = int(counts.get(head.case_id, 0))
        where = {"case_id": head.case_id, "case_number": number, "seq": head.count}
        if have < head.count:
            report.add("hub_receipt",
                       f"{_label(number)}：县级平台已确认收到 {head.count} 条事件（回执时间 {head.issued_at}），"
                       f"本机只有 {have} 条。数据库被换成旧副本或事件被删除，缺少的记录可从县级平台取回", **where)
            continue
        at = s.scalar(select(CaseEvent.hash).where(CaseEvent.case_id == head.case_id,  # a fork: two at one seq
                                                   CaseEvent.seq == head.count, CaseEvent.hash == head.hash))
        if at != head.hash:
            report.add("hub_receipt",
                       f"{_label(number)}：第 {head.count} 号事件与县级平台确认收到的不同（回执时间 "
                       f"{head.issued_at}）：记录在本机被改写", **where)
