"""What the printed documents say, read back from the PDFs of real demo cases (a citizen and an
organisation party): the points a legal officer would otherwise correct by hand before signing."""

from __future__ import annotations

import re
import subprocess
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from forms import service as S
from forms.casefile import page_count
from lishui_desk.edge import read, run
from lishui_desk.models import Case, Officer
from lishui_desk.services.demo import (
    STACKING,
    Crew,
    DemoBuilder,
    company,
    demo_date,
    person,
)
from lishui_desk.timeutil import today_local
from lishui_desk.unit_of_work import unit_of_work

STACK_BASIS = "《浙江省城市市容和环境卫生管理条例》第十二条第三款"




def case_id(prof, party: str, stage: str) -> str:
    with prof.read_session() as s:
        ids = list(s.scalars(select(Case.id).where(Case.party_name == party, Case.stage == stage)))
    assert len(ids) == 1, (party, stage, ids)
    return ids[0]


def pages(pdf: bytes, tmp_path: Path) -> list[str]:
    """Each page's text with its line breaks kept (pdftotext -layout)."""
    src = tmp_path / "doc.pdf"
    src.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(src), "-"], capture_output=True,
                         check=True).stdout.decode("utf-8")
    return out.split("\f")[:page_count(pdf)]


def flat(text: str) -> str:
    """Text without whitespace and without page numbers, so a phrase wrapped over lines or pages is found."""
    return re.sub(r"\s+", "", re.sub(r"— \d+ —", "", text))


def issue(prof, cid: str, doc_type: str, tmp_path: Path, act: str | None = None) -> list[str]:
    row = run(prof, S.issue_document, cid, doc_type, act)
    return pages(read(prof, S.reprint, row.id), tmp_path)


def steps(prof, fn):
    """Record case steps as the demo does (one unit of work), dated relative to the demo's day."""
    with prof.read_session() as s:
        by_name = {o.name: o.id for o in s.scalars(select(Officer))}
    crew = Crew(prof.officer_id, by_name["李明"], by_name["周卫东"], by_name["吴法明"])
    today = demo_date(today_local())
    with unit_of_work(prof, today=today) as uow:
        return fn(DemoBuilder(uow, crew, today))


CLOSING = re.compile(r"签名|年月日|第\d+页共\d+页|一式|^\d{4}年\d{1,2}月\d{1,2}日$|人民政府$|^执法人员：|^联系人：|"
                     r"^本机关地址：|执法证号|^(正本|副本)$")


def assert_last_page_is_not_a_remnant(page_texts: list[str]) -> None:
    """A document's last page carries body text with its closing, never only a stray line, the seal,
    the signatures or the small print."""
    if len(page_texts) < 2:
        return
    lines = [flat(ln) for ln in page_texts[-1].splitlines()]
    body = [ln for ln in lines if len(ln) >= 8 and not CLOSING.search(ln)]
    assert len(body) >= 2, lines


# --- 事先告知书 -----------------------------------------------------------------------------------
def test_notice_addresses_a_citizen_as_you_and_has_no_hearing_title_without_a_hearing_right(demo, tmp_path):
    cid = case_id(demo, "叶建国", "notified")  # 罚款550元: no hearing right
    text = issue(demo, cid, "penalty_notice", tmp_path)
    t = flat("".join(text))
    assert "行政处罚事先告知书" in t and "（听证）" not in t and "要求听证" not in t
    assert "你（单位）" not in t and "你单位" not in t
    assert "经查，你擅自在街道两侧堆放木料。" in t and "你的上述行为违反了" in t
    assert "依据依据" not in t and "依据见" not in t
    assert "（印章）" not in t
    assert "龙泉市八都镇人民政府2026年" in t  # the agency and date the seal is stamped over
    lines = [flat(ln) for p in text for ln in p.splitlines()]
    assert any(ln.startswith("本机关地址：") for ln in lines)  # "地址" never split over two lines
    assert_last_page_is_not_a_remnant(text)


def test_notice_to_an_organisation_says_you_unit_and_is_titled_hearing_when_the_right_was_given(demo, tmp_path):
    cid = case_id(demo, "龙泉市八都镇顺发运输队", "statement")  # 罚款100000元 with a hearing right
    text = issue(demo, cid, "penalty_notice", tmp_path)
    t = flat("".join(text))
    assert "行政处罚事先（听证）告知书" in t and "有权要求听证" in t
    assert "你（单位）" not in t
    assert "经查，你单位处置建筑垃圾沿途遗撒。" in t and "本机关拟对你单位作出如下行政处罚" in t
    assert_last_page_is_not_a_remnant(text)


