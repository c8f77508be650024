"""Seals of the whole-process record: per-event HMAC, the profile head and its sealed copy.

The hash chain alone proves nothing to someone who can open the database: they can edit an event
and recompute every hash after it, delete the last events of a case, delete a whole case, or put
an older copy of ``desk.db`` back. Three things make that visible to ``check``:

1. **Event seals** (``record_seals``): HMAC-SHA256 of each event's id, case, seq and hash with the
   *record key*, derived (HKDF) from the data key. The database does not hold this key; it exists
   only in the memory of an unlocked profile.
2. **The profile head** (``record_head``, one row): a counter raised by every unit of work that
   appends, the number of events and of cases, and a multiset root — the sum modulo 2^256 of
   SHA-256(case id, seq, head hash) over all cases — updated incrementally by ``on_append`` in
   the same transaction as the events, and sealed with the record key.
3. **The anchor** ``record-head.json`` beside the keyring: the last committed head (and, between
   "about to commit" and "committed", the pending one), sealed with the record key and written
   with fsync in the commit protocol (``before_commit`` / ``after_commit`` of the profile's
   sessions). A database rolled back to an older copy, or one that lost committed transactions
   (a damaged WAL), has a counter below the anchor's; ``check`` reports it and writing is refused
   until someone decides (``lishui-desk check --reseal``).

Limits (SECURITY.md): whoever holds the data key and this program's source can recompute every
seal and the anchor; the county hub's signed receipt of each case head (sync) is the anchor such a
person cannot forge. An attacker who replaces *both* ``desk.db`` and ``record-head.json`` with
older copies is caught only by that receipt.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from lishui_desk.crypto import atomic_write_bytes, file_lock
from lishui_desk.errors import IntegrityBroken
from lishui_desk.events import EventRecord
from lishui_desk.models import CaseEvent, RecordHead, RecordSeal

ANCHOR_FORMAT = "lishui-desk-record-head"
ANCHOR_VERSION = 1
_INFO = b"lishui-desk record seal v1"
_MOD = 2**256
KEY_INFO = "lishui_record_key"
PATHS_INFO = "lishui_anchor_path"
PENDING_INFO = "lishui_head_pending"
BASE_INFO = "lishui_head_base"
RESEAL_INFO = "lishui_reseal"


@dataclass(frozen=True)
class HeadState:
    counter: int
    event_count: int
    case_count: int
    root: str

    def as_dict(self) -> dict[str, Any]:
        return {"counter": self.counter, "event_count": self.event_count, "case_count": self.case_count,
                "root": self.root}


EMPTY = HeadState(0, 0, 0, "0" * 64)


def record_key(data_key: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"lishui-desk record", info=_INFO).derive(data_key)


def _mac(key: bytes, label: str, body: str) -> str:
    return hmac.new(key, label.encode("ascii") + b"\n" + body.encode("utf-8"), hashlib.sha256).hexdigest()


def event_mac(key: bytes, event_id: str, case_id: str, seq: int, event_hash: str) -> str:
    return _mac(key, "event", f"{event_id}|{case_id}|{seq}|{event_hash}")


def head_mac(key: bytes, state: HeadState) -> str:
    return _mac(key, "head", json.dumps(state.as_dict(), sort_keys=True))


def _term(case_id: str, seq: int, head_hash: str) -> int:
    return int.from_bytes(hashlib.sha256(f"{case_id}|{seq}|{head_hash}".encode()).digest(), "big")


def _add(root: str, case_id: str, seq: int, head_hash: str, sign: int = 1) -> str:
    return f"{(int(root, 16) + sign * _term(case_id, seq, head_hash)) % _MOD:064x}"


def _state(row: RecordHead | None) -> HeadState | None:
    return None if row is None else HeadState(row.counter, row.event_count, row.case_count, row.root)


# --- the write side -----------------------------------------------------------------------------


def on_append(session: Session, case_id: str, old_seq: int, old_hash: str, records: Iterable[EventRecord], *,
              before: Sequence[tuple[int, str]] | None = None,
              after: Sequence[tuple[int, str]] | None = None) -> None:
    """The one call the appender makes after inserting ``records`` (in the same transaction):
    seal each event and move the profile head. A chain's head moves from ``(old_seq, old_hash)``
    to the last record; for a fork or its resolution the caller names the case's heads ``before``
    and ``after`` (``graph.tips``) instead. Sessions without a record key (plain-SQLite
    benchmarks) are left unsealed."""
    key = session.info.get(KEY_INFO)
    records = list(records)
    if key is None or not records:
        return
    if before is None:
        before = [(old_seq, old_hash)] if old_seq else []
    if after is None:
        after = [(records[-1].seq, records[-1].hash)]
    for rec in records:
        session.add(RecordSeal(event_id=rec.id, mac=event_mac(key, rec.id, rec.case_id, rec.seq, rec.hash)))
    row = session.get(RecordHead, 1)
    if row is None:
        raise IntegrityBroken("档案头缺失（全过程记录未完成封存），未写入；请联系技术支持检查档案",
                              cli_text="档案头缺失（全过程记录未完成封存），未写入；请运行 lishui-desk check")
    if BASE_INFO not in session.info:
        session.info[BASE_INFO] = _state(row)
    root = row.root
    for seq, head_hash in before:
        root = _add(root, case_id, seq, head_hash, -1)
    for seq, head_hash in after:
        root = _add(root, case_id, seq, head_hash)
    state = HeadState(row.counter + 1, row.event_count + len(records), row.case_count + (0 if before else 1), root)
    row.counter, row.event_count, row.case_count, row.root = (
        state.counter, state.event_count, state.case_count, state.root)
    row.mac = head_mac(key, state)
    session.info[PENDING_INFO] = state  # rows are flushed with the unit of work


def _anchor_lock(path: Path) -> Path:
    return path.with_name(".record-head.lock")


def read_anchor(path: Path, key: bytes) -> tuple[HeadState | None, HeadState | None] | None:
    """(committed, pending) from the anchor file; ``None`` when missing; ``IntegrityBroken`` when
    its seal fails."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    try:
        doc = json.loads(raw.decode("utf-8"))
        body = {k: v for k, v in doc.items() if k != "mac"}
        ok = hmac.compare_digest(doc["mac"], _mac(key, "anchor", json.dumps(body, sort_keys=True)))
        if not ok or doc.get("format") != ANCHOR_FORMAT:
            raise ValueError
        committed = HeadState(**doc["committed"]) if doc.get("committed") else None
        pending = HeadState(**doc["pending"]) if doc.get("pending") else None
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        raise IntegrityBroken(f"封存的档案头 {path.name} 校验失败（被改动、损坏或来自其他档案）") from None
    return committed, pending


