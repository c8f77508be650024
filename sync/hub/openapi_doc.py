"""What ``/v1/openapi.json`` says about the signed endpoints, whose handlers read the raw body
(signature over the exact bytes) and so declare nothing FastAPI could infer: the JSON request
bodies (sent as such, or as a zstd frame with ``X-Lishui-Encoding: zstd``), the answers and the
refusals (``{"error", "message"}``, HTTP 400/401/403/413). Schemathesis checks the hub against it
(``tests/test_hub_openapi.py``)."""

from __future__ import annotations

from typing import Any

from sync.hub.refs import STREAMS

_ERROR = {"type": "object", "required": ["error", "message"],
          "properties": {"error": {"type": "string"}, "message": {"type": "string"}}}
_REFUSALS = {
    400: "请求无效（格式、摘要、压缩数据）",
    401: "未签名、签名无效、时钟偏差、重放或未知设备",
    403: "设备已停用",
    413: "请求体或批次超过上限",
}


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": schema}}}


def responses(ok: dict[str, Any]) -> dict[int | str, dict[str, Any]]:
    out: dict[int | str, dict[str, Any]] = {200: {"description": "成功（应答由平台密钥签名）", **_json(ok)}}
    for status, text in _REFUSALS.items():
        out[status] = {"description": text, **_json(_ERROR)}
    return out


def body(schema: dict[str, Any]) -> dict[str, Any]:
    return {"requestBody": {"required": True, **_json(schema)}}


STATE_BODY = {"type": "object", "properties": {"device_id": {"type": "string"}}}
STATE_OK = {"type": "object", "required": ["device_id", "hub_epoch", "heads", "streams"],
            "properties": {"device_id": {"type": "string"}, "hub_epoch": {"type": "string"},
                           "acked_events": {"type": "integer"}, "heads": {"type": "array"},
                           "streams": {"type": "object"}, "numbers_used": {"type": "array"}}}
PUSH_BODY = {"type": "object", "required": ["items"],
             "properties": {"items": {"type": "array", "maxItems": 500, "items": {"type": "object"}}}}
PUSH_OK = {"type": "object", "required": ["results", "receipt", "receipt_signature"],
           "properties": {"results": {"type": "array"}, "receipt": {"type": "object"},
                          "receipt_signature": {"type": "string"}}}
PULL_BODY = {"type": "object", "required": ["stream"],
             "properties": {"stream": {"type": "string", "enum": list(STREAMS)}, "after": {"type": "integer", "minimum": 0, "maximum": 2**31 - 1},
                            "limit": {"type": "integer", "minimum": 1, "maximum": 1000},
                            # stream "cases" only: a restored device asks for its own events too
                            "own": {"type": "boolean"}}}
PULL_OK = {"type": "object", "required": ["stream", "items", "next", "more", "head", "hub_epoch"],
           "properties": {"stream": {"type": "string"}, "items": {"type": "array"}, "next": {"type": "integer"},
                          "more": {"type": "boolean"}, "head": {"type": "integer"}, "hub_epoch": {"type": "string"}}}
MEDIA_HELD_BODY = {"type": "object", "required": ["sha256"],
                   "properties": {"sha256": {"type": "array", "maxItems": 2000,
                                             "items": {"type": "string", "pattern": "^[0-9a-f]{64}$"}}}}
MEDIA_HELD_OK = {"type": "object", "required": ["complete"],
                 "properties": {"complete": {"type": "array", "items": {"type": "string"}}}}
MEDIA_FETCH_BODY = {"type": "object", "required": ["sha256"],
                    "properties": {"sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                                   "offset": {"type": "integer", "minimum": 0},
                                   "length": {"type": "integer", "minimum": 1}}}


def fetch_responses() -> dict[int | str, dict[str, Any]]:
    """A range of an evidence file (raw bytes, at most 1 MiB, ``X-Lishui-Media-Size`` the whole
    size); 403 for a device of another township, 404 while the hub does not hold it complete, 416
    for an offset past the end."""
    out = responses({"type": "string"})
    out[200] = {"description": "文件的一段原始字节（应答由平台密钥签名）",
                "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}
    out[403] = {"description": "设备已停用，或该文件不属于本设备所在乡镇的案件", **_json(_ERROR)}
    out[404] = {"description": "平台尚未收齐该文件", **_json(_ERROR)}
    out[416] = {"description": "断点超出文件大小", **_json(_ERROR)}
    return out
