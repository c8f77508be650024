"""Definition store (统一执法文书): county-published versions kept in the encrypted profile.

The core stores and returns definition bodies; it does not interpret them (the ``forms`` package
validates a body — placeholders against the whitelisted context — before calling ``store``).
Published versions are immutable: the same (type, version) with a different body is refused, so a
document issued under a version can be reprinted for as long as the case is kept.

Signature seam: ``verify(body_bytes, signature) -> bool`` is supplied by sync (the hub's Ed25519
key pinned at enrollment); until then a definition can be imported from a file by an officer, and
is recorded with source ``file`` and no signature.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from lishui_desk.errors import InvalidInput
from lishui_desk.events import canonical_json
from lishui_desk.models import DocumentDefinition, utcnow_iso
from lishui_desk.storage.profile import Profile

Verifier = Callable[[bytes, str], bool]


@dataclass(frozen=True)
class StoredDefinition:
    doc_type: str
    version: int
    body: dict[str, Any]
    source: str
    signed: bool
    imported_at: str


def _stored(row: DocumentDefinition) -> StoredDefinition:
    return StoredDefinition(row.doc_type, row.version, json.loads(row.body), row.source, bool(row.signature),
                            row.imported_at)


def store(profile: Profile, body: dict[str, Any], *, source: str = "file", signature: str | None = None,
          verify: Verifier | None = None) -> StoredDefinition:
    doc_type, version = body.get("type"), body.get("version")
    if not isinstance(doc_type, str) or not isinstance(version, int) or version < 1:
        raise InvalidInput("文书定义缺少 type 或正整数 version")
    text = canonical_json(body)
    if verify is not None:
        if not signature or not verify(text.encode("utf-8"), signature):
            raise InvalidInput(f"文书定义 {doc_type} 第{version}版的县级签名无效，已拒绝导入")
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    with profile.session() as s:
        row = s.scalars(select(DocumentDefinition).where(
            DocumentDefinition.doc_type == doc_type, DocumentDefinition.version == version)).first()
        if row is not None:
            if row.body_sha256 != digest:
                raise InvalidInput(
                    f"文书定义 {doc_type} 第{version}版已存在且内容不同：已发布的版本不得修改，请使用新版本号")
            return _stored(row)
        row = DocumentDefinition(doc_type=doc_type, version=version, body=text, body_sha256=digest, source=source,
                                 signature=signature, imported_at=utcnow_iso())
        s.add(row)
        s.flush()
        return _stored(row)


def get(profile: Profile, doc_type: str, version: int | None = None) -> StoredDefinition | None:
    """The stored definition at ``version``, or the highest stored version when ``version`` is None."""
    with profile.read_session() as s:
        stmt = select(DocumentDefinition).where(DocumentDefinition.doc_type == doc_type)
        stmt = stmt.where(DocumentDefinition.version == version) if version is not None else stmt.order_by(
            DocumentDefinition.version.desc())
        row = s.scalars(stmt.limit(1)).first()
        return _stored(row) if row else None


def list_stored(profile: Profile) -> list[StoredDefinition]:
    with profile.read_session() as s:
        return [_stored(r) for r in s.scalars(
            select(DocumentDefinition).order_by(DocumentDefinition.doc_type, DocumentDefinition.version))]
