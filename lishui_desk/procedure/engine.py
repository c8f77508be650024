"""The procedure engine: check / apply an action, list next steps, what is missing, and deadlines.

Pure functions over a folded :class:`CaseState`; the service layer stores the returned
:class:`EventDraft`s as case events (one unit of work per user action).
"""

from __future__ import annotations

import dataclasses
import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from lishui_desk.errors import InvalidInput, RuleViolation
from lishui_desk.law import APL, INPUT
from lishui_desk.limits import MAX_TEXT
from lishui_desk.procedure import calc, served
from lishui_desk.procedure import vocabulary as V
from lishui_desk.procedure.actions import ACTIONS, EVENT_ACTION, UTILITY_ACTIONS
from lishui_desk.procedure.deadlines_view import deadlines
from lishui_desk.procedure.guards import RULES, Check, Rule
from lishui_desk.procedure.state import CaseState, Rec
from lishui_desk.procedure.types import (
    BLOCK,
    WARN,
    ActionSpec,
    EngineContext,
    EventDraft,
    FieldSpec,
    NextStep,
    Violation,
)
from lishui_desk.workcal import CalendarGap

__all__ = ["apply", "check", "deadlines", "missing", "next_steps", "normalise_payload"]

PROCEDURE_ARTICLE = APL.art("第五章")
INPUT_ARTICLE = INPUT
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_MAX_TEXT = MAX_TEXT


def _spec(action: str) -> ActionSpec:
    spec = ACTIONS.get(action)
    if spec is None:
        raise InvalidInput(f"未知的办案操作“{action}”")
    return spec


# --- payload validation ---------------------------------------------------------------------


def _bad(name: str, label: str, why: str) -> Violation:
    return Violation("payload.invalid", f"“{label}”{why}", INPUT_ARTICLE, BLOCK)


def _norm_party(value: Any, f: FieldSpec, today: date) -> tuple[dict[str, Any] | None, list[Violation]]:
    from lishui_desk import identity

    if not isinstance(value, dict):
        return None, [_bad(f.name, f.label_zh, "格式错误")]
    kind = value.get("kind") or V.INDIVIDUAL
    if kind not in V.PARTY_KINDS:
        return None, [_bad(f.name, f.label_zh, f"的类型“{kind}”无效")]
    out: dict[str, Any] = {"kind": kind}
    problems: list[Violation] = []
    long = [k for k, x in value.items() if isinstance(x, str) and len(x) > _MAX_TEXT]
    if long:
        return None, [_bad(f.name, f.label_zh, f"中的内容过长（超过{_MAX_TEXT}字）")]
    name = str(value.get("name") or "").strip()
    if not name:
        problems.append(Violation("payload.required", "请填写当事人姓名或名称", INPUT_ARTICLE, BLOCK))
    out["name"] = name
    for key in ("address", "phone", "legal_representative"):
        if value.get(key):
            out[key] = str(value[key]).strip()
    id_number, credit = value.get("id_number"), value.get("credit_code")
    try:
        if id_number:
            rid = identity.parse_resident_id(str(id_number), today=today)
            out["id_number"] = rid.number
            out["birth_date"] = rid.birth_date.isoformat()
        if credit:
            out["credit_code"] = identity.parse_credit_code(str(credit)).code
    except InvalidInput as exc:
        problems.append(Violation("payload.invalid", exc.message, "GB 11643-1999 / GB 32100-2015", BLOCK))
    if kind == V.INDIVIDUAL and not id_number:
        problems.append(Violation("payload.required", "请填写当事人的公民身份号码", INPUT_ARTICLE, BLOCK))
    if kind == V.ORGANISATION and not credit:
        problems.append(Violation("payload.required", "请填写当事人的统一社会信用代码", INPUT_ARTICLE, BLOCK))
    if kind == V.SOLE_TRADER and not (credit or id_number):
        problems.append(Violation("payload.required", "请填写个体工商户的统一社会信用代码或经营者身份证号码", INPUT_ARTICLE, BLOCK))
    return out, problems


