"""Enforcement under 《行政强制法》第五十三条、第五十四条 and the late fee of 《行政处罚法》第七十二条:
催告 only after service and the payment deadline, application only after the 复议/诉讼 periods and
within three months, nothing once the fine and the late fee are paid; the next-steps panel agrees."""

from __future__ import annotations

from datetime import date

from lishui_desk.procedure import check, deadlines, next_steps
from lishui_desk.procedure import vocabulary as V
from tests.test_procedure_fixtures import decision, file_case, find, lead, notify, rule_ids

SERVED = date(2025, 9, 22)  # the decision is served (Monday); payment due 10-09 (10-07 falls in 国庆)


def _executing():
    log = lead(date(2025, 9, 1))
    file_case(log, date(2025, 9, 2))
    notify(log, date(2025, 9, 3), date(2025, 9, 3))
    log.at(date(2025, 9, 15))
    log.do("decide", decision(date(2025, 9, 15)), "lead")
    log.at(SERVED)
    log.do("serve_decision", {"method": V.SERVICE_DIRECT, "receiver": "本人"}, "o1")
    assert log.state.stage == V.EXECUTION
    return log


def _steps(log) -> dict:
    return {s.action: s for s in next_steps(log.state, log.ctx)}


def test_a_demand_before_the_payment_deadline_or_the_service_is_refused() -> None:
    log = _executing()
    due = {d.key: d for d in deadlines(log.state, log.ctx)}["payment"].due
    assert due == date(2025, 10, 9)
    log.at(date(2025, 10, 9))
    v = find(check(log.state, "serve_demand", {"method": V.SERVICE_DIRECT, "receiver": "本人"}, log.ctx),
             "enforcement.demand_timing")
    assert v.blocks and v.article == "《行政强制法》第五十四条" and "2025-10-09" in v.message
    back = find(check(log.state, "serve_demand", {"method": V.SERVICE_DIRECT, "receiver": "本人",
                                                  "served_on": "2025-09-20"}, log.ctx), "enforcement.demand_timing")
    assert "早于决定书送达" in back.message
    log.at(date(2025, 10, 10))
    assert rule_ids(check(log.state, "serve_demand", {"method": V.SERVICE_DIRECT, "receiver": "本人"}, log.ctx)) == set()


def test_application_waits_for_the_review_and_litigation_periods_and_the_demand() -> None:
    log = _executing()
    log.at(date(2025, 10, 10))
    log.do("serve_demand", {"method": V.SERVICE_DIRECT, "receiver": "本人"}, "o1")
    log.at(date(2025, 10, 30))  # ten working days after the demand have passed, the periods have not
    found = check(log.state, "apply_enforcement", {"court": "龙泉市人民法院"}, log.ctx)
    window = find(found, "enforcement.window")
    assert window.blocks and window.article == "《行政强制法》第五十三条" and "2026-03-23" in window.message
    assert "enforcement.demand" not in rule_ids(found)
    assert not _steps(log)["apply_enforcement"].allowed
    # six months after service (2026-03-22 is a Sunday: the period ends on Monday 03-23)
    log.at(date(2026, 3, 24))
    assert rule_ids(check(log.state, "apply_enforcement", {"court": "龙泉市人民法院"}, log.ctx)) == set()
    assert _steps(log)["apply_enforcement"].allowed
    # three months after the periods end (2026-06-23): too late
    log.at(date(2026, 6, 24))
    late = find(check(log.state, "apply_enforcement", {"court": "龙泉市人民法院"}, log.ctx), "enforcement.window")
    assert late.blocks and "2026-06-23" in late.message
    info = {d.key: d for d in deadlines(log.state, log.ctx)}
    assert info["enforcement.apply"].due == date(2026, 6, 23)


