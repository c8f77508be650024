"""The printed bytes of issued documents (出具的文书 PDF), kept so they travel to the county as media.

At issuance ``forms.service.issue_document`` hands the rendered PDF to :func:`keep`: it is encrypted
into the profile's evidence store (content-addressed by the SHA-256 the ``document.issued`` event
records) and named in ``profile_meta`` row ``docpdf.<document id>`` (no schema change). The media
queue (``sync.client.media``) then uploads it in the documents' slot and the hub checks the bytes
against the issued record's ``pdf_sha256``.

Documents issued before the bytes were kept: :func:`backfill` re-renders them through the renderer
the forms package registers (:func:`register_renderer`; the core never imports forms) and keeps the
result only when its SHA-256 equals the issued record's — otherwise the document is marked as not
reproducible (the county is told the printed copy is not held), never replaced by a different PDF.
The mark remembers which document definitions were installed (:func:`definitions_seen`:
two aggregate queries); when newer ones have been applied since (a definition version arrived by
sync or a bundle), the document is tried again once, and marked again with the new state if it
still cannot be reproduced.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lishui_desk.errors import CorruptFile, DeskError, NotFound
from lishui_desk.models import DocumentDefinition, IssuedDocument, ProfileMeta, ReferenceVersion
from lishui_desk.unit_of_work import UnitOfWork

PREFIX = "docpdf."
Renderer = Callable[[UnitOfWork, IssuedDocument], bytes]
_renderer: list[Renderer] = []


@dataclass(frozen=True)
class KeptPdf:
    document_id: str
    blob_id: str | None  # None: not held (``reason`` says why)
    sha256: str
    size: int
    reason: str | None = None


def register_renderer(fn: Renderer) -> None:
    """The forms package's re-render of an issued document from its frozen snapshot."""
    _renderer[:] = [fn]


def _meta(uow: UnitOfWork, doc_id: str) -> dict | None:
    row = uow.session.get(ProfileMeta, PREFIX + doc_id)
    return json.loads(row.value) if row is not None and row.value else None


def _put(uow: UnitOfWork, doc_id: str, value: dict) -> None:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    uow.session.merge(ProfileMeta(key=PREFIX + doc_id, value=text))
    uow.profile._meta_cache[PREFIX + doc_id] = text


def keep(uow: UnitOfWork, doc_id: str, pdf: bytes) -> KeptPdf:
    """Encrypt the printed bytes into the evidence store and name them for the document."""
    uow.require_write()
    blob = uow.profile.evidence.put_stream(io.BytesIO(pdf))
    _put(uow, doc_id, {"blob_id": blob.blob_id, "sha256": blob.sha256, "size": blob.size})
    return KeptPdf(doc_id, blob.blob_id, blob.sha256, blob.size)


def discard(uow: UnitOfWork, kept: KeptPdf) -> None:
    """The issuance that kept ``kept`` was refused: drop the file no record names."""
    if kept.blob_id:
        uow.profile.evidence.discard_unrecorded(kept.blob_id)


def kept(uow: UnitOfWork, doc_id: str) -> KeptPdf | None:
    m = _meta(uow, doc_id)
    if m is None:
        return None
    return KeptPdf(doc_id, m.get("blob_id"), str(m.get("sha256") or ""), int(m.get("size") or 0), m.get("reason"))


def all_kept(uow: UnitOfWork) -> dict[str, KeptPdf]:
    return kept_in(uow.session)


def kept_in(session: Session) -> dict[str, KeptPdf]:
    """{document id: its kept PDF} of an open session (the county reads a departed profile so)."""
    out: dict[str, KeptPdf] = {}
    for row in session.scalars(select(ProfileMeta).where(ProfileMeta.key.startswith(PREFIX))):
        m = json.loads(row.value) if row.value else {}
        doc_id = row.key[len(PREFIX):]
        out[doc_id] = KeptPdf(doc_id, m.get("blob_id"), str(m.get("sha256") or ""), int(m.get("size") or 0),
                              m.get("reason"))
    return out


