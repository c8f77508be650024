"""Read-side queries over the case projection (SQL-side filtering, paging for 100k cases)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Select, func, literal_column, or_, select, table

from lishui_desk.models import Case, OutboxEntry
from lishui_desk.timeutil import today_local
from lishui_desk.unit_of_work import UnitOfWork

ORDERABLE = {
    "updated": Case.updated_at.desc(),
    "case_number": Case.case_number,
    "party": Case.party_name,
    "stage": Case.stage,
    "deadline": Case.next_deadline,
    "lead_on": Case.lead_on.desc(),
}


@dataclass(frozen=True)
class CaseFilter:
    stage: str | None = None
    domain: str | None = None
    overdue: bool = False
    open_only: bool = False
    date_from: date | None = None  # lead date range
    date_to: date | None = None
    text: str | None = None  # case number / party name / ID number (exact) / item name
    today: date | None = None
    case_ids: frozenset[str] | None = None  # only these cases (e.g. the GUI's 媒体不完整 filter)


@dataclass(frozen=True)
class CaseRow:
    id: str
    case_number: str | None
    party_name: str | None
    item_name: str | None
    stage: str
    stage_label: str
    next_deadline: date | None
    next_deadline_label: str | None
    officer_names: str
    domain: str | None
    next_deadline_article: str | None = None
    flags: list[str] | None = None  # the case's flags (e.g. ``fork``: its record forked)

    @property
    def forked(self) -> bool:
        """Two devices wrote the case offline: blocked for new steps until the fork is resolved."""
        return "fork" in (self.flags or ())


_ROW_COLUMNS = (Case.id, Case.case_number, Case.party_name, Case.item_name, Case.stage, Case.stage_label,
                Case.next_deadline, Case.next_deadline_label, Case.officer_names, Case.domain,
                Case.next_deadline_article, Case.flags)


def _apply(stmt: Select, f: CaseFilter) -> Select:
    if f.case_ids is not None:
        stmt = stmt.where(Case.id.in_(sorted(f.case_ids)))
    if f.stage:
        stmt = stmt.where(Case.stage == f.stage)
    if f.domain:
        stmt = stmt.where(Case.domain == f.domain)
    if f.open_only:
        stmt = stmt.where(Case.is_open.is_(True))
    if f.overdue:
        stmt = stmt.where(Case.is_open.is_(True), Case.next_deadline < (f.today or today_local()))
    if f.date_from:
        stmt = stmt.where(Case.lead_on >= f.date_from)
    if f.date_to:
        stmt = stmt.where(Case.lead_on <= f.date_to)
    text = (f.text or "").strip()
    if text:
        exact = or_(Case.party_id == text.upper(), Case.item_code == text)  # 身份证号 / 信用代码 / 事项代码
        if len(text) >= 3:  # trigram index (migration 0003): any substring of three or more characters
            phrase = '"' + text.replace('"', '""') + '"'
            hits: Select[Any] = select(literal_column("rowid")).select_from(table("case_fts")).where(
                literal_column("case_fts").op("MATCH")(phrase))
            stmt = stmt.where(or_(exact, literal_column("cases.rowid").in_(hits)))
        else:
            like = f"%{text}%"
            stmt = stmt.where(or_(exact, Case.case_number.like(like), Case.party_name.like(like),
                                  Case.item_name.like(like)))
    return stmt


def count_cases(uow: UnitOfWork, f: CaseFilter) -> int:
    return uow.session.scalar(_apply(select(func.count()).select_from(Case), f)) or 0


def list_cases(uow: UnitOfWork, f: CaseFilter, offset: int = 0, limit: int = 200,
               order_by: str = "updated") -> list[CaseRow]:
    stmt = _apply(
        select(*_ROW_COLUMNS),
        f,
    ).order_by(ORDERABLE.get(order_by, ORDERABLE["updated"]), Case.id).offset(offset).limit(limit)
    return [CaseRow(*r) for r in uow.session.execute(stmt)]


def domains(uow: UnitOfWork) -> list[str]:
    return [d for (d,) in uow.session.execute(select(Case.domain).where(Case.domain.is_not(None)).distinct().order_by(Case.domain))
            if d is not None]


@dataclass
class Dashboard:
    open_by_stage: list[tuple[str, int]] = field(default_factory=list)
    due_soon: list[CaseRow] = field(default_factory=list)  # within 3 days
    overdue: list[CaseRow] = field(default_factory=list)
    awaiting_review: list[CaseRow] = field(default_factory=list)  # 法制审核 pending
    disclosure_due: list[CaseRow] = field(default_factory=list)  # 公示 due (7 working days, Art. 48)
    outbox_pending: int = 0
    outbox_quarantined: int = 0


def dashboard(uow: UnitOfWork, *, soon_days: int = 3, limit: int = 50) -> Dashboard:
    """The dashboard as of the unit of work's working date."""
    session, today = uow.session, uow.today
    d = Dashboard()
    d.open_by_stage = [
        (label, n)
        for label, n in session.execute(
            select(Case.stage_label, func.count()).where(Case.is_open.is_(True)).group_by(Case.stage_label)
            .order_by(func.count().desc())
        )
    ]
    cols = _ROW_COLUMNS
    base = select(*cols).where(Case.is_open.is_(True), Case.next_deadline.is_not(None))
    d.overdue = [CaseRow(*r) for r in session.execute(
        base.where(Case.next_deadline < today).order_by(Case.next_deadline).limit(limit))]
    d.due_soon = [CaseRow(*r) for r in session.execute(
        base.where(Case.next_deadline >= today, Case.next_deadline <= today + timedelta(days=soon_days))
        .order_by(Case.next_deadline).limit(limit))]
    d.awaiting_review = [CaseRow(*r) for r in session.execute(
        select(*cols).where(Case.is_open.is_(True), Case.stage == "legal_review").limit(limit))]
    d.disclosure_due = [
        CaseRow(r.id, r.case_number, r.party_name, r.item_name, r.stage, r.stage_label, due,
                "公开行政处罚决定信息", r.officer_names, r.domain, "《行政处罚法》第四十八条", r.flags)
        for *rest, due in session.execute(
            select(*cols, Case.disclosure_due).where(Case.disclosure_due.is_not(None))
            .order_by(Case.disclosure_due).limit(limit))
        for r in [CaseRow(*rest)]
    ]
    d.outbox_pending = session.scalar(select(func.count()).select_from(OutboxEntry).where(OutboxEntry.state == "pending")) or 0
    d.outbox_quarantined = session.scalar(
        select(func.count()).select_from(OutboxEntry).where(OutboxEntry.state == "quarantined")) or 0
    return d
