"""Hub initial schema: townships, officers, enrollments, devices, nonces, case heads, events,
held events, quarantine, reference streams and items.

Revision ID: h0001
Revises: (none)
Create Date: 2026-12-01 09:10:03.321028
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'h0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('hub_case_heads',
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('township_code', sa.String(length=12), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('head_hash', sa.String(length=64), nullable=False),
    sa.Column('case_number', sa.String(length=64), nullable=True),
    sa.Column('last_type', sa.String(length=64), nullable=False),
    sa.Column('flags', sa.Text(), nullable=False),
    sa.Column('first_received_at', sa.String(length=40), nullable=False),
    sa.Column('updated_at', sa.String(length=40), nullable=False),
    sa.PrimaryKeyConstraint('case_id', name=op.f('pk_hub_case_heads'))
    )
    with op.batch_alter_table('hub_case_heads', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hub_case_heads_township_code'), ['township_code'], unique=False)

    op.create_table('hub_devices',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('township_code', sa.String(length=12), nullable=False),
    sa.Column('officer_id', sa.String(length=36), nullable=False),
    sa.Column('public_key', sa.String(length=64), nullable=False),
    sa.Column('label', sa.String(length=128), nullable=False),
    sa.Column('client_version', sa.String(length=32), nullable=False),
    sa.Column('enrolled_at', sa.String(length=40), nullable=False),
    sa.Column('revoked_at', sa.String(length=40), nullable=True),
    sa.Column('last_seen_at', sa.String(length=40), nullable=True),
    sa.Column('clock_drift_s', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hub_devices')),
    sa.UniqueConstraint('public_key', name=op.f('uq_hub_devices_public_key'))
    )
    with op.batch_alter_table('hub_devices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hub_devices_township_code'), ['township_code'], unique=False)

    op.create_table('hub_enrollments',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('secret_sha256', sa.String(length=64), nullable=False),
    sa.Column('township_code', sa.String(length=12), nullable=False),
    sa.Column('officer_id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.String(length=40), nullable=False),
    sa.Column('expires_at', sa.String(length=40), nullable=False),
    sa.Column('used_at', sa.String(length=40), nullable=True),
    sa.Column('device_id', sa.String(length=36), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hub_enrollments')),
    sa.UniqueConstraint('secret_sha256', name=op.f('uq_hub_enrollments_secret_sha256'))
    )
    op.create_table('hub_events',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('type', sa.String(length=64), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('device_id', sa.String(length=36), nullable=False),
    sa.Column('received_at', sa.String(length=40), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hub_events')),
    sa.UniqueConstraint('case_id', 'seq', name=op.f('uq_hub_events_case_id_seq')),
    sa.UniqueConstraint('hash', name=op.f('uq_hub_events_hash'))
    )
    with op.batch_alter_table('hub_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hub_events_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hub_events_device_id'), ['device_id'], unique=False)

    op.create_table('hub_held_events',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('device_id', sa.String(length=36), nullable=False),
    sa.Column('received_at', sa.String(length=40), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hub_held_events'))
    )
    with op.batch_alter_table('hub_held_events', schema=None) as batch_op:
        batch_op.create_index('ix_hub_held_events_case_seq', ['case_id', 'seq'], unique=False)

    op.create_table('hub_meta',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_hub_meta'))
    )
    op.create_table('hub_nonces',
    sa.Column('device_id', sa.String(length=36), nullable=False),
    sa.Column('nonce', sa.String(length=64), nullable=False),
    sa.Column('seen_unix', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('device_id', 'nonce', name=op.f('pk_hub_nonces'))
    )
    with op.batch_alter_table('hub_nonces', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hub_nonces_seen_unix'), ['seen_unix'], unique=False)

    op.create_table('hub_officers',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('township_code', sa.String(length=12), nullable=False),
    sa.Column('cert_no', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('added_at', sa.String(length=40), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hub_officers')),
    sa.UniqueConstraint('cert_no', name=op.f('uq_hub_officers_cert_no'))
    )
    with op.batch_alter_table('hub_officers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hub_officers_township_code'), ['township_code'], unique=False)

    op.create_table('hub_quarantine',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('event_id', sa.String(length=36), nullable=False),
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('device_id', sa.String(length=36), nullable=False),
    sa.Column('reason_code', sa.String(length=32), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.Column('received_at', sa.String(length=40), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('resolved_at', sa.String(length=40), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hub_quarantine'))
    )
    with op.batch_alter_table('hub_quarantine', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hub_quarantine_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hub_quarantine_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hub_quarantine_status'), ['status'], unique=False)

    op.create_table('hub_ref_items',
    sa.Column('stream', sa.String(length=32), nullable=False),
    sa.Column('cursor', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=96), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('township_code', sa.String(length=12), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('signature', sa.String(length=128), nullable=False),
    sa.Column('published_at', sa.String(length=40), nullable=False),
    sa.PrimaryKeyConstraint('stream', 'cursor', name=op.f('pk_hub_ref_items')),
    sa.UniqueConstraint('stream', 'key', 'version', name=op.f('uq_hub_ref_items_stream_key_version'))
    )
    with op.batch_alter_table('hub_ref_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hub_ref_items_township_code'), ['township_code'], unique=False)

    op.create_table('hub_ref_streams',
    sa.Column('stream', sa.String(length=32), nullable=False),
    sa.Column('last_cursor', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('stream', name=op.f('pk_hub_ref_streams'))
    )
    op.create_table('hub_townships',
    sa.Column('code', sa.String(length=12), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('county_code', sa.String(length=6), nullable=False),
    sa.Column('county_name', sa.String(length=64), nullable=False),
    sa.Column('added_at', sa.String(length=40), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_hub_townships'))
    )


def downgrade() -> None:
    op.drop_table('hub_townships')
    op.drop_table('hub_ref_streams')
    with op.batch_alter_table('hub_ref_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hub_ref_items_township_code'))

    op.drop_table('hub_ref_items')
    with op.batch_alter_table('hub_quarantine', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hub_quarantine_status'))
        batch_op.drop_index(batch_op.f('ix_hub_quarantine_event_id'))
        batch_op.drop_index(batch_op.f('ix_hub_quarantine_case_id'))

    op.drop_table('hub_quarantine')
    with op.batch_alter_table('hub_officers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hub_officers_township_code'))

    op.drop_table('hub_officers')
    with op.batch_alter_table('hub_nonces', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hub_nonces_seen_unix'))

    op.drop_table('hub_nonces')
    op.drop_table('hub_meta')
    with op.batch_alter_table('hub_held_events', schema=None) as batch_op:
        batch_op.drop_index('ix_hub_held_events_case_seq')

    op.drop_table('hub_held_events')
    with op.batch_alter_table('hub_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hub_events_device_id'))
        batch_op.drop_index(batch_op.f('ix_hub_events_case_id'))

    op.drop_table('hub_events')
    op.drop_table('hub_enrollments')
    with op.batch_alter_table('hub_devices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hub_devices_township_code'))

    op.drop_table('hub_devices')
    with op.batch_alter_table('hub_case_heads', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hub_case_heads_township_code'))

    op.drop_table('hub_case_heads')
