"""Served documents: the 送达回证 of every document served, the 送达公告 of each 公告送达, the 催告书.

Each served document (every 事先告知书, the 听证通知书, every decision, every 催告书) has its own
送达回证. Printed before the service is recorded (officers take it along) its method, date and
signature boxes are blank for hand entry; printed after, it shows what the service record holds for
that method (《中华人民共和国民事诉讼法》第八十七条至第九十五条; the effective date follows
:mod:`lishui_desk.procedure.served`):

- 直接送达: the receiver and the date signed (第八十七条、第八十八条);
- 留置送达: the date left, the witness or the photo/video record (第八十九条);
- 邮寄送达: the date posted, the tracking number, the date on the 回执 (第九十一条);
- 电子送达: the party's consent (送达地址确认书, 《中华人民共和国行政处罚法》第六十一条第二款), the
  address, the date sent and the date it reached the recipient (第九十条);
- 公告送达: the reason, the medium, the date published and the date it counts as served (第九十五条);
- 委托送达 / 转交送达: the unit entrusted or forwarding, the receiver (第九十一条至第九十四条).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from forms.case_context import REMINDER_DAYS, CaseFacts, _iso
from forms.placeholders import date_cn
from forms.sources import Act, Ctx, source
from lishui_desk.deadlines import PERIODS
from lishui_desk.errors import InvalidInput
from lishui_desk.procedure import calc, served
from lishui_desk.procedure import vocabulary as V
from lishui_desk.procedure.state import Rec

NOTICE_TITLE = "行政处罚事先告知书"
HEARING_NOTICE_TITLE = "行政处罚事先（听证）告知书"
DECISION_TITLE = "行政处罚决定书"
NO_PENALTY_TITLE = "不予行政处罚决定书"
DEMAND_TITLE = "催告书"

# how each method's effective service date is stated on the receipt
_EFFECTIVE = {
    V.SERVICE_POST: "以回执上注明的收件日期为送达日期",
    V.SERVICE_ELECTRONIC: "以送达信息到达受送达人特定系统的日期为送达日期",
    V.SERVICE_NOTICE: "自发出公告之日起经过{days}日，即视为送达",
}


def _effective_on(f: CaseFacts, svc: Rec) -> date | None:
    try:
        return calc.service_on(f.ectx, svc)
    except InvalidInput:  # a 公告 whose 30 days end in a year without a loaded calendar
        return None


def service_details(f: CaseFacts, svc: Rec | None) -> dict[str, Any]:
    """The ``service`` context of what a recorded service holds, method by method (empty when the
    document has not been served yet: the receipt's boxes stay blank for hand entry)."""
    if svc is None or not svc.get("method"):
        return {}
    method = str(svc.get("method"))
    on = svc.day("served_on")
    out: dict[str, Any] = {"method": method, "recipient": svc.get("receiver"), "witness": svc.get("witness")}
    if method in (V.SERVICE_DIRECT, V.SERVICE_LEFT, V.SERVICE_ENTRUSTED, V.SERVICE_FORWARDED):
        out["signed_on"] = _iso(on)
    if method != V.SERVICE_LEFT and svc.get("receiver") and on is not None:
        out["receipt_line"] = f"{svc.get('receiver')}于{date_cn(on)}签收"
    if method == V.SERVICE_LEFT:
        out["left_note"] = ("受送达人拒绝签收，" + (f"于{date_cn(on)}" if on else "") + "将文书留在受送达人的住所"
                            + ("，并采用拍照、录像方式记录送达过程" if svc.get("record_sha256") else "")
                            + (f"，见证人{svc.get('witness')}在场见证" if svc.get("witness") else "") + "。")
    if method in (V.SERVICE_ENTRUSTED, V.SERVICE_FORWARDED):
        out["entrusted_to"] = svc.get("entrusted_to")
    if method == V.SERVICE_POST:
        out.update({"sent_on": _iso(on), "tracking_no": svc.get("tracking_no"),
                    "receipt_on": _iso(svc.day("receipt_on"))})
    if method == V.SERVICE_ELECTRONIC:
        conf = f.state.service_address
        where = "、".join(x for x in ((conf.get("email"), conf.get("phone")) if conf is not None else ()) if x)
        out.update({"sent_on": _iso(on), "reached_on": _iso(svc.day("reached_on")),
                    "electronic_consent": ("受送达人已签署送达地址确认书，同意电子送达"
                                           + (f"（送达地址：{where}）" if where else "") + "。")
                    if svc.get("e_consent") or (conf is not None and conf.get("e_consent")) else None})
    if method == V.SERVICE_NOTICE:
        out.update({"reason": str(svc.get("unreachable_reason") or "").rstrip("。；;.") or None,
                    "medium": svc.get("publication") or f.settings.get("forms.service.medium"),
                    "published_on": _iso(on)})
    eff = _effective_on(f, svc)
    found = served.effective(svc, eff)
    rule = _EFFECTIVE.get(method, "").format(days=PERIODS["public_notice_service"].length)
    if found is not None and found.on is not None:
        out["date"] = found.on.isoformat()
        out["effective"] = date_cn(found.on) + (f"（{rule}）" if rule else "")
    elif found is not None and found.pending:
        out["effective"] = found.pending + "。"
    return out


def _receipt(f: CaseFacts, doc: Rec, title: str, number: str | None, svc: Rec | None,
             day: date | None = None) -> Act:
    def fill(ctx: Ctx) -> None:
        ctx["service"] = {"doc_name": title, "doc_number": number}
        details = service_details(f, svc)
        if details:
            place = ctx["party"].get("address")
            if details["method"] == V.SERVICE_NOTICE:
                place = details.get("medium")
            elif details["method"] == V.SERVICE_POST:
                place = ctx["party"].get("address")
            ctx["service"].update({**details, "place": place})

    when = (svc.day("served_on") if svc is not None else None) or day or f.today
    return Act(doc.event_id, when, None, fill, label=title, version=_service_version(f, svc))


def _service_version(f: CaseFacts, svc: Rec | None) -> str | None:
    """The service record and any later 回执 a receipt shows (None before the service)."""
    if svc is None or not svc.get("method"):
        return None
    later = [r.event_id for r in f.state.receipts if str(r.get("service_event_id") or "") == svc.event_id]
    return "+".join([svc.event_id, *later])


@source("service_receipt")
def _service_receipt(f: CaseFacts) -> list[Act]:
    """A 送达回证 for every document served or to be served: each 事先告知书 served (and the current
    one before its service), the 听证通知书, each decision, each 催告书 recorded as served (and one
    issued but not yet served)."""
    st = f.state
    out: list[Act] = []
    for rec in st.notices:
        svc = st.services.get(rec.event_id)
        if svc is None and rec is not st.notice:
            continue  # a superseded notice never served has nothing to receive
        title = HEARING_NOTICE_TITLE if rec.get("hearing_right_given") else NOTICE_TITLE
        out.append(_receipt(f, rec, title, f.number_of("penalty_notice", rec, "notice_number"), svc))
    if st.hearing_schedule is not None:
        rec = st.hearing_schedule
        out.append(_receipt(f, rec, "听证通知书", f.number_of("hearing_notice", rec, "notice_number"),
                            st.services.get(rec.event_id), rec.day("notified_on")))
    for dec in st.decisions:
        if dec.type != V.EV_DECIDED or dec.get("outcome") not in (V.OUTCOME_PENALTY, V.OUTCOME_NO_PENALTY):
            continue
        svc = st.services.get(dec.event_id)
        if svc is None and dec is not st.decision:
            continue
        no_penalty = dec.get("outcome") == V.OUTCOME_NO_PENALTY
        number = f.number_of("non_penalty_decision" if no_penalty else "penalty_decision", dec, "decision_number")
        out.append(_receipt(f, dec, NO_PENALTY_TITLE if no_penalty else DECISION_TITLE, number, svc))
    for rec in st.demands:
        out.append(_receipt(f, rec, DEMAND_TITLE, rec.get("demand_number"), rec))
    last_demand = st.demands[-1].seq if st.demands else 0
    pending = [d for d in st.documents_issued if d.get("doc_type") == "payment_reminder" and d.seq > last_demand]
    if pending:
        doc = pending[-1]
        out.append(_receipt(f, doc, DEMAND_TITLE, doc.get("number"), None, doc.day("document_date")))
    return sorted(out, key=lambda a: (a.day or f.today))


def _served_doc(f: CaseFacts, rec: Rec) -> tuple[str, str | None]:
    """Which document a service event delivered, and its number when issued through the app."""
    st = f.state
    for doc_id, svc in st.services.items():
        if svc.event_id != rec.event_id:
            continue
        doc = next((d for d in (*st.notices, *st.decisions) if d.event_id == doc_id), None)
        if doc is not None and doc.type == V.EV_DECIDED:
            no_penalty = doc.get("outcome") == V.OUTCOME_NO_PENALTY
            return (NO_PENALTY_TITLE if no_penalty else DECISION_TITLE,
                    f.number_of("non_penalty_decision" if no_penalty else "penalty_decision", doc, "decision_number"))
        if doc is not None:
            return NOTICE_TITLE, f.number_of("penalty_notice", doc, "notice_number")
    if rec.type == V.EV_HEARING_SCHEDULED:
        return "听证通知书", f.number_of("hearing_notice", rec, "notice_number")
    if rec.type == V.EV_DEMAND_SERVED:
        return DEMAND_TITLE, rec.get("demand_number")
    return NOTICE_TITLE, f.number_of("penalty_notice", st.notice, "notice_number")


@source("service_announcement")
def _service_announcement(f: CaseFacts) -> list[Act]:
    """The 送达公告 of every 公告送达 recorded (《中华人民共和国民事诉讼法》第九十五条)."""
    out: list[Act] = []
    for svc in sorted(f.state.services.values(), key=lambda r: r.seq):
        if svc.get("method") != V.SERVICE_NOTICE:
            continue
        title, number = _served_doc(f, svc)

        def fill(ctx: Ctx, svc: Rec = svc, title: str = title, number: str | None = number) -> None:
            names = "、".join(o["name"] for o in ctx["officers"])
            details = service_details(f, svc)
            ctx["service"] = {"doc_name": title, "doc_number": number, "server": names or None,
                              "method": svc.get("method"), "date": _iso(svc.day("served_on")),
                              "reason": details.get("reason"), "published_on": details.get("published_on"),
                              # where the township posts its announcements (the record, else the
                              # profile setting) and the 30 days after which the document counts as served
                              "medium": details.get("medium"),
                              "deemed_days": PERIODS["public_notice_service"].length}

        out.append(Act(svc.event_id, svc.day("served_on"), None, fill, label=title))
    return out


# --- 催告 (《中华人民共和国行政强制法》第三十五条、第五十四条) -------------------------------------------
def _decision_service(f: CaseFacts, ctx: Ctx) -> None:
    """The decision the 催告书 enforces and how it was served (its effective service date)."""
    st = f.state
    dtype = "onsite_penalty_decision" if st.is_summary else "penalty_decision"
    ctx["service"] = {"doc_number": f.number_of(dtype, st.decision, "decision_number"), "doc_name": DECISION_TITLE}
    svc = st.decision_service
    if st.is_summary and st.decision is not None:  # 当场交付 (《中华人民共和国行政处罚法》第五十二条)
        ctx["service"].update({"method": "当场交付", "date": _iso(st.decision.day("decided_on"))})
        return
    details = service_details(f, svc)
    ctx["service"].update({k: details.get(k) for k in ("method", "date")})


@source("payment_reminder")
def _reminder(f: CaseFacts) -> Act | None:
    st = f.state
    due = calc.payment_due(st, f.ectx)
    if not (st.stage == V.EXECUTION and calc.outstanding(st) > 0 and due is not None and f.today > due):
        return None

    def fill(ctx: Ctx) -> None:
        _decision_service(f, ctx)
        principal, fee = calc.owed(st, f.ectx, f.today)
        late = fee if fee > 0 else Decimal("0.00")
        ctx["reminder"] = {"amount_due": f"{principal:.2f}", "late_fee": f"{late:.2f}",
                           "total": f"{principal + late:.2f}", "days": REMINDER_DAYS,
                           "fine": f"{st.amount or 0:.2f}", "paid": f"{st.paid_total:.2f}"}

    return Act(None, f.today, None, fill)

