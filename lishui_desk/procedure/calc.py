"""Derived facts the guards and the deadline view share (windows, clocks, review criteria).

Calendar arithmetic is delegated to :mod:`lishui_desk.deadlines` and memoised per calendar object
so that listing next steps and deadlines stays cheap for thousands of cases.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from lishui_desk import deadlines as dl
from lishui_desk import identity
from lishui_desk.procedure import served
from lishui_desk.procedure import vocabulary as V
from lishui_desk.procedure.state import CaseState, Rec
from lishui_desk.procedure.types import EngineContext

_CACHE: weakref.WeakKeyDictionary[Any, dict[tuple[str, date, int], date]] = weakref.WeakKeyDictionary()
_FUNCS: dict[str, Callable[[Any, date, int], date]] = {
    "wd": dl.add_working_days,
    "cd": dl.add_calendar_days,
    "m": dl.add_months,
}


def _shift(cal: Any, kind: str, start: date, n: int) -> date:
    try:
        memo = _CACHE.setdefault(cal, {})
    except TypeError:  # calendar not weak-referenceable: no memo
        return _FUNCS[kind](cal, start, n)
    key = (kind, start, n)
    found = memo.get(key)
    if found is None:
        found = _FUNCS[kind](cal, start, n)  # CalendarGap propagates, nothing cached
        memo[key] = found
    return found


def working_days(ctx: EngineContext, start: date, n: int) -> date:
    return _shift(ctx.calendar, "wd", start, n)


def calendar_days(ctx: EngineContext, start: date, n: int) -> date:
    return _shift(ctx.calendar, "cd", start, n)


def months(ctx: EngineContext, start: date, n: int) -> date:
    return _shift(ctx.calendar, "m", start, n)


_UNIT_KIND = {dl.Unit.WORKING_DAYS: "wd", dl.Unit.CALENDAR_DAYS: "cd", dl.Unit.MONTHS: "m"}


def period_end(ctx: EngineContext, key: str, start: date) -> date:
    """The end of the named statutory period (:data:`lishui_desk.deadlines.PERIODS`) from ``start``."""
    p = dl.PERIODS[key]
    return _shift(ctx.calendar, _UNIT_KIND[p.unit], start, p.length)


def add_years(day: date, years: int) -> date:
    """Same calendar day ``years`` later (29 Feb → 28 Feb)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


# --- rights windows (《行政处罚法》第四十四条、第四十五条、第六十四条) ----------------------------


def service_on(ctx: EngineContext, rec: Rec | None) -> date | None:
    """Effective service date of a recorded service (see :mod:`lishui_desk.procedure.served`)."""
    if rec is None:
        return None
    deemed = None
    sent = rec.day("served_on")
    if rec.get("method") == V.SERVICE_NOTICE and not rec.day("effective_on") and sent is not None:
        deemed = period_end(ctx, "public_notice_service", sent)
    return served.effective_on(rec, deemed)


def notice_served_on(state: CaseState, ctx: EngineContext) -> date | None:
    return service_on(ctx, state.notice_served)


def waived(state: CaseState, what: str) -> bool:
    """A written waiver covering 陈述申辩 or 听证 after the current notice."""
    notice = state.notice
    for w in state.waivers:
        if notice is not None and w.seq < notice.seq:
            continue
        scope = str(w.get("scope") or "")
        if what in scope and w.get("written") is True:
            return True
    return False


def statement_window_end(state: CaseState, ctx: EngineContext) -> date | None:
    served_on = notice_served_on(state, ctx)
    if served_on is None:
        return None
    return working_days(ctx, served_on, ctx.policy.statement_window_working_days)


def hearing_right_given(state: CaseState) -> bool:
    return bool(state.notice and state.notice.get("hearing_right_given"))


def hearing_window_end(state: CaseState, ctx: EngineContext) -> date | None:
    served_on = notice_served_on(state, ctx)
    if served_on is None or not hearing_right_given(state):
        return None
    return period_end(ctx, "hearing_request", served_on)  # 《行政处罚法》第六十四条第一项: five working days


# --- 90-day clock (《行政处罚法》第六十条) ---------------------------------------------------------


