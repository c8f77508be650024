"""The hub's HTTP API (``/v1``), FastAPI. Ingest runs inside the request: the answer, and with it
the acknowledgement, is sent only after the transaction has committed (no background tasks).
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import Response
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect

from lishui_desk.models import utcnow_iso
from lishui_desk.timeutil import now_utc
from sync import protocol
from sync.hub import ingest, refs
from sync.hub.models import Device, SeenNonce
from sync.hub.service import EnrollRefused, Hub, redeem_enrollment

HUB_VERSION = "0.1.0"
MAX_CURSOR = 2**31 - 1  # cursors are 32-bit integers in the hub schema (PostgreSQL INTEGER)


class Refusal(Exception):
    def __init__(self, status: int, code: str, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.extra = status, code, message, extra


def _signed(hub: Hub, nonce: str | None, status: int, data: dict[str, Any], *, compress: bool = False) -> Response:
    """The answer, signed over its uncompressed bytes; zstd-compressed (``X-Lishui-Encoding``) when
    the request was."""
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    headers = {}
    if nonce:
        headers[protocol.H_HUB_SIGNATURE] = protocol.b64(hub.sign(protocol.response_string(nonce, body)))
    if compress:
        body = protocol.compress(body, level=3)
        headers[protocol.H_ENCODING] = "zstd"
    return Response(body, status_code=status, media_type="application/json", headers=headers)


def _zstd(request: Request) -> bool:
    return request.headers.get("content-encoding", "").lower() == "zstd"


async def _read_body(request: Request) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > protocol.MAX_BODY_BYTES):
        raise Refusal(413, "too_large", f"请求体超过上限 {protocol.MAX_BODY_BYTES} 字节")
    chunks, size = [], 0
    try:
        async for chunk in request.stream():
            size += len(chunk)
            if size > protocol.MAX_BODY_BYTES:
                raise Refusal(413, "too_large", f"请求体超过上限 {protocol.MAX_BODY_BYTES} 字节")
            chunks.append(chunk)
    except ClientDisconnect:
        raise Refusal(400, "incomplete", "请求在传输中断开，未处理") from None
    return b"".join(chunks)


def _decode_json(request: Request, raw: bytes) -> Any:
    data = raw
    if request.headers.get("content-encoding", "").lower() == "zstd":
        try:
            data = protocol.decompress_capped(raw)
        except protocol.TooLarge:
            raise Refusal(413, "too_large",
                          f"解压后超过上限 {protocol.MAX_DECOMPRESSED_BYTES} 字节（疑似压缩炸弹），已拒收") from None
        except ValueError:
            raise Refusal(400, "bad_encoding", "压缩数据损坏，无法解压") from None
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise Refusal(400, "bad_json", "请求内容不是有效的 JSON") from None


def _headers(request: Request) -> tuple[str, int, str, str, bytes]:
    h = request.headers
    try:
        device = h[protocol.H_DEVICE]
        ts = int(h[protocol.H_TIME])
        nonce = h[protocol.H_NONCE]
        digest = h[protocol.H_DIGEST]
        sig = protocol.unb64(h[protocol.H_SIGNATURE])
    except (KeyError, ValueError):
        raise Refusal(401, "unsigned", "请求未签名或签名头不完整") from None
    if not (8 <= len(nonce) <= 64) or len(device) > 64:
        raise Refusal(401, "unsigned", "请求签名头格式错误")
    return device, ts, nonce, digest, sig


def _path(request: Request) -> str:
    q = request.url.query
    return request.url.path + (f"?{q}" if q else "")


def check_clock(ts: int) -> None:
    server = int(now_utc().timestamp())
    if abs(ts - server) > protocol.CLOCK_WINDOW_S:
        raise Refusal(401, "clock_skew", "本机时钟与县级平台相差过大，已按平台时间校正后重试",
                      server_time_unix=server)


def _check_common(raw: bytes, ts: int, digest: str) -> None:
    check_clock(ts)
    if protocol.sha256_hex(raw) != digest:
        raise Refusal(400, "digest_mismatch", "请求内容摘要不符（传输中被改动）")


def authenticate(hub: Hub, request: Request, raw: bytes) -> tuple[Device, str]:
    """Verify a device-signed request; records the nonce (replays are refused)."""
    device_id, ts, nonce, digest, sig = _headers(request)
    _check_common(raw, ts, digest)
    return verify_signature(hub, request, device_id, ts, nonce, digest, sig), nonce


def verify_signature(hub: Hub, request: Request, device_id: str, ts: int, nonce: str, digest: str, sig: bytes,
                     *, seen: bool = True) -> Device:
    """The device's signature over the request line, time, nonce and declared digest; records the
    nonce (a replay is refused). ``seen``: note the device's last contact and clock drift."""
    with hub.session() as s:
        device = s.get(Device, device_id)
        if device is None:
            raise Refusal(401, "unknown_device", "本设备未在县级平台登记，请重新登记")
        msg = protocol.signing_string(request.method, _path(request), ts, nonce, digest, device_id)
        if not protocol.verify(bytes.fromhex(device.public_key), sig, msg):
            raise Refusal(401, "bad_signature", "请求签名无效（设备密钥不符或内容被改动）")
        server = int(now_utc().timestamp())
        s.execute(delete(SeenNonce).where(SeenNonce.seen_unix < server - 3 * protocol.CLOCK_WINDOW_S))
        s.add(SeenNonce(device_id=device_id, nonce=nonce, seen_unix=server))
        try:
            s.flush()
        except IntegrityError:
            raise Refusal(401, "replay", "重复的请求（疑似重放），已拒收") from None
        if seen:
            device.last_seen_at = utcnow_iso()
            device.clock_drift_s = ts - server
    return device


