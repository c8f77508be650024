"""The push side, step by step, each step in the caller's unit of work (``sync.client.worker``
opens them around the network calls).

An outbox item leaves the ``pending`` state only on the hub's answer for it: accepted or duplicate
mark it ``acked`` (all of a batch's acknowledgements and the signed receipt's anchors are written
in one transaction, through ``services.outbox``); conflict, and rejection that cannot be
recovered, mark it ``quarantined`` with the hub's reason; held and recoverable rejections stay
pending. While one item of a case is quarantined, the rest of that case waits; other cases go on.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import CursorResult, func, select, update

from lishui_desk.errors import InvalidInput
from lishui_desk.models import Case, CaseEvent, Officer, OutboxEntry
from lishui_desk.services import outbox
from lishui_desk.storage import hub_receipts
from lishui_desk.unit_of_work import UnitOfWork
from sync import protocol
from sync.client import state as st
from sync.client.transport import SyncError


@dataclass
class SyncReport:
    pushed: int = 0
    accepted: int = 0
    duplicate: int = 0
    conflict: int = 0
    held: int = 0
    rejected: int = 0
    requeued_after_restore: int = 0
    own_events_missing: int = 0  # events this device recorded that the hub holds and it does not (restored)
    own_events_restored: int = 0  # … of them pulled back from the hub, verified and sealed
    pulled: dict[str, int] = field(default_factory=dict)
    pull_quarantined: int = 0
    numbering_released: bool = False
    batches: int = 0
    bytes_sent: int = 0
    bytes_received: int = 0
    requests: int = 0
    pending: int = 0
    media_error: str | None = None  # the evidence part of an automatic round did not finish (Chinese)

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class Outgoing:
    id: str
    kind: str
    payload: str
    case_id: str

    def item(self) -> dict[str, Any]:
        return {"outbox_id": self.id, "kind": self.kind, "event": json.loads(self.payload)}


def next_batch(uow: UnitOfWork, limit: int, exclude: set[str]) -> list[Outgoing]:
    """The next pending case events in push order, leaving out cases with a quarantined item and the
    items already tried in this round (``exclude``: held or recoverably rejected)."""
    blocked = (select(CaseEvent.case_id).join(OutboxEntry, OutboxEntry.ref_id == CaseEvent.id)
               .where(OutboxEntry.state == "quarantined"))
    stmt = (select(OutboxEntry.id, OutboxEntry.kind, OutboxEntry.payload, CaseEvent.case_id)
            .join(CaseEvent, CaseEvent.id == OutboxEntry.ref_id)
            .where(OutboxEntry.state == "pending", OutboxEntry.kind == "case_event",
                   CaseEvent.case_id.not_in(blocked))
            .order_by(OutboxEntry.created_at, CaseEvent.seq).limit(limit))
    if exclude:
        stmt = stmt.where(OutboxEntry.id.not_in(sorted(exclude)))
    return [Outgoing(*row) for row in uow.session.execute(stmt).all()]


def still_pending(uow: UnitOfWork, ids: set[str]) -> set[str]:
    if not ids:
        return set()
    return set(uow.session.scalars(select(OutboxEntry.id).where(OutboxEntry.id.in_(sorted(ids)),
                                                                OutboxEntry.state == "pending")))


def verify_receipt(hub_key: bytes, answer: dict[str, Any]) -> dict[str, Any]:
    receipt, sig = answer.get("receipt"), answer.get("receipt_signature")
    try:
        ok = isinstance(receipt, dict) and isinstance(sig, str) and protocol.verify(
            hub_key, protocol.unb64(sig), protocol.receipt_string(receipt))
    except ValueError:
        ok = False
    if not ok or not isinstance(answer.get("results"), list):
        raise SyncError("县级平台的回执签名无效或缺少逐条结果，本批未标记为已确认", code="bad_receipt")
    return receipt  # type: ignore[return-value]


def apply_answers(uow: UnitOfWork, answer: dict[str, Any], sent: set[str], hub_key: bytes,
                  report: SyncReport) -> None:
    """Record the hub's per-item answers and the receipt's anchors, all in this unit of work."""
    receipt = verify_receipt(hub_key, answer)
    acked: list[str] = []
    for res in answer["results"]:
        oid = res.get("outbox_id") if isinstance(res, dict) else None
        if oid not in sent:
            continue
        status, reason = res.get("status"), str(res.get("reason") or "")
        if status in ("accepted", "duplicate"):
            acked.append(oid)
        elif status == "conflict" or (status == "rejected" and not res.get("recoverable")):
            outbox.quarantine(uow, oid, reason or "县级平台拒收")
        else:  # held, or a rejection the hub says may pass later: stays pending
            uow.session.execute(update(OutboxEntry).where(OutboxEntry.id == oid)
                                .values(last_error=reason, attempts=OutboxEntry.attempts + 1))
        if status in ("accepted", "duplicate", "conflict", "held", "rejected"):
            setattr(report, status, getattr(report, status) + 1)
    pending_now = still_pending(uow, set(acked))
    acked = [i for i in acked if i in pending_now]  # only what is still pending here is acknowledged
    outbox.acknowledge(uow, acked)
    anchors = st.get_json(uow, "anchors", {}) or {}
    for h in receipt.get("heads", []):
        anchors[h["case_id"]] = {"count": h["count"], "hash": h["hash"]}
    st.put(uow, anchors=anchors, last_receipt={"receipt": receipt, "signature": answer["receipt_signature"]})
    ids = [h["case_id"] for h in receipt.get("heads", []) if isinstance(h, dict)]
    numbers = dict(uow.session.execute(select(Case.id, Case.case_number).where(Case.id.in_(ids))).all())
    # outside the database: the anchor a rolled-back desk.db cannot take back with it (check).
    # Safe before COMMIT: a receipt names only events this record already holds.
    hub_receipts.record(uow.profile.paths.hub_receipts, hub_key, receipt, answer["receipt_signature"], numbers)


def apply_state(uow: UnitOfWork, hub: dict[str, Any], report: SyncReport) -> None:
    """Compare what the hub holds with what this device believes was acknowledged: items the hub
    lacks (a hub restored from a backup) go back to pending; a new hub epoch is remembered (pull
    cursors carry the epoch, so they start afresh)."""
    heads = {h["case_id"]: int(h["count"]) for h in hub.get("heads", []) if isinstance(h, dict)}
    rows = uow.session.execute(
        select(OutboxEntry.id, CaseEvent.case_id, CaseEvent.seq)
        .join(CaseEvent, CaseEvent.id == OutboxEntry.ref_id).where(OutboxEntry.state == "acked")
    ).all()
    lost = [oid for oid, cid, seq in rows if seq > heads.get(cid, 0)]
    if lost:
        uow.session.execute(update(OutboxEntry).where(OutboxEntry.id.in_(lost)).values(
            state="pending", acked_at=None, last_error="县级平台缺少此条（平台可能已从备份恢复），重发"))
    report.requeued_after_restore = len(lost)
    _own_missing(uow, hub, report)
    epoch = hub.get("hub_epoch")
    if isinstance(epoch, str) and epoch:
        st.put(uow, hub_epoch=epoch)


def _own_missing(uow: UnitOfWork, hub: dict[str, Any], report: SyncReport) -> None:
    """The hub holds events from this device that this device does not: the profile was restored
    from a backup taken before them. Two signs: a case whose last position this device wrote at the
    hub (``own_seq``) is beyond the local record, or more events of this device at the hub
    (``acked_events``) than case events this profile has outbox entries for. The next pull of the
    case stream then asks for this device's own events too, so nothing recorded is lost."""
    counts = dict(uow.session.execute(select(CaseEvent.case_id, func.count()).group_by(CaseEvent.case_id)).all())
    behind = 0
    for h in hub.get("heads", []):
        own = h.get("own_seq") if isinstance(h, dict) else None
        if isinstance(own, int):
            behind += max(0, own - int(counts.get(h.get("case_id"), 0)))
    acked = hub.get("acked_events")
    mine = uow.session.scalar(select(func.count()).select_from(OutboxEntry)
                              .where(OutboxEntry.kind == "case_event")) or 0
    report.own_events_missing = max(behind, acked - mine if isinstance(acked, int) else 0, 0)
    if report.own_events_missing:
        st.put(uow, repull_own="1")


