"""`case check` (and the GUI's 检查, both the case desk's check) answers exactly what `case step` does."""

from __future__ import annotations

from datetime import date

import pytest

from lishui_desk.edge import CaseDesk, create_profile
from lishui_desk.errors import RuleViolation
from lishui_desk.services.setup import OfficerSpec, add_officer

TODAY = date(2026, 11, 2)
STACKING = "331101003000"
PARTY = {"kind": "individual", "name": "叶建国", "id_number": "11010519491231002X", "address": "龙泉市八都镇八都村12号"}


@pytest.fixture
def env(data_root, fast_kdf):
    prof = create_profile("p", "correct horse battery", root=data_root, township_code="331181100",
                          officer=OfficerSpec("王建", "ZJ-3311-0001", date(2030, 1, 1)), kdf_params=fast_kdf)
    with prof.session() as s:
        li = add_officer(s, "331181100", OfficerSpec("李明", "ZJ-3311-0002", date(2030, 1, 1)))
        lead = add_officer(s, "331181100", OfficerSpec("周卫东", "ZJ-3311-0009", date(2030, 1, 1), role="leader"))
        ids = {"me": prof.officer_id, "li": li.id, "leader": lead.id}
    yield CaseDesk(prof, today=lambda: TODAY), ids
    prof.close()


def _agree(svc: CaseDesk, cid: str, action: str, payload: dict) -> bool:
    """check's verdict (no blocking finding) must equal whether step succeeds."""
    allowed = not any(v.blocks for v in svc.check(cid, action, payload))
    try:
        svc.perform(cid, action, payload)
        stepped = True
    except RuleViolation:
        stepped = False
    assert allowed == stepped, (action, payload)
    return stepped


def test_filing_without_a_case_number_is_allowed_by_check_because_step_numbers_it(env) -> None:
    svc, ids = env
    cid = svc.register_lead({"lead_on": "2026-10-30", "source": "巡查发现", "summary": "主街堆放木料",
                             "item_code": STACKING, "party": PARTY, "violation_date": "2026-10-30"})
    base = {"item_code": STACKING, "violation_date": "2026-10-30", "facts": "在主街两侧堆放木料约6平方米",
            "approved_by": ids["leader"]}
    assert not _agree(svc, cid, "file_case", {**base, "officer_ids": [ids["me"]]})  # one officer: both refuse
    assert _agree(svc, cid, "file_case", {**base, "officer_ids": [ids["me"], ids["li"]]})  # no number: both allow
    assert svc.view(cid).summary["case_number"] == "龙八综执立〔2026〕第1号"


def test_a_case_whose_limit_ends_in_an_unloaded_year_shows_its_earliest_date_in_the_header(env) -> None:
    """Filed 2026-11-01: the 90th day falls in 2027, whose holiday arrangement is not loaded; the case
    header shows the earliest possible end, not "下一期限：无"."""
    svc, ids = env
    cid = svc.register_lead({"lead_on": "2026-10-30", "source": "巡查发现", "summary": "主街堆放木料",
                             "item_code": STACKING, "party": PARTY, "violation_date": "2026-10-30"})
    svc.perform(cid, "file_case", {"filed_on": "2026-11-01", "item_code": STACKING, "violation_date": "2026-10-30",
                                   "facts": "堆放木料", "officer_ids": [ids["me"], ids["li"]],
                                   "approved_by": ids["leader"]})
    view = svc.view(cid)
    assert view.summary["next_deadline"] == date(2027, 1, 30)
    limit = next(d for d in view.deadlines if d.key == "clock.ninety_days")
    assert limit.latest == date(2027, 2, 1) and "2027年节假日安排尚未载入" in limit.error


def test_overlong_nested_text_is_refused_by_check_as_by_step(env) -> None:
    svc, ids = env
    cid = svc.register_lead({"lead_on": "2026-10-30", "source": "巡查发现", "summary": "主街堆放木料",
                             "item_code": STACKING, "party": PARTY, "violation_date": "2026-10-30"})
    payload = {"item_code": STACKING, "violation_date": "2026-10-30", "facts": "堆放木料",
               "officer_ids": [ids["me"], ids["li"]], "approved_by": ids["leader"],
               "party": {**PARTY, "address": "村" * 20_001}}
    found = [v for v in svc.check(cid, "file_case", payload) if v.blocks]
    assert any(v.rule_id == "payload.invalid" and "过长" in v.message for v in found)
    from lishui_desk.errors import DeskError

    with pytest.raises(DeskError):
        svc.perform(cid, "file_case", payload)
