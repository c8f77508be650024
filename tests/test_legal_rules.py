"""The law, second pass: the notice held to the decision's substance, Art. 60 past a calendar gap, policy
is not statute, rules no stricter than the text, and check answering what step does."""

from __future__ import annotations

import dataclasses
import json
from datetime import date

import pytest

from lishui_desk.policy import DEFAULT_PATH, Policy
from lishui_desk.procedure import ACTIONS, OfficerInfo, check, deadlines
from lishui_desk.procedure.simulate import DictOfficers
from tests.test_procedure_fixtures import (
    CAL,
    NOISE,
    OFFICERS,
    STACKING,
    WASTE,
    company,
    decision,
    file_case,
    find,
    lead,
    notify,
    person,
    rule_ids,
)


def _policy(**changes) -> Policy:
    data = json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))
    for dotted, value in changes.items():
        field, _, sub = dotted.partition("__")
        if sub:
            data["fields"][field]["value"][sub] = value
        else:
            data["fields"][field]["value"] = value
    data["policy_version"] = "丽水测试-2026.2"
    return Policy.from_dict(data)


# --- 3. the notice is held to the decision's substance ------------------------------------------


def _filed(item: str = STACKING, party=None):
    log = lead(date(2025, 9, 1), item=item, party=party)
    file_case(log, date(2025, 9, 2))
    log.at(date(2025, 9, 3))
    return log


BASE = {"facts": "堆放物料", "basis": "条例"}


def test_a_notice_above_the_statutory_maximum_is_refused_like_the_decision() -> None:
    log = _filed()  # 公民 200–1000
    notice = find(check(log.state, "issue_notice", {**BASE, "kinds": ["罚款"], "amount": "5000000"}, log.ctx),
                  "penalty.amount_range")
    log.at(date(2025, 9, 20))
    decided = find(check(log.state, "decide", decision(date(2025, 9, 20), amount="5000000"), log.ctx),
                   "penalty.amount_range")
    assert notice.blocks and decided.blocks and notice.article == decided.article and "第三十四条" in notice.article


@pytest.mark.parametrize("payload,rule", [
    ({"kinds": ["吊销许可证件"], "hearing_right_given": True}, "penalty.kinds"),  # not a kind the item allows
    ({"kinds": ["罚款"], "amount": "100"}, "penalty.amount_range"),  # below the legal minimum, no 减轻
    ({"kinds": ["罚款"]}, "penalty.kinds"),  # a fine without an amount
])
def test_the_notice_gets_every_substantive_block_of_the_decision(payload: dict, rule: str) -> None:
    log = _filed()
    v = find(check(log.state, "issue_notice", {**BASE, **payload}, log.ctx), rule)
    assert v.blocks


def test_a_notice_for_an_under_fourteen_party_is_refused() -> None:
    log = _filed(party=person(birth=date(2012, 3, 1), name="小红"))
    v = find(check(log.state, "issue_notice", {**BASE, "kinds": ["罚款"], "amount": "200"}, log.ctx), "minor.under_14")
    assert v.blocks and v.article == "《行政处罚法》第三十条"


def test_a_notice_for_an_item_outside_the_catalogue_or_the_limitation_is_refused() -> None:
    old = lead(date(2026, 5, 11), violation=date(2024, 5, 10))
    old.state.filed_on = date(2026, 5, 11)  # as if filed before the guard existed
    v = find(check(old.state, "issue_notice", {**BASE, "kinds": ["罚款"], "amount": "500"}, old.ctx), "limitation.period")
    assert v.blocks and v.article == "《行政处罚法》第三十六条"


# --- 5. Art. 60 when the 90th day falls in a year whose calendar is not loaded --------------------


def _filed_late_2026():
    log = lead(date(2026, 11, 1))
    file_case(log, date(2026, 11, 1))  # 90 days → 2027-01-30 at the earliest, 2027-02-01 at the latest
    return log


def test_the_ninety_day_limit_shows_its_range_instead_of_cannot_be_computed() -> None:
    log = _filed_late_2026()
    info = {d.key: d for d in deadlines(log.state, log.ctx)}["clock.ninety_days"]
    assert (info.earliest, info.latest) == (date(2027, 1, 30), date(2027, 2, 1))
    assert info.due == info.earliest and "2027年节假日安排尚未载入" in info.error


def test_a_decision_after_the_latest_possible_end_is_refused_between_the_bounds_warned() -> None:
    log = _filed_late_2026()
    log.at(date(2027, 2, 2))
    late = find(check(log.state, "decide", decision(date(2027, 2, 2)), log.ctx), "clock.ninety_days")
    assert late.blocks and late.article == "《行政处罚法》第六十条" and "2027-02-01" in late.message
    log.at(date(2027, 1, 31))
    between = find(check(log.state, "decide", decision(date(2027, 1, 31)), log.ctx), "clock.ninety_days")
    assert between.severity == "warn" and "工作日历" in between.message
    log.at(date(2027, 1, 29))
    assert "clock.ninety_days" not in rule_ids(check(log.state, "decide", decision(date(2027, 1, 29)), log.ctx), False)


