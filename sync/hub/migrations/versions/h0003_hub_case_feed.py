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


def downgrade() -> None:
    op.drop_table('hub_case_feed')
