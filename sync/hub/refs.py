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
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lishui_desk.errors import InvalidInput
from lishui_desk.models import utcnow_iso
from sync import protocol
from sync.hub.models import CaseHead, Device, HubEvent, RefItem, RefStream
from sync.hub.service import Hub
from sync.hub_labels import STREAM_NAMES as _NAMES

STREAMS = ("catalog", "definitions", "policy", "calendar", "roster", "number_blocks", "review", "tasks")
STREAM_NAMES = _NAMES


BUNDLED_VERSION = 1


@dataclass(frozen=True)
class Publication:
    """One item to publish: ``key`` names what is versioned within the stream (a township's
    catalog, a document type, a calendar year, a certificate number…); ``version`` defaults to the
    next one for that key."""

    key: str
    body: Any
    version: int | None = None
    effective_from: date | None = None
    township_code: str | None = None  # None: every township


def _lock_stream(s: Session, stream: str) -> RefStream:
    stmt = select(RefStream).where(RefStream.stream == stream)
    if s.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    row = s.scalars(stmt).first()
    if row is None:  # made at init; a hub created before a new stream was added gets it here
        row = RefStream(stream=stream, last_cursor=0)
        s.add(row)
        s.flush()
    return row


def ensure_streams(hub: Hub) -> None:
    with hub.session() as s:
        for name in STREAMS:
            if s.get(RefStream, name) is None:
                s.add(RefStream(stream=name, last_cursor=0))


def publish(hub: Hub, stream: str, items: list[Publication] | Callable[[Session], list[Publication]], *,
            min_client_version: str = "0.1.0") -> list[dict[str, Any]]:
    """Sign and store the items in one transaction under the stream's lock; versions only move
    forward. ``items`` may be a function of the locked session (a number block placed after every
    block reserved before it)."""
    if stream not in STREAMS:
        raise InvalidInput(f"未知的参考数据流：{stream}")
    if not items:
        raise InvalidInput("没有要发布的条目")
    out = []
    with hub.session() as s:
        row = _lock_stream(s, stream)
        if callable(items):
            items = items(s)
        for pub in items:
            held = s.scalar(select(func.max(RefItem.version)).where(RefItem.stream == stream,
                                                                    RefItem.key == pub.key)) or 0
            # version 1 of every key is what the desktop program ships (bundled data): county
            # publications start at 2 unless a version is given
            version = (held + 1 if held else BUNDLED_VERSION + 1) if pub.version is None else pub.version
            if version <= held:
                raise InvalidInput(f"{STREAM_NAMES[stream]}“{pub.key}”第 {version} 版不高于已发布的第 {held} 版："
                                   "版本只能递增，未发布")
            envelope = {"stream": stream, "key": pub.key, "version": version, "township_code": pub.township_code,
                        "effective_from": pub.effective_from.isoformat() if pub.effective_from else None,
                        "min_client_version": min_client_version, "published_at": utcnow_iso(), "body": pub.body,
                        "body_signature": protocol.b64(hub.sign(protocol.body_string(protocol.canonical(pub.body))))}
            body = protocol.canonical(envelope)
            sig = protocol.b64(hub.sign(protocol.reference_string(body)))
            row.last_cursor += 1
            s.add(RefItem(stream=stream, cursor=row.last_cursor, key=pub.key, version=version,
                          township_code=pub.township_code, body=body.decode("utf-8"), signature=sig,
                          published_at=envelope["published_at"]))
            s.flush()
            out.append({"stream": stream, "key": pub.key, "version": version, "cursor": row.last_cursor})
    return out


def pull(hub: Hub, device: Device, stream: str, after: int, limit: int) -> dict[str, Any]:
    with hub.session() as s:
        rows = s.scalars(
            select(RefItem).where(RefItem.stream == stream, RefItem.cursor > after)
            .order_by(RefItem.cursor).limit(limit + 1)
        ).all()
        more = len(rows) > limit
        rows = rows[:limit]
        head = s.scalar(select(RefStream.last_cursor).where(RefStream.stream == stream)) or 0
        items = [{"cursor": r.cursor, "body": r.body, "signature": r.signature} for r in rows
                 if r.township_code in (None, device.township_code) and _for_device(r, device)]
        nxt = rows[-1].cursor if rows else after
    return {"stream": stream, "items": items, "next": nxt, "more": more, "head": head, "hub_epoch": hub.epoch()}


CASES = "cases"  # the township's case stream (``sync.hub.ingest`` feeds it)