def test_notice_facts_typed_with_a_date_and_the_party_read_as_one_sentence_and_free_text_basis_is_replaced(
        demo, tmp_path):
    xu = person("徐国平", date(1980, 5, 6), "077", "龙泉市八都镇八都村70号")

    def record(b: DemoBuilder) -> tuple[str, date]:
        cid = b.lead(9, STACKING, xu, "巡查发现", "八都村主街堆放杂物")
        b.file(cid, 8, "在八都村主街两侧堆放杂物")
        day = b.d(3)
        facts = f"{day.year}年{day.month}月{day.day}日，当事人徐国平在八都村主街两侧堆放杂物约5平方米"
        b.do(cid, "issue_notice", day, {"issued_on": day.isoformat(), "kinds": ["罚款"], "amount": "300",
                                        "facts": facts, "basis": "依据见事项处罚依据的规定",
                                        "hearing_right_given": False})
        return cid, day

    cid, day = steps(demo, record)
    t = flat("".join(issue(demo, cid, "penalty_notice", tmp_path)))
    assert f"经查，{day.year}年{day.month}月{day.day}日，你在八都村主街两侧堆放杂物约5平方米。" in t
    assert "当事人徐国平" not in t and "你（单位）" not in t
    assert "依据见事项" not in t and f"依据{STACK_BASIS}的规定，本机关拟对你作出" in t


# --- 行政处罚决定书 ------------------------------------------------------------------------------
@pytest.mark.parametrize("party", ["周秀英", "龙泉市八都镇老街餐饮店"])
def test_decision_mentions_the_waiver_and_the_correction_order_without_hash_codes_or_a_printed_seal(
        demo, tmp_path, party):
    cid = case_id(demo, party, "execution")
    issue(demo, cid, "penalty_notice", tmp_path)
    text = issue(demo, cid, "penalty_decision", tmp_path)
    t = flat("".join(text))
    assert "书面放弃陈述申辩和听证权利" in t
    assert "责令当事人立即改正上述违法行为" in t and "第二十八条第一款" in t
    assert "校验码" not in t and not re.search(r"[0-9a-f]{8}）", t)  # no hash codes in the evidence list
    assert re.search(r"（王建、李明，\d{4}年\d{1,2}月\d{1,2}日）", t)  # who collected it, when
    assert "（印章）" not in t
    assert not re.search(r"依据[^。]{0,60}的规定，依据", t)  # "依据…依据" never doubled
    assert "如下行政处罚：罚款人民币" in t and "罚款，罚款" not in t
    copy = len(text) // 2  # 正本 and 副本, each ending with the seal and the officers' signatures
    for part in (text[:copy], text[copy:]):
        assert "执法人员：王建" in flat(part[-1]) and "龙泉市八都镇人民政府" in flat(part[-1])
        assert_last_page_is_not_a_remnant(part)


def test_non_penalty_decision_and_transfer_letter_read_as_sentences(demo, tmp_path):
    t = flat("".join(issue(demo, case_id(demo, "吴丽华", "no_penalty"), "non_penalty_decision", tmp_path)))
    assert "本机关认为，当事人初次违法且危害后果轻微并及时改正。根据《中华人民共和国行政处罚法》第三十三条第一款的规定" in t
    assert "责令当事人" not in t  # no correction order was recorded, and no penalty carries one
    assert "本机关已对当事人进行教育" not in t  # the education was recorded after the decision's date
    t = flat("".join(issue(demo, case_id(demo, "林志强", "transferred"), "case_transfer", tmp_path)))
    assert "依法移送有管辖权的部门。根据《中华人民共和国行政处罚法》第二十二条" in t and "根据根据" not in t