def _norm_value(f: FieldSpec, value: Any, today: date) -> tuple[Any, list[Violation]]:
    k = f.kind
    if k in ("text", "item", "officer", "event"):
        if not isinstance(value, str):
            return None, [_bad(f.name, f.label_zh, "应为文字")]
        text = value.strip()
        if len(text) > _MAX_TEXT:
            return None, [_bad(f.name, f.label_zh, f"过长（超过{_MAX_TEXT}字）")]
        return text, []
    if k == "date":
        if isinstance(value, date):
            return value.isoformat(), []
        try:
            return date.fromisoformat(str(value)).isoformat(), []
        except ValueError:
            return None, [_bad(f.name, f.label_zh, f"不是有效日期（{value}），应为 YYYY-MM-DD")]
    if k == "money":
        if isinstance(value, float | bool):
            return None, [_bad(f.name, f.label_zh, "应以文字或整数表示金额")]
        try:
            amount = Decimal(str(value).strip())
        except InvalidOperation:
            return None, [_bad(f.name, f.label_zh, f"不是有效金额（{value}）")]
        if not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.01")):
            return None, [_bad(f.name, f.label_zh, "应为不小于0、最多两位小数的金额")]
        return f"{amount:.2f}", []
    if k == "int":
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            return None, [_bad(f.name, f.label_zh, "应为非负整数")]
        return value, []
    if k == "bool":
        if not isinstance(value, bool):
            return None, [_bad(f.name, f.label_zh, "应为是或否")]
        return value, []
    if k == "choice":
        if value not in f.choices:
            return None, [_bad(f.name, f.label_zh, f"的取值“{value}”不在可选范围内：{'、'.join(f.choices)}")]
        return value, []
    if k in ("multichoice", "officers"):
        if not isinstance(value, list | tuple) or not all(isinstance(x, str) for x in value):
            return None, [_bad(f.name, f.label_zh, "应为列表")]
        if any(len(x) > _MAX_TEXT for x in value):
            return None, [_bad(f.name, f.label_zh, f"中的内容过长（超过{_MAX_TEXT}字）")]
        items = list(dict.fromkeys(x.strip() for x in value if x.strip()))
        if k == "multichoice":
            wrong = [x for x in items if x not in f.choices]
            if wrong:
                return None, [_bad(f.name, f.label_zh, f"含有无效选项：{'、'.join(wrong)}")]
        return items, []
    if k == "evidence":
        if not isinstance(value, str) or not _SHA256.match(value.lower()):
            return None, [_bad(f.name, f.label_zh, "应为64位十六进制的 SHA-256 摘要")]
        return value.lower(), []
    if k == "party":
        return _norm_party(value, f, today)
    if k == "payload":
        if not isinstance(value, dict):
            return None, [_bad(f.name, f.label_zh, "应为对象")]
        return value, []
    raise InvalidInput(f"字段类型“{k}”未定义")  # programming error in the action table


# keys the engine adds to stored payloads itself (kept when a stored payload is corrected)
DERIVED_KEYS = frozenset({"item_name", "domain", "effective_on", "served_on", "outcome", "township_code",
                          "acknowledged_warnings", "late_fee_due"})
# actions that record the service of a document (their effective date is derived)
SERVICE_ACTIONS = frozenset({"serve_notice", "serve_decision", "schedule_hearing", "serve_demand"})


