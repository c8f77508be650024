"""The township case stream (every linked-in event, with a commit-order cursor per township).

Revision ID: h0003
Revises: h0002
Create Date: 2026-12-01 10:30:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'h0003'
down_revision: str | None = 'h0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('hub_case_feed',
    sa.Column('township_code', sa.String(length=12), nullable=False),
    sa.Column('cursor', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.String(length=36), nullable=False),
    sa.PrimaryKeyConstraint('township_code', 'cursor', name=op.f('pk_hub_case_feed')),
    sa.UniqueConstraint('event_id', name=op.f('uq_hub_case_feed_event_id'))
    )
    # events a hub received before this revision join their township's stream in chain order
    conn = op.get_bind()
    rows = conn.execute(sa.text(
        "SELECT e.id, h.township_code FROM hub_events e JOIN hub_case_heads h ON h.case_id = e.case_id "
        "ORDER BY e.received_at, e.case_id, e.seq")).all()
    last: dict[str, int] = {}
    for event_id, town in rows:
        last[town] = last.get(town, 0) + 1
        conn.execute(sa.text("INSERT INTO hub_case_feed (township_code, cursor, event_id) VALUES (:t, :c, :e)"),
                     {"t": town, "c": last[town], "e": event_id})
    for town, n in last.items():
        conn.execute(sa.text("INSERT INTO hub_ref_streams (stream, last_cursor) VALUES (:s, :n)"),
                     {"s": f"cases:{town}", "n": n})


def downgrade() -> None:
    op.execute("DELETE FROM hub_ref_streams WHERE stream LIKE 'cases:%'")
    op.drop_table('hub_case_feed')
