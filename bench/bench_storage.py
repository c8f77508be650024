"""Storage benchmarks (issue: foundation §9).

- open a profile with the passphrase (Argon2id unwrap + SQLCipher open + schema check) and with an
  already-unlocked data key (what auto-lock-resume and background workers pay);
- 100,000 case events inserted through the same code path (hash chain + outbox) and indexed reads
  per case, on SQLCipher vs plain SQLite with the same schema (goal ≤ 1.2×);
- SIGKILL crash loop: more kills than the test suite (every committed case must survive).

Run: ``python -m bench.bench_storage``.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, event, select

from bench.figures import row as _row
from lishui_desk import edge
from lishui_desk.crypto.keyring import DEFAULT_KDF_PARAMS
from lishui_desk.models import Base, Case, Township
from lishui_desk.storage import event_store, seal
from lishui_desk.storage.engine import CACHE_KIB
from lishui_desk.storage.profile import create_empty_profile, open_profile, open_with_key
from lishui_desk.timeutil import now_local


def _append(s, case_id, actor_id, events):
    """The storage primitives under ``record.append`` (no projection: these tests are about storage);
    sealed when the session belongs to a profile (the plain-SQLite baseline has no record key)."""
    seq, prev = event_store.head(s, case_id)
    records = event_store.build_records(case_id, actor_id, seq, prev, events)
    event_store.write(s, records)
    seal.on_append(s, case_id, seq, prev, records)
    return records

EVENTS = 100_000
EVENTS_PER_CASE = 10
REPO = Path(__file__).resolve().parents[1]


def _fill(session_factory, n_events: int) -> float:
    """Insert ``n_events`` events (10 per case) in batches of 100 cases per unit of work."""
    start = time.perf_counter()
    per_tx = 100
    n_cases = n_events // EVENTS_PER_CASE
    for batch in range(0, n_cases, per_tx):
        with session_factory() as s:
            now = now_local().isoformat()
            for i in range(batch, min(batch + per_tx, n_cases)):
                cid = f"case-{i:07d}"
                s.add(Case(id=cid, township_code="331181100", stage="lead", stage_label="线索", head_hash="0" * 64,
                           created_at=now, updated_at=now, party_name=f"当事人{i}", party_id=f"ID{i:012d}"))
            s.flush()
            for i in range(batch, min(batch + per_tx, n_cases)):
                cid = f"case-{i:07d}"
                _append(s, cid, "o1", [
                    event_store.NewEvent("inspection.recorded", {"findings": "现场检查：在街道两侧堆放物料", "n": k})
                    for k in range(EVENTS_PER_CASE)
                ])
    return time.perf_counter() - start


def _reads(session_factory, n_cases: int, samples: int = 2000) -> float:
    rng = random.Random(1)
    ids = [f"case-{rng.randrange(n_cases):07d}" for _ in range(samples)]
    start = time.perf_counter()
    with session_factory() as s:
        for cid in ids:
            evs = event_store.load_events(s, cid)
            assert len(evs) == EVENTS_PER_CASE
            s.scalars(select(Case).where(Case.party_id == f"ID{int(cid[5:]):012d}")).first()
    return (time.perf_counter() - start) / samples


def _township(s) -> None:
    s.add(Township(code="331181100", name="八都镇", county_code="331181", county_name="龙泉市",
                   agency_name="龙泉市八都镇人民政府", agency_code="龙八综执",
                   review_government="龙泉市人民政府", court="龙泉市人民法院"))


def _plain_factory(path: Path):
    from contextlib import contextmanager

    from sqlalchemy.orm import sessionmaker

    eng = create_engine(f"sqlite:///{path}", connect_args={"check_same_thread": False})

    @event.listens_for(eng, "connect")
    def _c(dbapi, _r):
        dbapi.isolation_level = None
        for p in ("PRAGMA foreign_keys=ON", "PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL",
                  f"PRAGMA cache_size=-{CACHE_KIB}"):  # same cache as the encrypted engine
            dbapi.execute(p)

    @event.listens_for(eng, "begin")
    def _b(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    Base.metadata.create_all(eng)
    # the same record path as a profile: event seals, head row and the anchor file beside it
    maker = sessionmaker(eng, expire_on_commit=False,
                         info=seal.session_info(os.urandom(32), path.with_name("plain-record-head.json")))
    seal.attach(maker)

    @contextmanager
    def factory():
        with maker() as s, s.begin():
            yield s

    with factory() as s:
        seal.seal_existing(s)
    return factory, eng


def _commit_latency(root: Path, key: bytes, synchronous: str, commits: int) -> float:
    """Seconds per unit of work appending one event (what one officer's step costs in fsyncs)."""
    from lishui_desk.storage.engine import make_engine

    eng = make_engine(root / f"sync-{synchronous}.db", key)

    @event.listens_for(eng, "connect")
    def _sync(dbapi, _r):  # registered after make_engine's listener, so it wins
        dbapi.execute(f"PRAGMA synchronous={synchronous}")

    from contextlib import contextmanager

    from sqlalchemy.orm import sessionmaker

    Base.metadata.create_all(eng)
    maker = sessionmaker(eng, expire_on_commit=False)

    @contextmanager
    def factory():
        with maker() as s, s.begin():
            yield s

    with factory() as s:
        _township(s)
        s.flush()
        now = now_local().isoformat()
        s.add(Case(id="c1", township_code="331181100", stage="lead", stage_label="线索", head_hash="0" * 64,
                   created_at=now, updated_at=now))
    start = time.perf_counter()
    for k in range(commits):
        with factory() as s:
            _append(s, "c1", "o1", [event_store.NewEvent("inspection.recorded", {"n": k})])
    elapsed = (time.perf_counter() - start) / commits
    eng.dispose()
    return elapsed


def _sealed_latency(root: Path, commits: int) -> float:
    """The same step through a profile: event seal, head row and the anchor file's two fsyncs."""
    from lishui_desk.crypto.keyring import KdfParams

    prof = create_empty_profile("sealed", "bench passphrase", root=root, kdf_params=KdfParams(8192, 1, 1))
    with prof.session() as s:
        _township(s)
        s.flush()
        now = now_local().isoformat()
        s.add(Case(id="c1", township_code="331181100", stage="lead", stage_label="线索", head_hash="0" * 64,
                   created_at=now, updated_at=now))
    start = time.perf_counter()
    for k in range(commits):
        with prof.session() as s:
            _append(s, "c1", "o1", [event_store.NewEvent("inspection.recorded", {"n": k})])
    elapsed = (time.perf_counter() - start) / commits
    prof.close()
    return elapsed


def durability(commits: int = 300) -> list[dict]:
    """synchronous=FULL (what the app uses) vs NORMAL: cost of one committed step; and the cost
    of sealing it (HMAC, head row, anchor file beside the keyring) on top."""
    with tempfile.TemporaryDirectory(prefix="lishui-bench-sync-") as tmp:
        key = os.urandom(32)
        normal = _commit_latency(Path(tmp), key, "NORMAL", commits)
        full = _commit_latency(Path(tmp), key, "FULL", commits)
        sealed = _sealed_latency(Path(tmp), commits)
    return [_row(f"one committed step (1 event + outbox), WAL synchronous=FULL vs NORMAL, {commits} commits",
                 full * 1000, "ms", normal * 1000, "FULL ≪ a user's pace (< 50 ms)"),
            _row("the same step sealed (event HMAC + head row + anchor file, FULL) vs unsealed FULL",
                 sealed * 1000, "ms", full * 1000, "< 50 ms per step")]


def crash_loop(kills: int = 200) -> dict:
    with tempfile.TemporaryDirectory(prefix="lishui-bench-crash-") as tmp:
        from lishui_desk.crypto.keyring import KdfParams

        prof = create_empty_profile("crash", "bench passphrase", root=Path(tmp), kdf_params=KdfParams(8192, 1, 1))
        key = prof.data_key
        with prof.session() as s:
            _township(s)
        prof.close()
        committed: set[str] = set()
        rng = random.Random(7)
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        start = time.perf_counter()
        for k in range(kills):
            child = subprocess.Popen([sys.executable, "-m", "tests.crash_writer", tmp, key.hex(), f"b{k:04d}"],
                                     cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
            first = child.stdout.readline()
            if first.startswith("committed"):
                committed.add(first.split()[1])
            time.sleep(rng.uniform(0, 0.08))
            child.send_signal(signal.SIGKILL)
            out, _ = child.communicate()
            committed.update(x.split()[1] for x in out.splitlines() if x.startswith("committed"))
        prof = open_with_key("crash", key, root=Path(tmp))
        from lishui_desk.services.integrity import check_profile

        with prof.read_session() as s:
            present = set(s.scalars(select(Case.id)))
        report = edge.read(prof, check_profile)
        prof.close()
        return {"kills": kills, "committed": len(committed), "lost": len(committed - present),
                "chain_problems": len(report.problems), "seconds": round(time.perf_counter() - start, 1)}


def run(events: int = EVENTS) -> list[dict]:
    rows = []
    with tempfile.TemporaryDirectory(prefix="lishui-bench-storage-") as tmp:
        root = Path(tmp)
        prof = create_empty_profile("bench", "bench passphrase 丽水", root=root, kdf_params=DEFAULT_KDF_PARAMS)
        key = prof.data_key
        with prof.session() as s:
            _township(s)
        enc_insert = _fill(prof.session, events)
        enc_read = _reads(prof.read_session, events // EVENTS_PER_CASE)
        prof.close()

        t = time.perf_counter()
        p2 = open_profile("bench", "bench passphrase 丽水", root=root)
        open_pw = time.perf_counter() - t
        p2.close()
        t = time.perf_counter()
        p3 = open_with_key("bench", key, root=root)
        with p3.read_session() as s:
            s.scalar(select(Case.id).limit(1))
        open_key = time.perf_counter() - t
        p3.close()

        factory, eng = _plain_factory(root / "plain.db")
        with factory() as s:
            _township(s)
        plain_insert = _fill(factory, events)
        plain_read = _reads(factory, events // EVENTS_PER_CASE)
        eng.dispose()

    rows.append(_row("open profile with passphrase (Argon2id + SQLCipher + schema check)", open_pw, "s", None,
                     "≈0.5 s (Argon2id dominates)"))
    rows.append(_row("open profile with unlocked data key", open_key, "s", open_pw, "≪ passphrase open"))
    rows.append(_row(f"insert {events:,} events (hash chain + outbox + seals), SQLCipher vs plain SQLite", enc_insert, "s",
                     plain_insert, "ratio ≤ 1.2"))
    rows.append(_row("indexed read of one case's events + party lookup, SQLCipher vs plain SQLite", enc_read * 1000,
                     "ms", plain_read * 1000, "ratio ≤ 1.2"))
    rows.extend(durability())
    return rows


if __name__ == "__main__":
    for r in run():
        print(r)
    if "--crash" in sys.argv:
        print(crash_loop())