# --- 笔录, 审批表 ---------------------------------------------------------------------------------
@pytest.mark.parametrize("party,stage", [("叶建国", "notified"), ("龙泉市八都镇老街餐饮店", "execution")])
def test_inspection_record_closes_with_every_signature_and_never_leaves_a_lone_line(demo, tmp_path, party, stage):
    text = issue(demo, case_id(demo, party, stage), "inspection_record", tmp_path)
    last = flat(text[-1])
    assert "以上笔录已向当事人（见证人）宣读（交其阅读），确认无误。" in last  # never split, never "无误。" alone
    assert "当事人（见证人）签名：" in last and "执法人员签名：" in last and "记录人签名：" in last
    for n, page in enumerate(text, 1):  # the party signs each page: 第 N 页 共 M 页
        assert f"第{n}页共{len(text)}页" in flat(page)


@pytest.mark.parametrize("party,stage", [("叶建国", "archived"), ("龙泉市八都镇老街餐饮店", "execution")])
def test_approval_forms_fit_one_page(demo, tmp_path, party, stage):
    cid = case_id(demo, party, stage)
    kinds = ["case_filing", "case_handling_approval"] + (["case_closing"] if stage == "archived" else [])
    for kind in kinds:
        text = issue(demo, cid, kind, tmp_path)
        assert len(text) == 1, (kind, [flat(p)[:60] for p in text])
        assert "负责人审批意见" in flat(text[0])


# --- 送达回证 -------------------------------------------------------------------------------------
def test_receipts_are_printable_before_service_with_a_blank_server_box_and_two_receipts_are_told_apart(
        demo, tmp_path):
    firm = company("龙泉市八都镇恒达商贸有限公司", "MA5N6P7Q", "龙泉市八都镇新街30号", "陈恒达")

    def notify(b: DemoBuilder) -> str:
        cid = b.lead(30, STACKING, firm, "巡查发现", "新街堆放货物")
        b.file(cid, 29, "在新街两侧堆放货物约6平方米")
        day = b.d(20)
        b.do(cid, "issue_notice", day, {"issued_on": day.isoformat(), "kinds": ["罚款"], "amount": "500",
                                        "facts": "在新街两侧堆放货物约6平方米", "basis": STACK_BASIS,
                                        "hearing_right_given": False})
        return cid

    cid = steps(demo, notify)
    issue(demo, cid, "penalty_notice", tmp_path)
    before = flat("".join(issue(demo, cid, "service_receipt", tmp_path)))  # taken along before serving
    assert "行政处罚事先告知书" in before and "龙泉市八都镇恒达商贸有限公司" in before
    assert "王建" not in before and "李明" not in before  # the 送达人 signs by hand
    assert "直接送达" not in before
    # the reasoning as "采用建议金额" writes it: it restates the basis and names the 裁量基准's source
    reasoning = (f"依据{STACK_BASIS}，对单位的法定罚款幅度为一百元以上一千元以下。经查，违法情节符合“一般”阶次。"
                 "裁量基准来源：裁量基准（示例，待县级发布）。")

    def decide(b: DemoBuilder) -> None:
        sday = b.d(19)
        b.do(cid, "serve_notice", sday, {"served_on": sday.isoformat(), "method": "直接送达", "receiver": "陈恒达"})
        b.waive(cid, 18, "陈恒达")
        b.decide(cid, 12, "500", "在新街两侧堆放货物约6平方米，逾期未改正", STACK_BASIS, reasoning=reasoning)

    steps(demo, decide)
    decision = flat("".join(issue(demo, cid, "penalty_decision", tmp_path)))
    assert f"依据{STACK_BASIS}的规定，对单位的法定罚款幅度为一百元以上一千元以下。" in decision
    assert "裁量基准来源" not in decision and "示例" not in decision
    after = flat("".join(issue(demo, cid, "service_receipt", tmp_path)))
    assert "行政处罚决定书" in after and "王建" not in after
    titles = [r.title for r in read(demo, S.list_documents, cid) if r.doc_type == "service_receipt"]
    assert titles == ["送达回证（行政处罚事先告知书）", "送达回证（行政处罚决定书）"]


def test_receipt_of_a_served_notice_to_a_citizen_names_the_party_and_leaves_the_server_to_sign(demo, tmp_path):
    cid = case_id(demo, "叶建国", "notified")
    text = issue(demo, cid, "service_receipt", tmp_path)
    t = flat("".join(text))
    assert len(text) == 1
    assert "送达文书名称行政处罚事先告知书" in t and "受送达人叶建国" in t and "送达方式直接送达" in t
    assert "王建" not in t and "李明" not in t
    assert read(demo, S.list_documents, cid)[-1].title == "送达回证（行政处罚事先告知书）"


