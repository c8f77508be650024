"""The sync worker: an edge (like a CLI command or a GUI op) that runs one sync round, opening a
short unit of work for each step around the network calls (``lishui_desk.edge.run``), so no
transaction is held open while the link is slow.

    state check (what the hub holds for this device) → push the outbox in batches → pull every
    stream page by page → push again what the pull appended (county-side events)

One round at a time per profile (``sync.lock``). A cut link or a timeout raises ``SyncError``: it
is never reported as success, and what was acknowledged before it stays acknowledged.
"""

from __future__ import annotations

from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from lishui_desk.edge import read, run
from lishui_desk.errors import InvalidInput
from lishui_desk.models import utcnow_iso
from lishui_desk.storage.profile import Profile
from lishui_desk.timeutil import now_utc
from sync import protocol
from sync.client import numbering, push
from sync.client import pull as pull_mod
from sync.client import state as st
from sync.client.lock import sync_lock
from sync.client.push import SyncReport
from sync.client.transport import CLIENT_VERSION, DeviceRevoked, SyncError, Transport

DEFAULT_BATCH = 200

__all__ = ["SyncReport", "enroll", "quarantined", "requeue", "status", "sync_now"]


def enroll(profile: Profile, code_text: str, *, label: str = "", timeout: float = 30.0) -> dict[str, Any]:
    try:
        code = protocol.EnrollCode.decode(code_text)
    except (ValueError, UnicodeDecodeError):
        raise InvalidInput("登记码格式不对：请完整复制县级平台给出的登记码（以 LSE1- 开头）") from None
    if read(profile, st.enrolled) and not read(profile, st.get, "revoked"):
        raise InvalidInput("本档案已登记到县级平台；如需重新登记，请先请县级平台停用原设备")
    read(profile, push.check_code, code)  # a code for another township or officer is not spent
    key = Ed25519PrivateKey.generate()
    body = {"secret": code.secret, "public_key": protocol.b64(protocol.public_raw(key)),
            "label": label or profile.profile_id, "client_version": CLIENT_VERSION}
    with Transport(code.hub_url, protocol.ENROLL_DEVICE, key, None, timeout=timeout) as t:
        meta = t.meta()
        if meta.get("hub_key_fingerprint") != code.hub_fingerprint:
            raise SyncError("县级平台的密钥指纹与登记码不符：可能连接到了冒充的平台，登记已中止",
                            code="hub_key_mismatch")
        if isinstance(meta.get("server_time_unix"), int):
            t.clock_offset_s = meta["server_time_unix"] - int(now_utc().timestamp())
        answer = t.call("/v1/enroll", body)
    hub_key = protocol.unb64(answer["hub_public_key"])
    if protocol.fingerprint(hub_key) != code.hub_fingerprint:
        raise SyncError("县级平台的密钥指纹与登记码不符，登记已中止", code="hub_key_mismatch")
    state = st.SyncState(device_id=answer["device_id"], hub_url=code.hub_url, hub_public_key=hub_key,
                         device_key=key, township_code=answer["township_code"],
                         clock_offset_s=t.clock_offset_s, hub_epoch="")

    def save(uow) -> None:
        push.check_identity(uow, answer)
        st.save_enrollment(uow, state)

    run(profile, save)
    return {"device_id": state.device_id, "township_code": answer["township_code"],
            "township_name": answer.get("township_name"), "officer": answer.get("officer"),
            "hub_url": code.hub_url}


def _push_all(profile: Profile, t: Transport, hub_key: bytes, batch_size: int, report: SyncReport) -> None:
    tried: set[str] = set()  # sent this round and still pending (held, recoverable)
    while True:
        batch = read(profile, push.next_batch, batch_size, tried)
        if not batch:
            return
        sent = {o.id for o in batch}
        answer = t.call("/v1/push", {"items": [o.item() for o in batch]}, compress=True)
        report.batches += 1
        report.pushed += len(batch)
        run(profile, push.apply_answers, answer, sent, hub_key, report)
        tried = read(profile, push.still_pending, tried | sent)


