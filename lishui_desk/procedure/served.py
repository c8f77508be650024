"""When a served document counts as served (送达日期), for every served document and method.

One function, :func:`effective_on`, gives the date from which every window and deadline that
runs from service is counted (事先告知书, 听证通知书, 决定书, 催告书 …):

- 直接送达 — the date the receiver signed the 送达回证 (《民事诉讼法》第八十七条、第八十八条);
- 留置送达 — the date the document was left, with a witness or a photo/video record (第八十九条);
- 电子送达 — only with the party's consent (《行政处罚法》第六十一条第二款); the date it reached the
  recipient's system (《民事诉讼法》第九十条第二款) — until that is recorded, nothing has started;
- 邮寄送达 — the date on the 回执 (第九十一条) — until it is recorded, nothing has started;
- 委托送达 / 转交送达 — the date signed on the 送达回证 (第九十一条、第九十四条);
- 公告送达 — deemed served when 30 days have passed after publication (第九十五条).

Pure; the 30 days of 公告送达 are counted by :data:`lishui_desk.deadlines.PERIODS`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from lishui_desk.law import APL, CPL
from lishui_desk.procedure import vocabulary as V
from lishui_desk.procedure.state import Rec
from lishui_desk.procedure.types import FieldSpec

F = FieldSpec

# what each method needs recorded, and the article that asks it: (field, label, article)
REQUIRED_BY_METHOD: dict[str, tuple[tuple[str, str, str], ...]] = {
    V.SERVICE_DIRECT: (("receiver", "签收人", CPL.art("第八十七条、第八十八条")),),
    V.SERVICE_LEFT: (),  # a witness OR a photo/video record: checked separately (第八十九条)
    V.SERVICE_POST: (),  # the 回执 date comes later (record_service_receipt)
    V.SERVICE_ELECTRONIC: (),  # consent is its own guard; the arrival date may come later
    V.SERVICE_NOTICE: (("unreachable_reason", "公告送达的理由（下落不明或其他方式无法送达）", CPL.art("第九十五条")),),
    V.SERVICE_ENTRUSTED: (("entrusted_to", "受委托或代为转交的单位", CPL.art("第九十一条")),
                          ("receiver", "签收人", CPL.art("第八十七条"))),
    V.SERVICE_FORWARDED: (("entrusted_to", "受委托或代为转交的单位", CPL.art("第九十二条至第九十四条")),
                          ("receiver", "签收人", CPL.art("第九十四条"))),
}

# the article that fixes each method's service date
DATE_ARTICLE: dict[str, str] = {
    V.SERVICE_DIRECT: CPL.art("第八十七条"),
    V.SERVICE_LEFT: CPL.art("第八十九条"),
    V.SERVICE_POST: CPL.art("第九十一条"),
    V.SERVICE_ELECTRONIC: f"{APL.art('第六十一条第二款')}、{CPL.art('第九十条')}",
    V.SERVICE_NOTICE: CPL.art("第九十五条"),
    V.SERVICE_ENTRUSTED: CPL.art("第九十一条"),
    V.SERVICE_FORWARDED: CPL.art("第九十四条"),
}


def fields(date_label: str = "送达日期") -> tuple[FieldSpec, ...]:
    """The form fields a service needs; the GUI shows them generically (method-specific ones say so)."""
    return (
        F("served_on", f"{date_label}（直接、留置、委托、转交为签收或留置日期；邮寄为交邮日期；电子为发送日期；公告为公告发出日期）",
          "date", True),
        F("method", "送达方式", "choice", True, V.SERVICE_METHODS),
        F("receiver", "签收人（直接、委托、转交送达）", "text", False, (), "本人、同住成年家属、法定代表人、负责收件的人或代收人"),
        F("witness", "见证人（留置送达）", "text", False, (), "基层组织或所在单位的代表；无见证人的，须拍照、录像记录"),
        F("record_sha256", "留置送达拍照录像", "evidence"),
        F("receipt_on", "回执上注明的收件日期（邮寄送达）", "date", False, (), "未收到回执的，收到后用“登记送达回执”补登"),
        F("tracking_no", "邮件单号（邮寄送达）", "text"),
        F("reached_on", "送达信息到达受送达人系统的日期（电子送达）", "date"),
        F("e_consent", "已签送达地址确认书（电子送达）", "bool"),
        F("unreachable_reason", "公告送达的理由（下落不明或其他方式无法送达）", "text"),
        F("publication", "公告载体（公告送达）", "text"),
        F("entrusted_to", "受委托或代为转交的单位（委托、转交送达）", "text"),
    )


@dataclass(frozen=True)
class ServiceDate:
    """The effective service date, or why there is none yet."""

    on: date | None
    method: str | None
    article: str
    pending: str | None = None  # Chinese reason when ``on`` is None


def effective(rec: Rec | None, deemed: date | None = None) -> ServiceDate | None:
    """The effective service of a recorded service (``None`` when nothing was recorded).

    ``deemed`` is the 公告送达 date computed by the caller (it needs the calendar); stored records
    carry it as ``effective_on``.
    """
    if rec is None:
        return None
    method = rec.get("method")
    if rec.type == V.EV_SUMMARY:
        return ServiceDate(rec.day("decided_on"), V.SERVICE_DIRECT, APL.art("第五十二条"))
    article = DATE_ARTICLE.get(str(method), CPL.art("第八十七条"))
    if method == V.SERVICE_POST:
        on = rec.day("receipt_on")
        if on is None:
            return ServiceDate(None, method, article, "邮寄送达以回执上注明的收件日期为送达日期，尚未登记回执日期")
        return ServiceDate(on, method, article)
    if method == V.SERVICE_ELECTRONIC:
        on = rec.day("reached_on")
        if on is None:
            return ServiceDate(None, method, article, "电子送达以送达信息到达受送达人特定系统的日期为送达日期，尚未登记到达日期")
        return ServiceDate(on, method, article)
    if method == V.SERVICE_NOTICE:
        on = rec.day("effective_on") or deemed
        if on is None:
            return ServiceDate(None, method, article, "公告送达自发出公告之日起经过三十日视为送达，视为送达日期尚无法计算")
        return ServiceDate(on, method, article)
    return ServiceDate(rec.day("served_on") or rec.day("effective_on"), method, article)


def effective_on(rec: Rec | None, deemed: date | None = None) -> date | None:
    found = effective(rec, deemed)
    return found.on if found else None
