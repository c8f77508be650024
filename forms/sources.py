"""Where each document type takes its data from: one registered function per type (文书数据来源).

A document type is a **definition** (``forms/definitions/<type>.json``) plus, when it records an act
of the case, **one function** registered here with :func:`source`. The function looks at the case
(:class:`forms.case_context.CaseFacts`) and returns the :class:`Act` the document records — which
event, the date the document bears, a number the act already carries, and the document-specific
part of the context — or ``None`` when the case has no such act yet.

A definition without a registered function (for example one published by the county at run time)
needs no code: it either names a registered type in ``"act"`` and shares that type's act and data,
or it prints only the context common to every document of the case (:func:`forms.case_context.base_context`),
dated on the working day, and is offered for every case with a party.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from forms.case_context import (
    CaseFacts,
    DocSource,
    _at,
    _clean,
    _iso,
    _items,
    _money,
    _officer,
    _qa,
    _sentence,
    base_context,
    cited,
)
from forms.loader import Definition, get_definition
from forms.placeholders import amount, date_cn
from lishui_desk.procedure import vocabulary as V
from lishui_desk.procedure.state import Rec

Ctx = dict[str, Any]
Fill = Callable[[Ctx], None]


@dataclass(frozen=True)
class Act:
    """The act a document records and how it adds its own part to the common context."""

    event_id: str | None
    day: date | None
    act_number: str | None = None  # a number the act already carries (立案号, pre-printed 当场处罚 number)
    fill: Fill | None = None
    label: str | None = None  # what tells this act from another of the same type (the person asked, …)
    version: str | None = None  # the state of the act's record shown (see DocSource.version)


# a source returns the act the document records, or every such act in record order (the last is
# the current one, offered for issue; the 案卷 files each), or None
SourceFn = Callable[[CaseFacts], "Act | list[Act] | None"]
REGISTRY: dict[str, SourceFn] = {}


def source(*doc_types: str) -> Callable[[SourceFn], SourceFn]:
    """Register the data source of one (or several sharing it) document type(s)."""

    def deco(fn: SourceFn) -> SourceFn:
        for t in doc_types:
            if t in REGISTRY:
                raise ValueError(f"document type {t} registered twice")
            REGISTRY[t] = fn
        return fn

    return deco


def _act(rec: Rec | None, day_key: str, number_key: str | None = None, fill: Fill | None = None) -> Act | None:
    if rec is None:
        return None
    return Act(rec.event_id, rec.day(day_key), rec.get(number_key) if number_key else None, fill)


def _last(xs: list[Rec]) -> Rec | None:
    return xs[-1] if xs else None


def _definition(d: Definition | str) -> Definition:
    return d if isinstance(d, Definition) else get_definition(d)


def _shared_context(f: CaseFacts) -> Act | None:
    """A definition that prints only the common context: any case with a party, dated on the working day."""
    return Act(None, f.today) if f.state.party is not None else None


def acts(f: CaseFacts, d: Definition | str) -> list[Act]:
    """Every act of the case the document type records, in record order."""
    d = _definition(d)
    fn = REGISTRY.get(d.type) or (REGISTRY.get(d.act) if d.act else None) or _shared_context
    got = fn(f)
    return [] if got is None else (got if isinstance(got, list) else [got])


def find_act(f: CaseFacts, d: Definition | str) -> Act | None:
    """The current act (the latest) the document type records."""
    found = acts(f, d)
    return found[-1] if found else None


def _src_of(act: Act | None) -> DocSource:
    return DocSource(False) if act is None else DocSource(True, act.event_id, act.day, act.act_number, act.version)


def doc_source(f: CaseFacts, d: Definition | str) -> DocSource:
    return _src_of(find_act(f, d))


def document_context(f: CaseFacts, d: Definition | str, act: Act | None = None) -> tuple[Ctx, DocSource]:
    """The frozen context for one document of the case (for ``act``, default the current one), and
    the act it records."""
    act = act if act is not None else find_act(f, d)
    src = _src_of(act)
    ctx = base_context(f, src.day or f.today)
    if act is not None and act.fill is not None:
        act.fill(ctx)
    return _clean(ctx), src


# --- 立案 ---------------------------------------------------------------------------------------
@source("case_filing")
def _case_filing(f: CaseFacts) -> Act | None:
    st = f.state
    filed = next((f.event_by_id[i] for i, t in st.event_ids.items() if t == V.EV_FILED), None)
    return Act(filed.id, st.filed_on, st.case_number) if filed is not None else None


@source("case_non_filing")
def _case_non_filing(f: CaseFacts) -> Act | None:
    rec = f.state.declined

    def fill(ctx: Ctx) -> None:
        assert rec is not None
        approver = f.officer_name(rec.get("approved_by"))
        ctx["case"].update({"not_filed_reason": rec.get("reason"), "approved_by": approver,
                            "approved_on": _iso(rec.day("declined_on")),
                            "head_opinion": "同意不予立案。" if approver else None})

    return _act(rec, "declined_on", fill=fill)


# --- 调查取证 -------------------------------------------------------------------------------------
@source("inspection_record")
def _inspection(f: CaseFacts) -> list[Act]:
    st = f.state

    def act(rec: Rec) -> Act | None:
        def fill(ctx: Ctx) -> None:
            ctx["inspection"] = {"place": rec.get("place"), "findings": rec.get("findings"),
                                 "present": [st.party.name] if rec.get("party_present") and st.party else None,
                                 "start": _at(rec, "inspected_on", "start_time"),
                                 "end": _at(rec, "inspected_on", "end_time"),
                                 "witness": rec.get("witness"),
                                 "notified": "执法人员已出示执法证件，并告知当事人依法享有陈述、申辩和申请回避的权利"
                                             "（《中华人民共和国行政处罚法》第四十三条、第五十五条）。"
                                 if rec.get("rights_notified") else None}

        return _act(rec, "inspected_on", fill=fill)

    return [a for a in map(act, st.inspections) if a]


@source("inquiry_record")
def _inquiry(f: CaseFacts) -> list[Act]:
    st = f.state

    def act(k: int, rec: Rec) -> Act | None:
        def fill(ctx: Ctx) -> None:
            ctx["inquiry"] = {"interviewee": rec.get("person"), "relation": rec.get("person_role"),
                              "times": sum(1 for r in st.inquiries[: k + 1] if r.get("person") == rec.get("person")),
                              "start": _at(rec, "inquired_on", "start_time"),
                              "end": _at(rec, "inquired_on", "end_time"),
                              "place": rec.get("place"), "qa": _qa(rec.get("qa")), "summary": rec.get("summary")}

        got = _act(rec, "inquired_on", fill=fill)
        return replace(got, label=rec.get("person")) if got is not None and rec.get("person") else got

    return [a for a in (act(k, r) for k, r in enumerate(st.inquiries)) if a]


@source("investigation_notice")
def _summons(f: CaseFacts) -> list[Act]:
    def act(rec: Rec) -> Act | None:
        def fill(ctx: Ctx) -> None:
            ctx["summons"] = {"time": _at(rec, "summons_on", "summons_time"), "place": rec.get("place"),
                              "matters": rec.get("matters"), "materials": _items(rec.get("materials")),
                              "contact": rec.get("contact") or _contact(ctx)}

        return _act(rec, "issued_on", fill=fill)

    return [a for a in map(act, f.state.summonses) if a]


@source("correction_order")
def _correction(f: CaseFacts) -> list[Act]:
    """Every 责令改正 ordered, each its own 通知书."""
    def act(rec: Rec) -> Act | None:
        def fill(ctx: Ctx) -> None:
            ctx.setdefault("penalty", {})["correction"] = rec.get("content")
            ctx["deadlines"]["correction_by"] = rec.get("deadline")

        return _act(rec, "ordered_on", fill=fill)

    return [a for a in map(act, f.state.correction_orders) if a]


def _preservation_fill(f: CaseFacts, rec: Rec) -> Fill:
    st = f.state

    def fill(ctx: Ctx) -> None:
        handling = st.preservation_handling.get(rec.event_id)
        ctx["preservation"] = {
            "number": f.number_of("evidence_preservation", rec, "preservation_number"),
            "date": _iso(rec.day("preserved_on")), "place": rec.get("place"), "keeper": rec.get("keeper"),
            "items": [{"name": rec.get("items"), "quantity": "见物品名称"}] if rec.get("items") else None,
            "approved_by": f.officer_name(rec.get("approved_by")),
            "handling": (handling.get("handling") + ("：" + handling.get("note") if handling.get("note") else "")
                         if handling else None),
        }

    return fill


@source("evidence_preservation")
def _preservation(f: CaseFacts) -> list[Act]:
    """Every 先行登记保存, each its own 通知书 and 清单."""
    return [a for a in (_act(r, "preserved_on", fill=_preservation_fill(f, r)) for r in f.state.preservations) if a]


@source("preservation_handling")
def _preservation_handling(f: CaseFacts) -> list[Act]:
    """The 处理通知书 of every handled 先行登记保存 (dated on the handling)."""
    st = f.state
    out = []
    for rec in st.preservations:
        handled = st.preservation_handling.get(rec.event_id)
        if handled is not None:
            out.append(Act(handled.event_id, handled.day("handled_on"), None, _preservation_fill(f, rec)))
    return out


@source("case_transfer")
def _transfer(f: CaseFacts) -> Act | None:
    rec = f.state.transfer
    if rec is None or rec.type != V.EV_TRANSFERRED:
        return None

    def fill(ctx: Ctx) -> None:
        ctx["transfer"] = {"to": rec.get("receiver"), "reason": _sentence(rec.get("reason")), "contact": _contact(ctx),
                           "basis": cited(rec.get("basis")), "materials": _items(rec.get("materials"))}

    return _act(rec, "transferred_on", fill=fill)


# --- 调查终结、审核、讨论 ------------------------------------------------------------------------------
@source("investigation_report")
def _report(f: CaseFacts) -> Act | None:
    rec = f.state.conclusion
    return _act(rec, "concluded_on", fill=lambda ctx: _investigation(f, ctx, rec) if rec else None)


@source("case_handling_approval")
def _handling_approval(f: CaseFacts) -> Act | None:
    """负责人审查调查结果 (第五十七条): after 调查终结, dated on the decision."""
    st, dec = f.state, f.state.decision
    rec = st.conclusion
    ok = rec is not None and ((st.stage in V.PRE_DECISION and bool(st.notice or st.review_requests))
                              or (dec is not None and dec.type == V.EV_DECIDED))
    if not ok or rec is None:
        return None
    day = dec.day("decided_on") if dec is not None and dec.type == V.EV_DECIDED else f.today
    return Act(rec.event_id, day, None, lambda ctx: _investigation(f, ctx, rec))


@source("legal_review_opinion")
def _legal_review(f: CaseFacts) -> list[Act]:
    """Every 法制审核 opinion (a case reviewed again after a “存在问题” opinion has two)."""
    return [a for a in (_review_act(f, r) for r in f.state.review_opinions) if a]


def _review_act(f: CaseFacts, rec: Rec) -> Act | None:
    def fill(ctx: Ctx) -> None:
        reviewer = f.officers.get(rec.get("reviewer_id") or "")
        ctx["review"] = {"opinion": rec.get("reasons") or rec.get("result"), "reasons": rec.get("reasons"),
                         "conclusion": rec.get("result"), "date": _iso(rec.day("reviewed_on")),
                         "reviewer": reviewer.name if reviewer else None,
                         "reviewer_qualification": "具有法律职业资格" if reviewer and reviewer.legal_qualification else None}

    return _act(rec, "reviewed_on", fill=fill)


@source("collective_discussion")
def _discussion(f: CaseFacts) -> list[Act]:
    """Every 集体讨论 held."""
    def act(rec: Rec) -> Act | None:
        def fill(ctx: Ctx) -> None:
            ctx["discussion"] = {"host": f.officer_name(rec.get("chaired_by")), "conclusion": rec.get("conclusion"),
                                 "attendees": [n for n in (f.officer_name(i) for i in rec.get("participants") or ())
                                               if n]}

        return _act(rec, "discussed_on", fill=fill)

    return [a for a in map(act, f.state.collective) if a]


# --- 告知、陈述申辩、听证 ------------------------------------------------------------------------------
@source("penalty_notice")
def _notice(f: CaseFacts) -> Act | None:
    return _act(f.state.notice, "issued_on", "notice_number")


def _hearing_fill(f: CaseFacts) -> Fill:
    st = f.state

    def fill(ctx: Ctx) -> None:
        sched, held = st.hearing_schedule, st.hearing
        host = (held.get("presider_id") if held else None) or (sched.get("presider_id") if sched else None)
        ctx["hearing"] = {
            "place": sched.get("place") if sched else None,
            "host": f.officer_name(host),
            "public": ("公开" if sched.get("public") else "不公开") if sched and sched.get("public") is not None else None,
            "requested_on": _iso(st.hearing_request.day("requested_on")) if st.hearing_request else None,
            "investigators": [o["name"] for o in ctx["officers"]] or None,
        }

    return fill


@source("hearing_notice")
def _hearing_notice(f: CaseFacts) -> Act | None:
    return _act(f.state.hearing_schedule, "notified_on", fill=_hearing_fill(f))


@source("hearing_record")
def _hearing_record(f: CaseFacts) -> Act | None:
    return _act(f.state.hearing, "held_on", fill=_hearing_fill(f))


@source("statement_record")
def _statement(f: CaseFacts) -> list[Act]:
    """The 笔录 of every oral statement (a written one is filed as it is)."""
    st = f.state
    return [a for a in (_statement_act(f, r) for r in st.statements if r.get("form") == "口头") if a]


def _statement_act(f: CaseFacts, rec: Rec) -> Act | None:
    st = f.state

    def fill(ctx: Ctx) -> None:
        ctx["statement"] = {"content": rec.get("content"),
                            "review": st.statement_reviews[-1].get("reasons") if st.statement_reviews else None,
                            "time": _at(rec, "stated_on", "start_time"), "end": _at(rec, "stated_on", "end_time"),
                            "place": rec.get("place")}

    return _act(rec, "stated_on", fill=fill)


# --- 决定 ---------------------------------------------------------------------------------------
# a 不予处罚 ground as the decision states it (《中华人民共和国行政处罚法》第三十条、第三十三条、第五十七条)
GROUND_WORDS = {
    V.GROUND_MINOR_FIRST: "当事人违法行为轻微并及时改正，没有造成危害后果",
    V.GROUND_FIRST_OFFENCE: "当事人初次违法且危害后果轻微并及时改正",
    "无主观过错": "当事人有证据足以证明没有主观过错",
    V.GROUND_FACTS_NOT_ESTABLISHED: "当事人的违法事实不能成立",
    V.GROUND_UNDER_14: "当事人违法时不满十四周岁",
}

def _decision(f: CaseFacts, ev_type: str, outcome: str | None) -> Rec | None:
    dec = f.state.decision
    if dec is None or dec.type != ev_type or (outcome is not None and dec.get("outcome") != outcome):
        return None
    return dec


@source("penalty_decision")
def _penalty_decision(f: CaseFacts) -> Act | None:
    return _act(_decision(f, V.EV_DECIDED, V.OUTCOME_PENALTY), "decided_on", "decision_number")


@source("non_penalty_decision")
def _non_penalty(f: CaseFacts) -> Act | None:
    dec = _decision(f, V.EV_DECIDED, V.OUTCOME_NO_PENALTY)
    st = f.state

    def fill(ctx: Ctx) -> None:
        assert dec is not None
        ground = dec.get("ground")
        on = dec.day("decided_on")
        taught = [e for e in st.education if on is None or (e.day("educated_on") or on) <= on]
        ctx["non_penalty"] = {"reason": _sentence(GROUND_WORDS.get(ground, ground)), "basis": cited(dec.get("basis")),
                              # 《中华人民共和国行政处罚法》第三十三条第三款: the party is educated (as far as
                              # done by the decision's date)
                              "education": _sentence(f"本机关已对当事人进行教育：{taught[-1].get('content')}")
                              if taught else None}

    return _act(dec, "decided_on", "decision_number", fill)


@source("onsite_penalty_decision")
def _onsite(f: CaseFacts) -> Act | None:
    return _act(_decision(f, V.EV_SUMMARY, None), "decided_on", "decision_number")


# --- 送达 (receipts, 公告, the 催告书: forms.served_docs) -------------------------------------------
@source("service_address_confirmation")
def _service_address(f: CaseFacts) -> Act | None:
    st = f.state
    conf = st.service_address

    def fill(ctx: Ctx) -> None:
        if conf is not None:  # 送达地址确认 recorded: what the party confirmed
            ctx["service"] = {"address": conf.get("address"), "phone": conf.get("phone") or ctx["party"].get("phone"),
                              "email": conf.get("email"), "contact": conf.get("agent"),
                              "electronic_consent": "同意" if conf.get("e_consent") else "不同意"}
            return
        consent = [r.get("e_consent") for r in (st.notice_served, st.decision_service) if r is not None
                   and r.get("e_consent") is not None]
        ctx["service"] = {"address": ctx["party"].get("address"), "phone": ctx["party"].get("phone"),
                          "electronic_consent": ("同意" if consent[-1] else "不同意") if consent else None}

    if conf is not None:
        return _act(conf, "confirmed_on", fill=fill)
    return Act(None, None, None, fill) if st.filed_on is not None else None


# --- 结案 ---------------------------------------------------------------------------------------
def _decision_served(f: CaseFacts, ctx: Ctx) -> None:
    st = f.state
    dtype = "onsite_penalty_decision" if st.is_summary else "penalty_decision"
    ctx["service"] = {"doc_number": f.number_of(dtype, st.decision, "decision_number"), "doc_name": "行政处罚决定书"}


@source("case_closing")
def _closing(f: CaseFacts) -> Act | None:
    """结案审批 of an ordinary case (a 当场处罚 is only reported, Art. 52)."""
    st = f.state
    rec = st.closure
    if rec is None or st.is_summary:
        return None

    def fill(ctx: Ctx) -> None:
        _decision_served(f, ctx)
        execution = "；".join(f"{date_cn(p.day('paid_on')) if p.day('paid_on') else ''}缴纳罚款"
                             f"{amount(_money(p.get('amount')) or 0)}" for p in st.payments)
        ctx["closing"] = {"date": _iso(rec.day("closed_on")), "summary": rec.get("summary"),
                          "execution": (execution + "。") if execution else _sentence(rec.get("summary")),
                          "handler_opinion": "建议结案。",
                          "head_opinion": "同意结案。" if rec.get("approved_by") else None}
        if rec.get("approved_by"):
            ctx["agency"].setdefault("head", f.officer_name(rec.get("approved_by")))

    return _act(rec, "closed_on", fill=fill)


# --- shared parts -------------------------------------------------------------------------------
def _contact(ctx: Ctx) -> str | None:
    """联系人及电话: the first officer and the agency's phone (a profile setting)."""
    phone = ctx["agency"].get("phone")
    return f"{ctx['officer1']['name']}　{phone}" if phone and ctx.get("officer1") else None


