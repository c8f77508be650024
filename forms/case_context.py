"""Build the whitelisted document context (文书数据, :data:`forms.context.SCHEMA`) from a real case.

Everything a definition may print comes from the case store: the case's events folded into a
``CaseState`` (whole-process record), the township row (机关, 复议机关, 法院), officer rows (执法证号),
the catalog item in force on the violation date (违法依据/处罚依据), evidence rows (SHA-256) and
documents already issued for the case (文号 of the 事先告知书 quoted in the 决定书, …).

Agency facts the core does not keep (address, phone, bank account for fines, archive retention)
are profile settings (:data:`SETTINGS`, stored as ``ProfileMeta`` rows ``forms.*``); nothing is
guessed — a value that is not known is left out and reported as missing.

Statutory constants used here, each with its source:

* 复议期限 60 日 — 《中华人民共和国行政复议法》第二十条第一款;
* 起诉期限 6 个月 — 《中华人民共和国行政诉讼法》第四十六条第一款;
* 罚款缴纳 15 日 — 《中华人民共和国行政处罚法》第六十七条第三款 (unless the decision says otherwise);
* 先行登记保存处理 7 日 — 《中华人民共和国行政处罚法》第五十六条;
* 催告后 10 日 — 《中华人民共和国行政强制法》第五十四条;
* 陈述申辩 / 听证 windows — the policy parameters the procedure engine enforces (第四十五条、第六十四条).

Full ID numbers are printed on documents served on the party themself; a definition marked
``public`` (the 送达公告, posted publicly) may print them only through ``masked_id`` and never the
party's phone or address — the loader enforces it (《中华人民共和国个人信息保护法》第二十五条、第三十四条).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from forms.loader import Block, Definition
from forms.placeholders import Template, amount, amount_upper, lookup
from lishui_desk import catalog_data
from lishui_desk.deadlines import PERIODS
from lishui_desk.errors import InvalidInput, NotFound
from lishui_desk.events import EventRecord
from lishui_desk.identity import parse_resident_id
from lishui_desk.models import Case, EvidenceItem, IssuedDocument, Officer, ProfileMeta, Township
from lishui_desk.procedure import calc
from lishui_desk.procedure import vocabulary as V
from lishui_desk.procedure.guards import hm
from lishui_desk.procedure.state import CaseState, Rec, fold
from lishui_desk.procedure.types import EngineContext
from lishui_desk.services.context import DbCatalogLookup, engine_context
from lishui_desk.storage import event_store

REVIEW_DAYS = PERIODS["review"].length  # 《中华人民共和国行政复议法》第二十条第一款
LITIGATION_MONTHS = PERIODS["litigation"].length  # 《中华人民共和国行政诉讼法》第四十六条第一款
PAYMENT_DAYS = PERIODS["payment"].length  # 《中华人民共和国行政处罚法》第六十七条第三款
PRESERVATION_DAYS = PERIODS["preservation_decision"].length  # 《中华人民共和国行政处罚法》第五十六条
REMINDER_DAYS = PERIODS["court_enforcement_after_demand"].length  # 《中华人民共和国行政强制法》第五十四条
HASH_PREFIX = 8  # hex characters of SHA-256 printed in evidence lists
CASE_DOC_CODE = "立"  # the case number is the 立案 number (services.cases.CASE_DOC_CODE)
DOC_EVENT = V.EV_DOCUMENT_ISSUED  # case event recording an issued document

# Profile settings for values the core does not keep: ProfileMeta key -> (context path, label).
SETTINGS: dict[str, tuple[str, str]] = {
    "forms.agency.address": ("agency.address", "机关地址"),
    "forms.agency.phone": ("agency.phone", "机关联系电话"),
    "forms.agency.postcode": ("agency.postcode", "机关邮政编码"),
    "forms.agency.head": ("agency.head", "行政机关负责人"),
    "forms.agency.legal_unit": ("agency.legal_unit", "法制审核机构"),
    "forms.payment.bank": ("payment.bank", "罚款代收银行"),
    "forms.payment.account": ("payment.account", "罚款缴款账号"),
    "forms.payment.account_name": ("payment.account_name", "罚款缴款户名"),
    "forms.casefile.retention": ("casefile.retention", "案卷保管期限"),
    "forms.casefile.keeper": ("casefile.keeper", "案卷保管人"),
}
_SETTING_OF_PATH = {path: key for key, (path, _label) in SETTINGS.items()}

# Chinese names of context paths, for "what is missing" lists.
LABELS: dict[str, str] = {
    "agency": "执法机关", "case": "案件", "party": "当事人", "item": "赋权事项", "facts": "违法事实",
    "violation": "违法行为", "evidence": "证据", "penalty": "处罚", "notice": "事先告知", "deadlines": "期限",
    "payment": "缴款", "remedies": "救济途径", "officer1": "执法人员一", "officer2": "执法人员二",
    "recorder": "记录人", "hearing": "听证", "review": "法制审核", "discussion": "集体讨论",
    "investigation": "调查终结", "statement": "陈述申辩", "service": "送达", "document": "文书",
    "inspection": "现场检查", "inquiry": "询问", "summons": "调查通知", "preservation": "先行登记保存",
    "transfer": "移送", "non_penalty": "不予处罚", "reminder": "催告", "closing": "结案", "casefile": "案卷",
    "number": "文号", "title": "名称", "date": "日期", "name": "姓名/名称", "address": "地址",
    "phone": "联系电话", "place": "地点", "time": "时间", "start": "开始时间", "end": "结束时间",
    "reasoning": "裁量理由", "content": "内容", "kinds": "处罚种类", "served_on": "送达日期",
    "clue": "案件来源简况", "source": "案件来源", "cert_no": "执法证号", "violation_basis_text": "违法依据",
    "penalty_basis_text": "处罚依据", "code": "事项编码", "opinion": "意见", "reasons": "理由",
    "conclusion": "结论", "proposal": "处理建议", "summary": "摘要", "handler_opinion": "承办人意见",
    "basis": "依据", "to": "受移送机关", "materials": "材料", "contact": "联系人", "clerk": "书记员",
    "host": "主持人", "keeper": "保管人", "qa": "问答", "interviewee": "被询问人", "relation": "身份",
    "times": "次数", "findings": "检查情况", "notified": "告知事项", "execution": "执行情况",
    "electronic_consent": "电子送达意见", "method": "方式", "recipient": "受送达人", "server": "送达人",
    "doc_name": "送达文书", "doc_number": "送达文书文号", "medium": "公告媒体", "deemed_days": "公告期",
    "matters": "调查事项", "amount_due": "应缴金额", "late_fee": "加处罚款", "total": "合计",
    "reviewer": "审核人", "reviewer_qualification": "审核人资格", "attendees": "参加人员",
    "reporter": "汇报人", "report": "汇报内容", "items": "物品清单", "handling": "处理决定",
    "approved_by": "批准人", "filed_on": "立案日期", "not_filed_reason": "不予立案理由", "reason": "理由", "investigators": "调查人员",
    "investigator_statement": "调查人员陈述", "party_statement": "当事人陈述", "cross_examination": "质证",
    "final_statement": "最后陈述", "public": "是否公开", "requested_on": "申请日期", "legal_unit": "法制审核机构",
}

SUPPORT_DOCS = ("casefile_cover", "casefile_toc", "evidence_index")  # printed only inside the 案卷


# --- loading ------------------------------------------------------------------------------------
@dataclass
class CaseFacts:
    """Everything read from the store for one case (one read, many document contexts)."""

    case: Case
    events: list[EventRecord]
    state: CaseState
    township: Township
    officers: dict[str, Officer]
    item: catalog_data.ItemSeed | None
    evidence_rows: dict[str, EvidenceItem]  # by event id
    documents: list[IssuedDocument]
    settings: dict[str, str]
    today: date
    ectx: EngineContext
    event_by_id: dict[str, EventRecord] = field(default_factory=dict)

    def officer_name(self, oid: str | None) -> str | None:
        if not oid:
            return None
        o = self.officers.get(oid)
        return o.name if o else None

    def issued(self, doc_type: str) -> IssuedDocument | None:
        rows = [d for d in self.documents if d.doc_type == doc_type]
        return rows[-1] if rows else None

    def issued_for(self, doc_type: str, event_id: str | None) -> IssuedDocument | None:
        """The document of this type issued for one act (e.g. the 事先告知书 of the current notice).

        Matched through the ``document.issued`` case event's ``source_event_id``; a document of that type
        issued without a recorded source counts only when it is the only one.
        """
        rows = [d for d in self.documents if d.doc_type == doc_type]
        if not rows:
            return None
        sources = {str(ev.payload.get("document_id")): ev.payload.get("source_event_id")
                   for ev in self.events if ev.type == DOC_EVENT and ev.payload.get("doc_type") == doc_type}
        for d in reversed(rows):
            if event_id and sources.get(d.id) == event_id:
                return d
        unsourced = [d for d in rows if not sources.get(d.id)]
        return unsourced[-1] if len(rows) == 1 and unsourced else None

    def number_of(self, doc_type: str, rec: Rec | None, number_key: str) -> str | None:
        """文号 of the document recording ``rec``: the one issued for it, else the number typed into the act."""
        if rec is None:
            return None
        issued = self.issued_for(doc_type, rec.event_id)
        return (issued.number if issued else None) or rec.get(number_key)


def read_settings(s: Session) -> dict[str, str]:
    rows = s.scalars(select(ProfileMeta).where(ProfileMeta.key.like("forms.%")))
    return {r.key: r.value for r in rows if r.value}


def load_facts(s: Session, case_id: str, today: date) -> CaseFacts:
    case = s.get(Case, case_id)
    if case is None:
        raise NotFound(f"找不到案件 {case_id}")
    events = event_store.load_events(s, case_id)
    state = fold(events)
    township = s.get(Township, state.township_code or case.township_code)
    if township is None:
        raise InvalidInput("档案缺少乡镇（执法机关）信息，无法生成文书")
    ids: set[str] = set(state.officers) | {e.actor_id for e in events}
    for ev in events:
        for key in ("approved_by", "reviewer_id", "presider_id", "chaired_by", "decided_by"):
            if isinstance(ev.payload.get(key), str):
                ids.add(ev.payload[key])
        for key in ("participants", "officer_ids", "collected_by"):
            if isinstance(ev.payload.get(key), list):
                ids.update(x for x in ev.payload[key] if isinstance(x, str))
    officers = {o.id: o for o in s.scalars(select(Officer).where(Officer.id.in_(ids)))}
    item = None
    if state.item_code:
        lookup_ = DbCatalogLookup(s)
        on = state.violation_date or state.lead_on or today
        item = lookup_.item_on(township.code, state.item_code, on) or lookup_.any_item(state.item_code)
    ev_rows = {r.event_id: r for r in s.scalars(select(EvidenceItem).where(EvidenceItem.case_id == case_id))
               if r.event_id}
    docs = list(s.scalars(select(IssuedDocument).where(IssuedDocument.case_id == case_id)
                          .order_by(IssuedDocument.issued_at, IssuedDocument.id)))
    facts = CaseFacts(case, events, state, township, officers, item, ev_rows, docs, read_settings(s), today,
                      engine_context(s, today, township.code, case_id))
    facts.event_by_id = {e.id: e for e in events}
    return facts


# --- small helpers ------------------------------------------------------------------------------
def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def _sentence(text: str | None) -> str | None:
    if not text:
        return None
    text = text.strip()
    return text if text[-1] in "。！？；…" else text + "。"


def _at(rec: Rec, day_key: str, time_key: str) -> str | None:
    """The act's date joined with a "时:分" field as an ISO datetime (None when either is missing)."""
    day, t = rec.day(day_key), hm(rec.get(time_key))
    return f"{day.isoformat()}T{t}" if day and t else None


