"""ops.py worker layer and the lazy case-list model (QAbstractItemModelTester)."""

from __future__ import annotations

import itertools
import threading
import time
from datetime import date, timedelta

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtTest import QAbstractItemModelTester

from lishui_desk.errors import InvalidInput
from lishui_desk.timeutil import today_local
from ui.models.case_table import PAGE, CaseSource, CaseTableModel
from ui.ops import Ops
from ui.pages.case_list import CaseListPage


@pytest.fixture
def ops(qtbot):
    o = Ops()
    o.profile = object()  # stands in for an unlocked profile; the fake sources ignore it
    yield o
    o.profile = None
    o.shutdown()


class ListSource(CaseSource):
    """A case source over a Python list, filtering like the query service would (text/overdue)."""

    def __init__(self, n: int, today: date) -> None:
        self.calls: list[str] = []
        self.today = today
        self.threads: set[str] = set()
        self.data = [
            (f"id{i}", f"龙八综罚〔2025〕{i}号", f"当事人{i}", "占道经营" if i % 2 else "乱倒垃圾", "立案",
             today + timedelta(days=(i % 7) - 3), "告知期限", "张三、李四")
            for i in range(n)
        ]

    def _rows(self, flt: dict) -> list[tuple]:
        rows = self.data
        if flt.get("text"):
            rows = [r for r in rows if flt["text"] in r[1] or flt["text"] in r[2] or flt["text"] in r[3]]
        if flt.get("overdue"):
            rows = [r for r in rows if r[5] < self.today]
        return rows

    def count(self, profile, flt):
        self.threads.add(threading.current_thread().name)
        self.calls.append("count")
        return len(self._rows(flt))

    def page(self, profile, flt, offset, limit):
        self.calls.append(f"page{offset}")
        return self._rows(flt)[offset : offset + limit]


def test_call_runs_off_the_gui_thread_and_returns_plain_data(qtbot, ops):
    got = []
    ops.call(lambda: threading.current_thread() is threading.main_thread(), done=got.append)
    qtbot.waitUntil(lambda: bool(got), timeout=3000)
    assert got == [False]


def test_failure_reaches_the_fail_callback_and_mutating_success_emits_changed(qtbot, ops):
    errors = []

    def boom():
        raise InvalidInput("身份证号码校验位错误")

    ops.call(boom, fail=errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=3000)
    assert errors[0].message == "身份证号码校验位错误"
    with qtbot.waitSignal(ops.changed, timeout=3000):
        ops.call(lambda: 1, mutating=True)


def test_slow_op_does_not_block_the_event_loop(qtbot, ops):
    ticks = []
    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start()
    done = []
    ops.call(time.sleep, 0.6, done=done.append)
    start = time.monotonic()
    qtbot.waitUntil(lambda: bool(done), timeout=5000)
    timer.stop()
    during = [t for t in ticks if t >= start]
    # the GUI thread kept serving its timer while the worker slept
    assert len(during) >= 10
    gaps = [b - a for a, b in itertools.pairwise(during)]
    assert max(gaps) < 0.3


def test_model_loads_lazily_and_passes_the_model_tester(qtbot, ops):
    today = date(2025, 6, 2)
    src = ListSource(1000, today)
    model = CaseTableModel(ops, src, today=lambda: today)
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    with qtbot.waitSignal(model.loaded, timeout=3000):
        model.set_filter({})
    assert model.total == 1000
    assert model.rowCount() == PAGE  # only the first page is held
    assert model.canFetchMore()
    with qtbot.waitSignal(model.loaded, timeout=3000):
        model.fetchMore()
    assert model.rowCount() == 2 * PAGE
    assert model.headerData(0, __import__("PySide6.QtCore").QtCore.Qt.Orientation.Horizontal) == "案件编号"
    assert model.data(model.index(5, 0)) == "龙八综罚〔2025〕5号"
    assert "告知期限" in model.data(model.index(5, 4))
    assert src.threads and "MainThread" not in src.threads


def test_new_filter_drops_pages_of_the_old_one(qtbot, ops):
    today = date(2025, 6, 2)
    src = ListSource(1000, today)
    model = CaseTableModel(ops, src, today=lambda: today)
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    model.set_filter({})
    with qtbot.waitSignal(model.loaded, timeout=3000):
        model.set_filter({"text": "当事人99"})  # 99, 990..999
    qtbot.wait(50)
    assert model.total == 11
    assert {model.data(model.index(r, 1)) for r in range(model.rowCount())} >= {"当事人99", "当事人995"}
    assert model.rowCount() == 11


def test_list_page_filters_show_counts_and_open_cases(qtbot, ops):
    today = today_local()
    src = ListSource(500, today)
    page = CaseListPage(ops, src)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.model.loaded, timeout=3000):
        page.apply_filter()
    assert "共 500 件" in page.count_label.text()
    with qtbot.waitSignal(page.model.loaded, timeout=3000):
        page.overdue.setChecked(True)
    assert page.model.total == sum(1 for r in src.data if r[5] < today)
    with qtbot.waitSignal(page.open_case, timeout=2000) as sig:
        page.table.doubleClicked.emit(page.model.index(0, 0))
    assert sig.args == [page.model.case_id(0)]
