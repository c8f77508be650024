"""Pull of the county's reference streams: each item verified against the pinned hub key over its
exact bytes, then applied with its cursor in one transaction. Streams without a handler on this
client are not pulled (their cursor stays where it is)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from lishui_desk.models import ProfileMeta
from lishui_desk.storage.profile import Profile
from sync import protocol
from sync.client import state as st
from sync.client.transport import SyncError, Transport

Handler = Callable[[Profile, Session, dict[str, Any]], None]
HANDLERS: dict[str, Handler] = {}
PAGE = 200


def verified_item(hub_key: bytes, raw: dict[str, Any]) -> dict[str, Any]:
    body, sig = raw.get("body"), raw.get("signature")
    if not isinstance(body, str) or not isinstance(sig, str):
        raise SyncError("参考数据条目格式错误", code="bad_reference")
    try:
        ok = protocol.verify(hub_key, protocol.unb64(sig), protocol.reference_string(body.encode("utf-8")))
    except ValueError:
        ok = False
    if not ok:
        raise SyncError("参考数据签名无效（不是县级平台发布的内容），已拒绝", code="bad_reference_signature")
    return json.loads(body)


def pull_all(profile: Profile, t: Transport, report: Any) -> None:
    hub_key = st.load(profile).hub_public_key
    for stream, handler in HANDLERS.items():
        cursors = st.get_json(profile, "cursors", {}) or {}
        after = int(cursors.get(stream, 0))
        n = 0
        while True:
            page = t.call("/v1/pull", {"stream": stream, "after": after, "limit": PAGE}, compress=True)
            items = [verified_item(hub_key, raw) for raw in page.get("items", [])]
            nxt = int(page.get("next", after))
            with profile.session() as s:
                for item in items:
                    handler(profile, s, item)
                cursors[stream] = nxt
                s.merge(ProfileMeta(key=st.PREFIX + "cursors", value=json.dumps(cursors, sort_keys=True)))
            profile._meta_cache[st.PREFIX + "cursors"] = json.dumps(cursors, sort_keys=True)
            n += len(items)
            after = nxt
            if not page.get("more"):
                break
        report.pulled[stream] = n
