"""同步: the sync client's functions (``sync.client.worker``) with the profile first, as
:meth:`ui.ops.Ops.call_p` passes it, and the rows the 同步 page shows in Chinese.

Enrolling and syncing may change anything (pulled reference data, the roster, cases' records), so
they report ``OpChanges.everything()``; so does a requeued record for now (there is no flag for the
outbox alone)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from lishui_desk.edge import read
from lishui_desk.errors import DeskError
from lishui_desk.models import Case
from lishui_desk.storage.profile import Profile
from lishui_desk.unit_of_work import UnitOfWork
from sync.client import worker
from sync.client.worker import SyncReport
from ui.gateway import media as media_gw
from ui.gateway.cases import event_label
from ui.gateway.changes import Changed, OpChanges
from ui.gateway.uow import reading
from ui.text import tr


def _case_numbers(uow: UnitOfWork, case_ids: list[str]) -> dict[str, str]:
    if not case_ids:
        return {}
    rows = uow.session.execute(select(Case.id, Case.case_number, Case.party_name).where(Case.id.in_(case_ids)))
    return {cid: (number or (f"线索（{party}）" if party else "线索")) for cid, number, party in rows}


def overview(profile: Profile) -> dict[str, Any]:
    """Status (enrolled, last success, pending, quarantined …) and the quarantined items, each with
    its case number, the record's name and the hub's reason."""
    data = dict(worker.status(profile))
    rows = worker.quarantined(profile) if data.get("enrolled") else []
    with reading(profile) as uow:
        numbers = _case_numbers(uow, sorted({r["case_id"] for r in rows}))
    data["items"] = [{"id": r["id"], "case": numbers.get(r["case_id"], "（未知案件）"), "seq": r["seq"],
                      "what": event_label(r["event_type"]), "day": str(r["occurred_at"])[:10],
                      "reason": r.get("reason") or "", "attempts": r.get("attempts") or 0} for r in rows]
    data["reference_aside"] = worker.reference_set_aside(profile) if data.get("enrolled") else []
    data["media_cases"] = len(read(profile, media_gw.incomplete_case_ids)) if data.get("enrolled") else 0
    return data


def link_state(profile: Profile) -> dict[str, Any]:
    """Whether this profile is enrolled and not revoked (what the automatic schedule needs; two
    values, read at unlock without counting the outbox)."""
    from sync.client import state as st

    with reading(profile) as uow:
        return {"enrolled": st.enrolled(uow), "revoked": bool(st.get(uow, "revoked"))}


def sync_now(profile: Profile) -> Changed[SyncReport]:
    return Changed(worker.sync_now(profile), OpChanges.everything())


def enroll(profile: Profile, code: str) -> Changed[dict[str, Any]]:
    return Changed(worker.enroll(profile, code.strip()), OpChanges.everything())


def requeue(profile: Profile, outbox_id: str) -> Changed[None]:
    worker.requeue(profile, outbox_id)
    return Changed(None, OpChanges.everything())  # as before: the pages showing the outbox reload


# --- on the sync worker (ui.sync_runner): fn(profile, control, …) ------------------------------

AUTO_MEDIA_BYTES = 16 * 1024 * 1024  # evidence sent per automatic round; 上传证据 sends the rest
AUTO_FETCH_BYTES = 4 * 1024 * 1024  # evidence downloaded per automatic round; 下载证据 takes the rest


def sync_round(profile: Profile, control: Any, with_media: bool = False) -> Changed[SyncReport]:
    """One sync round (立即同步 or an automatic one); an automatic round then sends up to
    ``AUTO_MEDIA_BYTES`` of evidence (case text first, media after, as over the CLI) and, last and
    cheapest, downloads up to ``AUTO_FETCH_BYTES`` of small photos and PDFs other laptops recorded
    (``media_gw.cheap``; audio and video only on 下载证据)."""
    rep = worker.sync_now(profile)
    if with_media and not control.cancelled:
        try:
            media_gw.upload(profile, control, AUTO_MEDIA_BYTES)
        except DeskError as exc:  # the case text went through; evidence resumes next round
            if getattr(exc, "code", "") != "cancelled":
                rep.media_error = exc.message
        except OSError as exc:  # reading an evidence file of this laptop
            rep.media_error = tr("读取本机证据文件出错（{0}）").format(exc.strerror or type(exc).__name__)
    if with_media and not control.cancelled:
        try:
            media_gw.download(profile, control, AUTO_FETCH_BYTES, only=media_gw.cheap)
        except (DeskError, OSError):  # lowest priority: a download resumes from its part next round
            pass
    return Changed(rep, OpChanges.everything())


def export_bundle(profile: Profile, control: Any, path: str, days: int = 30) -> dict[str, Any]:
    """导出U盘包: the pending outbox and the USB-only evidence, sealed to the hub (nothing cleared)."""
    from sync.client.bundle import export_bundle as export

    control.progress(step="export")
    return export(profile, path, ttl_days=days)


def import_bundle(profile: Profile, control: Any, path: str) -> Changed[dict[str, Any]]:
    """导入U盘包 from the county: answers clear the outbox, reference data, used numbers."""
    from sync.client.bundle import import_bundle as imp

    control.progress(step="import")
    out = imp(profile, path)
    return Changed(out, OpChanges() if out.get("already_imported") else OpChanges.everything())
