"""case_events as a graph: two events may share a position (a fork)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01

Two devices of a township writing the same case offline make a fork: two events with one
predecessor, so one (case_id, seq) may hold two events (``lishui_desk.graph``). The table is
recreated without UNIQUE(case_id, seq) (SQLite cannot drop a table constraint); the hash stays
unique, an index on (case_id, prev_hash) finds an event's children, and the append-only triggers
are put back. ``record_seals`` references the events: the implicit delete of DROP TABLE is
deferred (``defer_foreign_keys``) and every row is inserted back into ``case_events`` before the
transaction commits, which settles each deferred reference again.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APPEND_ONLY_TRIGGERS = [
    """CREATE TRIGGER case_events_no_update BEFORE UPDATE ON case_events
    BEGIN SELECT RAISE(ABORT, 'case_events is append-only: corrections are new events'); END""",
    """CREATE TRIGGER case_events_no_delete BEFORE DELETE ON case_events
    BEGIN SELECT RAISE(ABORT, 'case_events is append-only: events are never deleted'); END""",
]
COLUMNS = "id, case_id, seq, type, actor_id, occurred_at, recorded_at, place, payload, corrects, prev_hash, hash"


def _create(unique_seq: bool) -> None:
    extra = [sa.UniqueConstraint("case_id", "seq", name=op.f("uq_case_events_case_id_seq"))] if unique_seq else []
    op.create_table(
        "case_events",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(length=64), nullable=False),
        sa.Column("actor_id", sa.String(length=64), nullable=False),
        sa.Column("occurred_at", sa.String(length=40), nullable=False),
        sa.Column("recorded_at", sa.String(length=40), nullable=False),
        sa.Column("place", sa.Text(), nullable=True),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("corrects", sa.String(length=36), nullable=True),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_case_events_case_id_cases")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_events")),
        sa.UniqueConstraint("hash", name=op.f("uq_case_events_hash")),
        *extra,
    )


def _rebuild(unique_seq: bool) -> None:
    op.execute("PRAGMA defer_foreign_keys = ON")  # reset by SQLite when the transaction ends
    op.execute(f"CREATE TEMP TABLE case_events_copy AS SELECT {COLUMNS} FROM case_events")
    for name in ("case_events_no_update", "case_events_no_delete"):
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_table("case_events")
    _create(unique_seq)
    op.execute(f"INSERT INTO case_events ({COLUMNS}) SELECT {COLUMNS} FROM case_events_copy ORDER BY case_id, seq")
    op.execute("DROP TABLE case_events_copy")
    op.create_index("ix_case_events_case_id", "case_events", ["case_id"], unique=False)
    op.create_index("ix_case_events_type", "case_events", ["type"], unique=False)
    if not unique_seq:
        op.create_index("ix_case_events_case_prev", "case_events", ["case_id", "prev_hash"], unique=False)
    for stmt in APPEND_ONLY_TRIGGERS:
        op.execute(stmt)


def upgrade() -> None:
    _rebuild(unique_seq=False)


def downgrade() -> None:
    forked = op.get_bind().exec_driver_sql(
        "SELECT count(*) FROM (SELECT 1 FROM case_events GROUP BY case_id, seq HAVING count(*) > 1)").scalar()
    if forked:
        raise RuntimeError("有案件的全过程记录存在分叉（同一序号两条事件），无法降级到不允许分叉的结构")
    _rebuild(unique_seq=True)