def _pull_all(profile: Profile, t: Transport, hub_key: bytes, epoch: str, heads: dict[str, int],
              report: SyncReport) -> int:
    appended = 0
    for stream in pull_mod.PULLED_STREAMS:
        after = read(profile, pull_mod.cursor_after, stream, epoch)
        report.pulled[stream] = 0
        if isinstance(heads.get(stream), int) and heads[stream] == after:
            continue  # nothing new on this stream (the state check said so)
        n = 0
        own = stream == pull_mod.CASES and bool(read(profile, st.get, "repull_own"))  # restored: own events too
        while True:
            ask = {"stream": stream, "after": after, "limit": pull_mod.PAGE, **({"own": True} if own else {})}
            page = t.call("/v1/pull", ask, compress=True)
            if isinstance(page.get("head"), int) and page["head"] < after:
                after = 0  # the hub is behind this device's cursor (restored from a backup): start over
                continue
            applied, aside = run(profile, pull_mod.apply_page, stream, page, hub_key, epoch)
            n += applied
            report.pull_quarantined += aside
            after = int(page["next"])
            if not page.get("more"):
                break
        if own:
            report.own_events_restored = read(profile, st.get_json, "own_restored", 0) or 0
            run(profile, st.put, repull_own="", own_restored=0)
        report.pulled[stream] = n
        if stream in ("review", "tasks"):  # county items that became events of the record
            appended += n
    return appended


def sync_now(profile: Profile, *, batch_size: int = DEFAULT_BATCH, timeout: float = 30.0,
             hub_url: str | None = None, do_pull: bool = True) -> SyncReport:
    """One sync round under the profile's sync lock; raises ``SyncError`` on any failure."""
    state = read(profile, st.load)
    report = SyncReport()
    with sync_lock(profile.paths.root), Transport(hub_url or state.hub_url, state.device_id, state.device_key,
                                                  state.hub_public_key, clock_offset_s=state.clock_offset_s,
                                                  timeout=timeout) as t:
        try:
            hub_state = t.call("/v1/state", {"device_id": state.device_id}, compress=True)
            run(profile, push.apply_state, hub_state, report)
            if isinstance(hub_state.get("numbers_used"), list):  # confirms which numbers were used
                report.numbering_released = run(profile, numbering.confirm, hub_state["numbers_used"])
            epoch = str(hub_state.get("hub_epoch") or "")
            _push_all(profile, t, state.hub_public_key, batch_size, report)
            streams = hub_state.get("streams")
            heads: dict[str, int] = streams if isinstance(streams, dict) else {}
            if do_pull and _pull_all(profile, t, state.hub_public_key, epoch, heads, report):
                _push_all(profile, t, state.hub_public_key, batch_size, report)
        except DeviceRevoked as exc:
            run(profile, st.put, revoked=utcnow_iso(), last_error=exc.message, last_attempt=utcnow_iso())
            raise
        except SyncError as exc:
            run(profile, st.put, last_error=exc.message, last_attempt=utcnow_iso())
            raise
        finally:
            if t.offset_changed:
                run(profile, st.put, clock_offset_s=str(t.clock_offset_s))
            report.bytes_sent, report.bytes_received, report.requests = t.bytes_sent, t.bytes_received, t.requests
    now = utcnow_iso()
    run(profile, st.put, last_success=now, last_attempt=now, last_error="")
    run(profile, numbering.note_success)
    report.pending = read(profile, push.status)["pending"]
    return report


def status(profile: Profile) -> dict[str, Any]:
    return read(profile, push.status)


def quarantined(profile: Profile) -> list[dict[str, Any]]:
    return read(profile, push.quarantined)


def reference_set_aside(profile: Profile) -> list[dict[str, Any]]:
    return read(profile, st.get_json, "ref_quarantine", []) or []


def cases_set_aside(profile: Profile) -> list[dict[str, Any]]:
    """Events of other devices the case stream brought that this profile did not take in (a fork)."""
    return read(profile, st.get_json, "case_set_aside", []) or []


def requeue(profile: Profile, outbox_id: str) -> None:
    run(profile, push.requeue, outbox_id)
