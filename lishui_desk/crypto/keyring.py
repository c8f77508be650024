"""The profile's data key and ``keyring.json`` (密钥文件), DESIGN.md §2.

A random 256-bit **data key** opens the SQLCipher database and derives the evidence key. It is
never stored in the clear; ``keyring.json`` holds it wrapped twice:

(a) ``passphrase_wrap``: AES-256-GCM under a key derived from the officer's passphrase with
    Argon2id (salt and cost parameters stored beside the wrap);
(b) ``recovery_wrap`` (optional): AES-256-GCM under a key agreed with the county recovery public
    key — an ephemeral X25519 key pair, HKDF-SHA256 over the shared secret (salt = ephemeral
    public key ‖ county public key).

Both wraps use associated data binding the format name, version, a random keyring id and the
profile name, so a wrap copied from another keyring or another profile does not open.

A ``checksum`` (SHA-256 over the rest of the document) tells a damaged file from a wrong
passphrase: a flipped bit in the salt, nonce, ciphertext or KDF parameters would otherwise only
show as a failed AES-GCM tag, i.e. as 口令错误 counted towards the lockout. It needs no key and
so does not stop a deliberate edit (whoever can write the file can recompute it); it only makes
"the tag failed on an intact, well-formed keyring" the one case reported as a wrong passphrase.
Keyrings written before the checksum existed are read without it and gain it on the next write.
``lockout_required`` (set on every new keyring) makes a deleted ``lockout.json`` count as the
maximum delay instead of zero failures (see ``lockout``).

The file also carries ``lockout_secret``, a random per-profile secret readable without the
passphrase; ``lockout_mac_key`` derives from it the HMAC key of ``lockout.json`` (see
``lockout``). It only stops casual edits of the lockout counter: anyone able to read the keyring
can recompute the MAC, and an offline attacker can attack the Argon2id wrap directly anyway.

Layout (version 1; binary values in standard base64)::

    {"format": "lishui-desk-keyring", "version": 1, "keyring_id": "<uuid4 hex>",
     "profile": "<profile id>", "created_at": "<ISO time +08:00>",
     "passphrase_wrap": {"kdf": "argon2id", "salt": "…16 B…", "memory_cost": <KiB>,
                         "iterations": <n>, "lanes": <n>, "nonce": "…12 B…", "ciphertext": "…48 B…"},
     "recovery_wrap": null | {"scheme": "x25519-hkdf-sha256-aes256gcm",
                         "recipient_public": "…32 B…", "ephemeral_public": "…32 B…",
                         "nonce": "…12 B…", "ciphertext": "…48 B…"},
     "lockout_secret": "…32 B…", "lockout_required": true,
     "checksum": "<sha-256 hex of the canonical JSON of every other field>"}

Every write replaces the file atomically (temp file + fsync + ``os.replace``).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
import secrets
import unicodedata
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from lishui_desk.crypto import atomic_write_bytes, recovery
from lishui_desk.errors import CorruptFile, InvalidInput, NotFound, SchemaTooNew, WrongPassphrase
from lishui_desk.timeutil import now_local

FORMAT = "lishui-desk-keyring"
VERSION = 1
DATA_KEY_LEN = 32
SALT_LEN = 16
NONCE_LEN = 12
WRAPPED_LEN = DATA_KEY_LEN + 16  # AES-GCM tag
LOCKOUT_SECRET_LEN = 32
MIN_PASSPHRASE_LEN = 8
MAX_PASSPHRASE_LEN = 1024
RECOVERY_SCHEME = "x25519-hkdf-sha256-aes256gcm"
RECOVERY_HKDF_INFO = b"lishui-desk recovery wrap v1"
LOCKOUT_HKDF_INFO = b"lishui-desk lockout mac v1"

# Production floor for the passphrase KDF (DESIGN.md §2: at least 64 MiB).
MIN_MEMORY_COST_KIB = 65536
# Limits applied to parameters, also when *reading* them from a file, so a tampered keyring
# cannot make unlock allocate unbounded memory or take minutes: at most 1 GiB, 32 passes, and a
# total work (memory × passes) of 4 × the default (about 2–4 s on a laptop).
_MAX_MEMORY_COST_KIB = 1024 * 1024
_MAX_ITERATIONS = 32
_MAX_LANES = 16
_MAX_WORK_KIB_PASSES = 4 * 131072 * 8


__all__ = [
    "DEFAULT_KDF_PARAMS",
    "KdfParams",
    "change_passphrase",
    "create_keyring",
    "kdf_params",
    "lockout_mac_key",
    "lockout_required",
    "recover_data_key",
    "recovery_fingerprint",
    "rekeyed_copy",
    "reset_passphrase",
    "unlock",
    "upgrade_format",
]


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost: ``memory_cost`` in KiB, ``iterations`` (time cost), ``lanes`` (parallelism)."""

    memory_cost: int
    iterations: int
    lanes: int

    def check(self) -> KdfParams:
        if not (1 <= self.lanes <= _MAX_LANES):
            raise InvalidInput(f"Argon2id 并行度 lanes 应在 1–{_MAX_LANES} 之间")
        if not (1 <= self.iterations <= _MAX_ITERATIONS):
            raise InvalidInput(f"Argon2id 迭代次数应在 1–{_MAX_ITERATIONS} 之间")
        if not (8 * self.lanes <= self.memory_cost <= _MAX_MEMORY_COST_KIB):
            raise InvalidInput("Argon2id 内存参数超出范围（至少 8×lanes KiB，至多 1 GiB）")
        if self.memory_cost * self.iterations > _MAX_WORK_KIB_PASSES:
            raise InvalidInput("Argon2id 参数过大：内存×迭代次数超过默认值的4倍，解锁会过慢")
        return self

    @property
    def meets_floor(self) -> bool:
        return self.memory_cost >= MIN_MEMORY_COST_KIB