def normalise_payload(
    spec: ActionSpec, payload: dict[str, Any], ctx: EngineContext, *, stored: bool = False
) -> tuple[dict[str, Any], list[Violation]]:
    """Validate a form payload against the action's fields; return JSON-ready values and problems.

    ``stored``: the payload is a stored one (a correction's replacement) and may carry engine-derived keys.
    """
    if not isinstance(payload, dict):
        return {}, [Violation("payload.invalid", "提交的内容格式错误", INPUT_ARTICLE, BLOCK)]
    known = {f.name: f for f in spec.fields}
    problems: list[Violation] = []
    unknown = [k for k in payload if k not in known and not (stored and k in DERIVED_KEYS)]
    if unknown:
        problems.append(Violation("payload.unknown", f"“{spec.label_zh}”不接受这些字段：{'、'.join(unknown)}", INPUT_ARTICLE, BLOCK))
    out: dict[str, Any] = {}
    for f in spec.fields:
        value = payload.get(f.name)
        if value is None and f.name == spec.date_field:
            value = ctx.today.isoformat()
        empty = value is None or value == "" or value == [] or value == {}
        if empty:
            if f.required:
                problems.append(Violation("payload.required", f"请填写“{f.label_zh}”", INPUT_ARTICLE, BLOCK))
            continue
        norm, errs = _norm_value(f, value, ctx.today)
        problems.extend(errs)
        if norm is not None:
            out[f.name] = norm
    if stored:
        out.update({k: payload[k] for k in DERIVED_KEYS if k in payload and k not in known})
    return out, problems


# --- check / apply --------------------------------------------------------------------------


def _act_day(spec: ActionSpec, payload: dict[str, Any], ctx: EngineContext) -> date:
    if spec.date_field and payload.get(spec.date_field):
        try:
            return date.fromisoformat(str(payload[spec.date_field]))
        except ValueError:
            pass
    return ctx.today


def _run_rules(spec: ActionSpec, c: Check) -> list[Violation]:
    out: list[Violation] = []
    for rid in spec.rules:
        rule = RULES[rid]
        try:
            out.extend(rule.fn(c))
        except CalendarGap as gap:
            out.extend(_bounded(rule, c, gap))
    return out


def _summary(found: list[Violation]) -> str:
    return "；".join(x.message for x in found) if found else "符合"


def _bounded(rule: Rule, c: Check, gap: CalendarGap) -> list[Violation]:
    """A period this rule needs ends in a year whose holiday arrangement is not loaded.

    The rule is decided under the earliest- and the latest-ending arrangement that year could have
    (:meth:`WorkdayCalendar.bounds`): when both give the same answer, that answer is certain and
    stands (with a note); only when they differ does the rule stay undecided — a blocking rule then
    blocks with the calendar's message, a warning rule warns; the other rules are still evaluated.
    """
    results: list[list[Violation]] = []
    for cal in c.ctx.calendar.bounds():
        try:
            results.append(rule.fn(dataclasses.replace(c, ctx=dataclasses.replace(c.ctx, calendar=cal))))
        except CalendarGap:
            break
    year = gap.date.year
    if len(results) == 2:
        early, late = results
        if sorted((x.rule_id, x.severity) for x in early) == sorted((x.rule_id, x.severity) for x in late):
            note = f"（{year}年节假日安排尚未载入，按该年任何可能的安排判断，结论相同）"
            return [dataclasses.replace(x, message=x.message + note) for x in late]
        detail = f"按该年最早可能的安排：{_summary(early)}；按最晚可能的安排：{_summary(late)}。"
    else:
        detail = ""
    return [Violation(rule.id, f"{rule.title_zh}：{gap.message}{detail}", rule.article, rule.undecided)]


def _stage_violation(state: CaseState, spec: ActionSpec) -> Violation | None:
    if state.stage in spec.stages:
        return None
    stage = V.STAGE_LABELS.get(state.stage, state.stage)
    return Violation("stage.not_allowed", f"案件处于“{stage}”环节，不能进行“{spec.label_zh}”", PROCEDURE_ARTICLE, BLOCK)