def write_anchor(path: Path, key: bytes, committed: HeadState | None, pending: HeadState | None) -> None:
    body = {"format": ANCHOR_FORMAT, "version": ANCHOR_VERSION,
            "committed": committed.as_dict() if committed else None,
            "pending": pending.as_dict() if pending else None}
    doc = {**body, "mac": _mac(key, "anchor", json.dumps(body, sort_keys=True))}
    atomic_write_bytes(path, json.dumps(doc, sort_keys=True).encode("utf-8") + b"\n")


def _before_commit(session: Session) -> None:
    pending: HeadState | None = session.info.get(PENDING_INFO)
    if pending is None:
        return
    key, path = session.info[KEY_INFO], session.info[PATHS_INFO]
    base: HeadState | None = session.info.get(BASE_INFO)
    with file_lock(_anchor_lock(path)):
        if session.info.get(RESEAL_INFO):  # first seal or a decided reseal: the database is the record
            write_anchor(path, key, None, pending)
            return
        anchor = read_anchor(path, key)
        if anchor is None:
            raise IntegrityBroken(
                "封存的档案头缺失，无法确认数据库未被回退，未写入。请联系技术支持检查档案，核实后重新封存",
                cli_text=f"封存的档案头 {path.name} 缺失，无法确认数据库未被回退，未写入。"
                         "请运行 lishui-desk check，核实后用 check --reseal 重新封存")
        committed, _old_pending = anchor
        known = max((s.counter for s in anchor if s is not None), default=0)
        if base is not None and base.counter < (committed.counter if committed else 0):
            older = (f"数据库比封存的档案头旧（数据库第 {base.counter} 次写入，档案头记录到第 {known} 次）："
                     "可能被替换为旧副本，或断电/损坏丢失了已保存的数据。未写入；")
            raise IntegrityBroken(older + "请联系技术支持检查档案，并从备份恢复",
                                  cli_text=older + "请运行 lishui-desk check 并从备份恢复")
        write_anchor(path, key, committed, pending)


def _after_commit(session: Session) -> None:
    pending: HeadState | None = session.info.pop(PENDING_INFO, None)
    session.info.pop(BASE_INFO, None)
    session.info.pop(RESEAL_INFO, None)
    if pending is None:
        return
    key, path = session.info[KEY_INFO], session.info[PATHS_INFO]
    with file_lock(_anchor_lock(path)):
        try:
            anchor = read_anchor(path, key) or (None, None)
        except IntegrityBroken:
            anchor = (None, None)
        committed, other = anchor
        if committed is not None and committed.counter > pending.counter:
            return  # a later writer has finalised already
        keep = other if other is not None and other.counter > pending.counter else None
        write_anchor(path, key, pending, keep)


def _after_rollback(session: Session) -> None:
    for k in (PENDING_INFO, BASE_INFO, RESEAL_INFO):
        session.info.pop(k, None)


