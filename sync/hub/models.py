"""Tables of the hub database (its own metadata and Alembic history, separate from a profile's).

Timestamps are ISO-8601 strings in UTC, identical on SQLite and PostgreSQL.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Index, Integer, MetaData, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class HubBase(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class HubMeta(HubBase):
    """epoch (changes when the hub is rebuilt), lock rows, settings."""

    __tablename__ = "hub_meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class HubTownship(HubBase):
    __tablename__ = "hub_townships"
    code: Mapped[str] = mapped_column(String(12), primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    county_code: Mapped[str] = mapped_column(String(6))
    county_name: Mapped[str] = mapped_column(String(64))
    added_at: Mapped[str] = mapped_column(String(40))


class HubOfficer(HubBase):
    __tablename__ = "hub_officers"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    township_code: Mapped[str] = mapped_column(String(12), index=True)
    cert_no: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    added_at: Mapped[str] = mapped_column(String(40))


class Enrollment(HubBase):
    """A one-time enrollment code (only its SHA-256 is kept)."""

    __tablename__ = "hub_enrollments"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    secret_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    township_code: Mapped[str] = mapped_column(String(12))
    officer_id: Mapped[str] = mapped_column(String(36))
    created_at: Mapped[str] = mapped_column(String(40))
    expires_at: Mapped[str] = mapped_column(String(40))
    used_at: Mapped[str | None] = mapped_column(String(40))
    device_id: Mapped[str | None] = mapped_column(String(36))


class Device(HubBase):
    __tablename__ = "hub_devices"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    township_code: Mapped[str] = mapped_column(String(12), index=True)
    officer_id: Mapped[str] = mapped_column(String(36))
    public_key: Mapped[str] = mapped_column(String(64), unique=True)  # raw Ed25519, hex
    label: Mapped[str] = mapped_column(String(128), default="")
    client_version: Mapped[str] = mapped_column(String(32), default="")
    enrolled_at: Mapped[str] = mapped_column(String(40))
    revoked_at: Mapped[str | None] = mapped_column(String(40))
    last_seen_at: Mapped[str | None] = mapped_column(String(40))
    clock_drift_s: Mapped[int] = mapped_column(Integer, default=0)  # device clock minus hub clock


class SeenNonce(HubBase):
    __tablename__ = "hub_nonces"
    device_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    nonce: Mapped[str] = mapped_column(String(64), primary_key=True)
    seen_unix: Mapped[int] = mapped_column(Integer, index=True)


class CaseHead(HubBase):
    """The acknowledged head of a case's record at the hub: ``count`` the highest seq held and
    ``head_hash`` the last event linked at it (what receipts carry); ``heads`` every current head
    (``[[seq, hash], ...]``: two or more while the case is forked, ``lishui_desk.graph``)."""

    __tablename__ = "hub_case_heads"
    case_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    township_code: Mapped[str] = mapped_column(String(12), index=True)
    count: Mapped[int] = mapped_column(Integer)
    head_hash: Mapped[str] = mapped_column(String(64))
    case_number: Mapped[str | None] = mapped_column(String(64))
    last_type: Mapped[str] = mapped_column(String(64))
    flags: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of flag codes
    heads: Mapped[str] = mapped_column(Text, default="[]", server_default="[]")  # JSON [[seq, hash], ...]
    first_received_at: Mapped[str] = mapped_column(String(40))
    updated_at: Mapped[str] = mapped_column(String(40))


class HubEvent(HubBase):
    """An accepted event of the whole-process record, as the device hashed it. One position may
    hold two events (a fork: two devices wrote the case offline; migration h0004)."""

    __tablename__ = "hub_events"
    # no UNIQUE(case_id, seq) (h0004); an event's parent is found by its unique hash
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(String(36), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(String(64))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)
    body: Mapped[str] = mapped_column(Text)  # canonical JSON of the event
    device_id: Mapped[str] = mapped_column(String(36), index=True)
    received_at: Mapped[str] = mapped_column(String(40))


class HeldEvent(HubBase):
    """An event whose predecessor has not arrived yet: kept, linked in when the chain reaches it."""

    __tablename__ = "hub_held_events"
    __table_args__ = (Index("ix_hub_held_events_case_seq", "case_id", "seq"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(String(36))
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(Text)
    device_id: Mapped[str] = mapped_column(String(36))
    received_at: Mapped[str] = mapped_column(String(40))


class QuarantineItem(HubBase):
    """An item the hub will not link in by itself (conflict, revoked device): kept for review."""

    __tablename__ = "hub_quarantine"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    event_id: Mapped[str] = mapped_column(String(36), index=True)
    case_id: Mapped[str] = mapped_column(String(36), index=True)
    device_id: Mapped[str] = mapped_column(String(36))
    reason_code: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    hash: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)  # open / resolved
    resolved_at: Mapped[str | None] = mapped_column(String(40))


class RefStream(HubBase):
    """Per reference stream: the cursor counter, taken under this row's lock."""

    __tablename__ = "hub_ref_streams"
    stream: Mapped[str] = mapped_column(String(32), primary_key=True)
    last_cursor: Mapped[int] = mapped_column(Integer, default=0)


