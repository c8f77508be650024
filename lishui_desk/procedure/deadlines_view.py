"""Deadlines of one case (期限): computed from its state, each with its rule and article.

A date the calendar does not cover (CalendarGap) becomes a DeadlineInfo with ``error`` set, never
an exception: the officer sees that the calendar must be updated.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date
from functools import partial

from lishui_desk.errors import InvalidInput
from lishui_desk.law import ACL, APL, SC118
from lishui_desk.procedure import calc
from lishui_desk.procedure import vocabulary as V
from lishui_desk.procedure.guards import needs_disclosure
from lishui_desk.procedure.state import CaseState
from lishui_desk.procedure.types import DeadlineInfo, EngineContext
from lishui_desk.workcal import CalendarGap

Compute = Callable[[EngineContext], date | None]


def _info(
    ctx: EngineContext,
    key: str,
    label: str,
    rule_id: str,
    article: str,
    compute: Compute,
    done: bool,
    note: str | None = None,
) -> DeadlineInfo | None:
    try:
        due = compute(ctx)
    except CalendarGap as gap:
        return _bounded(ctx, key, label, rule_id, article, compute, done, note, gap)
    except InvalidInput as exc:
        return DeadlineInfo(key, label, None, rule_id, article, None, False, done, error=exc.message, note=note)
    if due is None:
        return None
    left = (due - ctx.today).days
    return DeadlineInfo(key, label, due, rule_id, article, left, (not done) and left < 0, done, note=note)


def _bounded(
    ctx: EngineContext, key: str, label: str, rule_id: str, article: str, compute: Compute, done: bool,
    note: str | None, gap: CalendarGap,
) -> DeadlineInfo | None:
    """The period ends in a year whose holiday arrangement is not loaded: show the range it can end
    in (under any arrangement the year could have), warn by the earliest date, overdue only past the latest."""
    ends: list[date] = []
    try:
        for cal in ctx.calendar.bounds():
            end = compute(dataclasses.replace(ctx, calendar=cal))
            if end is None:
                return None
            ends.append(end)
    except InvalidInput:
        return DeadlineInfo(key, label, None, rule_id, article, None, False, done, error=gap.message, note=note)
    earliest, latest = min(ends), max(ends)
    year = gap.date.year
    warning = (f"{year}年节假日安排尚未载入（请同步县级下发的{year}年工作日历）：按可能的安排，"
               f"期限最早{earliest.isoformat()}、最晚{latest.isoformat()}届满，请按最早日期办理")
    left = (earliest - ctx.today).days
    overdue = (not done) and ctx.today > latest
    return DeadlineInfo(key, label, earliest, rule_id, article, left, overdue, done, error=warning, note=note,
                        earliest=earliest, latest=latest)


def deadlines(state: CaseState, ctx: EngineContext) -> list[DeadlineInfo]:
    """Every deadline that applies to the case now (done ones included, marked ``done``)."""
    out: list[DeadlineInfo | None] = []
    pol = ctx.policy
    today = ctx.today

    if state.lead_on is not None and state.stage != V.SUMMARY_DECIDED and not state.is_summary:
        done = state.stage != V.LEAD
        out.append(_info(ctx, "lead.filing", "核查线索并决定是否立案", "lead.filing_time", f"{APL}第五十四条（期限为政策参数）",
                         lambda x: calc.calendar_days(x, state.lead_on, pol.lead_filing_days), done))  # type: ignore[arg-type]

    for p in state.preservations:
        start = p.day("preserved_on")
        if start is None:
            continue
        out.append(_info(ctx, f"preserve.{p.event_id}", "先行登记保存后作出处理决定", "preserve.in_time",
                         f"{APL}第五十六条、第八十五条", partial(calc.period_end, key="preservation_decision", start=start),
                         p.event_id in state.preservation_handling))

    decided = state.decision is not None
    if state.notice_served is not None and not decided:
        waived_s = calc.waived(state, "陈述申辩")
        out.append(_info(ctx, "rights.statement_window", "陈述申辩期间届满", "rights.statement_window",
                         f"{APL}第四十五条（期间为政策参数）", lambda x: calc.statement_window_end(state, x),
                         waived_s or _passed(ctx, lambda x: calc.statement_window_end(state, x), today),
                         note="届满次日起方可作出决定"))
        if calc.hearing_right_given(state):
            out.append(_info(ctx, "rights.hearing_window", "当事人要求听证的期间届满", "rights.hearing_window",
                             f"{APL}第六十四条第一项、第八十五条", lambda x: calc.hearing_window_end(state, x),
                             calc.waived(state, "听证") or state.hearing_request is not None
                             or _passed(ctx, lambda x: calc.hearing_window_end(state, x), today),
                             note="届满次日起方可作出决定"))

    if state.hearing_schedule is not None and state.hearing is None:
        from lishui_desk import deadlines as dl

        hearing_on = state.hearing_schedule.day("hearing_on")
        if hearing_on is not None:
            out.append(_info(ctx, "hearing.notice", "听证通知最迟送达日", "hearing.notice_7days",
                             f"{APL}第六十四条第二项", lambda x: dl.latest_notice_date(x.calendar, hearing_on),
                             True))

    for req in state.review_requests:
        start = req.day("requested_on")
        if start is None:
            continue
        answered = any(o.seq > req.seq for o in state.review_opinions)
        out.append(_info(ctx, f"review.{req.event_id}", "出具法制审核意见", "review.time_limit",
                         f"{SC118}（期限为政策参数）",
                         partial(calc.working_days, start=start, n=pol.review_time_limit_working_days), answered))

    if state.filed_on is not None:
        note = None
        if state.extensions or state.exclusions:
            note = f"含延长{sum(int(e.get('days') or 0) for e in state.extensions)}日及扣除期间"
        info = _info(ctx, "clock.ninety_days", "作出行政处罚决定（立案之日起九十日）", "clock.ninety_days",
                     f"{APL}第六十条", lambda x: calc.decision_due(state, x), decided or state.stage in V.TERMINAL, note)
        if info is not None and info.days_left is not None and not info.done and 0 <= info.days_left <= pol.decision_warn_days_left:
            info = dataclasses.replace(info, overdue=False, note=f"剩余{info.days_left}日，请抓紧或办理延长审批")
        out.append(info)

    d = state.decision
    if d is not None and d.type == V.EV_DECIDED and d.get("outcome") in (V.OUTCOME_PENALTY, V.OUTCOME_NO_PENALTY):
        decided_on = d.day("decided_on")
        if decided_on is not None:
            out.append(_info(ctx, "service.decision", "送达决定书（当事人不在场时）", "service.in_time",
                             f"{APL}第六十一条、第八十五条", partial(calc.period_end, key="service", start=decided_on),
                             state.decision_service is not None))

    if state.amount is not None and state.decision_service is not None:
        paid = calc.outstanding(state) <= 0
        note = None
        try:
            fee = calc.late_fee_on(state, ctx, today)
            if fee is not None and fee.amount > 0 and not paid:
                note = f"已逾期{fee.days}日，加处罚款{fee.amount}元" + ("（已达罚款数额上限）" if fee.capped else "")
        except InvalidInput as exc:
            note = exc.message
        out.append(_info(ctx, "payment", "缴纳罚款（收到决定书之日起十五日）", "payment.due",
                         f"{APL}第六十七条第三款、第七十二条", lambda x: calc.payment_due(state, x),
                         paid or state.enforcement is not None, note))
        if not paid and state.enforcement is None:
            out.append(_info(ctx, "enforcement.apply", "申请人民法院强制执行（期限届满后三个月内）", "enforcement.window",
                             f"{ACL}第五十三条", lambda x: _enforcement_due(state, x), False))

    if needs_disclosure(state, ctx) and d is not None:
        decided_on = d.day("decided_on")
        if decided_on is not None:
            out.append(_info(ctx, "disclosure.publish", "公开行政处罚决定信息", "disclosure.due",
                             f"{APL}第四十八条、{SC118}",
                             lambda x: calc.working_days(x, decided_on, pol.disclosure.publish_working_days),
                             bool(state.disclosures)))
    withdraw_from = _withdrawal_trigger(state)
    if withdraw_from is not None:
        trigger_seq, trigger_day = withdraw_from
        out.append(_info(ctx, "disclosure.withdraw", "撤回已公开的处罚决定信息", "disclosure.withdraw",
                         f"{APL}第四十八条第二款、第八十五条",
                         lambda x: calc.working_days(x, trigger_day, pol.disclosure.withdraw_working_days),
                         any(w.seq > trigger_seq for w in state.withdrawals)))
    return [x for x in out if x is not None]


def _passed(ctx: EngineContext, compute: Compute, today: date) -> bool:
    """The window is certainly over (past its latest possible end when the calendar lacks the year)."""
    try:
        due = compute(ctx)
    except CalendarGap:
        try:
            ends = [compute(dataclasses.replace(ctx, calendar=cal)) for cal in ctx.calendar.bounds()]
        except InvalidInput:
            return False
        return all(e is not None and today > e for e in ends)
    except InvalidInput:
        return False
    return due is not None and today > due


def _enforcement_due(state: CaseState, ctx: EngineContext) -> date | None:
    # 《行政强制法》第五十三条: within 3 months after the later of the 复议 (60 days) and 诉讼 (6 months)
    # periods, both counted from the effective service of the decision
    start = calc.enforcement_window_start(state, ctx)
    return None if start is None else calc.period_end(ctx, "court_enforcement_application", start)


def _withdrawal_trigger(state: CaseState) -> tuple[int, date] | None:
    """A published decision later corrected or revoked: (event seq, day) of the change."""
    if not state.disclosures or state.decision is None:
        return None
    first_pub = state.disclosures[0].seq
    decision_ids = {d.event_id for d in state.decisions}
    for corr in reversed(state.corrections):
        if corr.seq > first_pub and str(corr.get("target_event_id")) in decision_ids:
            day = corr.day("corrected_on")
            if day is not None:
                return corr.seq, day
    d = state.decision
    if d.seq > first_pub and d.get("outcome") == V.OUTCOME_REVOKE:
        day = d.day("decided_on")
        if day is not None:
            return d.seq, day
    return None
