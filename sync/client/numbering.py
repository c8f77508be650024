"""The desktop side of the numbering guard (``lishui_desk.services.number_guard``): when a sync or
a return bundle brings the county's list of final numbers used in this township, move the number
blocks past them and (re-)establish the guard, which lifts a hold after a restore or a copy.

Only a hub that sends the list (``numbers_used``) confirms anything: an answer without it leaves a
hold in place.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import select

from lishui_desk.models import NumberBlock, Township
from lishui_desk.services import number_guard
from lishui_desk.unit_of_work import UnitOfWork


def confirm(uow: UnitOfWork, numbers_used: list[Any]) -> bool:
    """Apply the county's used numbers (runs per prefix and year, see ``sync.hub.numbers``);
    returns True when a numbering hold was lifted."""
    town = uow.session.get(Township, uow.township_code)
    agency = town.agency_code if town is not None else ""
    used: dict[tuple[str, int], list[tuple[int, int]]] = defaultdict(list)
    for n in numbers_used:
        if not isinstance(n, dict) or not isinstance(n.get("prefix"), str) or not isinstance(n.get("year"), int):
            continue
        runs = [(int(a), int(b)) for a, b in (r for r in n.get("ranges") or [] if isinstance(r, list) and len(r) == 2)
                if isinstance(a, int) and isinstance(b, int) and 0 < a <= b]
        if agency and n["prefix"].startswith(agency) and runs:
            used[(n["prefix"][len(agency):], n["year"])].extend(runs)
    known = {(b.doc_code, b.year) for b in uow.session.scalars(
        select(NumberBlock).where(NumberBlock.township_code == uow.township_code))}
    for (doc_code, year), runs in sorted(used.items()):
        if doc_code or (doc_code, year) in known:
            number_guard.raise_floor(uow, uow.township_code, doc_code, year, runs)
    return number_guard.establish(uow)


def status(uow: UnitOfWork) -> dict[str, Any]:
    return number_guard.state(uow)


def field_status(uow: UnitOfWork) -> dict[str, Any]:
    """What ``sync status`` adds for the field: a numbering hold, cases with media missing."""
    from sync.client import media

    guard = number_guard.state(uow)
    cases = media.incomplete_cases(uow)
    return {"numbering_held": guard["held"], "numbering_reason": guard["reason"],
            "media_incomplete_cases": len(cases), "media_bytes_owed": sum(c["bytes"] for c in cases),
            "last_bundle_export": _meta(uow, "last_bundle_export"), "last_bundle_import": _meta(uow, "last_bundle_import")}


def _meta(uow: UnitOfWork, key: str) -> str | None:
    from sync.client import state as st

    return st.get(uow, key) or None
