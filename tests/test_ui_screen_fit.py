"""Every page, case tab and step form works on the screen officers have: a 1366x768 laptop
(1366x712 above the taskbar) and the same at 125 % scaling (1093x570 logical pixels). Nothing
scrolls sideways, every button can be reached (vertical scrolling is fine), the window is not
forced taller or wider than the screen.

The 125 % case is tested twice: in process at 1093x570 logical pixels, and for real in a child
process where Qt scales by 1.25 (``QT_SCALE_FACTOR``) on a 1366x712 offscreen screen, so fonts,
icons and style-sheet sizes are those of a scaled desktop and the window is 1366x712 device
pixels. The child runs this module again, with the screen's logical size as the only size."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.demo_window import cases_by_stage, make_demo, open_demo, open_workspace
from tests.ui_walk import fit_problems, settle
from ui.gateway import cases

SCREEN = (1366, 712)  # a 1366x768 laptop above the taskbar, in device pixels
SCALE = float(os.environ.get("QT_SCALE_FACTOR") or 1)
SIZES = [(1366, 712), (1093, 570)] if SCALE == 1 else [(round(SCREEN[0] / SCALE), round(SCREEN[1] / SCALE))]
# one case per kind of workspace: before 立案, investigating, around the decision, after it
STAGES = ("线索", "调查取证", "告知", "陈述申辩/听证", "执行", "归档")


@pytest.fixture(scope="module")
def demo_root(tmp_path_factory):
    return make_demo(tmp_path_factory.mktemp("fit"))


@pytest.fixture(params=SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def win(request, qtbot, demo_root, desk_look):
    w = open_demo(qtbot, demo_root, request.param)
    w.target_size = request.param
    if SCALE != 1:  # the child process: really scaled, the window filling the screen
        assert w.devicePixelRatioF() == pytest.approx(SCALE)
        assert round(w.width() * SCALE) == SCREEN[0] and round(w.height() * SCALE) == SCREEN[1]
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
    for page in (work.dashboard, work.cases, work.catalog, work.documents, work.sync, work.settings):
        work.tabs.setCurrentWidget(page)
        qtbot.waitUntil(lambda: not win.ops.busy, timeout=10000)
        settle()
        _check(win, page.objectName(), fit_problems(win), found)
        if page is work.sync:  # the other list tab, and a job running (progress bar and 取消 shown)
            page.lists.setCurrentIndex(1)
            page.busy_box.setVisible(True)
            page.activity.setText("正在与县级平台同步…")
            settle()
            _check(win, "同步/隔离条目·同步中", fit_problems(win), found)
            page.busy_box.setVisible(False)
            page.lists.setCurrentIndex(0)
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


if SCALE == 1:
    def test_every_page_case_tab_and_step_form_fits_at_125_percent_on_a_1366x712_screen(tmp_path):
        """This module again in a child process scaled by Qt (1.25) on a 1366x712 screen."""
        screen = tmp_path / "screen.json"
        screen.write_text(json.dumps({"screens": [{"name": "laptop", "x": 0, "y": 0, "width": SCREEN[0],
                                                   "height": SCREEN[1], "logicalDpi": 96, "logicalBaseDpi": 96,
                                                   "dpr": 1}]}))
        env = dict(os.environ, QT_SCALE_FACTOR="1.25", QT_QPA_PLATFORM=f"offscreen:configfile={screen}")
        repo = Path(__file__).resolve().parents[1]
        out = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-x",
                              str(Path(__file__).resolve())], cwd=repo, env=env, capture_output=True, text=True,
                             timeout=900)
        tail = (out.stdout + out.stderr)[-3000:]
        assert out.returncode == 0, tail
        assert "2 passed" in out.stdout, tail  # both walks ran scaled, at the one size
