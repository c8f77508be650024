"""Seals of the whole-process record (see ``lishui_desk.storage.seal``)."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from lishui_desk.models.base import Base


class RecordSeal(Base):
    """The HMAC of one event, written with it (append-only, like the events)."""

    __tablename__ = "record_seals"

    event_id: Mapped[str] = mapped_column(ForeignKey("case_events.id"), primary_key=True)
    mac: Mapped[str] = mapped_column(String(64))


class RecordHead(Base):
    """The profile head: a counter raised by every writing unit of work, the number of events and
    cases and a multiset root over all case heads, with its HMAC. A copy is sealed beside the
    keyring (``record-head.json``) so a rolled-back or truncated database no longer matches."""

    __tablename__ = "record_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)  # always 1
    counter: Mapped[int] = mapped_column(Integer)
    event_count: Mapped[int] = mapped_column(Integer)
    case_count: Mapped[int] = mapped_column(Integer)
    root: Mapped[str] = mapped_column(String(64))
    mac: Mapped[str] = mapped_column(String(64))
