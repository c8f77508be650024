"""Served documents read back from real PDFs on a real (SQLCipher) demo profile: a 送达回证 for every
document served, telling them apart; what each service method recorded printed on the receipt
(《中华人民共和国民事诉讼法》第八十七条至第九十五条); blank boxes before service; the 催告书 naming how
and when the decision was served and the late fee on the fine still unpaid (《行政处罚法》第七十二条)."""

from __future__ import annotations

import hashlib
import io
from datetime import date, timedelta
from decimal import Decimal

import pdfplumber
import pytest

from forms import service as S
from forms.placeholders import date_cn
from lishui_desk.edge import read, run
from lishui_desk.errors import InvalidInput
from lishui_desk.services import cases
from lishui_desk.services.demo import STACKING, DemoBuilder, demo_date, person
from lishui_desk.timeutil import today_local
from tests.test_forms_content import STACK_BASIS, flat, pages, steps

DAY = demo_date(today_local())


XU = person("徐国平", date(1980, 5, 6), "077", "龙泉市八都镇八都村70号")


def _choices(prof, cid: str, doc_type: str) -> list[S.DocChoice]:
    return [c for c in read(prof, S.available_documents, cid, today=DAY) if c.doc_type == doc_type]


def _issue(prof, cid: str, choice: S.DocChoice, tmp_path) -> tuple[S.IssuedDocRow, str]:
    row = run(prof, S.issue_document, cid, choice.doc_type, choice.act, today=DAY)
    return row, flat("".join(pages(read(prof, S.reprint, row.id, today=DAY), tmp_path)))


def _rows(prof, row: S.IssuedDocRow) -> dict[str, str]:
    """The receipt's table as the printout shows it: label → value (pdfplumber)."""
    with pdfplumber.open(io.BytesIO(read(prof, S.reprint, row.id, today=DAY))) as doc:
        table = [r for p in doc.pages for r in (p.extract_table() or [])]
    return Rows({flat(r[0] or ""): flat(r[-1] or "") for r in table if r and r[0]})


class Rows(dict):
    """A label may wrap in its narrow column, and a wrapped first character may be read apart:
    a key matches the label it ends."""

    def _key(self, label: str) -> str | None:
        if dict.__contains__(self, label):
            return label
        found = [k for k in self if len(k) >= 4 and label.endswith(k)]
        return found[0] if len(found) == 1 else None

    def __getitem__(self, label: str) -> str:
        key = self._key(label)
        if key is None:
            raise KeyError(f"{label} not in {dict(self)}")
        return dict.__getitem__(self, key)

    def get(self, label: str, default=None):  # type: ignore[override]
        key = self._key(label)
        return default if key is None else dict.__getitem__(self, key)

    def __contains__(self, label: object) -> bool:
        return isinstance(label, str) and self._key(label) is not None


def _noticed(b: DemoBuilder, method: dict, ago: int = 30) -> str:
    cid = b.lead(ago + 10, STACKING, XU, "巡查发现", "八都村主街堆放杂物")
    return _continue(b, cid, method, ago)


