"""The hub signing key (Ed25519) and the hub's data directory.

``<data dir>/hub_key.pem`` is the private key (PKCS#8 PEM, file mode 0600); ``hub.json`` keeps
the database URL chosen at ``init`` (SQLite ``hub.db`` in the same directory by default).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from lishui_desk.errors import InvalidInput, NotFound
from sync.hub.db import sqlite_url

KEY_FILE = "hub_key.pem"
CONFIG_FILE = "hub.json"
ENV_DATA_DIR = "LISHUI_COUNTY_DATA_DIR"


def data_dir(given: str | os.PathLike[str] | None) -> Path:
    if given:
        return Path(given)
    if os.environ.get(ENV_DATA_DIR):
        return Path(os.environ[ENV_DATA_DIR])
    import platformdirs

    return Path(platformdirs.user_data_dir("lishui-county", appauthor=False))


def create_key(root: Path) -> Ed25519PrivateKey:
    path = root / KEY_FILE
    if path.exists():
        raise InvalidInput(f"平台签名密钥 {path} 已存在，不会覆盖")
    root.mkdir(parents=True, exist_ok=True)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(pem)
    return key


def load_key(root: Path) -> Ed25519PrivateKey:
    path = root / KEY_FILE
    if not path.exists():
        raise NotFound(f"{root} 下没有平台签名密钥：请先运行 lishui-county init")
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise InvalidInput(f"{path} 不是 Ed25519 私钥")
    return key


def write_config(root: Path, db_url: str | None) -> None:
    (root / CONFIG_FILE).write_text(json.dumps({"db_url": db_url}, ensure_ascii=False), encoding="utf-8")


def db_url_for(root: Path, given: str | None) -> str:
    if given:
        return given
    cfg = root / CONFIG_FILE
    if cfg.exists():
        url = json.loads(cfg.read_text(encoding="utf-8")).get("db_url")
        if url:
            return url
    return sqlite_url(root / "hub.db")
