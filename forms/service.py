"""Document services (执法文书): issue, preview, reprint, verify and the case file, on real cases.

The GUI and ``lishui-desk doc …`` call exactly these functions; they return plain data.

Issuing a document is one unit of work (``BEGIN IMMEDIATE``): build the context from the case,
take the next number from the township's block for the document's 代字 and year, refuse a
provisional number on a final document, freeze the context (canonical JSON) and the definition
version, render, store the PDF's SHA-256 and the content digest, and append a ``document.issued``
event to the case's hash-chained record (whole-process record, 《中华人民共和国行政处罚法》第四十七条).
The PDF itself is not stored: a reprint renders the frozen snapshot again and must give the same
bytes (ReportLab invariant mode), which is checked against the stored SHA-256.

A document whose act already carries a number — the case number on the 立案审批表, a pre-printed
当场处罚决定书 number (第五十二条), a 文号 typed into the 告知/决定 step — is issued under that
number rather than a second one.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from forms import case_context as cc
from forms import reference_check, sources
from forms.casefile import IssuedDocument as CasefileDocument
from forms.casefile import build_casefile
from forms.context import to_date, validate_context
from forms.loader import (
    CASEFILE_STAGE,
    Definition,
    bundled_definitions,
    definition_version,
    get_definition,
    parse_definition,
)
from forms.numbering import format_number, is_provisional
from forms.placeholders import date_cn
from forms.render import QR_PREFIX, RenderRequest, content_digest, parse_qr, render
from lishui_desk import record
from lishui_desk.errors import CorruptFile, DeskError, InvalidInput, NotFound
from lishui_desk.events import canonical_json
from lishui_desk.models import Case, IssuedDocument, ProfileMeta, new_id
from lishui_desk.services import definitions as definition_store
from lishui_desk.services import issued_pdfs, numbers
from lishui_desk.unit_of_work import UnitOfWork

PREVIEW_WATERMARK = "样稿"

class ReprintMismatch(DeskError):
    """A reprint would not reproduce the issued document (definition or fonts changed)."""

    code = "reprint_mismatch"


@dataclass(frozen=True)
class DocChoice:
    doc_type: str
    title: str
    numbered: bool
    ready: bool
    missing: list[str] = field(default_factory=list)
    issued: str | None = None  # number (or id) of the document already issued for the same act
    act: str | None = None  # the event of the act this document records (None: the case as a whole)
    latest: bool = True  # the type's current act (a type's older acts — an earlier 笔录, receipt … — follow)
    # ``missing`` as an officer reads it in the GUI: names only, no data key, no command
    missing_plain: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        """Tells choices apart: the type for its current act, ``type#event`` for an earlier one."""
        return self.doc_type if self.latest or not self.act else f"{self.doc_type}#{self.act}"


@dataclass(frozen=True)
class IssuedDocRow:
    id: str
    doc_type: str
    title: str
    number: str | None
    issued_at: str
    pdf_sha256: str
    content_digest: str
    case_id: str = ""
    case_number: str | None = None
    document_date: str | None = None
    definition_version: int = 0


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    number: str | None = None
    doc_type: str | None = None
    case_number: str | None = None
    issued_at: str | None = None
    reason: str = ""


@dataclass(frozen=True)
class DocType:
    doc_type: str
    title: str
    version: int
    numbered: bool
    code: str
    stage: str


# --- reading helpers ----------------------------------------------------------------------------
County = dict[str, dict[int, Definition]]


def current_definitions(county: County | None = None) -> list[Definition]:
    """The definition in force for every document type (bundled and county-published), in
    procedure order (each definition's ``order``; the 案卷 parts come last)."""
    county = county or {}
    types = set(bundled_definitions()) | set(county)
    defs = [current_definition(t, county) for t in types]
    return sorted(defs, key=lambda d: (d.stage == CASEFILE_STAGE, d.order, d.type))


def document_types(county: County | None = None) -> list[DocType]:
    """Every document type in procedure order (the 案卷 parts last)."""
    return [DocType(d.type, d.title, d.version, d.number.numbered, d.number.code, d.stage)
            for d in current_definitions(county)]


def procedure_order(county: County | None = None) -> tuple[str, ...]:
    """Document types in the order of the procedure (办案流程), derived from the definitions."""
    return tuple(d.type for d in current_definitions(county))