def session_info(data_key: bytes, anchor_path: Path) -> dict[str, Any]:
    return {KEY_INFO: record_key(data_key), PATHS_INFO: anchor_path}


def attach(factory: Any) -> None:
    """Give a profile's (writing) session factory the commit protocol of the anchor."""
    event.listen(factory, "before_commit", _before_commit)
    event.listen(factory, "after_commit", _after_commit)
    event.listen(factory, "after_soft_rollback", lambda s, _prev: _after_rollback(s))


# --- sealing existing records, resealing ---------------------------------------------------------


def recompute(session: Session) -> tuple[int, int, str]:
    """(event count, case count, root) computed from the events themselves."""
    rows = _heads(session)
    root = 0
    for case_id, seq, head_hash in rows:
        root = (root + _term(case_id, seq, head_hash)) % _MOD
    events = session.scalar(select(func.count()).select_from(CaseEvent)) or 0
    return events, len({case_id for case_id, _seq, _head in rows}), f"{root:064x}"


def _heads(session: Session) -> list[tuple[str, int, str]]:
    """(case, seq, hash) of every head of every case: the one head of a chain, each branch's head
    of a fork (``graph.tips``: nothing builds on it by ``prev_hash`` or as a resolution's parent)."""
    from lishui_desk.graph import EV_FORK_RESOLVED

    rows = session.execute(select(CaseEvent.case_id, CaseEvent.seq, CaseEvent.hash, CaseEvent.prev_hash)).all()
    built_on: dict[str, set[str]] = {}
    for case_id, _seq, _hash, prev in rows:
        built_on.setdefault(case_id, set()).add(prev)
    for case_id, payload in session.execute(select(CaseEvent.case_id, CaseEvent.payload)
                                            .where(CaseEvent.type == EV_FORK_RESOLVED)):
        parents = json.loads(payload).get("parents")
        if isinstance(parents, list):
            built_on[case_id].update(p for p in parents if isinstance(p, str))
    return [(case_id, seq, head) for case_id, seq, head, _prev in rows if head not in built_on[case_id]]


def seal_existing(session: Session) -> HeadState:
    """Seal every event without a seal and set the head from the events as they are now; the
    anchor follows in the commit protocol. Used once for a profile written before seals existed,
    and by ``check --reseal`` after a person has decided the database as it stands is the record."""
    key, anchor_path = session.info[KEY_INFO], session.info[PATHS_INFO]
    sealed = set(session.scalars(select(RecordSeal.event_id)))
    for ev_id, case_id, seq, ev_hash in session.execute(
            select(CaseEvent.id, CaseEvent.case_id, CaseEvent.seq, CaseEvent.hash)):
        if ev_id not in sealed:
            session.add(RecordSeal(event_id=ev_id, mac=event_mac(key, ev_id, case_id, seq, ev_hash)))
    session.flush()
    events, cases, root = recompute(session)
    row = session.get(RecordHead, 1)
    try:
        anchor = read_anchor(anchor_path, key)
    except IntegrityBroken:
        anchor = None
    known = max((s.counter for s in (anchor or ()) if s is not None), default=0)
    state = HeadState(max(known, row.counter if row else 0) + 1, events, cases, root)
    if row is None:
        row = RecordHead(id=1, counter=0, event_count=0, case_count=0, root=EMPTY.root, mac="")
        session.add(row)
    row.counter, row.event_count, row.case_count, row.root = (
        state.counter, state.event_count, state.case_count, state.root)
    row.mac = head_mac(key, state)
    session.info[PENDING_INFO] = state
    session.info[RESEAL_INFO] = True
    session.flush()
    return state


# the append-only triggers of record_seals (as created by migration 0008), for ``reseal_all``
SEAL_TRIGGERS = {
    "record_seals_no_update": """CREATE TRIGGER record_seals_no_update BEFORE UPDATE ON record_seals
    BEGIN SELECT RAISE(ABORT, 'record_seals is append-only'); END""",
    "record_seals_no_delete": """CREATE TRIGGER record_seals_no_delete BEFORE DELETE ON record_seals
    BEGIN SELECT RAISE(ABORT, 'record_seals is append-only'); END""",
}


def reseal_all(session: Session) -> HeadState:
    """Replace every seal with one under this session's record key (``rekey`` only, on a copy
    that was verified under the old key just before)."""
    from sqlalchemy import delete, text

    for name in SEAL_TRIGGERS:
        session.execute(text(f"DROP TRIGGER IF EXISTS {name}"))
    session.execute(delete(RecordSeal))
    for sql in SEAL_TRIGGERS.values():
        session.execute(text(sql))
    return seal_existing(session)


def needs_first_seal(session: Session) -> bool:
    return session.get(RecordHead, 1) is None
