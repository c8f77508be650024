"""One age rule (周岁) for every threshold of 《行政处罚法》第三十条: a plain reference implementation
checked against identity.age_on over random dates, and the guards applying it at 14 and 18."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lishui_desk.identity import age_on, full_age_reached
from lishui_desk.procedure import check
from tests.test_procedure_fixtures import STACKING, decision, file_case, find, lead, notify, person, rule_ids


def reference_age(birth: date, on: date) -> int:
    """Count birthdays strictly before ``on``: the N-th year of age is complete the day after the
    N-th birthday; a 29 February birthday is celebrated on 28 February in common years."""
    n = 0
    while True:
        year = birth.year + n + 1
        try:
            birthday = birth.replace(year=year)
        except ValueError:
            birthday = date(year, 2, 28)
        if birthday < on:
            n += 1
        else:
            return n


@settings(max_examples=400, deadline=None)
@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2030, 12, 31)), st.integers(0, 120 * 366))
def test_age_on_matches_the_reference(birth: date, days: int) -> None:
    on = birth + timedelta(days=days)
    assert age_on(birth, on) == reference_age(birth, on)
    for years in (14, 18):
        assert full_age_reached(birth, on, years) == (reference_age(birth, on) >= years)


@settings(max_examples=60, deadline=None)
@given(st.dates(min_value=date(2008, 1, 1), max_value=date(2012, 12, 31)), st.sampled_from([14, 18]),
       st.integers(-2, 2))
def test_guards_apply_the_same_rule_around_each_threshold(birth: date, years: int, offset: int) -> None:
    """On the violation date the guards count the party's age exactly as the reference does."""
    try:
        birthday = birth.replace(year=birth.year + years)
    except ValueError:
        birthday = date(birth.year + years, 2, 28)
    violation = birthday + timedelta(days=offset)
    if violation > date(2026, 11, 1):
        return
    log = lead(violation, party=person(birth=birth, name="小明"), violation=violation)
    summary = {"decision_number": "N1", "party": person(birth=birth, name="小明"), "item_code": STACKING,
               "violation_date": violation.isoformat(), "place": "x", "facts": "x", "kinds": ["罚款"],
               "amount": "200", "basis": "x", "facts_certain": True, "officer_ids": ["o1", "o2"]}
    found = rule_ids(check(log.state, "summary_penalty", summary, log.ctx))
    age = reference_age(birth, violation)
    assert ("minor.under_14" in found) == (age < 14)
    assert ("minor.mitigation" in found) == (14 <= age < 18)


@pytest.mark.parametrize("years,rule", [(14, "minor.under_14"), (18, "minor.mitigation")])
def test_on_the_birthday_itself_the_party_is_still_under_the_threshold(years: int, rule: str) -> None:
    birth = date(2011, 9, 2) if years == 14 else date(2007, 9, 2)
    birthday = date(birth.year + years, 9, 2)
    log = lead(date(2025, 9, 10), party=person(birth=birth, name="小李"), violation=birthday)
    file_case(log, date(2025, 9, 11))
    notify_payload = {"kinds": ["罚款"], "amount": "300", "facts": "堆放物料", "basis": "条例"}
    v = find(check(log.state, "issue_notice", notify_payload, log.ctx), rule)
    assert v.article == "《行政处罚法》第三十条" and v.blocks
    assert f"{years - 1}周岁" in v.message
    after = lead(date(2025, 9, 10), party=person(birth=birth, name="小李"), violation=birthday + timedelta(days=1))
    file_case(after, date(2025, 9, 11))
    assert rule not in rule_ids(check(after.state, "issue_notice", notify_payload, after.ctx))


def test_sixteen_year_old_decision_without_mitigation_is_refused() -> None:
    log = lead(date(2025, 9, 1), party=person(birth=date(2009, 3, 1), name="小刚"))
    file_case(log, date(2025, 9, 2))
    notify(log, date(2025, 9, 3), date(2025, 9, 3), amount="300", mitigation="从轻")
    log.at(date(2025, 9, 20))
    v = find(check(log.state, "decide", decision(date(2025, 9, 20), amount="300"), log.ctx), "minor.mitigation")
    assert v.blocks and v.article == "《行政处罚法》第三十条"
