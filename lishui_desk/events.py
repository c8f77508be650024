"""Whole-process record (全过程记录): append-only, hash-chained case events.

An event is never edited or deleted; a correction is a new event whose ``corrects`` names the
event it corrects. Each event's ``hash`` is SHA-256 over the previous event's hash and a canonical
JSON encoding of the event's fields, so a changed byte anywhere breaks the chain from there on.
This module is pure (no database); ``lishui_desk.storage.event_store`` persists records.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

GENESIS_HASH = "0" * 64


def _default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"cannot encode {type(value).__name__} in a case event")


def canonical_json(value: Any) -> str:
    """Deterministic JSON: sorted keys, no spaces, UTF-8 kept, dates as ISO, Decimal as string."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_default)


def normalise_payload(payload: dict[str, Any]) -> dict[str, Any]:
    """The payload as it will read back from storage (dates/decimals become strings)."""
    return json.loads(canonical_json(payload))


@dataclass(frozen=True)
class EventRecord:
    """One stored event of a case. ``payload`` holds JSON values only (see normalise_payload)."""

    id: str  # UUID4 string
    case_id: str  # UUID4 string
    seq: int  # 1, 2, 3 … per case, no gaps
    type: str  # e.g. "lead.registered"; the procedure module owns the vocabulary
    actor_id: str  # officer id (or "county:<name>" for county-side events)
    occurred_at: str  # ISO-8601 with offset, when the act happened
    recorded_at: str  # ISO-8601 with offset, when the device recorded it
    place: str | None
    payload: dict[str, Any] = field(default_factory=dict)
    corrects: str | None = None  # id of the event this one corrects
    prev_hash: str = GENESIS_HASH
    hash: str = ""

    def hashed_fields(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "case_id": self.case_id,
            "seq": self.seq,
            "type": self.type,
            "actor_id": self.actor_id,
            "occurred_at": self.occurred_at,
            "recorded_at": self.recorded_at,
            "place": self.place,
            "payload": self.payload,
            "corrects": self.corrects,
        }


def compute_hash(prev_hash: str, record: EventRecord) -> str:
    body = canonical_json(record.hashed_fields()).encode("utf-8")
    return hashlib.sha256(prev_hash.encode("ascii") + b"\n" + body).hexdigest()


@dataclass(frozen=True)
class ChainBreak:
    case_id: str
    seq: int
    event_id: str
    reason: str  # Chinese, for the user


def verify_chain(events: list[EventRecord]) -> list[ChainBreak]:
    """Check sequence numbers and hashes of one case's events (ordered by seq) over the record's
    graph: a fork's two branches and its resolution are a valid record (``lishui_desk.graph``)."""
    from lishui_desk.graph import verify

    return verify(events)
