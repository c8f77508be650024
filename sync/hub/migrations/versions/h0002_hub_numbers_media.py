"""Final numbers used per township (a number used twice is refused); evidence media uploads.

Revision ID: h0002
Revises: h0001
Create Date: 2026-12-01 09:50:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'h0002'
down_revision: str | None = 'h0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('hub_numbers',
    sa.Column('township_code', sa.String(length=12), nullable=False),
    sa.Column('number', sa.String(length=96), nullable=False),
    sa.Column('prefix', sa.String(length=64), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.String(length=36), nullable=False),
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('device_id', sa.String(length=36), nullable=False),
    sa.Column('received_at', sa.String(length=40), nullable=False),
    sa.PrimaryKeyConstraint('township_code', 'number', name=op.f('pk_hub_numbers'))
    )
    with op.batch_alter_table('hub_numbers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hub_numbers_event_id'), ['event_id'], unique=False)

    op.create_table('hub_media',
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('blob_id', sa.String(length=32), nullable=True),
    sa.Column('completed_at', sa.String(length=40), nullable=True),
    sa.Column('lock_owner', sa.String(length=64), nullable=True),
    sa.Column('lock_at', sa.String(length=40), nullable=True),
    sa.Column('device_id', sa.String(length=36), nullable=False),
    sa.PrimaryKeyConstraint('sha256', name=op.f('pk_hub_media'))
    )


def downgrade() -> None:
    op.drop_table('hub_media')
    with op.batch_alter_table('hub_numbers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hub_numbers_event_id'))
    op.drop_table('hub_numbers')
