"""Wire protocol shared by the county hub and the desktop client (documented in docs/SYNC.md).

Request signature (Ed25519, device key) over the UTF-8 bytes of::

    LISHUI-SIG-V1\\n{METHOD}\\n{path[?query]}\\n{unix seconds}\\n{nonce}\\n{sha256(body) hex}\\n{device id}

sent in the ``X-Lishui-*`` headers below. Every answer to a signed request carries the hub's
signature over ``LISHUI-HUB-V1\\n{request nonce}\\n{sha256(answer body) hex}``, so the client knows
the answer came from the pinned hub and belongs to its request. Bodies of push batches are zstd
frames; the hub caps both the compressed and the decompressed size.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
from dataclasses import dataclass
from typing import Any

import zstandard
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

PROTOCOL_MIN = 1
PROTOCOL_MAX = 1
CLOCK_WINDOW_S = 300  # a request more than this far from the hub's clock is refused as skewed
MAX_BATCH_ITEMS = 500
MAX_BODY_BYTES = 4 * 1024 * 1024  # compressed, as received
MAX_DECOMPRESSED_BYTES = 16 * 1024 * 1024

H_DEVICE = "X-Lishui-Device"
H_TIME = "X-Lishui-Timestamp"
H_NONCE = "X-Lishui-Nonce"
H_DIGEST = "X-Lishui-Content-SHA256"
H_SIGNATURE = "X-Lishui-Signature"
H_HUB_SIGNATURE = "X-Lishui-Hub-Signature"
H_ENCODING = "X-Lishui-Encoding"  # "zstd": the answer body is a zstd frame (signature over the plain bytes)
ENROLL_DEVICE = "new"  # device header of the enrollment request (signed with the key it registers)

CODE_PREFIX = "LSE1-"


def canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def signing_string(method: str, path: str, timestamp: int, nonce: str, digest: str, device: str) -> bytes:
    return f"LISHUI-SIG-V1\n{method.upper()}\n{path}\n{timestamp}\n{nonce}\n{digest}\n{device}".encode()


def response_string(nonce: str, body: bytes) -> bytes:
    return f"LISHUI-HUB-V1\n{nonce}\n{sha256_hex(body)}".encode()


def receipt_string(receipt: dict[str, Any]) -> bytes:
    return b"LISHUI-RECEIPT-V1\n" + canonical(receipt)


def body_string(body: bytes) -> bytes:
    """What the hub signs for a reference item's content alone (canonical JSON of the body), so the
    desktop keeps a signature it can check again against the stored body."""
    return b"LISHUI-REF-BODY-V1\n" + body


def reference_string(body: bytes) -> bytes:
    """What the hub signs for a reference item: its exact canonical-JSON bytes."""
    return b"LISHUI-REF-V1\n" + body


# --- keys --------------------------------------------------------------------------------------


def public_raw(key: Ed25519PrivateKey | Ed25519PublicKey) -> bytes:
    pub = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return pub.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def private_raw(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )


def fingerprint(public_key_raw: bytes) -> str:
    """First 128 bits of SHA-256 of the raw public key, hex (what the enrollment code carries)."""
    return hashlib.sha256(public_key_raw).hexdigest()[:32]


def verify(public_key_raw: bytes, signature: bytes, message: bytes) -> bool:
    from cryptography.exceptions import InvalidSignature

    try:
        Ed25519PublicKey.from_public_bytes(public_key_raw).verify(signature, message)
    except (InvalidSignature, ValueError):
        return False
    return True


# --- enrollment code ---------------------------------------------------------------------------


@dataclass(frozen=True)
class EnrollCode:
    hub_url: str
    hub_fingerprint: str
    secret: str
    township_code: str = ""  # so a desktop can refuse a code for another township before using it
    cert_no: str = ""

    def encode(self) -> str:
        raw = canonical({"u": self.hub_url, "f": self.hub_fingerprint, "s": self.secret,
                         "t": self.township_code, "c": self.cert_no})
        return CODE_PREFIX + base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")

    @classmethod
    def decode(cls, text: str) -> EnrollCode:
        text = text.strip()
        if not text.startswith(CODE_PREFIX):
            raise ValueError("not an enrollment code")
        body = text[len(CODE_PREFIX):]
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        data = json.loads(raw)
        if not all(isinstance(data.get(k), str) and data.get(k) for k in ("u", "f", "s")):
            raise ValueError("incomplete enrollment code")
        return cls(data["u"], data["f"], data["s"], str(data.get("t") or ""), str(data.get("c") or ""))


# --- compression -------------------------------------------------------------------------------


class TooLarge(Exception):
    pass


def compress(data: bytes, level: int = 9) -> bytes:
    return zstandard.ZstdCompressor(level=level, write_content_size=True).compress(data)


def decompress_capped(data: bytes, cap: int = MAX_DECOMPRESSED_BYTES) -> bytes:
    """Decompress a zstd frame, never producing more than ``cap`` bytes (compression bombs)."""
    try:
        params = zstandard.get_frame_parameters(data)
    except zstandard.ZstdError as exc:
        raise ValueError(f"not a zstd frame: {exc}") from exc
    if params.content_size not in (zstandard.CONTENTSIZE_UNKNOWN, zstandard.CONTENTSIZE_ERROR) and (
        params.content_size > cap
    ):
        raise TooLarge(params.content_size)
    reader = zstandard.ZstdDecompressor().stream_reader(io.BytesIO(data))
    out = io.BytesIO()
    try:
        while True:
            chunk = reader.read(65536)
            if not chunk:
                break
            out.write(chunk)
            if out.tell() > cap:
                raise TooLarge(out.tell())
    except zstandard.ZstdError as exc:
        raise ValueError(f"damaged zstd frame: {exc}") from exc
    return out.getvalue()
