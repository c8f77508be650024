"""Guard scenarios: officers, recusal, competence/移送, limitation, minors, 首违不罚, one fine, county matters."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from lishui_desk.errors import RuleViolation
from lishui_desk.procedure import PriorCase, check, next_steps
from lishui_desk.procedure import vocabulary as V
from tests.test_procedure_fixtures import (
    BURNING,
    NOISE,
    STACKING,
    WASTE,
    WITHDRAWN,
    company,
    decision,
    file_case,
    find,
    lead,
    notify,
    person,
    rule_ids,
)

DAY = date(2026, 5, 11)


def _filing(log, **extra):
    st = log.state
    payload = {"case_number": "X-1", "item_code": st.item_code, "violation_date": st.violation_date.isoformat(),
               "facts": "事实", "officer_ids": ["o1", "o2"], "approved_by": "lead"}
    payload.update(extra)
    return payload


def test_two_officers_rule_counts_only_certified_current_officers() -> None:
    log = lead(DAY)
    ok = check(log.state, "file_case", _filing(log), log.ctx)
    assert rule_ids(ok) == set()
    one = find(check(log.state, "file_case", _filing(log, officer_ids=["o1"]), log.ctx), "officers.two_certified")
    assert one.article == "《行政处罚法》第四十二条" and "第二名" in one.message
    expired = check(log.state, "file_case", _filing(log, officer_ids=["o1", "o3"]), log.ctx)
    assert find(expired, "officers.certificate_valid").article == "《浙江省综合行政执法条例》第二十八条"
    assert "2024-06-30" in find(expired, "officers.certificate_valid").message
    assert "officers.two_certified" in rule_ids(expired)
    aux = check(log.state, "file_case", _filing(log, officer_ids=["o1", "aux"]), log.ctx)
    assert find(aux, "officers.auxiliary").article == "《行政处罚法》第四十二条、《浙江省综合行政执法条例》第三十条"
    assert "officers.two_certified" in rule_ids(aux)
    with pytest.raises(RuleViolation):
        log.do("record_inspection", {"place": "村口", "findings": "堆放", "officer_ids": ["o1", "aux"]}, "o1")


def test_recused_officer_may_not_act() -> None:
    log = lead(DAY)
    log.do("record_recusal", {"officer_id": "o2", "reason": "与当事人系亲属", "applied_by": "当事人申请", "granted": True,
                              "decided_by": "lead"}, "lead")
    found = check(log.state, "file_case", _filing(log), log.ctx)
    v = find(found, "officers.recusal")
    assert v.article == "《行政处罚法》第四十三条" and "李明" in v.message
    not_leader = check(log.state, "record_recusal", {"officer_id": "o1", "reason": "x", "applied_by": "当事人申请",
                                                     "granted": True, "decided_by": "o2"}, log.ctx)
    assert find(not_leader, "recusal.leader").article == "《行政处罚法》第四十三条"


def test_item_outside_township_catalogue_leads_to_transfer() -> None:
    log = lead(DAY, item=WITHDRAWN)  # withdrawn from the catalogue on 2026-04-01
    warn = find(check(log.state, "register_lead", {}, log.ctx), "catalog.item_active")
    assert warn.article == "《行政处罚法》第二十四条、《浙江省综合行政执法条例》第九条"
    v = find(check(log.state, "file_case", _filing(log), log.ctx), "catalog.item_active")
    assert v.blocks and "移送" in v.message
    steps = {s.action: s for s in next_steps(log.state, log.ctx)}
    assert not steps["file_case"].allowed and steps["transfer_case"].allowed
    log.do("transfer_case", {"target": "县级主管部门", "receiver": "龙泉市生态环境分局", "reason": "不属本乡镇赋权事项"}, "o1")
    assert log.state.stage == V.TRANSFERRED
    # before the withdrawal date the same item was still delegated
    earlier = lead(DAY, item=WITHDRAWN, violation=date(2026, 3, 20))
    assert "catalog.item_active" not in rule_ids(check(earlier.state, "file_case", _filing(earlier), earlier.ctx))


def test_limitation_two_years_and_continuing_act() -> None:
    old = lead(DAY, violation=date(2024, 5, 10))
    v = find(check(old.state, "file_case", _filing(old), old.ctx), "limitation.period")
    assert v.article == "《行政处罚法》第三十六条" and "2年" in v.message
    edge = lead(DAY, violation=date(2024, 5, 11))
    assert "limitation.period" not in rule_ids(check(edge.state, "file_case", _filing(edge), edge.ctx))
    continuing = lead(DAY, violation=date(2022, 3, 1), violation_end_date="2026-04-30")
    assert "limitation.period" not in rule_ids(check(continuing.state, "file_case", _filing(continuing), continuing.ctx))
    # life/health item with harmful consequences: five years
    burning = lead(DAY, item=BURNING, violation=date(2022, 6, 1))
    found = find(check(burning.state, "file_case", _filing(burning), burning.ctx), "limitation.period")
    assert "有危害后果" in found.message
    ok = check(burning.state, "file_case", _filing(burning, harmful_consequence=True), burning.ctx)
    assert "limitation.period" not in rule_ids(ok)


def test_minor_13_gets_no_penalty_and_16_must_be_mitigated() -> None:
    child = person(birth=date(2012, 3, 1), name="小红")  # 13 on the violation date
    log = lead(date(2025, 9, 1), party=child, violation=date(2025, 9, 1))
    file_case(log, date(2025, 9, 2))
    log.at(date(2025, 9, 3))
    notice = {"kinds": ["罚款"], "amount": "200", "facts": "堆放物料", "basis": "条例"}
    v = find(check(log.state, "issue_notice", notice, log.ctx), "minor.under_14")
    assert v.article == "《行政处罚法》第三十条" and "13周岁" in v.message
    log.at(date(2025, 9, 20))
    v = find(check(log.state, "decide", decision(date(2025, 9, 20)), log.ctx), "minor.under_14")
    assert v.blocks and "监护人" in v.message
    log.do("decide", {"outcome": "不予处罚", "ground": "不满十四周岁", "remedies": "复议诉讼", "approved_by": "lead"}, "lead")
    log.do("serve_decision", {"method": "直接送达", "receiver": "监护人"}, "o1")
    edu = find(check(log.state, "close_case", {"summary": "结案"}, log.ctx), "education.required")
    assert "监护人" in edu.message and "第三十条" in edu.article
    log.do("record_education", {"target": "监护人", "content": "责令监护人加以管教"}, "o1")
    log.do("close_case", {"summary": "不予处罚，已责令监护人管教"}, "o1")
    assert log.state.stage == V.CLOSED

    teen = person(birth=date(2009, 3, 1), name="小刚")  # 16 on 2025-09-01
    log = lead(date(2025, 9, 1), party=teen)
    file_case(log, date(2025, 9, 2))
    notify(log, date(2025, 9, 3), date(2025, 9, 3), amount="300", mitigation="从轻")
    log.at(date(2025, 9, 20))
    v = find(check(log.state, "decide", decision(date(2025, 9, 20), amount="300"), log.ctx), "minor.mitigation")
    assert v.article == "《行政处罚法》第三十条" and "16周岁" in v.message
    ok = check(log.state, "decide", decision(date(2025, 9, 20), amount="300", mitigation="从轻"), log.ctx)
    assert rule_ids(ok) == set()


def test_minor_age_uses_violation_date_not_today() -> None:
    turned_14 = person(birth=date(2011, 9, 2), name="小李")  # 13 on 2025-09-01, 14 the next day
    log = lead(date(2025, 9, 10), party=turned_14, violation=date(2025, 9, 1))
    summary = {"decision_number": "N1", "party": turned_14, "item_code": STACKING, "violation_date": "2025-09-01",
               "place": "x", "facts": "x", "kinds": ["罚款"], "amount": "200", "basis": "x", "facts_certain": True,
               "officer_ids": ["o1", "o2"]}
    assert "minor.under_14" in rule_ids(check(log.state, "summary_penalty", summary, log.ctx))


def test_first_offence_waiver_leads_to_no_penalty_and_education() -> None:
    log = lead(date(2025, 9, 1))
    file_case(log, date(2025, 9, 2))
    log.at(date(2025, 9, 10))
    payload = {"outcome": "不予处罚", "ground": "首违不罚", "remedies": "复议诉讼", "facts": "初次堆放，已及时清理",
               "approved_by": "lead"}
    assert rule_ids(check(log.state, "decide", payload, log.ctx)) == set()
    log.do("decide", payload, "lead")
    assert log.state.stage == V.NO_PENALTY
    log.do("serve_decision", {"method": "直接送达", "receiver": "本人"}, "o1")
    v = find(check(log.state, "close_case", {"summary": "x"}, log.ctx), "education.required")
    assert v.article == "《行政处罚法》第三十三条第三款"
    log.do("record_education", {"target": "当事人", "content": "宣讲市容管理规定"}, "o1")
    log.do("close_case", {"summary": "首违不罚"}, "o1")
    assert log.state.stage == V.CLOSED


def test_first_offence_refused_when_prior_penalty_for_same_item() -> None:
    prior = [PriorCase("c-old", "龙综执八都罚〔2025〕3号", date(2025, 3, 1), STACKING, "处罚")]
    log = lead(date(2025, 9, 1), prior=prior)
    file_case(log, date(2025, 9, 2))
    payload = {"outcome": "不予处罚", "ground": "首违不罚", "remedies": "复议诉讼", "approved_by": "lead"}
    v = find(check(log.state, "decide", payload, log.ctx), "first_offence.prior")
    assert v.article == "《行政处罚法》第三十三条第一款" and "3号" in v.message
    old = [PriorCase("c-older", "旧案", date(2023, 3, 1), STACKING, "处罚")]  # outside the 365-day look-back
    log2 = lead(date(2025, 9, 1), prior=old)
    file_case(log2, date(2025, 9, 2))
    assert "first_offence.prior" not in rule_ids(check(log2.state, "decide", payload, log2.ctx))


def test_one_act_one_fine() -> None:
    log = lead(date(2025, 9, 1))
    file_case(log, date(2025, 9, 2))
    notify(log, date(2025, 9, 3), date(2025, 9, 3))
    log.at(date(2025, 9, 20))
    log.do("decide", decision(date(2025, 9, 20)), "lead")
    again = check(log.state, "decide", decision(date(2025, 9, 21), amount="100", decision_number="第2号"), log.ctx)
    v = find(again, "penalty.one_fine")
    assert v.article == "《行政处罚法》第二十九条"


def test_hearing_kinds_and_unknown_threshold() -> None:
    log = lead(date(2025, 9, 1), item=WASTE, party=company())
    file_case(log, date(2025, 9, 2))
    log.at(date(2025, 9, 3))
    base = {"facts": "遗撒建筑垃圾", "basis": "条例"}
    # 没收 gives the hearing right only for 较大数额/较大价值 (第六十三条第一款第二项), an amount not yet set
    confiscate = check(log.state, "issue_notice", {**base, "kinds": ["罚款", "没收违法所得"], "amount": "100000"}, log.ctx)
    assert "hearing.right_required" not in rule_ids(confiscate)
    assert "没收违法所得" in find(confiscate, "hearing.threshold_unknown").message
    fine_only = check(log.state, "issue_notice", {**base, "kinds": ["罚款"], "amount": "100000"}, log.ctx)
    unknown = find(fine_only, "hearing.threshold_unknown")
    assert unknown.severity == "warn" and "待县级确认" in unknown.text() and unknown.policy_key == "hearing_fine_threshold"
    assert "hearing.right_required" not in rule_ids(fine_only)


def test_county_level_kinds_warn_and_offer_transfer() -> None:
    log = lead(date(2025, 9, 1), item=NOISE, party=company())
    file_case(log, date(2025, 9, 2))
    found = check(log.state, "issue_notice", {"kinds": ["责令停产停业"], "facts": "x", "basis": "y",
                                              "hearing_right_given": True}, log.ctx)
    v = find(found, "county.matter")
    assert v.severity == "warn" and "移送" in v.message
    assert v.policy_key == "county_level_kinds" and "仍由县级部门管辖的处罚种类" in v.article  # a county choice


def test_preservation_needs_leader_and_handling_within_7_working_days() -> None:
    log = lead(date(2025, 9, 1))
    file_case(log, date(2025, 9, 2))
    log.at(date(2025, 9, 3))
    bad = check(log.state, "preserve_evidence", {"items": "钢管20根", "reason": "可能灭失", "approved_by": "o2",
                                                 "officer_ids": ["o1", "o2"]}, log.ctx)
    assert find(bad, "preserve.leader_approval").article == "《行政处罚法》第五十六条"
    rec = log.do("preserve_evidence", {"items": "钢管20根", "reason": "可能灭失", "approved_by": "lead",
                                       "officer_ids": ["o1", "o2"]}, "o1")[0]
    log.at(date(2025, 9, 15))  # 7 working days after 09-03 end on 09-12
    late = check(log.state, "handle_preserved", {"preservation_event_id": rec.id, "handling": "解除登记保存"}, log.ctx)
    assert "2025-09-12" in find(late, "preserve.in_time").message
    assert "preserve.unhandled" in rule_ids(check(log.state, "decide", decision(date(2025, 9, 15)), log.ctx), False)


def test_a_period_ending_in_an_unloaded_year_is_decided_on_its_bounds() -> None:
    """A window that ends in a year whose calendar is not loaded: a decision before its earliest
    possible end is refused, after its latest possible end allowed; only between them it stays
    undecided and blocks with the calendar's message — the other rules are still reported."""
    from lishui_desk.procedure import engine

    log = lead(date(2026, 12, 20))
    file_case(log, date(2026, 12, 21))
    notify(log, date(2026, 12, 28), date(2026, 12, 29))  # the 5-working-day window runs into 2027
    early_end, late_end = date(2027, 1, 4), date(2027, 1, 7)  # Dec 30, 31 + 3 or more days of 2027
    log.at(early_end)
    before = find(engine.check(log.state, "decide", {}, log.ctx), "rights.statement_window")
    assert before.blocks and "结论相同" in before.message
    log.at(date(2027, 1, 6))
    vs = engine.check(log.state, "decide", {}, log.ctx)
    gap = find(vs, "rights.statement_window")
    assert gap.blocks and "2027" in gap.message and "工作日历" in gap.message and "最晚可能" in gap.message
    assert "payload.required" in {v.rule_id for v in vs}  # the other rules were still evaluated
    log.at(late_end + timedelta(days=1))
    assert "rights.statement_window" not in rule_ids(engine.check(log.state, "decide", {}, log.ctx), False)
