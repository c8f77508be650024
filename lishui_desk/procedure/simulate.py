"""An in-memory case log: apply actions through the engine and keep hash-chained EventRecords.

Used by tests, the benchmark and the CLI demo; the real store is ``storage.event_store``.
"""

from __future__ import annotations

import uuid
from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from lishui_desk.events import GENESIS_HASH, EventRecord, compute_hash
from lishui_desk.procedure import engine
from lishui_desk.procedure.state import CaseState, fold
from lishui_desk.procedure.types import EngineContext, EventDraft

_TZ = ZoneInfo("Asia/Shanghai")


def make_record(case_id: str, seq: int, prev_hash: str, draft: EventDraft, actor_id: str, when: datetime) -> EventRecord:
    stamp = when.isoformat()
    rec = EventRecord(
        id=str(uuid.uuid4()),
        case_id=case_id,
        seq=seq,
        type=draft.type,
        actor_id=actor_id,
        occurred_at=stamp,
        recorded_at=stamp,
        place=None,
        payload=draft.payload,
        corrects=draft.corrects,
        prev_hash=prev_hash,
    )
    return EventRecord(**{**rec.__dict__, "hash": compute_hash(prev_hash, rec)})


class CaseLog:
    """One case's events plus the engine context; ``do`` applies an action or raises RuleViolation."""

    def __init__(self, ctx: EngineContext, case_id: str | None = None) -> None:
        self.ctx = ctx
        self.case_id = case_id or str(uuid.uuid4())
        self.events: list[EventRecord] = []
        self._state: CaseState | None = None

    @property
    def state(self) -> CaseState:
        if self._state is None:
            self._state = fold(self.events)
        return self._state

    def do(self, action: str, payload: dict[str, Any], actor_id: str = "system") -> list[EventRecord]:
        drafts = engine.apply(self.state, action, payload, self.ctx, actor_id)
        when = datetime.combine(self.ctx.today, time(9, 0), _TZ)
        added = []
        for d in drafts:
            prev = self.events[-1].hash if self.events else GENESIS_HASH
            rec = make_record(self.case_id, len(self.events) + 1, prev, d, actor_id, when)
            self.events.append(rec)
            added.append(rec)
        self._state = None
        return added

    def at(self, day: Any) -> CaseLog:
        """Move the log's clock (``ctx.today``) to ``day``; returns self for chaining."""
        from dataclasses import replace

        self.ctx = replace(self.ctx, today=day)
        return self


class DictCatalog:
    """CatalogLookup over in-memory items: {township: [(effective_from, effective_to|None, item)]}."""

    def __init__(self, entries: dict[str, list[tuple[Any, Any, Any]]]) -> None:
        self._entries = entries

    @classmethod
    def from_seeds(cls, seeds: list[Any]) -> DictCatalog:
        """From ``catalog_data.CatalogSeed`` objects (one version per township)."""
        entries: dict[str, list[tuple[Any, Any, Any]]] = {}
        for seed in seeds:
            entries.setdefault(seed.township_code, []).extend((seed.effective_from, None, i) for i in seed.items)
        return cls(entries)

    def item_on(self, township_code: str, item_code: str, on_date: Any) -> Any:
        for start, end, item in self._entries.get(township_code, ()):
            if item.code != item_code or on_date < start or (end is not None and on_date > end):
                continue
            active = getattr(item, "is_active_on", None)
            if active(on_date) if callable(active) else getattr(item, "status", "active") == "active":
                return item
        return None


class DictOfficers:
    """OfficerLookup over a dict of OfficerInfo."""

    def __init__(self, officers: list[Any]) -> None:
        self._by_id = {o.id: o for o in officers}

    def get(self, officer_id: str) -> Any:
        return self._by_id.get(officer_id)
