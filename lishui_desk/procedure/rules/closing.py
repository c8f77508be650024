"""Closing, disclosure, corrections, records and the end of the investigation (《行政处罚法》第四十条、第四十七条、第四十八条、第五十条、第五十五条、第五十七条)."""

from __future__ import annotations

import re
from typing import Any

from lishui_desk.law import APL
from lishui_desk.procedure import calc, served
from lishui_desk.procedure import vocabulary as V
from lishui_desk.procedure.rules.base import MIXED, Check, pv, rule, v
from lishui_desk.procedure.state import CaseState, to_date
from lishui_desk.procedure.types import BLOCK, WARN, EngineContext, Violation

# === 结案 closing ===


@rule("close.served", f"{APL}第六十一条", "决定书已送达",
      checks="结案前决定书已送达（移送、撤销立案除外）")
def _close_served(c: Check) -> list[Violation]:
    d = c.state.decision
    if d is None or d.get("outcome") in (V.OUTCOME_TRANSFER, V.OUTCOME_REVOKE):
        return []
    if c.state.decision_service is None:
        return [v("close.served", "决定书尚未送达当事人：请送达并记录送达回证后再结案")]
    found = served.effective(c.state.decision_service, calc.service_on(c.ctx, c.state.decision_service))
    if found is not None and found.on is None:
        return [v("close.served", f"{found.pending}：决定书尚未生效送达，请登记送达回执后再结案", article=found.article)]
    return []


@rule("close.paid", f"{APL}第六十七条、第七十二条", "罚款已缴纳或已申请强制执行",
      checks="结案前罚款已缴清或已申请人民法院强制执行")
def _close_paid(c: Check) -> list[Violation]:
    if c.state.amount is None or c.state.enforcement is not None:
        return []
    left = calc.outstanding(c.state)
    if left > 0:
        return [v("close.paid", f"罚款尚有{left}元未缴纳：缴清或依法申请强制执行后方可结案")]
    return []


@rule("disclosure.due", f"{APL}第四十八条", "处罚决定公开", severity=WARN, policy_key="disclosure",
      checks="应公开的处罚决定在政策规定的工作日内登记公示")
def _disclosure(c: Check) -> list[Violation]:
    if not needs_disclosure(c.state, c.ctx) or c.state.disclosures:
        return []
    days = c.ctx.policy.disclosure.publish_working_days
    return [pv(c, "disclosure.due", f"本决定应当公开：请在作出决定之日起{days}个工作日内登记公示（个人信息按规定遮蔽）",
               "disclosure.publish_working_days", WARN)]


@rule("disclosure.exists", f"{APL}第四十八条第二款", "已公示",
      checks="撤回公示前本案有公示记录")
def _disclosure_exists(c: Check) -> list[Violation]:
    if not c.state.disclosures:
        return [v("disclosure.exists", "本案没有公示记录，无需撤回")]
    return []


@rule("disclosure.masked", f"{APL}第五十条", "公示遮蔽个人信息", severity=WARN,
      checks="公示自然人的处罚信息已遮蔽姓名和身份证号码")
def _masked(c: Check) -> list[Violation]:
    if c.preview or c.payload.get("masked") is True:
        return []
    party = c.state.party
    if party is not None and party.kind != V.ORGANISATION:
        return [v("disclosure.masked", "公示自然人的处罚信息应遮蔽姓名和身份证号码：请确认已按规定遮蔽", WARN)]
    return []


def needs_disclosure(state: CaseState, ctx: EngineContext) -> bool:
    d = state.decision
    if d is None or d.get("outcome", V.OUTCOME_PENALTY) not in ctx.policy.disclosure.publish_outcomes:
        return False
    if d.type == V.EV_SUMMARY and not ctx.policy.disclosure.publish_summary:
        return False
    return True


# === 更正 correction (全过程记录) ===


@rule("correction.target", f"{APL}第四十七条", "更正指向已有记录",
      checks="更正指向本案的一条原始记录并给出完整的更正内容")