def check_code(uow: UnitOfWork, code: protocol.EnrollCode) -> None:
    """Before the one-time code is spent: it must be for this profile's township and officer."""
    check_identity(uow, {"township_code": code.township_code or uow.township_code, "township_name": "",
                         "officer": {"cert_no": code.cert_no} if code.cert_no else {}}, before=True)


def check_identity(uow: UnitOfWork, answer: dict[str, Any], *, before: bool = False) -> None:
    if answer.get("township_code") != uow.township_code:
        raise InvalidInput(
            f"登记码属于乡镇 {answer.get('township_name')}（{answer.get('township_code')}），"
            f"与本档案的乡镇 {uow.township_code} 不符："
            + ("登记码未使用，请换用本乡镇的登记码" if before else "此登记码已失效，请按本档案的乡镇重新申请")
        )
    me = uow.session.get(Officer, uow.profile.officer_id)
    cert = me.cert_no if me else None
    officer = answer.get("officer") or {}
    if cert and officer.get("cert_no") is not None and officer.get("cert_no") != cert:
        raise InvalidInput(
            f"登记码属于执法证号 {officer.get('cert_no')}，与本档案的执法人员（{cert}）不符：请重新申请"
        )


def status(uow: UnitOfWork) -> dict[str, Any]:
    counts = dict(uow.session.execute(select(OutboxEntry.state, func.count()).group_by(OutboxEntry.state)).all())
    ref_q = st.get_json(uow, "ref_quarantine", []) or []
    return {
        "enrolled": st.enrolled(uow),
        "device_id": st.get(uow, "device_id"),
        "hub_url": st.get(uow, "hub_url"),
        "revoked": bool(st.get(uow, "revoked")),
        "pending": counts.get("pending", 0),
        "acked": counts.get("acked", 0),
        "quarantined": counts.get("quarantined", 0),
        "reference_quarantined": len(ref_q),
        "cases_set_aside": len(st.get_json(uow, "case_set_aside", []) or []),
        # cases two devices wrote offline (lishui_desk.forks): blocked for new steps until resolved
        "forked_cases": forked_cases(uow),
        "last_success": st.get(uow, "last_success") or None,
        "last_attempt": st.get(uow, "last_attempt") or None,
        "last_error": st.get(uow, "last_error") or None,
        "clock_offset_s": int(st.get(uow, "clock_offset_s") or 0),
    }


