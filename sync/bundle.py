"""The USB bundle: the same batches as the network, in a file carried by hand.

Layout of a bundle file::

    b"LSBUNDLE1\\n" | u32 big-endian header length | header (canonical JSON) | 64-byte signature | ciphertext

The header names the bundle (``id``), the direction (``kind``), the sender and the recipient (with
the fingerprints of their Ed25519 keys), a per-direction ``seq``, ``created_at`` and ``expires_at``
(UTC, ISO-8601), the sender's ephemeral X25519 public key and the AES-GCM nonce.

* Signature: the sender's Ed25519 key (the device key made at enrollment, or the hub key) over
  ``LISHUI-BUNDLE-V1\\n`` + u32 header length + header + SHA-256(ciphertext): every byte of the
  file is covered, and the id, sequence, expiry and recipient are bound in.
* Encryption to the recipient: X25519 between a fresh ephemeral key and the recipient's static
  X25519 key, HKDF-SHA256 (salt = ephemeral public ‖ recipient public, info = ``LISHUI-BUNDLE-V1``),
  AES-256-GCM with the header as associated data. The static X25519 keys are the birational
  images of the same Ed25519 keys enrollment set up (as libsodium's ``crypto_sign_ed25519_*_to_
  curve25519``), so no new key had to be exchanged: the hub knows each device's public key, the
  device has pinned the hub's.
* Plaintext: a zstd frame of canonical JSON, decompressed with a cap.

Nothing is decrypted before the structure, the recipient, the signature and the expiry have been
checked; every refusal is a ``BundleError`` with a Chinese message.
"""

from __future__ import annotations

import hashlib
import json
import os
import struct
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from lishui_desk.errors import InvalidInput
from lishui_desk.timeutil import now_utc
from sync import protocol

MAGIC = b"LSBUNDLE1\n"
FORMAT = 1
DESK_TO_HUB = "desk-to-hub"
HUB_TO_DESK = "hub-to-desk"
DEFAULT_TTL = timedelta(days=30)
MAX_HEADER = 16 * 1024
MAX_PLAINTEXT = 256 * 1024 * 1024
_P = 2**255 - 19
_SIG_PREFIX = b"LISHUI-BUNDLE-V1\n"
_INFO = b"LISHUI-BUNDLE-V1"


class BundleError(InvalidInput):
    code = "bad_bundle"


# --- keys: X25519 images of the Ed25519 keys ---------------------------------------------------


def x25519_private(ed_key: Ed25519PrivateKey) -> X25519PrivateKey:
    """The X25519 private key of an Ed25519 key: the clamped first half of SHA-512(seed)."""
    return X25519PrivateKey.from_private_bytes(hashlib.sha512(protocol.private_raw(ed_key)).digest()[:32])


def x25519_public(ed_public_raw: bytes) -> bytes:
    """The Montgomery u-coordinate of an Ed25519 public key: u = (1 + y) / (1 − y) mod p."""
    if len(ed_public_raw) != 32:
        raise BundleError("公钥长度错误")
    y = int.from_bytes(ed_public_raw, "little") & ((1 << 255) - 1)
    if y >= _P or y == 1:
        raise BundleError("公钥无效")
    u = (1 + y) * pow((1 - y) % _P, _P - 2, _P) % _P
    return u.to_bytes(32, "little")


def _raw(pub: X25519PublicKey) -> bytes:
    return pub.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _aead_key(shared: bytes, eph_pub: bytes, recipient_pub: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=eph_pub + recipient_pub, info=_INFO).derive(shared)


def _signed_bytes(header: bytes, ciphertext: bytes) -> bytes:
    return _SIG_PREFIX + struct.pack(">I", len(header)) + header + hashlib.sha256(ciphertext).digest()


# --- sealing and opening ---------------------------------------------------------------------


@dataclass(frozen=True)
class Party:
    """One end of a bundle: an id (a device id, or ``hub``) and its Ed25519 public key."""

    id: str
    ed_public: bytes

    @property
    def fingerprint(self) -> str:
        return protocol.fingerprint(self.ed_public)


def seal(payload: dict[str, Any], *, kind: str, sender: Party, sender_key: Ed25519PrivateKey,
         recipient: Party, seq: int, ttl: timedelta = DEFAULT_TTL, bundle_id: str | None = None) -> bytes:
    now = now_utc()
    eph = X25519PrivateKey.generate()
    eph_pub = _raw(eph.public_key())
    rcpt_x = x25519_public(recipient.ed_public)
    key = _aead_key(eph.exchange(X25519PublicKey.from_public_bytes(rcpt_x)), eph_pub, rcpt_x)
    nonce = os.urandom(12)
    header = protocol.canonical({
        "format": FORMAT, "id": bundle_id or os.urandom(16).hex(), "kind": kind, "seq": int(seq),
        "sender": sender.id, "sender_key": sender.fingerprint,
        "recipient": recipient.id, "recipient_key": recipient.fingerprint,
        "created_at": now.isoformat(timespec="seconds"), "expires_at": (now + ttl).isoformat(timespec="seconds"),
        "ephemeral": protocol.b64(eph_pub), "nonce": protocol.b64(nonce),
    })
    plain = protocol.compress(protocol.canonical(payload), level=9)
    ciphertext = AESGCM(key).encrypt(nonce, plain, header)
    sig = sender_key.sign(_signed_bytes(header, ciphertext))
    return MAGIC + struct.pack(">I", len(header)) + header + sig + ciphertext