# 128 MiB × 8 passes × 4 lanes: ~0.45 s on the 2-core build machine, ~0.3–0.6 s on a laptop.
DEFAULT_KDF_PARAMS = KdfParams(memory_cost=131072, iterations=8, lanes=4)


# ---------------------------------------------------------------------------------------------
# helpers


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _normalise_passphrase(passphrase: str, *, new: bool) -> bytes:
    if not isinstance(passphrase, str):
        raise InvalidInput("口令必须是文本")
    text = unicodedata.normalize("NFC", passphrase)
    if not text:
        raise InvalidInput("口令不能为空")
    if new and len(text) < MIN_PASSPHRASE_LEN:
        raise InvalidInput(f"口令太短：至少需要{MIN_PASSPHRASE_LEN}个字符")
    if len(text) > MAX_PASSPHRASE_LEN:
        raise InvalidInput(f"口令太长：最多{MAX_PASSPHRASE_LEN}个字符")
    return text.encode("utf-8")


def _derive_kek(passphrase: bytes, salt: bytes, params: KdfParams) -> bytes:
    kdf = Argon2id(
        salt=salt,
        length=32,
        iterations=params.iterations,
        lanes=params.lanes,
        memory_cost=params.memory_cost,
    )
    return kdf.derive(passphrase)


def _aad(doc: dict[str, Any], purpose: str) -> bytes:
    return json.dumps(
        [doc["format"], doc["version"], doc["keyring_id"], doc["profile"], purpose],
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode("utf-8")


def _recovery_kek(shared: bytes, ephemeral_public: bytes, recipient_public: bytes) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=ephemeral_public + recipient_public,
        info=RECOVERY_HKDF_INFO,
    ).derive(shared)


def _wrap_passphrase(doc: dict[str, Any], passphrase: bytes, data_key: bytes, params: KdfParams) -> None:
    salt = os.urandom(SALT_LEN)
    nonce = os.urandom(NONCE_LEN)
    kek = _derive_kek(passphrase, salt, params)
    ct = AESGCM(kek).encrypt(nonce, data_key, _aad(doc, "passphrase"))
    doc["passphrase_wrap"] = {
        "kdf": "argon2id",
        "salt": _b64(salt),
        "memory_cost": params.memory_cost,
        "iterations": params.iterations,
        "lanes": params.lanes,
        "nonce": _b64(nonce),
        "ciphertext": _b64(ct),
    }


def _wrap_recovery(doc: dict[str, Any], recipient_public: bytes, data_key: bytes) -> None:
    recipient = recovery.public_key_object(recipient_public)
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = ephemeral.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    try:
        shared = ephemeral.exchange(recipient)
    except ValueError as exc:  # low-order point: not a usable public key
        raise InvalidInput("县级恢复公钥无效（X25519 低阶点），请向县局核对公钥") from exc
    kek = _recovery_kek(shared, ephemeral_public, recipient_public)
    nonce = os.urandom(NONCE_LEN)
    ct = AESGCM(kek).encrypt(nonce, data_key, _aad(doc, "recovery"))
    doc["recovery_wrap"] = {
        "scheme": RECOVERY_SCHEME,
        "recipient_public": _b64(recipient_public),
        "ephemeral_public": _b64(ephemeral_public),
        "nonce": _b64(nonce),
        "ciphertext": _b64(ct),
    }


