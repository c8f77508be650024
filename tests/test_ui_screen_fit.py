"""Every page, case tab and step form works on the screen officers have: a 1366x768 laptop
(1366x712 above the taskbar) and the same at 125 % scaling (1093x570 logical pixels). Nothing
scrolls sideways, every button can be reached (vertical scrolling is fine), the window is not
forced taller or wider than the screen."""

from __future__ import annotations

import pytest

from tests.demo_window import cases_by_stage, make_demo, open_demo, open_workspace
from tests.ui_walk import fit_problems, settle
from ui.gateway import cases

SIZES = [(1366, 712), (1093, 570)]
# one case per kind of workspace: before 立案, investigating, around the decision, after it
STAGES = ("线索", "调查取证", "告知", "陈述申辩/听证", "执行", "归档")


@pytest.fixture(scope="module")
def demo_root(tmp_path_factory):
    return make_demo(tmp_path_factory.mktemp("fit"))


@pytest.fixture(params=SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def win(request, qtbot, demo_root, desk_look):
    w = open_demo(qtbot, demo_root, request.param)
    w.target_size = request.param
    yield w
    w.close()


def _check(win, where: str, problems: list[str], found: list[str]) -> None:
    size = win.size().toTuple()
    if size != win.target_size:
        found.append(f"{where}: window forced to {size}")
    found.extend(f"{where}: {p}" for p in problems)


def test_every_page_and_case_tab_fits(qtbot, win):
    work = win.work
    found: list[str] = []
    for page in (work.dashboard, work.cases, work.catalog, work.documents, work.settings):
        work.tabs.setCurrentWidget(page)
        qtbot.waitUntil(lambda: not win.ops.busy, timeout=10000)
        settle()
        _check(win, page.objectName(), fit_problems(win), found)
        if page is work.settings:
            for i in range(page.sections.count()):
                page.sections.setCurrentIndex(i)
                settle()
                _check(win, f"设置/{page.sections.tabText(i)}", fit_problems(win), found)
    stages = cases_by_stage(win)
    assert set(STAGES) <= set(stages), stages
    for stage in STAGES:
        ws = open_workspace(qtbot, win, stages[stage])
        for i in range(ws.tabs.count()):
            ws.tabs.setCurrentIndex(i)
            qtbot.waitUntil(lambda: not win.ops.busy, timeout=10000)
            settle()
            _check(win, f"{stage}/{ws.tabs.tabText(i)}", fit_problems(win), found)
        toggle = ws.steps.later_toggle()
        if toggle is not None:  # the collapsed 暂不可办理 steps, opened
            toggle.setChecked(True)
            settle()
            _check(win, f"{stage}/暂不可办理", fit_problems(win), found)
    assert not found, "\n".join(found[:20])


def test_every_step_form_fits(qtbot, win):
    stages = cases_by_stage(win)
    ws = open_workspace(qtbot, win, stages["告知"])
    found: list[str] = []
    for action in cases.actions():
        form = ws.open_form(action)
        settle()
        w, h = form.size().toTuple()
        if w > win.width() or h > win.height():
            found.append(f"{action}: form {w}x{h} larger than the window {win.width()}x{win.height()}")
        found.extend(f"{action}: {p}" for p in fit_problems(form))
        form.reject()
    lead = win.work._open_lead(ws.ctx, {})
    settle()
    found.extend(f"register_lead (new): {p}" for p in fit_problems(lead))
    lead.reject()
    assert not found, "\n".join(found[:20])
