"""GUI benchmarks (offscreen Qt), each with a baseline measured in the same run:

- ``unlock to usable window``: passphrase entered → unlock (default Argon2id) → work area shown
  with its first data requested and drafts restored, against a bare QApplication + QMainWindow
  show. Goal ≤ 1.0 s.
- ``case list first paint`` at 100,000 cases (bulk-inserted case rows): filter set → count + first
  page in the lazy model, against the same two queries run directly. Goal ≤ 200 ms.
- ``case list filter`` (text search over the 100,000): goal ≤ 300 ms.
- ``open case workspace`` with 200 events (view + form context on the worker, widgets filled),
  against ``CaseDesk.view`` alone. Goal ≤ 150 ms.

Run: ``python -m bench ui`` (about 20–40 s, most of it generating data).
"""

from __future__ import annotations

import os
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from lishui_desk.timeutil import today_local

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

N_CASES = 100_000
N_EVENTS = 200
PASS = "bench-passphrase-丽水"
TOWN = "331181100"


def _row(name: str, value: float, unit: str, baseline: float, goal: str) -> dict:
    return {"name": name, "value": round(value, 4), "unit": unit, "baseline": round(baseline, 4),
            "ratio": round(value / baseline, 2) if baseline else None, "goal": goal}


def _wait(cond, timeout_s: float = 60.0) -> float:
    """Run the event loop until ``cond()`` holds: ONE nested loop with a 2 ms poll timer.

    (PySide6 6.12 on Python 3.11 drops a reference to None on every processEvents()/exec() call, so a
    tight processEvents loop aborts the interpreter; one exec per wait is safe.)
    """
    from PySide6.QtCore import QEventLoop, QTimer

    start = time.perf_counter()
    if cond():
        return 0.0
    loop = QEventLoop()
    timer = QTimer()
    timer.setInterval(2)

    def poll() -> None:
        if cond() or time.perf_counter() - start > timeout_s:
            loop.quit()

    timer.timeout.connect(poll)
    timer.start()
    loop.exec()
    timer.stop()
    if not cond():
        raise TimeoutError("benchmark step did not finish")
    return time.perf_counter() - start


def _bulk_cases(prof, n: int) -> None:
    from sqlalchemy import insert

    from lishui_desk.models import Case

    stages = [("investigation", "调查取证"), ("notified", "告知"), ("decided", "决定"), ("closed", "结案")]
    items = [("331101003000", "对在街道两侧堆放物料的行政处罚", "市容环卫"),
             ("331103001000", "对露天焚烧秸秆的行政处罚", "农业农村")]
    today = today_local()
    now = "2026-01-01T00:00:00+00:00"
    batch = []
    with prof.session() as s:
        for i in range(n):
            st, label = stages[i % 4]
            code, name, domain = items[i % 2]
            batch.append({
                "id": f"bench-{i:06d}", "township_code": TOWN, "case_number": f"龙八综执立〔2025〕第{i + 1}号",
                "stage": st, "stage_label": label, "party_name": f"当事人{i}", "party_kind": "individual",
                "party_id": f"33118119800101{i % 10000:04d}", "item_code": code, "item_name": name,
                "domain": domain, "officer_ids": "", "officer_names": "王建、李明",
                "lead_on": today - timedelta(days=i % 700), "next_deadline": today + timedelta(days=(i % 30) - 10),
                "next_deadline_label": "陈述申辩期间届满", "is_open": st != "closed", "flags": [],
                "event_count": 5, "head_hash": "0" * 64, "created_at": now, "updated_at": f"2026-01-01T{i % 24:02d}:00",
            })
            if len(batch) == 5000:
                s.execute(insert(Case), batch)
                batch = []
        if batch:
            s.execute(insert(Case), batch)


