"""The hub's registry of final 文号 per township (issue: a restored or cloned laptop).

Every accepted event that assigns a final number (``case.filed`` → ``case_number``,
``document.issued`` → ``number``) registers it; an event that assigns a number already registered
for another event is refused — quarantined for county review, its case flagged — never linked in.
Provisional numbers (``临`` prefix) are never printed and not registered. The numbers registered
for a township travel back to its devices (state check and return bundle), which is how a restored
desktop learns which numbers were already used.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from lishui_desk.events import EventRecord
from lishui_desk.models import utcnow_iso
from sync.hub.models import Device, HubNumber

NUMBER_RE = re.compile(r"^(?P<prefix>.+?)〔(?P<year>\d{4})〕第?(?P<seq>\d+)号$")
NUMBER_FIELDS = {"case.filed": "case_number", "document.issued": "number"}


def parse(number: str) -> tuple[str, int, int] | None:
    m = NUMBER_RE.match(number.strip())
    if m is None or number.startswith("临"):
        return None
    return m["prefix"], int(m["year"]), int(m["seq"])


def numbers_of(rec: EventRecord) -> list[str]:
    key = NUMBER_FIELDS.get(rec.type)
    value = rec.payload.get(key) if key else None
    return [value] if isinstance(value, str) and parse(value) else []


def reused(s: Session, rec: EventRecord, device: Device) -> str | None:
    """Why the event may not be linked in (a number used twice), or None."""
    for number in numbers_of(rec):
        held = s.get(HubNumber, (device.township_code, number))
        if held is not None and held.event_id != rec.id:
            return (f"文号“{number}”已被另一案件记录使用过（同一文号不能用两次；"
                    "可能来自从备份恢复或复制的电脑），已隔离待县级复核")
    return None


def register(s: Session, rec: EventRecord, device: Device) -> None:
    for number in numbers_of(rec):
        prefix, year, seq = parse(number)  # type: ignore[misc]
        if s.get(HubNumber, (device.township_code, number)) is None:
            s.add(HubNumber(township_code=device.township_code, number=number, prefix=prefix, year=year, seq=seq,
                            event_id=rec.id, case_id=rec.case_id, device_id=device.id, received_at=utcnow_iso()))
            s.flush()


def used_in_township(hub: Any, township_code: str) -> list[dict[str, Any]]:
    """The township's final numbers as runs per (prefix, year): ``{"prefix", "year", "ranges":
    [[first, last], …]}`` — numbers are mostly consecutive, so this stays small on a thin link."""
    with hub.session() as s:
        rows = s.execute(select(HubNumber.prefix, HubNumber.year, HubNumber.seq)
                         .where(HubNumber.township_code == township_code)
                         .order_by(HubNumber.prefix, HubNumber.year, HubNumber.seq)).all()
    out: list[dict[str, Any]] = []
    for prefix, year, seq in rows:
        if not out or (out[-1]["prefix"], out[-1]["year"]) != (prefix, year):
            out.append({"prefix": prefix, "year": year, "ranges": [[seq, seq]]})
        elif seq <= out[-1]["ranges"][-1][1] + 1:
            out[-1]["ranges"][-1][1] = max(seq, out[-1]["ranges"][-1][1])
        else:
            out[-1]["ranges"].append([seq, seq])
    return out