# --- 案卷 ---------------------------------------------------------------------------------------
def _table(pdf: bytes, page: int) -> list[list[str | None]]:
    import io

    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return doc.pages[page].extract_table()


def _toc_rows(pdf: bytes) -> list[tuple[str, str]]:
    """(title, page range) of each 卷内目录 row, read from the table on the file's second page."""
    return [(flat(r[-4] or ""), (r[-1] or "").strip()) for r in _table(pdf, 1)[1:]]


@pytest.mark.parametrize("party,stage", [("周秀英", "execution"), ("龙泉市八都顺达建材有限公司", "legal_review")])
def test_case_file_holds_every_record_in_order_with_page_numbers_matching_its_contents(demo, tmp_path, party, stage):
    cid = case_id(demo, party, stage)
    issue(demo, cid, "penalty_notice", tmp_path)  # one issued document; the rest are records kept in the app
    if stage == "execution":
        issue(demo, cid, "penalty_decision", tmp_path)
    pdf = read(demo, S.casefile, cid)  # before 归档
    text = pages(pdf, tmp_path)
    cover, rows = flat(text[0]), _toc_rows(pdf)
    assert "归档号未归档" in cover and "结案日期未结案" in cover
    titles = [t for t, _p in rows]
    expected = ["立案审批表", "现场检查（勘验）笔录", *(["询问（调查）笔录"] if stage == "legal_review" else []),
                "案件调查终结报告", "行政处罚事先", "案件处理审批表",
                *(["行政处罚决定书"] if stage == "execution" else []), "证据目录"]
    positions = [next(i for i, t in enumerate(titles) if t.startswith(e)) for e in expected]
    assert positions == sorted(positions), titles  # procedure order
    assert any(t.startswith("送达回证") for t in titles)
    body = text[2:]
    assert f"本卷页数{len(body)}页" in cover
    for title, rng in rows:
        first, last = (int(x) for x in (rng.split("-") * 2)[:2])
        assert title.split("（")[0][:6] in flat(body[first - 1]), (title, rng)
        for n in range(first, last + 1):  # continuous page numbers, as the contents list them
            assert f"— {n} —" in body[n - 1], (title, n)
    whole = flat("".join(body))
    # one copy of each document: the 副本 kept on file
    assert whole.count("本决定书一式两份") == (1 if stage == "execution" else 0)
    assert "正本龙泉市八都镇人民政府行政处罚决定书" not in whole
    evidence = {flat(r[-3] or ""): flat(r[-1] or "") for r in _table(pdf, len(text) - 1)[1:]}
    inspection = next(v for k, v in evidence.items() if k.startswith("现场检查"))
    assert inspection.endswith("9时10分")  # the 笔录's own time, not when it was typed in (10时00分)
    if stage == "legal_review":
        assert next(v for k, v in evidence.items() if k.startswith("询问笔录")).endswith("14时30分")


def test_case_file_can_be_built_for_a_case_not_filed_or_still_a_lead(demo, tmp_path):
    for party, stage in (("吴丽华", "not_filed"), ("毛春生", "lead")):
        text = pages(read(demo, S.casefile, case_id(demo, party, stage)), tmp_path)
        assert "未归档" in flat(text[0]) and "证据目录" in flat(text[1])


def test_no_document_of_any_demo_case_carries_the_old_faults(demo, tmp_path):
    """Every document the demo cases can issue: no "你（单位）", no printed seal circle, no doubled 依据,
    no hash code outside the 证据目录, and no last page holding only a remnant."""
    with demo.read_session() as s:
        cases = list(s.scalars(select(Case.id)))
    seen = 0
    for cid in cases:
        for _round in range(2):  # a decision becomes ready once its 事先告知书 is issued
            for choice in read(demo, S.available_documents, cid):
                if not choice.ready:
                    continue
                text = issue(demo, cid, choice.doc_type, tmp_path, choice.act)
                t = flat("".join(text))
                where = (choice.title, cid)
                assert "你（单位）" not in t and "（印章）" not in t, where
                assert not re.search(r"依据[^。]{0,60}的规定，依据", t) and "依据依据" not in t, where
                hashes = [h for h in re.findall(r"([0-9a-f]{8})）", t) if re.search("[a-f]", h)]
                assert "校验码" not in t and not hashes, where
                assert_last_page_is_not_a_remnant(text)
                seen += 1
    assert seen >= 60
