"""When a document counts as served, for every method and every served document (事先告知书, 听证通知书,
决定书, 催告书): 《民事诉讼法》第八十七条至第九十五条, 《行政处罚法》第六十一条."""

from __future__ import annotations

from datetime import date

import pytest

from lishui_desk.procedure import check, deadlines
from lishui_desk.procedure import vocabulary as V
from tests.test_procedure_fixtures import decision, file_case, find, lead, rule_ids

NOTICE_DAY = date(2025, 11, 3)  # Monday
NOTICE = {"kinds": ["罚款"], "amount": "500", "facts": "堆放物料", "basis": "《浙江省城市市容和环境卫生管理条例》"}

# what each method needs for the record to stand (besides served_on and method)
COMPLETE = {
    V.SERVICE_DIRECT: {"receiver": "本人"},
    V.SERVICE_LEFT: {"witness": "村委会主任"},
    V.SERVICE_POST: {"tracking_no": "EMS1"},
    V.SERVICE_ELECTRONIC: {"e_consent": True},
    V.SERVICE_NOTICE: {"unreachable_reason": "当事人下落不明", "publication": "镇政府公告栏"},
    V.SERVICE_ENTRUSTED: {"entrusted_to": "龙泉市某街道", "receiver": "本人"},
    V.SERVICE_FORWARDED: {"entrusted_to": "某部队政治机关", "receiver": "本人"},
}
MISSING_RULE_ARTICLE = {
    V.SERVICE_DIRECT: "第八十八条", V.SERVICE_LEFT: "第八十九条", V.SERVICE_NOTICE: "第九十五条",
    V.SERVICE_ENTRUSTED: "第九十一条", V.SERVICE_FORWARDED: "第九十二条",
}


def _noticed():
    log = lead(date(2025, 10, 20))
    file_case(log, date(2025, 10, 21))
    log.at(NOTICE_DAY)
    log.do("issue_notice", {"issued_on": NOTICE_DAY.isoformat(), **NOTICE}, "o1")
    return log


def test_every_method_is_offered_with_the_fields_it_needs() -> None:
    from lishui_desk.procedure import ACTIONS

    for action in ("serve_notice", "serve_decision", "schedule_hearing", "serve_demand"):
        names = {f.name for f in ACTIONS[action].fields}
        method = next(f for f in ACTIONS[action].fields if f.name == "method")
        assert set(method.choices) == set(COMPLETE)
        assert {"receiver", "witness", "record_sha256", "receipt_on", "reached_on", "unreachable_reason",
                "entrusted_to"} <= names, action


@pytest.mark.parametrize("method", sorted(MISSING_RULE_ARTICLE))
def test_a_method_without_what_the_law_asks_is_refused(method: str) -> None:
    log = _noticed()
    found = find(check(log.state, "serve_notice", {"method": method}, log.ctx), "service.method_details")
    assert found.blocks and MISSING_RULE_ARTICLE[method] in found.article and found.article.startswith("《民事诉讼法》")
    assert "service.method_details" not in rule_ids(check(log.state, "serve_notice", {"method": method, **COMPLETE[method]},
                                                          log.ctx))


def test_left_at_the_residence_accepts_a_recording_instead_of_a_witness() -> None:
    log = _noticed()
    ok = check(log.state, "serve_notice", {"method": V.SERVICE_LEFT, "record_sha256": "b" * 64}, log.ctx)
    assert "service.method_details" not in rule_ids(ok)


@pytest.mark.parametrize("method", [V.SERVICE_DIRECT, V.SERVICE_LEFT, V.SERVICE_ENTRUSTED, V.SERVICE_FORWARDED])
def test_signed_or_left_the_windows_run_from_that_day(method: str) -> None:
    log = _noticed()
    log.do("serve_notice", {"method": method, **COMPLETE[method]}, "o1")
    info = {d.key: d for d in deadlines(log.state, log.ctx)}
    assert info["rights.statement_window"].due == date(2025, 11, 10)  # five working days after Monday 11-03
    log.at(date(2025, 11, 10))
    assert "rights.statement_window" in rule_ids(check(log.state, "decide", decision(date(2025, 11, 10)), log.ctx))
    log.at(date(2025, 11, 11))
    assert rule_ids(check(log.state, "decide", decision(date(2025, 11, 11)), log.ctx)) == set()


@pytest.mark.parametrize("method,key,article", [(V.SERVICE_POST, "receipt_on", "第九十一条"),
                                                 (V.SERVICE_ELECTRONIC, "reached_on", "第九十条")])
def test_post_and_electronic_count_only_from_the_recorded_date(method: str, key: str, article: str) -> None:
    log = _noticed()
    rec = log.do("serve_notice", {"method": method, **COMPLETE[method]}, "o1")[0]
    assert "rights.statement_window" not in {d.key for d in deadlines(log.state, log.ctx)}  # not started
    log.at(date(2025, 11, 20))
    pending = find(check(log.state, "decide", decision(date(2025, 11, 20)), log.ctx), "rights.notice_served")
    assert pending.blocks and article in pending.article and "尚未" in pending.message
    # the receipt arrives: it was received on 11-14 (Friday); the windows run from that day
    log.do("record_service_receipt", {"service_event_id": rec.id, key: "2025-11-14"}, "o1")
    info = {d.key: d for d in deadlines(log.state, log.ctx)}
    assert info["rights.statement_window"].due == date(2025, 11, 21)
    assert "rights.statement_window" in rule_ids(check(log.state, "decide", decision(date(2025, 11, 20)), log.ctx))
    log.at(date(2025, 11, 24))
    assert rule_ids(check(log.state, "decide", decision(date(2025, 11, 24)), log.ctx)) == set()


