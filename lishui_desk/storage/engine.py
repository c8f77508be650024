"""SQLCipher engine opened with a raw 256-bit data key through SQLAlchemy's pysqlcipher dialect.

``PRAGMA key = "x'…'"`` with a raw key skips SQLCipher's own KDF (0.1 ms per connection instead
of ~150 ms). ``PRAGMA key`` accepts any key, so every new connection probes with a read and a
wrong key or a damaged file becomes a ``CorruptFile`` naming the file.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.pool import QueuePool

from lishui_desk.errors import CorruptFile, InvalidInput

KEY_BYTES = 32
CACHE_KIB = 16384
# SQLCipher 4 defaults (page size 4096, PBKDF2-HMAC-SHA512 / HMAC-SHA512 page MACs). Pinned so a
# future sqlcipher3 wheel bundling SQLCipher 5 still opens the files written today.
CIPHER_COMPATIBILITY = 4
# WAL with synchronous=FULL: every COMMIT fsyncs the WAL, so a transaction reported as saved
# survives a power loss (with NORMAL, the last commits before a dead battery can roll back).
SYNCHRONOUS = "FULL"


def raw_key_pragma_value(data_key: bytes) -> str:
    if len(data_key) != KEY_BYTES:
        raise InvalidInput("数据密钥长度错误，应为256位")
    return f"x'{data_key.hex()}'"


def make_engine(db_path: Path, data_key: bytes, *, echo: bool = False) -> Engine:
    """An engine on the encrypted file. WAL, foreign keys on, busy timeout for a second writer."""
    url = URL.create("sqlite+pysqlcipher", password=raw_key_pragma_value(data_key), database=str(db_path))
    # QueuePool, not the dialect's SingletonThreadPool: the GUI works on two threads (the ops worker
    # and the sync worker), and SingletonThreadPool closes connections beyond five — including one
    # another thread is using. Each checkout here gets a connection no other thread holds.
    engine = create_engine(url, echo=echo, poolclass=QueuePool, pool_size=4, max_overflow=8,
                           connect_args={"check_same_thread": False, "timeout": 30})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record) -> None:  # runs after the dialect's PRAGMA key
        cur = dbapi_conn.cursor()
        try:  # SQLCipher logs decryption failures to stderr itself; we report them as CorruptFile
            cur.execute("PRAGMA cipher_log_level = NONE")
        except Exception:  # older SQLCipher without the pragma
            pass
        cur.execute(f"PRAGMA cipher_compatibility = {CIPHER_COMPATIBILITY}")  # before the first read
        try:
            cur.execute("SELECT count(*) FROM sqlite_master")
        except Exception as exc:  # sqlcipher3.DatabaseError: file is not a database
            raise CorruptFile(
                f"无法打开数据库文件 {db_path}：密钥不符或文件已损坏（{exc}）", db_path
            ) from exc
        cur.execute("PRAGMA foreign_keys = ON")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute(f"PRAGMA synchronous = {SYNCHRONOUS}")
        cur.execute("PRAGMA busy_timeout = 30000")
        # 16 MiB page cache: every page read from disk must be decrypted, so keeping the hot
        # pages (indexes of cases/events) in memory matters more than for plain SQLite
        cur.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        cur.close()

    # SQLite's own transaction handling in pysqlite is lazy; emit BEGIN ourselves so that reads
    # inside a unit of work see one snapshot and writers take the lock up front.
    @event.listens_for(engine, "connect")
    def _no_implicit_tx(dbapi_conn, _record) -> None:
        dbapi_conn.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin(conn) -> None:
        if conn.get_execution_options().get("lishui_readonly"):
            conn.exec_driver_sql("BEGIN")
        else:
            conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


_SQLITE_MESSAGES = {
    "database disk image is malformed": "数据库页面已损坏",
    "file is not a database": "文件头无法解密（文件已损坏或不是本档案的数据库）",
    "disk I/O error": "读写磁盘出错",
}


def describe_db_error(exc: BaseException) -> str:
    """SQLite's English error in Chinese (the original kept in brackets for support)."""
    orig = str(getattr(exc, "orig", None) or exc)
    zh = _SQLITE_MESSAGES.get(orig)
    return f"{zh}（{orig}）" if zh else orig


def is_damage_error(exc: BaseException) -> bool:
    """True for the errors a damaged file raises (SQLITE_CORRUPT "malformed", SQLITE_NOTADB), as
    opposed to constraint, lock or programming errors, which are subclasses of ``DatabaseError``."""
    import sqlite3

    import sqlcipher3

    orig = getattr(exc, "orig", None) or exc
    return type(orig) in (sqlcipher3.DatabaseError, sqlite3.DatabaseError)


def _pages(rows: list[str]) -> str:
    import re

    pages = sorted({int(n) for r in rows for n in re.findall(r"page (\d+)", r)})
    if not pages:
        return ""
    shown = "、".join(str(n) for n in pages[:8]) + ("等" if len(pages) > 8 else "")
    return f"（涉及第 {shown} 页，共 {len(pages)} 页）"


def check_integrity(engine: Engine, db_path: Path) -> list[str]:
    """SQLCipher HMAC page check plus SQLite's integrity check; returns problems (Chinese), one
    line per kind of damage with the pages involved (SQLite's own lines can run into hundreds)."""
    problems: list[str] = []
    try:
        with engine.connect() as conn:
            bad = [r[0] for r in conn.exec_driver_sql("PRAGMA cipher_integrity_check").fetchall()]
            if bad:
                problems.append(f"数据库有 {len(bad)} 个加密页无法通过校验（内容被改动或损坏）{_pages(bad)}")
            rows = [line for r in conn.exec_driver_sql("PRAGMA integrity_check").fetchall()
                    for line in str(r[0]).splitlines() if not line.startswith("***")]
            if rows != ["ok"]:
                problems.append(f"数据库结构校验发现 {len(rows)} 处错误（表或索引已损坏）{_pages(rows)}")
    except SADatabaseError as exc:
        problems.append(f"数据库文件 {db_path.name} 无法读取：{describe_db_error(exc)}")
    return problems
