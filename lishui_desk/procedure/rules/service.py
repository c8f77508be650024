"""Service of documents (《行政处罚法》第六十一条；《民事诉讼法》第八十七条至第九十五条)."""

from __future__ import annotations

from lishui_desk.errors import InvalidInput
from lishui_desk.law import APL
from lishui_desk.procedure import calc
from lishui_desk.procedure import vocabulary as V
from lishui_desk.procedure.rules.base import Check, rule, v
from lishui_desk.procedure.types import WARN, Violation

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
