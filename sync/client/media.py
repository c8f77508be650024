"""Evidence media to the county, decoupled from case sync (``lishui-desk sync media``).

Each evidence file is content-addressed by its SHA-256 (the one in its ``evidence.added`` event).
An upload asks the hub where it stands (``/v1/media/offset``), then sends the rest in bounded
chunks, each signed over its own SHA-256; a 409 answer carries the hub's offset and the upload
goes on from there, so a cut link costs at most the chunk in flight, never a restart. Files go in
order — issued documents' PDFs (the bytes printed at issuance, ``services.issued_pdfs``), other
documents, photos, audio, video, then by size — and a file flagged "USB only" is never sent over
the network. A case is "媒体不完整" here until the hub has confirmed every one of its files complete
(its last byte arrived and its hash matched); a document whose printed bytes this device does not
hold counts too. Files another device recorded (their evidence rows replicate with the case) are
that device's to send and are not owed here.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
from sqlalchemy import select

from lishui_desk.edge import read, run
from lishui_desk.errors import InvalidInput
from lishui_desk.evidence_store import EvidenceStore
from lishui_desk.models import Case, EvidenceItem
from lishui_desk.services import issued_pdfs
from lishui_desk.storage.profile import Profile
from lishui_desk.unit_of_work import UnitOfWork
from sync.client import state as st
from sync.client.lock import sync_lock
from sync.client.transport import SyncError, Transport, _describe

CHUNK = 256 * 1024
RANK = (("application/pdf", 0), ("image/", 1), ("audio/", 2), ("video/", 3))
RANK_LABEL = {0: "文书", 1: "照片", 2: "录音", 3: "录像", 4: "其他"}


def rank(mime: str | None) -> int:
    for prefix, r in RANK:
        if (mime or "").startswith(prefix):
            return r
    return 4


@dataclass(frozen=True)
class MediaFile:
    sha256: str
    size: int
    mime: str
    blob_id: str
    case_ids: tuple[str, ...]
    evidence_ids: tuple[str, ...]
    usb_only: bool
    document_ids: tuple[str, ...] = ()  # issued documents whose printed PDF this is

    @property
    def rank(self) -> int:
        return rank(self.mime)

    @property
    def is_document(self) -> bool:
        return bool(self.document_ids)


@dataclass
class MediaReport:
    files_done: int = 0
    bytes_sent: int = 0  # acknowledged by the hub
    bytes_attempted: int = 0  # put on the wire, acknowledged or not
    chunks: int = 0
    resumed: int = 0  # files continued from an offset above zero
    offsets_seen: list[tuple[str, int]] = field(default_factory=list)  # (sha, offset) at each start
    remaining_bytes: int = 0
    usb_only_skipped: int = 0
    seconds: float = 0.0

    @property
    def eta_s(self) -> float | None:
        if not self.bytes_sent or not self.seconds:
            return None
        return self.remaining_bytes / (self.bytes_sent / self.seconds)

    def as_dict(self) -> dict[str, Any]:
        return {**{k: v for k, v in self.__dict__.items() if k != "offsets_seen"}, "eta_s": self.eta_s}


# --- what is owed ------------------------------------------------------------------------------


def _done(uow: UnitOfWork) -> set[str]:
    return set(st.get_json(uow, "media_done", []) or [])


def _usb_only(uow: UnitOfWork) -> set[str]:
    return set(st.get_json(uow, "media_usb_only", []) or [])


def files(uow: UnitOfWork) -> list[MediaFile]:
    """Every evidence file of this profile not yet confirmed complete at the hub, in upload order."""
    done, usb = _done(uow), _usb_only(uow)
    store = uow.profile.evidence
    by_sha: dict[str, list[EvidenceItem]] = {}
    for e in uow.session.scalars(select(EvidenceItem).where(EvidenceItem.sha256.is_not(None),
                                                            EvidenceItem.blob_id.is_not(None))):
        if e.sha256 is not None and e.sha256 not in done and store.path_of(e.blob_id or "").exists():
            by_sha.setdefault(e.sha256, []).append(e)
    out = [MediaFile(sha, int(rows[0].size or 0), rows[0].mime or "", rows[0].blob_id or "",
                     tuple(sorted({r.case_id for r in rows})), tuple(sorted(r.id for r in rows)),
                     any(r.id in usb or sha in usb for r in rows)) for sha, rows in by_sha.items()]
    out += _document_files(uow, done, usb, {f.sha256 for f in out})
    return sorted(out, key=lambda f: (f.rank, not f.is_document, f.size, f.sha256))


def _document_files(uow: UnitOfWork, done: set[str], usb: set[str], taken: set[str]) -> list[MediaFile]:
    """Issued documents' printed PDFs held by this device, not yet confirmed at the hub."""
    kept = issued_pdfs.all_kept(uow)
    by_sha: dict[str, list[tuple[str, str, issued_pdfs.KeptPdf]]] = {}
    for row in issued_pdfs.local_documents(uow):
        k = kept.get(row.id)
        if k is None or not k.blob_id or row.pdf_sha256 in done or row.pdf_sha256 in taken:
            continue
        by_sha.setdefault(row.pdf_sha256, []).append((row.id, row.case_id, k))
    return [MediaFile(sha, rows[0][2].size, "application/pdf", rows[0][2].blob_id or "",
                      tuple(sorted({c for _, c, _ in rows})), (), any(d in usb or sha in usb for d, _, _ in rows),
                      tuple(sorted(d for d, _, _ in rows))) for sha, rows in by_sha.items()]


