"""Evidence files from the county to this laptop (``lishui-desk sync media --fetch``).

A case's evidence rows replicate with its events, but the file itself was recorded on another
laptop (or on this one before a restore). Every evidence row and kept document PDF whose blob this
profile's store lacks is "待下载"; the hub says which of them it holds complete and this device may
fetch (``/v1/media/held``: files of its township's cases), and each is downloaded in bounded,
signed ranges (``/v1/media/fetch``).

Resumable: the bytes received so far live in ``<profile>/media-fetch/<sha256>.part``, encrypted
record by record as they arrive (the format of ``sync.part_file``, keyed by HKDF from this
device's key and the file's hash — never a clear byte on disk) and fsync-ed after every range; the
next attempt asks for the rest from the bytes held. When the last byte is in, the whole file's
SHA-256 is checked against the record's *before* anything becomes a blob: a mismatch drops the part
and stores nothing. A matching file is encrypted into the evidence store under the row's blob id,
so it is exported and viewed like a file recorded here.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select

from lishui_desk.edge import read
from lishui_desk.models import EvidenceItem
from lishui_desk.services import issued_pdfs
from lishui_desk.storage.profile import Profile
from lishui_desk.unit_of_work import UnitOfWork
from sync import part_file as media_part
from sync import protocol
from sync.client import state as st
from sync.client.lock import sync_lock
from sync.client.media import rank
from sync.client.transport import SyncError, Transport, _describe

FETCH = 1024 * 1024  # bytes asked per range (the hub caps it at the same bound)
PART_DIR = "media-fetch"
H_MEDIA_SIZE = "X-Lishui-Media-Size"


@dataclass(frozen=True)
class WantedFile:
    """A file named by this profile's record whose bytes are not in its store."""

    sha256: str
    size: int
    mime: str
    blob_ids: tuple[str, ...]  # every local blob id that names these bytes
    case_ids: tuple[str, ...]
    evidence_ids: tuple[str, ...]
    document_ids: tuple[str, ...] = ()

    @property
    def rank(self) -> int:
        return rank(self.mime)


@dataclass
class FetchReport:
    files_done: int = 0
    bytes_received: int = 0  # file bytes taken into parts
    ranges: int = 0
    resumed: int = 0  # files continued from a part holding bytes already
    offsets_seen: list[tuple[str, int]] = field(default_factory=list)
    refused: list[dict[str, Any]] = field(default_factory=list)  # {"sha256", "reason"}: nothing stored
    not_at_hub: int = 0  # wanted, but the hub does not hold them complete (yet)
    remaining_bytes: int = 0
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "offsets_seen"}


class FetchRefused(SyncError):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message, code=code)
        self.status = status


# --- what is wanted ------------------------------------------------------------------------------


def wanted(uow: UnitOfWork) -> list[WantedFile]:
    """Every file the record names whose blob this store lacks (待下载), in upload order."""
    store = uow.profile.evidence
    by_sha: dict[str, dict[str, Any]] = {}
    rows = uow.session.scalars(select(EvidenceItem).where(EvidenceItem.sha256.is_not(None),
                                                          EvidenceItem.blob_id.is_not(None)))
    for e in rows:
        if store.path_of(e.blob_id or "").exists():
            continue
        w = by_sha.setdefault(e.sha256 or "", {"size": int(e.size or 0), "mime": e.mime or "", "blobs": set(),
                                               "cases": set(), "evidence": set(), "docs": set()})
        w["blobs"].add(e.blob_id)
        w["cases"].add(e.case_id)
        w["evidence"].add(e.id)
    docs = {d.id: d for d in issued_pdfs.local_documents(uow)}
    for doc_id, k in issued_pdfs.all_kept(uow).items():
        if not k.blob_id or not k.sha256 or store.path_of(k.blob_id).exists():
            continue
        w = by_sha.setdefault(k.sha256, {"size": k.size, "mime": "application/pdf", "blobs": set(),
                                         "cases": set(), "evidence": set(), "docs": set()})
        w["blobs"].add(k.blob_id)
        w["docs"].add(doc_id)
        if doc_id in docs:
            w["cases"].add(docs[doc_id].case_id)
    out = [WantedFile(sha, w["size"], w["mime"], tuple(sorted(w["blobs"])), tuple(sorted(w["cases"])),
                      tuple(sorted(w["evidence"])), tuple(sorted(w["docs"]))) for sha, w in by_sha.items()]
    return sorted(out, key=lambda f: (f.rank, f.size, f.sha256))


