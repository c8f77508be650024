"""``lishui-desk check``: SQLCipher page integrity, every case's hash chain, every evidence file.

The check never stops at the first failure: every section runs under a guard, and a page the
database cannot decrypt or parse becomes a finding ("damaged") instead of a traceback. Findings
have a severity:

- ``damaged``: storage that cannot be read (a page whose SQLCipher HMAC fails, a broken b-tree,
  an evidence file whose AES-GCM tag fails or that is missing) — restore from a backup;
- ``tampered``: storage that reads cleanly but disagrees with the hash-chained record (a broken
  chain, a document or evidence row that does not match its event) — keep the files as they are
  and report it.

``notices`` are not failures (orphan evidence blobs, left-over temporary files).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path

import sqlcipher3
from sqlalchemy import select
from sqlalchemy.exc import DatabaseError as SADatabaseError

from lishui_desk.errors import CorruptFile, DeskError, NotFound
from lishui_desk.models import Case, CaseEvent, EvidenceItem, IssuedDocument
from lishui_desk.services import integrity_hub, integrity_record, issued_pdfs
from lishui_desk.storage import event_store
from lishui_desk.storage.engine import check_integrity, describe_db_error, is_damage_error
from lishui_desk.unit_of_work import UnitOfWork

DAMAGED = "damaged"
TAMPERED = "tampered"

ADVICE_DAMAGED = (
    "数据库或证据文件已损坏（无法解密或读取）。请停止在此档案上办案，保留损坏的文件，"
    "用最近的备份恢复档案（lishui-desk restore），恢复后再运行一次检查；没有备份时请联系县局技术支持。"
)
ADVICE_TAMPERED = (
    "全过程记录与其校验值不符，可能被改动或回退到旧副本。请不要继续写入，保留现有文件，"
    "报告县局（法制审核/技术支持）核查，并与备份和县级留存的记录核对；已保存的数据丢失时，"
    "用最近的备份恢复（lishui-desk restore）。核实后如确认以现有数据库为准，可用 check --reseal 重新封存。"
)

# errors a damaged page or file raises while we read it
_DB_ERRORS: tuple[type[BaseException], ...] = (SADatabaseError, sqlcipher3.DatabaseError, sqlite3.DatabaseError)


@dataclass
class Problem:
    kind: str  # "database" | "chain" | "evidence" | "document" | ...
    message: str  # Chinese, names the case / event / file
    case_id: str | None = None
    case_number: str | None = None
    event_id: str | None = None
    seq: int | None = None
    severity: str = TAMPERED


@dataclass
class IntegrityReport:
    cases_checked: int = 0
    events_checked: int = 0
    evidence_checked: int = 0
    documents_checked: int = 0
    problems: list[Problem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def damaged(self) -> bool:
        return any(p.severity == DAMAGED for p in self.problems)

    @property
    def tampered(self) -> bool:
        return any(p.severity == TAMPERED for p in self.problems)

    @property
    def advice(self) -> list[str]:
        out = []
        if self.damaged:
            out.append(ADVICE_DAMAGED)
        if self.tampered:
            out.append(ADVICE_TAMPERED)
        return out

    def add(self, kind: str, message: str, *, severity: str = TAMPERED, **where) -> None:
        self.problems.append(Problem(kind, message, severity=severity, **where))

    def as_dict(self) -> dict:
        return {**asdict(self), "ok": self.ok, "damaged": self.damaged, "tampered": self.tampered,
                "advice": self.advice}


def _guard(report: IntegrityReport, what: str, fn: Callable[[], None]) -> None:
    """Run one section; a read failure becomes a finding naming what could not be checked."""
    try:
        fn()
    except _DB_ERRORS as exc:
        if not is_damage_error(exc):
            raise
        report.add("database", f"读取{what}时数据库页面无法读取（{describe_db_error(exc)}），这部分未能完整检查",
                   severity=DAMAGED)
    except (ValueError, KeyError, TypeError) as exc:
        report.add("database", f"{what}中有格式异常的记录（{type(exc).__name__}），这部分未能完整检查")


def _check_chains(uow: UnitOfWork, report: IntegrityReport) -> None:
    s = uow.session
    cases = s.execute(select(Case.id, Case.case_number)).all()
    for case_id, number in cases:
        label = number or "（未立案）"

        def one(case_id: str = case_id, number: str | None = number, label: str = label) -> None:
            s = uow.session
            events = event_store.load_all(s, case_id)  # both branches of a fork: verified as a graph
            report.cases_checked += 1
            report.events_checked += len(events)
            for b in event_store.verify_chain(events):
                report.add("chain", f"案件 {label} 第 {b.seq} 号事件：{b.reason}", case_id=case_id,
                           case_number=number, event_id=b.event_id, seq=b.seq)

        _guard(report, f"案件 {label} 的全过程记录", one)


def _check_orphan_events(uow: UnitOfWork, report: IntegrityReport) -> None:
    # events whose case row vanished would escape the per-case loop
    s = uow.session
    orphans = list(s.scalars(
        select(CaseEvent.case_id).where(CaseEvent.case_id.not_in(select(Case.id))).distinct()))
    for case_id in orphans:
        report.add("chain", "有事件属于一件已不存在的案件（案件记录被删除）", case_id=case_id)


def _check_documents(uow: UnitOfWork, report: IntegrityReport) -> None:
    # an issued document's row must match the document.issued event in the (hash-chained)
    # record: number, content digest and PDF hash cannot be changed behind the record's back
    s = uow.session
    issued = {}
    for ev in s.scalars(select(CaseEvent).where(CaseEvent.type == "document.issued")):
        payload = json.loads(ev.payload)
        issued[payload.get("document_id")] = payload
    docs = list(s.scalars(select(IssuedDocument)))
    labels = {"number": "文号", "content_digest": "内容摘要", "pdf_sha256": "PDF 哈希"}
    for doc in docs:
        report.documents_checked += 1
        rec = issued.get(doc.id)
        label = f"文书 {doc.number or '（无文号）'}"
        if rec is None:
            report.add("document", f"{label}在全过程记录中没有出具记录", case_id=doc.case_id)
            continue
        for name, value in (("number", doc.number), ("content_digest", doc.content_digest),
                            ("pdf_sha256", doc.pdf_sha256)):
            if rec.get(name) != value:
                report.add("document", f"{label}的{labels[name]}与出具时记入全过程记录的值不符", case_id=doc.case_id)
        kept = issued_pdfs.kept(uow, doc.id)
        if kept is not None and kept.blob_id:  # the printed bytes kept at issuance (they travel to the county)
            try:  # against the hash in the record (the row's own is checked above)
                ok = uow.profile.evidence.verify(kept.blob_id, str(rec.get("pdf_sha256") or ""))
            except NotFound:
                ok = False
            if not ok:
                report.add("document", f"{label}出具时保存的 PDF 副本缺失、损坏或与出具记录的哈希不符（请从备份恢复）",
                           case_id=doc.case_id)


def _check_evidence_files(uow: UnitOfWork, report: IntegrityReport) -> None:
    s = uow.session
    items = s.execute(
        select(EvidenceItem.id, EvidenceItem.case_id, EvidenceItem.blob_id, EvidenceItem.sha256,
               EvidenceItem.description).where(EvidenceItem.blob_id.is_not(None))
    ).all()
    for ev_id, case_id, blob_id, sha, desc in items:
        if blob_id is None:  # excluded by the query; narrows the type
            continue
        report.evidence_checked += 1
        severity = DAMAGED
        try:
            ok = uow.profile.evidence.verify(blob_id, sha or "")
            detail = "文件无法通过加密校验（被改动或损坏）"
        except NotFound:
            ok, detail = False, "证据文件缺失"
        except CorruptFile as exc:
            ok, detail = False, exc.message
        if not ok:
            report.add("evidence", f"证据“{desc}”：{detail}", severity=severity, case_id=case_id, event_id=ev_id)


def referenced_blobs(uow: UnitOfWork) -> set[str]:
    """Blob ids named by an evidence row or by an event of the record."""
    s = uow.session
    refs = {b for b in s.scalars(select(EvidenceItem.blob_id)) if b}
    refs |= {k.blob_id for k in issued_pdfs.kept_in(s).values() if k.blob_id}  # issued documents' PDFs
    for payload in s.scalars(select(CaseEvent.payload).where(CaseEvent.payload.like('%"blob_id"%'))):
        blob = json.loads(payload).get("blob_id")
        if isinstance(blob, str):
            refs.add(blob)
    return refs


def orphan_blobs(uow: UnitOfWork) -> list[str]:
    """Evidence files in the store that nothing in the record refers to (a refused or killed
    import). They hold no evidence of the case; ``remove_orphan_blobs`` deletes them."""
    refs = referenced_blobs(uow)
    return [b for b in uow.profile.evidence.list_ids() if b not in refs]


def remove_orphan_blobs(uow: UnitOfWork) -> int:
    orphans = orphan_blobs(uow)
    for blob_id in orphans:
        uow.profile.evidence.discard_unrecorded(blob_id)
    return len(orphans)


def _check_orphan_blobs(uow: UnitOfWork, report: IntegrityReport) -> None:
    orphans = orphan_blobs(uow)
    if orphans:
        size = sum(uow.profile.evidence.path_of(b).stat().st_size for b in orphans)
        report.notices.append(
            f"证据目录中有 {len(orphans)} 个加密文件（共 {size / 1048576:.1f} MiB）没有任何记录引用，"
            "多为被拒绝或中断的证据导入留下；可用 lishui-desk check --remove-orphans 删除")


SECTIONS: list[tuple[str, Callable[[UnitOfWork, IntegrityReport], None]]] = [
    ("各案件的全过程记录", _check_chains),
    ("事件与案件的对应关系", _check_orphan_events),
    ("已出具文书", _check_documents),
    ("证据文件", _check_evidence_files),
    ("未被引用的证据文件", _check_orphan_blobs),
    ("事件认证码", lambda p, r: integrity_record.check_seals(p, r)),
    ("档案头", lambda p, r: integrity_record.check_head(p, r)),
    ("案件记录与全过程记录", lambda p, r: integrity_record.check_projection(p, r)),
    ("证据记录与登记事件", lambda p, r: integrity_record.check_evidence_rows(p, r)),
    ("县级平台确认回执", lambda p, r: integrity_hub.check_hub_receipts(p, r)),
]


def check_profile(uow: UnitOfWork) -> IntegrityReport:
    """Every finding on an open profile, read in the caller's unit of work (the SQLCipher page
    check runs on its own connection); never raises on damage."""
    profile = uow.profile
    report = IntegrityReport()
    for msg in check_integrity(profile.engine, profile.paths.db):
        report.add("database", msg, severity=DAMAGED)
    for what, section in SECTIONS:
        _guard(report, what, partial(section, uow, report))
    return report


def check_unopenable(db_path: Path, error: BaseException) -> IntegrityReport:
    """The report for a database that could not even be opened (first page, schema, migration)."""
    report = IntegrityReport()
    detail = error.message if isinstance(error, DeskError) else describe_db_error(error)
    report.add("database", f"数据库文件 {db_path.name} 无法打开：{detail}", severity=DAMAGED)
    return report


def check_pages_only(profile, error: BaseException) -> IntegrityReport:
    """The report when the record cannot even be read in a unit of work: the page checks (own
    connection) plus the error that stopped the rest."""
    from lishui_desk.storage.engine import make_engine

    report = IntegrityReport()
    engine = make_engine(profile.paths.db, profile.data_key)  # a fresh connection, not the failed one
    try:
        for msg in check_integrity(engine, profile.paths.db):
            report.add("database", msg, severity=DAMAGED)
    finally:
        engine.dispose()
    report.add("database", f"全过程记录无法读取（{describe_db_error(error)}），其余检查未能进行", severity=DAMAGED)
    return report
