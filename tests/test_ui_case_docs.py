"""Evidence dropped onto a case's 证据 tab; the 文书 page: QR verification of an issued document,
printing the selected documents through a QPrinter, exporting them to a folder."""

from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QColor, QDragEnterEvent, QDropEvent, QImage
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication, QFileDialog

from forms import service as docs_service
from lishui_desk.edge import CaseDesk, create_profile, read, run
from lishui_desk.identity import resident_id_check_char
from lishui_desk.services.setup import OfficerSpec, add_officer
from lishui_desk.timeutil import today_local
from tests.ui_helpers import unlocked_window

PASS = "correct horse battery"
TOWN = "331181100"  # 龙泉市八都镇
STACKING = "331101003000"


def _qr_of(pdf: bytes) -> str:
    """What a scanner reads off the printed page (the QR text is also in the PDF's keywords)."""
    keywords = str(PdfReader(io.BytesIO(pdf)).metadata.get("/Keywords") or "")
    return next(k for k in keywords.split() if k.startswith("LSD1|"))


@pytest.fixture
def issued(data_root, fast_kdf):
    """Two filed cases, each with its 立案审批表 issued; the QR text and page count of each."""
    prof = create_profile("docs", PASS, root=data_root, township_code=TOWN,
                          officer=OfficerSpec("王建", "ZJ-3311-0001", date(2030, 12, 31)), kdf_params=fast_kdf)
    with prof.session() as s:
        li = add_officer(s, TOWN, OfficerSpec("李明", "ZJ-3311-0002", date(2030, 6, 30)))
        leader = add_officer(s, TOWN, OfficerSpec("周卫东", "ZJ-3311-0009", date(2030, 12, 31), role="leader"))
        li_id, leader_id = li.id, leader.id
    svc = CaseDesk(prof)
    today = today_local().isoformat()
    out = []
    for n, name in enumerate(("叶建国", "林志强")):
        first17 = f"3311811980010112{n}"
        cid = svc.register_lead({"lead_on": today, "source": "巡查发现", "summary": f"{name}在主街堆放木料",
                                 "item_code": STACKING, "violation_date": today,
                                 "party": {"kind": "individual", "name": name, "address": "八都村1号",
                                           "id_number": first17 + resident_id_check_char(first17)}})
        svc.perform(cid, "file_case", {"filed_on": today, "facts": "堆放木料", "item_code": STACKING,
                                       "violation_date": today, "officer_ids": [prof.officer_id, li_id],
                                       "approved_by": leader_id, "place": "八都村"})
        row = run(prof, docs_service.issue_document, cid, "case_filing", actor_id=prof.officer_id)
        pdf = read(prof, docs_service.reprint, row.id)
        out.append({"case_id": cid, "doc_id": row.id, "qr": _qr_of(pdf), "pages": len(PdfReader(io.BytesIO(pdf)).pages)})
    prof.close()
    return out


@pytest.fixture
def win(qtbot, data_root, issued):
    yield from unlocked_window(qtbot, data_root, "docs", PASS)


def _docs_page(qtbot, win, count: int):
    work = win.work
    work.tabs.setCurrentWidget(work.documents)  # loads when first opened
    page = work.documents
    qtbot.waitUntil(lambda: page.row_count() == count, timeout=8000)
    return page


def test_evidence_dropped_on_the_evidence_tab_is_imported_with_thumbnail_and_hash_check(qtbot, win, issued,
                                                                                       tmp_path):
    ws = win.work.open_case(issued[0]["case_id"])
    qtbot.waitUntil(lambda: ws.view is not None, timeout=8000)
    assert ws.tabs.tabText(1) == "证据（0）"
    pane = ws.evidence
    ws.show_tab(pane)
    assert ws.tabs.currentIndex() == 1
    photo = tmp_path / "现场照片.png"
    img = QImage(320, 240, QImage.Format.Format_RGB32)
    img.fill(QColor("#7a9a3a"))
    assert img.save(str(photo))
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(photo))])
    enter = QDragEnterEvent(QPointF(100, 100), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(pane, enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(100, 100), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(pane, drop)
    assert drop.isAccepted()
    qtbot.waitUntil(lambda: pane.list.count() == 1 and pane.thumbnails() == 1, timeout=10000)
    qtbot.waitUntil(lambda: "✓ 完整" in pane.list.item(0).text(), timeout=5000)
    text = pane.list.item(0).text()
    assert text.startswith("视听资料\n现场照片.png")  # the default kind; the file name as description
    assert "现场照片.png" in pane.list.item(0).toolTip()
    assert ws.tabs.tabText(1) == "证据（1）"
    assert ws.view.events[-1].type == "evidence.added"  # on the case's hash-chained record


def test_qr_text_of_an_issued_document_verifies_and_a_tampered_one_does_not(qtbot, win, issued):
    page = _docs_page(qtbot, win, 2)
    qr = issued[0]["qr"]
    page.qr.setText(qr)
    page.verify()
    qtbot.waitUntil(lambda: page.verdict.text() != "", timeout=5000)
    assert page.verdict.text().startswith("✓ 核验通过"), page.verdict.text()
    assert "立案审批表" in page.verdict.text() and page.verdict.property("state") == "ok"
    # one character of the content digest changed: the printout is not what was issued
    last = qr[-1]
    tampered = qr[:-1] + ("0" if last != "0" else "1")
    page.verdict.clear()
    page.qr.setText(tampered)
    page.verify()
    qtbot.waitUntil(lambda: page.verdict.text() != "", timeout=5000)
    assert page.verdict.text().startswith("✗ 核验未通过"), page.verdict.text()
    assert "不一致" in page.verdict.text() and page.verdict.property("state") == "bad"


def test_printing_the_selected_documents_sends_every_page_to_the_printer(qtbot, win, issued, tmp_path):
    page = _docs_page(qtbot, win, 2)
    page.list.selectAll()
    out = tmp_path / "printed.pdf"
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)  # a low resolution keeps the test fast
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(out))
    expected = sum(d["pages"] for d in issued)
    with qtbot.waitSignal(page.printed, timeout=20000) as sent:
        page.print_selected(printer)
    assert sent.args == [expected]
    assert len(PdfReader(str(out)).pages) == expected
    assert page.state.text() == f"已打印 2 份，共 {expected} 页"
    # only one selected: one document's pages
    page.select_rows([1])
    one = tmp_path / "one.pdf"
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(one))
    with qtbot.waitSignal(page.printed, timeout=20000):
        page.print_selected(printer)
    assert len(PdfReader(str(one)).pages) in {d["pages"] for d in issued}


def test_export_selected_writes_one_pdf_per_document_named_by_title(qtbot, win, issued, tmp_path, monkeypatch):
    page = _docs_page(qtbot, win, 2)
    page.list.selectAll()
    folder = tmp_path / "out"
    folder.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: str(folder)))
    page.export_selected()
    qtbot.waitUntil(lambda: page.state.text().startswith("已导出"), timeout=10000)
    files = sorted(folder.iterdir())
    assert [f.name[:4] for f in files] == ["001-", "002-"]
    assert all("立案审批表" in f.name and f.read_bytes().startswith(b"%PDF") for f in files)
    assert {_qr_of(f.read_bytes()) for f in files} == {d["qr"] for d in issued}