def _county_definitions(uow: UnitOfWork) -> County:
    """Definitions published by the county and stored in the profile, by type and version (read
    before any unit of work opens; a handful of rows)."""
    out: County = {}
    for sd in definition_store.list_stored(uow):
        out.setdefault(sd.doc_type, {})[sd.version] = parse_definition(sd.body, f"县级发布 {sd.doc_type} 第{sd.version}版")
    return out


def current_definition(doc_type: str, county: County) -> Definition:
    """The newest version: a county-published one when it is newer than the bundled default (a type
    only the county publishes has no bundled default)."""
    published = county.get(doc_type) or {}
    newest = max(published, default=0)
    try:
        d = get_definition(doc_type)
    except InvalidInput:
        if not published:
            raise
        return published[newest]
    return published[newest] if newest > d.version else d


def publish_definition(uow: UnitOfWork, body: dict[str, Any] | str | Path, *, source: str = "file",
                       signature: str | None = None, verify: Any = None) -> Definition:
    """Validate a county definition (placeholders against the whitelisted context, public-document
    privacy rules) and keep it in the profile's definition store; returns the parsed definition."""
    if isinstance(body, (str, Path)) and not (isinstance(body, str) and body.lstrip().startswith("{")):
        path = Path(body)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise InvalidInput(f"无法读取文书定义文件 {path}：{exc.strerror}") from None
        except json.JSONDecodeError as exc:
            raise InvalidInput(f"文书定义文件 {path.name} 不是合法的 JSON：第{exc.lineno}行 {exc.msg}") from None
        src = path.name
    else:
        data = json.loads(body) if isinstance(body, str) else body
        src = "县级发布"
    d = parse_definition(data, src)
    reference_check.check_definition(data, src)  # a new type needs no code (see forms.sources)
    definition_store.store(uow, data, source=source, signature=signature, verify=verify)
    return d


def _issuable(doc_type: str, county: County) -> Definition:
    d = current_definition(doc_type, county)
    if d.stage == CASEFILE_STAGE:
        raise InvalidInput(f"《{d.title}》只在组卷时生成，不单独出具",
                           cli_text=f"《{d.title}》只在案卷中生成（lishui-desk doc casefile），不单独出具")
    return d


def _title(doc_type: str, county: County | None = None) -> str:
    try:
        return current_definition(doc_type, county or {}).title
    except InvalidInput:
        return doc_type


def _listed_title(doc_type: str, snapshot: dict[str, Any], county: County | None = None) -> str:
    """送达回证（行政处罚决定书）: the title with what the document concerns, as lists show it."""
    try:
        return current_definition(doc_type, county or {}).listed_title(snapshot)
    except InvalidInput:
        return doc_type


def _row(d: IssuedDocument, case_number: str | None = None, county: County | None = None) -> IssuedDocRow:
    snap = json.loads(d.snapshot)
    return IssuedDocRow(d.id, d.doc_type, _listed_title(d.doc_type, snap, county), d.number, d.issued_at, d.pdf_sha256, d.content_digest,
                        d.case_id, case_number, (snap.get("document") or {}).get("date"), d.definition_version)


_ANY_VERSION = "*"


def _previous(f: cc.CaseFacts, doc_type: str, src: cc.DocSource, snapshot: str, *,
              any_version: bool = False) -> IssuedDocument | None:
    """A document of this type already issued for the same act in the same state (``any_version``:
    in any state — the 案卷 files the one issued), or with identical content."""
    by_event: dict[str, tuple[str, str | None]] = {}
    for ev in f.events:
        if ev.type == cc.DOC_EVENT and ev.payload.get("doc_type") == doc_type and ev.payload.get("source_event_id"):
            # a document issued before versions were recorded stands for its act in any state
            by_event[str(ev.payload.get("document_id"))] = (str(ev.payload["source_event_id"]),
                                                            ev.payload.get("source_version", _ANY_VERSION))
    for d in f.documents:
        if d.doc_type != doc_type:
            continue
        event, version = by_event.get(d.id, (None, None))
        if src.event_id and event == src.event_id and (any_version or version in (_ANY_VERSION, src.version)):
            return d
        if d.snapshot == snapshot:
            return d
    return None