def _derive(spec: ActionSpec, state: CaseState, payload: dict[str, Any], ctx: EngineContext) -> list[Violation]:
    """Fill values the engine computes (township, deemed service dates) and validate corrections."""
    problems: list[Violation] = []
    if spec.key == "register_lead" and not payload.get("township_code"):
        if ctx.township_code:
            payload["township_code"] = ctx.township_code
        else:
            problems.append(Violation("payload.required", "请填写乡镇（街道）代码", INPUT_ARTICLE, BLOCK))
    if spec.key in ("register_lead", "file_case", "summary_penalty") and payload.get("item_code"):
        town = payload.get("township_code") or state.township_code or ctx.township_code
        on = payload.get("violation_date") or (state.violation_date.isoformat() if state.violation_date else None)
        item = ctx.catalog.item_on(town, payload["item_code"], date.fromisoformat(on)) if town and on else None
        if item is not None:
            payload["item_name"] = item.name
            payload["domain"] = item.domain
    if spec.key in SERVICE_ACTIONS:
        _derive_service(spec, payload, ctx)
    if spec.key == "record_payment":
        try:
            fee = calc.late_fee_on(state, ctx, date.fromisoformat(payload["paid_on"])) if payload.get("paid_on") else None
        except InvalidInput:
            fee = None
        if fee is not None:
            payload["late_fee_due"] = f"{fee.amount:.2f}"
    if spec.key == "summary_penalty" and payload.get("decided_on"):
        payload["served_on"] = payload["decided_on"]  # 当场交付 (《行政处罚法》第五十二条)
        payload["outcome"] = V.OUTCOME_PENALTY
    if spec.key == "record_correction" and isinstance(payload.get("replacement"), dict):
        target_type = state.event_ids.get(str(payload.get("target_event_id")))
        target_action = EVENT_ACTION.get(target_type or "")
        if target_action:
            target_spec = ACTIONS[target_action]
            fixed, errs = normalise_payload(target_spec, payload["replacement"], ctx, stored=True)
            problems.extend(errs)
            if target_action in SERVICE_ACTIONS:  # a corrected service gets its effective date again
                fixed.pop("effective_on", None)
                _derive_service(target_spec, fixed, ctx)
            payload["replacement"] = fixed
    return problems


def _derive_service(spec: ActionSpec, payload: dict[str, Any], ctx: EngineContext) -> None:
    """Store the effective service date when it is known now (《民事诉讼法》第八十七条至第九十五条)."""
    if spec.key == "schedule_hearing" and payload.get("method") and not payload.get("served_on"):
        payload["served_on"] = payload.get("notified_on")
    if not payload.get("served_on"):
        return
    deemed = None
    if payload.get("method") == V.SERVICE_NOTICE:
        try:
            deemed = calc.period_end(ctx, "public_notice_service", date.fromisoformat(payload["served_on"]))
        except CalendarGap:
            deemed = None  # computed again, with bounds, whenever a window needs it
    found = served.effective_on(Rec(0, "", spec.event_type, "", payload), deemed)
    if found is not None:
        payload["effective_on"] = found.isoformat()


FORK_RULE = "record.single_chain"
FORK_ARTICLE = "《行政处罚法》第四十七条"


def fork_violation(case_label: str = "该案件") -> Violation:
    """A forked case (two devices wrote it offline, ``lishui_desk.graph``) takes no new step until
    its fork is resolved: the whole-process record must be one chain."""
    return Violation(
        FORK_RULE,
        f"{case_label}在两台设备上分别记录，全过程记录出现分叉；全过程记录须为单一链条，"
        "请先由负责人或本案执法人员处理分叉（确定采用哪条记录）后再办理",
        FORK_ARTICLE, BLOCK)


def _evaluate(
    state: CaseState, action: str, payload: dict[str, Any], ctx: EngineContext
) -> tuple[ActionSpec, dict[str, Any], list[Violation]]:
    spec = _spec(action)
    out: list[Violation] = [fork_violation()] if "fork" in state.flags else []
    stage = _stage_violation(state, spec)
    if stage is not None:
        out.append(stage)
    norm, problems = normalise_payload(spec, payload, ctx)
    out.extend(problems)
    out.extend(_derive(spec, state, norm, ctx))
    c = Check(state, norm, ctx, action, False, _act_day(spec, norm, ctx))
    out.extend(_run_rules(spec, c))
    return spec, norm, out