def _items(text: Any) -> list[str] | None:
    """A "、"/"，"/line separated list typed into one text field."""
    if not text:
        return None
    parts = [p.strip() for p in str(text).replace("\n", "、").replace("，", "、").replace(",", "、").split("、")]
    return [p for p in parts if p] or None


def _qa(text: Any) -> list[dict[str, str]] | None:
    """问答记录: lines starting 问：/答： become question/answer pairs (other lines continue the previous one)."""
    pairs: list[dict[str, str]] = []
    key = None
    for raw in str(text or "").splitlines():
        line = raw.strip()
        if not line:
            continue
        head = line[:2].replace(":", "：")
        if head in ("问：", "答："):
            key = "q" if head == "问：" else "a"
            if key == "q" or not pairs or pairs[-1].get("a") is not None:
                if key == "a" and not pairs:
                    pairs.append({"q": ""})
                elif key == "q":
                    pairs.append({"q": ""})
            pairs[-1][key] = line[2:].strip()
        elif key is not None:
            pairs[-1][key] = (pairs[-1].get(key) or "") + line
    return [{"q": p.get("q") or "", "a": p.get("a") or ""} for p in pairs] or None


def citations_text(cites: Iterable[catalog_data.Citation]) -> str | None:
    """《法》第X条第Y款、第Z条 — consecutive citations of one law share the law name."""
    out: list[str] = []
    last_law = None
    for c in cites:
        piece = f"{c.article}{c.clause or ''}"
        if c.law == last_law:
            out[-1] += "、" + piece
        else:
            out.append(f"《{c.law}》{piece}")
            last_law = c.law
    return "，".join(out) or None