def _pick(f: cc.CaseFacts, d: Definition, act: str | None) -> sources.Act | None:
    """The act a document is asked for: ``act`` (its event id, or a unique prefix), else the current one."""
    if act is None:
        return sources.find_act(f, d)
    found = [a for a in sources.acts(f, d) if a.event_id and (a.event_id == act or a.event_id.startswith(act))]
    if len(found) != 1:
        raise InvalidInput(f"本案没有与所选记录对应的《{d.title}》（记录可能已被更正或不属于本案），请重新选择")
    return found[0]


def _prepare(f: cc.CaseFacts, doc_type: str, county: County, act: str | None = None
             ) -> tuple[Definition, dict[str, Any], cc.DocSource, list[str]]:
    d = _issuable(doc_type, county)
    ctx, src = sources.document_context(f, d, _pick(f, d, act))
    missing = cc.missing_paths(d, ctx)
    return d, ctx, src, missing


def _distinct_titles(d: Definition, entries: list[tuple[sources.Act, dict[str, Any]]]) -> list[str]:
    """Titles that tell a type's documents apart: the listed title (送达回证（行政处罚决定书）), then
    what the act names (the person asked) and its date where two would read alike, then a count."""
    base = [d.listed_title(ctx) for _a, ctx in entries]
    out = []
    for (act, _ctx), title in zip(entries, base, strict=True):
        if base.count(title) > 1:
            what = "，".join(x for x in (act.label if act.label and act.label not in title else None,
                                         date_cn(act.day) if act.day else None) if x)
            title = f"{title}（{what}）" if what else title
        out.append(title)
    for i, title in enumerate(out):
        if out.count(title) > 1:
            out[i] = f"{title}（第{out[: i + 1].count(title)}份）"
    return out


def _missing_error(d: Definition, missing: list[str]) -> InvalidInput:
    head = f"《{d.title}》缺少以下数据，请补充后再出具："
    return InvalidInput(head + "；".join(cc.plain_missing(p) for p in missing),
                        cli_text=head + "；".join(cc.describe_missing(p) for p in missing))


def _already_issued(title: str, prev: IssuedDocument) -> str:
    """The refusal an officer reads: the 文号 (or the day of issue for an unnumbered document),
    and where to reprint it — never the document's internal id or a command."""
    which = f"文号 {prev.number}" if prev.number else f"{str(prev.issued_at)[:10]} 出具"
    return (f"本案已出具《{title}》（{which}），同一事项不重复出具；"
            "需要时请在本案“文书”页选中该文书重印")


def _not_relevant(d: Definition) -> InvalidInput:
    return InvalidInput(f"本案目前没有可据以出具《{d.title}》的办案记录（请先完成相应的办案步骤）")


# --- public API ---------------------------------------------------------------------------------
def available_documents(uow: UnitOfWork, case_id: str) -> list[DocChoice]:
    """The document types that fit the case's record so far, each with what is still missing."""
    out: list[DocChoice] = []
    county = _county_definitions(uow)
    f = cc.load_facts(uow.session, case_id, uow.today)
    for t in document_types(county):
        if t.stage == CASEFILE_STAGE:
            continue
        d = current_definition(t.doc_type, county)
        found = sources.acts(f, d)
        entries = [(a, *sources.document_context(f, d, a)) for a in found]
        titles = _distinct_titles(d, [(a, ctx) for a, ctx, _src in entries])
        for i, ((act, ctx, src), title) in enumerate(zip(entries, titles, strict=True)):
            paths = cc.missing_paths(d, ctx)
            labels = [cc.describe_missing(p) for p in paths]
            plain = [cc.plain_missing(p) for p in paths]
            prev = _previous(f, t.doc_type, src, canonical_json(ctx))
            issued = None
            if prev is not None:
                issued = prev.number or prev.id
                labels.append(f"本案已出具该文书（{prev.number}），需要时请补打" if prev.number
                              else "本案已出具该文书，需要时请补打")
                plain.append(labels[-1])
            if d.number.numbered and src.act_number and is_provisional(src.act_number):
                labels.append(f"文号“{src.act_number}”是临时文号，取得正式号段后才能出具")
                plain.append(labels[-1])
            out.append(DocChoice(t.doc_type, title, t.numbered, not labels, labels, issued, act.event_id,
                                 i == len(entries) - 1, missing_plain=plain))
    return out


