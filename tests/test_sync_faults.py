"""Randomised link faults between a desktop and a real hub (cut either way, answer dropped after
the hub committed, delay, throttle, stall past the client's timeout, replayed connections). For
every schedule: the outbox drains, every event is at the hub exactly once with its hash, every
chain verifies, nothing is quarantined, and the signed anchors match the local heads.

``LISHUI_SYNC_SCHEDULES`` sets how many schedules run per database (default 50 on SQLite, 15 on
PostgreSQL); ``bench/bench_sync.py`` runs a larger count.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
from datetime import date

import pytest
from sqlalchemy import select

from lishui_desk.models import Case
from sync.client.transport import SyncError
from sync.client.worker import sync_now
from sync.hub import service
from tests.conftest import REPO
from tests.fault_proxy import FaultProxy, random_schedule
from tests.sync_support import (
    PG_URL,
    copy_profile,
    enroll,
    hub_events,
    local_events,
    meta,
    open_demo,
    outbox_states,
    running_hub,
)

N_SQLITE = int(os.environ.get("LISHUI_SYNC_SCHEDULES", "50"))
N_PG = int(os.environ.get("LISHUI_SYNC_SCHEDULES", "15"))
SEEDS = [("sqlite", i) for i in range(N_SQLITE)] + ([("postgresql", i) for i in range(N_PG)] if PG_URL else [])
MAX_ROUNDS = 40


def _publish_reference(server, rng: random.Random) -> set[tuple[str, str, int, str]]:
    """A few county items (roster entries, a policy version) to pull through the same faults."""
    from lishui_desk.events import canonical_json
    from sync.hub.refs import Publication, publish

    policy = json.loads((REPO / "resources" / "policy" / "default.json").read_text(encoding="utf-8"))
    roster = [Publication(key=f"ZJ-3311-9{n:03d}", township_code="331181100",
                          body={"name": f"测试人员{n}", "role": "officer", "township_code": "331181100"})
              for n in range(rng.randint(1, 4))]
    out = publish(server.hub, "roster", roster)
    out += publish(server.hub, "policy", [Publication(key="policy", body=policy, effective_from=date(2026, 12, 1))])
    bodies = {p.key: canonical_json(p.body) for p in [*roster]} | {"policy": canonical_json(policy)}
    return {(o["stream"], o["key"], o["version"], hashlib.sha256(bodies[o["key"]].encode()).hexdigest())
            for o in out}


def _held_reference(prof) -> set[tuple[str, str, int, str]]:
    from lishui_desk.models import ReferenceVersion

    with prof.read_session() as s:
        return {(r.stream, r.key, r.version, r.body_sha256)
                for r in s.scalars(select(ReferenceVersion).where(ReferenceVersion.source == "hub"))}


def run_schedule(template, tmp_path, backend: str, seed: int) -> dict:
    rng = random.Random(seed)
    schedule = random_schedule(rng, rng.randint(3, 12))
    batch = rng.choice([10, 25, 60])
    prof = open_demo(copy_profile(template, tmp_path / "desk"))
    try:
        with running_hub(backend, tmp_path) as server:
            enroll(prof, server)
            published = _publish_reference(server, rng)
            with FaultProxy(server.host, server.port, schedule) as proxy:
                failures = 0
                for _ in range(MAX_ROUNDS):
                    try:
                        sync_now(prof, batch_size=batch, timeout=1.0, hub_url=proxy.url)
                        break
                    except SyncError:
                        failures += 1  # a cut or a timeout is an error, never a success
                else:
                    pytest.fail(f"seed {seed}: did not converge; schedule {[str(f) for f in schedule]}")
            where = f"seed {seed}, schedule {[str(f) for f in schedule]}"
            local = local_events(prof)
            assert outbox_states(prof) == {"acked": len(local)}, where
            assert hub_events(server) == local, where  # exactly once, same content
            assert all(p == [] for p in service.verify_all_chains(server.hub).values()), where
            assert service.list_quarantine(server.hub) == [], where
            with prof.read_session() as s:
                heads = {c.id: (c.event_count, c.head_hash) for c in s.scalars(select(Case))}
            anchors = meta(prof, "anchors")
            assert {k: (v["count"], v["hash"]) for k, v in anchors.items()} == heads, where
            assert _held_reference(prof) == published, where  # reference data identical on both sides
            return {"failures": failures, "connections": proxy.connections}
    finally:
        prof.close()


@pytest.mark.slow
@pytest.mark.parametrize("backend,seed", SEEDS, ids=[f"{b}-{s}" for b, s in SEEDS])
def test_outbox_drains_exactly_once_under_random_link_faults(template, tmp_path, backend, seed):
    run_schedule(template, tmp_path, backend, seed)
