"""Sync outbox, number blocks, drafts and profile metadata."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from lishui_desk.models.base import Base


class OutboxEntry(Base):
    """A change waiting to be pushed to the county hub, written in the same transaction as it."""

    __tablename__ = "outbox"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))  # "case_event", "evidence", "document"
    ref_id: Mapped[str] = mapped_column(String(64), index=True)
    payload: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16), default="pending", index=True)  # pending/acked/quarantined
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[str] = mapped_column(String(40), index=True)  # push order
    acked_at: Mapped[str | None] = mapped_column(String(40))


class NumberBlock(Base):
    """A block of case/document sequence numbers reserved for this device by the county hub.

    ``provisional`` blocks are made locally when no hub block is available; a number from them
    is never printed on a final document.
    """

    __tablename__ = "number_blocks"
    __table_args__ = (UniqueConstraint("township_code", "doc_code", "year", "first"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    township_code: Mapped[str] = mapped_column(String(12))
    doc_code: Mapped[str] = mapped_column(String(16))
    year: Mapped[int] = mapped_column(Integer)
    first: Mapped[int] = mapped_column(Integer)
    last: Mapped[int] = mapped_column(Integer)
    next_seq: Mapped[int] = mapped_column(Integer)
    provisional: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str] = mapped_column(String(16), default="seed")


class Draft(Base):
    """An unsaved form kept (inside the encrypted DB) across auto-lock."""

    __tablename__ = "drafts"

    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[str] = mapped_column(String(40))


class ProfileMeta(Base):
    """Key/value facts about the profile: township, officer, creation time, settings."""

    __tablename__ = "profile_meta"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class DocumentDefinition(Base):
    """A document definition (统一执法文书) published by the county, as received (canonical JSON).

    Bundled definitions ship with the program; county versions arrive through sync (their hub
    signature is kept for audit) and are never replaced: a version, once stored, is immutable, so a
    document issued under it can always be reprinted.
    """

    __tablename__ = "document_definitions"
    __table_args__ = (UniqueConstraint("doc_type", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    doc_type: Mapped[str] = mapped_column(String(64), index=True)
    version: Mapped[int] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text)
    body_sha256: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(16), default="county")
    signature: Mapped[str | None] = mapped_column(Text)
    imported_at: Mapped[str] = mapped_column(String(40))


class ReferenceVersion(Base):
    """One immutable version of one reference item (policy, calendar year, catalog, definition,
    roster entry, number block), as applied by ``services.reference.apply_batch``."""

    __tablename__ = "reference_versions"
    __table_args__ = (UniqueConstraint("stream", "key", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    stream: Mapped[str] = mapped_column(String(32), index=True)
    key: Mapped[str] = mapped_column(String(96))
    version: Mapped[int] = mapped_column(Integer)
    effective_from: Mapped[date | None] = mapped_column(Date)
    body: Mapped[str] = mapped_column(Text)  # canonical JSON as received
    body_sha256: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(16))  # bundled / file / hub
    signature: Mapped[str | None] = mapped_column(Text)  # hub signature (sync); None otherwise
    imported_at: Mapped[str] = mapped_column(String(40))


class ReferenceCursor(Base):
    """The sync cursor of a reference stream, written with the batch it belongs to."""

    __tablename__ = "reference_cursors"

    stream: Mapped[str] = mapped_column(String(32), primary_key=True)
    cursor: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[str] = mapped_column(String(40))