def documents_not_held(uow: UnitOfWork) -> list[dict[str, Any]]:
    """Documents issued here whose printed PDF this device does not hold (issued before the bytes
    were kept, and not reproducible identically — or not yet re-rendered)."""
    done = _done(uow)
    out = []
    for row in issued_pdfs.missing(uow):
        if row.pdf_sha256 in done:
            continue
        k = issued_pdfs.kept(uow, row.id)
        out.append({"document_id": row.id, "case_id": row.case_id, "number": row.number,
                    "reason": (k.reason if k else None) or "尚未核对出具时的 PDF（下次上传证据文件时核对）"})
    return out


def incomplete_cases(uow: UnitOfWork) -> list[dict[str, Any]]:
    """Cases whose evidence files have not all reached the hub (媒体不完整)."""
    per: dict[str, list[MediaFile]] = {}
    for f in files(uow):
        for cid in f.case_ids:
            per.setdefault(cid, []).append(f)
    not_held: dict[str, int] = {}
    for d in documents_not_held(uow):
        not_held[d["case_id"]] = not_held.get(d["case_id"], 0) + 1
    out = []
    for cid in sorted(set(per) | set(not_held)):
        fs = per.get(cid, [])
        case = uow.session.get(Case, cid)
        out.append({"case_id": cid, "case_number": case.case_number if case else None,
                    "missing": len(fs) + not_held.get(cid, 0), "bytes": sum(f.size for f in fs),
                    "usb_only": sum(1 for f in fs if f.usb_only),
                    "documents": sum(1 for f in fs if f.is_document), "documents_not_held": not_held.get(cid, 0)})
    return out


def set_usb_only(uow: UnitOfWork, evidence_id: str, on: bool = True) -> None:
    """Flag an evidence file (or an issued document's PDF, by its document id) "USB only"."""
    from lishui_desk.models import IssuedDocument

    if uow.session.get(EvidenceItem, evidence_id) is None and uow.session.get(IssuedDocument, evidence_id) is None:
        raise InvalidInput("找不到这份证据（可能已被更正或删除），请刷新后再试",
                           cli_text=f"没有编号为 {evidence_id} 的证据（见 lishui-desk sync media）")
    usb = _usb_only(uow)
    usb = usb | {evidence_id} if on else usb - {evidence_id}
    st.put(uow, media_usb_only=sorted(usb))


def mark_done(uow: UnitOfWork, sha: str) -> None:
    st.put(uow, media_done=sorted(_done(uow) | {sha}))


# --- the upload --------------------------------------------------------------------------------


def _plain_from(store: EvidenceStore, blob_id: str, offset: int, size: int) -> Iterator[bytes]:
    """The file's plaintext from ``offset`` in pieces of at most ``size`` bytes (bounded memory)."""
    pos, buf = 0, b""
    for chunk in store.read_chunks(blob_id):
        if pos + len(chunk) <= offset:
            pos += len(chunk)
            continue
        if pos < offset:
            chunk = chunk[offset - pos:]
            pos = offset
        buf += chunk
        pos += len(chunk)
        while len(buf) >= size:
            yield buf[:size]
            buf = buf[size:]
    if buf:
        yield buf


class ChunkRefused(SyncError):
    def __init__(self, status: int, code: str, message: str, offset: int | None) -> None:
        super().__init__(message, code=code)
        self.status, self.offset = status, offset


