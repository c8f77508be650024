"""Cases as graphs: a fork's two branches are both kept (no UNIQUE(case_id, seq)), every head of a
case in ``hub_case_heads.heads``.

Revision ID: h0004
Revises: h0003
Create Date: 2026-12-01 12:30:00
"""
import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'h0004'
down_revision: str | None = 'h0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('hub_events', schema=None) as batch_op:
        batch_op.drop_constraint('uq_hub_events_case_id_seq', type_='unique')
    with op.batch_alter_table('hub_case_heads', schema=None) as batch_op:
        batch_op.add_column(sa.Column('heads', sa.Text(), server_default='[]', nullable=False))
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT case_id, count, head_hash FROM hub_case_heads")).all()
    for case_id, count, head_hash in rows:  # a chain: its one head
        conn.execute(sa.text("UPDATE hub_case_heads SET heads = :h WHERE case_id = :c"),
                     {"h": json.dumps([[count, head_hash]]), "c": case_id})


def downgrade() -> None:
    conn = op.get_bind()
    forked = conn.execute(sa.text(
        "SELECT count(*) FROM (SELECT case_id FROM hub_events GROUP BY case_id, seq HAVING count(*) > 1) f")).scalar()
    if forked:
        raise RuntimeError("平台有案件的记录存在分叉（同一序号两条事件），无法降级到不允许分叉的结构")
    with op.batch_alter_table('hub_case_heads', schema=None) as batch_op:
        batch_op.drop_column('heads')
    with op.batch_alter_table('hub_events', schema=None) as batch_op:
        batch_op.create_unique_constraint('uq_hub_events_case_id_seq', ['case_id', 'seq'])
