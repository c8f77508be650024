"""officers.reviewer_since: when a legal reviewer first took up 法制审核

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01

《行政处罚法》第五十八条第二款 asks 法律职业资格 of those who first take up 法制审核 from the Law's
entry into force (2021-07-15); the roster records the date each reviewer began. Empty for existing
officers (the guard then asks for it before a reviewer without the qualification may sign).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"  # after the record seals
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("officers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reviewer_since", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("officers", schema=None) as batch_op:
        batch_op.drop_column("reviewer_since")
