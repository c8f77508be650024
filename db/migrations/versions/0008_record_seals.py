"""record seals: per-event HMAC and the profile head

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01

``record_seals`` holds the HMAC of every event (append-only, like ``case_events``); ``record_head``
one row with the counter, counts and multiset root over all case heads. Existing events are
sealed by the program when the profile is first opened with the data key (a migration has no key).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SEAL_TRIGGERS = [
    """CREATE TRIGGER record_seals_no_update BEFORE UPDATE ON record_seals
    BEGIN SELECT RAISE(ABORT, 'record_seals is append-only'); END""",
    """CREATE TRIGGER record_seals_no_delete BEFORE DELETE ON record_seals
    BEGIN SELECT RAISE(ABORT, 'record_seals is append-only'); END""",
]


def upgrade() -> None:
    op.create_table(
        "record_seals",
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("mac", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["case_events.id"], name=op.f("fk_record_seals_event_id_case_events")),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_record_seals")),
    )
    op.create_table(
        "record_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("counter", sa.Integer(), nullable=False),
        sa.Column("event_count", sa.Integer(), nullable=False),
        sa.Column("case_count", sa.Integer(), nullable=False),
        sa.Column("root", sa.String(length=64), nullable=False),
        sa.Column("mac", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_record_head")),
    )
    for stmt in SEAL_TRIGGERS:
        op.execute(stmt)


def downgrade() -> None:
    for name in ("record_seals_no_update", "record_seals_no_delete"):
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_table("record_head")
    op.drop_table("record_seals")
