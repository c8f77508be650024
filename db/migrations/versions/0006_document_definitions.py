"""county-published document definitions

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26

Definition store for 统一执法文书 versions published by the county (bundled defaults stay in the
program); versions are immutable once stored.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "document_definitions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("doc_type", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("body_sha256", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("signature", sa.Text(), nullable=True),
        sa.Column("imported_at", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_definitions")),
        sa.UniqueConstraint("doc_type", "version", name=op.f("uq_document_definitions_doc_type_version")),
    )
    with op.batch_alter_table("document_definitions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_document_definitions_doc_type"), ["doc_type"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("document_definitions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_document_definitions_doc_type"))
    op.drop_table("document_definitions")
