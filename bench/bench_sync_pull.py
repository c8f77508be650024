"""Pull of a 5,000-item 事项目录 (issue: sync with the county).

The county publishes one catalog version of 5,000 items (generated from the seed catalogue); a
freshly enrolled profile pulls it from a real hub on loopback (state check, signed zstd pages,
verification against the pinned hub key, the core's ``apply_batch`` with the cursor). Baseline, in
the same run: the core's ``apply_batch`` of the same item into another fresh profile, without HTTP,
compression or signatures. Also: bytes received against the item's canonical JSON.

Run: ``python -m bench sync_pull``.
"""

from __future__ import annotations

import json
import tempfile
import time
from datetime import date
from pathlib import Path

from lishui_desk.crypto.keyring import KdfParams
from lishui_desk.edge import create_profile
from lishui_desk.services import reference
from lishui_desk.services.setup import OfficerSpec
from lishui_desk.unit_of_work import unit_of_work
from sync import protocol
from sync.client.worker import sync_now
from sync.hub.refs import Publication, publish
from tests.sync_support import enroll, running_hub

REPO = Path(__file__).resolve().parents[1]
TOWN, CERT = "331181100", "ZJ-3311-0001"
N_ITEMS = 5_000
FAST = KdfParams(memory_cost=8192, iterations=1, lanes=1)
PLACES = ("集镇", "景区", "村庄", "河道", "山林", "公路沿线", "学校周边", "农贸市场", "工业园区", "居民小区")


def _catalog() -> dict:
    cat = json.loads((REPO / "resources" / "catalog" / f"{TOWN}.json").read_text(encoding="utf-8"))
    seeds = [i for i in cat["items"] if i.get("status") != "withdrawn"]
    items = []
    for n in range(N_ITEMS):
        src = dict(seeds[n % len(seeds)])
        src["code"] = f"{src['code'][:6]}{n:06d}"
        src["name"] = f"在{PLACES[n % len(PLACES)]}{src['name']}" if n >= len(seeds) else src["name"]
        items.append(src)
    cat.update(version="2026.9", effective_from="2026-11-01", items=items)
    return cat


def _profile(root: Path):
    return create_profile("bench", "bench passphrase", root=root, township_code=TOWN,
                          officer=OfficerSpec("王建", CERT, date(2030, 12, 31)), kdf_params=FAST)


def _baseline(tmp: Path, cat: dict) -> float:
    prof = _profile(tmp / "base")
    try:
        item = {"key": TOWN, "version": 2, "effective_from": cat["effective_from"], "body": cat}
        start = time.perf_counter()
        with unit_of_work(prof) as uow:
            res = reference.apply_batch(uow, "catalog", [item], "base/1", source="file")
        elapsed = time.perf_counter() - start
        assert res.applied == 1
        return elapsed
    finally:
        prof.close()


def _pull(tmp: Path, cat: dict) -> dict:
    with running_hub("sqlite", tmp / "hub") as server:
        publish(server.hub, "catalog", [Publication(key=TOWN, body=cat, effective_from=date(2026, 11, 1),
                                                    township_code=TOWN)])
        prof = _profile(tmp / "desk")
        try:
            enroll(prof, server)
            start = time.perf_counter()
            rep = sync_now(prof)
            elapsed = time.perf_counter() - start
            assert rep.pulled["catalog"] == 1, rep.pulled
            return {"elapsed": elapsed, "received": rep.bytes_received, "requests": rep.requests}
        finally:
            prof.close()


def run() -> list[dict]:
    from bench.bench_sync import _row

    cat = _catalog()
    raw = len(protocol.canonical(cat))
    with tempfile.TemporaryDirectory(prefix="bench-pull-") as tmp:
        base = _baseline(Path(tmp), cat)
        pull = _pull(Path(tmp), cat)
    return [
        _row(f"pull a {N_ITEMS:,}-item catalog over loopback ({pull['requests']} requests, sync round included)",
             pull["elapsed"], "s", base, "—"),
        _row("bytes received for it vs its canonical JSON (generated items repeat: compresses well)",
             pull["received"] / raw, "×", None, "≤ 1 (zstd)"),
    ]
