"""End to end through the widgets: a case from the catalogue to closing, asserting on what the
officer sees (timeline, next steps, evidence thumbnails, documents, refusals with articles)."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtGui import QColor, QImage

from lishui_desk.edge import create_profile
from lishui_desk.identity import resident_id_check_char
from lishui_desk.services.setup import OfficerSpec, add_officer
from lishui_desk.timeutil import today_local
from tests.ui_helpers import unlocked_window

PASS = "correct horse battery"
TOWN = "331181100"  # 龙泉市八都镇
STACKING = "331101003000"  # 街道两侧堆放物料


def _resident_id() -> str:
    first17 = "33118119800101123"
    return first17 + resident_id_check_char(first17)


@pytest.fixture
def crew(data_root, fast_kdf):
    prof = create_profile("e2e", PASS, root=data_root, township_code=TOWN,
                          officer=OfficerSpec("王建", "ZJ-3311-0001", date(2030, 12, 31)), kdf_params=fast_kdf)
    with prof.session() as s:
        li = add_officer(s, TOWN, OfficerSpec("李明", "ZJ-3311-0002", date(2030, 6, 30)))
        leader = add_officer(s, TOWN, OfficerSpec("周卫东", "ZJ-3311-0009", date(2030, 12, 31), role="leader"))
        ids = {"me": prof.officer_id, "li": li.id, "leader": leader.id}
    prof.close()
    return ids


@pytest.fixture
def win(qtbot, data_root, crew):
    yield from unlocked_window(qtbot, data_root, "e2e", PASS)


def _step(qtbot, ws, action, values, *, expect_ok=True):
    """Open the step's generated form from the next-steps panel (or 其他操作), fill, submit."""
    buttons = ws.step_buttons()
    if action in buttons:
        buttons[action].click()
        form = ws.forms[-1]
    else:
        form = ws.open_form(action)
    assert form.spec.key == action
    form.set_values(values)
    before = len(ws.view.events)
    if not expect_ok:
        form.submit()
        qtbot.waitUntil(lambda: form.violations.count() > 0, timeout=5000)
        return form
    done = []
    form.performed.connect(done.append)
    form.submit()
    qtbot.waitUntil(lambda: bool(done) or form.status.text().startswith("未保存"), timeout=8000)
    assert done, f"{action}: {form.status.text()} {form.violations.texts()}"
    qtbot.waitUntil(lambda: len(ws.view.events) > before, timeout=8000)
    return form


def _timeline_labels(ws):
    return [ws.timeline.text(i, 2) for i in range(ws.timeline.row_count())]