def test_a_receipt_per_served_document_blank_before_service_and_filled_after(demo, tmp_path):
    cid = steps(demo, lambda b: _noticed(b, {"method": "留置送达", "witness": "八都村村委会主任李德明"}))
    (notice_receipt,) = _choices(demo, cid, "service_receipt")
    assert notice_receipt.title == "送达回证（行政处罚事先告知书）" and notice_receipt.ready
    row, _t = _issue(demo, cid, notice_receipt, tmp_path)
    r = _rows(demo, row)
    # 留置送达 (第八十九条): the date left and the witness
    assert r["送达方式"] == "留置送达" and r["送达日期"] == date_cn(DAY - timedelta(29))
    assert r["留置情况"] == f"受送达人拒绝签收，于{date_cn(DAY - timedelta(29))}将文书留在受送达人的住所，见证人八都村村委会主任李德明在场见证。"
    assert r["见证人签名"] == "八都村村委会主任李德明" and r["收件人签名（盖章）"] == "年月日", str(r)

    steps(demo, lambda b: b.decide(cid, 20, "300", "在八都村主街两侧堆放杂物", STACK_BASIS))
    receipts = _choices(demo, cid, "service_receipt")
    # the notice's receipt is still offered after the decision, and the two read apart
    assert [c.title for c in receipts] == ["送达回证（行政处罚事先告知书）", "送达回证（行政处罚决定书）"]
    assert not receipts[0].ready and "已出具" in receipts[0].missing[0] and receipts[1].ready
    assert receipts[1].key == "service_receipt" and receipts[0].key.startswith("service_receipt#")
    blank_row, _blank = _issue(demo, cid, receipts[1], tmp_path)
    blank = _rows(demo, blank_row)
    # before service: method, date and signatures left for hand entry, nothing pre-typed
    assert blank["送达文书名称"] == "行政处罚决定书" and blank["送达方式"] == ""
    assert blank["收件人签名（盖章）"] == "年月日" and blank["送达人签名"] == "年月日" and blank["见证人签名"] == ""
    assert not [k for k in ("签收情况", "送达日期", "交邮日期", "邮件单号", "留置情况") if k in blank]

    posted, back = DAY - timedelta(19), DAY - timedelta(17)

    def serve_by_post(b: DemoBuilder) -> None:
        b.do(cid, "serve_decision", posted, {"served_on": posted.isoformat(), "method": "邮寄送达",
                                             "tracking_no": "XA123456789CN"})
        svc = cases.view(b.uow, cid).state.decision_service
        b.do(cid, "record_service_receipt", back, {"service_event_id": svc.event_id, "receipt_on": back.isoformat()})

    steps(demo, serve_by_post)
    after = next(c for c in _choices(demo, cid, "service_receipt") if c.title == "送达回证（行政处罚决定书）")
    assert after.ready, after.missing  # the blank one printed before does not stand for the served one
    filled_row, _filled = _issue(demo, cid, after, tmp_path)
    filled = _rows(demo, filled_row)
    # 邮寄送达 (第九十一条): posted, tracking number, the date on the 回执 that counts
    assert filled["送达方式"] == "邮寄送达" and filled["邮件单号"] == "XA123456789CN"
    assert filled["交邮日期"] == date_cn(posted) and filled["回执收件日期"] == date_cn(back)
    assert filled["送达日期"] == f"{date_cn(back)}（以回执上注明的收件日期为送达日期）"
    assert filled["收件人签名（盖章）"] == "年月日"  # the signature stays for the hand
    # the blank receipt reprints as it was issued
    again = read(demo, S.reprint, blank_row.id, today=DAY)
    assert hashlib.sha256(again).hexdigest() == blank_row.pdf_sha256


