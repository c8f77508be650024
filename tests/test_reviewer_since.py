"""When a legal reviewer first took up 法制审核 (《行政处罚法》第五十八条第二款: 法律职业资格 is asked of
those who FIRST take it up from 2021-07-15): recorded in the roster (officer column, roster stream,
``services.officers``, the CLI) and decided by the guard, on a real SQCipher profile."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date

import pytest

from lishui_desk.edge import CaseDesk, create_profile, read
from lishui_desk.errors import InvalidInput
from lishui_desk.identity import resident_id_check_char
from lishui_desk.services import officers, reference
from lishui_desk.services.setup import OfficerSpec, add_officer
from lishui_desk.storage.profile import open_profile
from lishui_desk.timeutil import today_local
from lishui_desk.unit_of_work import unit_of_work

PASS = "correct horse battery"
TOWN = "331181100"
STACKING = "331101003000"


@pytest.fixture
def case(data_root, fast_kdf):
    prof = create_profile("rs", PASS, root=data_root, township_code=TOWN,
                          officer=OfficerSpec("王建", "ZJ-3311-0001", date(2030, 12, 31)), kdf_params=fast_kdf)
    with prof.session() as s:
        li = add_officer(s, TOWN, OfficerSpec("李明", "ZJ-3311-0002", date(2030, 6, 30)))
        leader = add_officer(s, TOWN, OfficerSpec("周卫东", "ZJ-3311-0009", date(2030, 12, 31), role="leader"))
        lid, leader_id = li.id, leader.id
    desk = CaseDesk(prof)
    today = today_local().isoformat()
    first17 = "33118119800101123"
    cid = desk.register_lead({"lead_on": today, "source": "巡查发现", "summary": "堆放木料", "item_code": STACKING,
                              "violation_date": today, "party": {"kind": "individual", "name": "叶建国",
                                                                 "address": "八都村1号",
                                                                 "id_number": first17 + resident_id_check_char(first17)}})
    desk.perform(cid, "file_case", {"filed_on": today, "facts": "堆放木料", "item_code": STACKING,
                                    "violation_date": today, "officer_ids": [prof.officer_id, lid],
                                    "approved_by": leader_id, "place": "八都村"})
    yield prof, desk, cid
    prof.close()


def _reviewer_finding(desk: CaseDesk, cid: str, reviewer_id: str):
    found = desk.check(cid, "record_legal_review", {"reviewed_on": today_local().isoformat(), "result": "同意",
                                                    "reviewer_id": reviewer_id})
    return next((v for v in found if v.rule_id == "review.reviewer_qualified"), None)


def test_the_roster_stream_carries_the_date_and_the_guard_decides_on_it(case):
    prof, desk, cid = case
    with unit_of_work(prof) as uow:
        reference.apply_batch(uow, "roster", [
            {"key": "ZJ-3311-0101", "version": 1, "body": {"name": "老审核", "role": "reviewer",
                                                           "cert_valid_until": "2030-12-31",
                                                           "reviewer_since": "2019-03-01"}},
            {"key": "ZJ-3311-0102", "version": 1, "body": {"name": "新审核", "role": "reviewer",
                                                           "cert_valid_until": "2030-12-31",
                                                           "reviewer_since": "2022-01-10"}},
            {"key": "ZJ-3311-0103", "version": 1, "body": {"name": "未记明", "role": "reviewer",
                                                           "cert_valid_until": "2030-12-31"}},
        ])
    rows = {o.name: o for o in read(prof, officers.list_officers)}
    assert rows["老审核"].reviewer_since == date(2019, 3, 1) and rows["新审核"].reviewer_since == date(2022, 1, 10)
    # took up 法制审核 before 2021-07-15: not 初次从事, no 法律职业资格 required by the statute
    assert _reviewer_finding(desk, cid, rows["老审核"].id) is None
    newcomer = _reviewer_finding(desk, cid, rows["新审核"].id)
    assert newcomer is not None and newcomer.blocks and newcomer.article == "《行政处罚法》第五十八条第二款"
    assert "自2022-01-10起从事法制审核" in newcomer.message and newcomer.policy_key is None
    unknown = _reviewer_finding(desk, cid, rows["未记明"].id)
    assert unknown is not None and unknown.blocks and "未记明" in unknown.message
    # a later version of the entry records the date; the guard follows it
    with unit_of_work(prof) as uow:
        reference.apply_batch(uow, "roster", [{"key": "ZJ-3311-0103", "version": 2, "body": {
            "name": "未记明", "role": "reviewer", "cert_valid_until": "2030-12-31", "reviewer_since": "2020-05-01"}}])
    assert _reviewer_finding(desk, cid, rows["未记明"].id) is None


def test_a_bad_date_in_the_roster_is_refused_and_nothing_is_written(case):
    prof, _desk, _cid = case
    before = read(prof, officers.list_officers)
    with pytest.raises(InvalidInput, match="开始从事法制审核的日期“2021-13-01”不是日期"), unit_of_work(prof) as uow:
        reference.apply_batch(uow, "roster", [
            {"key": "ZJ-3311-0201", "version": 1, "body": {"name": "甲", "role": "reviewer"}},
            {"key": "ZJ-3311-0202", "version": 1, "body": {"name": "乙", "role": "reviewer",
                                                           "reviewer_since": "2021-13-01"}},
        ])
    assert read(prof, officers.list_officers) == before


def test_the_cli_records_the_date_and_lists_it(case, data_root):
    prof, desk, cid = case
    prof.close()
    env = {**os.environ, "LISHUI_DESK_PASSPHRASE": PASS}

    def cli(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "lishui_desk.cli", *args, "--profile", "rs", "--data-dir",
                               str(data_root)], capture_output=True, text=True, env=env, timeout=120)

    bad = cli("officer", "add", "--name", "赵敏", "--cert-no", "ZJ-3311-0301", "--role", "reviewer",
              "--reviewer-since", "2021/07/15")
    assert bad.returncode == 2 and "开始从事法制审核的日期“2021/07/15”不是日期" in bad.stderr
    ok = cli("officer", "add", "--name", "赵敏", "--cert-no", "ZJ-3311-0301", "--cert-valid-until", "2030-12-31",
             "--role", "reviewer", "--reviewer-since", "2021-07-15", "--json")
    assert ok.returncode == 0, ok.stderr
    added = json.loads(ok.stdout)
    assert added["reviewer_since"] == "2021-07-15" and added["legal_qualification"] is False
    listed = cli("officer", "list")
    assert "赵敏" in listed.stdout and "自 2021-07-15 从事法制审核" in listed.stdout
    # began on the day the Law took effect: 初次从事, the qualification is required
    again = open_profile("rs", PASS, root=data_root)
    try:
        finding = _reviewer_finding(CaseDesk(again), cid, added["id"])
    finally:
        again.close()
    assert finding is not None and finding.blocks