def create_app(hub: Hub) -> FastAPI:
    app = FastAPI(title="丽水乡镇综合执法 县级平台", version=HUB_VERSION, openapi_url="/v1/openapi.json",
                  docs_url=None, redoc_url=None)

    from sync.hub import openapi_doc as doc

    @app.exception_handler(Refusal)
    async def _refusal(request: Request, exc: Refusal) -> Response:
        nonce = request.headers.get(protocol.H_NONCE)
        data = {"error": exc.code, "message": exc.message, **exc.extra}
        return _signed(hub, nonce if nonce and len(nonce) <= 64 else None, exc.status, data)

    @app.get("/v1/meta")
    def meta() -> dict[str, Any]:
        """Protocol range, limits, the hub's clock and epoch, the signing key's fingerprint."""
        now = now_utc()
        return {
            "protocol": {"min": protocol.PROTOCOL_MIN, "max": protocol.PROTOCOL_MAX},
            "limits": {"max_batch_items": protocol.MAX_BATCH_ITEMS, "max_body_bytes": protocol.MAX_BODY_BYTES,
                       "max_decompressed_bytes": protocol.MAX_DECOMPRESSED_BYTES,
                       "clock_window_s": protocol.CLOCK_WINDOW_S},
            "server_time": now.isoformat(timespec="seconds"),
            "server_time_unix": int(now.timestamp()),
            "hub_epoch": hub.epoch(),
            "hub_key_fingerprint": hub.fingerprint,
            "hub_version": HUB_VERSION,
            "streams": list(refs.STREAMS),
        }

    @app.post("/v1/enroll")
    async def enroll(request: Request) -> Response:
        """Register a device with a one-time code; signed with the key being registered."""
        raw = await _read_body(request)
        device_id, ts, nonce, digest, sig = _headers(request)
        _check_common(raw, ts, digest)
        body = _decode_json(request, raw)
        if not isinstance(body, dict) or not isinstance(body.get("secret"), str) or not isinstance(
            body.get("public_key"), str
        ):
            raise Refusal(400, "bad_request", "登记请求缺少登记码或设备公钥")
        try:
            pub = protocol.unb64(body["public_key"])
        except ValueError:
            raise Refusal(400, "bad_request", "设备公钥格式错误") from None
        msg = protocol.signing_string(request.method, _path(request), ts, nonce, digest, device_id)
        if device_id != protocol.ENROLL_DEVICE or len(pub) != 32 or not protocol.verify(pub, sig, msg):
            raise Refusal(401, "bad_signature", "登记请求签名无效")
        try:
            result = await run_in_threadpool(
                redeem_enrollment, hub, body["secret"], pub, str(body.get("label", ""))[:128],
                str(body.get("client_version", ""))[:32],
            )
        except EnrollRefused as exc:
            raise Refusal(403, exc.code, exc.message) from None
        result["hub_epoch"] = hub.epoch()
        return _signed(hub, nonce, 200, result)

    @app.post("/v1/state", openapi_extra=doc.body(doc.STATE_BODY), responses=doc.responses(doc.STATE_OK))
    async def state(request: Request) -> Response:
        """What the hub holds for this device: the acknowledged head of each of its township's cases."""
        raw = await _read_body(request)
        device, nonce = await run_in_threadpool(authenticate, hub, request, raw)
        _revoked_check(device)
        data = await run_in_threadpool(refs.device_state, hub, device)
        return _signed(hub, nonce, 200, data, compress=_zstd(request))

    @app.post("/v1/push", openapi_extra=doc.body(doc.PUSH_BODY), responses=doc.responses(doc.PUSH_OK))
    async def push(request: Request) -> Response:
        """A batch of outbox items (zstd JSON ``{"items": [...]}``); per-item answers and a signed receipt."""
        raw = await _read_body(request)
        device, nonce = await run_in_threadpool(authenticate, hub, request, raw)
        body = _decode_json(request, raw)
        if not isinstance(body, dict) or not isinstance(body.get("items"), list):
            raise Refusal(400, "bad_request", "推送批次缺少条目列表")
        items = body["items"]
        if len(items) > protocol.MAX_BATCH_ITEMS:
            raise Refusal(413, "batch_too_large", f"一批最多 {protocol.MAX_BATCH_ITEMS} 条")
        if device.revoked_at is not None:
            await run_in_threadpool(_quarantine_revoked, hub, device, items)
            _revoked_check(device)
        data = await run_in_threadpool(_ingest, hub, device, items)
        return _signed(hub, nonce, 200, data, compress=_zstd(request))

    @app.post("/v1/pull", openapi_extra=doc.body(doc.PULL_BODY), responses=doc.responses(doc.PULL_OK))
    async def pull(request: Request) -> Response:
        """Signed reference items of one stream after a cursor (``{"stream", "after", "limit"}``)."""
        raw = await _read_body(request)
        device, nonce = await run_in_threadpool(authenticate, hub, request, raw)
        _revoked_check(device)
        body = _decode_json(request, raw)
        if not isinstance(body, dict) or body.get("stream") not in (*refs.STREAMS, refs.CASES):
            raise Refusal(400, "bad_request", "未知的参考数据流")
        after = body.get("after", 0)
        limit = body.get("limit", 200)
        if (not isinstance(after, int) or not isinstance(limit, int) or not 0 <= after <= MAX_CURSOR
                or not 1 <= limit <= 1000):
            raise Refusal(400, "bad_request", "游标或条数无效")
        if body["stream"] == refs.CASES:  # the township's case events (every device of the township)
            data = await run_in_threadpool(refs.pull_cases, hub, device, after, limit, body.get("own") is True)
        else:
            data = await run_in_threadpool(refs.pull, hub, device, body["stream"], after, limit)
        return _signed(hub, nonce, 200, data, compress=_zstd(request))

    from sync.hub import media

    media.register_routes(app, hub)  # /v1/media/offset, /v1/media/chunk (resumable evidence uploads)
    from sync.hub import media_fetch

    media_fetch.register_routes(app, hub)  # /v1/media/held, /v1/media/fetch (downloads by the township)
    return app


def _revoked_check(device: Device) -> None:
    if device.revoked_at is not None:
        raise Refusal(403, "device_revoked",
                      "本设备已被县级平台停用：本机数据保留不动，停用后提交的内容已留待县级复核")


def _quarantine_revoked(hub: Hub, device: Device, items: list[Any]) -> None:
    with hub.session() as s:
        ingest.quarantine_revoked(s, device, items)


def _ingest(hub: Hub, device: Device, items: list[Any]) -> dict[str, Any]:
    with hub.session() as s:
        results, heads = ingest.ingest_batch(s, device, items)
    # committed: only now is the receipt issued
    receipt = {"device_id": device.id, "hub_epoch": hub.epoch(), "issued_at": utcnow_iso(), "heads": heads}
    return {"results": [r.as_dict() for r in results], "receipt": receipt,
            "receipt_signature": protocol.b64(hub.sign(protocol.receipt_string(receipt)))}
