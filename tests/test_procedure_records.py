"""Legal review, late fee, corrections, next steps / missing, calendar gaps and the policy file."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from lishui_desk.errors import InvalidInput
from lishui_desk.policy import DEFAULT_PATH, Policy
from lishui_desk.procedure import check, deadlines, fold, missing, next_steps
from lishui_desk.procedure import vocabulary as V
from lishui_desk.workcal import WorkdayCalendar
from tests.test_procedure_fixtures import (
    CAL,
    WASTE,
    company,
    decision,
    file_case,
    find,
    lead,
    notify,
    rule_ids,
)


def _major_case():
    log = lead(date(2025, 9, 1), item=WASTE, party=company())
    file_case(log, date(2025, 9, 2))
    notify(log, date(2025, 9, 3), date(2025, 9, 3), kinds=["罚款", "没收违法所得"], amount="100000", hearing=True)
    log.at(date(2025, 9, 15))
    log.do("record_waiver", {"scope": "陈述申辩和听证", "written": True, "signed_by": "钱某"}, "o1")
    return log


def _major_decision(day: date):
    return decision(day, kinds=["罚款", "没收违法所得"], amount="100000")


def test_major_case_blocked_until_review_approves() -> None:
    log = _major_case()
    day = date(2025, 9, 16)
    v = find(check(log.state, "decide", _major_decision(day), log.ctx), "review.required")
    # 没收 as a 重大执法决定 is the county's list (policy), not a ground of Art. 58 itself
    assert v.policy_key == "major_decision.kinds" and "没收违法所得" in v.message and "政策版本" in v.article
    log.do("request_legal_review", {"proposed_outcome": "处罚", "kinds": ["罚款", "没收违法所得"], "amount": "100000"}, "o1")
    unqualified = check(log.state, "record_legal_review", {"result": "同意", "reviewer_id": "rev2"}, log.ctx)
    assert find(unqualified, "review.reviewer_qualified").article == "《行政处罚法》第五十八条第二款"
    no_reason = check(log.state, "record_legal_review", {"result": "存在问题", "reviewer_id": "rev"}, log.ctx)
    assert "review.reasons" in rule_ids(no_reason)
    log.do("record_legal_review", {"result": "存在问题", "reasons": "违法所得计算依据不足", "reviewer_id": "rev"}, "rev")
    still = find(check(log.state, "decide", _major_decision(day), log.ctx), "review.required")
    assert "存在问题" in still.message and "违法所得计算依据不足" in still.message
    log.do("record_legal_review", {"result": "同意", "reasons": "已补正", "reviewer_id": "rev"}, "rev")
    after = check(log.state, "decide", _major_decision(day), log.ctx)
    assert "review.required" not in rule_ids(after)
    # a major decision also needs 集体讨论 — by county policy: Art. 57 para 2 asks it for 情节复杂/重大违法行为 only
    collective = find(after, "collective.required")
    assert collective.policy_key == "collective_discussion.when_major" and collective.article.startswith("县级政策参数")
    # new evidence after the approval: the opinion no longer covers the file
    log.do("add_evidence", {"kind": "书证", "description": "补充的销售单据"}, "o1")
    stale = find(check(log.state, "decide", _major_decision(day), log.ctx), "review.required")
    assert "重新提请" in stale.message
    log.do("record_legal_review", {"result": "同意", "reasons": "补充材料无异议", "reviewer_id": "rev"}, "rev")
    log.do("record_collective_discussion", {"participants": ["lead", "o1", "o2"], "chaired_by": "lead",
                                            "conclusion": "同意处罚"}, "lead")
    log.do("decide", _major_decision(day), "lead")
    assert log.state.stage == V.DECIDED


def test_hearing_held_makes_review_required() -> None:
    log = lead(date(2025, 9, 1))
    file_case(log, date(2025, 9, 2))
    notify(log, date(2025, 9, 3), date(2025, 9, 3), hearing=True)
    log.at(date(2025, 9, 4))
    log.do("request_hearing", {"form": "书面"}, "o1")
    log.do("schedule_hearing", {"hearing_on": "2025-09-20", "place": "镇政府", "presider_id": "rev"}, "o1")
    log.at(date(2025, 9, 20))
    log.do("record_hearing", {"result": "已举行", "summary": "当事人申辩"}, "rev")
    log.at(date(2025, 9, 25))
    # Art. 58(二): a hearing alone does not make the decision major; with 重大权益 it does
    assert "review.required" not in rule_ids(check(log.state, "decide", decision(date(2025, 9, 25)), log.ctx))
    log.do("flag_case", {"flags": ["直接关系重大权益"], "reason": "涉及经营场所"}, "o1")
    v = find(check(log.state, "decide", decision(date(2025, 9, 25)), log.ctx), "review.required")
    assert v.article == "《行政处罚法》第五十八条" and v.policy_key is None and "经过听证程序" in v.message


def test_late_fee_at_day_40_is_capped_at_the_fine() -> None:
    log = lead(date(2025, 9, 1))
    file_case(log, date(2025, 9, 2))
    notify(log, date(2025, 9, 3), date(2025, 9, 3))
    log.at(date(2025, 9, 15))
    log.do("decide", decision(date(2025, 9, 15)), "lead")
    log.do("serve_decision", {"method": "直接送达", "receiver": "本人"}, "o1")  # due 2025-09-30
    log.at(date(2025, 11, 9))  # 40 days after the due date
    pay = {d.key: d for d in deadlines(log.state, log.ctx)}["payment"]
    assert pay.due == date(2025, 9, 30) and pay.overdue
    assert "500.00" in pay.note and "上限" in pay.note
    v = find(check(log.state, "record_payment", {"amount": "500", "channel": "银行"}, log.ctx), "payment.late_fee")
    assert v.article == "《行政处罚法》第七十二条第一款第一项、第七十三条第三款" and "500.00" in v.message
    ok = check(log.state, "record_payment", {"amount": "500", "late_fee": "500", "channel": "银行"}, log.ctx)
    assert "payment.late_fee" not in rule_ids(ok, blocking_only=False)
    # a pending 行政复议 pauses the clock
    log.do("record_remedy", {"kind": "行政复议", "started_on": "2025-10-02", "ended_on": "2025-11-09"}, "o1")
    pay = {d.key: d for d in deadlines(log.state, log.ctx)}["payment"]
    assert "已逾期1日" in pay.note and "15.00" in pay.note


def test_correction_replaces_payload_but_log_keeps_original() -> None:
    log = lead(date(2025, 9, 1))
    file_case(log, date(2025, 9, 2))
    filed = next(e for e in log.events if e.type == V.EV_FILED)
    replacement = {**filed.payload, "case_number": "龙综执八都立〔2025〕2号"}
    log.do("record_correction", {"target_event_id": filed.id, "replacement": replacement, "reason": "编号笔误"}, "o1")
    st = fold(log.events)
    assert st.case_number == "龙综执八都立〔2025〕2号"
    assert filed.payload["case_number"] == "龙综执八都立〔2025〕1号"
    assert log.events[-1].corrects == filed.id and st.corrected_ids[filed.id] == log.events[-1].id
    bad = check(st, "record_correction", {"target_event_id": "nope", "replacement": {}, "reason": "x"}, log.ctx)
    assert "correction.target" in rule_ids(bad)
    invalid = check(st, "record_correction", {"target_event_id": filed.id,
                                              "replacement": {**filed.payload, "filed_on": "2025-13-01"}, "reason": "x"},
                    log.ctx)
    assert "payload.invalid" in rule_ids(invalid)


def test_next_steps_and_missing_for_fresh_lead() -> None:
    log = lead(date(2025, 9, 1))  # registered by one officer
    steps = {s.action: s for s in next_steps(log.state, log.ctx)}
    assert {"file_case", "summary_penalty", "decline_filing", "transfer_case"} <= set(steps)
    assert "decide" not in steps
    gaps = missing(log.state, log.ctx)
    assert any("缺少第二名执法人员" in v.message for v in gaps)
    fresh = fold([])
    assert [s.action for s in next_steps(fresh, log.ctx)] == ["register_lead"]


def test_next_steps_and_missing_for_notified_case() -> None:
    log = lead(date(2025, 9, 1))
    file_case(log, date(2025, 9, 2))
    log.at(date(2025, 9, 3))
    log.do("issue_notice", {"kinds": ["罚款"], "amount": "500", "facts": "x", "basis": "y"}, "o1")
    gaps = missing(log.state, log.ctx)
    assert any("事先告知书尚未送达" in v.message for v in gaps)
    steps = {s.action: s for s in next_steps(log.state, log.ctx)}
    assert steps["serve_notice"].allowed and not steps["decide"].allowed
    log.do("serve_notice", {"method": "直接送达", "receiver": "本人"}, "o1")
    gaps = rule_ids(missing(log.state, log.ctx))
    assert "rights.statement_window" in gaps and "rights.notice_served" not in gaps


def test_calendar_gap_shows_the_range_and_warns_by_the_earliest_date() -> None:
    log = lead(date(2025, 9, 1))
    file_case(log, date(2025, 9, 2))
    only_2025 = WorkdayCalendar([y for y in [CAL_2025] if y is not None])
    log.ctx = replace(log.ctx, calendar=only_2025)
    info = {d.key: d for d in deadlines(log.state, log.ctx)}
    assert info["clock.ninety_days"].due == date(2025, 12, 1)
    log.at(date(2025, 12, 29))
    log.do("issue_notice", {"kinds": ["罚款"], "amount": "500", "facts": "x", "basis": "y"}, "o1")
    log.do("serve_notice", {"method": "直接送达", "receiver": "本人"}, "o1")  # statement window runs into 2026
    info = {d.key: d for d in deadlines(log.state, log.ctx)}
    gap = info["rights.statement_window"]
    # 5 working days from 2025-12-29 under any 2026 arrangement: 01-04 at the earliest, 01-07 at the latest
    assert (gap.earliest, gap.latest) == (date(2026, 1, 4), date(2026, 1, 7)) and gap.due == gap.earliest
    assert "2026" in gap.error and "最早2026-01-04" in gap.error and "最晚2026-01-07" in gap.error
    real = {d.key: d for d in deadlines(log.state, replace(log.ctx, calendar=CAL))}["rights.statement_window"]
    assert gap.earliest <= real.due <= gap.latest and real.earliest is None


CAL_2025 = WorkdayCalendar.default().year_info(2025)


def test_ninety_day_clock_blocks_without_extension() -> None:
    log = lead(date(2025, 6, 1))
    file_case(log, date(2025, 6, 2))  # 90 days → 2025-08-31 (Sunday) rolls to 2025-09-01
    notify(log, date(2025, 8, 1), date(2025, 8, 1))
    log.at(date(2025, 9, 2))
    v = find(check(log.state, "decide", decision(date(2025, 9, 2)), log.ctx), "clock.ninety_days")
    assert v.article == "《行政处罚法》第六十条" and "2025-09-01" in v.message
    log.do("extend_deadline", {"days": 30, "basis": "部门规章", "reason": "案情复杂", "approved_by": "lead"}, "lead")
    assert "clock.ninety_days" not in rule_ids(check(log.state, "decide", decision(date(2025, 9, 2)), log.ctx))


def test_policy_default_file_and_validation() -> None:
    pol = Policy.load_default()
    assert pol.hearing_threshold("individual", None) is None  # 较大数额 not guessed
    assert pol.notes["hearing_fine_threshold"].status == "待县级确认"
    assert pol.statement_window_working_days == 5
    assert pol.threshold_party("sole_trader") == "individual"
    data = json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))
    data["fields"]["hearing_fine_threshold"]["value"] = {"individual": "5000", "organisation": "100000",
                                                         "by_domain": {"林业": {"individual": "2000"}}}
    set_pol = Policy.from_dict(data)
    assert set_pol.hearing_threshold("individual", "林业") == Decimal(2000)
    assert set_pol.hearing_threshold("organisation", "林业") == Decimal(100000)
    broken = json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))
    del broken["fields"]["disclosure"]["source"]
    with pytest.raises(InvalidInput, match="disclosure"):
        Policy.from_dict(broken)
    raw = DEFAULT_PATH.read_bytes()
    assert Policy.from_signed(raw, lambda _b: True).version == pol.version
    with pytest.raises(InvalidInput, match="签名"):
        Policy.from_signed(raw, lambda _b: False)


def test_configured_hearing_threshold_requires_hearing_right() -> None:
    data = json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))
    data["fields"]["hearing_fine_threshold"]["value"] = {"individual": "1000", "organisation": "50000"}
    log = lead(date(2025, 9, 1), policy=Policy.from_dict(data))
    file_case(log, date(2025, 9, 2))
    found = check(log.state, "issue_notice", {"kinds": ["罚款"], "amount": "1000", "facts": "x", "basis": "y"}, log.ctx)
    assert "较大数额" in find(found, "hearing.right_required").message
    assert "hearing.threshold_unknown" not in rule_ids(found, blocking_only=False)


def test_disclosure_due_and_withdrawal_after_correction() -> None:
    log = lead(date(2025, 9, 1))
    file_case(log, date(2025, 9, 2))
    notify(log, date(2025, 9, 3), date(2025, 9, 3))
    log.at(date(2025, 9, 15))
    decided = log.do("decide", decision(date(2025, 9, 15)), "lead")[0]
    info = {d.key: d for d in deadlines(log.state, log.ctx)}
    assert info["disclosure.publish"].due == date(2025, 9, 24) and not info["disclosure.publish"].done
    masked = check(log.state, "record_disclosure", {"channel": "政务网"}, log.ctx)
    assert find(masked, "disclosure.masked").severity == "warn"
    log.do("record_disclosure", {"channel": "政务网", "masked": True}, "o1")
    log.at(date(2025, 9, 29))  # 3 working days over 国庆: 09-30, 10-09, 10-10
    log.do("record_correction", {"target_event_id": decided.id, "reason": "依据条款更正",
                                 "replacement": {**decided.payload, "basis": "《浙江省城市市容和环境卫生管理条例》第二十条"}}, "o1")
    info = {d.key: d for d in deadlines(log.state, log.ctx)}
    w = info["disclosure.withdraw"]
    assert w.due == date(2025, 10, 10) and not w.done and w.article == "《行政处罚法》第四十八条第二款、第八十五条"
    log.do("withdraw_disclosure", {"reason": "决定已更正"}, "o1")
    assert {d.key: d for d in deadlines(log.state, log.ctx)}["disclosure.withdraw"].done


def test_next_steps_and_deadlines_are_cheap() -> None:
    log = lead(date(2025, 9, 1))
    file_case(log, date(2025, 9, 2))
    notify(log, date(2025, 9, 3), date(2025, 9, 3), hearing=True)
    st = log.state
    import time

    start = time.perf_counter()
    for _ in range(200):
        next_steps(st, log.ctx)
        deadlines(st, log.ctx)
    per_case_ms = (time.perf_counter() - start) / 200 * 1000
    assert per_case_ms < 5


def test_a_partial_payment_lowers_the_late_fee_from_the_next_day() -> None:
    """《行政处罚法》第七十二条第一款第一项: 3% a day of the fine still unpaid, capped at the fine."""
    log = lead(date(2025, 9, 1))
    file_case(log, date(2025, 9, 2))
    notify(log, date(2025, 9, 3), date(2025, 9, 3))
    log.at(date(2025, 9, 15))
    log.do("decide", decision(date(2025, 9, 15)), "lead")
    log.do("serve_decision", {"method": "直接送达", "receiver": "本人"}, "o1")  # ¥500 due 2025-09-30
    log.at(date(2025, 10, 4))  # 4th late day: 4 × 15 = 60 owed, ¥300 of the fine paid
    log.do("record_payment", {"amount": "300", "late_fee": "60", "channel": "银行"}, "o1")
    log.at(date(2025, 10, 14))  # 10 more days on the ¥200 still unpaid: 60 + 10 × 6 = 120
    pay = {d.key: d for d in deadlines(log.state, log.ctx)}["payment"]
    assert "已逾期14日" in pay.note and "120.00" in pay.note
    v = find(check(log.state, "record_payment", {"amount": "200", "channel": "银行"}, log.ctx), "payment.late_fee")
    assert "120.00" in v.message and v.article.startswith("《行政处罚法》第七十二条第一款第一项")
    log.do("record_payment", {"amount": "200", "late_fee": "60", "channel": "银行"}, "o1")
    assert log.state.stage == V.PERFORMED  # fine and the whole 加处罚款 (120) paid


def test_the_bundled_policy_carries_no_value_that_decides_nothing() -> None:
    """Every field of the bundled policy is one the parser reads; the statutory hearing periods
    (《行政处罚法》第六十四条第一项、第二项) are not policy. A policy published before they were removed
    still loads (the old fields are ignored, as they never decided anything)."""
    from lishui_desk import policy as P

    data = json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))
    assert set(data["fields"]) <= set(P._KNOWN_FIELDS) | set(P._OPTIONAL_FIELDS)
    assert not {"hearing_request_working_days", "hearing_notice_working_days"} & set(data["fields"])
    old = json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))
    old["fields"]["hearing_notice_working_days"] = {"value": 3, "source": "旧版", "status": "县级确认"}
    old["fields"]["hearing_request_working_days"] = {"value": 9, "source": "旧版", "status": "县级确认"}
    loaded = Policy.from_dict(old)
    assert loaded.statement_window_working_days == 5 and "hearing_notice_working_days" not in loaded.notes
    # the 7-working-day notice rule is the statute's whatever an old policy said
    log = lead(date(2025, 9, 1), policy=loaded)
    file_case(log, date(2025, 9, 2))
    notify(log, date(2025, 9, 3), date(2025, 9, 3), hearing=True)
    log.at(date(2025, 9, 5))
    log.do("request_hearing", {"form": "书面"}, "o1")
    v = find(check(log.state, "schedule_hearing", {"hearing_on": "2025-09-10", "place": "会议室", "presider_id": "lead",
                                                 "served_on": "2025-09-05", "method": "直接送达", "receiver": "本人"},
                   log.ctx), "hearing.notice_7days")
    assert v.blocks and v.policy_key is None and "第六十四条" in v.article