def run() -> list[dict]:
    from PySide6.QtWidgets import QMainWindow

    from lishui_desk.edge import CaseDesk, create_profile
    from lishui_desk.services.setup import OfficerSpec, add_officer
    from lishui_desk.storage.profile import open_profile
    from ui.app import make_app
    from ui.gateway import cases as case_gateway
    from ui.mainwindow import DeskWindow
    from ui.ops import Ops
    from ui.pages.case_list import CaseListPage
    from ui.pages.workspace import CaseWorkspace

    rows: list[dict] = []
    app = make_app([])
    with tempfile.TemporaryDirectory(prefix="lishui-bench-ui-") as tmp:
        root = Path(tmp)
        prof = create_profile("bench", PASS, root=root, township_code=TOWN,
                              officer=OfficerSpec("王建", "ZJ-3311-0001", date(2030, 12, 31)))
        with prof.session() as s:
            li = add_officer(s, TOWN, OfficerSpec("李明", "ZJ-3311-0002", date(2030, 12, 31)))
            leader = add_officer(s, TOWN, OfficerSpec("周卫东", "ZJ-3311-0009", date(2030, 12, 31), role="leader"))
        # a case with 200 events, through the real services (hash chain and projection)
        svc = CaseDesk(prof)
        today = today_local().isoformat()
        cid = svc.register_lead({"lead_on": today, "source": "巡查发现", "summary": "基准测试案件",
                                 "item_code": "331101003000", "violation_date": today})
        svc.perform(cid, "file_case", {"filed_on": today, "facts": "堆放物料", "item_code": "331101003000",
                                       "violation_date": today, "officer_ids": [prof.officer_id, li.id],
                                       "approved_by": leader.id})
        for i in range(N_EVENTS - 2):
            svc.perform(cid, "add_evidence", {"kind": "书证", "description": f"证据{i}", "collected_on": today})
        _bulk_cases(prof, N_CASES)
        prof.close()

        # -- unlock to usable window -----------------------------------------------------------
        start = time.perf_counter()
        bare = QMainWindow()
        bare.resize(1280, 820)
        bare.show()
        app.processEvents()
        baseline = time.perf_counter() - start
        bare.close()
        win = DeskWindow(root=root, profile="bench", autolock=30)
        win.show()
        _wait(lambda: win.unlock.profile_box.count() > 0)
        ready: list[bool] = []
        win.ready.connect(lambda: ready.append(True))
        start = time.perf_counter()
        win.unlock.passphrase.setText(PASS)
        win.unlock.try_unlock()
        _wait(lambda: bool(ready) and not win.ops.busy)
        value = time.perf_counter() - start
        rows.append(_row("unlock to usable window (default Argon2id)", value, "s", baseline, "≤ 1.0 s"))
        win.close()
        app.processEvents()

        prof = open_profile("bench", PASS, root=root)
        ops = Ops()
        ops.set_profile(prof)

        # -- case list first paint and filter at 100k ------------------------------------------
        def direct(flt: dict) -> float:
            t0 = time.perf_counter()
            case_gateway.count_cases(prof, flt)
            case_gateway.list_cases(prof, flt, 0, 200)
            return time.perf_counter() - t0

        page = CaseListPage(ops)
        page.resize(1280, 700)
        page.show()
        base_first = direct({})
        t0 = time.perf_counter()
        page.model.set_filter({})
        _wait(lambda: page.model.rowCount() > 0 and not page.model.is_loading)
        app.processEvents()
        first = time.perf_counter() - t0
        rows.append(_row(f"case list first paint at {N_CASES:,} cases", first * 1000, "ms", base_first * 1000,
                         "≤ 200 ms"))
        flt = {"text": "当事人9999"}
        base_filter = direct(flt)
        t0 = time.perf_counter()
        page.search.setText("当事人9999")
        page.apply_filter()
        _wait(lambda: page.model.total > 0 and not page.model.is_loading and page.model.rowCount() > 0)
        app.processEvents()
        filt = time.perf_counter() - t0
        rows.append(_row(f"case list filter (text search) at {N_CASES:,} cases", filt * 1000, "ms",
                         base_filter * 1000, "≤ 300 ms"))
        page.close()

        # -- case workspace with 200 events ------------------------------------------------------
        t0 = time.perf_counter()
        CaseDesk(prof).view(cid)
        base_ws = time.perf_counter() - t0
        t0 = time.perf_counter()
        ws = CaseWorkspace(ops, cid)
        ws.resize(1280, 800)
        ws.show()
        _wait(lambda: ws.view is not None)
        app.processEvents()
        opened = time.perf_counter() - t0
        assert ws.timeline.row_count() == N_EVENTS
        rows.append(_row(f"open case workspace with {N_EVENTS} events", opened * 1000, "ms", base_ws * 1000,
                         "≤ 150 ms"))
        ws.close()
        ops.shutdown()
        prof.close()
    return rows


if __name__ == "__main__":  # pragma: no cover
    for r in run():
        print(r)
