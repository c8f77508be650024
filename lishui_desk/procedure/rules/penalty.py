"""Summary procedure limits and the penalty's content (《行政处罚法》第四条、第九条、第二十九条、第三十四条、第四十五条、第五十一条)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from lishui_desk.errors import InvalidInput
from lishui_desk.law import APL, ART51_LIMITS
from lishui_desk.procedure import vocabulary as V
from lishui_desk.procedure.rules.base import AGE_MAJORITY, AGE_NO_PENALTY, Check, party_age, pv, rule, v
from lishui_desk.procedure.state import to_money
from lishui_desk.procedure.types import BLOCK, Violation

# === 简易程序 (《行政处罚法》第五十一条) ===

SUMMARY_LIMITS = ART51_LIMITS


@rule("summary.limits", f"{APL}第五十一条", "简易程序适用范围", policy_key="sole_trader_as",
      checks="当场处罚只给予警告或罚款，罚款对公民不超过二百元、对法人或者其他组织不超过三千元（个体工商户的归类为县级政策参数）")
def _summary_limits(c: Check) -> list[Violation]:
    if c.preview:
        return []
    kinds = c.kinds()
    other = [k for k in kinds if k not in V.SUMMARY_KINDS]
    out = []
    if other:
        out.append(
            v("summary.limits", f"当场处罚只能给予警告或者小额罚款，不能给予{'、'.join(other)}；请改用普通程序立案办理")
        )
    if V.FINE in kinds:
        amount = c.amount()
        column = c.ctx.policy.threshold_party(c.party_kind())
        limit = SUMMARY_LIMITS[column]
        who = "公民" if column == "individual" else "法人或者其他组织"
        if c.party_kind() == V.SOLE_TRADER:
            who = f"个体工商户（按政策参照{who}）"
        if amount is not None and amount > limit:
            out.append(
                pv(c, "summary.limits", f"对{who}当场罚款不得超过{limit}元，本次拟罚{amount}元；请改用普通程序立案办理",
                   "sole_trader_as")
                if c.party_kind() == V.SOLE_TRADER  # which column applies to 个体工商户 is the county's choice
                else v("summary.limits", f"对{who}当场罚款不得超过{limit}元，本次拟罚{amount}元；请改用普通程序立案办理")
            )
    return out


@rule("summary.facts_certain", f"{APL}第五十一条", "违法事实确凿并有法定依据",
      checks="当场处罚须确认违法事实确凿并有法定依据")
def _summary_facts(c: Check) -> list[Violation]:
    if c.preview or c.payload.get("facts_certain") is True:
        return []
    return [v("summary.facts_certain", "适用简易程序须违法事实确凿并有法定依据：事实尚不确凿的，请改用普通程序立案调查")]


# === 处罚内容 penalty content ===


@rule("penalty.kinds", f"{APL}第九条", "处罚种类与罚款数额",
      checks="处罚决定有处罚种类；罚款有数额、无罚款时无数额；种类为该事项处罚依据所规定")
def _penalty_kinds(c: Check) -> list[Violation]:
    if c.preview or c.outcome() not in (V.OUTCOME_PENALTY, None):
        return []
    kinds, amount = c.kinds(), c.amount()
    out = []
    if not kinds:
        out.append(v("penalty.kinds", "请选择处罚种类"))
    if V.FINE in kinds and (amount is None or amount <= 0):
        out.append(v("penalty.kinds", "选择了罚款，请填写大于0的罚款数额"))
    if V.FINE not in kinds and amount not in (None, Decimal(0)):
        out.append(v("penalty.kinds", "填写了罚款数额但处罚种类中没有罚款；请补选罚款或清空数额"))
    item = c.item()
    allowed = tuple(getattr(item, "penalty_kinds", ()) or ())
    extra = [k for k in kinds if allowed and k not in allowed]
    if extra:
        out.append(v("penalty.kinds", f"本事项的处罚依据未规定{'、'.join(extra)}；请按目录中的处罚种类选择", BLOCK,
                     article=f"{APL}第四条"))
    return out


@rule("penalty.amount_range", f"{APL}第三十四条", "裁量基准", checks="罚款在事项法定幅度和裁量基准内（公民、法人或者其他组织分别适用；个体工商户按政策参数归类）；事先告知、决定、当场处罚一律阻止")
def _amount_range(c: Check) -> list[Violation]:
    if c.preview or V.FINE not in c.kinds():
        return []
    amount = c.amount()
    if amount is None:
        return []
    item = c.item()
    if item is None:
        return []
    party_kind = c.ctx.policy.threshold_party(c.party_kind())
    problems: list[str]
    try:
        from lishui_desk import discretion
    except ImportError:  # the 裁量基准 module is absent: check the legal range only
        problems = _legal_range_problems(item, party_kind, amount)
    else:
        factors = list(c.payload.get("factors") or ())
        if c.payload.get("mitigation") == "减轻" and discretion.MITIGATE not in factors:
            factors.append(discretion.MITIGATE)
        age = party_age(c)
        if age is not None and AGE_NO_PENALTY <= age < AGE_MAJORITY and "已满十四周岁不满十八周岁" not in factors:
            factors.append("已满十四周岁不满十八周岁")
        try:
            problems = list(discretion.check_amount(item, party_kind, amount, factors, to_money(c.payload.get("quantity"))))
        except InvalidInput as exc:
            problems = [exc.message]
    basis_text = getattr(item, "penalty_basis_text", None)
    basis = basis_text() if callable(basis_text) else ""
    article = f"{basis}；{APL}第三十四条" if basis else f"{APL}第三十四条"
    severity = BLOCK  # the notice is held to what the decision may contain (《行政处罚法》第四十四条)
    return [v("penalty.amount_range", str(p), severity, article=article) for p in problems]


def _legal_range_problems(item: Any, party_kind: str, amount: Decimal | None) -> list[str]:
    fine = getattr(item, "fine", None)
    if fine is None or amount is None or getattr(fine, "per_unit", False):
        return []
    rng = fine.for_party(party_kind)
    if rng is None:
        return ["本事项对该类当事人没有规定罚款"]
    _low, high = rng
    if high is not None and amount > high:
        return [f"罚款{amount}元超过法定上限{high}元"]
    return []


@rule("penalty.not_heavier", f"{APL}第四十五条", "不得重于告知的处罚",
      checks="决定不增加事先告知以外的处罚种类，罚款不高于告知的数额")
def _not_heavier(c: Check) -> list[Violation]:
    notice = c.state.notice
    if c.preview or notice is None or c.outcome() != V.OUTCOME_PENALTY:
        return []
    out = []
    told = set(notice.kinds())
    more = [k for k in c.kinds() if k not in told]
    if more:
        out.append(v("penalty.not_heavier", f"拟作出的决定增加了事先告知中没有的处罚种类（{'、'.join(more)}）；"
                     "不得加重处罚，如确需加重请重新进行事先告知"))
    told_amount = notice.money("amount")
    amount = c.amount()
    if amount is not None and V.FINE in c.kinds() and (told_amount is None or amount > told_amount):
        out.append(v("penalty.not_heavier", f"决定罚款{amount}元高于事先告知的{told_amount or 0}元；不得因陈述申辩加重处罚，"
                     "如确需提高请重新进行事先告知"))
    return out


@rule("penalty.one_fine", f"{APL}第二十九条", "一事不二罚",
      checks="同一违法行为不再次处以罚款")
def _one_fine(c: Check) -> list[Violation]:
    if c.preview or V.FINE not in c.kinds():
        return []
    item = c.item_code()
    for d in c.state.decisions:
        if V.FINE in d.kinds() and d.get("outcome", V.OUTCOME_PENALTY) == V.OUTCOME_PENALTY and (
            (d.get("item_code") or c.state.item_code) == item
        ):
            number = d.get("decision_number") or ""
            return [v("penalty.one_fine", f"同一违法行为已在本案决定{number}中处以罚款，不得再次罚款")]
    return []
