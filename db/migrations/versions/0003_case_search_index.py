"""case search index

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26

FTS5 trigram index over the case projection's searchable text (case number, party name, item
name), kept current by triggers, so the case list finds a Chinese substring among 100,000 cases
without scanning the table.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CASE_FTS = [
    """CREATE VIRTUAL TABLE case_fts USING fts5(case_number, party_name, item_name,
    content='cases', content_rowid='rowid', tokenize='trigram')""",
    """CREATE TRIGGER cases_fts_ai AFTER INSERT ON cases BEGIN
    INSERT INTO case_fts(rowid, case_number, party_name, item_name)
    VALUES (new.rowid, new.case_number, new.party_name, new.item_name); END""",
    """CREATE TRIGGER cases_fts_ad AFTER DELETE ON cases BEGIN
    INSERT INTO case_fts(case_fts, rowid, case_number, party_name, item_name)
    VALUES ('delete', old.rowid, old.case_number, old.party_name, old.item_name); END""",
    """CREATE TRIGGER cases_fts_au AFTER UPDATE OF case_number, party_name, item_name ON cases BEGIN
    INSERT INTO case_fts(case_fts, rowid, case_number, party_name, item_name)
    VALUES ('delete', old.rowid, old.case_number, old.party_name, old.item_name);
    INSERT INTO case_fts(rowid, case_number, party_name, item_name)
    VALUES (new.rowid, new.case_number, new.party_name, new.item_name); END""",
    "INSERT INTO case_fts(case_fts) VALUES ('rebuild')",
]


def upgrade() -> None:
    for stmt in CASE_FTS:
        op.execute(stmt)


def downgrade() -> None:
    for name in ("cases_fts_ai", "cases_fts_ad", "cases_fts_au"):
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE IF EXISTS case_fts")
