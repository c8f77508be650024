"""Sync benchmarks (issue: sync with the county).

- push 10,000 events (1,000 cases × 10) from a profile's outbox to a real hub on loopback
  (goal ≤ 20 s); baseline: the hub's own ingest of the same items without HTTP or client;
- bytes on the wire per event (measured at a TCP proxy, headers included) against the raw
  canonical-JSON payload (goal ≤ 1.5×);
- a slow line (64 kbit/s, 300 ms round trip): 500 events, against the ideal time — the same bytes
  at the line rate plus one round trip per request (goal ≤ 1.5×);
- randomized link-fault schedules (``BENCH_SYNC_SCHEDULES``, default 200), each asserting that the
  outbox drains and every event is at the hub exactly once.

Run: ``python -m bench sync``.
"""

from __future__ import annotations

import json
import os
import random
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select

from bench.figures import row as _row
from lishui_desk.crypto.keyring import KdfParams
from lishui_desk.edge import create_profile
from lishui_desk.events import GENESIS_HASH
from lishui_desk.models import OutboxEntry
from lishui_desk.services.setup import OfficerSpec
from lishui_desk.storage import event_store
from lishui_desk.storage.profile import Profile
from lishui_desk.timeutil import now_local
from lishui_desk.unit_of_work import unit_of_work
from sync.client.worker import sync_now
from sync.hub import ingest, service
from sync.hub.models import Device, HubEvent
from tests.fault_proxy import Fault, FaultProxy
from tests.sync_support import enroll, running_hub

TOWN, CERT = "331181100", "ZJ-3311-0001"
FAST = KdfParams(memory_cost=8192, iterations=1, lanes=1)


def _profile(root: Path, n_events: int) -> Profile:
    from lishui_desk.models import Case

    prof = create_profile("bench", "bench passphrase", root=root, township_code=TOWN,
                          officer=OfficerSpec("王建", CERT), kdf_params=FAST)
    per_case = 10
    n_cases = n_events // per_case
    for batch in range(0, n_cases, 100):
        with unit_of_work(prof) as uow:
            s = uow.session
            now = now_local().isoformat()
            ids = [f"{i:08d}-0000-4000-8000-000000000000" for i in range(batch, min(batch + 100, n_cases))]
            for cid in ids:
                s.add(Case(id=cid, township_code=TOWN, stage="lead", stage_label="线索", head_hash="0" * 64,
                           created_at=now, updated_at=now))
            s.flush()
            for cid in ids:  # the storage primitives under record.append (hash chain + outbox)
                event_store.write(s, event_store.build_records(cid, prof.officer_id, 0, GENESIS_HASH, [
                    event_store.NewEvent("investigation.inspection",
                                         {"findings": "现场检查：八都镇新街两侧沿街堆放建材，影响通行", "n": k,
                                          "place": "龙泉市八都镇新街21号"}) for k in range(per_case)]))
    return prof


def _raw_bytes(prof: Profile) -> int:
    with unit_of_work(prof, write=False) as uow:
        return sum(len(p.encode("utf-8")) for p in uow.session.scalars(select(OutboxEntry.payload)))


def _push(tmp: Path, n: int, fault: Fault | None = None) -> dict:
    prof = _profile(tmp / "desk", n)
    raw = _raw_bytes(prof)
    try:
        with running_hub("sqlite", tmp) as server:
            enroll(prof, server)
            with FaultProxy(server.host, server.port, [fault] * 1000 if fault else []) as proxy:
                start = time.perf_counter()
                rep = sync_now(prof, batch_size=500, timeout=300, hub_url=proxy.url)
                elapsed = time.perf_counter() - start
            with server.hub.session() as s:
                assert s.scalar(select(func.count()).select_from(HubEvent)) == n
            assert rep.accepted == n and rep.pending == 0
            return {"elapsed": elapsed, "wire": proxy.bytes_up + proxy.bytes_down, "up": proxy.bytes_up,
                    "raw": raw, "batches": rep.batches, "requests": rep.requests, "hub_root": server.hub.root}
    finally:
        prof.close()


def _hub_only(tmp: Path, n: int) -> float:
    """The hub's ingest of the same items straight into its database (no HTTP, no client)."""
    prof = _profile(tmp / "desk2", n)
    with unit_of_work(prof, write=False) as uow:
        rows = uow.session.scalars(select(OutboxEntry).order_by(OutboxEntry.created_at)).all()
        items = [{"outbox_id": r.id, "kind": "case_event", "event": json.loads(r.payload)} for r in rows]
    prof.close()
    hub = service.init_hub(tmp / "hub2")
    service.add_township(hub, TOWN)
    with hub.session() as s:
        dev = Device(id="bench", township_code=TOWN, officer_id="o", public_key="00" * 32, enrolled_at="x")
        s.add(dev)
    start = time.perf_counter()
    for i in range(0, len(items), 500):
        with hub.session() as s:
            ingest.ingest_batch(s, s.get(Device, "bench"), items[i:i + 500])
    elapsed = time.perf_counter() - start
    hub.close()
    return elapsed


def _schedules(tmp: Path, count: int) -> dict:
    from tests.sync_support import build_template
    from tests.test_sync_faults import run_schedule

    tpl = build_template(tmp / "tpl", FAST)
    rounds = 0
    start = time.perf_counter()
    for seed in range(count):
        d = tmp / f"s{seed}"
        d.mkdir()
        rounds += run_schedule(tpl, d, "sqlite", 10_000 + seed)["failures"]
    return {"count": count, "failed_rounds": rounds, "elapsed": time.perf_counter() - start}


def run() -> list[dict]:
    os.environ.setdefault("LISHUI_DESK_TODAY", "2026-11-26")
    rows = []
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        n = 10_000
        push = _push(tmp / "p", n)
        base = _hub_only(tmp / "h", n)
        rows.append(_row("push 10,000 events over loopback", push["elapsed"], "s", base, "≤ 20 s"))
        rows.append(_row("bytes on the wire per event (both ways, headers included)", push["wire"] / n, "B",
                         push["raw"] / n, "≤ 1.5× raw payload"))
        rows.append(_row("bytes sent per event (request side)", push["up"] / n, "B", push["raw"] / n, "—"))
        slow_n = 500
        bps, rtt = 64_000 // 8, 0.3
        slow = _push(tmp / "s", slow_n, Fault("link", bps=bps, seconds=rtt / 2))
        # ideal: every byte at the line rate, plus one round trip per request and one to connect
        ideal = slow["wire"] / bps + (slow["requests"] + 1) * rtt
        rows.append(_row(f"500 events at 64 kbit/s, 300 ms RTT ({slow['requests']} requests)", slow["elapsed"], "s",
                         ideal, "≤ 1.5× ideal transfer time"))
        count = int(os.environ.get("BENCH_SYNC_SCHEDULES", "200"))
        sch = _schedules(tmp / "f", count)
        rows.append(_row(f"{count} random fault schedules, all converged exactly once", sch["elapsed"], "s",
                         None, f"all pass ({sch['failed_rounds']} failed rounds retried)"))
    random.seed()
    return rows


if __name__ == "__main__":  # pragma: no cover
    for r in run():
        print(r)
