"""A departed officer's profile, opened at the county with the county recovery key and imported as
a bundle would be (issue: a restored, cloned or replaced laptop).

The profile's data key is unwrapped from its ``keyring.json`` with the recovery private key (the
profile was created with the county's recovery public key); every case event it holds goes through
the hub's ordinary ingest as the device the profile was enrolled as (accepted, duplicate,
conflict, held — exactly as a push), in batches, and its evidence files are stored as a finished
upload would be, and so are the printed PDFs of the documents it issued. Events the hub already holds come back as duplicates: importing twice changes
nothing.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import select

from lishui_desk.crypto import keyring
from lishui_desk.errors import InvalidInput
from lishui_desk.models import CaseEvent, EvidenceItem, OutboxEntry, ProfileMeta
from lishui_desk.services import issued_pdfs
from lishui_desk.storage.profile import open_with_key
from sync import protocol
from sync.hub import media
from sync.hub.models import Device
from sync.hub.service import Hub


def import_profile(hub: Hub, profile_dir: Path, key_pem: bytes, password: bytes | None = None) -> dict[str, Any]:
    profile_dir = Path(profile_dir)
    if not (profile_dir / "keyring.json").is_file():
        raise InvalidInput(f"{profile_dir} 不是桌面端档案目录（缺少 keyring.json）")
    data_key = keyring.recover_data_key(profile_dir / "keyring.json", key_pem, password=password)
    prof = open_with_key(profile_dir.name, data_key, root=profile_dir.parent.parent)
    try:
        with prof.read_session() as s:
            row = s.get(ProfileMeta, "sync.device_id")
            device_id = row.value if row is not None else ""
            items = [{"outbox_id": o.id, "kind": o.kind, "event": json.loads(o.payload)} for o in s.scalars(
                select(OutboxEntry).join(CaseEvent, CaseEvent.id == OutboxEntry.ref_id)
                .where(OutboxEntry.kind == "case_event").order_by(CaseEvent.case_id, CaseEvent.seq))]
            files = [(e.sha256, e.size, e.blob_id) for e in s.scalars(
                select(EvidenceItem).where(EvidenceItem.sha256.is_not(None), EvidenceItem.blob_id.is_not(None)))
                if e.sha256 is not None and e.blob_id is not None]  # as queried; narrows the types
            # issued documents' printed PDFs, as kept at issuance (services.issued_pdfs)
            files += [(k.sha256, k.size, k.blob_id) for k in issued_pdfs.kept_in(s).values() if k.blob_id]
        with hub.session() as s:
            device = s.get(Device, device_id) if device_id else None
        if device is None:
            raise InvalidInput("该档案没有登记到本县级平台（找不到其设备），无法导入")
        from sync.hub.app import _ingest

        counts: dict[str, int] = {}
        for i in range(0, len(items), protocol.MAX_BATCH_ITEMS):
            for r in _ingest(hub, device, items[i:i + protocol.MAX_BATCH_ITEMS])["results"]:
                counts[r["status"]] = counts.get(r["status"], 0) + 1
        decoded = []
        for sha, blob_id in sorted({sha: blob for sha, _size, blob in files}.items()):
            if not prof.evidence.path_of(blob_id).exists():
                continue  # a file another device recorded (its row replicated with the case)
            data = b"".join(prof.evidence.read_chunks(blob_id))
            if protocol.sha256_hex(data) == sha:
                decoded.append((sha, len(data), data))
        stored = media.store_whole(hub, device, decoded)
    finally:
        prof.close()
    return {"device_id": device.id, "events": len(items), "counts": counts, "media_files": stored,
            "profile": profile_dir.name}
