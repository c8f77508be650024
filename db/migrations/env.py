"""Alembic environment. The encrypted connection is passed in through
``config.attributes["connection"]`` (never a URL: the data key must not appear in a string).
Migration scripts never import ORM models; only this file uses the metadata, for ``alembic check``.
"""

from __future__ import annotations

from alembic import context

from lishui_desk.models import Base

config = context.config
target_metadata = Base.metadata

# Tables the ORM does not map: the FTS5 index of the catalog and its shadow tables.
UNMAPPED_PREFIXES = ("item_fts", "case_fts")


def include_name(name, type_, parent_names) -> bool:
    if type_ == "table" and name and name.startswith(UNMAPPED_PREFIXES):
        return False
    return True


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("Lishui Desk migrations run only through lishui_desk.storage.migrate")
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        include_name=include_name,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise RuntimeError("offline (SQL script) migrations are not supported")
run_migrations_online()
