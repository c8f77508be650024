"""调查通知, 调查终结, 送达地址确认 and the start/end times of 笔录 (《行政处罚法》第五十五条、第五十七条、第六十一条)."""

from __future__ import annotations

from datetime import date

import pytest

from lishui_desk.errors import RuleViolation
from lishui_desk.procedure import ACTIONS, check, fold, missing, next_steps
from lishui_desk.procedure import vocabulary as V
from tests.test_procedure_fixtures import decision, file_case, find, lead, notify, rule_ids

DAY = date(2025, 9, 2)


def _filed():
    log = lead(date(2025, 9, 1))
    return file_case(log, DAY)


def _conclude(log, **extra):
    payload = {"concluded_on": "2025-09-03", "summary": "现场检查并询问当事人", "conclusion": "事实清楚，证据充分",
               "proposal": "给予行政处罚", "proposal_detail": "罚款500元"}
    payload.update(extra)
    log.at(date(2025, 9, 3))
    return log.do("conclude_investigation", payload, "o1")


def test_summons_is_recorded_in_the_investigation_and_checks_its_time() -> None:
    log = _filed()
    base = {"issued_on": "2025-09-02", "summons_on": "2025-09-04", "summons_time": "14:30", "place": "执法队询问室",
            "matters": "堆放物料的时间和数量"}
    bad = check(log.state, "issue_summons", {**base, "summons_time": "25:00"}, log.ctx)
    assert "不是有效时间" in find(bad, "record.times").message
    early = check(log.state, "issue_summons", {**base, "summons_on": "2025-09-01"}, log.ctx)
    assert "早于通知日期" in find(early, "record.times").message
    with pytest.raises(RuleViolation):
        log.do("issue_summons", {k: v for k, v in base.items() if k != "matters"}, "o1")
    log.do("issue_summons", {**base, "summons_time": "14：30"}, "o1")
    st = log.state
    assert st.stage == V.INVESTIGATION and len(st.summonses) == 1
    assert st.summonses[0].get("place") == "执法队询问室"


def test_summons_and_conclusion_are_refused_after_the_decision() -> None:
    log = _filed()
    _conclude(log)
    notify(log, date(2025, 9, 3), date(2025, 9, 3))
    log.at(date(2025, 9, 25))
    log.do("decide", decision(date(2025, 9, 25)), "lead")
    assert log.state.stage == V.DECIDED
    for action in ("issue_summons", "conclude_investigation"):
        assert "stage.not_allowed" in rule_ids(check(log.state, action, {}, log.ctx))


def test_a_missing_conclusion_warns_before_notice_and_decision_but_does_not_block() -> None:
    log = _filed()
    warn = find(missing(log.state, log.ctx), "investigation.concluded")
    assert not warn.blocks and warn.article == "《行政处罚法》第五十七条第一款"
    notice = check(log.state, "issue_notice", {"issued_on": "2025-09-03", "kinds": ["罚款"], "amount": "500",
                                               "facts": "堆放物料", "basis": "条例"}, log.ctx)
    assert "investigation.concluded" in rule_ids(notice, blocking_only=False)
    notify(log, date(2025, 9, 3), date(2025, 9, 3))  # existing flows still work
    assert "investigation.concluded" in log.state.notice.get("acknowledged_warnings")


def test_conclusion_folds_and_clears_the_warning() -> None:
    log = _filed()
    assert "conclude_investigation" in {s.action for s in next_steps(log.state, log.ctx)}
    with pytest.raises(RuleViolation) as exc:
        _conclude(log, proposal="罚款")
    assert "不在可选范围内" in str(exc.value.violations[0].message)
    _conclude(log)
    st = log.state
    assert st.conclusion is not None and st.conclusion.get("proposal") == V.PROPOSE_PENALTY
    assert "investigation.concluded" not in rule_ids(missing(st, log.ctx), blocking_only=False)
    # the 调查终结报告 is part of the file a 法制审核 opinion covers
    assert st.last_change_seq == st.conclusion.seq
    # a later conclusion replaces the earlier one
    _conclude(log, proposal="不予行政处罚", proposal_detail="首违不罚")
    assert log.state.conclusion.get("proposal") == V.PROPOSE_NO_PENALTY and len(log.state.conclusions) == 2


