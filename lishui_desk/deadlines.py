"""Deadline arithmetic (期限计算) and the late-payment fee (加处罚款). Pure.

Counting rules (interpretation documented here, confirm locally):

- **Working-day periods.** 行政处罚法 Art. 85: its "二日""三日""五日""七日" are working days
  excluding statutory holidays; 行政强制法 Art. 69 does the same for its periods of ten days or
  fewer; 行政复议法 Art. 88 for its 三/五/七/十日. The day of the triggering event is not counted;
  the period ends on the n-th working day after it (:func:`add_working_days`). 调休 make-up
  Saturdays/Sundays count as working days.
- **Calendar-day periods** (15, 30, 60, 90 days …). 民事诉讼法 Art. 85 (applied by analogy; 行政复议法
  Art. 88 applies it expressly): the starting day is not counted; if the last day is a 法定休假日 the
  period ends on the first day after it. We read 法定休假日 as every rest day of the State Council
  calendar — statutory holidays *and* ordinary weekends — but not a 调休 make-up workday, which is
  an ordinary working day (:func:`add_calendar_days`).
- **Month periods** (复议/诉讼 months, 3 months for court enforcement): the period ends on the day of
  the final month that corresponds to the starting day; if that month has no such day, on its last
  day (the same rule as 民法典 on periods counted in months; cited from general knowledge, the code
  is not in reference/laws). Then the same roll-forward as calendar days (:func:`add_months`).

All date arithmetic goes through a :class:`~lishui_desk.workcal.WorkdayCalendar`, which raises
:class:`~lishui_desk.workcal.CalendarGap` for a date in a year it does not know.
"""

from __future__ import annotations

import calendar as _stdcal
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum
from types import MappingProxyType

from lishui_desk.errors import InvalidInput
from lishui_desk.law import ACL, ALL, APL, ARL, CPL, SC118
from lishui_desk.workcal import WorkdayCalendar

__all__ = [
    "PERIODS",
    "LateFee",
    "Meaning",
    "Period",
    "Unit",
    "add_calendar_days",
    "add_months",
    "add_working_days",
    "due_date",
    "late_fee",
    "latest_notice_date",
    "roll_forward",
    "subtract_working_days",
    "working_days_between",
]

_ONE_DAY = timedelta(days=1)

# the one table of statutory periods: calc.py, deadlines_view.py, the guards and forms read it


def _check_count(n: int, what: str = "期限长度") -> None:
    if not isinstance(n, int) or isinstance(n, bool) or n < 0:
        raise InvalidInput(f"{what}应为不小于0的整数，实际为“{n}”", code="deadline_length")


# ---------------------------------------------------------------------------------------------
# Primitive arithmetic
# ---------------------------------------------------------------------------------------------


def add_working_days(cal: WorkdayCalendar, start: date, n: int) -> date:
    """The n-th working day after ``start`` (``start`` itself is not counted; n=0 gives ``start``).

    行政处罚法 Art. 85 / 行政强制法 Art. 69.
    """
    _check_count(n)
    d = start
    remaining = n
    while remaining:
        d += _ONE_DAY
        if cal.is_workday(d):
            remaining -= 1
    return d


def subtract_working_days(cal: WorkdayCalendar, anchor: date, n: int) -> date:
    """The n-th working day before ``anchor`` (``anchor`` itself is not counted)."""
    _check_count(n)
    d = anchor
    remaining = n
    while remaining:
        d -= _ONE_DAY
        if cal.is_workday(d):
            remaining -= 1
    return d


def working_days_between(cal: WorkdayCalendar, a: date, b: date) -> int:
    """Working days ``d`` with ``a < d <= b`` (negative, counted the same way, if ``b < a``).

    ``add_working_days(cal, a, working_days_between(cal, a, b))`` is the last working day on or
    before ``b`` (or ``a`` when there is none).
    """
    if b < a:
        return -working_days_between(cal, b, a)
    count = 0
    d = a + _ONE_DAY
    while d <= b:
        if cal.is_workday(d):
            count += 1
        d += _ONE_DAY
    return count