def test_application_within_ten_working_days_of_the_demand_is_refused() -> None:
    log = _executing()
    log.at(date(2026, 3, 24))
    log.do("serve_demand", {"method": V.SERVICE_DIRECT, "receiver": "本人"}, "o1")
    log.at(date(2026, 4, 3))
    v = find(check(log.state, "apply_enforcement", {"court": "龙泉市人民法院"}, log.ctx), "enforcement.demand")
    assert v.blocks and v.article == "《行政强制法》第五十四条、第六十九条"
    log.at(date(2026, 4, 8))  # 10 working days after 03-24 (清明 04-06 is a holiday) end on 04-08
    assert "enforcement.demand" in rule_ids(check(log.state, "apply_enforcement", {"court": "x"}, log.ctx))
    log.at(date(2026, 4, 9))
    assert rule_ids(check(log.state, "apply_enforcement", {"court": "龙泉市人民法院"}, log.ctx)) == set()


def test_a_pending_review_blocks_the_application() -> None:
    log = _executing()
    log.do("record_remedy", {"kind": "行政复议", "started_on": "2025-10-20"}, "o1")
    log.at(date(2026, 4, 9))
    v = find(check(log.state, "apply_enforcement", {"court": "x", "demand_served_on": "2026-03-24"}, log.ctx),
             "enforcement.remedy_pending")
    assert v.blocks and v.article == "《行政强制法》第五十三条"


def test_paid_in_full_with_the_late_fee_leaves_execution_and_nothing_is_enforceable() -> None:
    log = _executing()
    log.at(date(2025, 10, 13))  # four days late: 4 × 3% × 500 = 60
    log.do("record_payment", {"amount": "500", "late_fee": "20", "channel": "银行"}, "o1")
    assert log.state.stage == V.EXECUTION  # the late fee is not paid in full
    log.do("record_payment", {"amount": "0", "late_fee": "40", "channel": "银行"}, "o1")
    assert log.state.stage == V.PERFORMED
    steps = _steps(log)
    assert "apply_enforcement" not in steps and "serve_demand" not in steps and steps["close_case"].allowed
    nothing = find(check(log.state, "apply_enforcement", {"court": "x"}, log.ctx), "stage.not_allowed")
    assert nothing.blocks
    assert "payment" not in {d.key for d in deadlines(log.state, log.ctx) if not d.done}


def test_outstanding_late_fee_alone_is_still_enforceable() -> None:
    log = _executing()
    log.at(date(2025, 10, 13))
    log.do("record_payment", {"amount": "500", "late_fee": "20", "channel": "银行"}, "o1")
    log.at(date(2025, 10, 20))
    assert "enforcement.outstanding" not in rule_ids(
        check(log.state, "serve_demand", {"method": V.SERVICE_DIRECT, "receiver": "本人"}, log.ctx))


def test_an_approved_deferral_moves_the_payment_and_the_court_application_period() -> None:
    """《行政处罚法》第六十六条第二款、第七十二条第二款: no late fee before the deferral ends, and the
    three months for the court run from its end."""
    log = _executing()
    log.at(date(2025, 10, 5))
    bad = find(check(log.state, "approve_deferral", {"applied_on": "2025-10-01", "until": "2026-06-30",
                                                     "reason": "经济困难", "approved_by": "o1"}, log.ctx),
               "payment.deferral")
    assert bad.blocks and bad.article == "《行政处罚法》第六十六条第二款"
    log.do("approve_deferral", {"applied_on": "2025-10-01", "until": "2026-06-30", "reason": "经济困难",
                                "approved_by": "lead"}, "lead")
    info = {d.key: d for d in deadlines(log.state, log.ctx)}
    assert info["payment"].due == date(2026, 6, 30)
    assert info["enforcement.apply"].due == date(2026, 9, 30)
    log.at(date(2026, 5, 4))
    v = find(check(log.state, "apply_enforcement", {"court": "x", "demand_served_on": "2026-04-01"}, log.ctx),
             "enforcement.window")
    assert "2026-06-30" in v.message and "第七十二条第二款" in v.article
    log.at(date(2026, 7, 1))
    log.do("serve_demand", {"method": V.SERVICE_DIRECT, "receiver": "本人"}, "o1")
    log.at(date(2026, 7, 20))
    assert rule_ids(check(log.state, "apply_enforcement", {"court": "龙泉市人民法院"}, log.ctx)) == set()
