"""The 文书 page and 事项目录 lists as Qt item models, each under ``QAbstractItemModelTester``
(every structural rule Qt's views rely on, checked at each reset), filled from real service rows of
the demo profile, and showing what the officer reads in each column. A tester message ("FAIL! …")
fails the test through pytest-qt ("Qt modeltester errors"), whatever the assertions say."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtTest import QAbstractItemModelTester

from lishui_desk.edge import read
from lishui_desk.services.demo import DEMO_PASSPHRASE
from lishui_desk.storage.profile import open_profile
from tests.demo_window import make_demo
from ui.gateway import cases as case_gateway
from ui.gateway import catalog as catalog_gateway
from ui.gateway import documents as doc_gateway
from ui.models.catalog_table import CatalogTableModel
from ui.models.documents_table import DocumentsTableModel
from ui.models.rows import CASE_ROLE, KEY_ROLE
from ui.models.timeline import TimelineModel


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    root = make_demo(tmp_path_factory.mktemp("models"))
    prof = open_profile("demo", DEMO_PASSPHRASE, root=root)
    yield prof
    prof.close()


def _tested(model, qtlog):
    """The tester stays attached while the test fills and resets the model."""
    return QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Warning)


def _failures(qtlog) -> list[str]:
    return [r.message for r in qtlog.records if "FAIL" in r.message or "QAbstractItemModelTester" in r.message]


def _column(model, col: int) -> list[str]:
    return [model.data(model.index(r, col)) for r in range(model.rowCount())]


def test_catalog_model_rows_follow_each_search(qtlog, demo):
    model = CatalogTableModel()
    tester = _tested(model, qtlog)
    rows = catalog_gateway.search(demo, "", None)
    assert len(rows) > 20
    model.set_items(rows)
    assert model.rowCount() == len(rows) and model.columnCount() == 4
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(4)] == ["事项", "领域", "罚款幅度", "代码"]
    assert _column(model, 3) == [r.code for r in rows]
    assert [model.data(model.index(i, 0), KEY_ROLE) for i in range(len(rows))] == [r.code for r in rows]
    waivable = next(i for i, r in enumerate(rows) if r.first_offence_waivable)
    assert model.data(model.index(waivable, 0)).endswith("（可首违不罚）")
    assert model.data(model.index(waivable, 0), Qt.ItemDataRole.ToolTipRole) == rows[waivable].name
    fewer = catalog_gateway.search(demo, "焚烧", None)
    assert 0 < len(fewer) < len(rows)
    model.set_items(fewer)
    assert model.rowCount() == len(fewer) and all("焚烧" in t for t in _column(model, 0))
    assert model.row_of(fewer[-1].code) == len(fewer) - 1
    model.set_items([])
    assert model.rowCount() == 0 and model.data(model.index(0, 0)) is None
    assert model.rowCount(model.index(0, 0)) == 0 and model.columnCount(QModelIndex()) == 4
    del tester
    assert not _failures(qtlog), _failures(qtlog)


def test_documents_model_lists_issued_documents_with_their_case(qtlog, demo):
    from forms import service as docs_service
    from lishui_desk.edge import run

    cases = [r[0] for r in case_gateway.list_cases(demo, {}, 0, 100)]
    issued = []
    for cid in cases:  # one 立案审批表 per filed case, as an officer would issue them
        choices = {c.doc_type: c for c in doc_gateway.available(demo, cid)}
        if "case_filing" in choices and choices["case_filing"].ready:
            issued.append(run(demo, docs_service.issue_document, cid, "case_filing", actor_id=demo.officer_id))
        if len(issued) == 3:
            break
    assert len(issued) == 3
    docs = read(demo, docs_service.list_documents)
    model = DocumentsTableModel()
    tester = _tested(model, qtlog)
    model.set_documents(docs)
    assert model.rowCount() == len(docs) >= 3
    by_id = {model.key(r): r for r in range(model.rowCount())}
    for row in issued:
        r = by_id[row.id]
        assert model.data(model.index(r, 0)) == row.number
        assert model.data(model.index(r, 1)) == "立案审批表"
        assert model.data(model.index(r, 3)) == str(row.issued_at)[:10]
        assert model.data(model.index(r, 2), CASE_ROLE) == row.case_id
    model.set_documents(docs[:1])
    assert model.rowCount() == 1
    model.set_documents([{"id": "x", "doc_type": "case_filing", "number": None, "case_number": None,
                          "issued_at": "2026-11-20T10:00:00", "case_id": None}])
    assert _column(model, 0) == ["（无文号）"] and _column(model, 3) == ["2026-11-20"]
    model.set_documents([])
    assert model.rowCount() == 0
    del tester
    assert not _failures(qtlog), _failures(qtlog)


def test_timeline_model_under_the_tester(qtlog, demo):
    cid = case_gateway.list_cases(demo, {}, 0, 1)[0][0]
    view = case_gateway.view(demo, cid)
    model = TimelineModel()
    tester = _tested(model, qtlog)
    model.set_events(view.events, view.officer_names, set())
    assert model.rowCount() == len(view.events) > 0
    model.set_events([], {}, set())
    del tester
    assert not _failures(qtlog), _failures(qtlog)
