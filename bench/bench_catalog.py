"""事项目录 search as the GUI runs it (``ui.gateway.catalog.search``: one read per keystroke pause)
over 5,000 items generated from the seed catalogue, by Chinese substring (2–4 characters taken
from real item names, plus substrings with no hit such as 占道), against a plain ``LIKE '%…%'``
scan of the same table in the same profile and run. Goal: p95 ≤ 10 ms. Both must find the same
items for every query.

Run: ``python -m bench catalog`` (a few seconds).
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

from sqlalchemy import select, text

N_ITEMS = 5_000
N_QUERIES = 300
PASS = "bench-passphrase-丽水"
TOWN = "331181100"
# places a township item name is varied with, so substrings hit many generated items
PLACES = ("集镇", "景区", "村庄", "河道", "山林", "公路沿线", "学校周边", "农贸市场", "工业园区", "居民小区")
MISSES = ("占道", "无人机", "核电站", "潜水艇")


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def _profile(root: Path):
    from lishui_desk.crypto.keyring import KdfParams
    from lishui_desk.services.setup import OfficerSpec

    try:
        from lishui_desk.edge import create_profile
    except ImportError:  # before the unit-of-work edge exists
        from lishui_desk.services.setup import create_profile
    return create_profile("bench", PASS, root=root, township_code=TOWN,
                          officer=OfficerSpec("王建", "ZJ-3311-0001", date(2030, 12, 31)),
                          kdf_params=KdfParams(memory_cost=8192, iterations=1, lanes=1))


def _generate(prof) -> tuple[int, list[str]]:
    """Copy the seed items into N_ITEMS rows of the current catalogue version; returns the number
    of rows and the names (to draw query substrings from)."""
    from lishui_desk.models.reference import EnforcementItem

    columns = [c.key for c in EnforcementItem.__table__.columns if c.key != "id"]
    with prof.session() as s:
        seeds = list(s.scalars(select(EnforcementItem)))
        version = seeds[0].catalog_version_id
        rows = []
        for i in range(N_ITEMS - len(seeds)):
            src = seeds[i % len(seeds)]
            row = {c: getattr(src, c) for c in columns}
            row["code"] = f"{src.code[:8]}{i:06d}"[:32]
            row["name"] = f"在{PLACES[i % len(PLACES)]}{src.name}"
            row["catalog_version_id"] = version
            rows.append(row)
        s.execute(EnforcementItem.__table__.insert(), rows)
        total = s.scalar(text("SELECT count(*) FROM enforcement_items WHERE catalog_version_id = :v"), {"v": version})
        names = [n for (n,) in s.execute(select(EnforcementItem.name))]
    return int(total), names


def _queries(names: list[str]) -> list[str]:
    rnd = random.Random(20261201)
    out = []
    for i in range(N_QUERIES):
        if i % 10 == 9:
            out.append(MISSES[i % len(MISSES)])
            continue
        name = rnd.choice(names)
        n = rnd.choice((2, 3, 4))
        start = rnd.randrange(0, max(1, len(name) - n))
        out.append(name[start:start + n])
    return out


def run() -> list[dict]:
    from ui.gateway import catalog as catalog_gateway

    with tempfile.TemporaryDirectory(prefix="lsd-bench-catalog-") as tmp:
        prof = _profile(Path(tmp))
        try:
            total, names = _generate(prof)
            assert total >= N_ITEMS, total
            queries = _queries(names)
            t0 = time.perf_counter()
            catalog_gateway.search(prof, queries[0], None)  # the first search after unlock builds the index
            first = time.perf_counter() - t0
            table = "enforcement_items"
            like_sql = text(f"SELECT code, name, domain FROM {table} WHERE status = 'active' AND "
                            f"(name LIKE :q OR code LIKE :q OR domain LIKE :q) ORDER BY domain, code LIMIT 200")
            search_t, like_t, hits_search = [], [], 0
            for q in queries:
                t0 = time.perf_counter()
                rows = catalog_gateway.search(prof, q, None)
                search_t.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                with prof.read_session() as s:
                    base = s.execute(like_sql, {"q": f"%{q}%"}).all()
                like_t.append(time.perf_counter() - t0)
                assert [r.code for r in rows] == [b[0] for b in base], q  # the same answer, not just faster
                hits_search += bool(rows)
        finally:
            prof.close()
    p95, base95 = _p95(search_t) * 1000, _p95(like_t) * 1000
    med, base_med = statistics.median(search_t) * 1000, statistics.median(like_t) * 1000
    assert 0 < hits_search < len(queries)  # most substrings hit, the 占道 kind does not
    return [
        {"name": f"catalog search p95 ({total} items, {N_QUERIES} Chinese substrings)", "value": round(p95, 3),
         "unit": "ms", "baseline": round(base95, 3), "ratio": round(p95 / base95, 2) if base95 else None,
         "goal": "≤ 10 ms"},
        {"name": "first catalog search after unlock (reads the version once)", "value": round(first * 1000, 3),
         "unit": "ms", "baseline": round(base_med, 3), "ratio": round(first * 1000 / base_med, 2) if base_med else None,
         "goal": "one LIKE scan"},
        {"name": "catalog search median", "value": round(med, 3), "unit": "ms", "baseline": round(base_med, 3),
         "ratio": round(med / base_med, 2) if base_med else None, "goal": ""},
    ]


if __name__ == "__main__":  # pragma: no cover
    for r in run():
        print(r)