def check(state: CaseState, action: str, payload: dict[str, Any], ctx: EngineContext) -> list[Violation]:
    """Every violation (block and warn) the action with this payload would meet."""
    return _evaluate(state, action, payload, ctx)[2]


def apply(
    state: CaseState, action: str, payload: dict[str, Any], ctx: EngineContext, actor_id: str
) -> list[EventDraft]:
    """The events to store for the action; raises RuleViolation if any rule blocks."""
    spec, norm, violations = _evaluate(state, action, payload, ctx)
    blocks = [x for x in violations if x.blocks]
    if blocks:
        raise RuleViolation(blocks)
    warnings = sorted({x.rule_id for x in violations if not x.blocks})
    if warnings:
        norm["acknowledged_warnings"] = warnings
    corrects = norm.get("target_event_id") if action == "record_correction" else None
    return [EventDraft(spec.event_type, norm, corrects)]


# --- next steps and missing -----------------------------------------------------------------


def _preview(state: CaseState, spec: ActionSpec, ctx: EngineContext) -> list[Violation]:
    fork = [fork_violation()] if "fork" in state.flags else []
    return fork + _run_rules(spec, Check(state, {}, ctx, spec.key, True, ctx.today))


def next_steps(state: CaseState, ctx: EngineContext) -> list[NextStep]:
    """Actions open in the current stage, each with what (from the case itself) stands in its way."""
    steps = []
    for spec in ACTIONS.values():
        if state.stage not in spec.stages or spec.key in UTILITY_ACTIONS:
            continue
        found = _preview(state, spec, ctx)
        steps.append(NextStep(spec.key, spec.label_zh, not any(x.blocks for x in found), found))
    return steps


def _missing_v(rule_id: str, message: str, article: str, severity: str = BLOCK) -> Violation:
    return Violation(rule_id, message, article, severity)


def missing(state: CaseState, ctx: EngineContext) -> list[Violation]:
    """What the case still lacks for its next milestone (立案, 决定, 结案, 归档)."""
    out: list[Violation] = []
    stage = state.stage
    if stage == V.NEW:
        return [_missing_v("missing.lead", "尚未登记线索", APL.art("第五十四条"))]
    if stage == V.LEAD:
        if state.party is None:
            out.append(_missing_v("missing.party", "尚未登记当事人", APL.art("第五十九条")))
        if not state.item_code:
            out.append(_missing_v("missing.item", "尚未选择执法事项", APL.art("第二十四条")))
        if state.violation_date is None:
            out.append(_missing_v("missing.violation_date", "尚未登记违法行为发生日期", APL.art("第三十六条")))
        out.extend(_preview(state, ACTIONS["file_case"], ctx))
    elif stage in V.PRE_DECISION:
        if not state.notices:
            out.append(_missing_v("missing.notice", "尚未进行事先告知（拟作出处罚的）", APL.art("第四十四条")))
        out.extend(x for x in _preview(state, ACTIONS["decide"], ctx) if x.rule_id != "rights.notice_served" or state.notices)
    elif stage == V.DECIDED:
        out.extend(_preview(state, ACTIONS["close_case"], ctx))
    elif stage in (V.SERVED, V.EXECUTION, V.PERFORMED, V.NO_PENALTY, V.SUMMARY_DECIDED, V.REVOKED):
        out.extend(_preview(state, ACTIONS["close_case"], ctx))
    elif stage in (V.CLOSED, V.NOT_FILED, V.TRANSFERRED):
        out.append(_missing_v("missing.archive", "案件尚未归档", APL.art("第四十七条"), WARN))
    seen: set[tuple[str, str]] = set()
    unique = []
    for x in out:
        if (x.rule_id, x.message) not in seen:
            seen.add((x.rule_id, x.message))
            unique.append(x)
    return unique
