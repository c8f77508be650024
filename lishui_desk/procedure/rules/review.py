"""Legal review and collective discussion (《行政处罚法》第五十七条第二款、第五十八条)."""

from __future__ import annotations

from lishui_desk.law import APL, APL_IN_FORCE
from lishui_desk.procedure import calc
from lishui_desk.procedure import vocabulary as V
from lishui_desk.procedure.rules.base import Check, pv, rule, v
from lishui_desk.procedure.types import BLOCK, Violation

# === 法制审核与集体讨论 (《行政处罚法》第五十七条第二款、第五十八条) ===


@rule("review.required", f"{APL}第五十八条", "重大执法决定法制审核", policy_key="major_decision",
      checks="第五十八条情形（重大公共利益；重大权益且经过听证；疑难复杂、涉及多个法律关系）或县级政策列入的重大执法决定，决定前法制审核通过且意见晚于最后一次材料变动")
def _review_required(c: Check) -> list[Violation]:
    if c.outcome() in (V.OUTCOME_TRANSFER, V.OUTCOME_REVOKE):
        return []
    kinds, amount = calc.proposed(c.state, c.payload)
    reasons = calc.review_reasons(c.state, c.ctx, kinds, amount)
    if not reasons:
        return []
    why = "、".join(r.text for r in reasons)
    op = calc.latest_opinion(c.state)
    if op is None:
        return [_by_reasons(c, "review.required", reasons,
                            f"本案{why}，属于应当法制审核的情形：未经法制审核不得作出决定，请提请法制审核")]
    if op.seq < c.state.last_change_seq:
        return [v("review.required", "法制审核意见出具后案件材料又有变动：请就变动后的材料重新提请法制审核")]
    if op.get("result") != V.REVIEW_APPROVED:
        return [v("review.required", f"法制审核意见为“存在问题”（{op.get('reasons') or '未写明'}）：请整改后重新提请审核，审核通过前不得作出决定")]
    return []


@rule("review.reviewer_qualified", f"{APL}第五十八条第二款", "审核人员具有法律职业资格", policy_key="legal_review.qualification_for_all",
      checks="审核人员不是本案承办人员；初次从事法制审核（2021-07-15起）的须有法律职业资格，县级政策可要求全部审核人员具备")
def _reviewer(c: Check) -> list[Violation]:
    if c.preview:
        return []
    info = c.ctx.officers.get(str(c.payload.get("reviewer_id") or ""))
    if info is None:
        return [v("review.reviewer_qualified", "请选择出具审核意见的法制审核人员")]
    if str(info.id) in c.state.officers:
        return [v("review.reviewer_qualified", f"{info.name}是本案承办人员，不能审核本案", BLOCK,
                  article=APL.art("第五十八条第一款"))]
    if info.legal_qualification:
        return []
    first_time = info.reviewer_since is None or info.reviewer_since >= APL_IN_FORCE
    if first_time:
        since = "名册未记明其开始从事法制审核的日期" if info.reviewer_since is None else \
            f"自{info.reviewer_since.isoformat()}起从事法制审核"
        return [v("review.reviewer_qualified", f"{info.name}未取得法律职业资格，{since}，属于初次从事行政处罚决定法制审核的人员，"
                  f"不能出具法制审核意见（{APL_IN_FORCE.isoformat()}前已从事的，请在名册中记明）；可通过县级线上协同法制审核办理")]
    if c.ctx.policy.reviewer_qualification_for_all:
        return [pv(c, "review.reviewer_qualified", f"{info.name}未取得法律职业资格：本县要求所有法制审核人员具有法律职业资格",
                   "legal_review.qualification_for_all")]
    return []


def _by_reasons(c: Check, rule_id: str, reasons: list[calc.Reason], message: str) -> Violation:
    """Cite the statute when one of the grounds is its own, else the county policy the first ground comes from."""
    if any(r.policy_key is None for r in reasons):
        return v(rule_id, message)
    return pv(c, rule_id, message, str(reasons[0].policy_key))



@rule("review.reasons", f"{APL}第五十八条", "审核意见写明理由",
      checks="审核意见为存在问题的，写明问题和整改意见")
def _review_reasons(c: Check) -> list[Violation]:
    if c.preview or c.payload.get("result") != V.REVIEW_PROBLEMS or c.payload.get("reasons"):
        return []
    return [v("review.reasons", "审核意见为“存在问题”时须写明存在的问题和整改意见")]


@rule("review.requested", f"{APL}第五十八条", "已提请法制审核",
      checks="记录审核意见前已提请法制审核")
def _review_requested(c: Check) -> list[Violation]:
    if not c.state.review_requests:
        return [v("review.requested", "尚未提请法制审核")]
    return []


@rule("collective.required", f"{APL}第五十七条第二款", "集体讨论", policy_key="collective_discussion",
      checks="情节复杂或者重大违法行为（法定），或县级政策列入的情形（重大执法决定、其他标记），决定前已集体讨论")
def _collective(c: Check) -> list[Violation]:
    if c.outcome() not in (V.OUTCOME_PENALTY, None):
        return []
    kinds, amount = calc.proposed(c.state, c.payload)
    reasons = calc.collective_reasons(c.state, c.ctx, calc.review_reasons(c.state, c.ctx, kinds, amount))
    if not reasons or c.state.collective:
        return []
    why = "、".join(r.text for r in reasons)
    return [_by_reasons(c, "collective.required", reasons, f"本案{why}，应由行政机关负责人集体讨论决定：请先记录集体讨论")]


@rule("collective.chair", f"{APL}第五十七条第二款", "负责人主持集体讨论",
      checks="集体讨论由行政机关负责人主持")
def _collective_chair(c: Check) -> list[Violation]:
    if c.preview:
        return []
    info = c.ctx.officers.get(str(c.payload.get("chaired_by") or ""))
    if info is None or info.role != "leader":
        return [v("collective.chair", "集体讨论应由行政机关负责人主持：请选择主持的负责人")]
    return []