def preview(uow: UnitOfWork, case_id: str, doc_type: str, act: str | None = None) -> bytes:
    """An unnumbered draft marked 样稿 (of the act ``act``, default the current one); nothing is stored."""
    county = _county_definitions(uow)
    f = cc.load_facts(uow.session, case_id, uow.today)
    d, ctx, _src, missing = _prepare(f, doc_type, county, act)
    if missing:
        raise _missing_error(d, missing)
    return render(d, ctx, watermark=PREVIEW_WATERMARK)


def _allocate_number(uow: UnitOfWork, f: cc.CaseFacts, d: Definition, src: cc.DocSource, year: int) -> tuple[str | None, int | None]:
    if not d.number.numbered:
        return None, None
    if src.act_number:
        if is_provisional(src.act_number):
            raise InvalidInput(
                f"《{d.title}》的文号“{src.act_number}”是临时文号，正式文书不得使用临时文号"
                "（取得县级平台下发的正式号段后再出具，DESIGN §5）")
        taken = uow.session.scalar(select(IssuedDocument.id).where(IssuedDocument.number == src.act_number))
        if taken:
            raise InvalidInput(f"文号“{src.act_number}”已被另一份文书使用，不能重复使用")
        return src.act_number, None
    t = f.township
    alloc = numbers.allocate(uow, t.code, d.number.code, year)
    if alloc.provisional:
        raise InvalidInput(
            f"《{d.title}》是正式文书，本机没有“{d.number.code}”字{year}年的正式号段，只能取得临时文号；"
            "正式文书不得使用临时文号（请先与县级平台同步取得号段后再出具）")
    number = format_number(d.number.pattern, t.agency_code, d.number.code, year, alloc.seq,
                           use_di=d.number.use_di, pad=d.number.pad)
    return number, alloc.seq


def issue_document(uow: UnitOfWork, case_id: str, doc_type: str, act: str | None = None) -> IssuedDocRow:
    """Issue (出具) a document in the caller's unit of work; returns the stored record. ``act`` (an
    event id from :func:`available_documents`) picks one of the type's acts — a receipt of an earlier
    served document, an earlier 笔录 — default the current one. The ``document.issued`` event goes
    through the record's one appender (``record.append``)."""
    uow.require_write()
    actor = uow.actor_id
    county = _county_definitions(uow)
    s = uow.session
    f = cc.load_facts(s, case_id, uow.today)
    d, ctx, src, missing = _prepare(f, doc_type, county, act)
    if not src.relevant:
        raise _not_relevant(d)
    if missing:
        raise _missing_error(d, missing)
    validate_context(ctx)
    snapshot = canonical_json(ctx)
    prev = _previous(f, doc_type, src, snapshot)
    if prev is not None:
        raise InvalidInput(_already_issued(d.title, prev),
                           cli_text=f"本案已出具《{d.title}》（{prev.number or prev.id}），同一事项不重复出具；"
                                    f"需要时请补打：lishui-desk doc reprint {prev.number or prev.id}")
    doc_day = to_date(ctx["document"]["date"])
    number, seq = _allocate_number(uow, f, d, src, doc_day.year)
    digest = content_digest(d, ctx, number)
    pdf = render(d, ctx, number=number)
    pdf_sha = hashlib.sha256(pdf).hexdigest()
    doc_id = new_id()
    payload = {"doc_type": doc_type, "number": number, "content_digest": digest, "pdf_sha256": pdf_sha,
               "definition_version": d.version, "document_id": doc_id, "source_event_id": src.event_id,
               "document_date": doc_day.isoformat()}
    payload["source_version"] = src.version
    kept = issued_pdfs.keep(uow, doc_id, pdf)  # the printed bytes travel to the county as media
    try:
        rec = record.append(uow, case_id, [record.NewEvent(cc.DOC_EVENT, payload)], loaded=f.events).records[0]
    except BaseException:
        issued_pdfs.discard(uow, kept)
        raise
    issued_at = uow.now().isoformat(timespec="microseconds")
    s.add(IssuedDocument(
        id=doc_id, case_id=case_id, township_code=f.township.code, doc_type=doc_type, doc_code=d.number.code,
        definition_version=d.version, year=doc_day.year, seq=seq, number=number, issued_at=issued_at,
        issued_by=actor, event_id=rec.id, snapshot=snapshot, content_digest=digest, pdf_sha256=pdf_sha,
    ))
    s.flush()
    case_number = f.state.case_number
    return IssuedDocRow(doc_id, doc_type, d.listed_title(ctx), number, issued_at, pdf_sha, digest, case_id, case_number,
                        doc_day.isoformat(), d.version)