def decision_due(state: CaseState, ctx: EngineContext) -> date | None:
    if state.filed_on is None:
        return None
    extra = 0
    for ext in state.extensions:
        extra += int(ext.get("days") or 0)
    for exc in state.exclusions:
        start, end = exc.day("from"), exc.day("to")
        if start and end and end >= start:
            extra += (end - start).days + 1
    return calendar_days(ctx, state.filed_on, dl.PERIODS["decision"].length + extra)


# --- service, payment (《行政处罚法》第六十一条、第六十七条、第七十二条) -----------------------------


def service_effective_on(service: Rec | None, ctx: EngineContext) -> date | None:
    return service_on(ctx, service)


def deferral_end(state: CaseState) -> date | None:
    """The end of the approved 暂缓或者分期缴纳 (《行政处罚法》第六十六条第二款), the latest approval counting."""
    return state.deferrals[-1].day("until") if state.deferrals else None


def payment_due(state: CaseState, ctx: EngineContext) -> date | None:
    if state.amount is None:
        return None
    deferred = deferral_end(state)
    if deferred is not None:
        return deferred  # no 加处罚款 before the deferral ends (第六十六条第二款、第七十二条)
    if state.decision and state.decision.day("payment_due"):
        return state.decision.day("payment_due")
    received = service_on(ctx, state.decision_service)
    if received is None:
        return None
    return period_end(ctx, "payment", received)


def enforcement_window_start(state: CaseState, ctx: EngineContext) -> date | None:
    """When the three months of 《行政强制法》第五十三条 start: the later end of the 复议 (60 days) and 诉讼
    (6 months) periods from the decision's effective service, or of an approved deferral
    (《行政处罚法》第七十二条第二款)."""
    received = service_on(ctx, state.decision_service)
    if received is None:
        return None
    end = max(period_end(ctx, "review", received), period_end(ctx, "litigation", received))
    deferred = deferral_end(state)
    return max(end, deferred) if deferred is not None else end


def paused_periods(state: CaseState, on: date) -> list[tuple[date, date]]:
    spans: list[tuple[date, date]] = []
    for r in state.remedies:
        start = r.day("started_on")
        if start is None:
            continue
        end = r.day("ended_on") or on
        if end >= start:
            spans.append((start, end))
    return spans


def outstanding(state: CaseState) -> Decimal:
    amount = state.amount or Decimal(0)
    return max(Decimal(0), amount - state.paid_total)


def late_fee_paid(state: CaseState) -> Decimal:
    total = Decimal(0)
    for p in state.payments:
        total += p.money("late_fee") or Decimal(0)
    return total


def _paid(state: CaseState, on: date) -> list[tuple[date, Decimal]]:
    """The fine paid by ``on``, payment by payment (the base of the 加处罚款 shrinks after each)."""
    return [(d, p.money("amount") or Decimal(0)) for p in state.payments
            if (d := p.day("paid_on")) is not None and d <= on]


def owed(state: CaseState, ctx: EngineContext, on: date) -> tuple[Decimal, Decimal]:
    """(fine still unpaid, 加处罚款 still unpaid) on ``on``; the late fee runs on the part of the fine
    still unpaid and stops at full payment (《行政处罚法》第七十二条第一款第一项)."""
    principal = outstanding(state)
    due = payment_due(state, ctx)
    if due is None or state.amount is None or state.amount <= 0:
        return principal, Decimal(0)
    end = on
    if principal <= 0 and state.payments:
        end = max(p.day("paid_on") or on for p in state.payments)
    fee = dl.late_fee(state.amount, due, end, paused_periods(state, end), _paid(state, end))
    return principal, max(Decimal(0), fee.amount - late_fee_paid(state))


def late_fee_on(state: CaseState, ctx: EngineContext, on: date) -> dl.LateFee | None:
    """加处罚款 accrued by ``on`` on the part of the fine unpaid each day (a payment recorded on ``on``
    itself lowers the base only from the next day)."""
    due = payment_due(state, ctx)
    amount = state.amount
    if due is None or amount is None or amount <= 0:
        return None
    return dl.late_fee(amount, due, on, paused_periods(state, on), _paid(state, on))


# --- 法制审核 / 集体讨论 criteria (《行政处罚法》第五十七条第二款、第五十八条) -------------------------


