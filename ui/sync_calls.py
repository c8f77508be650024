"""Worker-side calls of the 同步 page: the sync client's functions (``sync.client.worker``) with the
profile first, as :meth:`ui.ops.Ops.call_p` passes it, and the rows the page shows in Chinese."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from lishui_desk.edge import read
from lishui_desk.models import Case
from sync.client import worker


def _case_numbers(uow: Any, case_ids: list[str]) -> dict[str, str]:
    if not case_ids:
        return {}
    rows = uow.session.execute(select(Case.id, Case.case_number, Case.party_name).where(Case.id.in_(case_ids)))
    return {cid: (number or (f"线索（{party}）" if party else "线索")) for cid, number, party in rows}


def overview(profile: Any) -> dict[str, Any]:
    """Status (enrolled, last success, pending, quarantined …) and the quarantined items, each with
    its case number, the record's name and the hub's reason."""
    from ui.backend import event_label

    data = dict(worker.status(profile))
    rows = worker.quarantined(profile) if data.get("enrolled") else []
    numbers = read(profile, _case_numbers, sorted({r["case_id"] for r in rows}))
    data["items"] = [{"id": r["id"], "case": numbers.get(r["case_id"], "（未知案件）"), "seq": r["seq"],
                      "what": event_label(r["event_type"]), "day": str(r["occurred_at"])[:10],
                      "reason": r.get("reason") or "", "attempts": r.get("attempts") or 0} for r in rows]
    data["reference_aside"] = worker.reference_set_aside(profile) if data.get("enrolled") else []
    return data


def sync_now(profile: Any) -> Any:
    return worker.sync_now(profile)


def enroll(profile: Any, code: str) -> dict[str, Any]:
    return worker.enroll(profile, code.strip())


def requeue(profile: Any, outbox_id: str) -> None:
    worker.requeue(profile, outbox_id)
