"""``lishui-desk check``: SQLCipher page integrity, every case's hash chain, every evidence file."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from sqlalchemy import select

from lishui_desk.errors import CorruptFile
from lishui_desk.models import Case, CaseEvent, EvidenceItem, IssuedDocument
from lishui_desk.storage import event_store
from lishui_desk.storage.engine import check_integrity
from lishui_desk.unit_of_work import UnitOfWork


@dataclass
class Problem:
    kind: str  # "database" | "chain" | "evidence" | "document"
    message: str  # Chinese, names the case / event / file
    case_id: str | None = None
    case_number: str | None = None
    event_id: str | None = None
    seq: int | None = None


@dataclass
class IntegrityReport:
    cases_checked: int = 0
    events_checked: int = 0
    evidence_checked: int = 0
    documents_checked: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict:
        return {**asdict(self), "ok": self.ok}


def check_profile(uow: UnitOfWork) -> IntegrityReport:
    """SQLCipher page check (own connection), then the record read in the caller's unit of work."""
    profile = uow.profile
    report = IntegrityReport()
    for msg in check_integrity(profile.engine, profile.paths.db):
        report.problems.append(Problem("database", msg))
    s = uow.session
    cases = s.execute(select(Case.id, Case.case_number)).all()
    for case_id, number in cases:
        report.cases_checked += 1
        events = event_store.load_events(s, case_id)
        report.events_checked += len(events)
        for b in event_store.verify_chain(events):
            label = number or case_id
            report.problems.append(
                Problem("chain", f"案件 {label} 第 {b.seq} 号事件（{b.event_id}）：{b.reason}",
                        case_id, number, b.event_id, b.seq)
            )
    # events whose case row vanished would escape the loop above
    orphans = s.scalars(select(CaseEvent.case_id).where(CaseEvent.case_id.not_in(select(Case.id))).distinct())
    for case_id in orphans:
        report.problems.append(Problem("chain", f"事件属于不存在的案件 {case_id}", case_id))
    # an issued document's row must match the document.issued event in the (hash-chained)
    # record: number, content digest and PDF hash cannot be changed behind the record's back
    issued = {}
    for ev in s.scalars(select(CaseEvent).where(CaseEvent.type == "document.issued")):
        payload = json.loads(ev.payload)
        issued[payload.get("document_id")] = payload
    for doc in s.scalars(select(IssuedDocument)):
        report.documents_checked += 1
        rec = issued.get(doc.id)
        label = f"文书 {doc.number or doc.id}（{doc.doc_type}）"
        if rec is None:
            report.problems.append(Problem("document", f"{label}在全过程记录中没有出具记录", doc.case_id))
            continue
        for fname, value in (("number", doc.number), ("content_digest", doc.content_digest),
                             ("pdf_sha256", doc.pdf_sha256)):
            if rec.get(fname) != value:
                report.problems.append(
                    Problem("document", f"{label}的{fname}与出具时记入全过程记录的值不符", doc.case_id))
    items = s.execute(
        select(EvidenceItem.id, EvidenceItem.case_id, EvidenceItem.blob_id, EvidenceItem.sha256,
               EvidenceItem.description).where(EvidenceItem.blob_id.is_not(None))
    ).all()
    for ev_id, case_id, blob_id, sha, desc in items:
        report.evidence_checked += 1
        try:
            ok = profile.evidence.verify(blob_id, sha)
            detail = "内容哈希与登记不符"
        except CorruptFile as exc:
            ok, detail = False, exc.message
        except Exception as exc:  # missing file etc.
            ok, detail = False, str(exc)
        if not ok:
            report.problems.append(
                Problem("evidence", f"证据“{desc}”（{ev_id}，文件 {blob_id}）：{detail}", case_id)
            )
    return report
