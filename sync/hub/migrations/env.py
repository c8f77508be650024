"""Alembic environment of the hub database. The connection comes in through
``config.attributes["connection"]`` (see ``sync.hub.db.upgrade``); scripts never import models,
only this file uses the metadata (for the schema check in the tests)."""

from __future__ import annotations

from alembic import context

from sync.hub.models import HubBase

config = context.config


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("hub migrations run only through sync.hub.db.upgrade")
    context.configure(
        connection=connection, target_metadata=HubBase.metadata, render_as_batch=True, compare_type=True
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise RuntimeError("offline (SQL script) migrations are not supported")
run_migrations_online()
