"""USB bundle benchmarks (issue: evidence over thin links, the USB bundle, …).

One profile with 10,000 events (1,000 cases × 10) in its outbox makes the whole round trip a
township without any link would make: ``sync export`` → county ``bundle import`` → county
``bundle export`` for the device → ``sync import``; the outbox is then empty and every event is at
the hub exactly once. Figures: each leg's time, the bundle's bytes per event against the raw
canonical-JSON payload, and a second import of each bundle (nothing changes). Baseline for the
round trip: the same 10,000 events pushed over loopback by ``sync now`` in the same run.

Run: ``python -m bench bundle``.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select

from bench.bench_sync import _profile, _push, _raw_bytes
from bench.figures import row as _row
from lishui_desk.models import OutboxEntry
from lishui_desk.unit_of_work import unit_of_work
from sync.client import bundle as desk_bundle
from sync.hub import bundles as hub_bundles
from sync.hub.models import HubEvent
from tests.sync_support import enroll, running_hub


def _pending(prof) -> int:
    with unit_of_work(prof, write=False) as uow:
        return int(uow.session.scalar(select(func.count()).select_from(OutboxEntry)
                                      .where(OutboxEntry.state == "pending")) or 0)


def _round_trip(tmp: Path, n: int) -> dict:
    prof = _profile(tmp / "desk", n)
    raw = _raw_bytes(prof)
    try:
        with running_hub("sqlite", tmp) as server:
            enroll(prof, server)
            out = tmp / "to-county.lsb"
            t0 = time.perf_counter()
            desk_bundle.export_bundle(prof, out)
            t1 = time.perf_counter()
            data = out.read_bytes()
            first = hub_bundles.import_bundle(server.hub, data)
            t2 = time.perf_counter()
            again = hub_bundles.import_bundle(server.hub, data)
            t3 = time.perf_counter()
            reply, _info = hub_bundles.export_bundle(server.hub, prof_device(prof))
            back = tmp / "to-desk.lsb"
            back.write_bytes(reply)
            t4 = time.perf_counter()
            desk_bundle.import_bundle(prof, back)
            t5 = time.perf_counter()
            desk_bundle.import_bundle(prof, back)
            t6 = time.perf_counter()
            with server.hub.session() as s:
                at_hub = s.scalar(select(func.count()).select_from(HubEvent))
            assert first["items"] == n and again["already_imported"], (first, again)
            assert at_hub == n, at_hub
            pending = _pending(prof)
            assert pending == 0, pending
            return {"export": t1 - t0, "hub_import": t2 - t1, "hub_again": t3 - t2, "hub_export": t4 - t3,
                    "desk_import": t5 - t4, "desk_again": t6 - t5, "bytes": len(data), "reply_bytes": len(reply),
                    "raw": raw}
    finally:
        prof.close()


def prof_device(prof) -> str:
    from lishui_desk.edge import read
    from sync.client import state as st

    device = read(prof, st.get, "device_id")
    assert isinstance(device, str), device
    return device


def run() -> list[dict]:
    os.environ.setdefault("LISHUI_DESK_TODAY", "2026-11-26")
    rows = []
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        n = 10_000
        rt = _round_trip(tmp / "b", n)
        push = _push(tmp / "p", n)
        total = rt["export"] + rt["hub_import"] + rt["hub_export"] + rt["desk_import"]
        rows.append(_row("USB round trip of 10,000 events (4 legs, outbox cleared)", total, "s", push["elapsed"],
                         "≤ 2× the same push over loopback"))
        rows.append(_row("  desk: sync export", rt["export"], "s", None, "—"))
        rows.append(_row("  county: bundle import", rt["hub_import"], "s", None, "—"))
        rows.append(_row("  county: bundle export (answers, reference data, used numbers)", rt["hub_export"], "s",
                         None, "—"))
        rows.append(_row("  desk: sync import", rt["desk_import"], "s", None, "—"))
        rows.append(_row("county import of the same bundle again (nothing changes)", rt["hub_again"], "s",
                         rt["hub_import"], "≪ first import"))
        rows.append(_row("desk import of the same return bundle again (nothing changes)", rt["desk_again"], "s",
                         rt["desk_import"], "≪ first import"))
        rows.append(_row("bundle bytes per event (signed, encrypted, zstd)", rt["bytes"] / n, "B", rt["raw"] / n,
                         "≤ 1× raw payload"))
        rows.append(_row("return bundle bytes per event", rt["reply_bytes"] / n, "B", rt["raw"] / n, "—"))
    return rows


if __name__ == "__main__":  # pragma: no cover
    for r in run():
        print(r)
