"""Signed requests to the hub (see ``sync.protocol``) with answers checked against the pinned key.

A refusal for clock skew carries the hub's time: the client stores the offset and retries once.
A timeout or a cut connection is an error, never a success.
"""

from __future__ import annotations

import json
import secrets
from typing import Any

import httpx

from lishui_desk.errors import DeskError
from lishui_desk.timeutil import now_utc
from sync import protocol

CLIENT_VERSION = "0.1.0"


class SyncError(DeskError):
    code = "sync_failed"


class HubRefused(SyncError):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message, code=code)
        self.status = status


class DeviceRevoked(HubRefused):
    pass


class Transport:
    def __init__(self, hub_url: str, device_id: str, key, hub_public_key: bytes | None, *,
                 clock_offset_s: int = 0, timeout: float = 30.0) -> None:
        self.base = hub_url.rstrip("/")
        self.device_id, self.key, self.hub_public_key = device_id, key, hub_public_key
        self.clock_offset_s = clock_offset_s
        self.offset_changed = False
        self.bytes_sent = 0
        self.bytes_received = 0
        self.requests = 0
        self._http = httpx.Client(timeout=httpx.Timeout(timeout), trust_env=False)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Transport:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def meta(self) -> dict[str, Any]:
        try:
            r = self._http.get(self.base + "/v1/meta")
        except httpx.HTTPError as exc:
            raise SyncError(f"无法连接县级平台 {self.base}：{_describe(exc)}", code="offline") from None
        if r.status_code != 200:
            raise SyncError(f"县级平台应答异常（HTTP {r.status_code}）")
        return r.json()

    def call(self, path: str, body: dict[str, Any], *, compress: bool = False) -> dict[str, Any]:
        raw = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        payload = protocol.compress(raw) if compress else raw
        try:
            return self._send(path, payload, compress)
        except HubRefused as exc:
            if exc.code != "clock_skew":
                raise
            return self._send(path, payload, compress)  # offset corrected from the hub's time

    def signed_headers(self, method: str, path: str, payload: bytes,
                       content_type: str = "application/json") -> tuple[dict[str, str], str]:
        """(headers, nonce) of a device-signed request: time (corrected by the hub's clock offset),
        a fresh nonce and the body's SHA-256, signed with the device key (docs/SYNC.md)."""
        ts = int(now_utc().timestamp()) + self.clock_offset_s
        nonce = secrets.token_hex(16)
        digest = protocol.sha256_hex(payload)
        sig = self.key.sign(protocol.signing_string(method, path, ts, nonce, digest, self.device_id))
        return {
            protocol.H_DEVICE: self.device_id, protocol.H_TIME: str(ts), protocol.H_NONCE: nonce,
            protocol.H_DIGEST: digest, protocol.H_SIGNATURE: protocol.b64(sig),
            "Content-Type": content_type,
        }, nonce

    def _send(self, path: str, payload: bytes, compressed: bool) -> dict[str, Any]:
        headers, nonce = self.signed_headers("POST", path, payload)
        if compressed:
            headers["Content-Encoding"] = "zstd"
        try:
            r = self._http.post(self.base + path, content=payload, headers=headers)
        except httpx.HTTPError as exc:
            raise SyncError(f"与县级平台的连接中断：{_describe(exc)}（未确认的内容会在下次同步时重发）",
                            code="offline") from None
        self.requests += 1
        self.bytes_sent += len(payload) + sum(len(k) + len(v) + 4 for k, v in headers.items())
        self.bytes_received += len(r.content)
        if r.status_code >= 500 or (r.status_code != 200 and protocol.H_HUB_SIGNATURE not in r.headers):
            # not an answer of the hub's (a proxy's or server's error page): an error, never a success
            raise SyncError(f"县级平台暂时无法处理（HTTP {r.status_code}），未确认的内容会在下次同步时重发",
                            code="hub_unavailable")
        data = self._verified(r, nonce)
        if r.status_code == 200:
            return data
        code, message = str(data.get("error", "error")), str(data.get("message", "县级平台拒绝了请求"))
        if code == "clock_skew" and isinstance(data.get("server_time_unix"), int):
            self.clock_offset_s = data["server_time_unix"] - int(now_utc().timestamp())
            self.offset_changed = True
        if code == "device_revoked":
            raise DeviceRevoked(r.status_code, code, message)
        raise HubRefused(r.status_code, code, message)

    def _verified(self, r: httpx.Response, nonce: str) -> dict[str, Any]:
        content = r.content
        if r.headers.get(protocol.H_ENCODING) == "zstd":
            try:
                content = protocol.decompress_capped(content)
            except (ValueError, protocol.TooLarge):
                raise SyncError("县级平台应答的压缩数据损坏或过大", code="bad_answer") from None
        if self.hub_public_key is not None:
            sig = r.headers.get(protocol.H_HUB_SIGNATURE)
            try:
                ok = sig is not None and protocol.verify(
                    self.hub_public_key, protocol.unb64(sig), protocol.response_string(nonce, content)
                )
            except ValueError:
                ok = False
            if not ok:
                raise SyncError("县级平台的应答签名无效（可能被冒充或篡改），本次同步未采用该应答",
                                code="bad_hub_signature")
        try:
            data = json.loads(content)
        except ValueError:
            raise SyncError(f"县级平台应答不是有效的 JSON（HTTP {r.status_code}）") from None
        if not isinstance(data, dict):
            raise SyncError("县级平台应答格式错误")
        return data


def _describe(exc: httpx.HTTPError) -> str:
    if isinstance(exc, httpx.TimeoutException):
        return "超时"
    if isinstance(exc, httpx.ConnectError):
        return "无法建立连接"
    return "连接被中断"