def _find(s: Session, doc_id_or_number: str) -> IssuedDocument:
    row = s.get(IssuedDocument, doc_id_or_number)
    if row is None:
        row = s.scalars(select(IssuedDocument).where(IssuedDocument.number == doc_id_or_number)).first()
    if row is None:
        rows = list(s.scalars(select(IssuedDocument).where(IssuedDocument.id.like(f"{doc_id_or_number}%")).limit(2)))
        row = rows[0] if len(rows) == 1 else None
    if row is None:
        raise NotFound(f"找不到文书“{doc_id_or_number}”（可用文书编号或文号）")
    return row


def _issued_definition(row: IssuedDocument, county: County) -> Definition:
    """The definition exactly as it was when the document was issued: the current one, or the
    superseded version kept in ``forms/definitions/history/`` (an issued document stays
    reprintable after the wording or layout is revised)."""
    published = (county.get(row.doc_type) or {}).get(row.definition_version)
    if published is not None:
        return published
    current = current_definition(row.doc_type, county)
    if current.version == row.definition_version:
        return current
    old = definition_version(row.doc_type, row.definition_version)
    if old is None:
        raise ReprintMismatch(
            f"《{current.title}》{row.number or row.id}出具时使用文书定义第{row.definition_version}版，"
            f"本机现为第{current.version}版且没有第{row.definition_version}版；"
            f"不能用新版本补打旧文书（请安装第{row.definition_version}版定义后再补打）")
    return old


def _frozen(row: IssuedDocument, county: County) -> tuple[Definition, dict[str, Any], str]:
    d = _issued_definition(row, county)
    label = f"《{d.title}》{row.number or row.id}"
    ctx = json.loads(row.snapshot)
    if content_digest(d, ctx, row.number) != row.content_digest:
        raise ReprintMismatch(f"{label}的冻结数据与出具记录的摘要不一致，数据可能被改动，拒绝补打")
    return d, ctx, label


def _rerender(row: IssuedDocument, county: County) -> bytes:
    d, ctx, label = _frozen(row, county)
    pdf = render(d, ctx, number=row.number)
    if hashlib.sha256(pdf).hexdigest() != row.pdf_sha256:
        raise ReprintMismatch(
            f"{label}补打结果与出具时的 PDF 不一致（定义第{row.definition_version}版未变，可能是文书定义文件或字体已更改）；"
            "为避免打印与原件不同的文书，已停止补打")
    return pdf


def reprint(uow: UnitOfWork, doc_id: str) -> bytes:
    """补打: the same PDF bytes as at issue — the kept copy (checked against the issued record's
    hash), or for a document issued before copies were kept, rendered again from the frozen
    snapshot (refused unless the bytes come out identical)."""
    row = _find(uow.session, doc_id)
    county = _county_definitions(uow)
    try:
        held = issued_pdfs.read(uow, row.id, row.pdf_sha256)
    except CorruptFile:
        held = None  # a damaged copy is never printed; a re-render is, only if byte-identical
    if held is None:
        return _rerender(row, county)
    try:
        d = _issued_definition(row, county)
    except ReprintMismatch:
        return held  # the printed bytes themselves: no definition needed to print them again
    if content_digest(d, json.loads(row.snapshot), row.number) != row.content_digest:
        raise ReprintMismatch(f"《{d.title}》{row.number or row.id}的冻结数据与出具记录的摘要不一致，数据可能被改动，拒绝补打")
    return held


def _rerender_for_keeping(uow: UnitOfWork, row: IssuedDocument) -> bytes:
    return _rerender(row, _county_definitions(uow))


issued_pdfs.register_renderer(_rerender_for_keeping)


