"""What an officer reads beside a case, on the demo profile (real SQLCipher, real Qt offscreen),
laid out around a fixed working date whose next year's holiday arrangement is not loaded:

* a refusal of the forms service (出具 the same document twice) in plain Chinese — no command
  line, no internal id — while the CLI still names the reprint command;
* the 尚缺 list and the "尚不能…" note of the blocked milestone never say the same reason twice;
* a deadline ending in the year without calendar shown as its earliest–latest range, with the
  warning in plain sight, in the 期限 tab and in the case header."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

from lishui_desk.errors import InvalidInput
from lishui_desk.timeutil import TODAY_ENV
from tests.demo_window import cases_by_stage, make_demo, open_demo, open_workspace
from tests.ui_walk import raw_identifiers, settle
from ui.app import install_translator
from ui.gateway import documents
from ui.widgets.deadlines import is_range

# 2026-12-10: the bundled calendar ends with 2026, so the demo's 90-day periods end in 2027
WORKING_DATE = "2026-12-10"
DATA = frozenset({"demo"})


@pytest.fixture(scope="module")
def dated():
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(TODAY_ENV, WORKING_DATE)
        yield


@pytest.fixture(scope="module")
def demo_root(tmp_path_factory, dated):
    return make_demo(tmp_path_factory.mktemp("side"))


@pytest.fixture
def win(qtbot, demo_root, desk_look):
    install_translator(QApplication.instance())
    w = open_demo(qtbot, demo_root, (1366, 712))
    yield w
    w.close()


def _error_box(qtbot, parent) -> QMessageBox:
    qtbot.waitUntil(lambda: any(b.isVisible() for b in parent.findChildren(QMessageBox, "errorBox")), timeout=20000)
    return next(b for b in parent.findChildren(QMessageBox, "errorBox") if b.isVisible())


def test_issuing_a_document_twice_is_refused_in_plain_chinese(qtbot, win, tmp_path):
    case_id = cases_by_stage(win)["执行"]
    ws = open_workspace(qtbot, win, case_id)
    pane = ws.documents
    ws.show_tab(pane)
    qtbot.waitUntil(lambda: pane.doc_type.findData("case_filing") >= 0 and not win.ops.busy, timeout=10000)
    pane.doc_type.setCurrentIndex(pane.doc_type.findData("case_filing"))
    pane.issue()
    qtbot.waitUntil(lambda: pane.state.text().startswith("已出具"), timeout=20000)
    number = pane.state.text().removeprefix("已出具：")
    qtbot.waitUntil(lambda: not win.ops.busy, timeout=10000)
    pane.doc_type.setCurrentIndex(pane.doc_type.findData("case_filing"))
    settle()
    # the choice now says it was issued, by its 文号, in words
    assert number and number in pane.missing.text() and "补打" in pane.missing.text(), pane.missing.text()
    pane.issue()  # the officer insists: the service refuses
    box = _error_box(qtbot, pane)
    settle()
    text = box.text() + box.informativeText()
    assert "本案已出具《立案审批表》" in text and number in text and "重印" in text, text
    assert "lishui-desk" not in text and "reprint" not in text
    assert not raw_identifiers(box, DATA), raw_identifiers(box, DATA)
    assert not raw_identifiers(pane, DATA), raw_identifiers(pane, DATA)
    box.close()
    # the terminal user still gets the command to run (the CLI prints ``cli_text``)
    qtbot.waitUntil(lambda: not win.ops.busy, timeout=10000)
    with pytest.raises(InvalidInput) as exc:
        documents.issue(win.ops.profile, case_id, "case_filing")
    assert f"lishui-desk doc reprint {number}" in exc.value.cli_text
    assert "lishui-desk" not in exc.value.message


def _waiting_lines(ws) -> list[str]:
    lab = ws.steps.box.findChild(QLabel, "waitingReason")
    return lab.text().splitlines()[1:] if lab is not None else []


def test_the_missing_list_and_the_blocked_step_say_each_reason_once(qtbot, win):
    referred = 0
    for stage, case_id in cases_by_stage(win).items():
        ws = open_workspace(qtbot, win, case_id)
        missing = [ws.missing.item(i).text() for i in range(ws.missing.count())]
        assert len(missing) == len(set(missing)), (stage, missing)
        waiting = [re.sub(r"^[✗⚠] ", "", line) for line in _waiting_lines(ws)]
        assert len(waiting) == len(set(waiting)), (stage, waiting)
        assert not set(missing) & set(waiting), (stage, missing, waiting)
        lab = ws.steps.box.findChild(QLabel, "waitingReason")
        if lab is not None and "尚缺" in lab.text():
            referred += 1
            assert missing, stage  # it points to a list that is there
        ws.close()
    assert referred, "no blocked milestone on the demo refers to the 尚缺 list"


def test_a_deadline_in_a_year_without_calendar_shows_its_range_and_the_warning(qtbot, win):
    shown = header_ranges = 0
    for stage, case_id in cases_by_stage(win).items():
        ws = open_workspace(qtbot, win, case_id)
        ranged = [d for d in ws.view.deadlines if is_range(d) and not d.done]
        pane = ws.deadlines
        ws.show_tab(pane)
        settle()
        rows = {r[0]: r for r in pane.row_texts()}
        for d in ranged:
            shown += 1
            due = rows[d.label_zh][1]
            assert d.earliest.isoformat() in due and d.latest.isoformat() in due, (stage, due)
            assert pane.warnings.isVisible()
            assert f"{d.latest.year}年节假日安排尚未载入" in pane.warnings.text()
            assert d.label_zh in pane.warnings.text()
        assert {k for k, r in rows.items() if "～" in r[1]} == {d.label_zh for d in ws.view.deadlines if is_range(d)}
        nearest = ws.view.summary.get("next_deadline")
        match = [d for d in ranged if str(d.due) == str(nearest)[:10]]
        if match:
            header = ws.header.text()
            assert f"{match[0].earliest.isoformat()}～{match[0].latest.isoformat()}" in header, header
            assert "节假日安排未载入" in header
            header_ranges += 1
        assert not raw_identifiers(ws, DATA), raw_identifiers(ws, DATA)
        ws.close()
    assert shown and header_ranges, (shown, header_ranges)


def _first_arg_text(call: ast.Call) -> str:
    if not call.args:
        return ""
    return "".join(n.value for n in ast.walk(call.args[0]) if isinstance(n, ast.Constant) and isinstance(n.value, str))


def _names_a_data_key(call: ast.Call) -> bool:
    """The message lists missing data by ``describe_missing`` (data key and settings command)."""
    return bool(call.args) and any(
        isinstance(n, ast.Call) and getattr(n.func, "attr", getattr(n.func, "id", "")) == "describe_missing"
        for n in ast.walk(call.args[0]))


def test_no_error_an_officer_can_meet_names_a_command():
    """Errors raised outside the command-line modules reach the GUI too: their message (what the
    GUI shows) names no ``lishui-desk`` command and no data key; those go in ``cli_text`` for the terminal."""
    repo = Path(__file__).resolve().parents[1]
    found = []
    for path in sorted([*repo.glob("lishui_desk/**/*.py"), *repo.glob("forms/**/*.py"), *repo.glob("sync/client/*.py")]):
        rel = path.relative_to(repo).as_posix()
        if "/cli/" in rel or rel.endswith(("cli.py", "_cmds.py")):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
                if "lishui-desk " in _first_arg_text(node.exc) or _names_a_data_key(node.exc):
                    found.append(f"{rel}:{node.lineno}")
    assert not found, found
