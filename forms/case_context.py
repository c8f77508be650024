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

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from forms.loader import Block, Definition
from forms.placeholders import Template, amount, amount_upper, date_cn, lookup
from lishui_desk import catalog_data
from lishui_desk.deadlines import PERIODS
from lishui_desk.errors import InvalidInput, NotFound
from lishui_desk.events import EventRecord
from lishui_desk.identity import parse_resident_id
from lishui_desk.models import Case, EvidenceItem, IssuedDocument, Officer, ProfileMeta, Township
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
    "forms.service.medium": ("service.medium", "公告送达的公告载体"),
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


_DATE_LEAD = re.compile(r"^(\d{4}年\d{1,2}月\d{1,2}日(?:\d{1,2}时(?:\d{1,2}分)?许?)?)[，,、]?")
_CITE_LEAD = ("依据", "根据", "按照", "依照")


def basis_text(typed: Any, fallback: str | None) -> str | None:
    """A legal basis typed into a step, as it can follow "依据…的规定": a leading 依据/根据 and a trailing
    "的规定" are dropped (the sentence adds them), and text that cites no law (e.g. "见事项处罚依据")
    gives way to the item's own citation."""
    text = cited(typed)
    return text if text and "《" in text else fallback


def cited(typed: Any) -> str | None:
    """A typed basis as it can follow "根据…的规定": without a leading 依据/根据 or a trailing 的规定."""
    text = str(typed or "").strip().rstrip("。；;，,")
    for lead in _CITE_LEAD:
        text = text.removeprefix(lead)
    for tail in ("的规定", "之规定", "规定"):
        if text.endswith(tail) and "》" in text:
            text = text[: -len(tail)]
            break
    return text or None


def _reasoning(text: str | None) -> str | None:
    """裁量理由 as printed after "依据…的规定，": its own leading "依据…，" clause (the same basis) and
    the internal note on the 裁量基准 source are left out."""
    if not text:
        return None
    text = text.strip()
    if text.startswith(_CITE_LEAD):
        cut = text.find("，")
        text = text[cut + 1:] if 0 < cut < 200 else text
    text = re.sub(r"裁量基准来源：[^。]*。", "", text).strip()
    return text or None


def you_word(kind: str | None) -> str:
    """你 for a citizen (and an 个体工商户 operator), 你单位 for an organisation."""
    return "你单位" if kind == V.ORGANISATION else "你"


def addressed_facts(facts: str | None, party_name: str | None, you: str) -> str | None:
    """违法事实 addressed to the party (事先告知书 "经查，你…"): "当事人[姓名]" becomes 你/你单位; a
    text without a subject gets one, after a leading date."""
    if not facts:
        return None
    text = facts.strip()
    for who in ([f"当事人{party_name}", party_name] if party_name else []) + ["当事人"]:
        if who and who in text:
            return _sentence(text.replace(who, you, 1))
    m = _DATE_LEAD.match(text)
    if m:
        rest = text[m.end():].lstrip("，, ")
        return _sentence(f"{m.group(1)}，{you}{rest}")
    return _sentence(you + text)


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
                           "kind": "个人" if p.kind == V.INDIVIDUAL else ("个体工商户" if p.kind == V.SOLE_TRADER else "单位"),
                           "you": you_word(p.kind)}
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
        got = [name for i in ids or () if isinstance(i, str) and (name := f.officer_name(i))]
        return "、".join(got) or (f.officer_name(fallback) or "")

    for rec in st.inspections:
        ev = f.event_by_id[rec.event_id]
        out.append((rec.seq, {"kind": "勘验笔录、现场笔录",
                              "description": f"现场检查（勘验）笔录（{rec.get('place') or '现场'}）",
                              "sha256_prefix": (rec.get("evidence_sha256") or ev.hash)[:HASH_PREFIX],
                              "captured_by": names(rec.get("officer_ids"), rec.actor_id),
                              # the 笔录's own time, not when it was typed in
                              "captured_at": _at(rec, "inspected_on", "start_time") or ev.occurred_at}))
    for rec in st.inquiries:
        ev = f.event_by_id[rec.event_id]
        role = rec.get("person_role")
        out.append((rec.seq, {"kind": "当事人的陈述" if role == "当事人" else "证人证言",
                              "description": f"询问笔录（被询问人：{rec.get('person')}）",
                              "sha256_prefix": (rec.get("evidence_sha256") or ev.hash)[:HASH_PREFIX],
                              "captured_by": names(rec.get("officer_ids"), rec.actor_id),
                              "captured_at": _at(rec, "inquired_on", "start_time") or ev.occurred_at}))
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
    officers = [o for o in (_officer(f.officers.get(oid)) for oid in st.officers) if o]
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
            "hearing_days": PERIODS["hearing_request"].length,  # 《行政处罚法》第六十四条第一项
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
        "reasoning": _reasoning(reasoning),
        # a penalty always orders the correction (第二十八条第一款); a 不予处罚 decision only a recorded one
        "correction": correction_words(st) if src.get("outcome") != V.OUTCOME_NO_PENALTY or st.correction_orders
        else None,
    }
    ctx["item"]["penalty_basis_text"] = basis_text(src.get("basis"), ctx["item"].get("penalty_basis_text"))


