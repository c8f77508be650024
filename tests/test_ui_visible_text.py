"""No raw identifier in front of an officer: every widget of every page, case tab, step form and
dialog on the demo profile is walked for visible text, which must hold no UUID, no ASCII
identifier (event types, document keys, rule ids such as ``officers.two_certified``), no hash
algorithm name and no English word (Qt's own buttons included: qtbase_zh_CN is loaded). Tool
tips and the support details (font files, versions) may carry them."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from lishui_desk.errors import RuleViolation
from lishui_desk.procedure.types import Violation
from tests.demo_window import cases_by_stage, make_demo, open_demo, open_workspace
from tests.ui_walk import raw_identifiers, settle
from ui.app import install_translator
from ui.dialogs.first_run import FirstRunDialog
from ui.gateway import cases
from ui.widgets import show_error

DATA = frozenset({"demo"})  # the profile's name, typed by the officer


@pytest.fixture(scope="module")
def demo_root(tmp_path_factory):
    return make_demo(tmp_path_factory.mktemp("text"))


@pytest.fixture
def win(qtbot, demo_root, desk_look):
    install_translator(QApplication.instance())  # as ui.app.make_app does (the app's and Qt's strings)
    w = open_demo(qtbot, demo_root, (1366, 712))
    yield w
    w.close()


def test_the_walker_sees_what_it_must_refuse(qtbot):
    """The check itself: each kind of raw identifier the issue reported is caught."""
    from PySide6.QtWidgets import QLabel, QWidget

    w = QWidget()
    qtbot.addWidget(w)
    for text in ("document.issued", "penalty_notice", "尚缺：本案已出具该文书（c8bed175-1f2a-4c3b）",
                 "规则 officers.two_certified", "payload.required", "(lead.filing_time)", "证据（SHA-256）", "OK"):
        QLabel(text, w)
    found = raw_identifiers(w)
    assert len(found) == 8, found


def test_no_raw_identifier_on_any_page_case_tab_or_dialog(qtbot, win):
    work = win.work
    found: list[str] = []
    found += [f"解锁后窗口: {x}" for x in raw_identifiers(win, DATA)]
    for page in (work.dashboard, work.cases, work.catalog, work.documents, work.sync, work.settings):
        work.tabs.setCurrentWidget(page)
        qtbot.waitUntil(lambda: not win.ops.busy, timeout=10000)
        if page is work.catalog:
            qtbot.waitUntil(lambda: work.catalog.model.rowCount() > 0, timeout=5000)
            work.catalog.select_code(work.catalog.codes()[0])
            qtbot.waitUntil(lambda: work.catalog.current is not None, timeout=5000)
        if page is work.settings:
            for i in range(page.sections.count()):
                page.sections.setCurrentIndex(i)
                qtbot.waitUntil(lambda: not win.ops.busy, timeout=10000)
                found += [f"设置/{page.sections.tabText(i)}: {x}" for x in raw_identifiers(page, DATA)]
        found += [f"{page.objectName()}: {x}" for x in raw_identifiers(page, DATA)]
    for stage, case_id in cases_by_stage(win).items():
        ws = open_workspace(qtbot, win, case_id)
        toggle = ws.steps.later_toggle()
        if toggle is not None:
            toggle.setChecked(True)
        for i in range(ws.tabs.count()):
            ws.tabs.setCurrentIndex(i)
            qtbot.waitUntil(lambda: not win.ops.busy, timeout=10000)
            settle()
            qtbot.waitUntil(lambda: not win.ops.busy, timeout=10000)
            found += [f"{stage}/{ws.tabs.tabText(i)}: {x}" for x in raw_identifiers(ws, DATA)]
    ws = open_workspace(qtbot, win, cases_by_stage(win)["告知"])
    for action in cases.actions():
        form = ws.open_form(action)
        settle()
        found += [f"{action}: {x}" for x in raw_identifiers(form, DATA)]
        form.reject()
    # a refusal as the officer sees it, in the error box (Qt's own button text included)
    box = show_error(win, RuleViolation([Violation("officers.two_certified", "缺少第二名执法人员",
                                                   "《中华人民共和国行政处罚法》第四十二条", "block")]))
    settle()
    found += [f"errorBox: {x}" for x in raw_identifiers(box, DATA)]
    assert "officers.two_certified" in box.detailedText()  # for support, behind 显示详细信息
    assert box.button(QMessageBox.StandardButton.Ok) is None or box.button(QMessageBox.StandardButton.Ok).text() != "OK"
    box.close()
    first = FirstRunDialog(win.ops, None, parent=win)
    first.show()
    settle()
    # the profile name is typed in letters or digits; its placeholder shows one (pinyin)
    found += [f"firstRun: {x}" for x in raw_identifiers(first, frozenset({"badu", "zhang"}))]
    first.close()
    assert not found, "\n".join(found[:25])
