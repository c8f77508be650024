"""Pull of the county's streams, one page per unit of work (``sync.client.worker`` opens them).

Every item is verified against the pinned hub key over its exact bytes before anything is
applied. Reference streams then go through the core's one way in
(``services.reference.apply_batch``, source ``hub``, which also checks each body's own hub
signature and refuses an older version) together with the stream's cursor. Review opinions become
a county-side event of their case through the core's one appender (``record.append``). An item
this client cannot apply (``min_client_version`` above this program, content it refuses, a case it
does not hold) is set aside with its reason and the stream goes on.

Cursors are ``"<hub epoch>/<n>"``: after the hub's epoch changes, every stream is pulled again from
the start (versions already held are recognised as unchanged).
"""

from __future__ import annotations

import json
import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from lishui_desk import record
from lishui_desk.errors import DeskError, InvalidInput
from lishui_desk.events import GENESIS_HASH, EventRecord, canonical_json
from lishui_desk.models import Case, CaseEvent, OutboxEntry, new_id, utcnow_iso
from lishui_desk.procedure import vocabulary as V
from lishui_desk.services import reference
from lishui_desk.storage.event_store import NewEvent
from lishui_desk.timeutil import CST
from lishui_desk.unit_of_work import UnitOfWork
from sync import protocol
from sync.client import state as st
from sync.client.transport import CLIENT_VERSION, SyncError

REFERENCE_STREAMS = tuple(reference.STREAMS)
CASES = "cases"  # the township's case events, recorded on its other devices
PULLED_STREAMS = (*REFERENCE_STREAMS, CASES, "review", "tasks")
PAGE = 200
_OWN_CURSOR = ("review", "tasks", CASES)  # cursors kept in sync.* meta, not the core's reference cursors
RESULT_MAP = {"同意": V.REVIEW_APPROVED, "不同意": V.REVIEW_PROBLEMS}


def _version(text: str) -> tuple[int, ...]:
    try:
        return tuple(int(p) for p in str(text).split("."))
    except ValueError:
        return (999,)  # unreadable: treat as newer than this program


def verified_envelope(hub_key: bytes, raw: Any, stream: str) -> dict[str, Any]:
    body, sig = (raw.get("body"), raw.get("signature")) if isinstance(raw, dict) else (None, None)
    if not isinstance(body, str) or not isinstance(sig, str):
        raise SyncError("参考数据条目格式错误，本页未采用", code="bad_reference")
    try:
        ok = protocol.verify(hub_key, protocol.unb64(sig), protocol.reference_string(body.encode("utf-8")))
    except ValueError:
        ok = False
    if not ok:
        raise SyncError("参考数据签名无效（不是县级平台发布的内容），本页未采用", code="bad_reference_signature")
    env = json.loads(body)
    if not isinstance(env, dict) or env.get("stream") != stream:
        raise SyncError("参考数据条目与所请求的数据流不符，本页未采用", code="bad_reference")
    return env


def cursor_after(uow: UnitOfWork, stream: str, epoch: str) -> int:
    held = (st.get(uow, f"{stream}_cursor") if stream in _OWN_CURSOR
            else reference.stream_cursor(uow, stream))
    if not held or "/" not in held:
        return 0
    held_epoch, _, n = held.partition("/")
    return int(n) if held_epoch == epoch and n.isdigit() else 0


def _set_aside(uow: UnitOfWork, env: dict[str, Any], reason: str) -> None:
    items = st.get_json(uow, "ref_quarantine", []) or []
    key = (env.get("stream"), env.get("key"), env.get("version"), reason)
    if all((i["stream"], i["key"], i["version"], i["reason"]) != key for i in items):
        items.append({"stream": env.get("stream"), "key": env.get("key"), "version": env.get("version"),
                      "reason": reason, "at": utcnow_iso()})
        st.put(uow, ref_quarantine=items)