def read_header(data: bytes) -> tuple[dict[str, Any], bytes, bytes, bytes]:
    """(header, header bytes, signature, ciphertext) — structure only, nothing verified yet."""
    bad = BundleError("文件不是执法数据包，或数据包已损坏（文件头不完整），未导入任何内容", code="bundle_malformed")
    if not data.startswith(MAGIC) or len(data) < len(MAGIC) + 4:
        raise bad
    (n,) = struct.unpack(">I", data[len(MAGIC):len(MAGIC) + 4])
    start = len(MAGIC) + 4
    if n > MAX_HEADER or len(data) < start + n + 64:
        raise bad
    header_bytes = data[start:start + n]
    sig = data[start + n:start + n + 64]
    ciphertext = data[start + n + 64:]
    try:
        header = json.loads(header_bytes.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise bad from None
    fields = ("id", "kind", "sender", "sender_key", "recipient", "recipient_key", "created_at", "expires_at",
              "ephemeral", "nonce")
    if not isinstance(header, dict) or header.get("format") != FORMAT or not all(
        isinstance(header.get(k), str) for k in fields
    ) or not isinstance(header.get("seq"), int):
        raise bad
    return header, header_bytes, sig, ciphertext


def open_sealed(data: bytes, *, kind: str, me: Party, my_key: Ed25519PrivateKey, sender_public: bytes,
                recipient_label: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Check a bundle addressed to ``me`` from the holder of ``sender_public`` and decrypt it.
    Order: structure, direction, recipient, signature, expiry, then decryption."""
    header, header_bytes, sig, ciphertext = read_header(data)
    if header["kind"] != kind:
        what = "县级平台导出给乡镇的" if header["kind"] == HUB_TO_DESK else "乡镇桌面端导出给县级平台的"
        raise BundleError(f"这是{what}数据包，不能在这里导入", code="bundle_wrong_direction")
    if header["recipient"] != me.id or header["recipient_key"] != me.fingerprint:
        raise BundleError(f"此数据包不是发给{recipient_label}的（收件方不符），未导入任何内容",
                          code="bundle_wrong_recipient")
    if header["sender_key"] != protocol.fingerprint(sender_public) or not protocol.verify(
        sender_public, sig, _signed_bytes(header_bytes, ciphertext)
    ):
        raise BundleError("数据包签名无效：文件在拷贝或传递中被改动，或不是由登记的发送方导出，未导入任何内容",
                          code="bundle_bad_signature")
    try:
        expires = datetime.fromisoformat(header["expires_at"])
    except ValueError:
        raise BundleError("数据包的有效期无法识别，未导入", code="bundle_malformed") from None
    if expires.tzinfo is None or now_utc() > expires:
        raise BundleError(f"数据包已于 {header['expires_at'][:10]} 过期，未导入任何内容：请重新导出一份",
                          code="bundle_expired")
    try:
        eph_pub, nonce = protocol.unb64(header["ephemeral"]), protocol.unb64(header["nonce"])
        mine = x25519_private(my_key)
        key = _aead_key(mine.exchange(X25519PublicKey.from_public_bytes(eph_pub)), eph_pub,
                        _raw(mine.public_key()))
        plain = AESGCM(key).decrypt(nonce, ciphertext, header_bytes)
        payload = json.loads(protocol.decompress_capped(plain, MAX_PLAINTEXT))
    except (InvalidTag, ValueError, protocol.TooLarge):
        raise BundleError("数据包内容无法解密或已损坏，未导入任何内容", code="bundle_undecryptable") from None
    if not isinstance(payload, dict):
        raise BundleError("数据包内容格式错误，未导入", code="bundle_malformed")
    return header, payload


def read_file(path: str | os.PathLike[str]) -> bytes:
    p = Path(path)
    try:
        if p.stat().st_size > MAX_PLAINTEXT + MAX_HEADER + 1024:
            raise BundleError(f"{p} 过大，不是执法数据包", code="bundle_malformed")
        return p.read_bytes()
    except OSError as exc:
        raise BundleError(f"无法读取数据包 {p}：{exc.strerror}", code="bundle_unreadable") from None


def write_file(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write atomically (temporary file, fsync, rename): a pulled USB stick never holds half a bundle."""
    p = Path(path)
    tmp = p.with_name(p.name + ".part")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, p)
    except OSError as exc:
        raise BundleError(f"无法写入数据包 {p}：{exc.strerror}", code="bundle_unwritable") from None
    return p


def seen_before(record: dict[str, Any] | None, header: dict[str, Any]) -> str | None:
    """"duplicate" if this bundle id was imported, "stale" if a later one from the same sender was."""
    record = record or {}
    if header["id"] in (record.get("ids") or []):
        return "duplicate"
    if int(header["seq"]) <= int(record.get("seq") or 0):
        return "stale"
    return None


def remember(record: dict[str, Any] | None, header: dict[str, Any], keep: int = 50) -> dict[str, Any]:
    record = dict(record or {})
    ids = [*list(record.get("ids") or []), header["id"]][-keep:]
    return {"seq": max(int(record.get("seq") or 0), int(header["seq"])), "ids": ids}
