"""composite indexes for open cases

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26

The single-column index on ``is_open`` (half the table matches) made SQLite scan ~50,000 rows for
the dashboard at 100,000 cases (0.5 s). Composite indexes on (is_open, next_deadline / stage /
stage_label) answer those queries from the index.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index("ix_cases_is_open")
        batch_op.create_index("ix_cases_open_deadline", ["is_open", "next_deadline"], unique=False)
        batch_op.create_index("ix_cases_open_stage", ["is_open", "stage"], unique=False)
        batch_op.create_index("ix_cases_open_stage_label", ["is_open", "stage_label"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index("ix_cases_open_stage_label")
        batch_op.drop_index("ix_cases_open_stage")
        batch_op.drop_index("ix_cases_open_deadline")
        batch_op.create_index("ix_cases_is_open", ["is_open"], unique=False)