def correction_words(st: CaseState) -> str:
    """What the party is ordered to correct: the 责令改正 recorded, else the order every penalty carries
    (《中华人民共和国行政处罚法》第二十八条第一款)."""
    content = str(st.correction_orders[-1].get("content") or "").strip() if st.correction_orders else ""
    for lead in ("责令当事人", "责令"):
        content = content.removeprefix(lead)
    return _sentence(content) or "立即改正上述违法行为。"


def response_words(st: CaseState) -> str | None:
    """What the party did with the rights the 事先告知书 named (printed in the 决定书)."""
    if st.notice is None:
        return None
    out: list[str] = []
    if st.waivers:
        w = st.waivers[-1]
        day = w.day("waived_on")
        out.append(f"当事人{'于' + date_cn(day) if day else ''}书面放弃{w.get('scope') or '陈述、申辩'}权利。")
    if st.statements:
        review = st.statement_reviews[-1] if st.statement_reviews else None
        result = {"采纳": "予以采纳", "部分采纳": "部分予以采纳", "不采纳": "不予采纳"}.get(
            str(review.get("result")) if review else "", "")
        out.append("当事人在法定期限内提出了陈述、申辩意见，本机关依法进行了复核" + (f"，{result}" if result else "") + "。")
    if st.hearing is not None:
        day = st.hearing.day("held_on")
        out.append(f"本机关{'于' + date_cn(day) if day else ''}依法举行了听证，听取了当事人的陈述、申辩和质证意见。")
    if not out and st.notice_served is not None:
        out.append("当事人在法定期限内未提出陈述、申辩意见。")
    return "".join(out) or None


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
    party = ctx.get("party") or {}
    ctx["notice"] = {
        "facts": addressed_facts(n.get("facts") or st.facts, party.get("name"), party.get("you") or "你"),
        "response": response_words(st),
        "number": f.number_of("penalty_notice", n, "notice_number"),
        "served_on": _iso(st.notice_served.day("served_on")) if st.notice_served else None,
        "proposed": words + "。" if words else None,
        "hearing_right": "有" if n.get("hearing_right_given") else None,
    }


# --- the act a document records (per type: forms.sources) ---------------------------------------
@dataclass(frozen=True)
class DocSource:
    """The act a document records: its event (for de-duplication) and the date the document bears."""

    relevant: bool
    event_id: str | None = None
    day: date | None = None
    act_number: str | None = None  # a number the act already carries (立案号, pre-printed 当场处罚 number)
    # the state of the act's record a document shows (a receipt: its service and 回执 records); a
    # document issued for an earlier state is not the same document (a receipt printed blank before
    # the service may be issued again with the service recorded)
    version: str | None = None


def doc_source(f: CaseFacts, doc_type: str) -> DocSource:
    """Whether the case has the act a document type records (see :mod:`forms.sources`)."""
    from forms import sources

    return sources.doc_source(f, doc_type)


def document_context(f: CaseFacts, doc_type: str) -> tuple[dict[str, Any], DocSource]:
    """The frozen context for one document of the case (see :mod:`forms.sources`)."""
    from forms import sources

    return sources.document_context(f, doc_type)


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
    return [p for t in (b.text, b.name, b.date, *b.lines) for p in _needs(t) if _absent(lookup(ctx, p))]


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


def plain_missing(path: str) -> str:
    """A missing path as an officer reads it in the GUI: its Chinese name; an agency setting says
    where to fill it in (设置 › 常规与文书), not which command or key."""
    base = path.split("[")[0]
    if base in _SETTING_OF_PATH:
        return f"{SETTINGS[_SETTING_OF_PATH[base]][1]}（未设置，请在“设置 › 常规与文书”中填写）"
    return describe_missing(path).rsplit("（", 1)[0]


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
