"""The desktop side of the numbering guard (``lishui_desk.services.number_guard``): when a sync or
a return bundle brings the county's list of final numbers used in this township, move the number
blocks past them and (re-)establish the guard, which lifts a hold after a restore or a copy.

Only a hub that sends the list (``numbers_used``) confirms anything: an answer without it leaves a
hold in place.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date
from typing import Any

from sqlalchemy import select

from lishui_desk.models import Case, IssuedDocument, NumberBlock, Township
from lishui_desk.services import number_guard
from lishui_desk.services.cases import CASE_DOC_CODE
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


# --- number blocks from the hub: running low -----------------------------------------------------
def note_success(uow: UnitOfWork) -> None:
    """Remember the working day of this successful sync and the longest gap between two (days)."""
    from lishui_desk.timeutil import today_local
    from sync.client import state as st

    today = today_local()
    last = st.get(uow, "last_sync_day")
    longest = int(st.get(uow, "longest_gap_days") or 0)
    if last:
        longest = max(longest, (today - date.fromisoformat(last)).days)
    st.put(uow, last_sync_day=today.isoformat(), longest_gap_days=str(longest))


def block_status(uow: UnitOfWork) -> list[dict[str, Any]]:
    """Per document code with a county block this year: numbers left in the county's blocks, the
    use rate (final numbers taken this year per day so far), the longest gap between syncs (or the
    current one, if longer) and whether the rest may run out before the next sync is likely."""
    from lishui_desk.timeutil import today_local
    from sync.client import state as st

    today = today_local()
    last = st.get(uow, "last_sync_day")
    gap = int(st.get(uow, "longest_gap_days") or 0)
    if last:
        gap = max(gap, (today - date.fromisoformat(last)).days)
    gap = max(gap, 1)
    days = (today - date(today.year, 1, 1)).days + 1
    blocks = uow.session.scalars(select(NumberBlock).where(
        NumberBlock.township_code == uow.township_code, NumberBlock.year == today.year,
        NumberBlock.provisional.is_(False))).all()
    out = []
    for code in sorted({b.doc_code for b in blocks if b.source == "hub"}):
        mine = [b for b in blocks if b.doc_code == code]
        used = sum(b.next_seq - b.first for b in mine)
        left = sum(max(0, b.last - b.next_seq + 1) for b in mine if b.source == "hub")
        per_day = used / days
        need = per_day * gap
        out.append({"doc_code": code, "year": today.year, "remaining": left, "used_this_year": used,
                    "per_day": round(per_day, 3), "longest_gap_days": gap, "needed_until_next_sync": round(need, 1),
                    "low": left < need, "expires_on": f"{today.year}-12-31",
                    "spoiled": _spoiled(uow, code, today.year, [b for b in mine if b.source == "hub"])})
    return out


_SEQ = re.compile(r"〔(\d{4})〕第?(\d+)号$")


def _spoiled(uow: UnitOfWork, code: str, year: int, blocks: list[NumberBlock]) -> list[int]:
    """Numbers taken from the county's blocks that no final record carries (a form abandoned after
    numbering, a crash between numbering and saving): reported so the county knows the gap is not
    a lost document."""
    seen = set(uow.session.scalars(select(IssuedDocument.seq).where(
        IssuedDocument.township_code == uow.township_code, IssuedDocument.doc_code == code,
        IssuedDocument.year == year)))
    if code == CASE_DOC_CODE:
        for number in uow.session.scalars(select(Case.case_number).where(Case.case_number.is_not(None))):
            m = _SEQ.search(number or "")
            if m and number and int(m[1]) == year and not number.startswith("临"):
                seen.add(int(m[2]))
    return [n for b in blocks for n in range(b.first, b.next_seq) if n not in seen]
