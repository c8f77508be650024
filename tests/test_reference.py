"""Reference data in the profile: one way in (``reference.apply_batch``), validated as a whole,
versioned, rollback-protected; the engine reads the policy and calendar in force from the profile."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from lishui_desk.edge import create_profile
from lishui_desk.errors import InvalidInput
from lishui_desk.models import ReferenceVersion
from lishui_desk.policy import DEFAULT_PATH
from lishui_desk.services import reference
from lishui_desk.services.context import engine_context
from lishui_desk.services.setup import OfficerSpec
from lishui_desk.storage.profile import open_profile
from lishui_desk.unit_of_work import unit_of_work

PASS = "correct horse battery"
TOWN = "331181100"
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def prof(data_root, fast_kdf):
    p = create_profile("ref", PASS, root=data_root, township_code=TOWN, officer=OfficerSpec("王建", "ZJ-1"),
                       kdf_params=fast_kdf)
    yield p
    p.close()


def _policy(lead_days: int) -> dict:
    body = json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))
    body = copy.deepcopy(body)
    body["fields"]["lead_filing_days"]["value"] = lead_days
    body["policy_version"] = f"县级-{lead_days}"
    return body


def _calendar(year: int, holidays: list[str]) -> dict:
    return {"year": year, "holidays": holidays, "workdays": [], "source": "国办发明电〔示例〕", "status": "县级下发"}


def _versions(p, stream: str) -> list[tuple[str, int]]:
    with p.read_session() as s:
        return list(s.execute(select(ReferenceVersion.key, ReferenceVersion.version)
                              .where(ReferenceVersion.stream == stream).order_by(ReferenceVersion.id)))


def test_a_new_profile_holds_the_bundled_policy_and_catalog_through_the_one_way_in(prof):
    assert _versions(prof, "policy") == [("policy", 1)]
    assert _versions(prof, "catalog") == [(TOWN, 1)]
    with unit_of_work(prof, write=False) as uow:
        ctx = engine_context(uow.session, uow.today, TOWN)
        assert ctx.policy.lead_filing_days == 15
        assert reference.stream_cursor(uow, "policy") is None


def test_a_batch_with_an_invalid_third_item_writes_nothing_and_keeps_the_cursor(prof):
    with unit_of_work(prof) as uow:
        reference.apply_batch(uow, "calendar", [{"key": "2031", "version": 1, "body": _calendar(2031, [])}], "c-1")
    bad = _calendar(2033, ["2033-13-01"])  # no 13th month
    items = [{"key": "2032", "version": 1, "body": _calendar(2032, ["2032-10-01"])},
             {"key": "2031", "version": 2, "body": _calendar(2031, ["2031-10-01"])},
             {"key": "2033", "version": 1, "body": bad}]
    with pytest.raises(InvalidInput, match="工作日历第3项"), unit_of_work(prof) as uow:
        reference.apply_batch(uow, "calendar", items, "c-2")
    assert _versions(prof, "calendar") == [("2031", 1)]
    with unit_of_work(prof, write=False) as uow:
        assert reference.stream_cursor(uow, "calendar") == "c-1"
    items[2] = {"key": "2033", "version": 1, "body": _calendar(2033, ["2033-10-01"])}
    with unit_of_work(prof) as uow:
        result = reference.apply_batch(uow, "calendar", items, "c-2")
    assert (result.applied, result.unchanged) == (3, 0)
    with unit_of_work(prof, write=False) as uow:
        assert reference.stream_cursor(uow, "calendar") == "c-2"
        cal = reference.calendar(uow.session)
    assert cal.is_holiday(date(2031, 10, 1)) and cal.covers(date(2033, 6, 1))


def test_an_older_version_or_a_changed_published_version_is_refused(prof):
    with unit_of_work(prof) as uow:
        reference.apply_batch(uow, "policy", [
            {"key": "policy", "version": 2, "effective_from": "2027-01-01", "body": _policy(10)}], "p-2")
    with pytest.raises(InvalidInput, match="早于本机已有的第2版"), unit_of_work(prof) as uow:
        reference.apply_batch(uow, "policy", [
            {"key": "policy", "version": 1, "effective_from": "2000-01-01", "body": _policy(30)}], "p-old")
    with pytest.raises(InvalidInput, match="不得修改"), unit_of_work(prof) as uow:
        reference.apply_batch(uow, "policy", [
            {"key": "policy", "version": 2, "effective_from": "2027-01-01", "body": _policy(12)}], "p-x")
    with unit_of_work(prof) as uow:  # the same version again is harmless
        again = reference.apply_batch(uow, "policy", [
            {"key": "policy", "version": 2, "effective_from": "2027-01-01", "body": _policy(10)}], "p-2")
    assert (again.applied, again.unchanged) == (0, 1)
    assert _versions(prof, "policy") == [("policy", 1), ("policy", 2)]


def test_a_policy_version_applies_from_its_effective_date(prof):
    d = date(2027, 3, 1)
    with unit_of_work(prof) as uow:
        reference.apply_batch(uow, "policy", [
            {"key": "policy", "version": 2, "effective_from": d.isoformat(), "body": _policy(10)}], "p-2")
    for day, expected in ((d - timedelta(days=1), 15), (d, 10), (d + timedelta(days=400), 10)):
        with unit_of_work(prof, write=False, today=day) as uow:
            assert engine_context(uow.session, uow.today, TOWN).policy.lead_filing_days == expected, day


def test_a_new_lead_gets_its_filing_deadline_from_the_policy_in_force(prof):
    from lishui_desk.edge import CaseDesk
    from lishui_desk.identity import resident_id_check_char

    day = date(2026, 11, 26)
    lead = {"lead_on": day.isoformat(), "source": "巡查发现", "summary": "主街堆放木料",
            "item_code": "331101003000", "violation_date": day.isoformat(),
            "party": {"kind": "individual", "name": "叶建国", "address": "八都村1号",
                      "id_number": "33118119800101120" + resident_id_check_char("33118119800101120")}}
    desk = CaseDesk(prof, today=lambda: day)
    before = {d.key: d.due for d in desk.view(desk.register_lead(lead)).deadlines}
    with unit_of_work(prof) as uow:
        reference.apply_batch(uow, "policy", [
            {"key": "policy", "version": 2, "effective_from": day.isoformat(), "body": _policy(5)}])
    after = {d.key: d.due for d in desk.view(desk.register_lead(lead)).deadlines}
    changed = [k for k in before if before[k] != after.get(k)]
    assert changed and all(after[k] < before[k] for k in changed)


def test_bad_items_are_refused_with_a_chinese_message_naming_the_item(prof):
    cases = [
        ("policy", [{"key": "policy", "version": 2, "body": _policy(10)}], "生效日期"),
        ("policy", [{"key": "policy", "version": 0, "effective_from": "2027-01-01", "body": _policy(10)}], "正整数"),
        ("roster", [{"key": "ZJ-9", "version": 1, "body": {"name": " "}}], "姓名不能为空"),
        ("number_blocks", [{"key": "x", "version": 1, "body": {"township_code": TOWN, "doc_code": "罚决",
                                                              "year": 2027, "first": 5, "last": 1}}], "起止号"),
        ("nonsense", [], "不认识的参考数据类别"),
    ]
    for stream, items, message in cases:
        with pytest.raises(InvalidInput, match=message), unit_of_work(prof) as uow:
            reference.apply_batch(uow, stream, items)
    with prof.read_session() as s:
        assert s.scalar(select(func.count()).select_from(ReferenceVersion)
                        .where(ReferenceVersion.stream != "policy", ReferenceVersion.stream != "catalog")) == 0


def test_roster_and_number_blocks_enter_through_the_same_path(prof):
    from lishui_desk.edge import read
    from lishui_desk.services import numbers, officers

    with unit_of_work(prof) as uow:
        reference.apply_batch(uow, "roster", [{"key": "ZJ-3311-0077", "version": 1, "body": {
            "name": "蓝海", "cert_valid_until": "2030-12-31", "role": "reviewer", "legal_qualification": True}}])
        reference.apply_batch(uow, "number_blocks", [{"key": f"{TOWN}/罚决/2027/501", "version": 1, "body": {
            "township_code": TOWN, "doc_code": "罚决", "year": 2027, "first": 501, "last": 600}}], "nb-1")
    assert "蓝海" in {o.name for o in read(prof, officers.list_officers)}
    with unit_of_work(prof) as uow:
        got = numbers.allocate(uow, TOWN, "罚决", 2027)
    assert (got.seq, got.provisional) == (501, False)


def _cli(data_root, *args):
    env = {**os.environ, "LISHUI_DESK_PASSPHRASE": PASS}
    return subprocess.run([sys.executable, "-m", "lishui_desk.cli", *args, "--data-dir", str(data_root), "--json"],
                          capture_output=True, text=True, env=env, timeout=120)


def test_reference_import_cli_on_a_real_profile(prof, data_root, tmp_path):
    prof.close()
    batch = tmp_path / "policy.json"
    batch.write_text(json.dumps({"stream": "policy", "cursor": "hub-17", "items": [
        {"key": "policy", "version": 2, "effective_from": "2027-01-01", "body": _policy(10)}]}, ensure_ascii=False),
        encoding="utf-8")
    res = _cli(data_root, "reference", "import", str(batch))
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout) == {"stream": "policy", "applied": 1, "unchanged": 0, "cursor": "hub-17"}
    older = tmp_path / "older.json"
    older.write_text(json.dumps({"stream": "policy", "cursor": "hub-1", "items": [
        {"key": "policy", "version": 1, "effective_from": "2000-01-01", "body": _policy(30)}]}, ensure_ascii=False),
        encoding="utf-8")
    res = _cli(data_root, "reference", "import", str(older))
    assert res.returncode == 2 and "防回滚" in json.loads(res.stderr)["message"]
    listed = json.loads(_cli(data_root, "reference", "list").stdout)
    assert {(r["stream"], r["version"], r["source"]) for r in listed if r["stream"] == "policy"} == {
        ("policy", 1, "bundled"), ("policy", 2, "file")}
    again = open_profile("ref", PASS, root=data_root)
    try:
        with unit_of_work(again, write=False, today=date(2027, 1, 1)) as uow:
            assert reference.stream_cursor(uow, "policy") == "hub-17"
            assert engine_context(uow.session, uow.today, TOWN).policy.lead_filing_days == 10
    finally:
        again.close()


def test_a_county_catalog_version_enters_through_the_same_path_and_applies_from_its_date(prof):
    from lishui_desk import catalog_data
    from lishui_desk.services import catalog

    body = json.loads(catalog_data.catalog_path(TOWN).read_text(encoding="utf-8"))
    body = {**body, "version": "2027.1", "effective_from": "2027-01-01", "items": body["items"][:5]}
    item = {"key": TOWN, "version": 2, "effective_from": "2027-01-01", "body": body}
    with unit_of_work(prof) as uow:
        reference.apply_batch(uow, "catalog", [item], "cat-2")
    with unit_of_work(prof, write=False, today=date(2026, 12, 31)) as uow:
        assert catalog.current_version(uow)["version"] != "2027.1"
    with unit_of_work(prof, write=False, today=date(2027, 1, 1)) as uow:
        assert catalog.current_version(uow)["version"] == "2027.1"
        assert len(catalog.search(uow, "", include_withdrawn=True)) == 5
    relabelled = {**item, "version": 3, "body": {**body, "items": body["items"][:4]}}
    with pytest.raises(InvalidInput, match="已存在"), unit_of_work(prof) as uow:
        reference.apply_batch(uow, "catalog", [relabelled], "cat-3")
    assert _versions(prof, "catalog") == [(TOWN, 1), (TOWN, 2)]


def test_reference_import_of_a_bad_definition_is_refused_by_the_forms_check(prof, data_root, tmp_path):
    from forms.loader import get_definition

    current = get_definition("case_filing")
    body = {**copy.deepcopy(current.raw), "version": current.version + 1}
    bad = copy.deepcopy(body)
    bad["blocks"].append({"kind": "note", "text": "当事人：{party.nickname}"})  # not in the context
    bad["version"] = current.version + 2
    prof.close()
    batch = tmp_path / "defs.json"
    batch.write_text(json.dumps({"stream": "definitions", "cursor": "d-1", "items": [
        {"key": "case_filing", "version": body["version"], "body": body},
        {"key": "case_filing", "version": bad["version"], "body": bad}]}, ensure_ascii=False), encoding="utf-8")
    res = _cli(data_root, "reference", "import", str(batch))
    assert res.returncode == 2, res.stderr
    message = json.loads(res.stderr)["message"]
    assert "执法文书定义第2项" in message and "party.nickname" in message
    listed = json.loads(_cli(data_root, "reference", "list").stdout)
    assert not [r for r in listed if r["stream"] == "definitions"]  # the good first item was not written either
    batch.write_text(json.dumps({"stream": "definitions", "cursor": "d-1", "items": [
        {"key": "case_filing", "version": body["version"], "body": body}]}, ensure_ascii=False), encoding="utf-8")
    res = _cli(data_root, "reference", "import", str(batch))
    assert res.returncode == 0 and json.loads(res.stdout)["applied"] == 1, res.stderr
