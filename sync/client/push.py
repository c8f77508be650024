"""Enrollment and one sync round: state check, push of the outbox, pull of reference streams.

An outbox item leaves the ``pending`` state only on the hub's answer for it: accepted or duplicate
mark it ``acked`` (all of a batch's answers and the signed receipt are stored in one transaction);
conflict, and rejection that cannot be recovered, mark it ``quarantined`` with the hub's reason;
held and recoverable rejections stay pending. While one item of a case is quarantined, the rest of
that case waits; other cases go on.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select, update

from lishui_desk.errors import InvalidInput
from lishui_desk.models import CaseEvent, Officer, OutboxEntry, ProfileMeta, utcnow_iso
from lishui_desk.storage.profile import Profile
from sync import protocol
from sync.client import state as st
from sync.client.lock import sync_lock
from sync.client.transport import CLIENT_VERSION, DeviceRevoked, SyncError, Transport

DEFAULT_BATCH = 200


def enroll(profile: Profile, code_text: str, *, label: str = "", timeout: float = 30.0) -> dict[str, Any]:
    try:
        code = protocol.EnrollCode.decode(code_text)
    except (ValueError, UnicodeDecodeError):
        raise InvalidInput("登记码格式不对：请完整复制县级平台给出的登记码（以 LSE1- 开头）") from None
    if st.enrolled(profile) and not st.get(profile, "revoked"):
        raise InvalidInput("本档案已登记到县级平台；如需重新登记，请先请县级平台停用原设备")
    key = Ed25519PrivateKey.generate()
    body = {"secret": code.secret, "public_key": protocol.b64(protocol.public_raw(key)),
            "label": label or profile.profile_id, "client_version": CLIENT_VERSION}
    with Transport(code.hub_url, protocol.ENROLL_DEVICE, key, None, timeout=timeout) as t:
        meta = t.meta()
        if meta.get("hub_key_fingerprint") != code.hub_fingerprint:
            raise SyncError("县级平台的密钥指纹与登记码不符：可能连接到了冒充的平台，登记已中止",
                            code="hub_key_mismatch")
        t.clock_offset_s = int(meta.get("server_time_unix", 0)) - _now_unix() if meta.get("server_time_unix") else 0
        answer = t.call("/v1/enroll", body)
    hub_key = protocol.unb64(answer["hub_public_key"])
    if protocol.fingerprint(hub_key) != code.hub_fingerprint:
        raise SyncError("县级平台的密钥指纹与登记码不符，登记已中止", code="hub_key_mismatch")
    _check_identity(profile, answer)
    state = st.SyncState(device_id=answer["device_id"], hub_url=code.hub_url, hub_public_key=hub_key,
                         device_key=key, township_code=answer["township_code"],
                         clock_offset_s=t.clock_offset_s, hub_epoch=answer.get("hub_epoch", ""))
    st.save_enrollment(profile, state)
    return {"device_id": state.device_id, "township_code": answer["township_code"],
            "township_name": answer.get("township_name"), "officer": answer.get("officer"),
            "hub_url": code.hub_url}


def _now_unix() -> int:
    from lishui_desk.timeutil import now_utc

    return int(now_utc().timestamp())


def _check_identity(profile: Profile, answer: dict[str, Any]) -> None:
    if answer.get("township_code") != profile.township_code:
        raise InvalidInput(
            f"登记码属于乡镇 {answer.get('township_name')}（{answer.get('township_code')}），"
            f"与本档案的乡镇 {profile.township_code} 不符：县级平台已作废此登记码，请重新申请"
        )
    with profile.read_session() as s:
        me = s.get(Officer, profile.officer_id)
        cert = me.cert_no if me else None
    officer = answer.get("officer") or {}
    if cert and officer.get("cert_no") != cert:
        raise InvalidInput(
            f"登记码属于执法证号 {officer.get('cert_no')}，与本档案的执法人员（{cert}）不符：请重新申请"
        )


@dataclass
class SyncReport:
    pushed: int = 0
    accepted: int = 0
    duplicate: int = 0
    conflict: int = 0
    held: int = 0
    rejected: int = 0
    requeued_after_restore: int = 0
    pulled: dict[str, int] = field(default_factory=dict)
    batches: int = 0
    bytes_sent: int = 0
    bytes_received: int = 0
    pending: int = 0

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _pending_batch(profile: Profile, limit: int, exclude: set[str]) -> list[tuple[OutboxEntry, str]]:
    """The next pending case events in push order, leaving out cases with a quarantined item and the
    items already tried in this round (``exclude``: held or recoverably rejected)."""
    blocked = (select(CaseEvent.case_id).join(OutboxEntry, OutboxEntry.ref_id == CaseEvent.id)
               .where(OutboxEntry.state == "quarantined"))
    stmt = (select(OutboxEntry, CaseEvent.case_id).join(CaseEvent, CaseEvent.id == OutboxEntry.ref_id)
            .where(OutboxEntry.state == "pending", OutboxEntry.kind == "case_event",
                   CaseEvent.case_id.not_in(blocked))
            .order_by(OutboxEntry.created_at, CaseEvent.seq).limit(limit))
    if exclude:
        stmt = stmt.where(OutboxEntry.id.not_in(sorted(exclude)))
    with profile.read_session() as s:
        return [(e, cid) for e, cid in s.execute(stmt).all()]


def _apply_answers(profile: Profile, answer: dict[str, Any], sent: dict[str, OutboxEntry],
                   hub_key: bytes, report: SyncReport) -> None:
    receipt, sig = answer.get("receipt"), answer.get("receipt_signature")
    if not isinstance(receipt, dict) or not isinstance(sig, str) or not protocol.verify(
        hub_key, protocol.unb64(sig), protocol.receipt_string(receipt)
    ):
        raise SyncError("县级平台的回执签名无效，本批未标记为已确认", code="bad_receipt")
    results = answer.get("results")
    if not isinstance(results, list):
        raise SyncError("县级平台应答缺少逐条结果")
    now = utcnow_iso()
    with profile.session() as s:
        for res in results:
            oid = res.get("outbox_id") if isinstance(res, dict) else None
            if oid not in sent:
                continue
            status, reason = res.get("status"), res.get("reason")
            if status in ("accepted", "duplicate"):
                s.execute(update(OutboxEntry).where(OutboxEntry.id == oid, OutboxEntry.state == "pending")
                          .values(state="acked", acked_at=now, last_error=None,
                                  attempts=OutboxEntry.attempts + 1))
            elif status == "conflict" or (status == "rejected" and not res.get("recoverable")):
                s.execute(update(OutboxEntry).where(OutboxEntry.id == oid)
                          .values(state="quarantined", last_error=str(reason or "县级平台拒收"),
                                  attempts=OutboxEntry.attempts + 1))
            else:  # held, recoverable rejection: stays pending
                s.execute(update(OutboxEntry).where(OutboxEntry.id == oid)
                          .values(last_error=str(reason or ""), attempts=OutboxEntry.attempts + 1))
            if status in ("accepted", "duplicate", "conflict", "held", "rejected"):
                setattr(report, status, getattr(report, status) + 1)
        row = s.get(ProfileMeta, st.PREFIX + "anchors")
        anchors = json.loads(row.value) if row else {}
        for h in receipt.get("heads", []):
            anchors[h["case_id"]] = {"count": h["count"], "hash": h["hash"]}
        s.merge(ProfileMeta(key=st.PREFIX + "anchors", value=json.dumps(anchors, sort_keys=True)))
        s.merge(ProfileMeta(key=st.PREFIX + "last_receipt",
                            value=json.dumps({"receipt": receipt, "signature": sig}, ensure_ascii=False)))
    profile._meta_cache[st.PREFIX + "anchors"] = json.dumps(anchors, sort_keys=True)


def _state_check(profile: Profile, t: Transport, state: st.SyncState, report: SyncReport) -> None:
    """Compare what the hub holds with what this device believes was acknowledged; re-send the gap
    (a hub restored from a backup) and start pull cursors afresh on a new hub epoch."""
    hub = t.call("/v1/state", {"device_id": state.device_id}, compress=True)
    heads = {h["case_id"]: int(h["count"]) for h in hub.get("heads", [])}
    with profile.session() as s:
        rows = s.execute(
            select(OutboxEntry.id, CaseEvent.case_id, CaseEvent.seq)
            .join(CaseEvent, CaseEvent.id == OutboxEntry.ref_id).where(OutboxEntry.state == "acked")
        ).all()
        lost = [oid for oid, cid, seq in rows if seq > heads.get(cid, 0)]
        if lost:
            s.execute(update(OutboxEntry).where(OutboxEntry.id.in_(lost))
                      .values(state="pending", acked_at=None, last_error="县级平台缺少此条（平台可能已从备份恢复），重发"))
    report.requeued_after_restore = len(lost)
    epoch = hub.get("hub_epoch", "")
    if epoch and epoch != state.hub_epoch:
        if state.hub_epoch:
            st.put(profile, cursors=json.dumps({}))
        st.put(profile, hub_epoch=epoch)
        state.hub_epoch = epoch


def sync_now(profile: Profile, *, batch_size: int = DEFAULT_BATCH, timeout: float = 30.0,
             hub_url: str | None = None, pull: Callable[[Profile, Transport, SyncReport], None] | None = None
             ) -> SyncReport:
    """One sync round under the profile's sync lock. Raises ``SyncError`` on any failure (a cut link
    or a timeout is never reported as success); what was acknowledged before it stays acknowledged."""
    state = st.load(profile)
    report = SyncReport()
    with sync_lock(profile.paths.root), Transport(hub_url or state.hub_url, state.device_id, state.device_key,
                                                  state.hub_public_key, clock_offset_s=state.clock_offset_s,
                                                  timeout=timeout) as t:
        try:
            _state_check(profile, t, state, report)
            tried: set[str] = set()  # sent this round and still pending (held, recoverable)
            while True:
                batch = _pending_batch(profile, batch_size, tried)
                if not batch:
                    break
                sent = {e.id: e for e, _ in batch}
                tried.update(sent)
                items = [{"outbox_id": e.id, "kind": e.kind, "event": json.loads(e.payload)} for e, _ in batch]
                answer = t.call("/v1/push", {"items": items}, compress=True)
                report.batches += 1
                report.pushed += len(items)
                _apply_answers(profile, answer, sent, state.hub_public_key, report)
                tried &= _still_pending(profile, tried)
            if pull is not None:
                pull(profile, t, report)
        except DeviceRevoked as exc:
            st.put(profile, revoked=utcnow_iso(), last_error=exc.message)
            raise
        except SyncError as exc:
            st.put(profile, last_error=exc.message, last_attempt=utcnow_iso())
            raise
        finally:
            if t.offset_changed:
                st.put(profile, clock_offset_s=str(t.clock_offset_s))
            report.bytes_sent, report.bytes_received = t.bytes_sent, t.bytes_received
    st.put(profile, last_success=utcnow_iso(), last_attempt=utcnow_iso(), last_error="")
    report.pending = pending_count(profile)
    return report


def _still_pending(profile: Profile, ids: set[str]) -> set[str]:
    with profile.read_session() as s:
        return set(s.scalars(select(OutboxEntry.id).where(OutboxEntry.id.in_(sorted(ids)),
                                                          OutboxEntry.state == "pending")))


def pending_count(profile: Profile) -> int:
    from sqlalchemy import func

    with profile.read_session() as s:
        return s.scalar(select(func.count()).select_from(OutboxEntry).where(OutboxEntry.state == "pending")) or 0


def status(profile: Profile) -> dict[str, Any]:
    from sqlalchemy import func

    with profile.read_session() as s:
        counts = dict(s.execute(select(OutboxEntry.state, func.count()).group_by(OutboxEntry.state)).all())
    return {
        "enrolled": st.enrolled(profile),
        "device_id": st.get(profile, "device_id"),
        "hub_url": st.get(profile, "hub_url"),
        "revoked": bool(st.get(profile, "revoked")),
        "pending": counts.get("pending", 0),
        "acked": counts.get("acked", 0),
        "quarantined": counts.get("quarantined", 0),
        "last_success": st.get(profile, "last_success") or None,
        "last_attempt": st.get(profile, "last_attempt") or None,
        "last_error": st.get(profile, "last_error") or None,
        "clock_offset_s": int(st.get(profile, "clock_offset_s") or 0),
    }


def quarantined(profile: Profile) -> list[dict[str, Any]]:
    with profile.read_session() as s:
        rows = s.execute(
            select(OutboxEntry, CaseEvent.case_id, CaseEvent.seq, CaseEvent.type)
            .join(CaseEvent, CaseEvent.id == OutboxEntry.ref_id)
            .where(OutboxEntry.state == "quarantined").order_by(OutboxEntry.created_at)
        ).all()
    return [{"id": e.id, "case_id": cid, "seq": seq, "event_type": typ, "reason": e.last_error,
             "attempts": e.attempts} for e, cid, seq, typ in rows]


def requeue(profile: Profile, outbox_id: str) -> None:
    with profile.session() as s:
        n = s.execute(update(OutboxEntry).where(OutboxEntry.id == outbox_id, OutboxEntry.state == "quarantined")
                      .values(state="pending", last_error=None)).rowcount
    if not n:
        raise InvalidInput(f"没有编号为 {outbox_id} 的隔离条目（见 lishui-desk sync quarantine）")
