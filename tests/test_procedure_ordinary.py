"""普通程序 scenarios: rights windows over 国庆, one day early, heavier than notified, whole walk to 归档."""

from __future__ import annotations

from datetime import date

import pytest

from lishui_desk.errors import RuleViolation
from lishui_desk.procedure import check, deadlines, fold, missing, next_steps
from lishui_desk.procedure import vocabulary as V
from tests.test_procedure_fixtures import decision, file_case, find, lead, notify, rule_ids

LEAD_ON = date(2025, 9, 1)
FILED = date(2025, 9, 2)
SERVED = date(2025, 9, 26)  # Friday before 国庆 2025 (10-01…10-08 off, 09-28 and 10-11 make-up days)


def _notified(hearing: bool = True, amount: str = "500"):
    log = lead(LEAD_ON)
    file_case(log, FILED)
    return notify(log, date(2025, 9, 25), SERVED, amount=amount, hearing=hearing)


def test_hearing_window_spans_national_day_holiday() -> None:
    log = _notified()
    # 5 working days after 09-26: 09-28 (调休), 09-29, 09-30, 10-09, 10-10
    info = {d.key: d for d in deadlines(log.state, log.ctx)}
    assert info["rights.hearing_window"].due == date(2025, 10, 10)
    log.at(date(2025, 10, 10))
    early = check(log.state, "decide", decision(date(2025, 10, 10)), log.ctx)
    v = find(early, "rights.hearing_window")
    assert v.article == "《行政处罚法》第六十四条第一项" and "2025-10-11" in v.message
    statement = find(early, "rights.statement_window")  # the statute sets no period: the length is county policy
    assert statement.policy_key == "statement_window_working_days" and statement.policy_version == "default-2024.1"
    assert "县级政策参数“陈述申辩期间”" in statement.article
    # 10-11 is a Saturday make-up working day: both windows are closed
    log.at(date(2025, 10, 11))
    assert rule_ids(check(log.state, "decide", decision(date(2025, 10, 11)), log.ctx)) == set()


def test_decision_one_day_early_is_refused_and_on_time_accepted() -> None:
    log = lead(LEAD_ON)
    file_case(log, FILED)
    notify(log, date(2025, 11, 3), date(2025, 11, 3), hearing=False)  # Monday; 5 working days → 11-10
    log.at(date(2025, 11, 10))
    with pytest.raises(RuleViolation) as exc:
        log.do("decide", decision(date(2025, 11, 10)), "o1")
    assert "rights.statement_window" in {v.rule_id for v in exc.value.violations}
    assert "第四十五条" in exc.value.message
    log.at(date(2025, 11, 11))
    log.do("decide", decision(date(2025, 11, 11)), "o1")
    assert log.state.stage == V.DECIDED


def test_written_waiver_allows_an_early_decision_but_oral_does_not() -> None:
    log = _notified()
    log.at(date(2025, 9, 29))
    oral = check(log.state, "record_waiver", {"scope": "陈述申辩和听证", "written": False, "signed_by": "张三"}, log.ctx)
    assert find(oral, "waiver.written").article == "《行政处罚法》第六十二条"
    log.do("record_waiver", {"scope": "陈述申辩和听证", "written": True, "signed_by": "张三"}, "o1")
    assert rule_ids(check(log.state, "decide", decision(date(2025, 9, 29)), log.ctx)) == set()


def test_decision_heavier_than_notice_is_blocked() -> None:
    log = _notified(amount="500")
    log.at(date(2025, 10, 13))
    found = check(log.state, "decide", decision(date(2025, 10, 13), amount="800"), log.ctx)
    v = find(found, "penalty.not_heavier")
    assert v.article == "《行政处罚法》第四十五条" and "800" in v.message and "500" in v.message
    more_kinds = check(log.state, "decide", decision(date(2025, 10, 13), kinds=["警告", "罚款"]), log.ctx)
    assert "警告" in find(more_kinds, "penalty.not_heavier").message
    lighter = check(log.state, "decide", decision(date(2025, 10, 13), amount="300"), log.ctx)
    assert "penalty.not_heavier" not in rule_ids(lighter)