def _verifier(hub_key: bytes):
    def verify(body: bytes, signature: str) -> bool:
        try:
            return protocol.verify(hub_key, protocol.unb64(signature), protocol.body_string(body))
        except ValueError:
            return False

    return verify


def _ref_item(env: dict[str, Any]) -> reference.RefItem:
    eff = env.get("effective_from")
    return reference.RefItem(key=str(env.get("key")), version=env.get("version"),  # type: ignore[arg-type]
                             effective_from=date.fromisoformat(eff) if isinstance(eff, str) else None,
                             body=env.get("body"), signature=env.get("body_signature"))  # type: ignore[arg-type]


def _event(raw: Any) -> EventRecord:
    if not isinstance(raw, dict) or not isinstance(raw.get("event"), dict):
        raise SyncError("案件记录条目格式错误，本页未采用", code="bad_case_event")
    e = raw["event"]
    try:
        return EventRecord(id=str(e["id"]), case_id=str(e["case_id"]), seq=int(e["seq"]), type=str(e["type"]),
                           actor_id=str(e["actor_id"]), occurred_at=str(e["occurred_at"]),
                           recorded_at=str(e["recorded_at"]), place=e.get("place"), payload=dict(e["payload"]),
                           corrects=e.get("corrects"), prev_hash=str(e["prev_hash"]), hash=str(e["hash"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise SyncError("案件记录条目缺少字段，本页未采用", code="bad_case_event") from exc


def _apply_cases(uow: UnitOfWork, page: dict[str, Any], cursor: str) -> tuple[int, int]:
    """Events of the township's cases recorded on its other devices, through the core's second way
    into the record (``record.import_remote``: hash and chain checked, sealed, projected, not pushed
    again), with the stream's cursor in the same unit of work."""
    items = page.get("items", [])
    got = record.import_remote(uow, [_event(raw) for raw in items])
    own = {raw["event"]["id"] for raw in items if isinstance(raw, dict) and raw.get("own") is True}
    if own:
        _own_back(uow, [ev for ev in got.written if ev.id in own])
    aside = st.get_json(uow, "case_set_aside", []) or []
    seen = {(a["event_id"], a["reason"]) for a in aside}
    for ev, why in got.set_aside:
        if (ev.id, why) not in seen:
            aside.append({"event_id": ev.id, "case_id": ev.case_id, "seq": ev.seq, "reason": why, "at": utcnow_iso()})
    if got.set_aside:
        st.put(uow, case_set_aside=aside)
    st.put(uow, cases_cursor=cursor)
    return len(got.written), len(got.set_aside)


def _own_back(uow: UnitOfWork, events: list[EventRecord]) -> None:
    """This device's own events pulled back after a restore: acknowledged outbox entries again (the
    hub holds them), so the state check counts them as recorded here and they are not pushed."""
    now = utcnow_iso()
    for ev in events:
        uow.session.add(OutboxEntry(id=new_id(), kind="case_event", ref_id=ev.id, state="acked", attempts=0,
                                    payload=canonical_json({**ev.hashed_fields(), "prev_hash": ev.prev_hash,
                                                            "hash": ev.hash}),
                                    created_at=now, acked_at=now))
    uow.session.flush()
    st.put(uow, own_restored=int(st.get_json(uow, "own_restored", 0) or 0) + len(events))


def apply_page(uow: UnitOfWork, stream: str, page: dict[str, Any], hub_key: bytes, epoch: str) -> tuple[int, int]:
    """Apply one page (already verified item by item) with its cursor; returns (applied, set aside)."""
    if stream == CASES:
        nxt = page.get("next")
        if not isinstance(nxt, int):
            raise SyncError("县级平台应答缺少游标", code="bad_reference")
        return _apply_cases(uow, page, f"{epoch}/{nxt}")
    envs = [verified_envelope(hub_key, raw, stream) for raw in page.get("items", [])]
    nxt = page.get("next")
    if not isinstance(nxt, int):
        raise SyncError("县级平台应答缺少游标", code="bad_reference")
    cursor = f"{epoch}/{nxt}"
    ready, aside = [], 0
    for env in envs:
        if _version(env.get("min_client_version", "0")) > _version(CLIENT_VERSION):
            _set_aside(uow, env, f"需要桌面端 {env.get('min_client_version')} 或更高版本，请更新软件")
            aside += 1
        else:
            ready.append(env)
    if stream in _OWN_CURSOR:  # county items that become events of the record, not reference data
        from sync.client.tasks import apply_task

        handler = _apply_review if stream == "review" else apply_task
        applied = 0
        for env in ready:
            reason = handler(uow, env)
            if reason:
                _set_aside(uow, env, reason)
                aside += 1
            else:
                applied += 1
        st.put(uow, **{f"{stream}_cursor": cursor})
        return applied, aside
    verify = _verifier(hub_key)
    items = [_ref_item(e) for e in ready]
    try:
        res = reference.apply_batch(uow, stream, items, cursor, source="hub", verify=verify)
        return res.applied, aside
    except InvalidInput:
        pass  # one item spoils the batch: apply them one by one, set the refused ones aside
    applied = 0
    for env, item in zip(ready, items, strict=True):
        try:
            applied += reference.apply_batch(uow, stream, [item], None, source="hub", verify=verify).applied
        except InvalidInput as exc:
            _set_aside(uow, env, exc.message)
            aside += 1
    reference.apply_batch(uow, stream, [], cursor, source="hub")
    return applied, aside


def review_event_id(case_id: str, hub_ref: str, parent: str) -> str:
    """The county opinion's event id, derived from the opinion's id and the event it follows: two
    laptops whose records end at the same head write the same event; two whose records had
    diverged write two copies with two ids (each accepted at the hub; ``graph.live_tips`` makes
    the copy that stands alone on its branch no head, and the case state counts it once)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"lishui-hub:review:{case_id}:{hub_ref}:{parent}"))


def _apply_review(uow: UnitOfWork, env: dict[str, Any]) -> str | None:
    """A county 法制审核 opinion becomes the case's county-side event; returns why not, if not."""
    body = env.get("body")
    if not isinstance(body, dict) or body.get("result") not in RESULT_MAP or not isinstance(body.get("case_id"), str):
        return "法制审核意见内容不完整"
    case_id = body["case_id"]
    case = uow.session.get(Case, case_id)
    if case is None:
        return "本机没有该案件，法制审核意见未记入"
    ref = f"{env.get('key')}/{env.get('version')}"
    event_id = review_event_id(case_id, ref, case.head_hash or GENESIS_HASH)
    if uow.session.get(CaseEvent, event_id) is not None:
        return None  # already recorded here, or by the case's other laptop and replicated
    held = uow.session.scalars(select(CaseEvent.payload).where(CaseEvent.case_id == case_id,
                                                               CaseEvent.type == V.EV_COUNTY_REVIEW_OPINION))
    if any(json.loads(p).get("hub_ref") == ref for p in held):
        return None  # already recorded (a re-pull after a new hub epoch)
    try:
        at = datetime.fromisoformat(str(body.get("recorded_at"))).astimezone(CST)
    except ValueError:
        return "法制审核意见的日期无效"
    on = at.date()
    reviewer = str(body.get("reviewer") or "县级法制审核")
    payload = {"result": RESULT_MAP[body["result"]], "county_result": body["result"],
               "reasons": str(body.get("opinion") or ""), "reviewed_on": on.isoformat(), "reviewer": reviewer,
               "hub_ref": ref}
    try:
        # the same id, times and content on every laptop of the case: recorded on two laptops, it is
        # one event (the hub answers the second push "duplicate", the case stream's copy is known)
        record.append(uow, case_id, [NewEvent(V.EV_COUNTY_REVIEW_OPINION, payload, occurred_at=at, id=event_id,
                                              recorded_at=at)], actor_id=f"county:{reviewer}")
    except DeskError as exc:
        return exc.message
    return None