def test_a_receipt_dated_before_the_posting_is_refused() -> None:
    log = _noticed()
    rec = log.do("serve_notice", {"method": V.SERVICE_POST}, "o1")[0]
    bad = find(check(log.state, "record_service_receipt", {"service_event_id": rec.id, "receipt_on": "2025-11-01"},
                     log.ctx), "service.receipt_target")
    assert bad.blocks and "早于" in bad.message


def test_public_notice_is_served_thirty_days_after_publication() -> None:
    """The issue's case: a notice served by 公告送达 must not open windows that end a week later."""
    log = _noticed()
    log.do("serve_notice", {"method": V.SERVICE_NOTICE, **COMPLETE[V.SERVICE_NOTICE]}, "o1")
    assert log.state.notice_served.get("effective_on") == "2025-12-03"  # 11-03 + 30 days (a Wednesday)
    info = {d.key: d for d in deadlines(log.state, log.ctx)}
    assert info["rights.statement_window"].due == date(2025, 12, 10)
    log.at(date(2025, 11, 12))  # three weeks before the notice is even deemed served
    early = find(check(log.state, "decide", decision(date(2025, 11, 12)), log.ctx), "rights.notice_served")
    assert early.blocks and "2025-12-03" in early.message and "第九十五条" in early.article
    log.at(date(2025, 12, 11))
    assert rule_ids(check(log.state, "decide", decision(date(2025, 12, 11)), log.ctx)) == set()


def _decided(day: date = date(2025, 11, 11)):
    log = _noticed()
    log.do("serve_notice", {"method": V.SERVICE_DIRECT, "receiver": "本人"}, "o1")
    log.at(day)
    log.do("decide", decision(day), "lead")
    return log


@pytest.mark.parametrize("method,extra,due", [
    (V.SERVICE_DIRECT, {"receiver": "本人"}, date(2025, 11, 26)),  # 11-11 + 15 days
    (V.SERVICE_POST, {"receipt_on": "2025-11-14"}, date(2025, 12, 1)),  # 11-29 is a Saturday: rolls to Monday
    (V.SERVICE_ELECTRONIC, {"e_consent": True, "reached_on": "2025-11-12"}, date(2025, 11, 27)),
    (V.SERVICE_NOTICE, {"unreachable_reason": "下落不明"}, date(2025, 12, 26)),  # deemed 12-11, +15
])
def test_payment_runs_from_the_effective_service_of_the_decision(method: str, extra: dict, due: date) -> None:
    log = _decided()
    log.do("serve_decision", {"method": method, **extra}, "o1")
    info = {d.key: d for d in deadlines(log.state, log.ctx)}
    assert info["payment"].due == due


def test_hearing_notice_by_public_notice_counts_from_the_deemed_date() -> None:
    log = lead(date(2025, 10, 20))
    file_case(log, date(2025, 10, 21))
    log.at(NOTICE_DAY)
    log.do("issue_notice", {"issued_on": NOTICE_DAY.isoformat(), **NOTICE, "hearing_right_given": True}, "o1")
    log.do("serve_notice", {"method": V.SERVICE_DIRECT, "receiver": "本人"}, "o1")
    log.do("request_hearing", {"form": "书面"}, "o1")
    payload = {"hearing_on": "2025-11-20", "place": "镇政府", "presider_id": "rev", "method": V.SERVICE_NOTICE,
               "unreachable_reason": "下落不明"}
    v = find(check(log.state, "schedule_hearing", payload, log.ctx), "hearing.notice_7days")
    assert v.blocks and "2025-12-03" in v.message  # deemed served 12-03: the hearing cannot be before 12-13
    by_post = check(log.state, "schedule_hearing", {**payload, "method": V.SERVICE_POST}, log.ctx)
    assert find(by_post, "hearing.notice_7days").severity == "warn"


def test_a_decision_posted_without_a_receipt_cannot_be_closed() -> None:
    log = lead(date(2025, 9, 1))
    file_case(log, date(2025, 9, 2))
    log.at(date(2025, 9, 10))
    log.do("decide", {"outcome": "不予处罚", "ground": "首违不罚", "remedies": "复议诉讼", "facts": "初次堆放，已清理",
                      "approved_by": "lead"}, "lead")
    rec = log.do("serve_decision", {"method": V.SERVICE_POST, "tracking_no": "EMS2"}, "o1")[0]
    log.do("record_education", {"target": "当事人", "content": "宣讲市容管理规定"}, "o1")
    v = find(check(log.state, "close_case", {"summary": "首违不罚"}, log.ctx), "close.served")
    assert v.blocks and v.article == "《民事诉讼法》第九十一条"
    log.do("record_service_receipt", {"service_event_id": rec.id, "receipt_on": "2025-09-12"}, "o1")
    assert rule_ids(check(log.state, "close_case", {"summary": "首违不罚"}, log.ctx)) == set()


def test_a_corrected_service_gets_its_effective_date_again() -> None:
    log = _noticed()
    rec = log.do("serve_notice", {"method": V.SERVICE_DIRECT, "receiver": "本人"}, "o1")[0]
    stored = dict(log.state.notice_served.payload)
    assert stored["effective_on"] == "2025-11-03"
    fixed = {**stored, "method": V.SERVICE_NOTICE, "unreachable_reason": "当事人下落不明"}
    log.do("record_correction", {"target_event_id": rec.id, "replacement": fixed, "reason": "实为公告送达"}, "o1")
    assert log.state.notice_served.get("effective_on") == "2025-12-03"
