"""Definition store (统一执法文书): county-published versions kept in the encrypted profile.

The core stores and returns definition bodies; it does not interpret them (the ``forms`` package
validates a body — placeholders against the whitelisted context — before calling ``store``).
Published versions are immutable: the same (type, version) with a different body is refused, so a
document issued under a version can be reprinted for as long as the case is kept.

Definitions enter through ``services.reference.apply_batch`` (stream ``definitions``), like every
reference stream: versioned, immutable, older versions refused. Signature seam: ``verify(body_bytes,
signature) -> bool`` is supplied by sync (the hub's Ed25519 key pinned at enrollment); until then a
definition can be imported from a file by an officer, and is recorded with source ``file`` and no
signature.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from lishui_desk.errors import InvalidInput
from lishui_desk.models import DocumentDefinition
from lishui_desk.unit_of_work import UnitOfWork

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


def store(uow: UnitOfWork, body: dict[str, Any], *, source: str = "file", signature: str | None = None,
          verify: Verifier | None = None) -> StoredDefinition:
    doc_type, version = body.get("type"), body.get("version")
    if not isinstance(doc_type, str) or not isinstance(version, int) or version < 1:
        raise InvalidInput("文书定义缺少 type 或正整数 version")
    from lishui_desk.services import reference

    reference.apply_batch(uow, "definitions", [reference.RefItem(doc_type, version, None, body, signature)],
                          source=source, verify=verify)
    stored = get(uow, doc_type, version)
    assert stored is not None
    return stored


def get(uow: UnitOfWork, doc_type: str, version: int | None = None) -> StoredDefinition | None:
    """The stored definition at ``version``, or the highest stored version when ``version`` is None."""
    stmt = select(DocumentDefinition).where(DocumentDefinition.doc_type == doc_type)
    stmt = stmt.where(DocumentDefinition.version == version) if version is not None else stmt.order_by(
        DocumentDefinition.version.desc())
    row = uow.session.scalars(stmt.limit(1)).first()
    return _stored(row) if row else None


def list_stored(uow: UnitOfWork) -> list[StoredDefinition]:
    return [_stored(r) for r in uow.session.scalars(
        select(DocumentDefinition).order_by(DocumentDefinition.doc_type, DocumentDefinition.version))]