class RefItem(HubBase):
    """One published reference item; ``body`` is the exact signed bytes (UTF-8 canonical JSON).
    ``version`` increases per (stream, key): a township's catalog, a document type, a year…"""

    __tablename__ = "hub_ref_items"
    __table_args__ = (UniqueConstraint("stream", "key", "version"),)
    stream: Mapped[str] = mapped_column(String(32), primary_key=True)
    cursor: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(96))
    version: Mapped[int] = mapped_column(Integer)
    township_code: Mapped[str | None] = mapped_column(String(12), index=True)  # None = all townships
    body: Mapped[str] = mapped_column(Text)
    signature: Mapped[str] = mapped_column(String(128))
    published_at: Mapped[str] = mapped_column(String(40))


class HubNumber(HubBase):
    """A final 文号 (case number or document number) seen in an accepted event, once per township:
    a second event using the same number is refused (quarantined) and its case flagged."""

    __tablename__ = "hub_numbers"
    township_code: Mapped[str] = mapped_column(String(12), primary_key=True)
    number: Mapped[str] = mapped_column(String(96), primary_key=True)
    prefix: Mapped[str] = mapped_column(String(64))  # 机关代字 + 文书代字, as printed before 〔
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    event_id: Mapped[str] = mapped_column(String(36), index=True)
    case_id: Mapped[str] = mapped_column(String(36))
    device_id: Mapped[str] = mapped_column(String(36))
    received_at: Mapped[str] = mapped_column(String(40))


class HubMedia(HubBase):
    """An evidence file being uploaded or held (content-addressed by its SHA-256). The bytes
    received so far are the ``<sha256>.part`` file's length (fsync-ed before an offset is
    acknowledged); once complete and hash-checked the file is stored encrypted (``blob_id``)."""

    __tablename__ = "hub_media"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    blob_id: Mapped[str | None] = mapped_column(String(32))
    completed_at: Mapped[str | None] = mapped_column(String(40))
    lock_owner: Mapped[str | None] = mapped_column(String(64))  # the upload attempt holding the lock
    lock_at: Mapped[str | None] = mapped_column(String(40))  # its last activity (UTC)
    device_id: Mapped[str] = mapped_column(String(36))


class CaseFeedItem(HubBase):
    """The township's case stream: every linked-in event gets the next cursor of its township's
    counter (``hub_ref_streams`` row ``cases:<code>``), taken under that row's lock and committed
    with it, so a reader never skips an event that committed late. Every enrolled device of the
    township pulls it (ownership by township)."""

    __tablename__ = "hub_case_feed"
    township_code: Mapped[str] = mapped_column(String(12), primary_key=True)
    cursor: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[str] = mapped_column(String(36), unique=True)