def put_chunk(t: Transport, sha: str, offset: int, upload_id: str, data: bytes) -> dict[str, Any]:
    """PUT one chunk, signed over its SHA-256; the hub's answer checked against the pinned key."""
    path = f"/v1/media/chunk?sha256={sha}&offset={offset}&upload_id={upload_id}"
    headers, nonce = t.signed_headers("PUT", path, data, "application/octet-stream")
    try:
        r = t._http.put(t.base + path, content=data, headers=headers)
    except httpx.HTTPError as exc:
        raise SyncError(f"上传证据文件时连接中断：{_describe(exc)}（下次从断点继续）", code="offline") from None
    t.bytes_sent += len(data) + 400
    t.bytes_received += len(r.content)
    answer = t._verified(r, nonce)
    if r.status_code != 200:
        off = answer.get("offset")
        raise ChunkRefused(r.status_code, str(answer.get("error", "error")), str(answer.get("message", "")),
                           off if isinstance(off, int) else None)
    return answer


def upload_id_for(device_id: str, sha: str) -> str:
    """Stable per device and file: a retry of this device continues its own upload."""
    return hashlib.sha256(f"{device_id}:{sha}".encode()).hexdigest()[:32]


def upload_one(profile: Profile, t: Transport, f: MediaFile, report: MediaReport, *, chunk: int = CHUNK,
               max_bytes: int | None = None, on_chunk: Callable[[str, int], None] | None = None) -> bool:
    """Send what the hub lacks of one file; True once the hub confirms it complete. ``on_chunk(sha,
    offset)`` after each chunk the hub acknowledged (progress; it may raise to stop after that chunk)."""
    up = upload_id_for(t.device_id, f.sha256)
    for _ in range(8):  # bounded: each round restarts from the hub's own offset
        ans = t.call("/v1/media/offset", {"sha256": f.sha256, "size": f.size, "upload_id": up})
        offset = int(ans.get("offset", 0))
        report.offsets_seen.append((f.sha256, offset))
        if ans.get("complete"):
            return True
        if offset:
            report.resumed += 1
        try:
            for piece in _plain_from(profile.evidence, f.blob_id, offset, chunk):
                if max_bytes is not None and report.bytes_sent >= max_bytes:
                    return False
                report.bytes_attempted += len(piece)
                got = put_chunk(t, f.sha256, offset, up, piece)
                offset = int(got["offset"])
                report.bytes_sent += len(piece)
                if on_chunk is not None:
                    on_chunk(f.sha256, offset)
                report.chunks += 1
                if got.get("complete"):
                    return True
        except ChunkRefused as exc:
            if exc.status == 409 and exc.code in ("offset_mismatch", "complete"):
                continue  # ask the hub again and go on from its offset
            raise
    raise SyncError("证据文件上传的断点反复不一致，已停止，下次同步再试", code="media_offset")


def keep_documents(profile: Profile) -> dict[str, int]:
    """Keep the printed bytes of documents issued before they were kept (``issued_pdfs.backfill``:
    only a re-render identical to the issued record's hash is kept; needs the forms package loaded,
    as the desk's command line and GUI do)."""
    if not read(profile, issued_pdfs.unchecked):
        return {"kept": 0, "unreproducible": 0, "no_renderer": 0}
    return run(profile, issued_pdfs.backfill)


def upload_all(profile: Profile, *, chunk: int = CHUNK, timeout: float = 30.0, hub_url: str | None = None,
               max_bytes: int | None = None, report: MediaReport | None = None) -> MediaReport:
    """Upload owed files in order until done, the budget (``max_bytes``) is spent, or the link fails
    (``SyncError``; what the hub acknowledged stays acknowledged, and the next run resumes).
    ``report`` (optional) is filled in as it goes, so a caller keeps it when the link fails."""
    state = read(profile, st.load)
    report = report if report is not None else MediaReport()
    start = time.monotonic()
    keep_documents(profile)
    with sync_lock(profile.paths.root), Transport(hub_url or state.hub_url, state.device_id, state.device_key,
                                                  state.hub_public_key, clock_offset_s=state.clock_offset_s,
                                                  timeout=timeout) as t:
        try:
            for f in read(profile, files):
                if f.usb_only:
                    report.usb_only_skipped += 1
                    continue
                if max_bytes is not None and report.bytes_sent >= max_bytes:
                    break
                if upload_one(profile, t, f, report, chunk=chunk, max_bytes=max_bytes):
                    run(profile, mark_done, f.sha256)
                    report.files_done += 1
        finally:
            report.seconds = time.monotonic() - start
            report.remaining_bytes = sum(f.size for f in read(profile, files) if not f.usb_only)
    return report