def not_held_blob_ids(uow: UnitOfWork) -> set[str]:
    """Blob ids of this profile's record not in its store (the GUI marks them 在县级平台（未下载）)."""
    return {b for f in wanted(uow) for b in f.blob_ids}


# --- the part file -------------------------------------------------------------------------------


def part_dir(profile: Profile) -> Path:
    return profile.paths.root / PART_DIR


def _part(profile: Profile, sha: str) -> Path:
    return part_dir(profile) / f"{sha}.part"


def _cipher(key: Ed25519PrivateKey, sha: str):
    return media_part.cipher(hashlib.sha256(b"lishui desk fetch part v1" + protocol.private_raw(key)).digest(), sha)


def part_bytes(profile: Profile) -> dict[str, int]:
    """{sha256: bytes held} of every part under the profile (what ``--status`` shows as begun)."""
    d = part_dir(profile)
    if not d.is_dir():
        return {}
    return {p.name[:-5]: media_part.scan(p)[0] for p in d.glob("*.part")}


# --- the wire ------------------------------------------------------------------------------------


def fetch_range(t: Transport, sha: str, offset: int, length: int = FETCH) -> tuple[int, bytes]:
    """(whole size, bytes) of one range, the answer's signature checked against the pinned key."""
    path = "/v1/media/fetch"
    payload = json.dumps({"sha256": sha, "offset": offset, "length": length}, separators=(",", ":")).encode()
    headers, nonce = t.signed_headers("POST", path, payload)
    try:
        r = t._http.post(t.base + path, content=payload, headers=headers)
    except httpx.HTTPError as exc:
        raise SyncError(f"下载证据文件时连接中断：{_describe(exc)}（下次从断点继续）", code="offline") from None
    t.requests += 1
    t.bytes_sent += len(payload) + 400
    t.bytes_received += len(r.content)
    if r.status_code >= 500 or protocol.H_HUB_SIGNATURE not in r.headers:
        raise SyncError(f"县级平台暂时无法提供证据文件（HTTP {r.status_code}），下次从断点继续", code="hub_unavailable")
    if r.status_code != 200:
        answer = t._verified(r, nonce)
        raise FetchRefused(r.status_code, str(answer.get("error", "error")),
                           str(answer.get("message", "县级平台拒绝了下载请求")))
    if t.hub_public_key is not None:
        try:
            ok = protocol.verify(t.hub_public_key, protocol.unb64(r.headers[protocol.H_HUB_SIGNATURE]),
                                 protocol.response_string(nonce, r.content))
        except ValueError:
            ok = False
        if not ok:
            raise SyncError("县级平台的应答签名无效（可能被冒充或篡改），该段数据未采用，下次从断点继续",
                            code="bad_hub_signature")
    try:
        size = int(r.headers.get(H_MEDIA_SIZE, ""))
    except ValueError:
        raise SyncError("县级平台应答缺少文件大小", code="bad_answer") from None
    return size, r.content


def hub_held(t: Transport, shas: list[str]) -> set[str]:
    out: set[str] = set()
    for i in range(0, len(shas), 2000):
        out |= set(t.call("/v1/media/held", {"sha256": shas[i:i + 2000]}).get("complete") or [])
    return out


# --- one file ------------------------------------------------------------------------------------