def read(uow: UnitOfWork, doc_id: str, expected_sha256: str) -> bytes | None:
    """The kept bytes of a document, checked against the issued record's hash (None: not kept)."""
    k = kept(uow, doc_id)
    if k is None or not k.blob_id:
        return None
    try:
        data = b"".join(uow.profile.evidence.read_chunks(k.blob_id))
    except NotFound:
        return None
    if hashlib.sha256(data).hexdigest() != expected_sha256:
        raise CorruptFile(f"文书 PDF 的保存副本与出具记录的哈希不符（文件 {k.blob_id} 可能被改动），请从备份恢复",
                          uow.profile.evidence.path_of(k.blob_id))
    return data


def local_documents(uow: UnitOfWork) -> list[IssuedDocument]:
    """Documents issued on this device (a document row is only written where it was issued)."""
    return list(uow.session.scalars(select(IssuedDocument).order_by(IssuedDocument.issued_at)))


def definitions_seen(uow: UnitOfWork) -> str:
    """What a re-render depends on beyond the frozen snapshot, as installed now: the count and
    newest row of the county's document definitions and of the applied ``definitions`` reference
    versions (rows are only ever added, so a new version changes this)."""
    s = uow.session
    n1, top1 = s.execute(select(func.count(), func.max(DocumentDefinition.id))).one()
    n2, top2 = s.execute(select(func.count(), func.max(ReferenceVersion.id))
                         .where(ReferenceVersion.stream == "definitions")).one()
    return f"{n1}:{top1 or 0}/{n2}:{top2 or 0}"


def _settled(k: KeptPdf | None, meta: dict | None, seen: str) -> bool:
    """Looked at, and nothing to try again: a kept copy, or a mark made with the same definitions."""
    if k is None:
        return False
    return bool(k.blob_id) or (meta or {}).get("seen") == seen


def _todo(uow: UnitOfWork) -> list[IssuedDocument]:
    seen = definitions_seen(uow)
    rows = {r.key[len(PREFIX):]: json.loads(r.value) if r.value else {}
            for r in uow.session.scalars(select(ProfileMeta).where(ProfileMeta.key.startswith(PREFIX)))}
    done = all_kept(uow)
    return [r for r in local_documents(uow) if not _settled(done.get(r.id), rows.get(r.id), seen)]


def backfill(uow: UnitOfWork) -> dict[str, int]:
    """Keep the bytes of documents issued before they were kept: a re-render whose SHA-256 equals
    the issued record's is kept; any other result marks the document as not reproducible (tried
    again when newer definitions have arrived, see the module's docstring)."""
    uow.require_write()
    seen = definitions_seen(uow)
    counts = {"kept": 0, "unreproducible": 0, "no_renderer": 0}
    for row in _todo(uow):
        if not _renderer:
            counts["no_renderer"] += 1
            continue
        try:
            pdf = _renderer[0](uow, row)
        except DeskError as exc:
            pdf, why = None, exc.message
        if pdf is not None and hashlib.sha256(pdf).hexdigest() == row.pdf_sha256:
            keep(uow, row.id, pdf)
            counts["kept"] += 1
            continue
        if pdf is not None:
            why = "重新生成的 PDF 与出具时的哈希不符"
        _put(uow, row.id, {"blob_id": None, "sha256": row.pdf_sha256, "size": 0, "seen": seen,
                           "reason": f"本机未保存出具时的 PDF，且无法重新生成相同文件（{why}）"})
        counts["unreproducible"] += 1
    return counts


def unchecked(uow: UnitOfWork) -> list[IssuedDocument]:
    """Documents issued here that :func:`backfill` has to look at: no kept copy and no mark, or a
    mark made before newer definitions or reference data were applied."""
    return _todo(uow)


def missing(uow: UnitOfWork) -> list[IssuedDocument]:
    """Documents issued here whose printed bytes this device does not hold."""
    done = all_kept(uow)
    return [r for r in local_documents(uow) if r.id not in done or not done[r.id].blob_id]
