"""证据上传: what the 同步 page, the case list and a case's workspace show of evidence media, and
the upload itself (on the sync worker, :mod:`ui.sync_runner`), over ``sync.client.media``.

A file recorded on another laptop of the township (its evidence row replicated, its bytes not) is
在县级平台（未下载） until 下载证据 (:func:`download`, over ``sync.client.media_fetch``) brings it.

A file is 已上传 once the hub confirmed it complete (``media.mark_done``), 仅U盘 when flagged
"USB only", x % when an upload stopped part-way (the hub's offset, remembered here after each
chunk), otherwise 等待上传. A case is 媒体不完整 while one of its files is not 已上传. The ETA uses
the rate measured over the last upload (bytes the hub acknowledged per second of upload)."""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import select

from lishui_desk.edge import read, run
from lishui_desk.models import Case, EvidenceItem, IssuedDocument
from lishui_desk.storage.profile import Profile
from lishui_desk.unit_of_work import UnitOfWork
from sync.client import media, media_fetch
from sync.client import state as st
from sync.client.lock import sync_lock
from sync.client.transport import Transport
from ui.gateway.changes import Changed, OpChanges
from ui.gateway.documents import doc_types as doc_titles
from ui.gateway.uow import reading, writing

WAITING, PARTIAL, USB, DONE = "waiting", "partial", "usb", "done"
NOT_HERE_TEXT = "在县级平台（未下载）"


def _partial(uow: UnitOfWork) -> dict[str, int]:
    got = st.get_json(uow, "media_partial", {}) or {}
    return {k: int(v) for k, v in got.items() if isinstance(v, int)}


def _state_of(f: media.MediaFile, partial: dict[str, int]) -> tuple[str, int]:
    if f.usb_only:
        return USB, 0
    off = partial.get(f.sha256, 0)
    return (PARTIAL, off) if off else (WAITING, 0)


def state_text(state: str, offset: int = 0, size: int = 0) -> str:
    if state == DONE:
        return "已上传"
    if state == USB:
        return "仅U盘"
    if state == PARTIAL and size:
        return f"已上传 {min(99, offset * 100 // size)}%"
    return "等待上传"


def _queue(uow: UnitOfWork) -> dict[str, Any]:
    owed = media.files(uow)
    partial = _partial(uow)
    ev_ids = [e for f in owed for e in f.evidence_ids]
    names: dict[str, tuple[str, str, str | None]] = {}
    if ev_ids:
        for eid, case_id, desc, orig in uow.session.execute(
                select(EvidenceItem.id, EvidenceItem.case_id, EvidenceItem.description, EvidenceItem.original_name)
                .where(EvidenceItem.id.in_(ev_ids))):
            names[eid] = (case_id, desc, orig)
    case_ids = {c for f in owed for c in f.case_ids}
    numbers = {cid: (num or (f"线索（{party}）" if party else "线索")) for cid, num, party in uow.session.execute(
        select(Case.id, Case.case_number, Case.party_name).where(Case.id.in_(case_ids)))} if case_ids else {}
    doc_ids = [d for f in owed for d in f.document_ids]
    if doc_ids:  # an issued document's printed PDF: named by its title and 文号
        titles = dict(doc_titles())
        for did, case_id, doc_type, number in uow.session.execute(
                select(IssuedDocument.id, IssuedDocument.case_id, IssuedDocument.doc_type, IssuedDocument.number)
                .where(IssuedDocument.id.in_(doc_ids))):
            title = titles.get(doc_type, "")
            names[did] = (case_id, " ".join(x for x in (f"《{title}》" if title else "", number or "") if x), None)
    rows: list[dict[str, Any]] = []
    for f in owed:
        state, off = _state_of(f, partial)
        key = (f.evidence_ids or f.document_ids or ("",))[0]  # the id 仅U盘 flags (evidence or document)
        first = names.get(key, ("", "", None))
        rows.append({"sha256": f.sha256, "evidence_id": key, "kind": media.RANK_LABEL[f.rank],
                     "name": first[2] or first[1] or "（未命名）", "case": "、".join(numbers.get(c, "") for c in f.case_ids),
                     "size": f.size, "offset": off, "state": state, "state_text": state_text(state, off, f.size)})
    net = [r for r in rows if r["state"] != USB]
    total = sum(r["size"] for r in net)
    done = sum(r["offset"] for r in net)
    rate = float(st.get(uow, "media_rate_bps") or 0.0)
    eta = (total - done) / rate if rate > 0 and total > done else None
    wanted = media_fetch.wanted(uow)
    return {"files": rows, "bytes_total": total, "bytes_done": done, "rate_bps": rate, "eta_s": eta,
            "usb_files": len(rows) - len(net), "cases": len(case_ids),
            "download_files": len(wanted), "download_bytes": sum(f.size for f in wanted)}