def roll_forward(cal: WorkdayCalendar, d: date) -> date:
    """``d`` if it is a working day, else the first working day after it (民事诉讼法 Art. 85)."""
    return cal.next_workday(d)


def add_calendar_days(cal: WorkdayCalendar, start: date, n: int) -> date:
    """End of an n-calendar-day period starting the day after ``start``; a last day that is a
    法定休假日 (holiday or ordinary weekend) rolls forward to the next working day."""
    _check_count(n)
    return roll_forward(cal, start + timedelta(days=n))


def _shift_months(start: date, n: int) -> date:
    month_index = start.year * 12 + (start.month - 1) + n
    year, month = divmod(month_index, 12)
    month += 1
    last = _stdcal.monthrange(year, month)[1]
    return date(year, month, min(start.day, last))


def add_months(cal: WorkdayCalendar, start: date, n: int) -> date:
    """End of an n-month period: the corresponding day of the final month, clamped to that month's
    last day (31 Aug + 6 months → 28/29 Feb), rolled forward over rest days."""
    _check_count(n)
    return roll_forward(cal, _shift_months(start, n))


# ---------------------------------------------------------------------------------------------
# Named periods
# ---------------------------------------------------------------------------------------------


class Unit(StrEnum):
    WORKING_DAYS = "working_days"
    CALENDAR_DAYS = "calendar_days"
    MONTHS = "months"


class Meaning(StrEnum):
    """What the computed date means for the user."""

    DEADLINE = "deadline"  # the act must be done on or before the date
    NOT_BEFORE = "not_before"  # waiting period: the act is allowed only after the date
    DEEMED = "deemed"  # a legal effect happens on the date (e.g. 视为送达)


@dataclass(frozen=True)
class Period:
    """A statutory period as data. ``before=True`` counts backwards from the anchor event."""

    key: str
    name: str  # Chinese label shown to the user
    rule_id: str
    article: str  # law + article, as cited to the user
    unit: Unit
    length: int
    starts_from: str  # Chinese description of the anchor event
    meaning: Meaning = Meaning.DEADLINE
    before: bool = False


_PERIOD_LIST: tuple[Period, ...] = (
    Period("preservation_decision", "先行登记保存后作出处理决定", "DL-APL-56", f"{APL}第五十六条、第八十五条",
           Unit.WORKING_DAYS, 7, "先行登记保存之日"),
    Period("hearing_request", "当事人提出听证要求", "DL-APL-64-1", f"{APL}第六十四条第（一）项、第八十五条",
           Unit.WORKING_DAYS, 5, "告知听证权利之日"),
    Period("hearing_notice", "通知听证时间、地点（最迟）", "DL-APL-64-2", f"{APL}第六十四条第（二）项、第八十五条",
           Unit.WORKING_DAYS, 7, "举行听证之日", before=True),
    Period("decision", "作出行政处罚决定", "DL-APL-60", f"{APL}第六十条",
           Unit.CALENDAR_DAYS, 90, "立案之日"),
    Period("service", "送达行政处罚决定书（当事人不在场）", "DL-APL-61", f"{APL}第六十一条、第八十五条",
           Unit.WORKING_DAYS, 7, "作出（宣告）决定之日"),
    Period("public_notice_service", "公告送达视为送达", "DL-CPL-95", f"{CPL}第九十五条",
           Unit.CALENDAR_DAYS, 30, "发出公告之日", Meaning.DEEMED),
    Period("payment", "缴纳罚款", "DL-APL-67", f"{APL}第六十七条第三款",
           Unit.CALENDAR_DAYS, 15, "收到行政处罚决定书之日"),
    Period("review", "申请行政复议", "DL-ARL-20", f"{ARL}第二十条",
           Unit.CALENDAR_DAYS, 60, "知道或者应当知道行政行为之日"),
    Period("litigation", "提起行政诉讼", "DL-ALL-46", f"{ALL}第四十六条",
           Unit.MONTHS, 6, "知道或者应当知道作出行政行为之日"),
    Period("litigation_after_review", "不服复议决定提起行政诉讼", "DL-ALL-45", f"{ALL}第四十五条",
           Unit.CALENDAR_DAYS, 15, "收到复议决定书之日"),
    Period("disclosure", "公开行政处罚决定信息", "DL-SC118-7WD", f"{APL}第四十八条第一款、{SC118}",
           Unit.WORKING_DAYS, 7, "作出行政处罚决定之日"),
    Period("disclosure_withdrawal", "撤回已公开的行政处罚决定信息", "DL-APL-48-2", f"{APL}第四十八条第二款、第八十五条",
           Unit.WORKING_DAYS, 3, "决定被变更、撤销、确认违法或者确认无效之日"),
    Period("court_enforcement_application", "申请人民法院强制执行", "DL-ACL-53", f"{ACL}第五十三条",
           Unit.MONTHS, 3, "复议、诉讼期限届满之日"),
    Period("court_enforcement_after_demand", "催告后等待履行（期满后方可申请法院强制执行）", "DL-ACL-54",
           f"{ACL}第五十四条、第六十九条", Unit.WORKING_DAYS, 10, "催告书送达之日", Meaning.NOT_BEFORE),
    Period("seizure", "查封、扣押期限", "DL-ACL-25", f"{ACL}第二十五条",
           Unit.CALENDAR_DAYS, 30, "作出查封、扣押决定之日"),
)

