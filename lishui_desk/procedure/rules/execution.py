"""Execution: payment, late fee, enforcement (《行政处罚法》第六十七条至第七十三条；《行政强制法》第五十三条、第五十四条)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from lishui_desk.law import ACL, APL, ART68_SPOT_COLLECTION
from lishui_desk.procedure import calc
from lishui_desk.procedure.rules.base import MIXED, Check, rule, v
from lishui_desk.procedure.state import to_date, to_money
from lishui_desk.procedure.types import WARN, Violation

# === 执行 execution (《行政处罚法》第六十七条、第六十八条、第七十二条、第七十三条) ===


@rule("payment.late_fee", f"{APL}第七十二条第一款第一项、第七十三条第三款", "加处罚款", severity=WARN,
      checks="逾期缴纳的，登记的加处罚款不少于每日百分之三、以罚款数额为限的应缴数额（复议、诉讼期间不计）")
def _late_fee(c: Check) -> list[Violation]:
    if c.preview:
        return []
    fee = calc.late_fee_on(c.state, c.ctx, c.day)
    if fee is None or fee.amount <= 0:
        return []
    paid_fee = to_money(c.payload.get("late_fee")) or Decimal(0)
    if paid_fee + calc.late_fee_paid(c.state) >= fee.amount:
        return []
    cap = "（已达罚款数额上限）" if fee.capped else ""
    return [v("payment.late_fee", f"罚款已逾期{fee.days}日，应加处罚款{fee.amount}元{cap}；本次登记的加处罚款为{paid_fee}元，请核对", WARN)]


@rule("payment.on_the_spot", f"{APL}第六十八条、第六十九条", "当场收缴", severity=WARN,
      checks="当场收缴仅限简易程序一百元以下罚款等法定情形")
def _on_the_spot(c: Check) -> list[Violation]:
    if c.preview or c.payload.get("channel") != "当场收缴":
        return []
    amount = c.state.amount or Decimal(0)
    if c.state.is_summary and amount <= ART68_SPOT_COLLECTION:
        return []
    return [v("payment.on_the_spot", "除简易程序一百元以下罚款、事后难以执行或边远地区等情形外，执法人员不得当场收缴罚款：请确认属于法定情形", WARN)]


# === 强制执行 court enforcement (《行政强制法》第五十三条、第五十四条；《行政处罚法》第七十二条第一款第四项) ===


@rule("enforcement.outstanding", f"{ACL}第五十三条、{APL}第七十二条", "尚有未履行的罚款",
      checks="缴款期限已过且罚款或加处罚款尚未缴清，才可催告或申请强制执行")
def _outstanding(c: Check) -> list[Violation]:
    due = calc.payment_due(c.state, c.ctx)
    if c.state.amount is None or due is None:
        return [v("enforcement.outstanding", "本案没有已送达的罚款决定，无需强制执行")]
    principal, fee = calc.owed(c.state, c.ctx, c.day)
    if principal <= 0 and fee <= 0:
        return [v("enforcement.outstanding", "罚款及加处罚款已全部缴纳，没有可强制执行的内容")]
    if c.day <= due:
        return [v("enforcement.outstanding", f"缴款期限至{due.isoformat()}届满，当事人尚未逾期：期满仍不缴纳的，方可催告")]
    return []


@rule("enforcement.remedy_pending", f"{ACL}第五十三条", "未申请复议或提起诉讼",
      checks="当事人已申请行政复议或提起行政诉讼的，不按第五十三条申请强制执行", severity=MIXED)
def _remedy_pending(c: Check) -> list[Violation]:
    pending = [r for r in c.state.remedies if r.day("ended_on") is None]
    if pending:
        kinds = "、".join(sorted({str(r.get("kind")) for r in pending}))
        return [v("enforcement.remedy_pending", f"当事人已{kinds}且尚未终结：复议、诉讼期间不得依第五十三条申请人民法院强制执行")]
    if c.state.remedies:
        return [v("enforcement.remedy_pending", "当事人曾申请复议或提起诉讼：请按复议决定或裁判结果确定是否及何时申请强制执行", WARN)]
    return []


def _remedy_periods_end(c: Check) -> date | None:
    return calc.enforcement_window_start(c.state, c.ctx)


@rule("enforcement.window", f"{ACL}第五十三条、{APL}第七十二条第二款", "复议诉讼期限届满后三个月内申请",
      checks="申请日在行政复议、行政诉讼期限均届满之后，且在届满之日起三个月内；批准延期、分期缴纳的，自暂缓或分期缴纳期限结束之日起计算")
def _window(c: Check) -> list[Violation]:
    if c.state.remedies:
        return []  # enforcement.remedy_pending decides
    end = _remedy_periods_end(c)
    if end is None:
        return [v("enforcement.window", "决定书尚未送达生效，复议、诉讼期限尚未起算", article=ACL.art("第五十三条"))]
    if c.day <= end:
        deferred = calc.deferral_end(c.state)
        if deferred is not None and deferred >= end:
            return [v("enforcement.window", f"已批准暂缓或分期缴纳罚款至{deferred.isoformat()}：期限结束后方可申请人民法院强制执行")]
        return [v("enforcement.window", f"申请行政复议（六十日）、提起行政诉讼（六个月）的期限至{end.isoformat()}届满："
                  f"期限内当事人仍可申请复议或起诉，{(end + calc.ONE_DAY).isoformat()}起方可申请人民法院强制执行",
                  article=ACL.art("第五十三条"))]
    last = calc.period_end(c.ctx, "court_enforcement_application", end)
    if c.day > last:
        article = None if calc.deferral_end(c.state) else ACL.art("第五十三条")
        return [v("enforcement.window", f"申请人民法院强制执行的期限（自可以申请之日起三个月）已于{last.isoformat()}届满",
                  article=article)]
    return []


def _demand_served_on(c: Check) -> date | None:
    for rec in reversed(c.state.demands):
        on = calc.service_on(c.ctx, rec)
        if on is not None:
            return on
    return None if c.preview else to_date(c.payload.get("demand_served_on"))


@rule("enforcement.demand", f"{ACL}第五十四条、第六十九条", "催告后方可申请强制执行",
      checks="申请人民法院强制执行前已送达催告书，且送达后十个工作日期满")
def _demand(c: Check) -> list[Violation]:
    served_on = _demand_served_on(c)
    if served_on is None:
        pending = [r for r in c.state.demands if calc.service_on(c.ctx, r) is None]
        why = "催告书以邮寄或电子方式送达、尚未登记回执" if pending else "尚未送达催告书"
        return [v("enforcement.demand", f"申请人民法院强制执行前应当催告当事人履行：{why}")]
    decision_served = calc.service_on(c.ctx, c.state.decision_service)
    if decision_served is not None and served_on < decision_served:
        return [v("enforcement.demand", f"催告书送达日期（{served_on.isoformat()}）早于决定书送达（{decision_served.isoformat()}）："
                  "催告只能针对已送达的决定，请核对")]
    wait_end = calc.period_end(c.ctx, "court_enforcement_after_demand", served_on)
    if c.day <= wait_end:
        return [v("enforcement.demand", f"催告书送达后十日（至{wait_end.isoformat()}）当事人仍未履行的，方可申请人民法院强制执行")]
    return []


@rule("enforcement.demand_timing", f"{ACL}第五十四条", "催告在决定送达、缴款期限届满之后",
      checks="催告书的送达日期不早于决定书的送达日期和缴款期限届满")
def _demand_timing(c: Check) -> list[Violation]:
    if c.preview:
        return []
    sent = to_date(c.payload.get("served_on")) or c.day
    decision_served = calc.service_on(c.ctx, c.state.decision_service)
    if decision_served is None or sent < decision_served:
        when = decision_served.isoformat() if decision_served else "尚未送达"
        return [v("enforcement.demand_timing", f"催告书的日期（{sent.isoformat()}）早于决定书送达（{when}）：催告只能针对已送达的决定")]
    due = calc.payment_due(c.state, c.ctx)
    if due is not None and sent <= due:
        return [v("enforcement.demand_timing", f"缴款期限至{due.isoformat()}届满，期满前当事人没有不履行的义务，不能催告")]
    return []


@rule("payment.deferral", f"{APL}第六十六条第二款", "批准暂缓或分期缴纳",
      checks="暂缓或分期缴纳经当事人申请、行政机关负责人批准，期限晚于原缴款期限，且尚有未缴的罚款")
def _deferral(c: Check) -> list[Violation]:
    if c.state.amount is None or calc.outstanding(c.state) <= 0:
        return [v("payment.deferral", "本案没有未缴纳的罚款，无需批准暂缓或分期缴纳")]
    if c.preview:
        return []
    out = []
    leader = c.ctx.officers.get(str(c.payload.get("approved_by") or ""))
    if leader is None or leader.role != "leader":
        out.append(v("payment.deferral", "暂缓或分期缴纳罚款须经行政机关批准：请选择批准的负责人"))
    applied, until = to_date(c.payload.get("applied_on")), to_date(c.payload.get("until"))
    if applied is not None and applied > c.day:
        out.append(v("payment.deferral", f"当事人申请日期（{applied.isoformat()}）晚于批准日期（{c.day.isoformat()}）"))
    due = calc.payment_due(c.state, c.ctx)
    if until is not None and due is not None and until <= due:
        out.append(v("payment.deferral", f"暂缓或分期缴纳的期限（{until.isoformat()}）应晚于现缴款期限（{due.isoformat()}）"))
    return out
