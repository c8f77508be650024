"""Push ingest: each item of a batch is accepted, a duplicate, a conflict (quarantined), held
(predecessor missing) or rejected. The record of each case is verified as it grows, as a graph
(``lishui_desk.graph``): an event is linked in only when its own hash recomputes, its ``prev_hash``
is an event the hub holds and its sequence number is that event's plus one. Building on a head
extends it; building on an earlier event is a branch (two devices wrote the case offline): it is
kept, fed to the township's devices and answered ``accepted``, and the case is flagged ``fork``
until a resolution (``case.fork_resolved``) naming both current heads as parents arrives. A branch
from the device that wrote the other branch too (a copied or restored desktop) stays quarantined.
Runs inside the caller's transaction; the answer is sent after COMMIT.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from lishui_desk import graph
from lishui_desk.events import GENESIS_HASH, EventRecord, canonical_json, compute_hash
from lishui_desk.graph import EV_FORK_RESOLVED, resolution_parents
from lishui_desk.models import new_id, utcnow_iso
from sync.hub import numbers
from sync.hub.models import CaseFeedItem, CaseHead, Device, HeldEvent, HubEvent, QuarantineItem, RefStream

ACCEPTED, DUPLICATE, CONFLICT, HELD, REJECTED = "accepted", "duplicate", "conflict", "held", "rejected"
_STR_FIELDS = ("id", "case_id", "type", "actor_id", "occurred_at", "recorded_at", "prev_hash", "hash")


@dataclass
class ItemResult:
    outbox_id: str
    event_id: str | None
    status: str
    reason: str | None = None
    recoverable: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {"outbox_id": self.outbox_id, "event_id": self.event_id, "status": self.status,
                "reason": self.reason, "recoverable": self.recoverable}


class BadItem(ValueError):
    pass


def take_ingest_lock(s: Session) -> None:
    """PostgreSQL: one ingest at a time (SQLite's BEGIN IMMEDIATE already serialises writers)."""
    if s.get_bind().dialect.name == "postgresql":
        s.execute(text("SELECT value FROM hub_meta WHERE key = 'ingest_lock' FOR UPDATE"))


def parse_event(raw: Any) -> EventRecord:
    if not isinstance(raw, dict):
        raise BadItem("事件不是对象")
    for key in _STR_FIELDS:
        if not isinstance(raw.get(key), str) or not raw[key]:
            raise BadItem(f"事件缺少字段 {key}")
    if not isinstance(raw.get("seq"), int) or isinstance(raw["seq"], bool) or raw["seq"] < 1:
        raise BadItem("事件序号无效")
    if not isinstance(raw.get("payload"), dict):
        raise BadItem("事件内容不是对象")
    for key in ("place", "corrects"):
        if raw.get(key) is not None and not isinstance(raw[key], str):
            raise BadItem(f"事件字段 {key} 类型错误")
    if len(raw["id"]) > 36 or len(raw["case_id"]) > 36 or len(raw["hash"]) != 64 or len(raw["prev_hash"]) != 64:
        raise BadItem("事件标识或哈希长度错误")
    if len(raw["type"]) > 64:
        raise BadItem("事件类型过长")
    return EventRecord(
        id=raw["id"], case_id=raw["case_id"], seq=raw["seq"], type=raw["type"], actor_id=raw["actor_id"],
        occurred_at=raw["occurred_at"], recorded_at=raw["recorded_at"], place=raw.get("place"),
        payload=raw["payload"], corrects=raw.get("corrects"), prev_hash=raw["prev_hash"], hash=raw["hash"],
    )


def event_body(rec: EventRecord) -> str:
    return canonical_json({**rec.hashed_fields(), "prev_hash": rec.prev_hash, "hash": rec.hash})


@dataclass
class _Known:
    """What the hub already holds for the items of one batch, loaded with a few queries up front
    and kept current while the batch is ingested (so each item costs no lookup round trips)."""

    events: dict[str, str] = field(default_factory=dict)  # id -> hash
    open_q: dict[str, QuarantineItem] = field(default_factory=dict)  # event id -> open item
    heads: dict[str, CaseHead | None] = field(default_factory=dict)
    held: dict[str, HeldEvent] = field(default_factory=dict)
    held_cases: set[str] = field(default_factory=set)
    feeds: dict[str, RefStream] = field(default_factory=dict)  # township -> locked case stream counter
    linked: dict[str, list[tuple[int, str, str]]] = field(default_factory=dict)  # case -> (seq, hash, device)

    @classmethod
    def load(cls, s: Session, ids: list[str], case_ids: list[str]) -> _Known:
        k = cls()
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            k.events.update(s.execute(select(HubEvent.id, HubEvent.hash).where(HubEvent.id.in_(chunk))).all())
            for q in s.scalars(select(QuarantineItem).where(QuarantineItem.event_id.in_(chunk),
                                                            QuarantineItem.status == "open")):
                k.open_q.setdefault(q.event_id, q)
        for i in range(0, len(case_ids), 500):
            chunk = case_ids[i:i + 500]
            k.heads.update({h.case_id: h for h in s.scalars(select(CaseHead).where(CaseHead.case_id.in_(chunk)))})
            for h in s.scalars(select(HeldEvent).where(HeldEvent.case_id.in_(chunk))):
                k.held[h.id] = h
                k.held_cases.add(h.case_id)
        for cid in case_ids:
            k.heads.setdefault(cid, None)
        return k


def _quarantine(s: Session, k: _Known, rec: EventRecord, device_id: str, code: str, reason: str) -> None:
    existing = k.open_q.get(rec.id)
    if existing is None or existing.hash != rec.hash:
        q = QuarantineItem(id=new_id(), event_id=rec.id, case_id=rec.case_id, device_id=device_id,
                           reason_code=code, reason=reason, body=event_body(rec), hash=rec.hash,
                           received_at=utcnow_iso())
        s.add(q)
        k.open_q.setdefault(rec.id, q)
    head = k.heads.get(rec.case_id)
    if head is not None:
        flags = set(json.loads(head.flags))
        if code in ("conflict", "fork", "number_reused") and code not in flags:
            flags.add(code)
            head.flags = json.dumps(sorted(flags))


def head_list(head: CaseHead | None) -> list[tuple[int, str]]:
    """Every current head of the case at the hub: (seq, hash), by seq."""
    if head is None:
        return []
    return list(_parse_heads(head.heads or "[]")) or [(head.count, head.head_hash)]


@lru_cache(maxsize=4096)
def _parse_heads(text: str) -> tuple[tuple[int, str], ...]:
    return tuple(sorted((int(a), str(b)) for a, b in json.loads(text)))


def _set_flag(head: CaseHead, flag: str, on: bool) -> None:
    flags = set(json.loads(head.flags))
    if (flag in flags) != on:
        flags.symmetric_difference_update({flag})
        head.flags = json.dumps(sorted(flags))


def _link(s: Session, k: _Known, rec: EventRecord, head: CaseHead | None, device: Device,
          received_at: str, retire: tuple[str, ...] = ()) -> CaseHead:
    """Keep ``rec`` and feed it to the township's devices; the heads it builds on (``retire``:
    its parent when that was a head, both parents of a resolution) stop being heads."""
    s.add(HubEvent(id=rec.id, case_id=rec.case_id, seq=rec.seq, type=rec.type, prev_hash=rec.prev_hash,
                   hash=rec.hash, body=event_body(rec), device_id=device.id, received_at=received_at))
    k.events[rec.id] = rec.hash
    k.linked.setdefault(rec.case_id, []).append((rec.seq, rec.hash, device.id))
    feed = _feed_counter(s, k, head.township_code if head is not None else device.township_code)
    feed.last_cursor += 1
    s.add(CaseFeedItem(township_code=feed.stream.partition(":")[2], cursor=feed.last_cursor, event_id=rec.id))
    now = utcnow_iso()
    number = rec.payload.get("case_number") if isinstance(rec.payload.get("case_number"), str) else None
    if head is None:
        head = CaseHead(case_id=rec.case_id, township_code=device.township_code, count=rec.seq,
                        head_hash=rec.hash, case_number=number, last_type=rec.type, flags="[]",
                        heads=json.dumps([[rec.seq, rec.hash]]), first_received_at=now, updated_at=now)
        s.add(head)
        k.heads[rec.case_id] = head
        return head
    heads = [h for h in head_list(head) if h[1] not in retire] + [(rec.seq, rec.hash)]
    if len(heads) > 1:
        heads = _live_heads(s, rec.case_id, heads)
    head.heads = json.dumps(sorted([list(h) for h in heads]))
    if rec.seq >= head.count:
        head.count, head.head_hash = rec.seq, rec.hash
    head.last_type, head.updated_at = rec.type, now
    if number:
        head.case_number = number
    if len(heads) > 1:
        _set_flag(head, "fork", True)
    elif "fork" in head.flags and not s.scalar(select(QuarantineItem.id).where(QuarantineItem.case_id == rec.case_id,
                                                      QuarantineItem.reason_code == "fork",
                                                      QuarantineItem.status == "open").limit(1)):
        _set_flag(head, "fork", False)  # resolved, and no fork of a copied desktop waiting for review
    if len(heads) == 1 and RESOLUTIONS_DIFFER in head.flags:
        _set_flag(head, RESOLUTIONS_DIFFER, False)
    return head


def _live_heads(s: Session, case_id: str, heads: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """The heads that count (``graph.live_tips``): a branch holding only copies of county opinions
    that are on another head's line too (two laptops recorded one opinion at two places) is kept
    and fed, but is no head, so it neither flags the case nor waits for a resolution. Only for a
    case with two heads or more (rare): it reads the case's events."""
    s.flush()
    events = [parse_event(json.loads(b)) for b in s.scalars(select(HubEvent.body).where(HubEvent.case_id == case_id))]
    live = {ev.hash for ev in graph.live_tips(events)}
    return [h for h in heads if h[1] in live] or heads


def feed_stream(township_code: str) -> str:
    return f"cases:{township_code}"


def _feed_counter(s: Session, k: _Known, township_code: str) -> RefStream:
    """The township case stream's counter row, locked for the rest of the transaction (as a
    reference stream's: ``sync.hub.refs``), so its cursors become visible in commit order."""
    row = k.feeds.get(township_code)
    if row is None:
        stmt = select(RefStream).where(RefStream.stream == feed_stream(township_code))
        if s.get_bind().dialect.name == "postgresql":
            stmt = stmt.with_for_update()
        row = s.scalars(stmt).first()
        if row is None:
            row = RefStream(stream=feed_stream(township_code), last_cursor=0)
            s.add(row)
            s.flush()
        k.feeds[township_code] = row
    return row


def _drain_held(s: Session, k: _Known, head: CaseHead, device: Device) -> None:
    """Link in held events whose predecessor has now arrived (through the same checks as a push)."""
    while head.case_id in k.held_cases:
        ready = []
        for h in _held_of(k, head.case_id):
            parent = _parent_seq(s, k, head, str(json.loads(h.body).get("prev_hash", "")))
            if parent is not None:
                ready.append((h, parent))
        if not ready:
            return
        nxt, parent = min(ready, key=lambda hp: (hp[0].seq, hp[0].hash))
        rec = parse_event(json.loads(nxt.body))
        del k.held[nxt.id]
        if not _held_of(k, head.case_id):
            k.held_cases.discard(head.case_id)
        s.delete(nxt)
        s.flush()
        if rec.seq != parent + 1:
            _quarantine(s, k, rec, nxt.device_id, "conflict", "事件序号与其前一事件不衔接（记录格式错误），已隔离待复核")
            continue
        sender = s.get(Device, nxt.device_id) or device
        if _place(s, k, rec, head, sender, nxt.received_at) is not None:
            return  # quarantined: what builds on it stays held
        head = k.heads[head.case_id] or head


def _held_of(k: _Known, case_id: str) -> list[HeldEvent]:
    return [h for h in k.held.values() if h.case_id == case_id]


def _parent_seq(s: Session, k: _Known, head: CaseHead | None, prev_hash: str) -> int | None:
    """The seq of the case's event with this hash (0 for the start), or None when not held."""
    if prev_hash == GENESIS_HASH:
        return 0
    if head is None:
        return None
    for seq, h in head_list(head):
        if h == prev_hash:
            return seq
    return s.scalar(select(HubEvent.seq).where(HubEvent.case_id == head.case_id, HubEvent.hash == prev_hash))


RESOLUTIONS_DIFFER = "resolutions_differ"  # two resolutions of one fork adopted different branches
FORK_COPY_REASON = ("与平台已接收的记录链不衔接（同一案件出现分叉，且两条分支来自同一设备：复制或从备份恢复的电脑），"
                    "已隔离待复核")


def _place(s: Session, k: _Known, rec: EventRecord, head: CaseHead | None, device: Device,
           received_at: str) -> tuple[str, str] | None:
    """Link ``rec`` into the case's graph (its parent is held): an extension of a head, a branch
    (a fork: flagged, kept, fed like any event) or a resolution naming both heads. Returns
    (status, reason) when it is quarantined instead."""
    heads = head_list(head)
    tips = {h for _seq, h in heads}
    if rec.prev_hash == GENESIS_HASH and head is not None:
        _quarantine(s, k, rec, device.id, "fork", "与平台已接收的记录链不衔接（同一案件有两个起点），已隔离待复核")
        return CONFLICT, "与平台已接收的记录链不衔接，已隔离待复核"
    retire: tuple[str, ...] = (rec.prev_hash,) if rec.prev_hash in tips else ()
    if rec.type == EV_FORK_RESOLVED:
        parents = resolution_parents(rec)
        if len(parents) == 2 and not set(parents) <= tips and _resolved_already(s, rec, parents):
            # the same fork resolved on another laptop at the same time: kept and fed; the same
            # adoption makes it a superseded copy (no head), a different one forks the case again
            return _link_concurrent(s, k, rec, head, device, received_at)
        if len(parents) == 2 and not set(parents) <= tips:
            parents = _counted_as(s, rec.case_id, parents)  # a parent that is a superseded copy
        if len(parents) != 2 or not set(parents) <= tips:
            why = "分叉处理记录所指的两条分支不是平台上该案件当前的两个分支末端（已有其他处理或分支已变化），已隔离待复核"
            _quarantine(s, k, rec, device.id, "stale_resolution", why)
            return CONFLICT, why
        retire = tuple(parents)
    elif not retire and head is not None:
        siblings = set(s.scalars(select(HubEvent.device_id).where(HubEvent.case_id == rec.case_id,
                                                                  HubEvent.prev_hash == rec.prev_hash)))
        if device.id in siblings:
            _quarantine(s, k, rec, device.id, "fork", FORK_COPY_REASON)
            return CONFLICT, "与平台已接收的记录链不衔接，已隔离待复核"
    reused = numbers.reused(s, rec, device)
    if reused:
        _quarantine(s, k, rec, device.id, "number_reused", reused)
        return CONFLICT, reused
    _link(s, k, rec, head, device, received_at, retire)
    numbers.register(s, rec, device)
    return None


def _counted_as(s: Session, case_id: str, parents: list[str]) -> list[str]:
    s.flush()
    events = [parse_event(json.loads(b)) for b in s.scalars(select(HubEvent.body).where(HubEvent.case_id == case_id))]
    counted = graph.counted_as(events, parents)
    return counted if len(set(counted)) == 2 and "" not in counted else parents


def _resolved_already(s: Session, rec: EventRecord, parents: list[str]) -> bool:
    """Both parents are held and a linked resolution of the case names the same two."""
    held = set(s.scalars(select(HubEvent.hash).where(HubEvent.case_id == rec.case_id, HubEvent.hash.in_(parents))))
    if held != set(parents):
        return False
    bodies = s.scalars(select(HubEvent.body).where(HubEvent.case_id == rec.case_id, HubEvent.type == EV_FORK_RESOLVED))
    return graph.same_fork_resolved((parse_event(json.loads(b)) for b in bodies), rec)


def _link_concurrent(s: Session, k: _Known, rec: EventRecord, head: CaseHead | None, device: Device,
                     received_at: str) -> tuple[str, str] | None:
    reused = numbers.reused(s, rec, device)
    if reused:
        _quarantine(s, k, rec, device.id, "number_reused", reused)
        return CONFLICT, reused
    head = _link(s, k, rec, head, device, received_at)
    _set_flag(head, RESOLUTIONS_DIFFER, len(head_list(head)) > 1)
    return None


def _parse_item(item: Any) -> tuple[str, EventRecord | None, ItemResult | None]:
    outbox_id = item.get("outbox_id") if isinstance(item, dict) else None
    if not isinstance(outbox_id, str) or not outbox_id or len(outbox_id) > 64:
        return "", None, ItemResult(str(outbox_id)[:64], None, REJECTED, "条目缺少发件箱标识", False)
    if item.get("kind") != "case_event":
        return outbox_id, None, ItemResult(outbox_id, None, REJECTED, "不支持的条目种类", False)
    try:
        rec = parse_event(item.get("event"))
    except BadItem as exc:
        return outbox_id, None, ItemResult(outbox_id, None, REJECTED, f"事件格式不符：{exc}", False)
    if compute_hash(rec.prev_hash, rec) != rec.hash:
        return outbox_id, None, ItemResult(outbox_id, rec.id, REJECTED,
                                           "事件内容与其哈希不符（传输中被改动或记录被篡改）", False)
    return outbox_id, rec, None


CONFLICT_REASON = "同一事件标识已收到不同内容，已隔离待复核"


def ingest_one(s: Session, device: Device, k: _Known, outbox_id: str, rec: EventRecord) -> ItemResult:
    known = k.events.get(rec.id)
    if known is not None:
        if known == rec.hash:
            return ItemResult(outbox_id, rec.id, DUPLICATE)
        _quarantine(s, k, rec, device.id, "conflict", "同一事件标识已收到不同内容，未覆盖，待县级复核")
        return ItemResult(outbox_id, rec.id, CONFLICT, CONFLICT_REASON)
    open_q = k.open_q.get(rec.id)
    if open_q is not None:
        if open_q.hash != rec.hash:
            _quarantine(s, k, rec, device.id, "conflict", "同一事件标识已收到不同内容，未覆盖，待县级复核")
        return ItemResult(outbox_id, rec.id, CONFLICT, open_q.reason)

    head = k.heads.get(rec.case_id)
    if head is not None and head.township_code != device.township_code:
        return ItemResult(outbox_id, rec.id, REJECTED, "该案件属于其他乡镇，本设备不能提交", False)
    count = head.count if head else 0

    held = k.held.get(rec.id)
    if held is not None and held.hash != rec.hash:
        _quarantine(s, k, rec, device.id, "conflict", "同一事件标识已收到不同内容，未覆盖，待县级复核")
        return ItemResult(outbox_id, rec.id, CONFLICT, CONFLICT_REASON)
    parent = _parent_seq(s, k, head, rec.prev_hash)
    if parent is None or rec.seq > count + 1:
        if held is None:
            h = HeldEvent(id=rec.id, case_id=rec.case_id, seq=rec.seq, hash=rec.hash, body=event_body(rec),
                          device_id=device.id, received_at=utcnow_iso())
            s.add(h)
            k.held[rec.id] = h
            k.held_cases.add(rec.case_id)
        return ItemResult(outbox_id, rec.id, HELD, f"等待前序事件（平台已有 {count} 条）", True)
    if held is not None:  # its predecessors arrived meanwhile through another path
        del k.held[rec.id]
        s.delete(held)
        s.flush()
    if rec.seq != parent + 1:
        return ItemResult(outbox_id, rec.id, REJECTED, "事件序号与其前一事件不衔接（记录格式错误）", False)
    refused = _place(s, k, rec, head, device, utcnow_iso())
    if refused is not None:
        return ItemResult(outbox_id, rec.id, refused[0], refused[1])
    head = k.heads[rec.case_id]
    assert head is not None
    _drain_held(s, k, head, device)
    return ItemResult(outbox_id, rec.id, ACCEPTED)


def ingest_batch(s: Session, device: Device, items: list[Any]) -> tuple[list[ItemResult], list[dict[str, Any]]]:
    take_ingest_lock(s)
    parsed = [_parse_item(item) for item in items]
    recs = [rec for _, rec, _ in parsed if rec is not None]
    k = _Known.load(s, [r.id for r in recs], sorted({r.case_id for r in recs}))
    results = [bad if bad is not None else ingest_one(s, device, k, oid, rec)  # type: ignore[arg-type]
               for oid, rec, bad in parsed]
    s.flush()
    # per case, the highest event of this batch the hub now holds (accepted or already held): an
    # event the sender holds itself, whatever other devices added (a fork's other branch, a
    # resolution it has not pulled yet), so its receipt anchors only its own record
    held_now = {r.event_id for r in results if r.status in (ACCEPTED, DUPLICATE)}
    top: dict[str, tuple[int, str]] = {}
    mine = [(rec.case_id, rec.seq, rec.hash) for rec in recs if rec.id in held_now]
    mine += [(cid, seq, h) for cid, evs in k.linked.items() for seq, h, dev in evs if dev == device.id]
    for cid, seq, h in mine:  # held events of this device linked in by this batch count too
        if cid not in top or seq > top[cid][0]:
            top[cid] = (seq, h)
    heads = []
    for cid in sorted(top):
        head = k.heads.get(cid)
        if head is not None and head.township_code == device.township_code:
            heads.append({"case_id": cid, "count": top[cid][0], "hash": top[cid][1]})
    return results, heads


def quarantine_revoked(s: Session, device: Device, items: list[Any]) -> int:
    """A revoked device's push is kept for county review, never dropped and never linked in."""
    n = 0
    recs = []
    for item in items:
        try:
            recs.append(parse_event(item.get("event") if isinstance(item, dict) else None))
        except BadItem:
            continue
    k = _Known.load(s, [r.id for r in recs], sorted({r.case_id for r in recs}))
    for rec in recs:
        if rec.id in k.events:
            continue
        _quarantine(s, k, rec, device.id, "revoked", "设备已停用后提交，待县级复核")
        n += 1
    return n


def reprocess(s: Session, quarantine_id: str | None = None) -> list[tuple[str, str]]:
    """Try open quarantined items again against the current chains: (id, new status)."""
    take_ingest_lock(s)
    stmt = select(QuarantineItem).where(QuarantineItem.status == "open").order_by(QuarantineItem.received_at)
    if quarantine_id:
        stmt = stmt.where(QuarantineItem.id == quarantine_id)
    out: list[tuple[str, str]] = []
    for q in list(s.scalars(stmt)):
        device = s.get(Device, q.device_id)
        # a revoked device's pushes are linked in only when the county names the item it reviewed
        if device is None or (device.revoked_at is not None and quarantine_id is None):
            out.append((q.id, "open"))
            continue
        q.status = "reprocessing"
        s.flush()
        rec = parse_event(json.loads(q.body))
        k = _Known.load(s, [rec.id], [rec.case_id])
        res = ingest_one(s, device, k, q.id, rec)
        if res.status in (ACCEPTED, DUPLICATE, HELD):
            q.status, q.resolved_at = "resolved", utcnow_iso()
        else:
            q.status = "open"
            dup = s.scalars(select(QuarantineItem).where(QuarantineItem.event_id == q.event_id,
                                                         QuarantineItem.hash == q.hash,
                                                         QuarantineItem.status == "open",
                                                         QuarantineItem.id != q.id)).all()
            for d in dup:  # ingest_one re-quarantined it: keep only the original row
                s.delete(d)
        s.flush()
        out.append((q.id, res.status))
    return out