def test_service_of_a_decision_past_the_gap_is_decided_on_the_bounds() -> None:
    log = lead(date(2026, 12, 1))
    file_case(log, date(2026, 12, 1))
    notify(log, date(2026, 12, 2), date(2026, 12, 2))
    log.at(date(2026, 12, 28))
    log.do("decide", decision(date(2026, 12, 28)), "lead")
    log.at(date(2027, 3, 1))  # far past any 7-working-day end
    v = find(check(log.state, "serve_decision", {"method": "直接送达", "receiver": "本人"}, log.ctx), "service.in_time")
    assert v.severity == "warn" and "结论相同" in v.message


# --- 6. policy is not statute --------------------------------------------------------------------


def _reviewed_major():
    log = lead(date(2025, 9, 1), item=WASTE, party=company())
    file_case(log, date(2025, 9, 2))
    notify(log, date(2025, 9, 3), date(2025, 9, 3), kinds=["罚款", "没收违法所得"], amount="100000", hearing=True,
           confiscation_value="2000")
    log.at(date(2025, 9, 15))
    log.do("record_waiver", {"scope": "陈述申辩和听证", "written": True, "signed_by": "钱某"}, "o1")
    log.do("request_legal_review", {"proposed_outcome": "处罚", "kinds": ["罚款", "没收违法所得"], "amount": "100000"}, "o1")
    log.do("record_legal_review", {"result": "同意", "reasons": "无异议", "reviewer_id": "rev"}, "rev")
    return log


def test_collective_discussion_of_every_major_decision_is_named_as_county_policy() -> None:
    log = _reviewed_major()
    payload = decision(date(2025, 9, 16), kinds=["罚款", "没收违法所得"], amount="100000")
    v = find(check(log.state, "decide", payload, log.ctx), "collective.required")
    assert v.policy_key == "collective_discussion.when_major" and v.policy_version == "default-2024.1"
    assert "重大执法决定均须集体讨论" in v.article and v.policy_source and "第五十七条第二款" in v.policy_source
    # without that county choice the statute alone does not ask it …
    relaxed = dataclasses.replace(log.ctx, policy=_policy(collective_discussion__when_major=False))
    assert "collective.required" not in rule_ids(check(log.state, "decide", payload, relaxed))
    # … unless the case is 情节复杂 or 重大违法行为 (Art. 57 para 2 itself)
    log.do("flag_case", {"flags": ["情节复杂"], "reason": "多次违法"}, "o1")
    log.do("record_legal_review", {"result": "同意", "reasons": "无异议", "reviewer_id": "rev"}, "rev")
    statute = find(check(log.state, "decide", payload, dataclasses.replace(log.ctx, policy=relaxed.policy)),
                   "collective.required")
    assert statute.article == "《行政处罚法》第五十七条第二款" and statute.policy_key is None


# --- 7. rules no stricter than the text -----------------------------------------------------------


def _review_ctx(log, reviewer: OfficerInfo, policy: Policy | None = None):
    others = [o for o in OFFICERS if o.id != reviewer.id] + [reviewer]
    return dataclasses.replace(log.ctx, officers=DictOfficers(others), policy=policy or log.ctx.policy)


def test_legal_qualification_is_asked_only_of_reviewers_new_to_the_work() -> None:
    log = _filed(item=WASTE, party=company())
    log.do("request_legal_review", {"proposed_outcome": "处罚"}, "o1")
    veteran = OfficerInfo("rev2", "郑审核", "ZJ-3311-0011", date(2030, 12, 31), "reviewer", False, date(2019, 3, 1))
    ok = check(log.state, "record_legal_review", {"result": "同意", "reviewer_id": "rev2"}, _review_ctx(log, veteran))
    assert "review.reviewer_qualified" not in rule_ids(ok)
    newcomer = dataclasses.replace(veteran, reviewer_since=date(2022, 1, 1))
    v = find(check(log.state, "record_legal_review", {"result": "同意", "reviewer_id": "rev2"},
                   _review_ctx(log, newcomer)), "review.reviewer_qualified")
    assert v.article == "《行政处罚法》第五十八条第二款" and "初次从事" in v.message
    data = json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))
    data["fields"]["legal_review"]["value"]["qualification_for_all"] = True
    strict = Policy.from_dict(data)
    county = find(check(log.state, "record_legal_review", {"result": "同意", "reviewer_id": "rev2"},
                        _review_ctx(log, veteran, strict)), "review.reviewer_qualified")
    assert county.policy_key == "legal_review.qualification_for_all" and "县级政策参数" in county.article


