"""简易程序 (当场处罚) scenarios: the Art. 51 limits at their exact edges, then payment and closing."""

from __future__ import annotations

from datetime import date

import pytest

from lishui_desk.errors import RuleViolation
from lishui_desk.procedure import check, fold
from lishui_desk.procedure import vocabulary as V
from tests.test_procedure_fixtures import NOISE, company, find, lead, person, rule_ids

DAY = date(2025, 6, 10)


def _summary(party: dict, amount: str | None, kinds: list[str] | None = None, **extra: object) -> dict:
    payload = {
        "decided_on": DAY.isoformat(), "decision_number": "浙丽当罚0001234", "party": party, "item_code": NOISE,
        "violation_date": DAY.isoformat(), "place": "八都镇新街", "facts": "使用高音广播喇叭",
        "kinds": kinds or ["罚款"], "basis": "《中华人民共和国噪声污染防治法》", "facts_certain": True,
        "officer_ids": ["o1", "o2"],
    }
    if amount is not None:
        payload["amount"] = amount
    payload.update(extra)
    return payload


@pytest.mark.parametrize(("party", "amount", "allowed"), [
    (person(), "200", True),
    (person(), "201", False),
    (company(), "3000", True),
    (company(), "3001", False),
])
def test_summary_fine_limits(party: dict, amount: str, allowed: bool) -> None:
    log = lead(DAY, item=NOISE, party=party)
    found = check(log.state, "summary_penalty", _summary(party, amount), log.ctx)
    if allowed:
        assert "summary.limits" not in rule_ids(found)
        log.do("summary_penalty", _summary(party, amount), "o1")
        assert log.state.stage == V.SUMMARY_DECIDED
        assert log.state.summary()["amount"] == f"{amount}.00"
    else:
        v = find(found, "summary.limits")
        assert v.article == "《行政处罚法》第五十一条"
        assert v.blocks and "普通程序" in v.message
        with pytest.raises(RuleViolation):
            log.do("summary_penalty", _summary(party, amount), "o1")
        assert log.state.stage == V.LEAD


def test_sole_trader_follows_policy_as_individual() -> None:
    trader = {"kind": "sole_trader", "name": "八都小吃店", "id_number": person()["id_number"], "address": "新街3号"}
    log = lead(DAY, item=NOISE, party=trader)
    v = find(check(log.state, "summary_penalty", _summary(trader, "1000"), log.ctx), "summary.limits")
    assert "个体工商户" in v.message and "200" in v.message


def test_summary_needs_certain_facts_and_warning_or_fine_only() -> None:
    log = lead(DAY, item=NOISE)
    found = check(log.state, "summary_penalty", _summary(person(), None, ["警告"], facts_certain=False), log.ctx)
    assert find(found, "summary.facts_certain").article == "《行政处罚法》第五十一条"
    found = check(log.state, "summary_penalty", _summary(person(), "100", ["罚款", "没收违法所得"]), log.ctx)
    assert "没收违法所得" in find(found, "summary.limits").message


def test_summary_path_payment_and_close() -> None:
    log = lead(DAY, item=NOISE)
    log.do("summary_penalty", _summary(person(), "200"), "o1")
    st = log.state
    assert st.procedure == "简易" and st.decision_service is not None  # 当场送达
    closing = check(st, "close_case", {"summary": "已缴款"}, log.ctx)
    assert find(closing, "close.paid").article == "《行政处罚法》第六十七条、第七十二条"
    log.do("record_payment", {"paid_on": DAY.isoformat(), "amount": "200", "channel": "电子支付"}, "o1")
    log.do("close_case", {"summary": "当场处罚已缴款"}, "o1")
    assert fold(log.events).stage == V.CLOSED


def test_summary_for_minor_aged_13_blocked() -> None:
    child = person(birth=date(2012, 1, 1), name="小明")
    log = lead(DAY, item=NOISE, party=child)
    v = find(check(log.state, "summary_penalty", _summary(child, None, ["警告"]), log.ctx), "minor.under_14")
    assert v.article == "《行政处罚法》第三十条"
