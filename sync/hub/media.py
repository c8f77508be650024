"""Evidence media at the hub: content-addressed, resumable uploads (issue: evidence over thin links).

    POST /v1/media/offset   {"sha256", "size", "upload_id"}  → {"offset", "complete"}
        Where the upload stands; takes the file's lock for ``upload_id``. A lock held by another
        attempt that has been active within ``STALE_LOCK_S`` is refused (423); an older one is taken
        over (the earlier attempt's next chunk gets 409).
    PUT  /v1/media/chunk?sha256=…&offset=…&upload_id=…   raw bytes (at most ``MAX_CHUNK``)
        The request signature covers the chunk's SHA-256 (``X-Lishui-Content-SHA256``): the
        signature is checked from the headers before the body is read, the body is streamed to
        ``media/<sha256>.part`` while hashed — encrypted record by record as it is written
        (``sync.part_file``), never in clear — and only a chunk whose hash matches stays
        (otherwise the file is cut back). The file is fsync-ed before the new offset is answered. An
        ``offset`` other than the bytes held is answered 409 with the hub's offset.
        When the last byte arrives the whole file's SHA-256 must equal its name; it is then stored
        encrypted at rest (the evidence store's chunked AES-256-GCM, keyed from the hub key) and
        the part file removed.

One stored blob serves every record that names its hash. A case is "媒体不完整" at the hub while an
``evidence.added`` event of it names a hash the hub does not hold complete, or a ``document.issued``
event names a printed PDF (``pdf_sha256``) the hub does not hold: the document's bytes are the
ones the hash of the issued record names, so the county sees exactly what was printed
(:func:`document_pdf`, ``lishui-county document show NUMBER --out FILE``).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from fastapi import FastAPI, Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect

from lishui_desk.evidence_store import EvidenceStore
from lishui_desk.models import utcnow_iso
from lishui_desk.timeutil import now_utc
from sync import part_file as media_part
from sync import protocol
from sync.hub.models import Device, HubEvent, HubMedia
from sync.hub.service import Hub

MAX_CHUNK = 1024 * 1024
MAX_MEDIA = 4 * 1024 * 1024 * 1024
STALE_LOCK_S = 120
EVIDENCE_EVENT = "evidence.added"
DOCUMENT_EVENT = "document.issued"
_SHA = re.compile(r"^[0-9a-f]{64}$")


def media_dir(hub: Hub) -> Path:
    return hub.root / "media"


def store(hub: Hub) -> EvidenceStore:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"lishui-hub-media",
               info=b"lishui hub media at rest v1").derive(protocol.private_raw(hub.key))
    return EvidenceStore(media_dir(hub) / "store", key)


def _part(hub: Hub, sha: str) -> Path:
    return media_dir(hub) / f"{sha}.part"


def _held_bytes(hub: Hub, sha: str) -> int:
    """Plaintext bytes of the upload held in its (encrypted) part file."""
    return media_part.scan(_part(hub, sha))[0]


def _part_cipher(hub: Hub, sha: str):
    return media_part.cipher(protocol.private_raw(hub.key), sha)


def _stale(lock_at: str | None) -> bool:
    if not lock_at:
        return True
    return now_utc() - datetime.fromisoformat(lock_at) > timedelta(seconds=STALE_LOCK_S)


def _lock_nb(fd: int) -> None:
    """An exclusive, non-blocking lock on an open file (released when it is closed)."""
    if sys.platform == "win32":  # pragma: no cover - a county server on Windows
        import msvcrt

        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


class MediaRefusal(Exception):
    def __init__(self, status: int, code: str, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.extra = status, code, message, extra


def offset(hub: Hub, device: Device, sha: str, size: int, upload_id: str) -> dict[str, Any]:
    with hub.session() as s:
        row = s.get(HubMedia, sha)
        if row is not None and row.completed_at:
            return {"sha256": sha, "offset": row.size, "complete": True}
        if row is None:
            row = HubMedia(sha256=sha, size=size, device_id=device.id)
            s.add(row)
        elif row.size != size:
            raise MediaRefusal(409, "size_mismatch", "同一文件哈希登记了不同的大小，已拒绝")
        if row.lock_owner not in (None, upload_id) and not _stale(row.lock_at):
            raise MediaRefusal(423, "media_locked", "该文件正由另一次上传写入，请稍后再试",
                               offset=_held_bytes(hub, sha))
        row.lock_owner, row.lock_at = upload_id, utcnow_iso()
        try:
            s.flush()
        except IntegrityError:  # created concurrently by another attempt: let it retry
            raise MediaRefusal(423, "media_locked", "该文件正由另一次上传写入，请稍后再试", offset=0) from None
    return {"sha256": sha, "offset": _held_bytes(hub, sha), "complete": False}


def _claim(hub: Hub, sha: str, upload_id: str, at: int) -> HubMedia:
    with hub.session() as s:
        row = s.get(HubMedia, sha)
        if row is None:
            raise MediaRefusal(409, "no_offset", "请先询问平台的断点位置", offset=0)
        if row.completed_at:
            raise MediaRefusal(409, "complete", "平台已收齐该文件", offset=row.size)
        if row.lock_owner != upload_id:
            raise MediaRefusal(409, "lock_lost", "该文件已由另一次上传接管", offset=_held_bytes(hub, sha))
        held = _held_bytes(hub, sha)
        if at != held:
            raise MediaRefusal(409, "offset_mismatch", f"断点位置不符：平台已收到 {held} 字节", offset=held)
        row.lock_at = utcnow_iso()
        return row


def _finish(hub: Hub, sha: str, size: int) -> bool:
    """The last byte arrived: decrypt the part record by record into the store (encrypted at rest
    under the store's key), check the whole file's hash, drop the part."""
    part = _part(hub, sha)
    st = store(hub)
    try:
        blob = st.put_stream(media_part.Stream(media_part.plaintext(part, _part_cipher(hub, sha), sha)))  # type: ignore[arg-type]
    except media_part.PartCorrupt:
        part.unlink()
        return False
    if blob.sha256 != sha or blob.size != size:
        st.discard_unrecorded(blob.blob_id)
        part.unlink()
        return False
    with hub.session() as s:
        row = s.get(HubMedia, sha)
        assert row is not None
        row.blob_id, row.completed_at, row.lock_owner = blob.blob_id, utcnow_iso(), None
    part.unlink()
    return True


def _authenticate_headers(hub: Hub, request: Request) -> tuple[Device, str, str]:
    """The request signature, checked before the body is read: it covers the declared digest."""
    from sync.hub.app import Refusal, _headers, check_clock, verify_signature

    device_id, ts, nonce, digest, sig = _headers(request)
    check_clock(ts)
    device = verify_signature(hub, request, device_id, ts, nonce, digest, sig, seen=False)
    if device.revoked_at is not None:
        raise Refusal(403, "device_revoked", "本设备已被县级平台停用：本机数据保留不动")
    return device, nonce, digest


def register_routes(app: FastAPI, hub: Hub) -> None:
    from sync.hub.app import Refusal, _decode_json, _read_body, _signed, authenticate

    def refuse(exc: MediaRefusal) -> Refusal:
        return Refusal(exc.status, exc.code, exc.message, **exc.extra)

    @app.post("/v1/media/offset")
    async def media_offset(request: Request) -> Response:
        """Where a content-addressed upload stands; takes (or takes over a stale) upload lock."""
        raw = await _read_body(request)
        device, nonce = await run_in_threadpool(authenticate, hub, request, raw)
        if device.revoked_at is not None:
            raise Refusal(403, "device_revoked", "本设备已被县级平台停用：本机数据保留不动")
        body = _decode_json(request, raw)
        sha, size, up = (body.get("sha256"), body.get("size"), body.get("upload_id")) if isinstance(body, dict) \
            else (None, None, None)
        if not (isinstance(sha, str) and _SHA.match(sha) and isinstance(size, int) and 0 <= size <= MAX_MEDIA
                and isinstance(up, str) and 8 <= len(up) <= 64):
            raise Refusal(400, "bad_request", "媒体断点查询缺少哈希、大小或上传标识")
        try:
            data = await run_in_threadpool(offset, hub, device, sha, size, up)
        except MediaRefusal as exc:
            raise refuse(exc) from None
        return _signed(hub, nonce, 200, data)

    @app.put("/v1/media/chunk")
    async def media_chunk(request: Request) -> Response:
        """One bounded chunk at the hub's offset, streamed to disk and fsync-ed before the answer."""
        q = request.query_params
        sha, up = q.get("sha256", ""), q.get("upload_id", "")
        try:
            at = int(q.get("offset", ""))
        except ValueError:
            at = -1
        if not _SHA.match(sha) or at < 0 or not 8 <= len(up) <= 64:
            raise Refusal(400, "bad_request", "媒体分块缺少哈希、断点或上传标识")
        declared = request.headers.get("content-length")
        if declared is None or not declared.isdigit() or int(declared) > MAX_CHUNK:
            raise Refusal(413, "too_large", f"单个分块最多 {MAX_CHUNK} 字节")
        device, nonce, digest = await run_in_threadpool(_authenticate_headers, hub, request)
        media_dir(hub).mkdir(parents=True, exist_ok=True)
        fh = os.fdopen(os.open(_part(hub, sha), os.O_RDWR | os.O_CREAT, 0o600), "r+b")
        try:
            try:  # one writer per file, across threads and processes; a second one is told to wait
                _lock_nb(fh.fileno())
            except OSError:
                raise Refusal(423, "media_busy", "该文件正在写入（上一连接尚未结束），请稍后再试") from None
            try:
                row = await run_in_threadpool(_claim, hub, sha, up, at)
            except MediaRefusal as exc:
                raise refuse(exc) from None
            if at + int(declared) > row.size:
                raise Refusal(400, "past_end", "分块超出文件大小", offset=at)
            held, end = media_part.scan(_part(hub, sha))
            writer = media_part.Writer(fh, _part_cipher(hub, sha), sha, held, end)
            h = hashlib.sha256()
            n = 0
            try:
                async for piece in request.stream():
                    n += len(piece)
                    if n > int(declared):
                        break
                    h.update(piece)
                    writer.add(piece)  # encrypted as it is written: no clear byte on disk
            except ClientDisconnect:
                pass
            if n != int(declared) or h.hexdigest() != digest:
                fh.flush()
                fh.truncate(end)  # keep only what was acknowledged before
                os.fsync(fh.fileno())
                if n != int(declared):
                    raise Refusal(400, "incomplete", "分块在传输中断开，未保留", offset=at)
                raise Refusal(400, "digest_mismatch", "分块校验和不符（传输中被改动），未保留", offset=at)
            writer.close()
            fh.flush()
            os.fsync(fh.fileno())  # durable before the offset is acknowledged
        finally:
            fh.close()  # releases the lock
        new = at + n
        complete = False
        if new == row.size:
            complete = await run_in_threadpool(_finish, hub, sha, row.size)
            if not complete:
                raise Refusal(422, "hash_mismatch", "整个文件的哈希与登记不符，已丢弃，请重新上传", offset=0)
        return _signed(hub, nonce, 200, {"sha256": sha, "offset": new, "complete": complete})


# --- what the county sees ------------------------------------------------------------------------


def expected_by_case(hub: Hub) -> dict[str, set[str]]:
    """{case_id: hashes of the evidence files its record names}."""
    out: dict[str, set[str]] = {}
    with hub.session() as s:
        for case_id, kind, body in s.execute(select(HubEvent.case_id, HubEvent.type, HubEvent.body)
                                             .where(HubEvent.type.in_((EVIDENCE_EVENT, DOCUMENT_EVENT)))):
            p = json.loads(body).get("payload") or {}
            sha = p.get("sha256") if kind == EVIDENCE_EVENT else p.get("pdf_sha256")
            if isinstance(sha, str) and _SHA.match(sha):
                out.setdefault(case_id, set()).add(sha)
    return out


def documents(hub: Hub, case: str | None = None) -> list[dict[str, Any]]:
    """The issued documents the hub's record holds, with whether their printed PDF is here."""
    with hub.session() as s:
        done = set(s.scalars(select(HubMedia.sha256).where(HubMedia.completed_at.is_not(None))))
        rows = s.execute(select(HubEvent.id, HubEvent.case_id, HubEvent.body)
                         .where(HubEvent.type == DOCUMENT_EVENT).order_by(HubEvent.received_at)).all()
    out = []
    for event_id, case_id, body in rows:
        p = json.loads(body).get("payload") or {}
        if case and not case_id.startswith(case):
            continue
        out.append({"event_id": event_id, "case_id": case_id, "document_id": p.get("document_id"),
                    "doc_type": p.get("doc_type"), "number": p.get("number"), "pdf_sha256": p.get("pdf_sha256"),
                    "document_date": p.get("document_date"), "pdf_held": p.get("pdf_sha256") in done})
    return out


def document_pdf(hub: Hub, number_or_id: str) -> tuple[dict[str, Any], bytes]:
    """The printed PDF of an issued document (by 文号 or document id), checked once more against the
    issued record's hash; ``LookupError`` with a Chinese message when not held."""
    key = number_or_id.strip()
    hits = [d for d in documents(hub) if key and (d["number"] == key or d["document_id"] == key
                                                  or (len(key) >= 8 and str(d["document_id"] or "").startswith(key)))]
    if len(hits) != 1:
        raise LookupError(f"平台上{'没有' if not hits else '有多份'}文号或编号为“{key}”的已出具文书")
    doc = hits[0]
    if not doc["pdf_held"]:
        raise LookupError(f"文书 {doc['number'] or doc['document_id']} 的 PDF 尚未送达平台（媒体不完整），"
                          "待该设备上传或以 U 盘数据包送达")
    data = read_media(hub, doc["pdf_sha256"])
    if hashlib.sha256(data).hexdigest() != doc["pdf_sha256"]:
        raise LookupError(f"文书 {doc['number'] or doc['document_id']} 的 PDF 与出具记录的哈希不符，已拒绝")
    return doc, data


def incomplete_by_case(hub: Hub) -> dict[str, int]:
    """{case_id: number of its evidence files the hub does not hold complete} (媒体不完整)."""
    expected = expected_by_case(hub)
    with hub.session() as s:
        done = set(s.scalars(select(HubMedia.sha256).where(HubMedia.completed_at.is_not(None))))
    return {cid: len(shas - done) for cid, shas in expected.items() if shas - done}


def read_media(hub: Hub, sha: str) -> bytes:
    with hub.session() as s:
        row = s.get(HubMedia, sha)
        if row is None or not row.blob_id:
            raise KeyError(sha)
        blob_id = row.blob_id
    return b"".join(store(hub).read_chunks(blob_id))


# --- by USB bundle -------------------------------------------------------------------------------


def decode_whole(entries: list[Any]) -> list[tuple[str, int, bytes]]:
    """Evidence files carried whole in a bundle, each checked against its hash before anything is
    stored (a file whose bytes do not match refuses the whole bundle)."""
    from sync.bundle import BundleError

    out = []
    for e in entries:
        sha, size, data = (e.get("sha256"), e.get("size"), e.get("data")) if isinstance(e, dict) else (None,) * 3
        if not (isinstance(sha, str) and _SHA.match(sha) and isinstance(size, int) and isinstance(data, str)):
            raise BundleError("数据包中的证据文件格式错误，未导入", code="bundle_malformed")
        try:
            raw = protocol.unb64(data)
        except ValueError:
            raise BundleError("数据包中的证据文件格式错误，未导入", code="bundle_malformed") from None
        if len(raw) != size or hashlib.sha256(raw).hexdigest() != sha:
            raise BundleError("数据包中的证据文件与其哈希不符，未导入", code="bundle_media_mismatch")
        out.append((sha, size, raw))
    return out


def store_whole(hub: Hub, device: Device, files: list[tuple[str, int, bytes]]) -> int:
    """Store checked files as a finished upload would be; one blob per hash."""
    import io

    n = 0
    for sha, size, raw in files:
        with hub.session() as s:
            row = s.get(HubMedia, sha)
            if row is not None and row.completed_at:
                continue
        blob = store(hub).put_stream(io.BytesIO(raw))
        with hub.session() as s:
            row = s.get(HubMedia, sha)
            if row is None:
                row = HubMedia(sha256=sha, size=size, device_id=device.id)
                s.add(row)
            row.blob_id, row.completed_at, row.lock_owner = blob.blob_id, utcnow_iso(), None
        part = _part(hub, sha)
        if part.exists():
            part.unlink()
        n += 1
    return n


def complete_among(hub: Hub, shas: list[str]) -> list[str]:
    wanted = [x for x in shas if isinstance(x, str) and _SHA.match(x)]
    out: list[str] = []
    with hub.session() as s:
        for i in range(0, len(wanted), 500):
            out += list(s.scalars(select(HubMedia.sha256).where(HubMedia.sha256.in_(wanted[i:i + 500]),
                                                                HubMedia.completed_at.is_not(None))))
    return sorted(out)