def forked_cases(uow: UnitOfWork) -> list[dict[str, Any]]:
    """Cases two devices wrote offline (``lishui_desk.forks``), blocked for new steps until resolved;
    ``note`` says who resolved what when two resolutions of one fork differ (None otherwise)."""
    from lishui_desk.forks import differing_note

    rows = uow.session.execute(select(Case.id, Case.case_number, Case.flags).order_by(Case.case_number, Case.id))
    return [{"case_id": cid, "case_number": number, "note": differing_note(uow, cid)}
            for cid, number, flags in rows if "fork" in (flags or [])]


def quarantined(uow: UnitOfWork) -> list[dict[str, Any]]:
    rows = uow.session.execute(
        select(OutboxEntry, CaseEvent.case_id, CaseEvent.seq, CaseEvent.type, CaseEvent.occurred_at)
        .join(CaseEvent, CaseEvent.id == OutboxEntry.ref_id)
        .where(OutboxEntry.state == "quarantined").order_by(OutboxEntry.created_at)
    ).all()
    return [{"id": e.id, "case_id": cid, "seq": seq, "event_type": typ, "occurred_at": at, "reason": e.last_error,
             "attempts": e.attempts} for e, cid, seq, typ, at in rows]


def requeue(uow: UnitOfWork, outbox_id: str) -> None:
    uow.require_write()
    done = uow.session.execute(update(OutboxEntry).where(OutboxEntry.id == outbox_id,
                                                         OutboxEntry.state == "quarantined")
                               .values(state="pending", last_error=None))
    n = cast("CursorResult[Any]", done).rowcount  # an UPDATE returns a CursorResult
    if not n:
        raise InvalidInput("这一条目已不在隔离中（可能已重新排队或已同步），请刷新后再试",
                           cli_text=f"没有编号为 {outbox_id} 的隔离条目（见 lishui-desk sync quarantine）")