def _qr_from_pdf(data: bytes) -> str:
    from pypdf import PdfReader

    try:
        meta: Mapping[str, Any] = PdfReader(io.BytesIO(data)).metadata or {}
    except Exception as exc:  # pypdf raises many types for damaged input
        raise InvalidInput(f"无法读取 PDF：{exc}") from None
    keywords = str(meta.get("/Keywords") or "")
    found = [k for k in keywords.split() if k.startswith(QR_PREFIX + "|")]
    if not found:
        raise InvalidInput("PDF 中没有本系统出具文书的校验码（不是本系统出具的单份文书）")
    return found[0]


def verify(uow: UnitOfWork, text_or_pdf_path: str | Path) -> VerifyResult:
    """Check a scanned QR string (``LSD1|文号|摘要``) or a PDF file against the issue record."""
    file_sha = None
    try:
        if isinstance(text_or_pdf_path, Path) or not str(text_or_pdf_path).startswith(QR_PREFIX + "|"):
            path = Path(text_or_pdf_path)
            if not path.is_file():
                raise InvalidInput(f"既不是文书校验码，也找不到文件：{text_or_pdf_path}")
            data = path.read_bytes()
            file_sha = hashlib.sha256(data).hexdigest()
            qr = _qr_from_pdf(data)
        else:
            qr = str(text_or_pdf_path).strip()
        info = parse_qr(qr)
    except InvalidInput as exc:
        return VerifyResult(False, reason=exc.message)
    s = uow.session
    if info.number:
        row = s.scalars(select(IssuedDocument).where(IssuedDocument.number == info.number)).first()
    else:
        row = s.scalars(select(IssuedDocument).where(IssuedDocument.number.is_(None),
                                                     IssuedDocument.content_digest.like(f"{info.digest_prefix}%"))).first()
    if row is None:
        return VerifyResult(False, info.number or None, reason=f"出具记录中没有文号为“{info.number}”的文书"
                            if info.number else "出具记录中没有与该校验码对应的文书")
    case_number = s.scalar(select(Case.case_number).where(Case.id == row.case_id))
    base = {"number": row.number, "doc_type": row.doc_type, "case_number": case_number, "issued_at": row.issued_at}
    if not info.matches(row.content_digest):
        return VerifyResult(False, **base, reason="校验码中的内容摘要与出具记录不一致：文书内容可能被改动")
    if file_sha is not None and file_sha != row.pdf_sha256:
        return VerifyResult(False, **base, reason="PDF 文件与出具时生成的文件不一致（SHA-256 不符）：文件可能被改动")
    what = "PDF 文件与出具记录完全一致" if file_sha else "校验码与出具记录一致"
    return VerifyResult(True, **base, reason=f"{what}：《{_title(row.doc_type)}》{row.number or ''}")


def list_documents(uow: UnitOfWork, case_id: str | None = None) -> list[IssuedDocRow]:
    county = _county_definitions(uow)
    s = uow.session
    stmt = select(IssuedDocument, Case.case_number).join(Case, Case.id == IssuedDocument.case_id)
    if case_id:
        stmt = stmt.where(IssuedDocument.case_id == case_id)
    rows = s.execute(stmt.order_by(IssuedDocument.issued_at, IssuedDocument.id)).all()
    return [_row(d, num, county) for d, num in rows]


def _doc_order(row: IssuedDocument, order: tuple[str, ...] = ()) -> tuple[str, int, str]:
    snap = json.loads(row.snapshot)
    day = str((snap.get("document") or {}).get("date") or row.issued_at[:10])
    rank = order.index(row.doc_type) if row.doc_type in order else len(order)
    return day, rank, row.issued_at


CASEFILE_DRAFT = "未出具"  # watermark of a numbered document filed before it was issued


def _archive_copy(d: Definition) -> list[str] | None:
    """The copy kept on file (the last: 副本, 备案联); the 案卷 holds one copy of each document."""
    return [d.copies[-1]] if d.copies else None


