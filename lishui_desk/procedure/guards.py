"""The rule table: pure guard functions, each with an id, a Chinese message and the article it enforces.

A rule receives a :class:`Check` (state, payload, context, action, preview flag, the act's date) and
returns violations. In preview mode (``next_steps``/``missing``) the payload is empty and a rule
judges only what the case itself already shows.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from lishui_desk.errors import InvalidInput
from lishui_desk.procedure import calc
from lishui_desk.procedure import vocabulary as V
from lishui_desk.procedure.state import CaseState, to_date, to_money
from lishui_desk.procedure.types import BLOCK, WARN, EngineContext, OfficerInfo, Violation

APL = "《行政处罚法》"
ZJ = "《浙江省综合行政执法条例》"
ACL = "《行政强制法》"
CPL = "《民事诉讼法》"


@dataclass
class Check:
    state: CaseState
    payload: dict[str, Any]
    ctx: EngineContext
    action: str
    preview: bool
    day: date  # date of the act (payload date field, else ctx.today)

    def kinds(self) -> tuple[str, ...]:
        return tuple(self.payload.get("kinds") or ())

    def amount(self) -> Decimal | None:
        return to_money(self.payload.get("amount"))

    def party_kind(self) -> str | None:
        party = self.payload.get("party")
        if isinstance(party, dict) and party.get("kind"):
            return str(party["kind"])
        return self.state.party.kind if self.state.party else None

    def item_code(self) -> str | None:
        return self.payload.get("item_code") or self.state.item_code

    def violation_date(self) -> date | None:
        return to_date(self.payload.get("violation_date")) or self.state.violation_date

    def act_end(self) -> date | None:
        return to_date(self.payload.get("violation_end_date")) or self.state.violation_end_date or self.violation_date()

    def township(self) -> str | None:
        return self.payload.get("township_code") or self.state.township_code or self.ctx.township_code

    def item(self) -> Any:
        code, on, town = self.item_code(), self.violation_date(), self.township()
        if not code or on is None or not town:
            return None
        return self.ctx.catalog.item_on(town, code, on)

    def outcome(self) -> str | None:
        if self.action == "summary_penalty":
            return V.OUTCOME_PENALTY
        return self.payload.get("outcome")


RuleFn = Callable[[Check], list[Violation]]


@dataclass(frozen=True)
class Rule:
    id: str
    article: str
    title_zh: str
    fn: RuleFn


RULES: dict[str, Rule] = {}


def rule(rule_id: str, article: str, title_zh: str) -> Callable[[RuleFn], RuleFn]:
    def register(fn: RuleFn) -> RuleFn:
        RULES[rule_id] = Rule(rule_id, article, title_zh, fn)
        return fn

    return register


def v(rule_id: str, message: str, severity: str = BLOCK, article: str | None = None) -> Violation:
    return Violation(rule_id, message, article or RULES[rule_id].article, severity)


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


@rule("officers.two_certified", f"{APL}第四十二条", "两名以上持证执法人员")
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


@rule("officers.auxiliary", f"{APL}第四十二条、{ZJ}第三十条", "辅助人员不计入执法人员")
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


@rule("officers.certificate_valid", f"{ZJ}第二十八条", "执法证件在有效期内")
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


@rule("officers.recusal", f"{APL}第四十三条", "回避")
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


rule("filing.leader_approval", f"{APL}第五十四条", "立案经负责人批准")(
    _leader_rule("filing.leader_approval", "approved_by", "立案")
)
rule("preserve.leader_approval", f"{APL}第五十六条", "先行登记保存经负责人批准")(
    _leader_rule("preserve.leader_approval", "approved_by", "先行登记保存")
)
rule("decision.leader", f"{APL}第五十七条", "负责人审查决定")(_leader_rule("decision.leader", "approved_by", "行政处罚决定"))
rule("recusal.leader", f"{APL}第四十三条", "回避由负责人决定")(_leader_rule("recusal.leader", "decided_by", "回避"))
rule("clock.extension_approval", f"{APL}第六十条", "延长期限经批准")(
    _leader_rule("clock.extension_approval", "approved_by", "延长办案期限")
)


# === 管辖 competence: item on the township catalogue (《行政处罚法》第二十四条；条例第九条) ===


@rule("catalog.item_active", f"{APL}第二十四条、{ZJ}第九条", "事项在本乡镇赋权目录内")
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


@rule("limitation.period", f"{APL}第三十六条", "追责时效")
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


def _age(c: Check) -> int | None:
    party = c.payload.get("party")
    birth = None
    if isinstance(party, dict):
        birth = to_date(party.get("birth_date"))
        if party.get("kind") == V.ORGANISATION:
            return None
    elif c.state.party is not None and c.state.party.kind != V.ORGANISATION:
        birth = c.state.party.birth_date
    on = c.violation_date()
    if birth is None or on is None:
        return None
    return calc.age_on(birth, on)


@rule("minor.under_14", f"{APL}第三十条", "不满十四周岁不予处罚")
def _under_14(c: Check) -> list[Violation]:
    age = _age(c)
    if age is None or age >= 14:
        return []
    if c.action == "decide" and c.outcome() != V.OUTCOME_PENALTY and not c.preview:
        return []
    return [
        v(
            "minor.under_14",
            f"当事人在违法行为发生时{age}周岁，不满十四周岁：不予行政处罚，只能作出不予处罚决定并责令监护人加以管教（记录教育）",
        )
    ]


@rule("minor.mitigation", f"{APL}第三十条", "已满十四不满十八周岁从轻或减轻")
def _minor_mitigation(c: Check) -> list[Violation]:
    age = _age(c)
    if age is None or not 14 <= age < 18 or c.preview:
        return []
    if c.action == "decide" and c.outcome() != V.OUTCOME_PENALTY:
        return []
    if c.payload.get("mitigation") in ("从轻", "减轻"):
        return []
    severity = WARN if c.action == "issue_notice" else BLOCK
    return [
        v(
            "minor.mitigation",
            f"当事人在违法行为发生时{age}周岁（已满十四周岁不满十八周岁），应当从轻或者减轻处罚：请在“裁量情节”中选择从轻或减轻并说明理由",
            severity,
        )
    ]


# === 简易程序 (《行政处罚法》第五十一条) ===

SUMMARY_LIMITS = {"individual": Decimal(200), "organisation": Decimal(3000)}


@rule("summary.limits", f"{APL}第五十一条", "简易程序适用范围")
def _summary_limits(c: Check) -> list[Violation]:
    if c.preview:
        return []
    kinds = c.kinds()
    other = [k for k in kinds if k not in V.SUMMARY_KINDS]
    out = []
    if other:
        out.append(
            v("summary.limits", f"当场处罚只能给予警告或者小额罚款，不能给予{'、'.join(other)}；请改用普通程序立案办理")
        )
    if V.FINE in kinds:
        amount = c.amount()
        column = c.ctx.policy.threshold_party(c.party_kind())
        limit = SUMMARY_LIMITS[column]
        who = "公民" if column == "individual" else "法人或者其他组织"
        if c.party_kind() == V.SOLE_TRADER:
            who = f"个体工商户（按政策参照{who}）"
        if amount is not None and amount > limit:
            out.append(
                v("summary.limits", f"对{who}当场罚款不得超过{limit}元，本次拟罚{amount}元；请改用普通程序立案办理")
            )
    return out


@rule("summary.facts_certain", f"{APL}第五十一条", "违法事实确凿并有法定依据")
def _summary_facts(c: Check) -> list[Violation]:
    if c.preview or c.payload.get("facts_certain") is True:
        return []
    return [v("summary.facts_certain", "适用简易程序须违法事实确凿并有法定依据：事实尚不确凿的，请改用普通程序立案调查")]


# === 处罚内容 penalty content ===


@rule("penalty.kinds", f"{APL}第九条", "处罚种类与罚款数额")
def _penalty_kinds(c: Check) -> list[Violation]:
    if c.preview or c.outcome() not in (V.OUTCOME_PENALTY, None):
        return []
    kinds, amount = c.kinds(), c.amount()
    out = []
    if not kinds:
        out.append(v("penalty.kinds", "请选择处罚种类"))
    if V.FINE in kinds and (amount is None or amount <= 0):
        out.append(v("penalty.kinds", "选择了罚款，请填写大于0的罚款数额"))
    if V.FINE not in kinds and amount not in (None, Decimal(0)):
        out.append(v("penalty.kinds", "填写了罚款数额但处罚种类中没有罚款；请补选罚款或清空数额"))
    item = c.item()
    allowed = tuple(getattr(item, "penalty_kinds", ()) or ())
    extra = [k for k in kinds if allowed and k not in allowed]
    if extra:
        out.append(v("penalty.kinds", f"本事项的处罚依据未规定{'、'.join(extra)}；请按目录中的处罚种类选择", BLOCK,
                     article=f"{APL}第四条"))
    return out


@rule("penalty.amount_range", f"{APL}第三十四条", "裁量基准")
def _amount_range(c: Check) -> list[Violation]:
    if c.preview or V.FINE not in c.kinds() or c.amount() is None:
        return []
    item = c.item()
    if item is None:
        return []
    party_kind = c.ctx.policy.threshold_party(c.party_kind())
    amount = c.amount()
    problems: list[str]
    try:
        from lishui_desk import discretion
    except ImportError:  # the 裁量基准 module is absent: check the legal range only
        problems = _legal_range_problems(item, party_kind, amount)
    else:
        factors = list(c.payload.get("factors") or ())
        if c.payload.get("mitigation") == "减轻" and discretion.MITIGATE not in factors:
            factors.append(discretion.MITIGATE)
        age = _age(c)
        if age is not None and 14 <= age < 18 and "已满十四周岁不满十八周岁" not in factors:
            factors.append("已满十四周岁不满十八周岁")
        try:
            problems = list(discretion.check_amount(item, party_kind, amount, factors, to_money(c.payload.get("quantity"))))
        except InvalidInput as exc:
            problems = [exc.message]
    basis_text = getattr(item, "penalty_basis_text", None)
    basis = basis_text() if callable(basis_text) else ""
    article = f"{basis}；{APL}第三十四条" if basis else f"{APL}第三十四条"
    severity = BLOCK if c.action in ("decide", "summary_penalty") else WARN
    return [v("penalty.amount_range", str(p), severity, article=article) for p in problems]


def _legal_range_problems(item: Any, party_kind: str, amount: Decimal | None) -> list[str]:
    fine = getattr(item, "fine", None)
    if fine is None or amount is None or getattr(fine, "per_unit", False):
        return []
    rng = fine.for_party(party_kind)
    if rng is None:
        return ["本事项对该类当事人没有规定罚款"]
    _low, high = rng
    if high is not None and amount > high:
        return [f"罚款{amount}元超过法定上限{high}元"]
    return []


@rule("penalty.not_heavier", f"{APL}第四十五条", "不得重于告知的处罚")
def _not_heavier(c: Check) -> list[Violation]:
    notice = c.state.notice
    if c.preview or notice is None or c.outcome() != V.OUTCOME_PENALTY:
        return []
    out = []
    told = set(notice.kinds())
    more = [k for k in c.kinds() if k not in told]
    if more:
        out.append(v("penalty.not_heavier", f"拟作出的决定增加了事先告知中没有的处罚种类（{'、'.join(more)}）；"
                     "不得加重处罚，如确需加重请重新进行事先告知"))
    told_amount = notice.money("amount")
    amount = c.amount()
    if amount is not None and V.FINE in c.kinds() and (told_amount is None or amount > told_amount):
        out.append(v("penalty.not_heavier", f"决定罚款{amount}元高于事先告知的{told_amount or 0}元；不得因陈述申辩加重处罚，"
                     "如确需提高请重新进行事先告知"))
    return out


@rule("penalty.one_fine", f"{APL}第二十九条", "一事不二罚")
def _one_fine(c: Check) -> list[Violation]:
    if c.preview or V.FINE not in c.kinds():
        return []
    item = c.item_code()
    for d in c.state.decisions:
        if V.FINE in d.kinds() and d.get("outcome", V.OUTCOME_PENALTY) == V.OUTCOME_PENALTY and (
            (d.get("item_code") or c.state.item_code) == item
        ):
            number = d.get("decision_number") or ""
            return [v("penalty.one_fine", f"同一违法行为已在本案决定{number}中处以罚款，不得再次罚款")]
    return []


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


# === 告知与陈述申辩 prior notice, statement and defence (《行政处罚法》第四十四条、第四十五条、第六十二条) ===


@rule("notice.exists", f"{APL}第四十四条", "已制作事先告知书")
def _notice_exists(c: Check) -> list[Violation]:
    if c.state.notice is None:
        return [v("notice.exists", "尚未制作行政处罚事先告知书")]
    return []


@rule("rights.notice_served", f"{APL}第四十四条、第六十二条", "事先告知已送达")
def _notice_served(c: Check) -> list[Violation]:
    if c.outcome() not in (V.OUTCOME_PENALTY, None):
        return []
    if c.state.notice is None:
        return [v("rights.notice_served", "作出处罚决定前应当事先告知拟作出的处罚内容及事实、理由、依据和陈述申辩、听证权利：请先制作并送达事先告知书")]
    if c.state.notice_served is None:
        return [v("rights.notice_served", "事先告知书尚未送达当事人：请先送达并记录送达日期")]
    return []


@rule("rights.statement_window", f"{APL}第四十五条、第六十二条", "陈述申辩期间")
def _statement_window(c: Check) -> list[Violation]:
    if c.outcome() not in (V.OUTCOME_PENALTY, None) or calc.waived(c.state, "陈述申辩"):
        return []
    end = calc.statement_window_end(c.state, c.ctx)
    if end is None or c.day > end:
        return []
    return [
        v(
            "rights.statement_window",
            f"陈述申辩期间至{end.isoformat()}届满（{c.ctx.policy.statement_window_working_days}个工作日，政策参数），"
            f"{(end + calc.ONE_DAY).isoformat()}起方可作出决定；当事人书面放弃的，请先记录放弃",
        )
    ]


@rule("rights.hearing_window", f"{APL}第六十四条第一项", "听证申请期间")
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


@rule("rights.statement_reviewed", f"{APL}第四十五条", "陈述申辩已复核")
def _statement_reviewed(c: Check) -> list[Violation]:
    if not c.state.statements:
        return []
    last = c.state.statements[-1].seq
    if any(r.seq > last for r in c.state.statement_reviews):
        return []
    return [v("rights.statement_reviewed", "当事人提出的陈述申辩尚未复核：请记录复核意见（采纳或不采纳的理由）后再作决定")]


@rule("statement.exists", f"{APL}第四十五条", "已有陈述申辩")
def _statement_exists(c: Check) -> list[Violation]:
    if not c.state.statements:
        return [v("statement.exists", "当事人尚未提出陈述申辩，无需复核")]
    return []


@rule("waiver.written", f"{APL}第六十二条", "书面放弃")
def _waiver_written(c: Check) -> list[Violation]:
    if c.preview or c.payload.get("written") is True:
        return []
    return [v("waiver.written", "放弃陈述申辩或听证须有当事人签名的书面材料：请上传或登记书面放弃声明")]


# === 法制审核与集体讨论 (《行政处罚法》第五十七条第二款、第五十八条) ===


@rule("review.required", f"{APL}第五十八条", "重大执法决定法制审核")
def _review_required(c: Check) -> list[Violation]:
    if c.outcome() in (V.OUTCOME_TRANSFER, V.OUTCOME_REVOKE):
        return []
    kinds, amount = calc.proposed(c.state, c.payload)
    reasons = calc.review_reasons(c.state, c.ctx, kinds, amount)
    if not reasons:
        return []
    why = "、".join(reasons)
    op = calc.latest_opinion(c.state)
    if op is None:
        return [v("review.required", f"本案{why}，属于应当法制审核的情形：未经法制审核不得作出决定，请提请法制审核")]
    if op.seq < c.state.last_change_seq:
        return [v("review.required", "法制审核意见出具后案件材料又有变动：请就变动后的材料重新提请法制审核")]
    if op.get("result") != V.REVIEW_APPROVED:
        return [v("review.required", f"法制审核意见为“存在问题”（{op.get('reasons') or '未写明'}）：请整改后重新提请审核，审核通过前不得作出决定")]
    return []


@rule("review.reviewer_qualified", f"{APL}第五十八条第二款", "审核人员具有法律职业资格")
def _reviewer(c: Check) -> list[Violation]:
    if c.preview:
        return []
    info = c.ctx.officers.get(str(c.payload.get("reviewer_id") or ""))
    if info is None:
        return [v("review.reviewer_qualified", "请选择出具审核意见的法制审核人员")]
    if not info.legal_qualification:
        return [v("review.reviewer_qualified", f"{info.name}未取得法律职业资格，不能出具法制审核意见；可通过县级线上协同法制审核办理")]
    if str(info.id) in c.state.officers:
        return [v("review.reviewer_qualified", f"{info.name}是本案承办人员，不能审核本案", BLOCK)]
    return []


@rule("review.reasons", f"{APL}第五十八条", "审核意见写明理由")
def _review_reasons(c: Check) -> list[Violation]:
    if c.preview or c.payload.get("result") != V.REVIEW_PROBLEMS or c.payload.get("reasons"):
        return []
    return [v("review.reasons", "审核意见为“存在问题”时须写明存在的问题和整改意见")]


@rule("review.requested", f"{APL}第五十八条", "已提请法制审核")
def _review_requested(c: Check) -> list[Violation]:
    if not c.state.review_requests:
        return [v("review.requested", "尚未提请法制审核")]
    return []


@rule("collective.required", f"{APL}第五十七条第二款", "集体讨论")
def _collective(c: Check) -> list[Violation]:
    if c.outcome() not in (V.OUTCOME_PENALTY, None):
        return []
    kinds, amount = calc.proposed(c.state, c.payload)
    reasons = calc.collective_reasons(c.state, c.ctx, calc.review_reasons(c.state, c.ctx, kinds, amount))
    if not reasons or c.state.collective:
        return []
    return [v("collective.required", f"本案{'、'.join(reasons)}，应当由行政机关负责人集体讨论决定：请先记录集体讨论")]


@rule("collective.chair", f"{APL}第五十七条第二款", "负责人主持集体讨论")
def _collective_chair(c: Check) -> list[Violation]:
    if c.preview:
        return []
    info = c.ctx.officers.get(str(c.payload.get("chaired_by") or ""))
    if info is None or info.role != "leader":
        return [v("collective.chair", "集体讨论应由行政机关负责人主持：请选择主持的负责人")]
    return []


# === 决定 decision (《行政处罚法》第五十九条、第六十条；第三十三条) ===

_CONTENTS = (
    ("facts", "违法事实"),
    ("evidence_summary", "证据"),
    ("basis", "处罚依据"),
    ("remedies", "申请行政复议、提起行政诉讼的途径和期限"),
    ("agency", "作出决定的行政机关名称"),
)


@rule("decision.contents", f"{APL}第五十九条", "决定书应载明事项")
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


@rule("clock.ninety_days", f"{APL}第六十条", "九十日内作出决定")
def _ninety(c: Check) -> list[Violation]:
    if c.state.filed_on is None:
        return []
    try:
        due = calc.decision_due(c.state, c.ctx)
    except InvalidInput as exc:
        return [v("clock.ninety_days", f"无法计算办案期限：{exc.message}", WARN)]
    if due is None or c.day <= due:
        return []
    return [
        v(
            "clock.ninety_days",
            f"自立案之日（{c.state.filed_on.isoformat()}）起的办案期限已于{due.isoformat()}届满：请先记录经批准的延长办案期限（写明法律、法规、规章依据）"
            "或应扣除的期间，并说明超期原因",
        )
    ]


@rule("first_offence.prior", f"{APL}第三十三条第一款", "首违不罚")
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


@rule("first_offence.item", f"{APL}第三十三条第一款", "首违不罚事项清单")
def _first_offence_item(c: Check) -> list[Violation]:
    if c.preview or c.payload.get("ground") != V.GROUND_FIRST_OFFENCE:
        return []
    item = c.item()
    if item is not None and getattr(item, "first_offence_waivable", False):
        return []
    return [v("first_offence.item", "本事项不在首违不罚事项清单内：适用首违不罚须说明危害后果轻微并及时改正的事实，并经法制审核", WARN)]


@rule("education.required", f"{APL}第三十三条第三款", "不予处罚应当教育")
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


@rule("county.matter", f"{APL}第二十四条、{ZJ}第九条", "县级管辖的重大处罚")
def _county(c: Check) -> list[Violation]:
    if c.preview:
        kinds = c.state.notice.kinds() if c.state.notice else ()
    else:
        kinds = c.kinds()
    heavy = [k for k in kinds if k in c.ctx.policy.county_level_kinds]
    if not heavy:
        return []
    return [v("county.matter", f"拟作出{'、'.join(heavy)}：按本县赋权规定此类处罚通常仍由县级部门管辖，请核实后移送县级主管部门", WARN)]


# === 先行登记保存 (《行政处罚法》第五十六条) ===


@rule("preserve.target", f"{APL}第五十六条", "处理对应的先行登记保存")
def _preserve_target(c: Check) -> list[Violation]:
    if c.preview:
        return [] if _unhandled(c.state) else [v("preserve.target", "没有待处理的先行登记保存")]
    target = str(c.payload.get("preservation_event_id") or "")
    ids = {p.event_id for p in c.state.preservations}
    if target not in ids:
        return [v("preserve.target", "请选择要处理的先行登记保存记录")]
    if target in c.state.preservation_handling:
        return [v("preserve.target", "该先行登记保存已作出处理决定")]
    return []


def _unhandled(state: CaseState) -> list[Any]:
    return [p for p in state.preservations if p.event_id not in state.preservation_handling]


@rule("preserve.in_time", f"{APL}第五十六条", "七日内作出处理决定")
def _preserve_in_time(c: Check) -> list[Violation]:
    out = []
    for p in _unhandled(c.state):
        if not c.preview and c.payload.get("preservation_event_id") not in (None, p.event_id):
            continue
        start = p.day("preserved_on")
        if start is None:
            continue
        try:
            due = calc.working_days(c.ctx, start, 7)
        except InvalidInput as exc:
            out.append(v("preserve.in_time", f"无法计算先行登记保存处理期限：{exc.message}", WARN))
            continue
        if c.day > due:
            out.append(v("preserve.in_time", f"{start.isoformat()}先行登记保存的物品应在{due.isoformat()}前作出处理决定，已逾期", WARN))
    return out


@rule("preserve.unhandled", f"{APL}第五十六条", "先行登记保存已处理")
def _preserve_unhandled(c: Check) -> list[Violation]:
    pending = _unhandled(c.state)
    if not pending:
        return []
    severity = BLOCK if c.action == "close_case" else WARN
    return [v("preserve.unhandled", f"有{len(pending)}项先行登记保存尚未作出处理决定", severity)]


# === 送达 service (《行政处罚法》第六十一条；《民事诉讼法》第八十七条至第九十五条) ===


@rule("service.electronic_consent", f"{APL}第六十一条第二款", "电子送达须同意")
def _e_consent(c: Check) -> list[Violation]:
    if c.preview or c.payload.get("method") != V.SERVICE_ELECTRONIC or c.payload.get("e_consent") is True:
        return []
    confirmed = c.state.service_address
    if confirmed is not None and confirmed.get("e_consent") is True:
        return []  # the party agreed in the recorded 送达地址确认书
    return [v("service.electronic_consent", "电子送达须经当事人同意并签订送达地址确认书：请先取得确认书或改用其他方式送达")]


@rule("service.in_time", f"{APL}第六十一条", "七日内送达")
def _service_in_time(c: Check) -> list[Violation]:
    decided = c.state.decided_on
    if decided is None:
        return []
    try:
        due = calc.working_days(c.ctx, decided, 7)
    except InvalidInput as exc:
        return [v("service.in_time", f"无法计算送达期限：{exc.message}", WARN)]
    if c.day > due:
        return [v("service.in_time", f"当事人不在场的，决定书应在七个工作日内（{due.isoformat()}前）送达，已逾期；请尽快送达并说明原因", WARN)]
    return []


@rule("service.electronic_address", f"{APL}第六十一条第二款", "电子送达地址")
def _e_address(c: Check) -> list[Violation]:
    if c.preview or c.payload.get("e_consent") is not True or c.payload.get("email") or c.payload.get("phone"):
        return []
    return [v("service.electronic_address", "当事人同意电子送达的，须在确认书中写明接收文书的电子邮箱或手机号码")]


@rule("decision.exists", f"{APL}第五十九条", "已作出决定")
def _decision_exists(c: Check) -> list[Violation]:
    if c.state.decision is None:
        return [v("decision.exists", "尚未作出决定")]
    return []


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


# === 结案 closing ===


@rule("close.served", f"{APL}第六十一条", "决定书已送达")
def _close_served(c: Check) -> list[Violation]:
    d = c.state.decision
    if d is None or d.get("outcome") in (V.OUTCOME_TRANSFER, V.OUTCOME_REVOKE):
        return []
    if c.state.decision_service is None:
        return [v("close.served", "决定书尚未送达当事人：请送达并记录送达回证后再结案")]
    return []


@rule("close.paid", f"{APL}第六十七条、第七十二条", "罚款已缴纳或已申请强制执行")
def _close_paid(c: Check) -> list[Violation]:
    if c.state.amount is None or c.state.enforcement is not None:
        return []
    left = calc.outstanding(c.state)
    if left > 0:
        return [v("close.paid", f"罚款尚有{left}元未缴纳：缴清或依法申请强制执行后方可结案")]
    return []


@rule("disclosure.due", f"{APL}第四十八条", "处罚决定公开")
def _disclosure(c: Check) -> list[Violation]:
    if not needs_disclosure(c.state, c.ctx) or c.state.disclosures:
        return []
    return [v("disclosure.due", "本决定应当公开：请在作出决定之日起七个工作日内登记公示（个人信息按规定遮蔽）", WARN)]


@rule("disclosure.exists", f"{APL}第四十八条第二款", "已公示")
def _disclosure_exists(c: Check) -> list[Violation]:
    if not c.state.disclosures:
        return [v("disclosure.exists", "本案没有公示记录，无需撤回")]
    return []


@rule("disclosure.masked", f"{APL}第五十条", "公示遮蔽个人信息")
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


@rule("correction.target", f"{APL}第四十七条", "更正指向已有记录")
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


@rule("evidence.present", f"{APL}第四十条", "查明事实")
def _evidence_present(c: Check) -> list[Violation]:
    if c.state.evidence or c.state.inspections or c.state.inquiries:
        return []
    severity = BLOCK if c.action == "decide" and c.outcome() == V.OUTCOME_PENALTY else WARN
    return [v("evidence.present", "本案尚无证据、检查笔录或询问笔录：违法事实不清、证据不足的，不得给予行政处罚", severity)]


# === 笔录起止时间与调查终结 records and the end of the investigation (《行政处罚法》第五十五条、第五十七条) ===

_HM = re.compile(r"^([01]?\d|2[0-3])[:：]([0-5]\d)$")


def hm(value: Any) -> str | None:
    """A "时:分" text as ``HH:MM`` (full-width colon accepted); None when it is not a valid time."""
    m = _HM.match(str(value or "").strip())
    return f"{int(m.group(1)):02d}:{m.group(2)}" if m else None


@rule("record.times", "录入要求", "笔录起止时间")
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


@rule("record.rights_notified", f"{APL}第五十五条第一款", "出示执法证件")
def _rights_notified(c: Check) -> list[Violation]:
    if c.preview or c.payload.get("rights_notified") is True:
        return []
    return [v("record.rights_notified", "检查时执法人员应当主动出示执法证件，并告知当事人陈述、申辩和申请回避的权利："
              "请在笔录中确认已出示证件并告知", WARN)]


@rule("investigation.concluded", f"{APL}第五十七条第一款", "调查终结报负责人审查")
def _concluded(c: Check) -> list[Violation]:
    if c.state.is_summary or c.state.filed_on is None or c.state.conclusion is not None:
        return []
    return [v("investigation.concluded", "尚未记录调查终结：调查终结后，承办人员应当提出处理建议，"
              "报行政机关负责人审查后作出决定；请先记录“调查终结”（调查终结报告）", WARN)]
