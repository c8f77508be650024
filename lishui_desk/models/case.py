"""Cases, their append-only event log (全过程记录), evidence and issued documents."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column

from lishui_desk.models.base import Base


class Case(Base):
    """案件 — a projection of its events; ``services.cases.rebuild_projection`` recreates it."""

    __tablename__ = "cases"
    __table_args__ = (
        # the dashboard and the case list filter open cases by deadline and stage (100k rows)
        Index("ix_cases_open_deadline", "is_open", "next_deadline"),
        Index("ix_cases_open_stage", "is_open", "stage"),
        Index("ix_cases_open_stage_label", "is_open", "stage_label"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    township_code: Mapped[str] = mapped_column(ForeignKey("townships.code"), index=True)
    case_number: Mapped[str | None] = mapped_column(String(64), unique=True)
    stage: Mapped[str] = mapped_column(String(32), index=True)
    stage_label: Mapped[str] = mapped_column(String(32))
    procedure: Mapped[str | None] = mapped_column(String(16))
    source: Mapped[str | None] = mapped_column(String(32))
    party_name: Mapped[str | None] = mapped_column(String(256), index=True)
    party_kind: Mapped[str | None] = mapped_column(String(16))
    party_id: Mapped[str | None] = mapped_column(String(32), index=True)  # 身份证号 or 统一社会信用代码
    item_code: Mapped[str | None] = mapped_column(String(32), index=True)
    item_name: Mapped[str | None] = mapped_column(String(256))
    domain: Mapped[str | None] = mapped_column(String(32), index=True)
    officer_ids: Mapped[str] = mapped_column(Text, default="")
    officer_names: Mapped[str] = mapped_column(Text, default="")
    lead_on: Mapped[date | None] = mapped_column(Date, index=True)
    filed_on: Mapped[date | None] = mapped_column(Date)
    decided_on: Mapped[date | None] = mapped_column(Date)
    amount: Mapped[str | None] = mapped_column(String(24))
    next_deadline: Mapped[date | None] = mapped_column(Date, index=True)
    next_deadline_label: Mapped[str | None] = mapped_column(String(128))
    next_deadline_article: Mapped[str | None] = mapped_column(String(128))  # the rule's article
    disclosure_due: Mapped[date | None] = mapped_column(Date, index=True)  # 公示 not yet published
    is_open: Mapped[bool] = mapped_column(default=True)
    flags: Mapped[list[Any]] = mapped_column(JSON, default=list)
    event_count: Mapped[int] = mapped_column(Integer, default=0)
    head_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[str] = mapped_column(String(40))
    updated_at: Mapped[str] = mapped_column(String(40), index=True)


class CaseEvent(Base):
    """One act of the whole-process record; never updated or deleted (SQLite triggers refuse it)."""

    __tablename__ = "case_events"
    # no UNIQUE(case_id, seq): a fork keeps two events at one position (lishui_desk.graph, migration 0010)
    __table_args__ = (
        Index("ix_case_events_type", "type"),
        Index("ix_case_events_case_prev", "case_id", "prev_hash"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(String(64))
    actor_id: Mapped[str] = mapped_column(String(64))
    occurred_at: Mapped[str] = mapped_column(String(40))
    recorded_at: Mapped[str] = mapped_column(String(40))
    place: Mapped[str | None] = mapped_column(Text)
    payload: Mapped[str] = mapped_column(Text)  # canonical JSON, exactly as hashed
    corrects: Mapped[str | None] = mapped_column(String(36))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class EvidenceItem(Base):
    """证据 (行政处罚法 Art. 46 kinds); the file lives encrypted in the evidence store."""

    __tablename__ = "evidence_items"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    event_id: Mapped[str | None] = mapped_column(String(36))
    kind: Mapped[str] = mapped_column(String(32))
    description: Mapped[str] = mapped_column(Text)
    blob_id: Mapped[str | None] = mapped_column(String(64))
    sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    size: Mapped[int | None] = mapped_column(Integer)
    mime: Mapped[str | None] = mapped_column(String(128))
    original_name: Mapped[str | None] = mapped_column(String(256))
    captured_by: Mapped[str | None] = mapped_column(String(64))
    captured_at: Mapped[str | None] = mapped_column(String(40))
    captured_place: Mapped[str | None] = mapped_column(Text)


class IssuedDocument(Base):
    """An issued 执法文书: number, frozen data snapshot and definition version, PDF digest."""

    __tablename__ = "issued_documents"
    __table_args__ = (UniqueConstraint("township_code", "doc_code", "year", "seq"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    township_code: Mapped[str] = mapped_column(String(12))
    doc_type: Mapped[str] = mapped_column(String(64), index=True)
    doc_code: Mapped[str] = mapped_column(String(16))
    definition_version: Mapped[int] = mapped_column(Integer)
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int | None] = mapped_column(Integer)
    number: Mapped[str | None] = mapped_column(String(64), unique=True)
    issued_at: Mapped[str] = mapped_column(String(40))
    issued_by: Mapped[str] = mapped_column(String(64))
    event_id: Mapped[str | None] = mapped_column(String(36))
    snapshot: Mapped[str] = mapped_column(Text)  # canonical JSON of the frozen context
    content_digest: Mapped[str] = mapped_column(String(64))
    pdf_sha256: Mapped[str] = mapped_column(String(64))


# 全过程记录 is append-only in the code as well as in SQLite (triggers in migration 0001).
@event.listens_for(CaseEvent, "before_update")
def _refuse_event_update(_mapper, _connection, target: CaseEvent) -> None:
    from lishui_desk.errors import IntegrityBroken

    raise IntegrityBroken(f"全过程记录只能追加：事件 {target.id} 不得修改，更正请另记一条更正事件")


@event.listens_for(CaseEvent, "before_delete")
def _refuse_event_delete(_mapper, _connection, target: CaseEvent) -> None:
    from lishui_desk.errors import IntegrityBroken

    raise IntegrityBroken(f"全过程记录只能追加：事件 {target.id} 不得删除")