PERIODS: MappingProxyType[str, Period] = MappingProxyType({p.key: p for p in _PERIOD_LIST})


def latest_notice_date(cal: WorkdayCalendar, hearing_date: date) -> date:
    """Last day on which the hearing notice may be served (行政处罚法 Art. 64(二), Art. 85).

    Interpretation: neither the service day nor the hearing day counts, so seven whole working days
    must lie strictly between them. The result is the day before the 7th working day counting back
    from the hearing (it may be a rest day; serving earlier is always allowed).
    """
    period = PERIODS["hearing_notice"]
    return subtract_working_days(cal, hearing_date, period.length) - _ONE_DAY


def due_date(cal: WorkdayCalendar, period_key: str, start: date) -> date:
    """The date of a named period (see :data:`PERIODS`) counted from ``start``.

    For ``before`` periods ``start`` is the later event (the hearing day) and the result is the
    latest date for the earlier act. For :attr:`Meaning.NOT_BEFORE` periods the result is the last
    day of the waiting period: the act is allowed from the next day.
    """
    period = PERIODS.get(period_key)
    if period is None:
        raise InvalidInput(f"未知的期限类型“{period_key}”", code="deadline_unknown")
    if period.before:
        return latest_notice_date(cal, start)
    if period.unit is Unit.WORKING_DAYS:
        return add_working_days(cal, start, period.length)
    if period.unit is Unit.CALENDAR_DAYS:
        return add_calendar_days(cal, start, period.length)
    return add_months(cal, start, period.length)


# ---------------------------------------------------------------------------------------------
# 加处罚款 late fee (行政处罚法 Art. 72(一), Art. 73 para 3; 行政强制法 Art. 45)
# ---------------------------------------------------------------------------------------------

LATE_FEE_DAILY_RATE = Decimal("0.03")
_FEN = Decimal("0.01")


@dataclass(frozen=True)
class LateFee:
    days: int  # counted late days (paused days excluded)
    amount: Decimal  # yuan, 2 places
    capped: bool  # the cap (the fine itself) was reached


