"""Service of documents (《行政处罚法》第六十一条；《民事诉讼法》第八十七条至第九十五条).

What counts as the service date per method lives in :mod:`lishui_desk.procedure.served`; these
rules check that each method's record holds what the law asks of it.
"""

from __future__ import annotations

from lishui_desk.law import APL, CPL
from lishui_desk.procedure import calc, served
from lishui_desk.procedure import vocabulary as V
from lishui_desk.procedure.rules.base import Check, rule, v
from lishui_desk.procedure.state import Rec
from lishui_desk.procedure.types import WARN, Violation


@rule("service.method_details", CPL.art("第八十七条至第九十五条"), "送达方式须记明的事项",
      checks="每种送达方式记明法律要求的事项：直接、委托、转交送达的签收人；留置送达的见证人或拍照录像；公告送达的理由；委托、转交的单位")
def _method_details(c: Check) -> list[Violation]:
    if c.preview:
        return []
    method = c.payload.get("method")
    out = []
    for key, label, article in served.REQUIRED_BY_METHOD.get(str(method), ()):
        if not c.payload.get(key):
            out.append(v("service.method_details", f"{method}须记明{label}", article=article))
    if method == V.SERVICE_LEFT and not (c.payload.get("witness") or c.payload.get("record_sha256")):
        out.append(v("service.method_details", "留置送达须邀请见证人到场并记明见证人，或以拍照、录像等方式记录送达过程",
                     article=CPL.art("第八十九条")))
    sent, receipt = c.payload.get("served_on"), c.payload.get("receipt_on") or c.payload.get("reached_on")
    if sent and receipt and receipt < sent:
        out.append(v("service.method_details", f"收件（到达）日期（{receipt}）早于交邮（发送）日期（{sent}）",
                     article=served.DATE_ARTICLE.get(str(method))))
    return out


@rule("service.electronic_consent", APL.art("第六十一条第二款"), "电子送达须同意",
      checks="电子送达经当事人同意并签订送达地址确认书")
def _e_consent(c: Check) -> list[Violation]:
    if c.preview or c.payload.get("method") != V.SERVICE_ELECTRONIC or c.payload.get("e_consent") is True:
        return []
    confirmed = c.state.service_address
    if confirmed is not None and confirmed.get("e_consent") is True:
        return []  # the party agreed in the recorded 送达地址确认书
    return [v("service.electronic_consent", "电子送达须经当事人同意并签订送达地址确认书：请先取得确认书或改用其他方式送达")]


@rule("service.in_time", APL.art("第六十一条"), "七日内送达", severity=WARN,
      checks="当事人不在场的，决定书在作出后七个工作日内送达（逾期提醒）")
def _service_in_time(c: Check) -> list[Violation]:
    decided = c.state.decided_on
    if decided is None:
        return []
    due = calc.period_end(c.ctx, "service", decided)
    if c.day > due:
        return [v("service.in_time", f"当事人不在场的，决定书应在七个工作日内（{due.isoformat()}前）送达，已逾期；请尽快送达并说明原因", WARN)]
    return []


@rule("service.electronic_address", APL.art("第六十一条第二款"), "电子送达地址",
      checks="同意电子送达的确认书写明电子邮箱或手机号码")
def _e_address(c: Check) -> list[Violation]:
    if c.preview or c.payload.get("e_consent") is not True or c.payload.get("email") or c.payload.get("phone"):
        return []
    return [v("service.electronic_address", "当事人同意电子送达的，须在确认书中写明接收文书的电子邮箱或手机号码")]


def _pending_services(c: Check) -> list[Rec]:
    recs = [c.state.notice_served, c.state.decision_service, c.state.hearing_schedule, *c.state.demands]
    return [r for r in recs if r is not None and r.get("method") in (V.SERVICE_POST, V.SERVICE_ELECTRONIC)]


@rule("service.receipt_target", CPL.art("第九十条、第九十一条"), "回执对应邮寄或电子送达",
      checks="登记的回执（到达日期）对应本案一次邮寄或电子送达，且不早于交邮（发送）日期")
def _receipt_target(c: Check) -> list[Violation]:
    pending = _pending_services(c)
    if c.preview:
        return [] if pending else [v("service.receipt_target", "没有待登记回执的邮寄送达或电子送达")]
    target = str(c.payload.get("service_event_id") or "")
    found = next((r for r in pending if r.event_id == target), None)
    if found is None:
        return [v("service.receipt_target", "请选择要登记回执的邮寄送达或电子送达记录")]
    day = c.payload.get("receipt_on")
    if day and found.get("served_on") and day < found.get("served_on"):
        return [v("service.receipt_target", f"回执日期（{day}）早于交邮（发送）日期（{found.get('served_on')}）")]
    return []


@rule("decision.exists", APL.art("第五十九条"), "已作出决定",
      checks="已作出决定（送达、公示前提）")
def _decision_exists(c: Check) -> list[Violation]:
    if c.state.decision is None:
        return [v("decision.exists", "尚未作出决定")]
    return []
