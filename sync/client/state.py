"""Sync state of a profile, kept in its encrypted database (``profile_meta`` rows ``sync.*``):
the device's Ed25519 private key, the pinned hub key, the hub URL, the clock offset, cursors."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from lishui_desk.errors import DeskError
from lishui_desk.storage.profile import Profile
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


def get(profile: Profile, key: str, default: str | None = None) -> str | None:
    return profile.meta(PREFIX + key, default)


def put(profile: Profile, **values: Any) -> None:
    for key, value in values.items():
        profile.set_meta(PREFIX + key, value if isinstance(value, str) else json.dumps(value, ensure_ascii=False))


def get_json(profile: Profile, key: str, default: Any = None) -> Any:
    raw = get(profile, key)
    return default if raw is None else json.loads(raw)


def enrolled(profile: Profile) -> bool:
    return bool(get(profile, "device_id"))


def load(profile: Profile) -> SyncState:
    if not enrolled(profile):
        raise NotEnrolled("本档案尚未登记到县级平台：请先运行 lishui-desk sync enroll 登记码")
    return SyncState(
        device_id=get(profile, "device_id") or "",
        hub_url=get(profile, "hub_url") or "",
        hub_public_key=bytes.fromhex(get(profile, "hub_public_key") or ""),
        device_key=Ed25519PrivateKey.from_private_bytes(bytes.fromhex(get(profile, "device_key") or "")),
        township_code=get(profile, "township_code") or "",
        clock_offset_s=int(get(profile, "clock_offset_s") or 0),
        hub_epoch=get(profile, "hub_epoch") or "",
    )


def save_enrollment(profile: Profile, st: SyncState) -> None:
    put(profile, device_id=st.device_id, hub_url=st.hub_url, hub_public_key=st.hub_public_key.hex(),
        device_key=protocol.private_raw(st.device_key).hex(), township_code=st.township_code,
        clock_offset_s=str(st.clock_offset_s), hub_epoch=st.hub_epoch, revoked="")