def _checksum(doc: dict[str, Any]) -> str:
    body = {k: v for k, v in doc.items() if k != "checksum"}
    text = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _write(path: Path, doc: dict[str, Any]) -> None:
    doc["checksum"] = _checksum(doc)
    data = json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8") + b"\n"
    atomic_write_bytes(path, data, mode=0o600)


# ---------------------------------------------------------------------------------------------
# reading and validating


class _Reader:
    """Loads ``keyring.json`` and turns every structural problem into ``CorruptFile``."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError as exc:
            raise NotFound(f"找不到密钥文件：{self.path}") from exc
        try:
            doc = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise self.corrupt("不是有效的 JSON（文件可能被截断或改动）") from exc
        if not isinstance(doc, dict):
            raise self.corrupt("顶层不是对象")
        if doc.get("format") != FORMAT:
            raise self.corrupt("不是丽水执法桌面端的密钥文件")
        version = doc.get("version")
        if not isinstance(version, int) or isinstance(version, bool):
            raise self.corrupt("缺少版本号")
        if version > VERSION:
            raise SchemaTooNew(f"密钥文件 {self.path} 由更新版本的程序创建（格式版本 {version}），请升级本程序")
        if version != VERSION:
            raise self.corrupt(f"不支持的格式版本 {version}")
        if "checksum" not in doc and "lockout_required" in doc:  # only pre-checksum files lack it
            raise self.corrupt("缺少校验和（文件内容被改动或损坏）")
        if "checksum" in doc:  # damage anywhere, before any other field is trusted
            stored = doc["checksum"]
            if not isinstance(stored, str) or not hmac.compare_digest(stored, _checksum(doc)):
                raise self.corrupt("校验和不符（文件内容被改动或损坏，不是口令问题）")
        self.str_field(doc, "keyring_id")
        self.str_field(doc, "profile")
        self.doc = doc

    def corrupt(self, detail: str) -> CorruptFile:
        return CorruptFile(f"密钥文件 {self.path} 已损坏：{detail}。请从备份恢复，或请县局用恢复密钥找回数据", self.path)

    def section(self, name: str, *, optional: bool = False) -> dict[str, Any] | None:
        value = self.doc.get(name)
        if value is None and optional and name in self.doc:
            return None
        if not isinstance(value, dict):
            raise self.corrupt(f"缺少字段 {name}")
        return value

    def str_field(self, obj: dict[str, Any], key: str) -> str:
        value = obj.get(key)
        if not isinstance(value, str):
            raise self.corrupt(f"缺少字段 {key}")
        return value

    def int_field(self, obj: dict[str, Any], key: str) -> int:
        value = obj.get(key)
        if not isinstance(value, int) or isinstance(value, bool):
            raise self.corrupt(f"字段 {key} 应为整数")
        return value

    def bytes_field(self, obj: dict[str, Any], key: str, length: int) -> bytes:
        text = self.str_field(obj, key)
        try:
            value = base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise self.corrupt(f"字段 {key} 不是有效的 base64") from exc
        if len(value) != length:
            raise self.corrupt(f"字段 {key} 长度应为 {length} 字节，实际 {len(value)} 字节")
        return value

    def passphrase_wrap(self) -> tuple[bytes, KdfParams, bytes, bytes]:
        wrap = self.section("passphrase_wrap")
        assert wrap is not None
        if wrap.get("kdf") != "argon2id":
            raise self.corrupt(f"不支持的口令派生算法 {wrap.get('kdf')!r}")
        params = KdfParams(
            memory_cost=self.int_field(wrap, "memory_cost"),
            iterations=self.int_field(wrap, "iterations"),
            lanes=self.int_field(wrap, "lanes"),
        )
        try:
            params.check()
        except InvalidInput as exc:
            raise self.corrupt(exc.message) from exc
        return (
            self.bytes_field(wrap, "salt", SALT_LEN),
            params,
            self.bytes_field(wrap, "nonce", NONCE_LEN),
            self.bytes_field(wrap, "ciphertext", WRAPPED_LEN),
        )

    def recovery_wrap(self) -> tuple[bytes, bytes, bytes, bytes] | None:
        wrap = self.section("recovery_wrap", optional=True)
        if wrap is None:
            return None
        if wrap.get("scheme") != RECOVERY_SCHEME:
            raise self.corrupt(f"不支持的恢复封装方式 {wrap.get('scheme')!r}")
        return (
            self.bytes_field(wrap, "recipient_public", recovery.PUBLIC_KEY_LEN),
            self.bytes_field(wrap, "ephemeral_public", recovery.PUBLIC_KEY_LEN),
            self.bytes_field(wrap, "nonce", NONCE_LEN),
            self.bytes_field(wrap, "ciphertext", WRAPPED_LEN),
        )

    def lockout_secret(self) -> bytes:
        return self.bytes_field(self.doc, "lockout_secret", LOCKOUT_SECRET_LEN)

    def validate_all(self) -> None:
        self.passphrase_wrap()
        self.recovery_wrap()
        self.lockout_secret()


def _unwrap_with_passphrase(reader: _Reader, passphrase: str) -> bytes:
    secret = _normalise_passphrase(passphrase, new=False)
    salt, params, nonce, ct = reader.passphrase_wrap()
    kek = _derive_kek(secret, salt, params)
    try:
        return AESGCM(kek).decrypt(nonce, ct, _aad(reader.doc, "passphrase"))
    except InvalidTag:
        raise WrongPassphrase("口令错误，无法解开数据密钥。请核对口令（注意大小写和输入法）") from None


# ---------------------------------------------------------------------------------------------
# public API


def create_keyring(
    path: Path | str,
    passphrase: str,
    recovery_public_key: bytes | None,
    *,
    kdf_params: KdfParams | None = None,
    profile_id: str | None = None,
) -> bytes:
    """Create ``keyring.json`` with a fresh random data key and return that data key.

    ``kdf_params`` defaults to ``DEFAULT_KDF_PARAMS``; tests pass a cheaper set explicitly.
    ``profile_id`` (default: the name of the directory holding the file) is bound into the wraps.
    Refuses to overwrite an existing keyring — that would orphan the data it protects.
    """
    path = Path(path)
    params = (kdf_params or DEFAULT_KDF_PARAMS).check()
    secret = _normalise_passphrase(passphrase, new=True)
    if recovery_public_key is not None:
        recovery.check_public_raw(recovery_public_key)
    if path.exists():
        raise InvalidInput(f"密钥文件已存在：{path}。为免数据无法打开，不会覆盖已有密钥文件")
    data_key = secrets.token_bytes(DATA_KEY_LEN)
    doc: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "keyring_id": uuid.uuid4().hex,
        "profile": profile_id if profile_id is not None else path.parent.name,
        "created_at": now_local().isoformat(timespec="seconds"),
        "lockout_secret": _b64(secrets.token_bytes(LOCKOUT_SECRET_LEN)),
        "lockout_required": True,
        "recovery_wrap": None,
    }
    _wrap_passphrase(doc, secret, data_key, params)
    if recovery_public_key is not None:
        _wrap_recovery(doc, bytes(recovery_public_key), data_key)
    _write(path, doc)
    return data_key


def unlock(path: Path | str, passphrase: str) -> bytes:
    """Unwrap the data key with the officer's passphrase.

    Raises ``WrongPassphrase`` when the AES-GCM tag fails, ``CorruptFile`` (naming the file) when
    the keyring is malformed, ``NotFound`` when it is missing. Never writes to the file.
    """
    reader = _Reader(path)
    reader.validate_all()
    return _unwrap_with_passphrase(reader, passphrase)


def change_passphrase(
    path: Path | str, old: str, new: str, *, kdf_params: KdfParams | None = None
) -> None:
    """Rewrap the data key under a new passphrase (new salt). The data key and DB are unchanged.

    ``kdf_params`` defaults to the parameters already stored in the file.
    """
    path = Path(path)
    new_secret = _normalise_passphrase(new, new=True)
    reader = _Reader(path)
    reader.validate_all()
    data_key = _unwrap_with_passphrase(reader, old)
    params = (kdf_params or reader.passphrase_wrap()[1]).check()
    doc = dict(reader.doc)
    _wrap_passphrase(doc, new_secret, data_key, params)
    _write(path, doc)


def rekeyed_copy(path: Path | str, target: Path | str, passphrase: str, new_data_key: bytes) -> None:
    """Write to ``target`` the keyring of ``path`` with ``new_data_key`` wrapped instead of the old
    one: same id, profile, lockout secret, KDF parameters and county recipient (``rekey``)."""
    reader = _Reader(path)
    reader.validate_all()
    _unwrap_with_passphrase(reader, passphrase)  # the passphrase must open the current keyring
    if len(new_data_key) != DATA_KEY_LEN:
        raise InvalidInput("新数据密钥长度错误，应为256位")
    params = reader.passphrase_wrap()[1]
    doc = {k: v for k, v in reader.doc.items() if k != "checksum"}
    _wrap_passphrase(doc, _normalise_passphrase(passphrase, new=False), new_data_key, params)
    wrap = reader.recovery_wrap()
    if wrap is not None:
        _wrap_recovery(doc, wrap[0], new_data_key)
    _write(Path(target), doc)


def recover_data_key(
    path: Path | str, county_private_key_pem: bytes, *, password: bytes | None = None
) -> bytes:
    """Unwrap the data key with the county recovery private key (县级恢复).

    A private key that does not belong to the public key the keyring was wrapped for is refused
    with ``InvalidInput`` naming both fingerprints; a damaged wrap is ``CorruptFile``.
    """
    reader = _Reader(path)
    reader.validate_all()
    wrap = reader.recovery_wrap()
    if wrap is None:
        raise NotFound(f"密钥文件 {reader.path} 未登记县级恢复公钥，无法用恢复密钥找回")
    recipient_public, ephemeral_public, nonce, ct = wrap
    private = recovery.private_key_object(county_private_key_pem, password)
    own_public = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    if own_public != recipient_public:
        raise InvalidInput(
            "县级恢复私钥与此档案不匹配：档案登记的恢复公钥指纹为 "
            f"{recovery.format_fingerprint(recovery.fingerprint(recipient_public))}，所给私钥对应的指纹为 "
            f"{recovery.format_fingerprint(recovery.fingerprint(own_public))}"
        )
    try:
        shared = private.exchange(recovery.public_key_object(ephemeral_public))
    except ValueError as exc:
        raise reader.corrupt("恢复封装中的临时公钥无效") from exc
    kek = _recovery_kek(shared, ephemeral_public, recipient_public)
    try:
        return AESGCM(kek).decrypt(nonce, ct, _aad(reader.doc, "recovery"))
    except InvalidTag:
        raise reader.corrupt("县级恢复封装校验失败（文件被改动）") from None


def reset_passphrase(
    path: Path | str,
    county_private_key_pem: bytes,
    new_passphrase: str,
    *,
    password: bytes | None = None,
    kdf_params: KdfParams | None = None,
) -> None:
    """County-assisted reset of a forgotten passphrase: recover the data key, rewrap it."""
    path = Path(path)
    new_secret = _normalise_passphrase(new_passphrase, new=True)
    data_key = recover_data_key(path, county_private_key_pem, password=password)
    reader = _Reader(path)
    params = (kdf_params or reader.passphrase_wrap()[1]).check()
    doc = dict(reader.doc)
    _wrap_passphrase(doc, new_secret, data_key, params)
    _write(path, doc)


def recovery_fingerprint(path: Path | str) -> str | None:
    """Fingerprint of the county public key this keyring is wrapped for (``None`` if none)."""
    wrap = _Reader(path).recovery_wrap()
    return None if wrap is None else recovery.fingerprint(wrap[0])


def kdf_params(path: Path | str) -> KdfParams:
    """The Argon2id parameters stored in a keyring (for display and upgrade checks)."""
    return _Reader(path).passphrase_wrap()[1]


def upgrade_format(path: Path | str) -> bool:
    """Give a keyring written before the checksum and ``lockout_required`` existed both (after a
    successful unlock, so the file is known good). True when the file was rewritten."""
    reader = _Reader(path)
    if "checksum" in reader.doc and reader.doc.get("lockout_required") is True:
        return False
    reader.validate_all()
    doc = {k: v for k, v in reader.doc.items() if k != "checksum"}
    doc["lockout_required"] = True
    _write(Path(path), doc)
    return True


def lockout_required(path: Path | str) -> bool:
    """Whether a missing ``lockout.json`` means tampering (keyrings made since the flag exists)."""
    return _Reader(path).doc.get("lockout_required") is True


def lockout_mac_key(path: Path | str) -> bytes:
    """HMAC key for ``lockout.json``, derived (HKDF) from the keyring's ``lockout_secret``.

    Needs no passphrase: the lockout counter must be checked *before* a passphrase is tried. The
    whole keyring is validated first, so damage anywhere in it is reported as a damaged keyring
    rather than as a lockout file that fails its MAC.
    """
    reader = _Reader(path)
    reader.validate_all()
    secret = reader.lockout_secret()
    return HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=reader.doc["keyring_id"].encode("ascii", "replace"),
        info=LOCKOUT_HKDF_INFO,
    ).derive(secret)
