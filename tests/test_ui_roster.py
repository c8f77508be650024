"""设置 → 执法人员名册 through the widgets: a colleague added there is offered in a step form's
officer chooser, a retired one no longer is; the add form refuses what the roster cannot hold.
Also the time-of-day editor of 笔录 forms (QTimeEdit writing "HH:MM" into the payload)."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, QTime
from PySide6.QtWidgets import QMessageBox

from lishui_desk.edge import CaseDesk, create_profile
from lishui_desk.identity import resident_id_check_char
from lishui_desk.services.setup import OfficerSpec, add_officer
from lishui_desk.timeutil import today_local
from tests.ui_helpers import unlocked_window
from ui.widgets.editors import CheckList, TimeField

PASS = "correct horse battery"
TOWN = "331181100"  # 龙泉市八都镇
STACKING = "331101003000"


@pytest.fixture
def filed_case(data_root, fast_kdf):
    prof = create_profile("roster", PASS, root=data_root, township_code=TOWN,
                          officer=OfficerSpec("王建", "ZJ-3311-0001", date(2030, 12, 31)), kdf_params=fast_kdf)
    with prof.session() as s:
        li = add_officer(s, TOWN, OfficerSpec("李明", "ZJ-3311-0002", date(2030, 6, 30)))
        leader = add_officer(s, TOWN, OfficerSpec("周卫东", "ZJ-3311-0009", date(2030, 12, 31), role="leader"))
        ids = {"me": prof.officer_id, "li": li.id, "leader": leader.id}
    svc = CaseDesk(prof)
    today = today_local().isoformat()
    first17 = "33118119800101123"
    cid = svc.register_lead({"lead_on": today, "source": "巡查发现", "summary": "八都村主街堆放木料",
                             "item_code": STACKING, "violation_date": today,
                             "party": {"kind": "individual", "name": "叶建国", "address": "八都村1号",
                                       "id_number": first17 + resident_id_check_char(first17)}})
    svc.perform(cid, "file_case", {"filed_on": today, "facts": "堆放木料", "item_code": STACKING,
                                   "violation_date": today, "officer_ids": [ids["me"], ids["li"]],
                                   "approved_by": ids["leader"], "place": "八都村"})
    prof.close()
    return cid, ids


@pytest.fixture
def win(qtbot, data_root, filed_case):
    yield from unlocked_window(qtbot, data_root, "roster", PASS)


def _chooser_labels(form) -> list[str]:
    chooser = form.editors["officer_ids"]
    assert isinstance(chooser, CheckList)
    return [chooser.item(i).text() for i in range(chooser.count())]


def _roster_row(roster, name: str) -> int:
    return next((i for i in range(roster.table.topLevelItemCount())
                 if roster.table.topLevelItem(i).text(0).startswith(name)), -1)


def test_added_colleague_is_offered_in_step_forms_and_retiring_removes_them(qtbot, win, filed_case):
    case_id, _ids = filed_case
    work = win.work
    ws = work.open_case(case_id)
    qtbot.waitUntil(lambda: ws.view is not None, timeout=8000)
    form = ws.open_form("record_inspection")
    assert not any("赵敏" in label for label in _chooser_labels(form))
    form.reject()

    work.tabs.setCurrentWidget(work.settings)  # the roster loads when 设置 is first opened
    roster = work.settings.roster
    qtbot.waitUntil(lambda: roster.table.topLevelItemCount() == 3, timeout=5000)
    me = _roster_row(roster, "王建")
    assert roster.table.topLevelItem(me).text(0) == "王建（本人）"
    assert roster.table.topLevelItem(_roster_row(roster, "周卫东")).text(3) == "负责人"

    # refused before anything is saved: duplicate 执法证号, expired certificate, no name
    roster.name.setText("赵敏")
    roster.cert.setText("zj-3311-0002")
    roster.valid_until.setDate(QDate(2031, 3, 31))
    roster.add_btn.click()
    assert "已登记" in roster.state.text()
    roster.cert.setText("ZJ-3311-0003")
    roster.valid_until.setDate(QDate(*today_local().timetuple()[:3]).addDays(-1))
    roster.add_btn.click()
    assert "过期" in roster.state.text() and "第二十八条" in roster.state.text()
    roster.name.setText("")
    roster.valid_until.setDate(QDate(2031, 3, 31))
    roster.add_btn.click()
    assert "请填写姓名" in roster.state.text()
    assert roster.table.topLevelItemCount() == 3

    roster.name.setText("赵敏")
    roster.role.setCurrentIndex(roster.role.findData("reviewer"))
    roster.legal.setChecked(True)
    roster.reviewer_since.setDate(QDate(2019, 3, 1))  # 《行政处罚法》第五十八条第二款: not 初次从事
    roster.add_btn.click()
    qtbot.waitUntil(lambda: roster.state.text().startswith(("✓", "✗")), timeout=5000)
    assert roster.state.text() == "✓ 已添加：赵敏（ZJ-3311-0003）"
    qtbot.waitUntil(lambda: _roster_row(roster, "赵敏") >= 0, timeout=5000)
    row = roster.table.topLevelItem(_roster_row(roster, "赵敏"))
    assert [row.text(c) for c in range(1, 6)] == ["ZJ-3311-0003", "2031-03-31", "法制审核", "有", "在职"]
    assert roster.name.text() == ""  # the form is ready for the next colleague

    # the open case reloads (one data-changed signal): the step form offers the new colleague
    qtbot.waitUntil(lambda: any(o["name"] == "赵敏" for o in ws.ctx.officers), timeout=5000)
    assert next(o for o in ws.ctx.officers if o["name"] == "赵敏")["reviewer_since"] == date(2019, 3, 1)
    assert roster._reviewer_since() is None  # cleared for the next colleague
    form = ws.open_form("record_inspection")
    assert "赵敏（ZJ-3311-0003）" in _chooser_labels(form)
    form.reject()

    # one cannot retire oneself
    roster.table.setCurrentItem(roster.table.topLevelItem(_roster_row(roster, "王建")))
    assert not roster.retire_btn.isEnabled()
    # retire 赵敏: confirm in the (window-modal) question box
    roster.table.setCurrentItem(roster.table.topLevelItem(_roster_row(roster, "赵敏")))
    assert roster.retire_btn.isEnabled()
    roster.retire_btn.click()
    box = roster.findChild(QMessageBox, "retireConfirm")
    assert box is not None and "赵敏" in box.text()
    box.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: roster.state.text().startswith("已停用"), timeout=5000)
    qtbot.waitUntil(lambda: _roster_row(roster, "赵敏") < 0, timeout=5000)  # hidden unless asked for
    roster.show_inactive.setChecked(True)
    assert roster.table.topLevelItem(_roster_row(roster, "赵敏")).text(5) == "已停用"
    qtbot.waitUntil(lambda: not any(o["name"] == "赵敏" for o in ws.ctx.officers), timeout=5000)
    form = ws.open_form("record_inspection")
    labels = _chooser_labels(form)
    assert not any("赵敏" in label for label in labels)
    assert "李明（ZJ-3311-0002）" in labels
    form.reject()


def test_record_times_are_edited_as_hh_mm_and_checked_by_the_engine(qtbot, win, filed_case):
    case_id, ids = filed_case
    ws = win.work.open_case(case_id)
    qtbot.waitUntil(lambda: ws.view is not None, timeout=8000)
    form = ws.open_form("record_inspection")
    start, end = form.editors["start_time"], form.editors["end_time"]
    assert isinstance(start, TimeField) and isinstance(end, TimeField)
    form.set_values({"place": "八都镇八都村主街", "findings": "现场堆放木料约6平方米",
                     "officer_ids": [ids["me"], ids["li"]]})
    assert "start_time" not in form.payload()  # optional: left out until ticked
    start.use.setChecked(True)
    start.edit.setTime(QTime(10, 30))
    form.set_values({"end_time": "09:15"})  # a restored draft fills it the same way
    assert end.use.isChecked() and end.value() == "09:15"
    assert (form.payload()["start_time"], form.payload()["end_time"]) == ("10:30", "09:15")
    form.submit()
    qtbot.waitUntil(lambda: form.violations.count() > 0, timeout=5000)
    assert any("应晚于开始时间" in t for t in form.violations.texts())
    end.edit.setTime(QTime(11, 5))
    before = len(ws.view.events)
    form.submit()
    qtbot.waitUntil(lambda: ws.view is not None and len(ws.view.events) > before, timeout=8000)
    last = ws.view.events[-1]
    assert (last.payload["start_time"], last.payload["end_time"]) == ("10:30", "11:05")
