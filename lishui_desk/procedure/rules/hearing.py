"""Hearing (《行政处罚法》第六十三条、第六十四条、第六十五条)."""

from __future__ import annotations

from lishui_desk.law import APL
from lishui_desk.procedure import calc
from lishui_desk.procedure import vocabulary as V
from lishui_desk.procedure.rules.base import Check, rule, v
from lishui_desk.procedure.state import to_date
from lishui_desk.procedure.types import WARN, Violation

# === 听证 hearing (《行政处罚法》第六十三条、第六十四条) ===


def _hearing_needs(c: Check) -> tuple[list[str], bool]:
    """(reasons the hearing right must be given, threshold unknown)."""
    kinds, amount = c.kinds(), c.amount()
    reasons = [k for k in kinds if k in V.HEARING_KINDS]
    unknown = False
    if V.FINE in kinds and amount is not None:
        limit = c.ctx.policy.hearing_threshold(c.party_kind(), c.state.domain)
        if limit is None:
            unknown = True
        elif amount >= limit:
            reasons.append(f"较大数额罚款（≥{limit}元）")
    return reasons, unknown


@rule("hearing.right_required", f"{APL}第六十三条", "告知听证权利")
def _hearing_right(c: Check) -> list[Violation]:
    if c.preview or c.payload.get("hearing_right_given") is True:
        return []
    reasons, _ = _hearing_needs(c)
    if not reasons:
        return []
    return [v("hearing.right_required", f"拟作出{'、'.join(reasons)}，应当告知当事人有要求听证的权利：请勾选“告知听证权利”")]


@rule("hearing.threshold_unknown", f"{APL}第六十三条第一款第一项", "较大数额待县级确认")
def _hearing_unknown(c: Check) -> list[Violation]:
    if c.preview or c.payload.get("hearing_right_given") is True:
        return []
    _, unknown = _hearing_needs(c)
    if not unknown:
        return []
    return [
        v(
            "hearing.threshold_unknown",
            "听证的“较大数额罚款”标准尚未由县级确认（政策参数待县级确认）：请法制审核人员判断本案罚款是否属于较大数额；"
            "不能确定时建议告知听证权利",
            WARN,
        )
    ]


@rule("hearing.request_window", f"{APL}第六十四条第一项", "听证申请期限")
def _hearing_request(c: Check) -> list[Violation]:
    out = []
    if not calc.hearing_right_given(c.state):
        out.append(v("hearing.request_window", "事先告知中未告知听证权利；如当事人要求听证，请先判断是否属于听证范围", WARN))
    end = calc.hearing_window_end(c.state, c.ctx)
    if end is not None and c.day > end and not c.preview:
        out.append(v("hearing.request_window", f"听证要求应在告知后五个工作日内（截至{end.isoformat()}）提出，已逾期；"
                     "逾期要求是否受理请报负责人决定", WARN))
    return out


@rule("hearing.requested", f"{APL}第六十四条", "已有听证要求")
def _hearing_requested(c: Check) -> list[Violation]:
    if c.state.hearing_request is None:
        return [v("hearing.requested", "当事人尚未提出听证要求")]
    return []


@rule("hearing.notice_7days", f"{APL}第六十四条第二项", "听证七日前通知")
def _hearing_notice(c: Check) -> list[Violation]:
    hearing_on = to_date(c.payload.get("hearing_on"))
    if c.preview or hearing_on is None:
        return []
    earliest = calc.working_days(c.ctx, c.day, c.ctx.policy.hearing_notice_working_days)
    if hearing_on <= earliest:
        return [v("hearing.notice_7days", f"听证应在举行七个工作日前通知当事人：{c.day.isoformat()}通知的，"
                  f"听证最早只能安排在{(earliest + calc.ONE_DAY).isoformat()}之后的工作日")]
    return []


@rule("hearing.presider", f"{APL}第六十四条第四项", "听证主持人非调查人员")
def _presider(c: Check) -> list[Violation]:
    presider = c.payload.get("presider_id")
    if c.preview or not presider:
        return []
    if str(presider) in c.state.officers:
        return [v("hearing.presider", "听证主持人不能由本案调查人员担任：请另行指定主持人")]
    return []


@rule("hearing.held", f"{APL}第六十四条、第六十五条", "听证已举行")
def _hearing_held(c: Check) -> list[Violation]:
    if c.outcome() not in (V.OUTCOME_PENALTY, None):
        return []
    if c.state.hearing_request is not None and c.state.hearing is None:
        return [v("hearing.held", "当事人已要求听证，尚未组织听证：应当组织听证并根据听证笔录作出决定")]
    return []
