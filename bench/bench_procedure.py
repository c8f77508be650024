"""Procedure engine benchmark: next steps + deadlines per case, and deadlines over 10,000 cases.

Cases are walked through the engine in memory (lead → 立案 → 告知 → 决定 → 送达 …) at different dates
and stages, using the bundled 八都镇 seed catalogue. The baseline, measured in the same run, is
``fold`` alone (rebuilding the state from the events), which every view needs anyway.

Run: ``python -m bench.bench_procedure`` (a few seconds).
"""

from __future__ import annotations

import statistics
import time
from datetime import date, timedelta
from typing import Any

from lishui_desk.catalog_data import load_catalog
from lishui_desk.identity import resident_id_check_char
from lishui_desk.policy import Policy
from lishui_desk.procedure import OfficerInfo, deadlines, fold, next_steps
from lishui_desk.procedure.simulate import CaseLog, DictCatalog, DictOfficers
from lishui_desk.procedure.types import EngineContext
from lishui_desk.workcal import WorkdayCalendar

TOWN = "331181100"
ITEM = "331101003000"
N_CASES = 10_000
N_DISTINCT = 200


def _ctx(today: date) -> EngineContext:
    seed = load_catalog(TOWN)
    return EngineContext(
        today=today, calendar=WorkdayCalendar.default(), policy=Policy.load_default(),
        catalog=DictCatalog({TOWN: [(date(2020, 1, 1), None, i) for i in seed.items]}),
        officers=DictOfficers([
            OfficerInfo("o1", "甲", "C1", date(2030, 1, 1), "officer"),
            OfficerInfo("o2", "乙", "C2", date(2030, 1, 1), "officer"),
            OfficerInfo("lead", "丙", "C3", date(2030, 1, 1), "leader"),
        ]),
        township_code=TOWN,
    )


def _case(ctx: EngineContext, start: date, depth: int) -> list[Any]:
    first17 = f"331102{date(1980, 1, 1) + timedelta(days=depth * 37):%Y%m%d}001"
    party = {"kind": "individual", "name": "某", "id_number": first17 + resident_id_check_char(first17), "address": "某村"}
    log = CaseLog(ctx).at(start)
    log.do("register_lead", {"source": "巡查发现", "summary": "x", "item_code": ITEM, "party": party,
                             "violation_date": start.isoformat(), "officer_ids": ["o1", "o2"]})
    if depth == 0:
        return log.events
    log.do("file_case", {"case_number": "N", "item_code": ITEM, "violation_date": start.isoformat(), "facts": "x",
                         "officer_ids": ["o1", "o2"], "approved_by": "lead"})
    log.do("add_evidence", {"kind": "书证", "description": "x"})
    if depth == 1:
        return log.events
    log.do("issue_notice", {"kinds": ["罚款"], "amount": "500", "facts": "x", "basis": "y"})
    log.do("serve_notice", {"method": "直接送达", "receiver": "本人"})
    if depth == 2:
        return log.events
    log.at(start + timedelta(days=20))
    log.do("decide", {"outcome": "处罚", "kinds": ["罚款"], "amount": "500", "facts": "x", "evidence_summary": "x",
                      "basis": "y", "payment_method": "银行", "payment_days": 15, "remedies": "r", "agency": "a",
                      "approved_by": "lead"})
    log.do("serve_decision", {"method": "直接送达", "receiver": "本人"})
    return log.events


def _median(fn: Any, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def run() -> list[dict]:
    today = date(2025, 11, 20)
    ctx = _ctx(today)
    logs = [_case(ctx, date(2025, 3, 3) + timedelta(days=i % 180), i % 4) for i in range(N_DISTINCT)]
    states = [fold(events) for events in logs]
    view_ctx = _ctx(today)

    def fold_all() -> None:
        for i in range(N_CASES):
            fold(logs[i % N_DISTINCT])

    def view_all() -> None:
        for i in range(N_CASES):
            st = states[i % N_DISTINCT]
            next_steps(st, view_ctx)
            deadlines(st, view_ctx)

    def deadlines_all() -> None:
        for i in range(N_CASES):
            deadlines(states[i % N_DISTINCT], view_ctx)

    fold_s = _median(fold_all)
    view_s = _median(view_all)
    dl_s = _median(deadlines_all)
    per_view_ms = view_s / N_CASES * 1000
    per_fold_ms = fold_s / N_CASES * 1000
    return [
        {"name": "next_steps + deadlines, one case (ms) vs fold of the same case", "value": round(per_view_ms, 4),
         "unit": "ms", "baseline": round(per_fold_ms, 4), "ratio": round(per_view_ms / per_fold_ms, 2),
         "goal": "≤ 5 ms per case"},
        {"name": f"deadlines for {N_CASES} cases (s) vs fold of {N_CASES} cases", "value": round(dl_s, 3),
         "unit": "s", "baseline": round(fold_s, 3), "ratio": round(dl_s / fold_s, 2), "goal": "≤ 1 s"},
        {"name": f"next_steps + deadlines for {N_CASES} cases (s) vs fold", "value": round(view_s, 3),
         "unit": "s", "baseline": round(fold_s, 3), "ratio": round(view_s / fold_s, 2), "goal": "≤ 1 s (informative)"},
    ]


if __name__ == "__main__":
    for row in run():
        print(f"{row['name']}: {row['value']} {row['unit']} (baseline {row['baseline']}, ratio {row['ratio']}; "
              f"goal {row['goal']})")