def _correction(c: Check) -> list[Violation]:
    if c.preview:
        return []
    target = str(c.payload.get("target_event_id") or "")
    kind = c.state.event_ids.get(target)
    if kind is None:
        return [v("correction.target", "要更正的记录不在本案中：请选择本案的一条记录")]
    if kind == V.EV_CORRECTED:
        return [v("correction.target", "不能更正一条更正记录：请更正原始记录")]
    if not isinstance(c.payload.get("replacement"), dict):
        return [v("correction.target", "请填写更正后的完整内容")]
    return []


@rule("evidence.present", f"{APL}第四十条", "查明事实", severity=MIXED,
      checks="有证据、检查笔录或询问笔录；事先告知、作出处罚决定时阻止，其他操作提醒")
def _evidence_present(c: Check) -> list[Violation]:
    if c.state.evidence or c.state.inspections or c.state.inquiries:
        return []
    severity = BLOCK if (c.action == "decide" and c.outcome() == V.OUTCOME_PENALTY) or c.action == "issue_notice" else WARN
    return [v("evidence.present", "本案尚无证据、检查笔录或询问笔录：违法事实不清、证据不足的，不得给予行政处罚", severity)]


# === 笔录起止时间与调查终结 records and the end of the investigation (《行政处罚法》第五十五条、第五十七条) ===

_HM = re.compile(r"^([01]?\d|2[0-3])[:：]([0-5]\d)$")


def hm(value: Any) -> str | None:
    """A "时:分" text as ``HH:MM`` (full-width colon accepted); None when it is not a valid time."""
    m = _HM.match(str(value or "").strip())
    return f"{int(m.group(1)):02d}:{m.group(2)}" if m else None


@rule("record.times", "录入要求", "笔录起止时间",
      checks="笔录起止时间为有效时刻且结束晚于开始；接受调查日期不早于通知日期")
def _record_times(c: Check) -> list[Violation]:
    if c.preview:
        return []
    out = []
    labels = {"start_time": "开始时间", "end_time": "结束时间", "summons_time": "接受调查时间"}
    for key, label in labels.items():
        if c.payload.get(key) and hm(c.payload[key]) is None:
            out.append(v("record.times", f"“{label}”（{c.payload[key]}）不是有效时间：请按24小时制填写，如 09:30"))
    start, end = hm(c.payload.get("start_time")), hm(c.payload.get("end_time"))
    if start and end and end <= start:
        out.append(v("record.times", f"结束时间（{end}）应晚于开始时间（{start}）"))
    issued, due = to_date(c.payload.get("issued_on")), to_date(c.payload.get("summons_on"))
    if issued and due and due < issued:
        out.append(v("record.times", f"接受调查日期（{due.isoformat()}）早于通知日期（{issued.isoformat()}）"))
    return out


@rule("record.rights_notified", f"{APL}第五十五条第一款", "出示执法证件", severity=WARN,
      checks="检查笔录确认已出示执法证件并告知陈述、申辩和申请回避的权利（未确认提醒）")
def _rights_notified(c: Check) -> list[Violation]:
    if c.preview or c.payload.get("rights_notified") is True:
        return []
    return [v("record.rights_notified", "检查时执法人员应当主动出示执法证件，并告知当事人陈述、申辩和申请回避的权利："
              "请在笔录中确认已出示证件并告知", WARN)]


@rule("investigation.concluded", f"{APL}第五十七条第一款", "调查终结报负责人审查", severity=WARN,
      checks="告知、决定前已记录调查终结（未记录时提醒）")
def _concluded(c: Check) -> list[Violation]:
    if c.state.is_summary or c.state.filed_on is None or c.state.conclusion is not None:
        return []
    return [v("investigation.concluded", "尚未记录调查终结：调查终结后，承办人员应当提出处理建议，"
              "报行政机关负责人审查后作出决定；请先记录“调查终结”（调查终结报告）", WARN)]