def test_conclusion_is_not_asked_of_a_summary_penalty() -> None:
    log = lead(date(2025, 9, 1))
    assert ACTIONS["conclude_investigation"].stages == (V.FILED, V.INVESTIGATION)
    assert "investigation.concluded" not in rule_ids(missing(log.state, log.ctx), blocking_only=False)


def test_record_times_are_checked_and_stored() -> None:
    log = _filed()
    inquiry = {"inquired_on": "2025-09-02", "person": "张三", "person_role": "当事人", "summary": "无异议",
               "officer_ids": ["o1", "o2"], "start_time": "15:00", "end_time": "14:30", "place": "询问室"}
    assert "应晚于开始时间" in find(check(log.state, "record_inquiry", inquiry, log.ctx), "record.times").message
    log.do("record_inquiry", {**inquiry, "end_time": "15:40", "qa": "问：是否属实？\n答：属实。"}, "o1")
    rec = log.state.inquiries[-1]
    assert (rec.get("start_time"), rec.get("end_time"), rec.get("place")) == ("15:00", "15:40", "询问室")


def test_inspection_without_showing_certificates_warns() -> None:
    log = _filed()
    payload = {"inspected_on": "2025-09-02", "place": "八都村", "findings": "堆放建材", "officer_ids": ["o1", "o2"],
               "start_time": "09:00", "end_time": "09:30"}
    w = find(check(log.state, "record_inspection", payload, log.ctx), "record.rights_notified")
    assert not w.blocks and w.article == "《行政处罚法》第五十五条第一款"
    ok = check(log.state, "record_inspection", {**payload, "rights_notified": True}, log.ctx)
    assert "record.rights_notified" not in rule_ids(ok, blocking_only=False)


def test_service_address_confirmation_allows_electronic_service() -> None:
    log = _filed()
    _conclude(log)
    log.at(date(2025, 9, 3))
    log.do("issue_notice", {"issued_on": "2025-09-03", "kinds": ["罚款"], "amount": "500", "facts": "堆放物料",
                            "basis": "条例"}, "o1")
    served = {"served_on": "2025-09-03", "method": "电子送达"}
    assert "service.electronic_consent" in rule_ids(check(log.state, "serve_notice", served, log.ctx))
    no_address = check(log.state, "confirm_service_address", {"address": "八都村1号", "e_consent": True}, log.ctx)
    assert "service.electronic_address" in rule_ids(no_address)
    log.do("confirm_service_address", {"address": "八都村1号", "phone": "13800000000", "e_consent": True}, "o1")
    assert log.state.service_address.get("e_consent") is True
    log.do("serve_notice", served, "o1")
    assert log.state.notice_served is not None


def test_decline_filing_records_its_officers() -> None:
    log = lead(date(2025, 9, 1))
    log.do("decline_filing", {"reason": "不构成违法", "approved_by": "lead", "officer_ids": ["o1", "o2"]}, "o1")
    st = fold(log.events)
    assert st.stage == V.NOT_FILED and st.officers == ("o1", "o2")


def test_transfer_and_preservation_keep_what_their_documents_print() -> None:
    log = _filed()
    log.do("preserve_evidence", {"items": "塑料薄膜一袋", "reason": "证据可能灭失", "approved_by": "lead",
                                 "officer_ids": ["o1", "o2"], "place": "证物室", "keeper": "执法队"}, "o1")
    rec = log.state.preservations[-1]
    assert (rec.get("place"), rec.get("keeper")) == ("证物室", "执法队")
    log.do("transfer_case", {"target": "县级主管部门", "receiver": "县执法局", "reason": "不属本镇管辖",
                             "basis": "《行政处罚法》第二十二条", "materials": "举报登记、照片"}, "o1")
    assert log.state.stage == V.TRANSFERRED and log.state.transfer.get("materials") == "举报登记、照片"