def test_each_method_prints_what_it_records(demo, tmp_path):
    left, reached = date_cn(DAY - timedelta(29)), date_cn(DAY - timedelta(28))
    deemed = "（自发出公告之日起经过30日，即视为送达）"
    methods = {
        "直接送达": ({"method": "直接送达", "receiver": "徐国平"},
                 {"签收情况": f"徐国平于{left}签收", "送达日期": left}),
        "委托送达": ({"method": "委托送达", "receiver": "徐国平", "entrusted_to": "八都村村民委员会"},
                 {"委托或转交单位": "八都村村民委员会", "签收情况": f"徐国平于{left}签收"}),
        "转交送达": ({"method": "转交送达", "receiver": "徐国平", "entrusted_to": "徐国平所在单位"},
                 {"委托或转交单位": "徐国平所在单位", "送达日期": left}),
        "公告送达": ({"method": "公告送达", "unreachable_reason": "受送达人下落不明", "publication": "八都镇政府公告栏"},
                 {"公告送达理由": "受送达人下落不明", "公告载体": "八都镇政府公告栏", "公告日期": left,
                  "送达地点": "八都镇政府公告栏"}),
        "电子送达": ({"method": "电子送达", "e_consent": True, "reached_on": (DAY - timedelta(28)).isoformat()},
                 {"电子送达": "受送达人已签署送达地址确认书，同意电子送达（送达地址：xgp@example.cn）。",
                  "发送日期": left, "系统到达日期": reached,
                  "送达日期": f"{reached}（以送达信息到达受送达人特定系统的日期为送达日期）"}),
    }
    for label, (method, expected) in methods.items():
        def record(b: DemoBuilder, method=method, label=label) -> str:
            if label == "电子送达":  # consent first (《行政处罚法》第六十一条第二款)
                cid = b.lead(41, STACKING, XU, "巡查发现", "八都村主街堆放杂物")
                b.file(cid, 39, "在八都村主街两侧堆放杂物")
                b.do(cid, "confirm_service_address", b.d(38), {"confirmed_on": b.d(38).isoformat(),
                                                                "address": "龙泉市八都镇八都村70号",
                                                                "email": "xgp@example.cn", "e_consent": True})
                return _continue(b, cid, method, filed=True)
            return _noticed(b, method)

        cid = steps(demo, record)
        (receipt,) = _choices(demo, cid, "service_receipt")
        assert receipt.ready, (label, receipt.missing)
        row, _t = _issue(demo, cid, receipt, tmp_path)
        r = _rows(demo, row)
        assert r["送达方式"] == label
        for key, value in expected.items():
            assert r.get(key) == value, f"{label} {key} {r}"
        if label == "公告送达":
            assert r["送达日期"].endswith(deemed)
            run(demo, S.issue_document, cid, "penalty_notice", today=DAY)  # its 文号 goes on the 公告
            (ann,) = _choices(demo, cid, "service_announcement")
            _r, a = _issue(demo, cid, ann, tmp_path)
            assert "因受送达人下落不明，采用其他方式无法送达" in a and "公告载体：八都镇政府公告栏" in a
            assert f"公告日期：{date_cn(DAY - timedelta(29))}" in a


def _continue(b: DemoBuilder, cid: str, method: dict, ago: int = 30, filed: bool = False) -> str:
    if not filed:
        b.file(cid, ago + 9, "在八都村主街两侧堆放杂物")
    b.conclude(cid, ago, "给予行政处罚", "罚款人民币300元")
    b.do(cid, "issue_notice", b.d(ago), {"issued_on": b.d(ago).isoformat(), "kinds": ["罚款"], "amount": "300",
                                          "facts": "在八都村主街两侧堆放杂物", "basis": STACK_BASIS,
                                          "hearing_right_given": False})
    b.do(cid, "serve_notice", b.d(ago - 1), {"served_on": b.d(ago - 1).isoformat(), **method})
    return cid


