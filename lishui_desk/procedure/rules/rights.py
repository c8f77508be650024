"""Prior notice, statement and defence, waiver (《行政处罚法》第四十四条、第四十五条、第六十二条)."""

from __future__ import annotations

from datetime import date

from lishui_desk.law import APL
from lishui_desk.procedure import calc, served
from lishui_desk.procedure import vocabulary as V
from lishui_desk.procedure.rules.base import Check, pv, rule, v
from lishui_desk.procedure.types import Violation

# === 告知与陈述申辩 prior notice, statement and defence (《行政处罚法》第四十四条、第四十五条、第六十二条) ===


@rule("notice.exists", f"{APL}第四十四条", "已制作事先告知书",
      checks="送达事先告知书前已制作事先告知书")
def _notice_exists(c: Check) -> list[Violation]:
    if c.state.notice is None:
        return [v("notice.exists", "尚未制作行政处罚事先告知书")]
    return []


@rule("rights.notice_served", f"{APL}第四十四条、第六十二条", "事先告知已送达",
      checks="决定前事先告知书已送达并已生效（邮寄以回执日期、电子以到达日期、公告以发出公告后三十日为送达日期）")
def _notice_served(c: Check) -> list[Violation]:
    if c.outcome() not in (V.OUTCOME_PENALTY, None):
        return []
    if c.state.notice is None:
        return [v("rights.notice_served", "作出处罚决定前应当事先告知拟作出的处罚内容及事实、理由、依据和陈述申辩、听证权利：请先制作并送达事先告知书")]
    if c.state.notice_served is None:
        return [v("rights.notice_served", "事先告知书尚未送达当事人：请先送达并记录送达日期")]
    if c.action != "decide":
        return []
    found = served.effective(c.state.notice_served, _deemed(c))
    if found is None:
        return []
    if found.on is None:
        return [v("rights.notice_served", f"{found.pending}：陈述申辩和听证期间尚未起算，不能作出决定；收到后请登记送达回执",
                  article=f"{APL.art('第四十四条、第六十二条')}、{found.article}")]
    if found.on > c.day:
        return [v("rights.notice_served", f"事先告知书以{found.method}送达，{found.on.isoformat()}方视为送达：此前不能作出决定",
                  article=f"{APL.art('第四十四条、第六十二条')}、{found.article}")]
    return []


def _deemed(c: Check) -> date | None:
    rec = c.state.notice_served
    if rec is None or rec.get("method") != V.SERVICE_NOTICE or rec.day("effective_on") or rec.day("served_on") is None:
        return None
    return calc.period_end(c.ctx, "public_notice_service", rec.day("served_on"))  # type: ignore[arg-type]


@rule("rights.statement_window", f"{APL}第四十五条、第六十二条", "陈述申辩期间", policy_key="statement_window_working_days",
      checks="事先告知书送达后的陈述申辩期间内不作出决定（期间长度为县级政策参数；书面放弃的除外）")
def _statement_window(c: Check) -> list[Violation]:
    if c.outcome() not in (V.OUTCOME_PENALTY, None) or calc.waived(c.state, "陈述申辩"):
        return []
    end = calc.statement_window_end(c.state, c.ctx)
    if end is None or c.day > end:
        return []
    # the statute gives the right (Art. 45, 62) but no period: its length is the county's choice
    return [
        pv(
            c,
            "rights.statement_window",
            f"陈述申辩期间至{end.isoformat()}届满（自事先告知书送达之日起{c.ctx.policy.statement_window_working_days}个工作日），"
            f"{(end + calc.ONE_DAY).isoformat()}起方可作出决定；当事人书面放弃的，请先记录放弃",
            "statement_window_working_days",
        )
    ]


@rule("rights.hearing_window", f"{APL}第六十四条第一项", "听证申请期间",
      checks="告知听证权利的，事先告知书送达后五个工作日内不作出决定（当事人书面放弃或已要求听证的除外）")
def _hearing_window(c: Check) -> list[Violation]:
    if c.outcome() not in (V.OUTCOME_PENALTY, None) or c.state.hearing_request is not None:
        return []
    if calc.waived(c.state, "听证"):
        return []
    end = calc.hearing_window_end(c.state, c.ctx)
    if end is None or c.day > end:
        return []
    return [
        v(
            "rights.hearing_window",
            f"当事人要求听证的期间（告知后五个工作日）至{end.isoformat()}届满，{(end + calc.ONE_DAY).isoformat()}起方可作出决定；"
            "当事人书面放弃听证的，请先记录放弃",
        )
    ]


@rule("rights.statement_reviewed", f"{APL}第四十五条", "陈述申辩已复核",
      checks="当事人的陈述申辩已复核")
def _statement_reviewed(c: Check) -> list[Violation]:
    if not c.state.statements:
        return []
    last = c.state.statements[-1].seq
    if any(r.seq > last for r in c.state.statement_reviews):
        return []
    return [v("rights.statement_reviewed", "当事人提出的陈述申辩尚未复核：请记录复核意见（采纳或不采纳的理由）后再作决定")]


@rule("statement.exists", f"{APL}第四十五条", "已有陈述申辩",
      checks="复核前当事人已提出陈述申辩")
def _statement_exists(c: Check) -> list[Violation]:
    if not c.state.statements:
        return [v("statement.exists", "当事人尚未提出陈述申辩，无需复核")]
    return []


@rule("waiver.written", f"{APL}第六十二条", "书面放弃",
      checks="放弃陈述申辩或听证有当事人签名的书面材料")
def _waiver_written(c: Check) -> list[Violation]:
    if c.preview or c.payload.get("written") is True:
        return []
    return [v("waiver.written", "放弃陈述申辩或听证须有当事人签名的书面材料：请上传或登记书面放弃声明")]
