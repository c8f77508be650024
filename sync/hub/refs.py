"""Reference streams the county publishes (catalog, definitions, policy, calendar, roster, number
blocks, review opinions, tasks) and the device's state check.

Each stream has one counter row. A publisher locks it (``SELECT … FOR UPDATE`` on PostgreSQL,
``BEGIN IMMEDIATE`` on SQLite), takes the next cursor and version, inserts the item and commits
while still holding the lock, so cursors become visible in commit order: a reader that has seen
cursor n can never later miss a cursor below n that committed late. Versions only move forward.

An item's ``body`` is canonical JSON and is signed byte for byte by the hub key.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lishui_desk.errors import InvalidInput
from lishui_desk.models import utcnow_iso
from sync import protocol
from sync.hub.models import CaseHead, Device, HubEvent, RefItem, RefStream
from sync.hub.service import Hub

STREAMS = ("catalog", "definitions", "policy", "calendar", "roster", "blocks", "review", "tasks")
STREAM_NAMES = {"catalog": "赋权事项目录", "definitions": "执法文书定义", "policy": "本地政策参数",
                "calendar": "节假日与调休安排", "roster": "执法人员名册", "blocks": "文书编号段",
                "review": "法制审核意见", "tasks": "交办任务"}


def _lock_stream(s: Session, stream: str) -> RefStream:
    stmt = select(RefStream).where(RefStream.stream == stream)
    if s.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    row = s.scalars(stmt).first()
    if row is None:  # first publish on SQLite (serialised by BEGIN IMMEDIATE); PG rows made at init
        row = RefStream(stream=stream, last_cursor=0, last_version=0)
        s.add(row)
        s.flush()
    return row


def ensure_streams(hub: Hub) -> None:
    with hub.session() as s:
        for name in STREAMS:
            if s.get(RefStream, name) is None:
                s.add(RefStream(stream=name, last_cursor=0, last_version=0))


def publish(hub: Hub, stream: str, content: Any, *, township_code: str | None = None,
            effective_from: date | None = None, min_client_version: str = "0.1.0",
            version: int | None = None) -> dict[str, Any]:
    if stream not in STREAMS:
        raise InvalidInput(f"未知的参考数据流：{stream}")
    with hub.session() as s:
        row = _lock_stream(s, stream)
        if version is None:
            version = row.last_version + 1
        elif version <= row.last_version:
            raise InvalidInput(
                f"{STREAM_NAMES[stream]}版本 {version} 不高于已发布的版本 {row.last_version}：版本只能递增"
            )
        item = {"stream": stream, "version": version, "township_code": township_code,
                "effective_from": effective_from.isoformat() if effective_from else None,
                "min_client_version": min_client_version, "published_at": utcnow_iso(), "content": content}
        body = protocol.canonical(item)
        sig = protocol.b64(hub.sign(protocol.reference_string(body)))
        row.last_cursor += 1
        row.last_version = version
        s.add(RefItem(stream=stream, cursor=row.last_cursor, version=version, township_code=township_code,
                      body=body.decode("utf-8"), signature=sig, published_at=item["published_at"]))
        return {"stream": stream, "cursor": row.last_cursor, "version": version}


def pull(hub: Hub, device: Device, stream: str, after: int, limit: int) -> dict[str, Any]:
    with hub.session() as s:
        rows = s.scalars(
            select(RefItem).where(RefItem.stream == stream, RefItem.cursor > after)
            .order_by(RefItem.cursor).limit(limit + 1)
        ).all()
        more = len(rows) > limit
        rows = rows[:limit]
        items = [{"cursor": r.cursor, "body": r.body, "signature": r.signature} for r in rows
                 if r.township_code in (None, device.township_code)]
        nxt = rows[-1].cursor if rows else after
    return {"stream": stream, "items": items, "next": nxt, "more": more, "hub_epoch": hub.epoch()}


def device_state(hub: Hub, device: Device) -> dict[str, Any]:
    with hub.session() as s:
        acked = s.scalar(select(func.count()).select_from(HubEvent).where(HubEvent.device_id == device.id)) or 0
        heads = [{"case_id": h.case_id, "count": h.count, "hash": h.head_hash}
                 for h in s.scalars(select(CaseHead).where(CaseHead.township_code == device.township_code))]
    return {"device_id": device.id, "hub_epoch": hub.epoch(), "acked_events": acked, "heads": heads}


def parse_item(body: str) -> dict[str, Any]:
    return json.loads(body)