def _drop(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass


def fetch_one(profile: Profile, t: Transport, f: WantedFile, report: FetchReport, *, chunk: int = FETCH,
              max_bytes: int | None = None, on_range: Callable[[int], None] | None = None) -> bool:
    """Take what the part lacks of one file; True once it is checked and in the store.
    ``on_range(bytes held)`` is called after each range is durable (progress, and where a caller
    may stop: what is held stays for the next run)."""
    path = _part(profile, f.sha256)
    part_dir(profile).mkdir(mode=0o700, parents=True, exist_ok=True)
    aead = _cipher(t.key, f.sha256)
    have, end = media_part.scan(path)
    if have > f.size:  # not this file's part: start over
        _drop(path)
        have, end = 0, 0
    report.offsets_seen.append((f.sha256, have))
    if have:
        report.resumed += 1
    with open(os.open(path, os.O_RDWR | os.O_CREAT, 0o600), "r+b") as fh:
        writer = media_part.Writer(fh, aead, f.sha256, have, end)
        while have < f.size:
            if max_bytes is not None and report.bytes_received >= max_bytes:
                return False
            size, data = fetch_range(t, f.sha256, have, min(chunk, f.size - have))
            if size != f.size or not data or have + len(data) > f.size:
                _drop_after(fh, path)
                report.refused.append({"sha256": f.sha256, "reason": "县级平台所存文件的大小与证据记录不符，未保存"})
                return False
            writer.add(data)
            writer.close()  # the range as complete records …
            fh.flush()
            os.fsync(fh.fileno())  # … durable before the next range is asked for
            have += len(data)
            report.bytes_received += len(data)
            report.ranges += 1
            if on_range is not None:
                on_range(have)
    return _finish(profile, f, aead, report)


def _drop_after(fh, path: Path) -> None:
    fh.close()
    _drop(path)


def _finish(profile: Profile, f: WantedFile, aead, report: FetchReport) -> bool:
    """The whole file's hash checked against the record before any blob is written."""
    path = _part(profile, f.sha256)
    h = hashlib.sha256()
    try:
        for piece in media_part.plaintext(path, aead, f.sha256):
            h.update(piece)
    except media_part.PartCorrupt:
        _drop(path)
        report.refused.append({"sha256": f.sha256, "reason": "本机的下载断点文件已损坏，已丢弃，下次重新下载"})
        return False
    if h.hexdigest() != f.sha256:
        _drop(path)
        report.refused.append({"sha256": f.sha256,
                               "reason": "下载的文件与证据记录的哈希不符（传输或平台存储被改动），未保存"})
        return False
    store = profile.evidence
    for blob_id in f.blob_ids:
        if store.path_of(blob_id).exists():
            continue
        blob = store.put_stream(media_part.Stream(media_part.plaintext(path, aead, f.sha256)),  # type: ignore[arg-type]
                                blob_id=blob_id)
        if blob.sha256 != f.sha256:  # changed between the check and the copy
            store.discard_unrecorded(blob_id)
            report.refused.append({"sha256": f.sha256, "reason": "下载的文件在保存时校验失败，未保存"})
            return False
    _drop(path)
    return True


# --- a run ---------------------------------------------------------------------------------------


def fetch_all(profile: Profile, *, chunk: int = FETCH, timeout: float = 30.0, hub_url: str | None = None,
              max_bytes: int | None = None, report: FetchReport | None = None,
              progress: Callable[[WantedFile, int, int, int], None] | None = None,
              only: Callable[[WantedFile], bool] | None = None) -> FetchReport:
    """Download every wanted file the hub holds, smallest kinds first, until done, the budget
    (``max_bytes``) is spent or the link fails (``SyncError``; the parts stay, the next run resumes).
    ``progress(file, its bytes held, bytes held of all, bytes of all)`` (optional) is called after
    each range; an exception it raises stops the run there (the parts stay). ``only`` (optional)
    limits the run to the files it accepts (the GUI's automatic round: small photos and PDFs)."""
    state = read(profile, st.load)
    report = report if report is not None else FetchReport()
    start = time.monotonic()
    todo = [f for f in read(profile, wanted) if only is None or only(f)]
    with sync_lock(profile.paths.root), Transport(hub_url or state.hub_url, state.device_id, state.device_key,
                                                  state.hub_public_key, clock_offset_s=state.clock_offset_s,
                                                  timeout=timeout) as t:
        try:
            at_hub = hub_held(t, [f.sha256 for f in todo]) if todo else set()
            report.not_at_hub = sum(1 for f in todo if f.sha256 not in at_hub)
            mine = [f for f in todo if f.sha256 in at_hub]
            total = sum(f.size for f in mine)
            got = {f.sha256: media_part.scan(_part(profile, f.sha256))[0] for f in mine}
            for f in mine:
                if max_bytes is not None and report.bytes_received >= max_bytes:
                    break

                def on_range(have: int, f: WantedFile = f) -> None:
                    got[f.sha256] = have
                    if progress is not None:
                        progress(f, have, sum(got.values()), total)

                if fetch_one(profile, t, f, report, chunk=chunk, max_bytes=max_bytes, on_range=on_range):
                    report.files_done += 1
        finally:
            report.seconds = time.monotonic() - start
            report.remaining_bytes = sum(f.size for f in read(profile, wanted))
    return report


def status(profile: Profile) -> list[dict[str, Any]]:
    """The files 待下载 (no network): what the record names and this store lacks, with bytes begun."""
    begun = part_bytes(profile)
    return [{"sha256": f.sha256, "size": f.size, "mime": f.mime, "case_ids": list(f.case_ids),
             "evidence_ids": list(f.evidence_ids), "document_ids": list(f.document_ids),
             "held_bytes": min(begun.get(f.sha256, 0), f.size)} for f in read(profile, wanted)]