def test_case_from_catalogue_to_closing(qtbot, win, crew, tmp_path):
    today = today_local().isoformat()
    two = [crew["me"], crew["li"]]
    work = win.work
    # 设置 → 文书设置: the agency's address and phone, the payment account printed on the decision
    st = work.settings
    work.tabs.setCurrentWidget(st)  # sections load when first opened
    qtbot.waitUntil(lambda: "payment.bank" in st.doc_edits, timeout=5000)
    values = {"agency.phone": "0578-7000000", "agency.address": "龙泉市八都镇八都村政府路1号",
              "payment.bank": "龙泉农商银行八都支行", "payment.account_name": "龙泉市财政局",
              "payment.account": "201000123456789"}
    for key, edit in st.doc_edits.items():
        edit.setText(values.get(key, "示例"))
    st.save_doc_settings()
    qtbot.waitUntil(lambda: st.doc_state.text().startswith("已保存"), timeout=5000)
    # 事项目录: find the item by a Chinese substring, start a lead from it
    work.tabs.setCurrentWidget(work.catalog)
    work.catalog.search.setText("堆放")
    work.catalog.run_search()
    qtbot.waitUntil(lambda: STACKING in work.catalog.codes(), timeout=5000)
    assert work.catalog.select_code(STACKING)
    qtbot.waitUntil(lambda: work.catalog.current is not None and work.catalog.current.code == STACKING, timeout=5000)
    assert "处罚依据" in work.catalog.detail.toPlainText()
    work.catalog.lead_btn.click()
    qtbot.waitUntil(lambda: bool(work.lead_forms), timeout=5000)
    lead = work.lead_forms[-1]
    assert lead.editors["item_code"].value() == STACKING
    party = lead.editors["party"]
    party.name.setText("叶建国")
    party.id_number.setText(_resident_id()[:-1] + ("0" if _resident_id()[-1] != "0" else "1"))
    assert party.status.text().startswith("✗")  # wrong check digit is caught while typing
    party.id_number.setText(_resident_id())
    party.address.setText("龙泉市八都镇八都村1号")
    assert party.status.text().startswith("✓")
    lead.set_values({"source": "巡查发现", "summary": "八都村主街两侧堆放木料", "violation_date": today,
                     "place": "八都镇八都村"})
    with qtbot.waitSignal(work.tabs.currentChanged, timeout=8000):
        lead.submit()
    ws = work.tabs.currentWidget()
    qtbot.waitUntil(lambda: ws.view is not None, timeout=5000)
    assert "叶建国" in ws.header.text() and "线索" in ws.header.text()
    assert "file_case" in ws.step_buttons()

    # a refusal shows each guard's message and article: 立案 with one officer only
    refused = _step(qtbot, ws, "file_case", {"facts": "堆放木料约6平方米", "officer_ids": [crew["me"]],
                                             "approved_by": crew["leader"], "violation_date": today},
                    expect_ok=False)
    text = "\n".join(refused.violations.texts())
    assert "第四十二条" in text
    refused.reject()

    _step(qtbot, ws, "file_case", {"facts": "在八都村主街两侧擅自堆放木料约6平方米", "officer_ids": two,
                                   "approved_by": crew["leader"], "violation_date": today, "place": "八都镇八都村"})
    assert "龙八" in ws.header.text() or "〔" in ws.header.text()  # a case number was assigned
    _step(qtbot, ws, "record_inspection", {"place": "八都镇八都村主街", "findings": "现场堆放木料约6平方米",
                                           "officer_ids": two, "party_present": True})
    _step(qtbot, ws, "record_inquiry", {"person": "叶建国", "person_role": "当事人",
                                        "summary": "当事人承认堆放木料，愿意改正", "officer_ids": two})

    # evidence: a photo, encrypted on import, shown with a thumbnail and a verified hash
    photo = tmp_path / "现场照片.png"
    img = QImage(320, 240, QImage.Format.Format_RGB32)
    img.fill(QColor("#7a9a3a"))
    assert img.save(str(photo))
    ws.import_evidence([str(photo)], "视听资料", "现场照片：堆放木料")
    qtbot.waitUntil(lambda: ws.evidence.list.count() == 1 and ws.evidence.thumbnails() == 1, timeout=8000)
    assert "✓" in ws.evidence.list.item(0).text()

    # 事先告知 with the fine checked against the item's range while typing
    notice = ws.open_form("issue_notice")
    notice.set_values({"kinds": ["罚款"], "facts": "擅自在街道两侧堆放木料", "basis": "见事项处罚依据"})
    notice.editors["amount"].setText("500")
    assert notice.discretion.isVisible()
    assert "建议" in notice.suggestion.text()
    notice.reject()
    _step(qtbot, ws, "issue_notice", {"kinds": ["罚款"], "amount": "500", "facts": "擅自在街道两侧堆放木料",
                                      "basis": "见事项处罚依据"})
    # issue the 行政处罚事先告知书 from the documents tab
    docs = ws.documents
    qtbot.waitUntil(lambda: docs.doc_type.findData("penalty_notice") >= 0, timeout=8000)
    docs.doc_type.setCurrentIndex(docs.doc_type.findData("penalty_notice"))
    docs.issue()
    qtbot.waitUntil(lambda: (docs.list.topLevelItemCount() == 1 and docs.pdf.page_count > 0)
                    or docs.state.text() != "", timeout=20000)
    assert docs.state.text().startswith("已出具"), docs.state.text()
    qtbot.waitUntil(lambda: docs.list.topLevelItemCount() == 1 and docs.pdf.page_count > 0, timeout=20000)
    _step(qtbot, ws, "serve_notice", {"method": "直接送达", "receiver": "叶建国"})
    _step(qtbot, ws, "record_waiver", {"scope": "陈述申辩和听证", "written": True, "signed_by": "叶建国"})
    _step(qtbot, ws, "decide", {
        "outcome": "处罚", "kinds": ["罚款"], "amount": "500", "facts": "擅自在街道两侧堆放木料",
        "evidence_summary": "现场检查笔录、询问笔录、现场照片", "basis": "见事项处罚依据",
        "payment_method": "十五日内缴纳", "payment_days": 15, "remedies": "六十日内申请行政复议或六个月内提起行政诉讼",
        "agency": "龙泉市八都镇人民政府", "officer_ids": two, "approved_by": crew["leader"]})
    assert "决定" in ws.header.text()

    # documents: issue the decision, preview it, "print" it to a PDF file
    qtbot.waitUntil(lambda: docs.doc_type.findData("penalty_decision") >= 0, timeout=8000)
    docs.doc_type.setCurrentIndex(docs.doc_type.findData("penalty_decision"))
    assert docs.missing.text() == "可以出具", docs.missing.text()
    docs.issue()
    qtbot.waitUntil(lambda: docs.list.topLevelItemCount() == 2 and docs.pdf.page_count > 0, timeout=20000)
    out = tmp_path / "printed.pdf"
    assert docs.print_to_file(str(out)) == docs.pdf.page_count
    assert out.read_bytes().startswith(b"%PDF")
    # the notice's 送达回证 is still offered beside the decision's, each under its own title
    entries = [docs.doc_type.itemText(i)[2:] for i in range(docs.doc_type.count())]
    assert "送达回证（行政处罚事先告知书）" in entries and "送达回证（行政处罚决定书）" in entries
    docs.doc_type.setCurrentIndex(entries.index("送达回证（行政处罚事先告知书）"))
    assert docs.doc_type.currentData().startswith("service_receipt#") and docs.missing.text() == "可以出具"
    docs.issue()
    qtbot.waitUntil(lambda: docs.list.topLevelItemCount() == 3 and docs.pdf.page_count > 0, timeout=20000)
    assert "送达回证（行政处罚事先告知书）" in [docs.list.topLevelItem(i).text(0) for i in range(3)]

    _step(qtbot, ws, "serve_decision", {"method": "直接送达", "receiver": "叶建国"})
    _step(qtbot, ws, "record_payment", {"amount": "500", "channel": "银行"})
    _step(qtbot, ws, "close_case", {"summary": "罚款已缴清，违法行为已改正", "approved_by": crew["leader"]})
    assert "结案" in ws.header.text()
    labels = _timeline_labels(ws)
    for expected in ("登记线索", "立案", "现场检查（勘验）笔录", "询问笔录", "登记证据", "事先告知", "当事人书面放弃权利",
                     "作出决定", "登记缴款", "结案"):
        assert expected in labels
    assert all(ws.timeline.text(i, 5) == "✓" for i in range(ws.timeline.row_count()))
    assert "✓" in ws.chain.text()
    # the case list shows it with its stage
    work.cases.apply_filter()
    qtbot.waitUntil(lambda: work.cases.model.total == 1 and work.cases.model.rowCount() == 1, timeout=5000)
    assert work.cases.model.data(work.cases.model.index(0, 3)) == "结案"