def test_no_decision_without_served_notice() -> None:
    log = lead(LEAD_ON)
    file_case(log, FILED)
    log.at(date(2025, 10, 20))
    v = find(check(log.state, "decide", decision(date(2025, 10, 20)), log.ctx), "rights.notice_served")
    assert v.article == "《行政处罚法》第四十四条、第六十二条"
    log.do("issue_notice", {"kinds": ["罚款"], "amount": "500", "facts": "堆放物料", "basis": "条例"}, "o1")
    v = find(check(log.state, "decide", decision(date(2025, 10, 20)), log.ctx), "rights.notice_served")
    assert "尚未送达" in v.message


def test_statement_must_be_reviewed_and_hearing_held() -> None:
    log = _notified()
    log.at(date(2025, 9, 29))
    log.do("record_statement", {"form": "书面", "content": "初犯，请求从轻"}, "o1")
    log.do("request_hearing", {"form": "书面"}, "o1")
    log.at(date(2025, 10, 20))
    found = check(log.state, "decide", decision(date(2025, 10, 20)), log.ctx)
    assert find(found, "rights.statement_reviewed").article == "《行政处罚法》第四十五条"
    assert find(found, "hearing.held").article == "《行政处罚法》第六十四条、第六十五条"
    # hearing notice at least 7 working days before; presider must not be an investigator
    bad = check(log.state, "schedule_hearing", {"hearing_on": "2025-10-24", "place": "镇政府", "presider_id": "o1"}, log.ctx)
    assert {"hearing.notice_7days", "hearing.presider"} <= rule_ids(bad)


def test_whole_ordinary_case_to_archive_and_projection() -> None:
    log = _notified()
    log.at(date(2025, 10, 13))
    log.do("decide", decision(date(2025, 10, 13)), "o1")
    st = log.state
    assert st.summary()["decided_on"] == "2025-10-13" and st.summary()["amount"] == "500.00"
    assert st.summary()["stage_label"] == "决定"
    keys = {d.key: d for d in deadlines(st, log.ctx)}
    assert keys["service.decision"].due == date(2025, 10, 22) and not keys["service.decision"].done
    assert keys["disclosure.publish"].due == date(2025, 10, 22)
    assert "close.served" in rule_ids(missing(st, log.ctx))
    log.at(date(2025, 10, 14))
    log.do("serve_decision", {"method": "直接送达", "receiver": "张三"}, "o1")
    assert log.state.stage == V.EXECUTION
    keys = {d.key: d for d in deadlines(log.state, log.ctx)}
    assert keys["payment"].due == date(2025, 10, 29)
    log.do("record_disclosure", {"channel": "浙江政务服务网", "masked": True}, "o1")
    log.at(date(2025, 10, 20))
    log.do("record_payment", {"amount": "500", "channel": "银行"}, "o1")
    log.do("close_case", {"summary": "罚款已缴清"}, "o1")
    log.do("archive_case", {"archive_no": "2025-档-001"}, "o1")
    rebuilt = fold(log.events)
    assert rebuilt.stage == V.ARCHIVED and rebuilt.summary()["case_number"] == "龙综执八都立〔2025〕1号"
    assert next_steps(rebuilt, log.ctx) == []


def test_action_in_wrong_stage_refused() -> None:
    log = lead(LEAD_ON)
    v = find(check(log.state, "serve_decision", {"method": "直接送达"}, log.ctx), "stage.not_allowed")
    assert "线索" in v.message


def test_service_electronic_needs_consent_and_late_service_warns() -> None:
    log = _notified()
    log.at(date(2025, 10, 13))
    log.do("decide", decision(date(2025, 10, 13)), "o1")
    log.at(date(2025, 10, 30))
    found = check(log.state, "serve_decision", {"method": "电子送达"}, log.ctx)
    assert find(found, "service.electronic_consent").article == "《行政处罚法》第六十一条第二款"
    late = find(found, "service.in_time")
    assert late.severity == "warn" and late.article == "《行政处罚法》第六十一条"
