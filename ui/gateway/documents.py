"""文书 (forms.service): what fits a case, preview, issue, reprint, verify a QR, the 全案卷, settings."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from forms import service as forms
from lishui_desk.storage.profile import Profile
from ui.gateway.changes import Changed, OpChanges
from ui.gateway.uow import reading, writing


def doc_types() -> list[tuple[str, str]]:
    """(doc_type, title) of the bundled document definitions."""
    return [(t.doc_type, t.title) for t in forms.document_types()]


def available(profile: Profile, case_id: str) -> list[forms.DocChoice]:
    """The documents that fit the case so far, each with what is still missing."""
    with reading(profile) as uow:
        return list(forms.available_documents(uow, case_id))


def preview(profile: Profile, case_id: str, doc_type: str, act: str | None = None) -> bytes:
    """An unnumbered 样稿 of ``doc_type`` (of the act ``act``, default the current one)."""
    with reading(profile) as uow:
        return forms.preview(uow, case_id, doc_type, act)


def issue(profile: Profile, case_id: str, doc_type: str, act: str | None = None) -> Changed[forms.IssuedDocRow]:
    """Issue a document (of the act ``act``, see ``forms.service.available_documents``): a number, a
    frozen snapshot and ``document.issued`` in the case's record."""
    with writing(profile) as uow:
        row = forms.issue_document(uow, case_id, doc_type, act)
    return Changed(row, OpChanges.for_cases([case_id], documents=True))


def reprint(profile: Profile, doc_id: str) -> bytes:
    with reading(profile) as uow:
        return forms.reprint(uow, doc_id)


def reprints(profile: Profile, doc_ids: Sequence[str]) -> list[bytes]:
    """The reprints of several documents from one snapshot (打印所选)."""
    with reading(profile) as uow:
        return [forms.reprint(uow, doc_id) for doc_id in doc_ids]


def export_reprints(profile: Profile, folder: str, docs: Sequence[tuple[str, str]]) -> list[str]:
    """Write each document's reprint to ``folder/<target name>``; ``docs`` = (doc id, file name)."""
    out = []
    with reading(profile) as uow:
        for doc_id, name in docs:
            path = Path(folder) / name
            path.write_bytes(forms.reprint(uow, doc_id))
            out.append(str(path))
    return out


def casefile(profile: Profile, case_id: str) -> bytes:
    with reading(profile) as uow:
        return forms.casefile(uow, case_id)


def write_bytes(path: str, data: bytes) -> str:
    Path(path).write_bytes(data)
    return path


def verify_qr(profile: Profile, text: str) -> forms.VerifyResult:
    with reading(profile) as uow:
        return forms.verify(uow, text)


def list_documents(profile: Profile) -> list[forms.IssuedDocRow]:
    with reading(profile) as uow:
        return list(forms.list_documents(uow))


def settings(profile: Profile) -> dict[str, dict[str, str | None]]:
    with reading(profile) as uow:
        return forms.settings(uow)


def save_settings(profile: Profile, values: Mapping[str, str]) -> Changed[int]:
    """Store the document settings given, all in one unit of work (all or none)."""
    with writing(profile) as uow:
        for key, value in values.items():
            forms.set_setting(uow, key, value)
    return Changed(len(values), OpChanges(settings=True))
