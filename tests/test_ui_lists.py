"""Lists that read, on the demo profile at 1366x712: whole case numbers on the 工作台, columns sized to
their content, a catalog search without hits says so and clears the previous item's detail."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QTreeWidget

from tests.demo_window import make_demo, open_demo
from tests.ui_walk import settle


@pytest.fixture(scope="module")
def demo_root(tmp_path_factory):
    return make_demo(tmp_path_factory.mktemp("lists"))


@pytest.fixture
def win(qtbot, demo_root, desk_look):
    w = open_demo(qtbot, demo_root, (1366, 712))
    yield w
    w.close()


def _cut(tree: QTreeWidget, col: int) -> list[str]:
    """Texts of a column wider than the column (shown elided)."""
    fm = tree.fontMetrics()
    width = tree.header().sectionSize(col)
    return [tree.topLevelItem(i).text(col) for i in range(tree.topLevelItemCount())
            if fm.horizontalAdvance(tree.topLevelItem(i).text(col)) + 6 > width]  # cell margins


@pytest.mark.parametrize("size", [(1366, 712), (1093, 570)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_dashboard_shows_whole_case_numbers_and_dates(qtbot, win, size):
    win.resize(*size)
    dash = win.work.dashboard
    qtbot.waitUntil(lambda: dash.due_soon.topLevelItemCount() > 0 and not win.ops.busy, timeout=10000)
    settle()
    for tree in (dash.overdue, dash.due_soon, dash.review, dash.disclosure):
        assert not _cut(tree, 0), (tree.objectName(), _cut(tree, 0))  # 第10号 … 第13号 tell apart
        fm = tree.fontMetrics()
        for i in range(tree.topLevelItemCount()):  # the due date, leading the deadline, is whole
            assert fm.horizontalAdvance(tree.topLevelItem(i).text(2)[:10]) + 6 <= tree.header().sectionSize(2)
        bar = tree.horizontalScrollBar()
        assert bar.maximum() == 0, tree.objectName()  # nothing to scroll sideways for


def test_catalog_search_without_hits_says_so_and_clears_the_detail(qtbot, win):
    work = win.work
    work.tabs.setCurrentWidget(work.catalog)
    cat = work.catalog
    cat.search.setText("焚烧")
    cat.run_search()
    qtbot.waitUntil(lambda: cat.current is not None and not win.ops.busy, timeout=10000)
    assert cat.lead_btn.isEnabled() and cat.lead_btn.text().startswith("以此事项登记线索")
    assert cat.detail.toPlainText()
    cat.search.setText("占道")
    cat.run_search()
    qtbot.waitUntil(lambda: cat.empty.isVisible() and not win.ops.busy, timeout=10000)
    assert cat.model.rowCount() == 0 and cat.codes() == []
    assert "没有与“占道”匹配的事项" in cat.empty.text()
    assert cat.current is None and not cat.lead_btn.isEnabled() and not cat.detail.toPlainText()


def test_documents_page_columns_fit_their_content(qtbot, win):
    work = win.work
    work.tabs.setCurrentWidget(work.documents)
    page = work.documents
    qtbot.waitUntil(lambda: not win.ops.busy, timeout=10000)
    assert "尚未出具" in page.state.text()  # the demo issues none: the page says where they come from
    header = page.list.header()
    total = sum(header.sectionSize(c) for c in range(header.count()))
    assert total >= page.list.viewport().width() - 2  # no column squeezed beside empty space