def queue(profile: Profile) -> dict[str, Any]:
    """The files still owed to the hub, in upload order (文书, 照片, 录音, 录像), with the totals."""
    if not read(profile, st.enrolled):
        return {"files": [], "bytes_total": 0, "bytes_done": 0, "rate_bps": 0.0, "eta_s": None,
                "usb_files": 0, "cases": 0, "enrolled": False, "download_files": 0, "download_bytes": 0}
    with reading(profile) as uow:
        return {**_queue(uow), "enrolled": True}


def incomplete_among(uow: UnitOfWork, case_ids: list[str]) -> set[str]:
    """Which of these cases have an evidence file the hub has not confirmed (媒体不完整)."""
    if not case_ids or not st.enrolled(uow):
        return set()
    done = set(st.get_json(uow, "media_done", []) or [])
    rows = uow.session.execute(select(EvidenceItem.case_id, EvidenceItem.sha256).where(
        EvidenceItem.case_id.in_(case_ids), EvidenceItem.sha256.is_not(None), EvidenceItem.blob_id.is_not(None)))
    return {cid for cid, sha in rows if sha not in done}


def incomplete_case_ids(uow: UnitOfWork) -> list[str]:
    if not st.enrolled(uow):
        return []
    return [r["case_id"] for r in media.incomplete_cases(uow)]


def case_media(profile: Profile, case_id: str) -> dict[str, Any]:
    """One case: whether it is 媒体不完整 and the upload state of each of its evidence files."""
    with reading(profile) as uow:
        if not st.enrolled(uow):
            return {"enrolled": False, "incomplete": False, "missing": 0, "states": {}, "remote": []}
        owed = {f.sha256: f for f in media.files(uow)}
        partial = _partial(uow)
        states: dict[str, str] = {}
        remote: list[str] = []
        missing = 0
        for eid, sha, size, blob_id in uow.session.execute(
                select(EvidenceItem.id, EvidenceItem.sha256, EvidenceItem.size, EvidenceItem.blob_id).where(
                    EvidenceItem.case_id == case_id, EvidenceItem.sha256.is_not(None),
                    EvidenceItem.blob_id.is_not(None))):
            if not profile.evidence.path_of(blob_id or "").exists():  # recorded on another laptop
                states[eid] = NOT_HERE_TEXT
                remote.append(eid)
                continue
            f = owed.get(sha or "")
            if f is None:
                states[eid] = state_text(DONE)
                continue
            missing += 1
            state, off = _state_of(f, partial)
            states[eid] = state_text(state, off, int(size or 0))
        return {"enrolled": True, "incomplete": missing > 0, "missing": missing, "states": states, "remote": remote}


def set_usb_only(profile: Profile, evidence_id: str, on: bool) -> Changed[None]:
    with writing(profile) as uow:
        media.set_usb_only(uow, evidence_id, on)
        item = uow.session.get(EvidenceItem, evidence_id) or uow.session.get(IssuedDocument, evidence_id)
        case_ids = [item.case_id] if item is not None else []
    return Changed(None, OpChanges.for_cases(case_ids))


