"""Evidence media from the hub to the devices of the case's township (issue: two laptops, one case).

    POST /v1/media/held   {"sha256": [...]}  → {"complete": [...]}
        Which of the named files the hub holds complete *and* this device may fetch.
    POST /v1/media/fetch  {"sha256", "offset", "length"}  → the raw bytes ``offset…offset+length``
        At most ``MAX_FETCH`` bytes per request (``length`` is capped, not refused). The answer is
        ``application/octet-stream``, signed like every answer of the hub (``X-Lishui-Hub-Signature``
        over the request's nonce and the body's SHA-256) and carries the file's whole size
        (``X-Lishui-Media-Size``). The bytes are read from the encrypted store by seeking to the
        store chunk that holds ``offset`` and decrypting only the chunks the range touches: memory
        is bounded by one answer, never the file.

A device may fetch a file only when an ``evidence.added`` or ``document.issued`` event of a case of
its own township names the file's hash (the township owns its cases, as for the case stream);
anyone else is answered 403 without learning whether the hub holds it. A file named by such an
event but not (yet) complete at the hub is 404.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import Response
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from sync import protocol
from sync.hub import media
from sync.hub.models import CaseHead, Device, HubEvent, HubMedia
from sync.hub.service import Hub

MAX_FETCH = 1024 * 1024
MAX_HELD_QUERY = 2000
H_MEDIA_SIZE = "X-Lishui-Media-Size"


def _named_in_township(hub: Hub, township: str, sha: str) -> bool:
    """True when an evidence/document event of a case of ``township`` names ``sha``. Asked once per
    range of a download, so a pair found is remembered (``Hub.fetch_named``): events are append-only."""
    if (township, sha) in hub.fetch_named:
        return True
    if _scan_township(hub, township, sha):
        hub.fetch_named.add((township, sha))
        return True
    return False


def _scan_township(hub: Hub, township: str, sha: str) -> bool:
    with hub.session() as s:
        rows = s.execute(select(HubEvent.type, HubEvent.body)
                         .join(CaseHead, CaseHead.case_id == HubEvent.case_id)
                         .where(CaseHead.township_code == township,
                                HubEvent.type.in_((media.EVIDENCE_EVENT, media.DOCUMENT_EVENT)),
                                HubEvent.body.contains(sha))).all()
    for kind, body in rows:
        p = json.loads(body).get("payload") or {}
        if (p.get("sha256") if kind == media.EVIDENCE_EVENT else p.get("pdf_sha256")) == sha:
            return True
    return False


def fetchable(hub: Hub, device: Device, shas: list[str]) -> list[str]:
    """The hashes among ``shas`` held complete here that ``device``'s township may fetch."""
    held = media.complete_among(hub, shas)
    return [sha for sha in held if _named_in_township(hub, device.township_code, sha)]


def read_range(hub: Hub, device: Device, sha: str, offset: int, length: int) -> tuple[int, bytes]:
    """(whole size, the bytes of the range), checked for the device's township first."""
    if not _named_in_township(hub, device.township_code, sha):
        raise media.MediaRefusal(403, "media_forbidden", "该证据文件不属于本设备所在乡镇的案件，不能下载")
    with hub.session() as s:
        row = s.get(HubMedia, sha)
        if row is None or not row.completed_at or not row.blob_id:
            raise media.MediaRefusal(404, "media_not_held", "县级平台尚未收齐该证据文件（待原设备上传），请稍后再试")
        size, blob_id = int(row.size), row.blob_id
    if offset > size:
        raise media.MediaRefusal(416, "past_end", f"下载断点超出文件大小（文件共 {size} 字节）", size=size)
    want = min(length, MAX_FETCH, size - offset)
    out, got = [], 0
    pieces = media.store(hub).read_from(blob_id, offset)
    try:
        for piece in pieces:
            piece = piece[:want - got]
            out.append(piece)
            got += len(piece)
            if got >= want:
                break
    finally:
        pieces.close()
    return size, b"".join(out)


def register_routes(app: FastAPI, hub: Hub) -> None:
    from sync.hub import openapi_doc as doc
    from sync.hub.app import Refusal, _decode_json, _read_body, _signed, authenticate

    async def _device(request: Request) -> tuple[Device, str, Any]:
        raw = await _read_body(request)
        device, nonce = await run_in_threadpool(authenticate, hub, request, raw)
        if device.revoked_at is not None:
            raise Refusal(403, "device_revoked", "本设备已被县级平台停用：本机数据保留不动")
        return device, nonce, _decode_json(request, raw)

    @app.post("/v1/media/held", openapi_extra=doc.body(doc.MEDIA_HELD_BODY),
              responses=doc.responses(doc.MEDIA_HELD_OK))
    async def media_held(request: Request) -> Response:
        """Which of the named evidence files this device may download complete from the hub."""
        device, nonce, body = await _device(request)
        shas = body.get("sha256") if isinstance(body, dict) else None
        if not (isinstance(shas, list) and len(shas) <= MAX_HELD_QUERY and all(isinstance(x, str) for x in shas)):
            raise Refusal(400, "bad_request", f"证据文件查询应为哈希列表（每次最多 {MAX_HELD_QUERY} 个）")
        held = await run_in_threadpool(fetchable, hub, device, shas)
        return _signed(hub, nonce, 200, {"complete": held})

    @app.post("/v1/media/fetch", openapi_extra=doc.body(doc.MEDIA_FETCH_BODY), responses=doc.fetch_responses())
    async def media_fetch(request: Request) -> Response:
        """A bounded range of a complete evidence file, for a device of the case's township."""
        device, nonce, body = await _device(request)
        sha, at, n = (body.get("sha256"), body.get("offset", 0), body.get("length", MAX_FETCH)) \
            if isinstance(body, dict) else (None, None, None)
        if not (isinstance(sha, str) and media._SHA.match(sha) and isinstance(at, int) and 0 <= at <= media.MAX_MEDIA
                and isinstance(n, int) and 1 <= n <= media.MAX_MEDIA):
            raise Refusal(400, "bad_request", "证据下载请求缺少哈希、断点或长度")
        try:
            size, data = await run_in_threadpool(read_range, hub, device, sha, at, n)
        except media.MediaRefusal as exc:
            raise Refusal(exc.status, exc.code, exc.message, **exc.extra) from None
        headers = {protocol.H_HUB_SIGNATURE: protocol.b64(hub.sign(protocol.response_string(nonce, data))),
                   H_MEDIA_SIZE: str(size)}
        return Response(data, status_code=200, media_type="application/octet-stream", headers=headers)