def _investigation(f: CaseFacts, ctx: Ctx, rec: Rec) -> None:
    """调查终结报告 / 案件处理审批表 (《行政处罚法》第五十七条): the officers' findings and proposal."""
    st = f.state
    proposal = rec.get("proposal")
    detail = rec.get("proposal_detail")
    worded = f"{proposal}：{detail}" if proposal and detail else (detail or proposal)
    ctx["investigation"] = {
        "summary": rec.get("summary"), "conclusion": rec.get("conclusion"), "proposal": _sentence(worded),
        "date": _iso(rec.day("concluded_on")),
        # the 承办人意见 restates the officers' own proposal when they wrote no separate opinion
        "handler_opinion": rec.get("handler_opinion") or (_sentence(f"建议{worded}") if worded else None),
    }
    if rec.get("officer_ids"):
        named = [o for o in (_officer(f.officers.get(i)) for i in rec.get("officer_ids")) if o]
        if named:
            ctx["officer1"] = named[0]
            ctx["officer2"] = named[1] if len(named) > 1 else ctx.get("officer2")
    said = []
    if st.statements:
        review = st.statement_reviews[-1] if st.statement_reviews else None
        said.append(f"当事人提出陈述、申辩：{st.statements[-1].get('content')}"
                    + (f"；复核意见：{review.get('result')}，{review.get('reasons')}" if review else ""))
    if st.hearing is not None:
        said.append(f"听证：{st.hearing.get('result')}，{st.hearing.get('summary')}")
    if st.waivers:
        said.append(f"当事人书面放弃{st.waivers[-1].get('scope')}权利")
    ctx["statement"] = {"review": _sentence("；".join(said)) if said else None}
    if st.review_opinions:
        op = st.review_opinions[-1]
        ctx["review"] = {"opinion": _sentence("，".join(x for x in (op.get("result"), op.get("reasons")) if x))}


# the served documents register their sources too (imported last: they use the helpers above)
from forms import served_docs  # noqa: E402,F401