def _paused_days(due_date: date, on_date: date, paused: Iterable[tuple[date, date]]) -> int:
    """Days of the late window (due_date, on_date] covered by any paused period (inclusive)."""
    spans: list[tuple[date, date]] = []
    for item in paused:
        try:
            p_start, p_end = item
        except (TypeError, ValueError):
            raise InvalidInput("暂停计算期间应为（开始日期, 结束日期）", code="late_fee_pause") from None
        if not isinstance(p_start, date) or not isinstance(p_end, date) or p_end < p_start:
            raise InvalidInput(
                f"暂停计算期间（{p_start} 至 {p_end}）的结束日期不能早于开始日期", code="late_fee_pause"
            )
        lo = max(p_start, due_date + _ONE_DAY)
        hi = min(p_end, on_date)
        if lo <= hi:
            spans.append((lo, hi))
    spans.sort()
    total = 0
    cur_lo: date | None = None
    cur_hi: date | None = None
    for lo, hi in spans:
        if cur_hi is not None and lo <= cur_hi + _ONE_DAY:
            cur_hi = max(cur_hi, hi)
            continue
        if cur_lo is not None and cur_hi is not None:
            total += (cur_hi - cur_lo).days + 1
        cur_lo, cur_hi = lo, hi
    if cur_lo is not None and cur_hi is not None:
        total += (cur_hi - cur_lo).days + 1
    return total


def _as_money(value: object) -> Decimal:
    if isinstance(value, float | bool):  # binary floats are inexact for money
        raise InvalidInput(f"罚款数额“{value}”应以 Decimal 或文字表示", code="late_fee_fine")
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        raise InvalidInput(f"罚款数额“{value}”不是有效金额", code="late_fee_fine") from None
    if not amount.is_finite() or amount <= 0:
        raise InvalidInput(f"罚款数额“{value}”应为大于0的金额", code="late_fee_fine")
    return amount


def late_fee(
    fine: Decimal,
    due_date: date,
    on_date: date,
    paused: Iterable[tuple[date, date]] = (),
    payments: Iterable[tuple[date, Decimal]] = (),
) -> LateFee:
    """加处罚款 owed on ``on_date`` for a fine that fell due on ``due_date``.

    3 % for each calendar day after ``due_date`` up to and including ``on_date`` (行政处罚法
    Art. 72(一)) of the part of the fine still unpaid that day: the fine is what the party "到期不缴纳",
    so a partial payment (``payments``: ``(paid_on, amount)``) lowers the base for the days after it —
    the day of a payment still counts on what was unpaid before it, as a full payment counts to its
    own day (计至缴纳之日) — and nothing accrues once the fine is paid in full. Days inside ``paused``
    periods (inclusive date pairs: 行政复议 or 行政诉讼 pending) are not counted (Art. 73 para 3). The
    total never exceeds the fine (Art. 72(一), 行政强制法 Art. 45 para 2). Rounded to the fen, half up.
    """
    fine = _as_money(fine)
    if on_date <= due_date:
        return LateFee(0, Decimal("0.00"), False)
    paid: dict[date, Decimal] = {}
    for item in payments:
        try:
            p_on, p_amount = item
        except (TypeError, ValueError):
            raise InvalidInput("缴款记录应为（缴款日期, 金额）", code="late_fee_payment") from None
        if not isinstance(p_on, date):
            raise InvalidInput(f"缴款日期“{p_on}”不是有效日期", code="late_fee_payment")
        amount_paid = Decimal(str(p_amount)) if not isinstance(p_amount, Decimal) else p_amount
        if amount_paid < 0:
            raise InvalidInput(f"缴款金额“{p_amount}”不能为负数", code="late_fee_payment")
        paid[p_on] = paid.get(p_on, Decimal(0)) + amount_paid
    # the unpaid fine is constant between payments: sum base × counted days segment by segment
    base = fine - sum((a for d, a in paid.items() if d <= due_date), Decimal(0))
    cuts = sorted(d for d in paid if due_date < d < on_date)
    days = 0
    raw = Decimal(0)
    seg_from = due_date  # segment of days (seg_from, seg_to]
    for seg_to in [*cuts, on_date]:
        if base <= 0:
            break
        n = (seg_to - seg_from).days - _paused_days(seg_from, seg_to, paused)
        days += n
        raw += base * LATE_FEE_DAILY_RATE * n
        base -= paid.get(seg_to, Decimal(0)) if seg_to != on_date else Decimal(0)
        seg_from = seg_to
    capped = raw >= fine
    amount = fine if capped else raw
    return LateFee(days, amount.quantize(_FEN, rounding=ROUND_HALF_UP), capped)