def pull_cases(hub: Hub, device: Device, after: int, limit: int, own: bool = False) -> dict[str, Any]:
    """The events of the device's township's cases after a cursor, in cursor (= commit) order,
    other devices' only — or, with ``own`` (a device restored from a backup asking for what it
    recorded after the backup), its own too, each marked ``own``. Each item is the event exactly as
    its device hashed it; the answer is signed by the hub."""
    from sync.hub.models import CaseFeedItem

    with hub.session() as s:
        rows = s.execute(
            select(CaseFeedItem.cursor, HubEvent.body, HubEvent.device_id).join(HubEvent, HubEvent.id == CaseFeedItem.event_id)
            .where(CaseFeedItem.township_code == device.township_code, CaseFeedItem.cursor > after)
            .order_by(CaseFeedItem.cursor).limit(limit + 1)
        ).all()
        more = len(rows) > limit
        rows = rows[:limit]
        head = s.scalar(select(RefStream.last_cursor).where(
            RefStream.stream == f"cases:{device.township_code}")) or 0
    # a device's own events are not sent back down a thin link (the cursor still moves past them)
    items = [{"cursor": c, "event": json.loads(body), **({"own": True} if dev == device.id else {})}
             for c, body, dev in rows if own or dev != device.id]
    nxt = rows[-1][0] if rows else after
    return {"stream": CASES, "items": items, "next": nxt, "more": more, "head": head, "hub_epoch": hub.epoch()}


def _for_device(row: RefItem, device: Device) -> bool:
    """A number block (and a task given to one laptop) is for one device (``body.device_id``): its
    colleagues in the same township never receive it, so two laptops never print the same 文号."""
    if row.stream not in ("number_blocks", "tasks"):
        return True
    owner = json.loads(row.body).get("body", {}).get("device_id")
    return owner in (None, device.id)


def device_state(hub: Hub, device: Device) -> dict[str, Any]:
    with hub.session() as s:
        acked = s.scalar(select(func.count()).select_from(HubEvent).where(HubEvent.device_id == device.id)) or 0
        # per case, the last position this device wrote: a restored laptop sees what it lost
        own = dict(s.execute(select(HubEvent.case_id, func.max(HubEvent.seq)).where(HubEvent.device_id == device.id)
                             .group_by(HubEvent.case_id)).all())
        heads = [{"case_id": h.case_id, "count": h.count, "hash": h.head_hash,
                  **({"own_seq": own[h.case_id]} if h.case_id in own else {})}
                 for h in s.scalars(select(CaseHead).where(CaseHead.township_code == device.township_code))]
        streams = {k: v for k, v in s.execute(select(RefStream.stream, RefStream.last_cursor)).all()
                   if not k.startswith("cases:")}
        streams[CASES] = s.scalar(select(RefStream.last_cursor).where(
            RefStream.stream == f"cases:{device.township_code}")) or 0
    from sync.hub import numbers

    # the streams' heads let a device skip the pull of a stream with nothing new (a round trip each);
    # the township's used numbers confirm numbering on a restored laptop (sync.hub.numbers)
    return {"device_id": device.id, "hub_epoch": hub.epoch(), "acked_events": acked, "heads": heads,
            "streams": streams, "numbers_used": numbers.used_in_township(hub, device.township_code)}


def parse_item(body: str) -> dict[str, Any]:
    return json.loads(body)


REVIEW_RESULTS = ("同意", "不同意")


def record_review(hub: Hub, case: str, result: str, opinion: str, reviewer: str) -> dict[str, Any]:
    """A county 法制审核 opinion (《行政处罚法》第五十八条) for a received case, published on the
    ``review`` stream of the case's township; the desktop records it as a county-side event."""
    from sqlalchemy import or_

    if result not in REVIEW_RESULTS:
        raise InvalidInput("审核结论只能是“同意”或“不同意”")
    if not opinion.strip():
        raise InvalidInput("审核意见不能为空（行政处罚法第五十八条）")
    with hub.session() as s:
        heads = s.scalars(select(CaseHead).where(or_(CaseHead.case_id.startswith(case),
                                                     CaseHead.case_number == case))).all()
        if len(heads) != 1:
            raise InvalidInput(f"平台上{'没有' if not heads else '有多件'}与“{case}”对应的案件")
        head = heads[0]
    content = {"case_id": head.case_id, "case_number": head.case_number, "result": result,
               "opinion": opinion.strip(), "reviewer": reviewer, "recorded_at": utcnow_iso()}
    out = publish(hub, "review", [Publication(key=head.case_id, body=content, township_code=head.township_code)])[0]
    return {**out, "case_id": head.case_id, "case_number": head.case_number}