def _unissued(f: cc.CaseFacts, d: Definition, act: sources.Act) -> tuple[Any, CasefileDocument] | None:
    """A record of the case no document was issued for (a 笔录 or 审批表 kept in the app only): filed
    from the case's current data; a numbered one without its number is marked 未出具."""
    ctx, src = sources.document_context(f, d, act)
    if _previous(f, d.type, src, canonical_json(ctx), any_version=True) is not None:
        return None
    day = str(ctx["document"]["date"])
    title = d.listed_title(ctx)
    missing = cc.missing_paths(d, ctx)
    if missing:
        note = "缺少" + "、".join(cc.describe_missing(m).split("（")[0] for m in missing[:3])
        return (day, d.order, ""), CasefileDocument(title, None, None, day, None, note)
    number = src.act_number if src.act_number and not is_provisional(src.act_number) else None
    watermark = CASEFILE_DRAFT if d.number.numbered and number is None else None
    req = RenderRequest(d, ctx, number, watermark=watermark, copies=_archive_copy(d))
    return (day, d.order, ""), CasefileDocument(title, None, number, day, req, "未出具" if watermark else None)


def casefile(uow: UnitOfWork, case_id: str) -> bytes:
    """The 案卷 as one PDF: cover, 卷内目录, every record of the case in procedure order — issued
    documents (their archive copy, reprinted from the frozen data) and the records kept in the app
    without an issued document (笔录, 审批表, from the case's data) — then the 证据目录. Pages are
    numbered continuously as the 卷内目录 lists them. It can be built at any stage; before 归档 the
    cover says 未归档."""
    county = _county_definitions(uow)
    f = cc.load_facts(uow.session, case_id, uow.today)
    ctx = cc.casefile_context(f)
    issued = list(f.documents)
    defs = [d for d in current_definitions(county) if d.stage != CASEFILE_STAGE]
    rank = {d.type: d.order for d in defs}
    entries: list[tuple[Any, CasefileDocument]] = []
    for r in issued:
        d, frozen, _label = _frozen(r, county)
        # the reprint proves the frozen data still gives the issued bytes; the file itself is
        # rendered as one document from the same requests (fonts embedded once)
        pdf = _rerender(r, county)
        day = _doc_order(r)[0]
        req = RenderRequest(d, frozen, r.number, copies=_archive_copy(d))
        entries.append(((day, rank.get(r.doc_type, d.order), r.issued_at),
                        CasefileDocument(d.listed_title(frozen), pdf, r.number, day, req)))
    for d in defs:
        for act in sources.acts(f, d) if d.type in sources.REGISTRY or d.act else ():
            got = _unissued(f, d, act)
            if got is not None:
                entries.append(got)
    entries.sort(key=lambda e: e[0])
    probe = {**ctx, "casefile": {**ctx.get("casefile", {}), "pages": 1}, "toc": [{"title": "—", "page": "1"}]}
    missing: list[str] = []
    for part in (d for d in current_definitions(county) if d.stage == CASEFILE_STAGE):
        missing += cc.missing_paths(part, probe)
    if missing:
        paths = list(dict.fromkeys(missing))
        raise InvalidInput("组卷缺少以下数据：" + "；".join(dict.fromkeys(cc.plain_missing(p) for p in paths)),
                           cli_text="组卷缺少以下数据：" + "；".join(cc.describe_missing(p) for p in paths))
    return build_casefile(ctx, [doc for _k, doc in entries])


# --- settings (values the core does not keep) --------------------------------------------------
def settings(uow: UnitOfWork) -> dict[str, dict[str, str | None]]:
    """Document settings: ``{key: {"label", "value"}}`` (keys without the ``forms.`` prefix)."""
    have = cc.read_settings(uow.session)
    return {k.removeprefix("forms."): {"label": label, "value": have.get(k)} for k, (_p, label) in cc.SETTINGS.items()}


def set_setting(uow: UnitOfWork, key: str, value: str) -> None:
    full = key if key.startswith("forms.") else f"forms.{key}"
    if full not in cc.SETTINGS:
        raise InvalidInput(f"没有文书设置项“{key}”（可用：{'、'.join(k.removeprefix('forms.') for k in cc.SETTINGS)}）")
    value = value.strip()
    if len(value) > 200 or "\n" in value:
        raise InvalidInput(f"设置项“{key}”的值应为一行、不超过 200 字")
    uow.require_write()
    uow.session.merge(ProfileMeta(key=full, value=value))
