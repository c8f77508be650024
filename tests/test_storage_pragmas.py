"""Every connection the profile opens is durable (WAL + synchronous=FULL: a step reported as saved
survives a power cut) and pinned to the SQLCipher 4 file format, so a later SQLCipher keeps
opening today's files."""

from __future__ import annotations

import sqlcipher3


def test_profile_connections_fsync_every_commit(empty_profile):
    with empty_profile.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL


def test_file_opens_with_plain_sqlcipher4_settings(empty_profile):
    """A raw SQLCipher connection told only 'compatibility 4' and the raw key reads the file."""
    key = empty_profile.data_key
    db = empty_profile.paths.db
    empty_profile.close()
    conn = sqlcipher3.connect(str(db))
    try:
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        conn.execute("PRAGMA cipher_compatibility = 4")
        assert conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] > 0
        assert conn.execute("PRAGMA cipher_page_size").fetchone()[0] == "4096"
        assert conn.execute("PRAGMA cipher_hmac_algorithm").fetchone()[0] == "HMAC_SHA512"
    finally:
        conn.close()
