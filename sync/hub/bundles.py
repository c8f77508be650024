"""USB bundles at the county: import a desktop's bundle, export the return bundle for a device.

An imported bundle's batches go through the same ingest as ``/v1/push`` (``app._ingest``: per-item
answers and a signed receipt, each batch committed before its answer exists). The answers wait at
the hub (``hub_meta`` row ``bundle_reply:<device>``) until a return bundle has carried them and the
device said so in a later bundle; the return bundle also carries the device's state (its
township's case heads, the hub epoch) and every reference item after the cursors the device
reported, exactly as ``/v1/pull`` pages, so the desktop applies them through the same path.

Importing the same bundle twice changes nothing; an older bundle than one already imported from
the same device is refused.
"""

from __future__ import annotations

import json
from typing import Any

from lishui_desk.errors import NotFound
from lishui_desk.models import utcnow_iso
from lishui_desk.services.reference import STREAMS as REFERENCE_STREAMS
from sync import bundle as B
from sync import protocol
from sync.hub import ingest, media, refs
from sync.hub.models import Device, HubMeta
from sync.hub.service import Hub

HUB_PARTY_ID = "hub"
PULL_STREAMS = (*REFERENCE_STREAMS, "review")  # what the desktop pulls (sync.client.pull)
PAGE = 1000


def _meta_json(s, key: str, default: Any) -> Any:
    row = s.get(HubMeta, key)
    return json.loads(row.value) if row is not None and row.value else default


def _put_json(s, key: str, value: Any) -> None:
    s.merge(HubMeta(key=key, value=json.dumps(value, ensure_ascii=False, sort_keys=True)))


def hub_party(hub: Hub) -> B.Party:
    return B.Party(HUB_PARTY_ID, hub.public_key)


def _device(hub: Hub, device_id: str) -> Device:
    with hub.session() as s:
        d = s.get(Device, device_id)
    if d is None:
        raise B.BundleError(f"数据包来自未在县级平台登记的设备（{device_id[:8]}…），未导入任何内容",
                            code="bundle_unknown_sender")
    return d


def import_bundle(hub: Hub, data: bytes) -> dict[str, Any]:
    header, *_ = B.read_header(data)
    device = _device(hub, header["sender"])
    header, payload = B.open_sealed(data, kind=B.DESK_TO_HUB, me=hub_party(hub), my_key=hub.key,
                                    sender_public=bytes.fromhex(device.public_key), recipient_label="本县级平台")
    batches = payload.get("batches")
    if not isinstance(batches, list) or not all(isinstance(b, list) and len(b) <= protocol.MAX_BATCH_ITEMS
                                                for b in batches):
        raise B.BundleError("数据包中的批次格式错误，未导入", code="bundle_malformed")
    carried = payload.get("media") or []
    if not isinstance(carried, list):
        raise B.BundleError("数据包中的证据文件格式错误，未导入", code="bundle_malformed")
    carried = media.decode_whole(carried)  # checked before anything is written
    with hub.session() as s:
        seen = B.seen_before(_meta_json(s, f"bundle_in:{device.id}", {}), header)
    base = {"bundle_id": header["id"], "seq": header["seq"], "device_id": device.id}
    if seen == "duplicate":
        return {**base, "already_imported": True, "items": 0, "counts": {}}
    if seen == "stale":
        raise B.BundleError(f"该设备已导入过更新的数据包（第 {header['seq']} 号不是最新），未导入：请导入最新的一份",
                            code="bundle_stale")
    from sync.hub.app import _ingest

    counts: dict[str, int] = {}
    answers = []
    revoked = device.revoked_at is not None
    for items in batches:
        if revoked:  # kept for county review, never linked in (as over the network)
            with hub.session() as s:
                ingest.quarantine_revoked(s, device, items)
            counts["quarantined"] = counts.get("quarantined", 0) + len(items)
            continue
        answer = _ingest(hub, device, items)
        answers.append(answer)
        for r in answer["results"]:
            counts[r["status"]] = counts.get(r["status"], 0) + 1
    media_stored = 0 if revoked else media.store_whole(hub, device, carried)
    with hub.session() as s:
        _put_json(s, f"bundle_in:{device.id}", B.remember(_meta_json(s, f"bundle_in:{device.id}", {}), header))
        reply = _meta_json(s, f"bundle_reply:{device.id}", {"answers": []})
        out_seq = int(_meta_json(s, f"bundle_out_seq:{device.id}", 0))
        delivered = int(payload.get("returns_imported") or 0)  # the last return bundle the device imported
        kept = [a for a in reply.get("answers", []) if int(a.get("queued_at_out_seq", 0)) + 1 > delivered]
        kept += [{"queued_at_out_seq": out_seq, "answer": a} for a in answers]
        cursors = payload.get("cursors") if isinstance(payload.get("cursors"), dict) else {}
        owed = [x for x in payload.get("media_owed") or [] if isinstance(x, str)]
        _put_json(s, f"bundle_reply:{device.id}", {"answers": kept, "cursors": cursors, "media_owed": owed,
                                                   "in_reply_to": header["id"], "imported_at": utcnow_iso()})
    return {**base, "already_imported": False, "revoked": revoked,
            "items": sum(len(b) for b in batches), "counts": counts, "media_files": media_stored}


def export_bundle(hub: Hub, device_id: str, *, ttl_days: int = 30) -> tuple[bytes, dict[str, Any]]:
    from datetime import timedelta

    with hub.session() as s:
        device = s.get(Device, device_id)
        if device is None:
            raise NotFound(f"没有编号为 {device_id} 的设备（见 lishui-county device list --json）")
        seq = int(_meta_json(s, f"bundle_out_seq:{device.id}", 0)) + 1
        _put_json(s, f"bundle_out_seq:{device.id}", seq)
        reply = _meta_json(s, f"bundle_reply:{device.id}", {"answers": []})
    cursors = reply.get("cursors") or {}
    pages: dict[str, list[dict[str, Any]]] = {}
    items = 0
    for stream in PULL_STREAMS:
        after = cursors.get(stream, 0)
        after = after if isinstance(after, int) and after >= 0 else 0
        pages[stream] = []
        while True:
            page = refs.pull(hub, device, stream, after, PAGE)
            pages[stream].append(page)
            items += len(page["items"])
            after = page["next"]
            if not page["more"]:
                break
    payload = {"kind": B.HUB_TO_DESK, "device_id": device.id, "in_reply_to": reply.get("in_reply_to"),
               "answers": [a["answer"] for a in reply.get("answers", [])], "state": refs.device_state(hub, device),
               "pages": pages, "media_complete": media.complete_among(hub, reply.get("media_owed") or [])}
    data = B.seal(payload, kind=B.HUB_TO_DESK, sender=hub_party(hub), sender_key=hub.key,
                  recipient=B.Party(device.id, bytes.fromhex(device.public_key)), seq=seq,
                  ttl=timedelta(days=ttl_days))
    return data, {"device_id": device.id, "seq": seq, "answers": len(payload["answers"]),
                  "reference_items": items, "bytes": len(data)}

