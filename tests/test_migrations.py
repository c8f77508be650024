"""Alembic on the encrypted engine: upgrade → check → downgrade → upgrade, one head, backups,
refusal of a database written by a newer schema."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import text

from lishui_desk.errors import SchemaTooNew
from lishui_desk.storage import migrate
from lishui_desk.storage.engine import make_engine


@pytest.fixture
def engine(tmp_path):
    eng = make_engine(tmp_path / "m.db", os.urandom(32))
    yield eng
    eng.dispose()


def test_single_head():
    assert len(migrate.script_directory().get_heads()) == 1


def test_upgrade_check_downgrade_upgrade_on_encrypted_file(engine, tmp_path):
    migrate.upgrade(engine, tmp_path / "m.db", tmp_path / "b")
    assert migrate.current_revision(engine) == migrate.head_revision()
    migrate.check_no_drift(engine)  # models and migrations agree
    with engine.begin() as conn:  # triggers and FTS exist after upgrade
        names = {r[0] for r in conn.execute(text("SELECT name FROM sqlite_master"))}
    assert {"case_events_no_update", "case_events_no_delete", "item_fts"} <= names
    migrate.downgrade(engine, "base")
    with engine.begin() as conn:
        left = {r[0] for r in conn.execute(text("SELECT name FROM sqlite_master WHERE type='table'"))}
    assert left <= {"alembic_version"}
    migrate.upgrade(engine, tmp_path / "m.db", tmp_path / "b")
    migrate.check_no_drift(engine)


def test_backup_taken_before_migrating_an_existing_database(engine, tmp_path):
    db = tmp_path / "m.db"
    migrate.upgrade(engine, db, tmp_path / "b", target="0001")
    assert not (tmp_path / "b").exists()  # a brand-new database needs no backup
    backup = migrate.upgrade(engine, db, tmp_path / "b")
    assert backup is not None and backup.exists() and backup.stat().st_size > 0
    assert b"SQLite format 3" not in backup.read_bytes()[:16]  # the copy stays encrypted
    assert migrate.current_revision(engine) == migrate.head_revision()


def test_database_from_newer_schema_is_refused(engine, tmp_path):
    db = tmp_path / "m.db"
    migrate.upgrade(engine, db, tmp_path / "b")
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    with pytest.raises(SchemaTooNew) as info:
        migrate.upgrade(engine, db, tmp_path / "b")
    assert "9999_future" in info.value.message and "升级" in info.value.message
