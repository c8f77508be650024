"""deadline article and disclosure due date on the case projection

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26

The dashboard shows each deadline with the article it enforces, and lists decisions whose 公示
is due (行政处罚法 Art. 48, 7 working days) without folding every case's events. Existing rows get
the values when their projection is next rebuilt (any action, or ``rebuild_projection``).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("next_deadline_article", sa.String(length=128), nullable=True))
        batch_op.add_column(sa.Column("disclosure_due", sa.Date(), nullable=True))
        batch_op.create_index(batch_op.f("ix_cases_disclosure_due"), ["disclosure_due"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cases_disclosure_due"))
        batch_op.drop_column("disclosure_due")
        batch_op.drop_column("next_deadline_article")