def test_the_demand_names_the_service_of_the_decision_and_the_fee_on_what_is_unpaid(demo, tmp_path):
    posted, back, paid = DAY - timedelta(40), DAY - timedelta(38), DAY - timedelta(10)

    def record(b: DemoBuilder) -> str:
        cid = _noticed(b, {"method": "直接送达", "receiver": "徐国平"}, ago=60)
        b.decide(cid, 41, "300", "在八都村主街两侧堆放杂物", STACK_BASIS)
        b.do(cid, "serve_decision", posted, {"served_on": posted.isoformat(), "method": "邮寄送达",
                                             "tracking_no": "XA1"})
        svc = cases.view(b.uow, cid).state.decision_service
        b.do(cid, "record_service_receipt", back, {"service_event_id": svc.event_id, "receipt_on": back.isoformat()})
        return cid

    cid = steps(demo, record)
    run(demo, S.issue_document, cid, "penalty_notice", today=DAY)
    decision = run(demo, S.issue_document, cid, "penalty_decision", today=DAY)
    due = next(d for d in read(demo, cases.view, cid, today=DAY).deadlines if d.key == "payment").due
    assert due is not None and due < paid
    steps(demo, lambda b: b.pay(cid, 10, "100"))
    (reminder,) = _choices(demo, cid, "payment_reminder")
    _row, t = _issue(demo, cid, reminder, tmp_path)
    assert f"《行政处罚决定书》（{decision.number}）已于{date_cn(back)}以邮寄送达方式送达你" in t  # the 回执 date
    assert "决定对你罚款¥300.00" in t and "尚欠罚款¥200.00" in t
    # 3% a day of ¥300 up to the payment day, then of the ¥200 unpaid (《行政处罚法》第七十二条第一款第一项)
    fee = min(Decimal("9") * (paid - due).days + Decimal("6") * (DAY - paid).days, Decimal(300))
    assert f"尚欠加处罚款¥{fee:,.2f}" in t and f"合计应缴¥{fee + 200:,.2f}" in t


def test_every_act_of_a_type_is_offered_titled_apart_and_each_issues_once(demo, tmp_path):
    """Two 询问 of different people, two 责令改正 on one day: each is its own document; an earlier one
    can still be issued after a later one exists, and none is issued twice."""
    def record(b: DemoBuilder) -> str:
        cid = b.lead(20, STACKING, XU, "巡查发现", "八都村主街堆放杂物")
        b.file(cid, 19, "在八都村主街两侧堆放杂物")
        two = [b.crew.me, b.crew.colleague]
        for person_name, role in (("徐国平", "当事人"), ("王秀兰", "证人")):
            b.do(cid, "record_inquiry", b.d(18), {"inquired_on": b.d(18).isoformat(), "person": person_name,
                                                  "person_role": role, "summary": "询问堆放杂物的情况",
                                                  "officer_ids": two, "start_time": "09:30", "end_time": "10:05",
                                                  "place": "八都镇人民政府"})
        for content in ("清除主街东侧堆放的杂物", "清除主街西侧堆放的杂物"):
            b.do(cid, "order_correction", b.d(17), {"ordered_on": b.d(17).isoformat(), "content": content,
                                                    "deadline": b.d(10).isoformat(), "officer_ids": two})
        return cid

    cid = steps(demo, record)
    inquiries = _choices(demo, cid, "inquiry_record")
    day = date_cn(DAY - timedelta(18))
    assert [c.title for c in inquiries] == [f"询问（调查）笔录（徐国平，{day}）", f"询问（调查）笔录（王秀兰，{day}）"]
    orders = _choices(demo, cid, "correction_order")
    assert len(orders) == 2 and len({c.title for c in orders}) == 2 and all(c.ready for c in orders)
    assert len({c.key for c in (*inquiries, *orders)}) == 4
    # the earlier 询问 issues on its own, with its own interviewee
    _row, first = _issue(demo, cid, inquiries[0], tmp_path)
    assert "徐国平" in first.split("被询问人", 1)[1][:10]
    _row, second = _issue(demo, cid, inquiries[1], tmp_path)
    assert "王秀兰" in second.split("被询问人", 1)[1][:10]
    _row, east = _issue(demo, cid, orders[0], tmp_path)
    assert "清除主街东侧堆放的杂物" in east and "西侧" not in east
    again = {c.key: c for c in _choices(demo, cid, "inquiry_record")}
    assert all(not c.ready and "已出具" in "".join(c.missing) for c in again.values())
    with pytest.raises(InvalidInput, match="同一事项不重复出具"):
        run(demo, S.issue_document, cid, "inquiry_record", inquiries[0].act, today=DAY)
    with pytest.raises(InvalidInput, match="没有与所选记录对应"):
        run(demo, S.issue_document, cid, "inquiry_record", "no-such-event", today=DAY)
