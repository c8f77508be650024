"""Encrypted storage: SQLCipher engine, migrations, profiles, the event store."""
