"""The data-changed signal says what changed (``OpChanges``): after a colleague is added to the
roster the case list and the dashboard do not reload (their data did not move) while the open cases
refresh their officer choices; after a step in one case the dashboard, the case list and that case's
workspace reload, and another open case does not."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate

from lishui_desk.edge import CaseDesk, create_profile, unit_of_work
from lishui_desk.identity import resident_id_check_char
from lishui_desk.procedure.actions import ACTIONS
from lishui_desk.services.setup import OfficerSpec, add_officer
from lishui_desk.timeutil import today_local
from tests.ui_helpers import unlocked_window
from ui.gateway.changes import OpChanges

PASS = "correct horse battery"
TOWN = "331181100"  # 龙泉市八都镇
STACKING = "331101003000"


def _party(name: str, first17: str) -> dict:
    return {"kind": "individual", "name": name, "address": "八都村1号", "id_number": first17 + resident_id_check_char(first17)}


@pytest.fixture
def two_cases(data_root, fast_kdf):
    prof = create_profile("changes", PASS, root=data_root, township_code=TOWN,
                          officer=OfficerSpec("王建", "ZJ-3311-0001", date(2030, 12, 31)), kdf_params=fast_kdf)
    with unit_of_work(prof) as uow:
        li = add_officer(uow.session, TOWN, OfficerSpec("李明", "ZJ-3311-0002", date(2030, 6, 30))).id
        leader = add_officer(uow.session, TOWN, OfficerSpec("周卫东", "ZJ-3311-0009", date(2030, 12, 31),
                                                            role="leader")).id
    me = prof.officer_id
    desk = CaseDesk(prof)
    today = today_local().isoformat()
    ids = []
    for name, first17 in (("叶建国", "33118119800101123"), ("季红", "33118119850202234")):
        cid = desk.register_lead({"lead_on": today, "source": "巡查发现", "summary": "八都村主街堆放木料",
                                  "item_code": STACKING, "violation_date": today, "party": _party(name, first17)})
        desk.perform(cid, "file_case", {"filed_on": today, "facts": "堆放木料", "item_code": STACKING,
                                        "violation_date": today, "officer_ids": [me, li], "approved_by": leader,
                                        "place": "八都村"})
        ids.append(cid)
    prof.close()
    return ids, [me, li]


@pytest.fixture
def win(qtbot, data_root, two_cases):
    yield from unlocked_window(qtbot, data_root, "changes", PASS)


def _counting(monkeypatch, obj, name: str) -> list[int]:
    """Count the calls of ``obj.name`` (the real method still runs)."""
    calls: list[int] = []
    real = getattr(obj, name)

    def wrapper(*a, **kw):
        calls.append(1)
        return real(*a, **kw)

    monkeypatch.setattr(obj, name, wrapper)
    return calls


def _settle(qtbot, ops) -> None:
    """Wait until every call submitted so far, and any it chained (a page after a count), is done:
    the worker runs calls in submission order."""
    for _ in range(3):
        done: list[bool] = []
        ops.call(lambda: True, done=done.append)
        qtbot.waitUntil(lambda d=done: bool(d), timeout=8000)


def test_pages_reload_only_when_their_data_moved(qtbot, monkeypatch, win, two_cases):
    (case_a, case_b), crew = two_cases
    work, ops = win.work, win.ops
    qtbot.waitUntil(lambda: work.cases.model.rowCount() == 2, timeout=8000)
    ws_a, ws_b = work.open_case(case_a), work.open_case(case_b)
    qtbot.waitUntil(lambda: ws_a.view is not None and ws_b.view is not None, timeout=8000)
    _settle(qtbot, ops)
    seen: list[OpChanges] = []
    ops.changed.connect(seen.append)
    list_reloads = _counting(monkeypatch, work.cases.model, "reload")
    dash_reloads = _counting(monkeypatch, work.dashboard, "reload")
    a_reloads, b_reloads = _counting(monkeypatch, ws_a, "reload"), _counting(monkeypatch, ws_b, "reload")

    # 设置 → 名册: add a colleague
    work.tabs.setCurrentWidget(work.settings)
    roster = work.settings.roster
    qtbot.waitUntil(lambda: roster.table.topLevelItemCount() == 3, timeout=5000)
    roster.name.setText("赵敏")
    roster.cert.setText("ZJ-3311-0003")
    roster.valid_until.setDate(QDate(2031, 3, 31))
    roster.add_btn.click()
    qtbot.waitUntil(lambda: roster.state.text().startswith(("✓", "✗")), timeout=5000)
    assert roster.state.text() == "✓ 已添加：赵敏（ZJ-3311-0003）"
    _settle(qtbot, ops)
    assert seen == [OpChanges(officers=True)]
    assert list_reloads == [] and dash_reloads == []  # no case moved
    # both open cases offer the new colleague in their step forms
    assert len(a_reloads) == 1 and len(b_reloads) == 1
    assert any(o["name"] == "赵敏" for o in ws_a.ctx.officers) and any(o["name"] == "赵敏" for o in ws_b.ctx.officers)

    # a step in case A: 现场检查笔录
    seen.clear()
    a_reloads.clear()
    b_reloads.clear()
    work.tabs.setCurrentWidget(ws_a)
    before = len(ws_a.view.events)
    form = ws_a.open_form("record_inspection")
    form.set_values({"place": "八都镇八都村主街", "findings": "现场堆放木料约6平方米", "officer_ids": crew})
    form.submit()
    qtbot.waitUntil(lambda: len(ws_a.view.events) > before, timeout=8000)
    _settle(qtbot, ops)
    assert seen == [OpChanges(case_ids=frozenset({case_a}))]
    assert len(a_reloads) == 1 and b_reloads == []  # the other case's tab stays as it was
    assert len(dash_reloads) == 1 and len(list_reloads) == 1
    assert ws_a.view.events[-1].type == ACTIONS["record_inspection"].event_type
    assert len(ws_b.view.events) == 2
    assert work.cases.model.rowCount() == 2  # the list was read again, both cases still there
