"""The county hub's signed receipts of case heads, kept beside the database (``hub-receipts.json``).

When the hub acknowledges a push it answers with a receipt ``{"device_id", "hub_epoch",
"issued_at", "heads": [{"case_id", "count", "hash"}]}`` signed (Ed25519, hub key) over
``LISHUI-RECEIPT-V1\\n`` + canonical JSON. The sync client keeps the heads in the database, and
— through :func:`record` — here, outside it: a database *and* ``record-head.json`` put back to an
older copy, or a record rewritten by someone holding the data key (who can recompute every local
seal), still disagree with a head the hub signed. ``check`` compares every case against the newest
receipt that names it (``services.integrity_hub``).

The file holds, per case, the receipt with the highest count that names it (so it grows with the
number of cases, not of pushes), the case number as it was when the receipt arrived (so a case
that no longer exists locally can still be named), and the hub's public key. A forged receipt
gains an attacker nothing (it can only accuse the record); deleting this file together with the
database rollback is the limit (SECURITY.md): the hub still holds the acknowledged heads.

The core verifies with ``cryptography`` alone; the signed bytes are defined in ``docs/SYNC.md``.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from lishui_desk.crypto import atomic_write_bytes, file_lock

FORMAT = "lishui-desk-hub-receipts"
VERSION = 1
PINNED_KEY_META = "sync.hub_public_key"  # where the sync client pins the hub key (profile_meta)


@dataclass(frozen=True)
class AckedHead:
    case_id: str
    case_number: str | None
    count: int
    hash: str
    issued_at: str


def _canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def receipt_bytes(receipt: dict[str, Any]) -> bytes:
    return b"LISHUI-RECEIPT-V1\n" + _canonical(receipt)


def verify(hub_key: bytes, receipt: Any, signature: Any) -> bool:
    if not isinstance(receipt, dict) or not isinstance(signature, str):
        return False
    try:
        Ed25519PublicKey.from_public_bytes(hub_key).verify(
            base64.b64decode(signature.encode("ascii"), validate=True), receipt_bytes(receipt))
    except (InvalidSignature, ValueError, binascii.Error, UnicodeEncodeError):
        return False
    return True


def _load_raw(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_bytes())
    except FileNotFoundError:
        return {}
    except (OSError, ValueError):
        return {"unreadable": True}
    return data if isinstance(data, dict) and data.get("format") == FORMAT else {"unreadable": True}


def record(path: Path, hub_key: bytes, receipt: dict[str, Any], signature: str,
           case_numbers: dict[str, str | None]) -> None:
    """Keep a verified receipt: each case it names points to it unless a kept receipt already
    shows a higher count for that case. Written atomically (0600) under a file lock."""
    if not verify(hub_key, receipt, signature):
        return
    with file_lock(path.with_name(path.name + ".lock")):
        data = _load_raw(path)
        if data.get("unreadable") or data.get("hub_key") != hub_key.hex():
            data = {}  # a damaged file or another hub's: start over from this receipt
        receipts: list[dict[str, Any]] = list(data.get("receipts") or [])
        cases: dict[str, dict[str, Any]] = dict(data.get("cases") or {})
        receipts.append({"receipt": receipt, "signature": signature})
        new = len(receipts) - 1
        for head in receipt.get("heads") or []:
            cid = head.get("case_id") if isinstance(head, dict) else None
            if not isinstance(cid, str):
                continue
            old = cases.get(cid)
            if old is not None and int(old.get("count", 0)) > int(head.get("count", 0)):
                continue
            number = case_numbers.get(cid) or (old or {}).get("case_number")
            cases[cid] = {"receipt": new, "count": int(head.get("count", 0)), "case_number": number}
        used = sorted({c["receipt"] for c in cases.values()})
        renumber = {old: i for i, old in enumerate(used)}
        out = {
            "format": FORMAT, "version": VERSION, "hub_key": hub_key.hex(),
            "receipts": [receipts[i] for i in used],
            "cases": {cid: {**c, "receipt": renumber[c["receipt"]]} for cid, c in sorted(cases.items())},
        }
        atomic_write_bytes(path, json.dumps(out, ensure_ascii=False, sort_keys=True, indent=1).encode("utf-8"))


@dataclass
class Loaded:
    heads: list[AckedHead]
    problems: list[str]
    hub_key_hex: str = ""


def load(path: Path, pinned_key: bytes | None) -> Loaded | None:
    """The acknowledged heads whose receipt verifies, and a sentence for each that does not;
    ``None`` when there is no file (never synced)."""
    data = _load_raw(path)
    if not data:
        return None
    if data.get("unreadable"):
        return Loaded([], [f"县级平台回执文件 {path.name} 无法读取或格式不符（文件被改动或损坏）"])
    key_hex = str(data.get("hub_key") or "")
    problems: list[str] = []
    try:
        key = bytes.fromhex(key_hex)
    except ValueError:
        return Loaded([], [f"县级平台回执文件 {path.name} 中的平台公钥无效"])
    if pinned_key is not None and pinned_key != key:
        problems.append("县级平台回执所用的平台公钥与本档案登记时固定的公钥不同")
        key = pinned_key
    receipts = data.get("receipts") or []
    ok: dict[int, dict[str, Any]] = {}
    for i, item in enumerate(receipts):
        if isinstance(item, dict) and verify(key, item.get("receipt"), item.get("signature")):
            ok[i] = item["receipt"]
    bad = len(receipts) - len(ok)
    if bad:
        problems.append(f"县级平台回执中有 {bad} 份签名不符（回执被改动）")
    heads: list[AckedHead] = []
    for cid, entry in (data.get("cases") or {}).items():
        at = entry.get("receipt") if isinstance(entry, dict) else None
        receipt = ok.get(at) if isinstance(at, int) else None  # receipts are numbered by position
        if receipt is None:
            continue
        for h in receipt.get("heads") or []:
            if isinstance(h, dict) and h.get("case_id") == cid:
                heads.append(AckedHead(cid, entry.get("case_number"), int(h.get("count", 0)),
                                       str(h.get("hash", "")), str(receipt.get("issued_at", ""))))
    return Loaded(heads, problems, key_hex)
