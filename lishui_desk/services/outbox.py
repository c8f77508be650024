"""The sync outbox seen from the push side: what is pending, and acknowledging what the hub took.

Each call runs in the caller's unit of work, so "mark these pushed entries acknowledged" is one
transaction: either every entry the hub confirmed is marked, or none is.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update

from lishui_desk.errors import InvalidInput
from lishui_desk.models import OutboxEntry, utcnow_iso
from lishui_desk.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class OutboxItem:
    id: str
    kind: str
    ref_id: str
    payload: str  # canonical JSON, as written with the change
    attempts: int
    created_at: str


def pending(uow: UnitOfWork, limit: int = 500) -> list[OutboxItem]:
    """Pending entries in push order (oldest first)."""
    rows = uow.session.scalars(select(OutboxEntry).where(OutboxEntry.state == "pending")
                               .order_by(OutboxEntry.created_at, OutboxEntry.id).limit(limit))
    return [OutboxItem(r.id, r.kind, r.ref_id, r.payload, r.attempts, r.created_at) for r in rows]


def acknowledge(uow: UnitOfWork, entry_ids: list[str]) -> int:
    """Mark pushed entries acknowledged; refuses (and marks nothing) if any id is not pending."""
    uow.require_write()
    ids = list(dict.fromkeys(entry_ids))
    if not ids:
        return 0
    found = set(uow.session.scalars(select(OutboxEntry.id).where(OutboxEntry.id.in_(ids),
                                                                 OutboxEntry.state == "pending")))
    missing = [i for i in ids if i not in found]
    if missing:
        raise InvalidInput(f"县级平台确认的 {len(missing)} 条待同步记录在本机不是待同步状态，本批确认未记入")
    uow.session.execute(update(OutboxEntry).where(OutboxEntry.id.in_(ids))
                        .values(state="acked", acked_at=utcnow_iso()))
    return len(ids)


def quarantine(uow: UnitOfWork, entry_id: str, error: str) -> None:
    """Set an entry aside after the hub refused it (kept, never deleted: it is part of the record)."""
    uow.require_write()
    row = uow.session.get(OutboxEntry, entry_id)
    if row is None:
        raise InvalidInput("找不到该待同步记录")
    row.state, row.last_error, row.attempts = "quarantined", error[:2000], row.attempts + 1