def upload(profile: Profile, control: Any, max_bytes: int | None = None, *, timeout: float = 30.0,
           chunk: int = media.CHUNK) -> Changed[dict[str, Any]]:
    """Upload the owed files (USB-only ones skipped) in order under the profile's sync lock, with
    progress after each acknowledged chunk; 取消 stops after the chunk in flight (what the hub
    acknowledged stays, the next upload resumes from the hub's offset)."""
    state = read(profile, st.load)
    media.keep_documents(profile)  # documents issued before their printed bytes were kept, as upload_all does
    report = media.MediaReport()
    touched: set[str] = set()
    started = time.monotonic()
    with sync_lock(profile.paths.root), Transport(state.hub_url, state.device_id, state.device_key,
                                                  state.hub_public_key, clock_offset_s=state.clock_offset_s,
                                                  timeout=timeout) as t:
        owed = read(profile, media.files)
        net = [f for f in owed if not f.usb_only]
        total = sum(f.size for f in net)
        partial = read(profile, _partial)
        done: set[str] = set()
        index = 0

        def on_chunk(sha: str, offset: int) -> None:
            f = net[index]
            partial[sha] = min(offset, f.size)
            got = sum(g.size if g.sha256 in done else partial.get(g.sha256, 0) for g in net)
            control.progress(file=index + 1, files=len(net), name=f.sha256, offset=partial[sha], size=f.size,
                             bytes_done=got, bytes_total=total,
                             rate_bps=report.bytes_sent / max(1e-6, time.monotonic() - started))
            control.check()

        try:
            for i, f in enumerate(net):
                if max_bytes is not None and report.bytes_sent >= max_bytes:
                    break
                control.check()
                index = i
                ok = media.upload_one(profile, t, f, report, chunk=chunk, max_bytes=max_bytes, on_chunk=on_chunk)
                if ok:
                    run(profile, media.mark_done, f.sha256)
                    partial.pop(f.sha256, None)
                    done.add(f.sha256)
                    touched.update(f.case_ids)
                    report.files_done += 1
        finally:
            report.seconds = time.monotonic() - started
            values: dict[str, Any] = {"media_partial": {k: v for k, v in partial.items() if v}}
            if report.bytes_sent and report.seconds > 0:
                values["media_rate_bps"] = f"{report.bytes_sent / report.seconds:.1f}"
            run(profile, st.put, **values)
    report.remaining_bytes = sum(f.size for f in read(profile, media.files) if not f.usb_only)
    report.usb_only_skipped = len(owed) - len(net)
    out = report.as_dict()
    return Changed(out, OpChanges.for_cases(touched))


AUTO_FETCH_FILE_BYTES = 2 * 1024 * 1024  # an automatic round downloads photos and PDFs up to this size


def cheap(f: media_fetch.WantedFile) -> bool:
    """What an automatic round may download: an issued document's PDF or a photo, at most
    ``AUTO_FETCH_FILE_BYTES`` (audio and video wait for 下载证据)."""
    return f.rank <= 1 and f.size <= AUTO_FETCH_FILE_BYTES


def download(profile: Profile, control: Any, max_bytes: int | None = None, *,
             timeout: float = 30.0, only: Any = None) -> Changed[dict[str, Any]]:
    """下载证据: the files this laptop's record names and its store lacks, from the county, with
    progress after each range; 取消 stops after the range in flight (the bytes held stay in the
    encrypted part, the next download resumes there)."""
    touched: set[str] = set()

    def progress(f: media_fetch.WantedFile, have: int, done: int, total: int) -> None:
        control.progress(download=True, name=f.sha256, offset=have, size=f.size, bytes_done=done,
                         bytes_total=total)
        if have >= f.size:
            touched.update(f.case_ids)
        control.check()

    report = media_fetch.fetch_all(profile, timeout=timeout, max_bytes=max_bytes, progress=progress, only=only)
    return Changed(report.as_dict(), OpChanges.for_cases(touched))
