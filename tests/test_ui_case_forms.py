"""Forms that know the case and a 下一步 panel that leads with the step the case needs, on the demo
profile: prefilled fields, only the item's 处罚种类, approvers defaulting to a leader, no refusal
listed before the first 提交, 裁量理由 following the amount, no sample 裁量基准 source written."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QAbstractItemModelTester

from lishui_desk.discretion import yuan
from tests.demo_window import cases_by_stage, make_demo, open_demo, open_workspace
from tests.ui_walk import settle
from ui.gateway import cases
from ui.models.timeline import TimelineModel


@pytest.fixture(scope="module")
def demo_root(tmp_path_factory):
    return make_demo(tmp_path_factory.mktemp("forms"))


@pytest.fixture
def win(qtbot, demo_root, desk_look):
    w = open_demo(qtbot, demo_root, (1366, 712))
    yield w
    w.close()


def _officer_names(ws) -> dict[str, dict]:
    return {o["id"]: o for o in ws.ctx.officers}


def test_file_case_is_recommended_first_and_knows_the_lead(qtbot, win):
    ws = open_workspace(qtbot, win, cases_by_stage(win)["线索"])
    assert ws.steps.recommended[:1] == ["file_case"]
    btn = ws.step_buttons()["file_case"]
    assert btn.property("role") == "recommended" and btn.property("allowed") is True
    # officers are chosen inside the 立案 form: no "尚未指定执法人员" beside its button
    assert "执法人员" not in "".join(lab.text() for lab in ws.steps.box.findChildren(type(ws.header))
                                   if lab.objectName() == "stepReason")
    form = ws.open_form("file_case")
    settle()
    state = ws.view.state
    assert form.editors["place"].text() == (state.place or state.lead.payload.get("place") or "")
    assert form.editors["discovered_date"].date().toPython() == (state.discovered_date or state.lead_on)
    assert form.editors["facts"].toPlainText()  # the lead's summary, editable
    # 案件编号 is numbered by the desk: not marked required
    assert form._label(next(f for f in form.spec.fields if f.name == "case_number")).endswith("案件编号")
    # the approver defaults to a leader, not to an auxiliary
    approver = form.editors["approved_by"].value()
    assert _officer_names(ws)[approver]["role"] == "leader"
    # nothing red before the officer tries to submit, even after the background check ran
    form.run_check()
    qtbot.waitUntil(lambda: not win.ops.busy, timeout=5000)
    assert form.violations.count() == 0 and not form.violations.isVisible()
    form.editors["officer_ids"].set_value([])
    form.submit()
    qtbot.waitUntil(lambda: form.violations.count() > 0, timeout=8000)
    assert any("第四十二条" in t for t in form.violations.texts())
    assert not any("officers." in t for t in form.violations.texts())  # rule ids only in tool tips
    form.reject()


def test_decision_form_prefilled_from_the_notice_with_reasoning_in_step(qtbot, win):
    ws = open_workspace(qtbot, win, cases_by_stage(win)["告知"])
    # 作出决定 is not possible while the statement period runs: its reason is shown up front, once
    # (in 尚缺, which the note of the blocked step points to)
    waiting = ws.steps.box.findChild(type(ws.header), "waitingReason")
    assert waiting is not None and "作出决定" in waiting.text()
    missing = [ws.missing.item(i).text() for i in range(ws.missing.count())]
    reason = [t for t in missing if "陈述申辩期间" in t]
    assert len(reason) == 1 and ("陈述申辩期间" in waiting.text()) != ("尚缺" in waiting.text()), (waiting.text(), missing)
    form = ws.open_form("decide")
    settle()
    notice = ws.view.state.notices[-1].payload
    assert form.editors["facts"].toPlainText() == notice["facts"]
    assert form.editors["basis"].toPlainText() == notice["basis"]
    assert "行政复议" in form.editors["remedies"].toPlainText()
    assert form.editors["agency"].text().endswith("人民政府")
    assert form.editors["evidence_summary"].toPlainText()
    # only the 处罚种类 the item's 处罚依据 provides are offered
    item_kinds = set(ws.ctx.item_seed.penalty_kinds)
    assert set(form.editors["kinds"].keys()) == item_kinds
    assert _officer_names(ws)[form.editors["approved_by"].value()]["role"] == "leader"
    # 采用建议金额 writes the reasoning; editing the amount keeps the reasoning's amount in step
    form.editors["kinds"].set_value(["罚款"])
    form._use_suggestion()
    reasoning = form.editors["reasoning"]
    assert f"决定罚款人民币{yuan(Decimal(form.editors['amount'].text()))}。" in reasoning.toPlainText()
    assert "示例" not in reasoning.toPlainText()  # a sample 裁量基准 is not cited on a document
    form.editors["amount"].setText("230")
    assert "决定罚款人民币230元" in reasoning.toPlainText()
    assert "建议罚款" not in reasoning.toPlainText()
    # once edited by hand the reasoning is the officer's
    reasoning.setPlainText("当事人主动改正，从轻处罚。")
    form.editors["amount"].setText("240")
    assert reasoning.toPlainText() == "当事人主动改正，从轻处罚。"
    form.reject()


def test_header_names_a_running_deadline_in_every_open_case(qtbot, win):
    for stage, case_id in cases_by_stage(win).items():
        ws = open_workspace(qtbot, win, case_id)
        running = [d for d in ws.view.deadlines if not d.done]
        if running:
            assert "下一期限：无" not in ws.header.text(), stage
        win.work._close_tab(win.work.tabs.indexOf(ws))


def test_timeline_model_passes_the_model_tester_and_names_every_record(qtbot, win):
    ws = open_workspace(qtbot, win, cases_by_stage(win)["执行"])
    model = TimelineModel()
    tester = QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    broken = {ws.view.events[1].id}
    model.set_events(ws.view.events, ws.view.officer_names, broken)
    assert tester is not None and model.rowCount() == len(ws.view.events)
    labels = [model.data(model.index(r, 2)) for r in range(model.rowCount())]
    assert all(lab and lab.isascii() is False for lab in labels)
    assert model.data(model.index(1, 5)) == "✗ 哈希不符"
    assert model.data(model.index(1, 5), Qt.ItemDataRole.ForegroundRole) is not None
    assert model.data(model.index(0, 0), Qt.ItemDataRole.UserRole) == ws.view.events[0].id
    model.set_events([], {}, set())
    assert model.rowCount() == 0
    assert cases.event_label("lead.registered") == "登记线索"


def test_service_form_shows_the_fields_of_the_chosen_method_only(qtbot, win):
    ws = open_workspace(qtbot, win, cases_by_stage(win)["告知"])
    form = ws.open_form("serve_notice")
    settle()
    tracking = form.editors["tracking_no"]
    form.set_values({"method": "直接送达", "tracking_no": "XA123456789CN"})
    assert form.editors["receiver"].text()  # the party, prefilled as the one who signs
    assert not tracking.isVisibleTo(form) and "tracking_no" not in form.payload()
    form.set_values({"method": "邮寄送达"})
    assert tracking.isVisibleTo(form) and form.payload()["tracking_no"] == "XA123456789CN"
    assert not form.editors["receiver"].isVisibleTo(form) and "receiver" not in form.payload()
    form.reject()
