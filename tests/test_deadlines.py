"""Deadline arithmetic over the real 2025/2026 State Council calendars, and the 加处罚款 late fee.

Every expected date below was derived by hand from the published schedules:
2025 国庆/中秋: 10-01..10-08 off, Sun 09-28 and Sat 10-11 worked.
2026 春节: 02-15..02-23 off, Sat 02-14 and Sat 02-28 worked; 清明 04-04..04-06 off;
2026 中秋 09-25..09-27 off; 国庆 10-01..10-07 off, Sun 09-20 and Sat 10-10 worked.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lishui_desk.deadlines import (
    PERIODS,
    Meaning,
    Unit,
    add_calendar_days,
    add_months,
    add_working_days,
    due_date,
    late_fee,
    latest_notice_date,
    subtract_working_days,
    working_days_between,
)
from lishui_desk.errors import InvalidInput
from lishui_desk.workcal import CalendarGap, WorkdayCalendar


@pytest.fixture(scope="module")
def cal() -> WorkdayCalendar:
    return WorkdayCalendar.default()


# --- working-day periods (行政处罚法 Art. 85) ------------------------------------------------------


def test_hearing_request_window_across_national_day_2025(cal: WorkdayCalendar) -> None:
    # Notice served Mon 2025-09-29 (not counted). Working days after it:
    #   1 = Tue 09-30; 10-01..10-08 holiday; 2 = Thu 10-09; 3 = Fri 10-10;
    #   4 = Sat 10-11 (调休 workday); Sun 10-12 rest; 5 = Mon 10-13.
    assert add_working_days(cal, date(2025, 9, 29), 5) == date(2025, 10, 13)
    assert due_date(cal, "hearing_request", date(2025, 9, 29)) == date(2025, 10, 13)


def test_disclosure_across_mid_autumn_and_national_day_2026(cal: WorkdayCalendar) -> None:
    # Decision Thu 2026-09-24. 09-25..27 off; 1..3 = 09-28..09-30; 10-01..07 off;
    # 4 = Thu 10-08; 5 = Fri 10-09; 6 = Sat 10-10 (调休); Sun 10-11 rest; 7 = Mon 10-12.
    assert due_date(cal, "disclosure", date(2026, 9, 24)) == date(2026, 10, 12)


def test_working_days_between_matches_the_hand_count(cal: WorkdayCalendar) -> None:
    assert working_days_between(cal, date(2025, 9, 29), date(2025, 10, 13)) == 5
    assert working_days_between(cal, date(2025, 10, 13), date(2025, 9, 29)) == -5
    assert working_days_between(cal, date(2025, 10, 1), date(2025, 10, 8)) == 0


def test_latest_hearing_notice_date_counts_back_over_makeup_day(cal: WorkdayCalendar) -> None:
    # Hearing Fri 2025-10-17. Working days before it: 10-16, 15, 14, 13, Sat 10-11 (调休),
    # 10-10, 10-09 (the 7th). Seven whole working days must lie between notice and hearing, so
    # the notice is due by 10-08 at the latest.
    hearing = date(2025, 10, 17)
    assert latest_notice_date(cal, hearing) == date(2025, 10, 8)
    assert due_date(cal, "hearing_notice", hearing) == date(2025, 10, 8)
    assert working_days_between(cal, date(2025, 10, 8), hearing - timedelta(days=1)) == 7
    assert working_days_between(cal, date(2025, 10, 9), hearing - timedelta(days=1)) == 6


@settings(max_examples=80, deadline=None)
@given(st.dates(min_value=date(2005, 1, 1), max_value=date(2025, 11, 30)), st.integers(0, 20))
def test_add_working_days_lands_on_the_nth_working_day(start: date, n: int) -> None:
    cal = WorkdayCalendar.default()
    end = add_working_days(cal, start, n)
    assert working_days_between(cal, start, end) == n
    if n:
        assert cal.is_workday(end)
        assert subtract_working_days(cal, end, n) <= start


# --- calendar-day periods (民事诉讼法 Art. 85) -------------------------------------------------------


def test_fifteen_days_ending_on_sunday_rolls_to_monday(cal: WorkdayCalendar) -> None:
    # Sat 2025-03-01 + 15 = Sun 2025-03-16 → Mon 03-17.
    assert add_calendar_days(cal, date(2025, 3, 1), 15) == date(2025, 3, 17)
    assert due_date(cal, "payment", date(2025, 3, 1)) == date(2025, 3, 17)


def test_fifteen_days_ending_on_a_weekday_does_not_move(cal: WorkdayCalendar) -> None:
    assert due_date(cal, "payment", date(2025, 3, 3)) == date(2025, 3, 18)


def test_period_ending_inside_spring_festival_2026_rolls_past_it(cal: WorkdayCalendar) -> None:
    # 2026-02-01 + 15 = Mon 02-16, inside the 02-15..02-23 block → Tue 02-24.
    assert due_date(cal, "payment", date(2026, 2, 1)) == date(2026, 2, 24)


def test_ninety_day_decision_limit_rolls_over_qingming(cal: WorkdayCalendar) -> None:
    # 立案 2026-01-05 + 90 days = Sun 2026-04-05 (清明 04-04..06) → Tue 04-07.
    assert due_date(cal, "decision", date(2026, 1, 5)) == date(2026, 4, 7)


def test_public_notice_service_deemed_after_thirty_days(cal: WorkdayCalendar) -> None:
    # 2025-09-08 + 30 = Wed 2025-10-08 (holiday) → Thu 10-09.
    assert due_date(cal, "public_notice_service", date(2025, 9, 8)) == date(2025, 10, 9)
    assert PERIODS["public_notice_service"].meaning is Meaning.DEEMED


# --- month periods ---------------------------------------------------------------------------------


def test_six_months_corresponding_day(cal: WorkdayCalendar) -> None:
    assert due_date(cal, "litigation", date(2025, 3, 17)) == date(2025, 9, 17)


def test_six_months_from_month_end_clamps_and_makeup_saturday_counts_as_workday(cal: WorkdayCalendar) -> None:
    # 2025-08-31 + 6 months → 2026-02-28 (no 31 Feb). That Saturday is a 调休 workday: no roll.
    assert add_months(cal, date(2025, 8, 31), 6) == date(2026, 2, 28)
    # 2025-01-31 + 1 month → 2025-02-28, a Friday.
    assert add_months(cal, date(2025, 1, 31), 1) == date(2025, 2, 28)


def test_six_months_ending_in_national_day_rolls_forward(cal: WorkdayCalendar) -> None:
    assert due_date(cal, "litigation", date(2025, 4, 5)) == date(2025, 10, 9)


def test_court_enforcement_application_three_months(cal: WorkdayCalendar) -> None:
    # 2025-07-04 + 3 months = Sat 2025-10-04 (holiday) → Thu 10-09.
    assert due_date(cal, "court_enforcement_application", date(2025, 7, 4)) == date(2025, 10, 9)


def test_demand_waiting_period_is_ten_working_days(cal: WorkdayCalendar) -> None:
    # 行政强制法 Art. 69 makes the 10 days of Art. 54 working days. 催告书 served Thu 2025-09-25:
    # 1 = 09-26; Sat 09-27 rest; 2 = Sun 09-28 (调休); 3 = 09-29; 4 = 09-30; 10-01..08 off;
    # 5 = 10-09; 6 = 10-10; 7 = Sat 10-11 (调休); 8 = 10-13; 9 = 10-14; 10 = 10-15.
    assert due_date(cal, "court_enforcement_after_demand", date(2025, 9, 25)) == date(2025, 10, 15)
    assert PERIODS["court_enforcement_after_demand"].meaning is Meaning.NOT_BEFORE


# --- the period table -------------------------------------------------------------------------------


def test_period_table_units_follow_article_85_split() -> None:
    for key in ("preservation_decision", "hearing_request", "hearing_notice", "service", "disclosure",
                "disclosure_withdrawal"):
        assert PERIODS[key].unit is Unit.WORKING_DAYS, key
        assert PERIODS[key].length in (3, 5, 7), key
    for key in ("decision", "payment", "review", "public_notice_service", "seizure"):
        assert PERIODS[key].unit is Unit.CALENDAR_DAYS, key
    assert (PERIODS["litigation"].unit, PERIODS["litigation"].length) == (Unit.MONTHS, 6)
    from lishui_desk.law import LAWS

    assert all(any(p.article.startswith(law.short) for law in LAWS) for p in PERIODS.values())
    assert len({p.rule_id for p in PERIODS.values()}) == len(PERIODS)


def test_unknown_period_and_negative_length_are_errors(cal: WorkdayCalendar) -> None:
    with pytest.raises(InvalidInput) as exc:
        due_date(cal, "no_such_period", date(2025, 3, 3))
    assert "no_such_period" in exc.value.message
    with pytest.raises(InvalidInput):
        add_working_days(cal, date(2025, 3, 3), -1)


# --- calendar gaps ------------------------------------------------------------------------------------


def test_deadline_in_2028_raises_gap(cal: WorkdayCalendar) -> None:
    with pytest.raises(CalendarGap) as exc:
        due_date(cal, "hearing_request", date(2028, 3, 1))
    assert "2028-03-02" in exc.value.message


def test_payment_period_running_into_unknown_2027_is_not_guessed(cal: WorkdayCalendar) -> None:
    # 2026-12-20 + 15 = 2027-01-04: whether that is a working day needs the 2027 notice.
    with pytest.raises(CalendarGap) as exc:
        due_date(cal, "payment", date(2026, 12, 20))
    assert "2027-01-04" in exc.value.message


def test_county_override_closes_the_gap(cal: WorkdayCalendar) -> None:
    # A fictitious county file for 2027 (test data only) declaring 01-04 a holiday.
    extended = cal.with_override(
        {"year": 2027, "holidays": ["2027-01-01", "2027-01-04"], "workdays": [], "source": "测试", "status": "县级下发"}
    )
    assert due_date(extended, "payment", date(2026, 12, 20)) == date(2027, 1, 5)


# --- 加处罚款 late fee (行政处罚法 Art. 72(一), Art. 73) -------------------------------------------------


DUE = date(2026, 3, 1)


def test_late_fee_day_ten() -> None:
    fee = late_fee(Decimal("500"), DUE, DUE + timedelta(days=10))
    assert (fee.days, fee.amount, fee.capped) == (10, Decimal("150.00"), False)


def test_late_fee_day_forty_is_capped_at_the_fine() -> None:
    fee = late_fee(Decimal("500"), DUE, DUE + timedelta(days=40))
    assert (fee.days, fee.amount, fee.capped) == (40, Decimal("500.00"), True)


def test_late_fee_just_below_and_at_the_cap() -> None:
    assert late_fee(Decimal("500"), DUE, DUE + timedelta(days=33)).amount == Decimal("495.00")
    assert late_fee(Decimal("500"), DUE, DUE + timedelta(days=34)).capped


def test_no_late_fee_on_or_before_due_date() -> None:
    assert late_fee(Decimal("500"), DUE, DUE).amount == Decimal("0.00")
    assert late_fee(Decimal("500"), DUE, DUE - timedelta(days=3)).days == 0


def test_paused_review_days_are_not_counted() -> None:
    # 30 days late, 10 of them (03-06..03-15) while 行政复议 was pending → 20 days → ¥300.
    fee = late_fee(Decimal("500"), DUE, date(2026, 3, 31), [(date(2026, 3, 6), date(2026, 3, 15))])
    assert (fee.days, fee.amount) == (20, Decimal("300.00"))


def test_overlapping_and_out_of_window_pauses_count_once() -> None:
    paused = [
        (date(2026, 2, 1), date(2026, 3, 5)),  # starts before the due date: only 03-02..03-05 count
        (date(2026, 3, 4), date(2026, 3, 10)),  # overlaps the first
        (date(2026, 5, 1), date(2026, 5, 9)),  # after on_date
    ]
    fee = late_fee(Decimal("500"), DUE, date(2026, 3, 31), paused)
    assert fee.days == 30 - 9  # 03-02..03-10 paused


def test_late_fee_rounds_half_up_to_the_fen() -> None:
    # 0.50 × 3% × 1 = 0.015 → 0.02
    assert late_fee(Decimal("0.50"), DUE, DUE + timedelta(days=1)).amount == Decimal("0.02")


@pytest.mark.parametrize("fine", [Decimal("-1"), Decimal("0"), Decimal("NaN"), "abc", 1.5])
def test_bad_fine_is_rejected(fine: object) -> None:
    with pytest.raises(InvalidInput):
        late_fee(fine, DUE, DUE + timedelta(days=1))  # type: ignore[arg-type]


def test_reversed_pause_is_rejected() -> None:
    with pytest.raises(InvalidInput):
        late_fee(Decimal("500"), DUE, date(2026, 3, 31), [(date(2026, 3, 10), date(2026, 3, 6))])


# --- 加处罚款 on the unpaid part of the fine (《行政处罚法》第七十二条第一款第一项) --------------------


def test_a_partial_payment_lowers_the_base_after_its_day() -> None:
    # ¥500 due 03-01; ¥200 paid on 03-05 (the 4th late day, counted on ¥500), then ¥300 unpaid:
    # 4 × 15 + 6 × 9 = 114 by 03-11
    fee = late_fee(Decimal("500"), DUE, date(2026, 3, 11), payments=[(date(2026, 3, 5), Decimal("200"))])
    assert (fee.days, fee.amount, fee.capped) == (10, Decimal("114.00"), False)
    # the whole fine without the payment would be 150
    assert late_fee(Decimal("500"), DUE, date(2026, 3, 11)).amount == Decimal("150.00")


def test_nothing_accrues_after_the_fine_is_paid_in_full() -> None:
    paid = [(date(2026, 3, 3), Decimal("200")), (date(2026, 3, 5), Decimal("300"))]
    later = late_fee(Decimal("500"), DUE, date(2026, 6, 30), payments=paid)
    assert (later.days, later.amount) == (4, Decimal("48.00"))  # 2 × 15 + 2 × 9 (¥300 unpaid on 03-04, 03-05)
    assert late_fee(Decimal("500"), DUE, date(2026, 3, 5), payments=paid) == later


def test_a_payment_before_the_due_date_lowers_the_base_from_the_first_late_day() -> None:
    fee = late_fee(Decimal("500"), DUE, DUE + timedelta(days=10), payments=[(DUE, Decimal("400"))])
    assert fee.amount == Decimal("30.00")  # 10 × 3% × 100


def test_the_cap_is_the_fine_even_when_paid_in_part() -> None:
    # ¥100 paid on the first late day: the base is ¥400 from then on; 3% of 400 = 12 a day,
    # 15 + 12 × n reaches 500 after about 41 days; the cap is the fine (¥500), not the unpaid ¥400
    fee = late_fee(Decimal("500"), DUE, DUE + timedelta(days=60), payments=[(DUE + timedelta(days=1), Decimal("100"))])
    assert fee.capped and fee.amount == Decimal("500.00")
    short = late_fee(Decimal("500"), DUE, DUE + timedelta(days=34), payments=[(DUE + timedelta(days=1), Decimal("100"))])
    assert not short.capped and short.amount == Decimal("411.00")  # 15 + 33 × 12


def _reference_fee(fine: Decimal, due: date, on: date, paused, payments) -> Decimal:
    """Day by day: 3% of what was unpaid before the day's end began (the payment day counts on the
    amount unpaid before it), paused days skipped, capped at the fine."""
    total = Decimal(0)
    day = due + timedelta(days=1)
    while day <= on:
        unpaid = fine - sum((a for d, a in payments if d < day), Decimal(0))
        if unpaid > 0 and not any(lo <= day <= hi for lo, hi in paused):
            total += unpaid * Decimal("0.03")
        day += timedelta(days=1)
    return min(total, fine).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@settings(max_examples=200, deadline=None)
@given(
    fine=st.integers(1, 200_000).map(lambda c: Decimal(c) / 100),
    late=st.integers(0, 80),
    pays=st.lists(st.tuples(st.integers(-5, 80), st.integers(0, 200_000)), max_size=4),
    pauses=st.lists(st.tuples(st.integers(-5, 80), st.integers(0, 20)), max_size=2),
)
def test_late_fee_agrees_with_a_day_by_day_reference(fine, late, pays, pauses) -> None:
    on = DUE + timedelta(days=late)
    payments = [(DUE + timedelta(days=d), min(Decimal(c) / 100, fine)) for d, c in pays]
    paused = [(DUE + timedelta(days=s), DUE + timedelta(days=s + n)) for s, n in pauses]
    got = late_fee(fine, DUE, on, paused, payments)
    assert got.amount == _reference_fee(fine, DUE, on, paused, payments)
    assert got.amount <= fine