def proposed(state: CaseState, payload: dict[str, Any] | None) -> tuple[tuple[str, ...], Decimal | None]:
    """Penalty kinds and amount under consideration: the payload's, else the current notice's."""
    src: dict[str, Any] | None = payload if payload and payload.get("kinds") else None
    if src is None and state.notice is not None:
        src = state.notice.payload
    if src is None:
        return (), None
    kinds = tuple(src.get("kinds") or ())
    amount = src.get("amount")
    try:
        money = Decimal(str(amount)) if amount not in (None, "") else None
    except ArithmeticError:
        money = None
    return kinds, money


# 《行政处罚法》第五十八条第一款 itself: (一) 重大公共利益; (三) 疑难复杂、涉及多个法律关系; (二) needs both
# 重大权益 and a hearing held. Every other ground is a county choice (policy ``major_decision``).
STATUTE_REVIEW_FLAGS = {"涉及重大公共利益": "第五十八条第一款第一项", "疑难复杂": "第五十八条第一款第三项",
                        "涉及多个法律关系": "第五十八条第一款第三项"}
MAJOR_INTEREST_FLAG = "直接关系重大权益"
# 《行政处罚法》第五十七条第二款: 情节复杂或者重大违法行为
STATUTE_COLLECTIVE_FLAGS = frozenset({"情节复杂", "重大违法行为"})


@dataclass(frozen=True)
class Reason:
    """A ground for 法制审核 or 集体讨论: its text, and the policy key when the statute does not ask it."""

    text: str
    policy_key: str | None = None  # None: the statute's own ground


def _hearing_held(state: CaseState) -> bool:
    return state.hearing is not None and state.hearing.get("result") == "已举行"


def review_reasons(state: CaseState, ctx: EngineContext, kinds: tuple[str, ...], amount: Decimal | None) -> list[Reason]:
    pol = ctx.policy
    reasons: list[Reason] = []
    for flag in sorted(state.flags & set(STATUTE_REVIEW_FLAGS)):
        reasons.append(Reason(f"案件标记为{flag}"))
    if MAJOR_INTEREST_FLAG in state.flags and _hearing_held(state):
        reasons.append(Reason("直接关系当事人重大权益且经过听证程序"))
    heavy = [k for k in kinds if k in pol.major_kinds]
    if heavy:
        reasons.append(Reason(f"拟作出{'、'.join(heavy)}", "major_decision.kinds"))
    party_kind = state.party.kind if state.party else None
    limit = pol.major_fine_threshold.for_party(pol.threshold_party(party_kind), state.domain)
    if limit is not None and amount is not None and V.FINE in kinds and amount >= limit:
        reasons.append(Reason(f"罚款数额达到重大执法决定标准（{limit}元）", "major_decision.fine_threshold"))
    if pol.major_when_hearing_held and _hearing_held(state) and MAJOR_INTEREST_FLAG not in state.flags:
        reasons.append(Reason("经过听证程序", "major_decision.hearing_held"))
    flagged = sorted((state.flags & pol.major_flags) - set(STATUTE_REVIEW_FLAGS) - (
        {MAJOR_INTEREST_FLAG} if _hearing_held(state) else set()))
    if flagged:
        reasons.append(Reason("案件标记为" + "、".join(flagged), "major_decision.flags"))
    return reasons


def collective_reasons(state: CaseState, ctx: EngineContext, review: list[Reason]) -> list[Reason]:
    reasons: list[Reason] = []
    statute = sorted(state.flags & STATUTE_COLLECTIVE_FLAGS)
    if statute:
        reasons.append(Reason("案件标记为" + "、".join(statute)))
    if ctx.policy.collective_when_major and review:
        reasons.append(Reason("属于重大执法决定", "collective_discussion.when_major"))
    flagged = sorted((state.flags & ctx.policy.collective_flags) - STATUTE_COLLECTIVE_FLAGS)
    if flagged:
        reasons.append(Reason("案件标记为" + "、".join(flagged), "collective_discussion.flags"))
    return reasons


def latest_opinion(state: CaseState) -> Rec | None:
    return state.review_opinions[-1] if state.review_opinions else None


def minor_age(state: CaseState, on: date | None = None) -> int | None:
    party = state.party
    day = on or state.violation_date
    if party is None or party.birth_date is None or day is None or party.kind == V.ORGANISATION:
        return None
    return identity.age_on(party.birth_date, day) if day >= party.birth_date else None


def limitation_end(act_end: date, years: int) -> date:
    return add_years(act_end, years)


def days_between(a: date, b: date) -> int:
    return (b - a).days


ONE_DAY = timedelta(days=1)
