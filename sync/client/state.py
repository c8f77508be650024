"""Sync state of a profile, kept in its encrypted database (``profile_meta`` rows ``sync.*``): the
device's Ed25519 private key, the pinned hub key, the hub URL, the clock offset, the anchors.
Every function works inside the caller's unit of work."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from lishui_desk.errors import DeskError
from lishui_desk.models import ProfileMeta
from lishui_desk.unit_of_work import UnitOfWork
from sync import protocol

PREFIX = "sync."


class NotEnrolled(DeskError):
    code = "not_enrolled"


@dataclass
class SyncState:
    device_id: str
    hub_url: str
    hub_public_key: bytes
    device_key: Ed25519PrivateKey = field(repr=False)
    township_code: str = ""
    clock_offset_s: int = 0
    hub_epoch: str = ""


def get(uow: UnitOfWork, key: str, default: str | None = None) -> str | None:
    row = uow.session.get(ProfileMeta, PREFIX + key)
    return row.value if row is not None else default


def get_json(uow: UnitOfWork, key: str, default: Any = None) -> Any:
    raw = get(uow, key)
    return default if raw is None or raw == "" else json.loads(raw)


def put(uow: UnitOfWork, **values: Any) -> None:
    uow.require_write()
    for key, value in values.items():
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)
        uow.session.merge(ProfileMeta(key=PREFIX + key, value=text))
        uow.profile._meta_cache[PREFIX + key] = text  # keep the profile's meta cache current


def enrolled(uow: UnitOfWork) -> bool:
    return bool(get(uow, "device_id"))


def load(uow: UnitOfWork) -> SyncState:
    if not enrolled(uow):
        raise NotEnrolled("本档案尚未登记到县级平台：请先在“同步”页用县局给出的登记码登记",
                          cli_text="本档案尚未登记到县级平台：请先运行 lishui-desk sync enroll 登记码")
    return SyncState(
        device_id=get(uow, "device_id") or "",
        hub_url=get(uow, "hub_url") or "",
        hub_public_key=bytes.fromhex(get(uow, "hub_public_key") or ""),
        device_key=Ed25519PrivateKey.from_private_bytes(bytes.fromhex(get(uow, "device_key") or "")),
        township_code=get(uow, "township_code") or "",
        clock_offset_s=int(get(uow, "clock_offset_s") or 0),
        hub_epoch=get(uow, "hub_epoch") or "",
    )


def save_enrollment(uow: UnitOfWork, st: SyncState) -> None:
    put(uow, device_id=st.device_id, hub_url=st.hub_url, hub_public_key=st.hub_public_key.hex(),
        device_key=protocol.private_raw(st.device_key).hex(), township_code=st.township_code,
        clock_offset_s=str(st.clock_offset_s), hub_epoch=st.hub_epoch, revoked="", last_error="")
