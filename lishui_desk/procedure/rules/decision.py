"""The decision: contents, the 90-day limit, no-penalty branches, county-level matters (《行政处罚法》第三十三条、第五十九条、第六十条)."""

from __future__ import annotations

from datetime import date

from lishui_desk.law import APL, ZJ
from lishui_desk.procedure import calc
from lishui_desk.procedure import vocabulary as V
from lishui_desk.procedure.rules.base import Check, pv, rule, v
from lishui_desk.procedure.types import WARN, Violation

# === 决定 decision (《行政处罚法》第五十九条、第六十条；第三十三条) ===

_CONTENTS = (
    ("facts", "违法事实"),
    ("evidence_summary", "证据"),
    ("basis", "处罚依据"),
    ("remedies", "申请行政复议、提起行政诉讼的途径和期限"),
    ("agency", "作出决定的行政机关名称"),
)


@rule("decision.contents", f"{APL}第五十九条", "决定书应载明事项",
      checks="处罚决定载明当事人、事实、证据、种类和依据、履行方式和期限、救济途径、机关名称；不予处罚决定载明理由和救济途径")
def _contents(c: Check) -> list[Violation]:
    if c.preview:
        return []
    outcome = c.outcome()
    missing: list[str] = []
    if outcome == V.OUTCOME_PENALTY:
        party = c.state.party
        if party is None or not party.name:
            missing.append("当事人姓名或名称")
        if party is None or not party.address:
            missing.append("当事人地址")
        for key, label in _CONTENTS:
            if not c.payload.get(key) and not (key == "facts" and c.state.facts):
                missing.append(label)
        if not c.kinds():
            missing.append("处罚种类")
        if V.FINE in c.kinds():
            if not c.payload.get("payment_method"):
                missing.append("履行方式")
            if not c.payload.get("payment_days"):
                missing.append("履行期限")
    elif outcome == V.OUTCOME_NO_PENALTY:
        if not c.payload.get("ground"):
            missing.append("不予处罚的理由")
        if not c.payload.get("remedies"):
            missing.append("申请行政复议、提起行政诉讼的途径和期限")
    if not missing:
        return []
    return [v("decision.contents", f"决定书缺少应当载明的事项：{'、'.join(missing)}；请补全后再作决定")]


@rule("clock.ninety_days", f"{APL}第六十条", "九十日内作出决定", undecided=WARN,
      checks="决定日不晚于立案之日起九十日（加经批准的延长、扣除的期间）；期限落在未载入工作日历的年份时，晚于最晚可能届满日的拒绝，介于最早与最晚之间的提醒")
def _ninety(c: Check) -> list[Violation]:
    if c.state.filed_on is None:
        return []
    due = calc.decision_due(c.state, c.ctx)
    if due is None or c.day <= due:
        return []
    return [
        v(
            "clock.ninety_days",
            f"自立案之日（{c.state.filed_on.isoformat()}）起的办案期限已于{due.isoformat()}届满：请先记录经批准的延长办案期限（写明法律、法规、规章依据）"
            "或应扣除的期间，并说明超期原因",
        )
    ]


@rule("first_offence.prior", f"{APL}第三十三条第一款", "首违不罚", policy_key="first_offence_lookback_days",
      checks="适用首违不罚时当事人在回溯期间内未因同一事项受过处罚（回溯期间为县级政策参数）")
def _first_offence(c: Check) -> list[Violation]:
    if c.preview or c.payload.get("ground") != V.GROUND_FIRST_OFFENCE:
        return []
    party = c.state.party
    if party is None or not party.party_id:
        return [v("first_offence.prior", "认定“初次违法”须核对当事人以往案件：请先登记当事人的身份证号码或统一社会信用代码")]
    lookback = c.ctx.policy.first_offence_lookback_days
    since = date.fromordinal(max(1, c.day.toordinal() - lookback))
    item = c.item_code()
    for prior in c.ctx.prior_cases(party.party_id):
        if prior.case_id == c.state.case_id or prior.outcome != V.OUTCOME_PENALTY:
            continue
        if prior.item_code == item and (prior.decided_on is None or prior.decided_on >= since):
            return [v("first_offence.prior", f"当事人曾因同一事项被处罚（{prior.case_number or prior.case_id}，"
                      f"{prior.decided_on.isoformat() if prior.decided_on else '日期不详'}），"
                      f"不属于初次违法（回溯{lookback}日，政策参数），不能适用首违不罚")]
    return []


@rule("first_offence.item", f"{APL}第三十三条第一款", "首违不罚事项清单", severity=WARN,
      checks="首违不罚的事项在首违不罚清单内（不在清单内提醒）")
def _first_offence_item(c: Check) -> list[Violation]:
    if c.preview or c.payload.get("ground") != V.GROUND_FIRST_OFFENCE:
        return []
    item = c.item()
    if item is not None and getattr(item, "first_offence_waivable", False):
        return []
    return [v("first_offence.item", "本事项不在首违不罚事项清单内：适用首违不罚须说明危害后果轻微并及时改正的事实，并经法制审核", WARN)]


@rule("education.required", f"{APL}第三十三条第三款", "不予处罚应当教育",
      checks="依法不予处罚的，结案前已记录对当事人的教育（不满十四周岁的，责令监护人管教）")
def _education(c: Check) -> list[Violation]:
    d = c.state.decision
    if d is None or d.get("outcome") != V.OUTCOME_NO_PENALTY or d.get("ground") == V.GROUND_FACTS_NOT_ESTABLISHED:
        return []
    if any(e.seq > d.seq for e in c.state.education):
        return []
    who = "责令监护人加以管教" if d.get("ground") == V.GROUND_UNDER_14 else "对当事人进行教育"
    return [v("education.required", f"依法不予行政处罚的，应当{who}：请记录教育情况后再结案",
              article=f"{APL}第三十条、第三十三条第三款" if d.get("ground") == V.GROUND_UNDER_14 else None)]


# === 县级管辖 county-level matters (DOMAIN §3.2; 条例第九条) ===


@rule("county.matter", f"{APL}第二十四条、{ZJ}第九条", "县级管辖的重大处罚", severity=WARN, policy_key="county_level_kinds",
      checks="拟作出的处罚种类按县级政策仍由县级部门管辖时提醒移送")
def _county(c: Check) -> list[Violation]:
    if c.preview:
        kinds = c.state.notice.kinds() if c.state.notice else ()
    else:
        kinds = c.kinds()
    heavy = [k for k in kinds if k in c.ctx.policy.county_level_kinds]
    if not heavy:
        return []
    return [pv(c, "county.matter", f"拟作出{'、'.join(heavy)}：按本县赋权规定此类处罚仍由县级部门管辖，请核实后移送县级主管部门",
               "county_level_kinds", WARN)]