def test_confiscation_gives_a_hearing_right_only_above_the_local_amount() -> None:
    data = json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))
    data["fields"]["hearing_confiscation_threshold"]["value"] = {"individual": "5000", "organisation": "50000"}
    pol = Policy.from_dict(data)
    log = _filed(item=WASTE, party=company())
    ctx = dataclasses.replace(log.ctx, policy=pol)
    base = {**BASE, "kinds": ["罚款", "没收违法所得"], "amount": "6000"}
    small = check(log.state, "issue_notice", {**base, "confiscation_value": "2000"}, ctx)
    assert "hearing.right_required" not in rule_ids(small)
    large = find(check(log.state, "issue_notice", {**base, "confiscation_value": "80000"}, ctx), "hearing.right_required")
    assert large.policy_key == "hearing_confiscation_threshold" and "没收违法所得" in large.message
    licence = find(check(log.state, "issue_notice", {**BASE, "kinds": ["吊销许可证件"]}, ctx), "hearing.right_required")
    assert licence.article == "《行政处罚法》第六十三条" and licence.policy_key is None


def test_a_held_hearing_makes_the_decision_major_only_by_county_choice() -> None:
    log = lead(date(2025, 9, 1), item=NOISE)
    file_case(log, date(2025, 9, 2))
    notify(log, date(2025, 9, 3), date(2025, 9, 3), hearing=True)
    log.at(date(2025, 9, 4))
    log.do("request_hearing", {"form": "书面"}, "o1")
    log.do("schedule_hearing", {"hearing_on": "2025-09-20", "place": "镇政府", "presider_id": "rev"}, "o1")
    log.at(date(2025, 9, 20))
    log.do("record_hearing", {"result": "已举行", "summary": "当事人申辩"}, "rev")
    log.at(date(2025, 9, 25))
    assert "review.required" not in rule_ids(check(log.state, "decide", decision(date(2025, 9, 25)), log.ctx))
    county = dataclasses.replace(log.ctx, policy=_policy(major_decision__hearing_held=True))
    v = find(check(log.state, "decide", decision(date(2025, 9, 25)), county), "review.required")
    assert v.policy_key == "major_decision.hearing_held" and v.policy_version == "丽水测试-2026.2"


# --- 8. consistency ------------------------------------------------------------------------------


def test_fields_the_app_fills_itself_are_not_marked_required() -> None:
    for spec in ACTIONS.values():
        for f in spec.fields:
            if f.name == spec.date_field:
                assert not f.required, (spec.key, f.name)
    assert not next(f for f in ACTIONS["file_case"].fields if f.name == "case_number").required


def test_the_hearing_notice_refusal_names_the_first_day_it_then_accepts() -> None:
    log = lead(date(2026, 6, 1))
    file_case(log, date(2026, 6, 1))
    notify(log, date(2026, 6, 1), date(2026, 6, 1), hearing=True)
    log.do("request_hearing", {"form": "书面"}, "o1")
    base = {"place": "镇政府", "presider_id": "rev", "notified_on": "2026-06-01"}
    too_early = find(check(log.state, "schedule_hearing", {**base, "hearing_on": "2026-06-05"}, log.ctx),
                     "hearing.notice_7days")
    first = too_early.message.split("最早可安排在")[1][:10]
    assert first == "2026-06-11"  # seven working days 06-02 … 06-10 lie between
    assert "hearing.notice_7days" not in rule_ids(check(log.state, "schedule_hearing", {**base, "hearing_on": first},
                                                        log.ctx))
    assert "hearing.notice_7days" in rule_ids(check(log.state, "schedule_hearing", {**base, "hearing_on": "2026-06-10"},
                                                    log.ctx))
    assert CAL.is_workday(date(2026, 6, 10))


def test_the_sole_trader_column_of_art_51_is_named_as_county_policy() -> None:
    from lishui_desk.identity import credit_code_check_char, org_code_check_char

    first17 = "92331102" + "MA2A0B1C" + org_code_check_char("MA2A0B1C")
    trader = {"kind": "sole_trader", "name": "某某小吃店", "credit_code": first17 + credit_code_check_char(first17),
              "address": "八都镇"}
    log = lead(date(2025, 9, 1), party=trader)
    summary = {"decision_number": "N1", "party": trader, "item_code": STACKING, "violation_date": "2025-09-01",
               "place": "x", "facts": "x", "kinds": ["罚款"], "amount": "500", "basis": "x", "facts_certain": True,
               "officer_ids": ["o1", "o2"]}
    found = [x for x in check(log.state, "summary_penalty", summary, log.ctx) if x.rule_id == "summary.limits"]
    assert found and all(x.policy_key == "sole_trader_as" for x in found)
    citizen = check(log.state, "summary_penalty", {**summary, "party": person()}, log.ctx)
    assert find(citizen, "summary.limits").article == "《行政处罚法》第五十一条"