def _money(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    return Decimal(str(value)).quantize(Decimal("0.01"))


def penalty_words(kinds: Iterable[str], amount_: Decimal | None) -> str:
    """处罚内容 as worded: 罚款 carries its amount in 大写 (e.g. 警告；罚款人民币贰佰元整)."""
    parts = []
    for k in kinds:
        if k == V.FINE and amount_ is not None:
            parts.append(f"罚款{amount_upper(amount_)}")
        else:
            parts.append(k)
    return "；".join(parts)


def _officer(o: Officer | None) -> dict[str, Any] | None:
    if o is None:
        return None
    return {"name": o.name, "cert_no": o.cert_no} if o.cert_no else {"name": o.name}


def _clean(node: Any) -> Any:
    """Drop None / empty values so absent data stays absent (and the schema check stays simple)."""
    if isinstance(node, dict):
        out = {k: _clean(v) for k, v in node.items()}
        return {k: v for k, v in out.items() if v not in (None, "", [], {})}
    if isinstance(node, list):
        return [_clean(v) for v in node]
    return node


# --- the context --------------------------------------------------------------------------------
def _agency(f: CaseFacts) -> dict[str, Any]:
    t = f.township
    out: dict[str, Any] = {"name": t.agency_name, "code": t.agency_code, "review_government": t.review_government,
                           "court": t.court}
    for key, (path, _label) in SETTINGS.items():
        section, leaf = path.split(".")
        if section == "agency" and key in f.settings:
            out[leaf] = f.settings[key]
    return out


def _party(f: CaseFacts, on: date) -> dict[str, Any]:
    p = f.state.party
    if p is None:
        return {}
    out: dict[str, Any] = {"name": p.name, "address": p.address, "phone": p.phone,
                           "kind": "个人" if p.kind == V.INDIVIDUAL else ("个体工商户" if p.kind == V.SOLE_TRADER else "单位")}
    if p.kind == V.ORGANISATION:
        out["credit_code"] = p.credit_code
        out["legal_rep"] = p.legal_representative
    else:
        out["id_number"] = p.id_number
        if p.kind == V.SOLE_TRADER:
            out["credit_code"] = p.credit_code
        if p.id_number:
            try:
                rid = parse_resident_id(p.id_number, today=on)
                out["sex"], out["birth_date"], out["age"] = rid.sex, rid.birth_date.isoformat(), rid.age_on(on)
            except InvalidInput:
                pass  # a number that does not decode is printed as recorded, without derived facts
    return out


def _evidence(f: CaseFacts) -> list[dict[str, Any]]:
    """Art. 46 evidence in record order: 现场笔录, 当事人陈述/证人证言 and registered evidence."""
    st = f.state
    out: list[tuple[int, dict[str, Any]]] = []

    def names(ids: Any, fallback: str) -> str:
        got = [f.officer_name(i) for i in ids or () if isinstance(i, str)]
        got = [g for g in got if g]
        return "、".join(got) or (f.officer_name(fallback) or "")

    for rec in st.inspections:
        ev = f.event_by_id[rec.event_id]
        out.append((rec.seq, {"kind": "勘验笔录、现场笔录",
                              "description": f"现场检查（勘验）笔录（{rec.get('place') or '现场'}）",
                              "sha256_prefix": (rec.get("evidence_sha256") or ev.hash)[:HASH_PREFIX],
                              "captured_by": names(rec.get("officer_ids"), rec.actor_id),
                              "captured_at": ev.occurred_at}))
    for rec in st.inquiries:
        ev = f.event_by_id[rec.event_id]
        role = rec.get("person_role")
        out.append((rec.seq, {"kind": "当事人的陈述" if role == "当事人" else "证人证言",
                              "description": f"询问笔录（被询问人：{rec.get('person')}）",
                              "sha256_prefix": (rec.get("evidence_sha256") or ev.hash)[:HASH_PREFIX],
                              "captured_by": names(rec.get("officer_ids"), rec.actor_id),
                              "captured_at": ev.occurred_at}))
    for rec in st.evidence:
        ev = f.event_by_id[rec.event_id]
        row = f.evidence_rows.get(rec.event_id)
        sha = (row.sha256 if row else None) or rec.get("sha256") or ev.hash
        by = f.officer_name(row.captured_by) if row and row.captured_by else names(rec.get("collected_by"), rec.actor_id)
        at = (row.captured_at if row else None) or rec.get("captured_at") or ev.occurred_at
        out.append((rec.seq, {"kind": rec.get("kind"), "description": rec.get("description"),
                              "sha256_prefix": sha[:HASH_PREFIX], "captured_by": by, "captured_at": at}))
    out.sort(key=lambda t: t[0])
    return [e for _s, e in out]


def _case_title(f: CaseFacts) -> str | None:
    st = f.state
    name = st.party.name if st.party else ""
    what = st.item_name or (f.item.name if f.item else "")
    if what.startswith("对"):
        what = what[1:]
    for tail in ("的行政处罚", "行为的行政处罚"):
        if what.endswith(tail):
            what = what[: -len(tail)]
    if not what:
        return None
    return f"{name}{what}案"


def base_context(f: CaseFacts, on: date) -> dict[str, Any]:
    """The context common to every document of the case (document-specific parts are added later)."""
    st = f.state
    item = f.item
    decision = st.decision
    notice = st.notice
    officers = [_officer(f.officers.get(o)) for o in st.officers]
    officers = [o for o in officers if o]
    ctx: dict[str, Any] = {
        "agency": _agency(f),
        "case": {
            # a 简易程序 case has no 立案号: its 当场处罚决定书 number identifies it
            "number": st.case_number or (decision.get("decision_number") if decision and st.is_summary else None),
            "title": _case_title(f),
            "filed_on": _iso(st.filed_on),
            "source": st.source,
            "procedure": f"{st.procedure}程序" if st.procedure else None,
            "clue": st.lead.get("summary") if st.lead else None,
            "closed_on": _iso(st.closure.day("closed_on")) if st.closure else None,
        },
        "party": _party(f, on),
        "item": {
            "code": st.item_code,
            "name": st.item_name or (item.name if item else None),
            "domain": st.domain or (item.domain if item else None),
            "violation_basis_text": citations_text(item.violation_basis) if item else None,
            "penalty_basis_text": citations_text(item.penalty_basis) if item else None,
        },
        "facts": _sentence((decision.get("facts") if decision else None) or (notice.get("facts") if notice else None)
                           or st.facts),
        "violation": {"date": _iso(st.violation_date), "end_date": _iso(st.violation_end_date), "place": st.place},
        "evidence": _evidence(f),
        "officers": officers,
        "officer1": officers[0] if officers else None,
        "officer2": officers[1] if len(officers) > 1 else None,
        "recorder": officers[1]["name"] if len(officers) > 1 else None,
        "remedies": {"review_body": f.township.review_government, "review_days": REVIEW_DAYS,
                     "court": f.township.court, "litigation_months": LITIGATION_MONTHS},
        "deadlines": {
            "payment_days": int((decision.get("payment_days") if decision else None) or PAYMENT_DAYS),
            "statement_days": f.ectx.policy.statement_window_working_days,
            "hearing_days": f.ectx.policy.hearing_request_working_days,
            "preservation_days": PRESERVATION_DAYS,
            "reminder_days": REMINDER_DAYS,
        },
        "payment": {"method": decision.get("payment_method") if decision else None},
        "document": {"date": on.isoformat()},
    }
    for key, (path, _label) in SETTINGS.items():
        section, leaf = path.split(".")
        if section == "payment" and key in f.settings:
            ctx["payment"][leaf] = f.settings[key]
    if st.leader_approval:
        ctx["case"].update({"approved_by": f.officer_name(st.leader_approval), "approved_on": _iso(st.filed_on),
                            "head_opinion": "同意立案。"})
    _penalty(f, ctx)
    _notice(f, ctx)
    return ctx


def _penalty(f: CaseFacts, ctx: dict[str, Any]) -> None:
    st = f.state
    src = st.decision if st.decision else st.notice
    if src is None:
        if st.correction_orders:
            ctx["penalty"] = {"correction": st.correction_orders[-1].get("content")}
        return
    kinds = list(src.kinds())
    amt = _money(src.get("amount")) if V.FINE in kinds else None
    mitigation = src.get("mitigation")
    reasoning = src.get("reasoning") or (
        "综合考虑当事人违法行为的事实、性质、情节以及社会危害程度，依法"
        + (f"{mitigation}处罚" if mitigation in ("从轻", "减轻", "从重") else "予以处罚")
        + "（《中华人民共和国行政处罚法》第五条第二款）。")
    ctx["penalty"] = {
        "kinds": kinds,
        "amount": f"{amt:.2f}" if amt is not None else None,
        "amount_upper": amount_upper(amt) if amt is not None else None,
        "content": penalty_words(kinds, amt) or None,
        "reasoning": reasoning,
        "correction": st.correction_orders[-1].get("content") if st.correction_orders else None,
    }
    basis = src.get("basis")
    if basis:
        ctx["item"]["penalty_basis_text"] = basis


def _notice(f: CaseFacts, ctx: dict[str, Any]) -> None:
    st = f.state
    n = st.notice
    if n is None:
        return
    kinds = list(n.kinds())
    amt = _money(n.get("amount")) if V.FINE in kinds else None
    words = penalty_words(kinds, amt)
    if amt is not None:
        words += f"（{amount(amt)}）"
    ctx["notice"] = {
        "number": f.number_of("penalty_notice", n, "notice_number"),
        "served_on": _iso(st.notice_served.day("served_on")) if st.notice_served else None,
        "proposed": words + "。" if words else None,
        "hearing_right": "有" if n.get("hearing_right_given") else None,
    }


# --- per document type: is it relevant, from which act, on which date ------------------------
@dataclass(frozen=True)
class DocSource:
    """The act a document records: its event (for de-duplication) and the date the document bears."""

    relevant: bool
    event_id: str | None = None
    day: date | None = None
    act_number: str | None = None  # a number the act already carries (立案号, pre-printed 当场处罚 number)


def _src(rec: Rec | None, day_key: str, number_key: str | None = None) -> DocSource:
    if rec is None:
        return DocSource(False)
    return DocSource(True, rec.event_id, rec.day(day_key), rec.get(number_key) if number_key else None)


def doc_source(f: CaseFacts, doc_type: str) -> DocSource:
    st = f.state
    dec = st.decision
    last = (lambda xs: xs[-1] if xs else None)  # noqa: E731
    if doc_type == "case_filing":
        filed = next((f.event_by_id[i] for i, t in st.event_ids.items() if t == V.EV_FILED), None)
        if filed is None:
            return DocSource(False)
        return DocSource(True, filed.id, st.filed_on, st.case_number)
    if doc_type == "case_non_filing":
        return _src(st.declined, "declined_on")
    if doc_type == "inspection_record":
        return _src(last(st.inspections), "inspected_on")
    if doc_type == "inquiry_record":
        return _src(last(st.inquiries), "inquired_on")
    if doc_type == "correction_order":
        return _src(last(st.correction_orders), "ordered_on")
    if doc_type == "evidence_preservation":
        return _src(last(st.preservations), "preserved_on")
    if doc_type == "preservation_handling":
        return _src(last(list(st.preservation_handling.values())), "handled_on")
    if doc_type == "case_transfer":
        return _src(st.transfer, "transferred_on") if st.transfer and st.transfer.type == V.EV_TRANSFERRED \
            else DocSource(False)
    if doc_type == "investigation_notice":
        return _src(last(st.summonses), "issued_on")
    if doc_type == "investigation_report":
        return _src(st.conclusion, "concluded_on")
    if doc_type == "case_handling_approval":  # 负责人审查调查结果 (第五十七条): after 调查终结, dated on the decision
        ok = st.conclusion is not None and (
            (st.stage in V.PRE_DECISION and bool(st.notice or st.review_requests))
            or (dec is not None and dec.type == V.EV_DECIDED))
        if not ok or st.conclusion is None:
            return DocSource(False)
        day = dec.day("decided_on") if dec is not None and dec.type == V.EV_DECIDED else f.today
        return DocSource(True, st.conclusion.event_id, day)
    if doc_type == "legal_review_opinion":
        return _src(last(st.review_opinions), "reviewed_on")
    if doc_type == "collective_discussion":
        return _src(last(st.collective), "discussed_on")
    if doc_type == "penalty_notice":
        return _src(st.notice, "issued_on", "notice_number")
    if doc_type == "hearing_notice":
        return _src(st.hearing_schedule, "notified_on")
    if doc_type == "hearing_record":
        return _src(st.hearing, "held_on")
    if doc_type == "statement_record":  # the 笔录 of an oral statement (a written one is filed as it is)
        return _src(last([r for r in st.statements if r.get("form") == "口头"]), "stated_on")
    if doc_type == "penalty_decision":
        ok = dec is not None and dec.type == V.EV_DECIDED and dec.get("outcome") == V.OUTCOME_PENALTY
        return _src(dec, "decided_on", "decision_number") if ok else DocSource(False)
    if doc_type == "non_penalty_decision":
        ok = dec is not None and dec.type == V.EV_DECIDED and dec.get("outcome") == V.OUTCOME_NO_PENALTY
        return _src(dec, "decided_on", "decision_number") if ok else DocSource(False)
    if doc_type == "onsite_penalty_decision":
        ok = dec is not None and dec.type == V.EV_SUMMARY
        return _src(dec, "decided_on", "decision_number") if ok else DocSource(False)
    if doc_type == "service_address_confirmation":
        if st.service_address is not None:
            return _src(st.service_address, "confirmed_on")
        return DocSource(st.filed_on is not None)
    if doc_type == "service_receipt":
        svc = _service_event(st)
        return _src(svc, "served_on") if svc is not None else DocSource(False)
    if doc_type == "service_announcement":
        svc = _service_event(st)
        ok = svc is not None and svc.get("method") == V.SERVICE_NOTICE
        return _src(svc, "served_on") if ok else DocSource(False)
    if doc_type == "payment_reminder":
        due = calc.payment_due(st, f.ectx)
        ok = st.stage == V.EXECUTION and calc.outstanding(st) > 0 and due is not None and f.today > due
        return DocSource(ok, None, f.today)
    if doc_type == "case_closing":  # 结案审批 of an ordinary case (a 当场处罚 is only reported, Art. 52)
        return _src(st.closure, "closed_on") if not st.is_summary else DocSource(False)
    return DocSource(False)  # 案卷 parts are printed by the case file only


def _service_event(st: CaseState) -> Rec | None:
    if st.decision_service is not None and st.decision_service.type == V.EV_DECISION_SERVED:
        return st.decision_service
    return st.notice_served


def _served_doc(f: CaseFacts, rec: Rec) -> tuple[str, str | None]:
    """Which document a service event delivered, and its number when issued through the app."""
    st = f.state
    if rec.type == V.EV_DECISION_SERVED and st.decision is not None:
        dtype = "non_penalty_decision" if st.decision.get("outcome") == V.OUTCOME_NO_PENALTY else "penalty_decision"
        title = "不予行政处罚决定书" if dtype == "non_penalty_decision" else "行政处罚决定书"
        return title, f.number_of(dtype, st.decision, "decision_number")
    return "行政处罚事先告知书", f.number_of("penalty_notice", st.notice, "notice_number")


def document_context(f: CaseFacts, doc_type: str) -> tuple[dict[str, Any], DocSource]:
    """The frozen context for one document of the case, and the act it records."""
    st = f.state
    src = doc_source(f, doc_type)
    on = src.day or f.today
    ctx = base_context(f, on)
    names = "、".join(o["name"] for o in ctx["officers"])
    if doc_type == "case_non_filing" and st.declined is not None:
        approver = f.officer_name(st.declined.get("approved_by"))
        ctx["case"].update({"not_filed_reason": st.declined.get("reason"), "approved_by": approver,
                            "approved_on": _iso(st.declined.day("declined_on")),
                            "head_opinion": "同意不予立案。" if approver else None})
    if doc_type == "inspection_record" and st.inspections:
        rec = st.inspections[-1]
        ctx["inspection"] = {"place": rec.get("place"), "findings": rec.get("findings"),
                             "present": [st.party.name] if rec.get("party_present") and st.party else None,
                             "start": _at(rec, "inspected_on", "start_time"),
                             "end": _at(rec, "inspected_on", "end_time"),
                             "witness": rec.get("witness"),
                             "notified": "执法人员已出示执法证件，并告知当事人依法享有陈述、申辩和申请回避的权利"
                                         "（《中华人民共和国行政处罚法》第四十三条、第五十五条）。"
                             if rec.get("rights_notified") else None}
    if doc_type == "inquiry_record" and st.inquiries:
        rec = st.inquiries[-1]
        ctx["inquiry"] = {"interviewee": rec.get("person"), "relation": rec.get("person_role"),
                          "times": sum(1 for r in st.inquiries if r.get("person") == rec.get("person")),
                          "start": _at(rec, "inquired_on", "start_time"), "end": _at(rec, "inquired_on", "end_time"),
                          "place": rec.get("place"), "qa": _qa(rec.get("qa")), "summary": rec.get("summary")}
    if doc_type == "investigation_notice" and st.summonses:
        rec = st.summonses[-1]
        ctx["summons"] = {"time": _at(rec, "summons_on", "summons_time"), "place": rec.get("place"),
                          "matters": rec.get("matters"), "materials": _items(rec.get("materials")),
                          "contact": rec.get("contact") or _contact(ctx)}
    if doc_type in ("investigation_report", "case_handling_approval") and st.conclusion is not None:
        _investigation(f, ctx, st.conclusion)
    if doc_type == "correction_order" and st.correction_orders:
        rec = st.correction_orders[-1]
        ctx.setdefault("penalty", {})["correction"] = rec.get("content")
        ctx["deadlines"]["correction_by"] = rec.get("deadline")
    if doc_type in ("evidence_preservation", "preservation_handling") and st.preservations:
        rec = st.preservations[-1]
        handling = st.preservation_handling.get(rec.event_id)
        ctx["preservation"] = {
            "number": f.number_of("evidence_preservation", rec, "preservation_number"),
            "date": _iso(rec.day("preserved_on")), "place": rec.get("place"), "keeper": rec.get("keeper"),
            "items": [{"name": rec.get("items"), "quantity": "见物品名称"}] if rec.get("items") else None,
            "approved_by": f.officer_name(rec.get("approved_by")),
            "handling": (handling.get("handling") + ("：" + handling.get("note") if handling.get("note") else "")
                         if handling else None),
        }
    if doc_type == "case_transfer" and st.transfer is not None:
        rec = st.transfer
        ctx["transfer"] = {"to": rec.get("receiver"), "reason": rec.get("reason"), "contact": _contact(ctx),
                           "basis": rec.get("basis"), "materials": _items(rec.get("materials"))}
    if doc_type == "legal_review_opinion" and st.review_opinions:
        rec = st.review_opinions[-1]
        reviewer = f.officers.get(rec.get("reviewer_id") or "")
        ctx["review"] = {"opinion": rec.get("reasons") or rec.get("result"), "reasons": rec.get("reasons"),
                         "conclusion": rec.get("result"), "date": _iso(rec.day("reviewed_on")),
                         "reviewer": reviewer.name if reviewer else None,
                         "reviewer_qualification": "具有法律职业资格" if reviewer and reviewer.legal_qualification else None}
    if doc_type == "collective_discussion" and st.collective:
        rec = st.collective[-1]
        ctx["discussion"] = {"host": f.officer_name(rec.get("chaired_by")), "conclusion": rec.get("conclusion"),
                             "attendees": [n for n in (f.officer_name(i) for i in rec.get("participants") or ()) if n]}
    if doc_type in ("hearing_notice", "hearing_record"):
        sched, held = st.hearing_schedule, st.hearing
        ctx["hearing"] = {
            "place": sched.get("place") if sched else None,
            "host": f.officer_name((held.get("presider_id") if held else None) or (sched.get("presider_id") if sched else None)),
            "public": ("公开" if sched.get("public") else "不公开") if sched and sched.get("public") is not None else None,
            "requested_on": _iso(st.hearing_request.day("requested_on")) if st.hearing_request else None,
            "investigators": [o["name"] for o in ctx["officers"]] or None,
        }
    if doc_type == "statement_record" and st.statements:
        rec = st.statements[-1]
        ctx["statement"] = {"content": rec.get("content"),
                            "review": st.statement_reviews[-1].get("reasons") if st.statement_reviews else None,
                            "time": _at(rec, "stated_on", "start_time"), "end": _at(rec, "stated_on", "end_time"),
                            "place": rec.get("place")}
    if doc_type == "non_penalty_decision" and st.decision is not None:
        dec = st.decision
        ctx["non_penalty"] = {"reason": dec.get("ground"), "basis": dec.get("basis"),
                              "education": st.education[-1].get("content") if st.education else None}
    if doc_type in ("service_receipt", "service_announcement"):
        svc = _service_event(st)
        if svc is not None:
            title, number = _served_doc(f, svc)
            ctx["service"] = {"method": svc.get("method"), "doc_name": title, "doc_number": number,
                              "date": _iso(svc.day("served_on")), "recipient": svc.get("receiver"),
                              "place": ctx["party"].get("address"), "address": ctx["party"].get("address"),
                              "server": names or None}
    if doc_type == "service_address_confirmation":
        conf = st.service_address
        if conf is not None:  # 送达地址确认 recorded: what the party confirmed
            ctx["service"] = {"address": conf.get("address"), "phone": conf.get("phone") or ctx["party"].get("phone"),
                              "email": conf.get("email"), "contact": conf.get("agent"),
                              "electronic_consent": "同意" if conf.get("e_consent") else "不同意"}
        else:
            consent = [r.get("e_consent") for r in (st.notice_served, st.decision_service) if r is not None
                       and r.get("e_consent") is not None]
            ctx["service"] = {"address": ctx["party"].get("address"), "phone": ctx["party"].get("phone"),
                              "electronic_consent": ("同意" if consent[-1] else "不同意") if consent else None}
    if doc_type in ("payment_reminder", "case_closing"):
        dtype = "onsite_penalty_decision" if st.is_summary else "penalty_decision"
        ctx["service"] = {"doc_number": f.number_of(dtype, st.decision, "decision_number"), "doc_name": "行政处罚决定书"}
    if doc_type == "payment_reminder":
        due_amt = calc.outstanding(st)
        fee = calc.late_fee_on(st, f.ectx, f.today)
        late = fee.amount if fee is not None else Decimal("0.00")
        ctx["reminder"] = {"amount_due": f"{due_amt:.2f}", "late_fee": f"{late:.2f}",
                           "total": f"{due_amt + late:.2f}", "days": REMINDER_DAYS}
    if doc_type == "case_closing" and st.closure is not None:
        rec = st.closure
        paid = [p for p in st.payments]
        execution = "；".join(f"{p.get('paid_on')}缴纳罚款{amount(_money(p.get('amount')) or 0)}" for p in paid)
        ctx["closing"] = {"date": _iso(rec.day("closed_on")), "summary": rec.get("summary"),
                          "execution": (execution + "。") if execution else _sentence(rec.get("summary")),
                          "handler_opinion": "建议结案。",
                          "head_opinion": "同意结案。" if rec.get("approved_by") else None}
        if rec.get("approved_by"):
            ctx["agency"].setdefault("head", f.officer_name(rec.get("approved_by")))
    return _clean(ctx), src


def _contact(ctx: dict[str, Any]) -> str | None:
    """联系人及电话: the first officer and the agency's phone (a profile setting)."""
    phone = ctx["agency"].get("phone")
    return f"{ctx['officer1']['name']}　{phone}" if phone and ctx.get("officer1") else None


def _investigation(f: CaseFacts, ctx: dict[str, Any], rec: Rec) -> None:
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


def casefile_context(f: CaseFacts) -> dict[str, Any]:
    """Context of the 案卷 cover, 卷内目录 and 证据目录 (``toc`` and ``pages`` are filled by the builder)."""
    st = f.state
    ctx = base_context(f, f.today)
    ctx["casefile"] = {
        "title": ctx["case"].get("title") or st.case_number,
        "archive_no": st.archive.get("archive_no") if st.archive else None,
        "volume": "第1卷　共1卷",
        "opened_on": _iso(st.filed_on or st.lead_on),
        "closed_on": _iso(st.closure.day("closed_on")) if st.closure else None,
        "filed_by": ctx["officer1"]["name"] if ctx.get("officer1") else None,
        "retention": f.settings.get("forms.casefile.retention"),
        "keeper": f.settings.get("forms.casefile.keeper"),
    }
    return _clean(ctx)


# --- what is missing ----------------------------------------------------------------------------
def _truthy(ctx: dict[str, Any], path: str | None) -> bool:
    v = lookup(ctx, path) if path else None
    return bool(v) and v != "0"


def _shown(ctx: dict[str, Any], c_if: str | None, c_unless: str | None) -> bool:
    if c_if and not _truthy(ctx, c_if):
        return False
    return not (c_unless and _truthy(ctx, c_unless))


def _needs(tpl: Template | None) -> list[str]:
    if tpl is None:
        return []
    return [p.path for p in tpl.placeholders if not any(name == "default" for name, _ in p.formatters)]


def _absent(v: Any) -> bool:
    return v is None or v == "" or (isinstance(v, list | tuple) and not v)


def _block_missing(ctx: dict[str, Any], b: Block) -> list[str]:
    out: list[str] = []
    if b.kind == "fields":
        for r in b.rows:
            if _shown(ctx, r.cond_if, r.cond_unless):
                out += [p for p in _needs(r.label) + _needs(r.value) if _absent(lookup(ctx, p))]
        return out
    if b.kind == "list":
        seq = lookup(ctx, b.source or "") or []
        if not seq:
            return [p for p in _needs(b.empty) if _absent(lookup(ctx, p))] if b.empty is not None else []
        tpls = list(b.items) + [t for _h, t, _w in b.columns]
        for n, each in enumerate(seq, 1):
            for t in tpls:
                for p in _needs(t):
                    if _absent(lookup(ctx, p, each, n)):
                        out.append(f"{b.source}[{n}].{p[5:]}" if p.startswith("each.") else p)
        return out
    tpls = [b.text, b.name, b.date, *b.lines]
    return [p for t in tpls for p in _needs(t) if _absent(lookup(ctx, p))]


def missing_paths(d: Definition, ctx: dict[str, Any]) -> list[str]:
    """Context paths a definition would print but the context lacks (in document order, unique)."""
    out: list[str] = []
    if d.agency_header and _absent(lookup(ctx, "agency.name")):
        out.append("agency.name")
    for b in d.blocks:
        if _shown(ctx, b.cond_if, b.cond_unless):
            out += _block_missing(ctx, b)
    if d.footer_note is not None:
        out += [p for p in _needs(d.footer_note) if _absent(lookup(ctx, p))]
    return list(dict.fromkeys(p for p in out if p not in ("document.number", "n")))


def describe_missing(path: str) -> str:
    """A Chinese label for a missing path; settings name where to fill them in."""
    base = path.split("[")[0]
    if base in _SETTING_OF_PATH:
        key = _SETTING_OF_PATH[base]
        return f"{SETTINGS[key][1]}（未设置：lishui-desk doc settings --set {key.removeprefix('forms.')}=…）"
    parts = [p.split("[")[0] for p in path.split(".")]
    words = [LABELS.get(p, p) for p in parts]
    label = words[0]
    for w in words[1:]:
        label += w.removeprefix(label)
    return f"{label}（{path}）"
