"""Cases: the list (SQL-side filter and paging), one case's view, its steps and its evidence."""

from __future__ import annotations

from datetime import date
from typing import Any

from lishui_desk.errors import NotFound
from lishui_desk.events import EventRecord
from lishui_desk.models import EvidenceItem
from lishui_desk.procedure.actions import ACTIONS, EVENT_ACTION
from lishui_desk.procedure.types import ActionSpec, Violation
from lishui_desk.procedure.vocabulary import COUNTY_EVENT_LABELS, FORK_EVENT_LABELS
from lishui_desk.services import cases, queries
from lishui_desk.storage.profile import Profile
from lishui_desk.unit_of_work import UnitOfWork
from ui.gateway.changes import Changed, OpChanges
from ui.gateway.media import incomplete_among, incomplete_case_ids
from ui.gateway.uow import reading, writing

# (id, case_number, party_name, item_name, stage_label, next_deadline, deadline_label, officers)
CaseTuple = tuple[str, str | None, str | None, str | None, str, date | None, str | None, str]


def domains(profile: Profile) -> list[str]:
    with reading(profile) as uow:
        return list(queries.domains(uow))


def _case_filter(uow: UnitOfWork, flt: dict[str, Any]) -> queries.CaseFilter:
    """The list's filter; ``media_incomplete`` (only cases with evidence the county lacks) is
    turned into the set of those cases here, at the edge, as the core knows nothing of sync."""
    flt = dict(flt)
    if flt.pop("media_incomplete", False):
        flt["case_ids"] = frozenset(incomplete_case_ids(uow))
    return queries.CaseFilter(**flt)


def count_cases(profile: Profile, flt: dict[str, Any]) -> int:
    with reading(profile) as uow:
        return int(queries.count_cases(uow, _case_filter(uow, flt)))


def list_cases(profile: Profile, flt: dict[str, Any], offset: int, limit: int,
               order_by: str | None = None) -> list[CaseTuple]:
    kwargs = {"order_by": order_by} if order_by else {}
    with reading(profile) as uow:
        rows = queries.list_cases(uow, _case_filter(uow, flt), offset, limit, **kwargs)
    return [case_row_tuple(r) for r in rows]


def list_cases_with_media(profile: Profile, flt: dict[str, Any], offset: int, limit: int) -> list[tuple[Any, ...]]:
    """A page of the 案件 list, each row followed by whether the case is 媒体不完整 and whether its
    record is forked (two devices wrote it offline: blocked until the fork is resolved)."""
    with reading(profile) as uow:
        rows = queries.list_cases(uow, _case_filter(uow, flt), offset, limit)
        missing = incomplete_among(uow, [r.id for r in rows])
    return [(*case_row_tuple(r), r.id in missing, r.forked) for r in rows]


def case_row_tuple(r: queries.CaseRow) -> CaseTuple:
    return (r.id, r.case_number, r.party_name, r.item_name, r.stage_label, r.next_deadline,
            r.next_deadline_label, r.officer_names)


def view(profile: Profile, case_id: str) -> cases.CaseView:
    with reading(profile) as uow:
        return cases.view(uow, case_id)


def perform(profile: Profile, case_id: str | None, action: str, payload: dict[str, Any],
            place: str | None = None) -> Changed[str | list[EventRecord]]:
    """One procedure step (``register_lead`` creates the case and returns its id)."""
    result: str | list[EventRecord]
    with writing(profile) as uow:
        if action == "register_lead" or case_id is None:
            result = case_id = cases.register_lead(uow, payload)
        else:
            result = cases.perform(uow, case_id, action, payload, place=place)
    return Changed(result, OpChanges.for_cases([case_id]))


def check(profile: Profile, case_id: str, action: str, payload: dict[str, Any]) -> list[Violation]:
    with reading(profile) as uow:
        return list(cases.check(uow, case_id, action, payload))


def add_evidence(profile: Profile, case_id: str, path: str, kind: str, description: str) -> Changed[str]:
    with writing(profile) as uow:
        evidence_id = cases.add_evidence_file(uow, case_id, path, kind, description)
    return Changed(evidence_id, OpChanges.for_cases([case_id]))


def export_evidence(profile: Profile, evidence_id: str, dest: str) -> str:
    with reading(profile) as uow:
        row = uow.session.get(EvidenceItem, evidence_id)
        if row is not None and row.blob_id and not profile.evidence.path_of(row.blob_id).exists():
            raise NotFound("该证据文件由本乡镇的另一台设备记录，在县级平台（未下载）："
                           "请先在“同步”页的证据上传中点“下载证据”，再导出")
        cases.export_evidence(uow, evidence_id, dest)
    return dest


def evidence_bytes(profile: Profile, blob_id: str, limit: int = 8 * 1024 * 1024) -> bytes:
    """The decrypted bytes of a small evidence file (for thumbnails); verified chunk by chunk.
    Empty for a file this laptop does not hold (在县级平台（未下载）: no thumbnail, no error)."""
    if not profile.evidence.path_of(blob_id).exists():
        return b""
    out = bytearray()
    for chunk in profile.evidence.read_chunks(blob_id):
        out += chunk
        if len(out) > limit:
            return b""
    return bytes(out)


def verify_evidence(profile: Profile, rows: list[tuple[str, str, str]]) -> dict[str, bool]:
    """evidence id -> whether the stored file still matches its recorded SHA-256."""
    return {ev_id: bool(profile.evidence.verify(blob_id, sha)) for ev_id, blob_id, sha in rows
            if blob_id and sha and profile.evidence.path_of(blob_id).exists()}  # not held here: 未下载


def actions() -> dict[str, ActionSpec]:
    return ACTIONS


def event_label(event_type: str) -> str:
    key = EVENT_ACTION.get(event_type)
    if key:
        return ACTIONS[key].label_zh
    return COUNTY_EVENT_LABELS.get(event_type) or FORK_EVENT_LABELS.get(event_type, event_type)
