"""Execution: payment, late fee, enforcement (《行政处罚法》第六十七条至第七十三条；《行政强制法》第五十三条、第五十四条)."""

from __future__ import annotations

from decimal import Decimal

from lishui_desk.errors import InvalidInput
from lishui_desk.law import ACL, APL
from lishui_desk.procedure import calc
from lishui_desk.procedure.rules.base import Check, rule, v
from lishui_desk.procedure.state import to_date, to_money
from lishui_desk.procedure.types import WARN, Violation

# === 执行 execution (《行政处罚法》第六十七条、第六十八条、第七十二条、第七十三条) ===


@rule("payment.late_fee", f"{APL}第七十二条第一款第一项、第七十三条第三款", "加处罚款")
def _late_fee(c: Check) -> list[Violation]:
    if c.preview:
        return []
    try:
        fee = calc.late_fee_on(c.state, c.ctx, c.day)
    except InvalidInput as exc:
        return [v("payment.late_fee", f"无法计算加处罚款：{exc.message}", WARN)]
    if fee is None or fee.amount <= 0:
        return []
    paid_fee = to_money(c.payload.get("late_fee")) or Decimal(0)
    if paid_fee >= fee.amount:
        return []
    cap = "（已达罚款数额上限）" if fee.capped else ""
    return [v("payment.late_fee", f"罚款已逾期{fee.days}日，应加处罚款{fee.amount}元{cap}；本次登记的加处罚款为{paid_fee}元，请核对", WARN)]


@rule("payment.on_the_spot", f"{APL}第六十八条、第六十九条", "当场收缴")
def _on_the_spot(c: Check) -> list[Violation]:
    if c.preview or c.payload.get("channel") != "当场收缴":
        return []
    amount = c.state.amount or Decimal(0)
    if c.state.is_summary and amount <= 100:
        return []
    return [v("payment.on_the_spot", "除简易程序一百元以下罚款、事后难以执行或边远地区等情形外，执法人员不得当场收缴罚款：请确认属于法定情形", WARN)]


@rule("enforcement.demand", f"{ACL}第五十四条", "催告后方可申请强制执行")
def _demand(c: Check) -> list[Violation]:
    if c.preview:
        return []
    served = to_date(c.payload.get("demand_served_on"))
    if served is None:
        return [v("enforcement.demand", "申请人民法院强制执行前应当催告当事人履行：请登记催告书送达日期")]
    try:
        wait_end = calc.working_days(c.ctx, served, 10)
    except InvalidInput as exc:
        return [v("enforcement.demand", f"无法计算催告期限：{exc.message}", WARN)]
    if c.day <= wait_end:
        return [v("enforcement.demand", f"催告书送达后十日（至{wait_end.isoformat()}）当事人仍未履行的，方可申请人民法院强制执行")]
    return []
