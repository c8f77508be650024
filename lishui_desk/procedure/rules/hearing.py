"""Hearing (《行政处罚法》第六十三条、第六十四条、第六十五条)."""

from __future__ import annotations

from lishui_desk import deadlines as dl
from lishui_desk.law import APL
from lishui_desk.procedure import calc
from lishui_desk.procedure import vocabulary as V
from lishui_desk.procedure.rules.base import MIXED, Check, pv, rule, v
from lishui_desk.procedure.state import Rec, to_date, to_money
from lishui_desk.procedure.types import WARN, Violation

# === 听证 hearing (《行政处罚法》第六十三条、第六十四条) ===


def _hearing_needs(c: Check) -> tuple[list[str], list[str], list[str]]:
    """(statutory reasons, reasons that rest on a county amount, unknown amounts) for the hearing right.

    《行政处罚法》第六十三条: (三)–(六) kinds always; (一) 较大数额罚款 and (二) 没收较大数额违法所得、
    较大价值非法财物 only above the amount the province or county fixes (a policy value).
    """
    kinds, amount = c.kinds(), c.amount()
    statutory = [k for k in kinds if k in V.HEARING_KINDS]
    by_amount: list[str] = []
    unknown: list[str] = []
    pol = c.ctx.policy
    if V.FINE in kinds and amount is not None:
        limit = pol.hearing_threshold(c.party_kind(), c.state.domain)
        if limit is None:
            unknown.append("较大数额罚款")
        elif amount >= limit:
            by_amount.append(f"较大数额罚款（≥{limit}元）")
    confiscated = [k for k in kinds if k in V.CONFISCATION_KINDS]
    if confiscated:
        value = to_money(c.payload.get("confiscation_value"))
        limit = pol.hearing_confiscation(c.party_kind(), c.state.domain)
        if value is None or limit is None:
            unknown.append("、".join(confiscated) + "（较大数额、较大价值）")
        elif value >= limit:
            by_amount.append(f"{'、'.join(confiscated)}（数额或价值≥{limit}元）")
    return statutory, by_amount, unknown


@rule("hearing.right_required", f"{APL}第六十三条", "告知听证权利",
      checks="拟作出第六十三条所列处罚（降低资质等级、吊销许可证件、责令停产停业等；较大数额罚款、没收较大数额或价值的，数额标准为县级政策参数）时告知听证权利", policy_key="hearing_fine_threshold, hearing_confiscation_threshold")
def _hearing_right(c: Check) -> list[Violation]:
    if c.preview or c.payload.get("hearing_right_given") is True:
        return []
    statutory, by_amount, _ = _hearing_needs(c)
    reasons = statutory + by_amount
    if not reasons:
        return []
    message = f"拟作出{'、'.join(reasons)}，应当告知当事人有要求听证的权利：请勾选“告知听证权利”"
    if statutory:
        return [v("hearing.right_required", message)]
    key = "hearing_fine_threshold" if any("罚款" in r for r in by_amount) else "hearing_confiscation_threshold"
    return [pv(c, "hearing.right_required", message, key)]


@rule("hearing.threshold_unknown", f"{APL}第六十三条第一款第一项、第二项", "较大数额待县级确认", severity=WARN,
      policy_key="hearing_fine_threshold",
      checks="较大数额罚款、没收较大数额或价值的听证标准未由县级确认，或未填写没收的数额、价值时提醒")
def _hearing_unknown(c: Check) -> list[Violation]:
    if c.preview or c.payload.get("hearing_right_given") is True:
        return []
    _, _, unknown = _hearing_needs(c)
    if not unknown:
        return []
    return [
        pv(
            c,
            "hearing.threshold_unknown",
            f"{'、'.join(unknown)}的听证数额标准尚未由县级确认，或未填写没收的数额、价值：请法制审核人员判断本案是否属于较大数额；"
            "不能确定时建议告知听证权利",
            "hearing_fine_threshold",
            WARN,
        )
    ]


@rule("hearing.request_window", f"{APL}第六十四条第一项", "听证申请期限", severity=WARN,
      checks="听证要求在告知后五个工作日内提出；未告知听证权利或逾期时提醒")
def _hearing_request(c: Check) -> list[Violation]:
    out = []
    if not calc.hearing_right_given(c.state):
        out.append(v("hearing.request_window", "事先告知中未告知听证权利；如当事人要求听证，请先判断是否属于听证范围", WARN))
    end = calc.hearing_window_end(c.state, c.ctx)
    if end is not None and c.day > end and not c.preview:
        out.append(v("hearing.request_window", f"听证要求应在告知后五个工作日内（截至{end.isoformat()}）提出，已逾期；"
                     "逾期要求是否受理请报负责人决定", WARN))
    return out


@rule("hearing.requested", f"{APL}第六十四条", "已有听证要求",
      checks="安排或记录听证前当事人已要求听证")
def _hearing_requested(c: Check) -> list[Violation]:
    if c.state.hearing_request is None:
        return [v("hearing.requested", "当事人尚未提出听证要求")]
    return []


@rule("hearing.notice_7days", f"{APL}第六十四条第二项、第八十五条", "听证七日前通知", severity=MIXED,
      checks="听证通知书的送达日（按送达方式确定）与听证日之间有七个工作日；邮寄、电子送达未登记回执时提醒")
def _hearing_notice(c: Check) -> list[Violation]:
    hearing_on = to_date(c.payload.get("hearing_on"))
    if c.preview or hearing_on is None:
        return []
    rec = Rec(0, "", V.EV_HEARING_SCHEDULED, "", {**c.payload, "served_on": c.payload.get("served_on") or c.day.isoformat()})
    notified = calc.service_on(c.ctx, rec) if c.payload.get("method") else c.day
    if notified is None:  # 邮寄/电子 without the receipt: the notice's service date is not known yet
        return [v("hearing.notice_7days", "听证通知书的送达日期以回执（到达）日期为准：收到后请登记送达回执，"
                  "送达日与听证日之间不足七个工作日的，应当另行确定听证日期", WARN)]
    latest = dl.latest_notice_date(c.ctx.calendar, hearing_on)
    if notified <= latest:
        return []
    first = calc.period_end(c.ctx, "hearing_notice", notified) + calc.ONE_DAY
    return [v("hearing.notice_7days", f"听证应在举行七个工作日前通知当事人：听证通知书{notified.isoformat()}送达的，"
              f"听证最早可安排在{first.isoformat()}（含当日）")]


@rule("hearing.presider", f"{APL}第六十四条第四项", "听证主持人非调查人员",
      checks="听证主持人不是本案调查人员")
def _presider(c: Check) -> list[Violation]:
    presider = c.payload.get("presider_id")
    if c.preview or not presider:
        return []
    if str(presider) in c.state.officers:
        return [v("hearing.presider", "听证主持人不能由本案调查人员担任：请另行指定主持人")]
    return []


@rule("hearing.held", f"{APL}第六十四条、第六十五条", "听证已举行",
      checks="当事人要求听证的，决定前已组织听证")
def _hearing_held(c: Check) -> list[Violation]:
    if c.outcome() not in (V.OUTCOME_PENALTY, None):
        return []
    if c.state.hearing_request is not None and c.state.hearing is None:
        return [v("hearing.held", "当事人已要求听证，尚未组织听证：应当组织听证并根据听证笔录作出决定")]
    return []
