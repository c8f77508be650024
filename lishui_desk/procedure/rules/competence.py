"""Competence, limitation and minors (《行政处罚法》第二十四条、第三十条、第三十六条；《浙江省综合行政执法条例》第九条)."""

from __future__ import annotations

from lishui_desk.law import APL, ZJ
from lishui_desk.procedure import calc
from lishui_desk.procedure import vocabulary as V
from lishui_desk.procedure.rules.base import AGE_MAJORITY, AGE_NO_PENALTY, MIXED, Check, party_age, rule, v
from lishui_desk.procedure.state import to_date
from lishui_desk.procedure.types import BLOCK, WARN, Violation

# === 管辖 competence: item on the township catalogue (《行政处罚法》第二十四条；条例第九条) ===


@rule("catalog.item_active", f"{APL}第二十四条、{ZJ}第九条", "事项在本乡镇赋权目录内", severity=MIXED,
      checks="违法行为发生日该事项在本乡镇（街道）赋权事项目录内；登记线索时提醒，立案、告知、决定、当场处罚时阻止并提示移送")
def _catalog(c: Check) -> list[Violation]:
    code, on = c.item_code(), c.violation_date()
    if not code or on is None:
        return []  # payload.required reports the missing item / date
    if c.item() is not None:
        return []
    severity = WARN if c.action == "register_lead" else BLOCK
    return [
        v(
            "catalog.item_active",
            f"事项“{code}”在违法行为发生日（{on.isoformat()}）不在本乡镇（街道）赋权事项目录内，本机关无管辖权；"
            "请移送有管辖权的部门（可使用“移送”）",
            severity,
        )
    ]


# === 追责时效 limitation (《行政处罚法》第三十六条) ===


@rule("limitation.period", f"{APL}第三十六条", "追责时效",
      checks="发现之日未超过违法行为发生（终了）之日起二年；涉及生命健康安全、金融安全且有危害后果的五年")
def _limitation(c: Check) -> list[Violation]:
    end = c.act_end()
    if end is None:
        return []
    discovered = (
        to_date(c.payload.get("discovered_date")) or c.state.discovered_date or c.state.lead_on or c.day
    )
    item = c.item()
    long_period = bool(getattr(item, "life_health_safety", False))
    harm = c.payload.get("harmful_consequence")
    if harm is None and c.state.lead is not None:
        harm = c.state.lead.get("harmful_consequence")
    years = 5 if long_period and harm is True else 2
    last = calc.limitation_end(end, years)
    if discovered <= last:
        return []
    hint = ""
    if long_period and harm is not True:
        hint = "；本事项涉及公民生命健康安全，如有危害后果请在立案信息中注明“有危害后果”（时效为五年）"
    return [
        v(
            "limitation.period",
            f"违法行为{('终了' if c.state.violation_end_date or c.payload.get('violation_end_date') else '发生')}于"
            f"{end.isoformat()}，至发现之日（{discovered.isoformat()}）已超过{years}年，不再给予行政处罚{hint}",
        )
    ]


# === 未成年人 minors (《行政处罚法》第三十条) ===


@rule("minor.under_14", f"{APL}第三十条", "不满十四周岁不予处罚",
      checks="违法时不满十四周岁（周岁自生日次日起算）的，不得告知或作出处罚，只能不予处罚")
def _under_14(c: Check) -> list[Violation]:
    age = party_age(c)
    if age is None or age >= AGE_NO_PENALTY:
        return []
    if c.action == "decide" and c.outcome() != V.OUTCOME_PENALTY and not c.preview:
        return []
    return [
        v(
            "minor.under_14",
            f"当事人在违法行为发生时{age}周岁，不满十四周岁：不予行政处罚，只能作出不予处罚决定并责令监护人加以管教（记录教育）",
        )
    ]


@rule("minor.mitigation", f"{APL}第三十条", "已满十四不满十八周岁从轻或减轻",
      checks="违法时已满十四周岁不满十八周岁（周岁自生日次日起算）的，事先告知、决定、当场处罚应当从轻或者减轻")
def _minor_mitigation(c: Check) -> list[Violation]:
    age = party_age(c)
    if age is None or not AGE_NO_PENALTY <= age < AGE_MAJORITY or c.preview:
        return []
    if c.action == "decide" and c.outcome() != V.OUTCOME_PENALTY:
        return []
    if c.payload.get("mitigation") in ("从轻", "减轻"):
        return []
    return [
        v(
            "minor.mitigation",
            f"当事人在违法行为发生时{age}周岁（已满十四周岁不满十八周岁），应当从轻或者减轻处罚：请在“处罚幅度”中选择从轻或减轻并说明理由",
        )
    ]
