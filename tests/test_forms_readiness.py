"""Every document the demo cases' stage calls for is ready, issues, reprints to the same bytes and verifies.

The demo profile records each act with what its document prints (笔录起止时间, 调查通知, 调查终结,
送达地址确认, 移送依据, …). Documents are issued in procedure order, so the 事先告知书 exists (and
its 文号) before the 陈述申辩笔录 and the 决定书 quote it, and the 决定书 before the 催告书.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sqlalchemy import select

from forms import case_context as cc
from forms import service as S
from forms import sources
from lishui_desk.crypto.keyring import KdfParams
from lishui_desk.edge import build_demo, read, run
from lishui_desk.models import Case
from lishui_desk.services.demo import DEMO_PASSPHRASE
from lishui_desk.storage.profile import open_profile
from lishui_desk.timeutil import today_local

# document types each demo case must offer (at least), by (party, stage)
EXPECTED: dict[tuple[str, str], set[str]] = {
    ("吴丽华", "not_filed"): {"case_non_filing"},
    ("毛春生", "investigation"): {"case_filing", "investigation_notice", "inspection_record", "inquiry_record",
                                  "service_address_confirmation"},
    ("周秀英", "investigation"): {"evidence_preservation", "inspection_record"},
    ("吴丽华", "statement"): {"investigation_notice", "investigation_report", "penalty_notice",
                              "statement_record", "case_handling_approval", "service_receipt"},
    ("龙泉市八都镇老街餐饮店", "execution"): {"investigation_report", "penalty_notice", "penalty_decision",
                                               "service_receipt", "payment_reminder", "case_handling_approval"},
    ("叶建国", "archived"): {"penalty_decision", "case_closing", "case_handling_approval"},
    ("吴丽华", "no_penalty"): {"investigation_report", "non_penalty_decision"},
    ("林志强", "transferred"): {"case_transfer"},
    ("吴丽华", "summary_decided"): {"onsite_penalty_decision"},
}
# documents that do not fit a stage and must not be offered there
NOT_OFFERED: dict[tuple[str, str], set[str]] = {
    ("林志强", "investigation"): {"investigation_notice", "investigation_report", "case_handling_approval",
                                  "penalty_decision"},
    ("吴丽华", "summary_decided"): {"service_address_confirmation", "case_filing"},
    ("龙泉市八都镇顺发运输队", "statement"): {"statement_record"},  # no oral statement recorded
}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("ready")
    build_demo("demo", DEMO_PASSPHRASE, root=root, kdf_params=KdfParams(memory_cost=8192, iterations=1, lanes=1))
    prof = open_profile("demo", DEMO_PASSPHRASE, root=root)
    yield prof
    prof.close()


def _cases(prof) -> list[tuple[str, str, str]]:
    with prof.read_session() as s:
        return [(c.id, c.party_name or "", c.stage) for c in s.scalars(select(Case).order_by(Case.id))]


def _issue_all(prof, cid: str) -> tuple[dict[tuple[str, str | None], object], list[str]]:
    """Issue what the case offers in procedure order — every act of a type (a receipt per served
    document) — ; a document that becomes ready later is issued too."""
    issued: dict[tuple[str, str | None], object] = {}
    offered: list[str] = []
    order = {t: n for n, t in enumerate(S.procedure_order())}
    for _round in range(3):
        pending = [c for c in read(prof, S.available_documents, cid) if (c.doc_type, c.act) not in issued]
        offered += [c.doc_type for c in pending if c.doc_type not in offered]
        if not pending:
            break
        for choice in sorted(pending, key=lambda c: order.get(c.doc_type, 99)):
            fresh = {(c.doc_type, c.act): c for c in read(prof, S.available_documents, cid)}[(choice.doc_type, choice.act)]
            assert fresh.ready, (cid, choice.title, fresh.missing)
            issued[(choice.doc_type, choice.act)] = run(prof, S.issue_document, cid, choice.doc_type, choice.act)
    return issued, offered


def test_every_offered_document_of_every_demo_case_is_ready_and_issues(demo, tmp_path: Path) -> None:
    seen: dict[tuple[str, str], list[str]] = {}
    total = 0
    for cid, party, stage in _cases(demo):
        issued, offered = _issue_all(demo, cid)
        seen[(party, stage)] = offered
        total += len(issued)
        for (doc_type, _act), row in issued.items():
            assert row.doc_type == doc_type
            pdf = read(demo, S.reprint, row.id)
            assert hashlib.sha256(pdf).hexdigest() == row.pdf_sha256
            path = tmp_path / f"{row.id}.pdf"
            path.write_bytes(pdf)
            result = read(demo, S.verify, path)
            assert result.ok and result.doc_type == doc_type, (doc_type, result.reason)
        # after issuing, nothing offered is left unissued for a missing value
        left = [c for c in read(demo, S.available_documents, cid) if (c.doc_type, c.act) not in issued]
        assert not left, (party, stage, [(c.doc_type, c.missing) for c in left])
    for key, docs in EXPECTED.items():
        assert key in seen, key
        assert docs <= set(seen[key]), (key, docs - set(seen[key]))
    for key, docs in NOT_OFFERED.items():
        assert not docs & set(seen[key]), (key, docs & set(seen[key]))
    assert total >= 60


def test_documents_print_what_the_acts_recorded(demo) -> None:
    by = {(p, s): cid for cid, p, s in _cases(demo)}
    cid = by[("吴丽华", "statement")]
    if "penalty_notice" not in {r.doc_type for r in read(demo, S.list_documents, cid)}:
        _issue_all(demo, cid)  # the test may run alone
    with demo.read_session() as s:
        f = cc.load_facts(s, cid, today_local())
        stmt, _ = sources.document_context(f, "statement_record")
        summons, _ = sources.document_context(f, "investigation_notice")
        report, _ = sources.document_context(f, "investigation_report")
        inquiry, _ = sources.document_context(f, "inquiry_record")
        notice_no = f.issued("penalty_notice").number
    assert stmt["statement"]["time"].endswith("T10:00") and stmt["statement"]["end"].endswith("T10:20")
    assert stmt["notice"]["number"] == notice_no  # the 事先告知书 issued for this notice
    assert summons["summons"]["time"].endswith("T14:30") and "高音广播喇叭" in summons["summons"]["matters"]
    assert summons["summons"]["materials"] == ["身份证件", "相关证明材料"]
    assert report["investigation"]["proposal"].startswith("给予行政处罚：罚款人民币500元")
    assert inquiry["inquiry"]["qa"][0]["a"] == "看过了，不申请回避。" and len(inquiry["inquiry"]["qa"]) == 3


def test_question_and_answer_lines_become_pairs() -> None:
    qa = cc._qa("问：你是否申请回避？\n答：不申请。\n问：请说明情况\n（补充）\n答：属实\n")
    assert qa == [{"q": "你是否申请回避？", "a": "不申请。"}, {"q": "请说明情况（补充）", "a": "属实"}]
    unanswered = cc._qa("问:有无异议？")
    assert unanswered == [{"q": "有无异议？", "a": ""}]  # an empty answer is reported missing, not invented
    assert cc._qa("") is None and cc._items("身份证件、营业执照，照片") == ["身份证件", "营业执照", "照片"]
