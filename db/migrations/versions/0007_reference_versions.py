"""reference data streams: immutable versions and per-stream cursors

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01

Policy versions, calendar years, catalog versions, document definitions, roster entries and number
blocks enter the profile through ``services.reference.apply_batch``; bundled defaults are seeded
when a profile is opened.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "reference_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stream", sa.String(length=32), nullable=False),
        sa.Column("key", sa.String(length=96), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("body_sha256", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("signature", sa.Text(), nullable=True),
        sa.Column("imported_at", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reference_versions")),
        sa.UniqueConstraint("stream", "key", "version", name=op.f("uq_reference_versions_stream_key_version")),
    )
    with op.batch_alter_table("reference_versions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reference_versions_stream"), ["stream"], unique=False)
    op.create_table(
        "reference_cursors",
        sa.Column("stream", sa.String(length=32), nullable=False),
        sa.Column("cursor", sa.Text(), nullable=True),
        sa.Column("updated_at", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("stream", name=op.f("pk_reference_cursors")),
    )


def downgrade() -> None:
    op.drop_table("reference_cursors")
    with op.batch_alter_table("reference_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reference_versions_stream"))
    op.drop_table("reference_versions")
