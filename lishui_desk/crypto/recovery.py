"""County recovery keys (县级恢复密钥): an X25519 key pair held by the county office.

Every profile's data key is also wrapped to the county's recovery public key (see
``keyring``), so the county can open the data of an officer who has left or forgotten the
passphrase. The private key never lives on a township laptop; the public key ships with the
deployment and is identified on screen by a short fingerprint.

Formats:

- private key: PKCS#8 PEM, optionally encrypted with a password (``BestAvailableEncryption``);
- public key: 32 raw bytes in memory; on disk either a SubjectPublicKeyInfo PEM (what
  ``save_public_key`` writes), 32 raw bytes, or 64 hex digits (what ``load_public_key`` accepts).
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey

from lishui_desk.crypto import atomic_write_bytes
from lishui_desk.errors import InvalidInput, NotFound

PUBLIC_KEY_LEN = 32
FINGERPRINT_BYTES = 8
_HEX64 = re.compile(rb"^\s*([0-9a-fA-F]{64})\s*$")

__all__ = [
    "fingerprint",
    "format_fingerprint",
    "generate_recovery_keypair",
    "load_private_key",
    "load_public_key",
    "private_key_object",
    "public_key_from_private",
    "public_key_object",
    "save_private_key",
    "save_public_key",
]


def generate_recovery_keypair(password: bytes | None = None) -> tuple[bytes, bytes]:
    """Create a county recovery key pair: ``(private_pem, public_raw)``.

    ``password`` (optional) encrypts the PEM; keep the private key offline at the county office.
    """
    private = X25519PrivateKey.generate()
    encryption: serialization.KeySerializationEncryption
    if password:
        encryption = serialization.BestAvailableEncryption(password)
    else:
        encryption = serialization.NoEncryption()
    pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)
    public_raw = private.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    return pem, public_raw


def fingerprint(public_raw: bytes) -> str:
    """Short display fingerprint: hex of the first 8 bytes of SHA-256 of the raw public key."""
    check_public_raw(public_raw)
    return hashlib.sha256(public_raw).digest()[:FINGERPRINT_BYTES].hex()


def format_fingerprint(fp: str) -> str:
    """Group a fingerprint in blocks of four for reading aloud over the phone: ``ab12 cd34 …``."""
    return " ".join(fp[i : i + 4] for i in range(0, len(fp), 4))


def check_public_raw(public_raw: bytes) -> bytes:
    if not isinstance(public_raw, bytes | bytearray) or len(public_raw) != PUBLIC_KEY_LEN:
        raise InvalidInput("县级恢复公钥格式错误：应为32字节的 X25519 公钥")
    return bytes(public_raw)


def public_key_object(public_raw: bytes) -> X25519PublicKey:
    return X25519PublicKey.from_public_bytes(check_public_raw(public_raw))


def private_key_object(private_pem: bytes, password: bytes | None = None) -> X25519PrivateKey:
    """Parse a county private key PEM; a bad PEM, wrong password or non-X25519 key is ``InvalidInput``."""
    try:
        key = serialization.load_pem_private_key(private_pem, password=password)
    except TypeError as exc:  # password missing for an encrypted PEM, or given for a plain one
        raise InvalidInput(f"县级恢复私钥的密码设置不符：{exc}") from exc
    except ValueError as exc:
        raise InvalidInput("县级恢复私钥无法读取：不是有效的 PEM 私钥，或私钥密码错误") from exc
    if not isinstance(key, X25519PrivateKey):
        raise InvalidInput("县级恢复私钥类型错误：应为 X25519 私钥")
    return key


def public_key_from_private(private_pem: bytes, password: bytes | None = None) -> bytes:
    key = private_key_object(private_pem, password)
    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def save_private_key(path: Path | str, private_pem: bytes, password: bytes | None = None) -> None:
    """Write a private key PEM (validated first) atomically with owner-only permissions."""
    private_key_object(private_pem, password)
    atomic_write_bytes(path, private_pem, mode=0o600)


def load_private_key(path: Path | str, password: bytes | None = None) -> bytes:
    """Read and validate a private key PEM file; returns the PEM bytes."""
    path = Path(path)
    try:
        pem = path.read_bytes()
    except FileNotFoundError as exc:
        raise NotFound(f"找不到县级恢复私钥文件：{path}") from exc
    private_key_object(pem, password)
    return pem


def save_public_key(path: Path | str, public_raw: bytes) -> None:
    """Write the public key as a SubjectPublicKeyInfo PEM (readable by other tools)."""
    pem = public_key_object(public_raw).public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    atomic_write_bytes(path, pem, mode=0o644)


def load_public_key(path: Path | str) -> bytes:
    """Read a public key file (PEM, 32 raw bytes or 64 hex digits); returns the 32 raw bytes."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise NotFound(f"找不到县级恢复公钥文件：{path}") from exc
    if len(data) == PUBLIC_KEY_LEN:
        return data
    m = _HEX64.match(data)
    if m:
        return bytes.fromhex(m.group(1).decode("ascii"))
    try:
        key = serialization.load_pem_public_key(data)
    except ValueError as exc:
        raise InvalidInput(f"县级恢复公钥文件无法读取：{path}（应为 PEM、32字节或64位十六进制）") from exc
    if not isinstance(key, X25519PublicKey):
        raise InvalidInput(f"县级恢复公钥类型错误：{path} 不是 X25519 公钥")
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
