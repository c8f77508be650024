"""USB bundles at the desktop: ``lishui-desk sync export --out FILE`` / ``sync import FILE``.

Export: every pending outbox item, in the same batches ``sync now`` would push, plus the pull
cursors, sealed to the pinned hub key (``sync.bundle``). Nothing leaves the outbox on export.

Import of the county's return bundle, in ONE unit of work: the hub's per-item answers (only those
clear the outbox, through ``push.apply_answers`` with their signed receipts), the state check, the
reference pages (through ``pull.apply_page`` → ``services.reference.apply_batch``, so an older
version is refused as over the network), then the numbers the hub has seen used (which lifts a
numbering hold after a restore). Any failure rolls all of it back; the same bundle imported twice
changes nothing.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from lishui_desk.edge import read, run
from lishui_desk.models import utcnow_iso
from lishui_desk.storage.profile import Profile
from lishui_desk.unit_of_work import UnitOfWork
from sync import bundle as B
from sync import protocol
from sync.client import media, numbering, push
from sync.client import pull as pull_mod
from sync.client import state as st
from sync.client.lock import sync_lock
from sync.client.push import SyncReport
from sync.client.transport import CLIENT_VERSION

HUB_PARTY_ID = "hub"
BATCH = 200
MEDIA_CAP = 128 * 1024 * 1024  # USB-only evidence carried per bundle; the rest waits for the next one


def _collect(uow: UnitOfWork) -> dict[str, Any]:
    batches: list[list[dict[str, Any]]] = []
    tried: set[str] = set()
    while True:
        batch = push.next_batch(uow, BATCH, tried)
        if not batch:
            break
        batches.append([o.item() for o in batch])
        tried |= {o.id for o in batch}
    epoch = st.get(uow, "hub_epoch") or ""
    cursors = {s: pull_mod.cursor_after(uow, s, epoch) for s in pull_mod.PULLED_STREAMS}
    seq = int(st.get(uow, "bundle_out_seq") or 0) + 1
    st.put(uow, bundle_out_seq=str(seq), last_bundle_export=utcnow_iso())
    returns = (st.get_json(uow, "bundle_in", {}) or {}).get("seq", 0)
    owed = media.files(uow)
    return {"batches": batches, "cursors": cursors, "hub_epoch": epoch, "seq": seq, "returns_imported": returns,
            "media_owed": [f.sha256 for f in owed], "usb_media": [f for f in owed if f.usb_only or f.is_document]}  # documents' PDFs are small: always carried


def _media_entries(profile: Profile, files: list[media.MediaFile]) -> tuple[list[dict[str, Any]], int]:
    """The USB-only evidence files and issued documents' PDFs (whole, base64) up to ``MEDIA_CAP``; how many had to wait."""
    out, total, waiting = [], 0, 0
    for f in files:
        if total + f.size > MEDIA_CAP:
            waiting += 1
            continue
        data = b"".join(profile.evidence.read_chunks(f.blob_id))
        out.append({"sha256": f.sha256, "size": f.size, "data": protocol.b64(data)})
        total += f.size
    return out, waiting


def export_bundle(profile: Profile, out: str | Path, *, ttl_days: int = 30) -> dict[str, Any]:
    state = read(profile, st.load)
    media.keep_documents(profile)
    with sync_lock(profile.paths.root):
        got = run(profile, _collect)
        carried, waiting = _media_entries(profile, got["usb_media"])
        payload = {"kind": B.DESK_TO_HUB, "device_id": state.device_id, "client_version": CLIENT_VERSION,
                   "batches": got["batches"], "cursors": got["cursors"], "hub_epoch": got["hub_epoch"],
                   "returns_imported": got["returns_imported"], "media_owed": got["media_owed"],
                   "media": carried}
        me = B.Party(state.device_id, protocol.public_raw(state.device_key))
        data = B.seal(payload, kind=B.DESK_TO_HUB, sender=me, sender_key=state.device_key,
                      recipient=B.Party(HUB_PARTY_ID, state.hub_public_key), seq=got["seq"],
                      ttl=timedelta(days=ttl_days))
        path = B.write_file(out, data)
    return {"file": str(path), "seq": got["seq"], "items": sum(len(b) for b in got["batches"]),
            "batches": len(got["batches"]), "bytes": len(data), "media_files": len(carried),
            "media_waiting": waiting}


def _apply(uow: UnitOfWork, header: dict[str, Any], payload: dict[str, Any], hub_key: bytes) -> dict[str, Any]:
    record = st.get_json(uow, "bundle_in", {}) or {}
    seen = B.seen_before(record, header)
    if seen == "duplicate":
        return {"already_imported": True}
    if seen == "stale":
        raise B.BundleError(f"本机已导入过更新的县级数据包（第 {header['seq']} 号不是最新），未导入：请导入最新的一份",
                            code="bundle_stale")
    if payload.get("device_id") != st.get(uow, "device_id"):
        raise B.BundleError("数据包内容与本机设备不符，未导入", code="bundle_wrong_recipient")
    report = SyncReport()
    hub_state = payload.get("state")
    answers, pages = payload.get("answers"), payload.get("pages")
    if not isinstance(hub_state, dict) or not isinstance(answers, list) or not isinstance(pages, dict):
        raise B.BundleError("县级数据包内容不完整，未导入", code="bundle_malformed")
    push.apply_state(uow, hub_state, report)
    for answer in answers:
        sent = {r.get("outbox_id") for r in answer.get("results", []) if isinstance(r, dict)}
        push.apply_answers(uow, answer, {i for i in sent if isinstance(i, str)}, hub_key, report)
    epoch = str(hub_state.get("hub_epoch") or "")
    for stream in pull_mod.PULLED_STREAMS:
        n = 0
        for page in pages.get(stream) or []:
            applied, aside = pull_mod.apply_page(uow, stream, page, hub_key, epoch)
            n += applied
            report.pull_quarantined += aside
        report.pulled[stream] = n
    released = False
    if isinstance(hub_state.get("numbers_used"), list):  # only a hub that lists them confirms numbering
        released = numbering.confirm(uow, hub_state["numbers_used"])
    held = payload.get("media_complete") or []
    for sha in held:  # the county confirmed these evidence files complete (hash checked)
        if isinstance(sha, str):
            media.mark_done(uow, sha)
    st.put(uow, bundle_in=B.remember(record, header), last_bundle_import=utcnow_iso())
    report.pending = push.status(uow)["pending"]
    report.numbering_released = released
    return {**report.as_dict(), "already_imported": False, "media_confirmed": len(held)}


def import_bundle(profile: Profile, path: str | Path) -> dict[str, Any]:
    data = B.read_file(path)
    state = read(profile, st.load)
    me = B.Party(state.device_id, protocol.public_raw(state.device_key))
    header, payload = B.open_sealed(data, kind=B.HUB_TO_DESK, me=me, my_key=state.device_key,
                                    sender_public=state.hub_public_key, recipient_label="本机")
    with sync_lock(profile.paths.root):
        out = run(profile, _apply, header, payload, state.hub_public_key)
    return {"bundle_id": header["id"], "seq": header["seq"], **out}
