"""Officers: two certified officers, auxiliaries, certificates, recusal, leader approvals (《行政处罚法》第四十二条、第四十三条；《浙江省综合行政执法条例》第二十八条、第三十条)."""

from __future__ import annotations

from datetime import date

from lishui_desk.law import APL, ZJ
from lishui_desk.procedure.rules.base import MIXED, Check, RuleFn, rule, v
from lishui_desk.procedure.types import BLOCK, WARN, OfficerInfo, Violation

# === 执法人员 officers (《行政处罚法》第四十二条、第四十三条；《浙江省综合行政执法条例》第二十八条、第三十条) ===


def _officer_ids(c: Check) -> list[str]:
    ids = c.payload.get("officer_ids")
    if not ids and c.action == "decide":
        ids = list(c.state.officers)
    if not ids and c.preview:
        ids = list(c.state.officers)
    return [str(i) for i in ids or ()]


def _valid_officer(info: OfficerInfo | None, day: date) -> bool:
    return (
        info is not None
        and info.role != "auxiliary"
        and bool(info.cert_no)
        and (info.cert_valid_until is None or info.cert_valid_until >= day)
    )


@rule("officers.two_certified", f"{APL}第四十二条", "两名以上持证执法人员",
      checks="至少两名未回避、持有效执法证件的执法人员")
def _two_officers(c: Check) -> list[Violation]:
    ids = _officer_ids(c)
    good = {i for i in ids if i not in c.state.recused and _valid_officer(c.ctx.officers.get(i), c.day)}
    if len(good) >= 2:
        return []
    if not ids:
        return [v("officers.two_certified", "尚未指定执法人员：请选择两名以上持有有效行政执法证件的执法人员")]
    if len(good) == 1:
        return [v("officers.two_certified", "缺少第二名执法人员：须由两名以上持有有效行政执法证件的执法人员实施")]
    return [v("officers.two_certified", "没有持有有效行政执法证件的执法人员：须由两名以上持证执法人员实施")]


@rule("officers.auxiliary", f"{APL}第四十二条、{ZJ}第三十条", "辅助人员不计入执法人员", severity=MIXED,
      checks="执法人员在名册中且不是辅助人员、持有执法证件；不在名册阻止，辅助人员或无证提醒（不计入两名）")
def _auxiliary(c: Check) -> list[Violation]:
    out = []
    for i in _officer_ids(c):
        info = c.ctx.officers.get(i)
        if info is None:
            out.append(v("officers.auxiliary", f"人员“{i}”不在执法人员名册中，请先同步县级执法人员名册", BLOCK))
        elif info.role == "auxiliary":
            out.append(
                v("officers.auxiliary", f"{info.name}是行政执法辅助人员，不能作为两名执法人员之一；请另选持证执法人员", WARN)
            )
        elif not info.cert_no:
            out.append(v("officers.auxiliary", f"{info.name}没有行政执法证件号，不能实施行政处罚；请另选持证执法人员", WARN))
    return out


@rule("officers.certificate_valid", f"{ZJ}第二十八条", "执法证件在有效期内",
      checks="执法人员的行政执法证件在执法之日有效")
def _certificate(c: Check) -> list[Violation]:
    out = []
    for i in _officer_ids(c):
        info = c.ctx.officers.get(i)
        if info and info.role != "auxiliary" and info.cert_valid_until and info.cert_valid_until < c.day:
            out.append(
                v(
                    "officers.certificate_valid",
                    f"{info.name}的行政执法证件（{info.cert_no}）已于{info.cert_valid_until.isoformat()}过期，"
                    "不能参与本次执法；请换证后再办理或另选执法人员",
                )
            )
    return out


@rule("officers.recusal", f"{APL}第四十三条", "回避",
      checks="已决定回避的人员不参与本案（执法、批准、审核、主持）")
def _recusal(c: Check) -> list[Violation]:
    ids = set(_officer_ids(c))
    for key in ("approved_by", "reviewer_id", "presider_id", "chaired_by"):
        if c.payload.get(key):
            ids.add(str(c.payload[key]))
    out = []
    for i in sorted(ids & c.state.recused):
        info = c.ctx.officers.get(i)
        name = info.name if info else i
        out.append(v("officers.recusal", f"{name}已决定回避本案，不得参与本案的办理；请另选人员"))
    return out


def _leader_rule(rule_id: str, field: str, what: str) -> RuleFn:
    def check(c: Check) -> list[Violation]:
        if c.preview:
            return []
        leader = c.payload.get(field)
        info = c.ctx.officers.get(str(leader)) if leader else None
        if info is None or info.role != "leader":
            return [v(rule_id, f"{what}须经行政机关负责人批准：请选择批准的负责人")]
        return []

    return check


rule("filing.leader_approval", f"{APL}第五十四条", "立案经负责人批准",
      checks="立案、不予立案经行政机关负责人批准")(
    _leader_rule("filing.leader_approval", "approved_by", "立案")
)
rule("preserve.leader_approval", f"{APL}第五十六条", "先行登记保存经负责人批准",
      checks="先行登记保存经行政机关负责人批准")(
    _leader_rule("preserve.leader_approval", "approved_by", "先行登记保存")
)
rule("decision.leader", f"{APL}第五十七条", "负责人审查决定",
      checks="决定由行政机关负责人审查作出")(_leader_rule("decision.leader", "approved_by", "行政处罚决定"))
rule("recusal.leader", f"{APL}第四十三条", "回避由负责人决定",
      checks="回避由行政机关负责人决定")(_leader_rule("recusal.leader", "decided_by", "回避"))
rule("clock.extension_approval", f"{APL}第六十条", "延长期限经批准",
      checks="延长办案期限由行政机关负责人批准")(
    _leader_rule("clock.extension_approval", "approved_by", "延长办案期限")
)
