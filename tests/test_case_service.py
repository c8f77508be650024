"""Case services on a real encrypted profile: the same path the GUI and CLI take."""

from __future__ import annotations

from datetime import date

import pytest
import sqlcipher3
from PIL import Image

from lishui_desk.edge import CaseDesk, create_profile, read
from lishui_desk.errors import InvalidInput, RuleViolation
from lishui_desk.services.integrity import check_profile
from lishui_desk.services.setup import OfficerSpec, add_officer

TODAY = date(2026, 11, 2)
STACKING = "331101003000"  # 街道两侧堆放物料 (八都镇)
PARTY = {"kind": "individual", "name": "叶建国", "id_number": "11010519491231002X", "address": "龙泉市八都镇八都村12号"}


@pytest.fixture
def env(data_root, fast_kdf):
    prof = create_profile("p", "correct horse battery", root=data_root, township_code="331181100",
                          officer=OfficerSpec("王建", "ZJ-3311-0001", date(2030, 1, 1)), kdf_params=fast_kdf)
    with prof.session() as s:
        li = add_officer(s, "331181100", OfficerSpec("李明", "ZJ-3311-0002", date(2030, 1, 1)))
        lead = add_officer(s, "331181100", OfficerSpec("周卫东", "ZJ-3311-0009", date(2030, 1, 1), role="leader"))
        ids = {"me": prof.officer_id, "li": li.id, "leader": lead.id}
    yield prof, CaseDesk(prof, today=lambda: TODAY), ids
    prof.close()


def _lead(svc) -> str:
    return svc.register_lead({"lead_on": "2026-10-30", "source": "巡查发现", "summary": "主街堆放木料",
                              "item_code": STACKING, "party": PARTY, "violation_date": "2026-10-30"})


def _file(svc, cid, ids, officers=None):
    return svc.perform(cid, "file_case", {
        "filed_on": "2026-10-31", "item_code": STACKING, "violation_date": "2026-10-30",
        "facts": "在主街两侧堆放木料约6平方米", "officer_ids": officers or [ids["me"], ids["li"]],
        "approved_by": ids["leader"]})


def test_filing_assigns_a_case_number_from_the_block_and_chains_events(env):
    prof, svc, ids = env
    cid = _lead(svc)
    _file(svc, cid, ids)
    cid2 = _lead(svc)
    _file(svc, cid2, ids)
    v1, v2 = svc.view(cid), svc.view(cid2)
    assert v1.summary["case_number"] == "龙八综执立〔2026〕第1号"
    assert v2.summary["case_number"] == "龙八综执立〔2026〕第2号"
    assert [e.seq for e in v1.events] == [1, 2] and v1.chain_ok
    assert v1.events[1].prev_hash == v1.events[0].hash
    assert v1.summary["stage_label"] == "立案"
    assert v1.summary["party_name"] == "叶建国"


def test_refusal_names_rule_and_article_and_writes_nothing(env):
    prof, svc, ids = env
    cid = _lead(svc)
    with pytest.raises(RuleViolation) as info:
        _file(svc, cid, ids, officers=[ids["me"]])  # one officer only
    rules = {v.rule_id: v.article for v in info.value.violations}
    assert "officers.two_certified" in rules and "第四十二条" in rules["officers.two_certified"]
    assert "第四十二条" in info.value.message
    assert len(svc.view(cid).events) == 1  # the refused step left no event


def test_projection_is_rebuilt_from_events(env):
    prof, svc, ids = env
    cid = _lead(svc)
    _file(svc, cid, ids)
    from lishui_desk.models import Case

    with prof.session() as s:
        row = s.get(Case, cid)
        row.stage_label, row.party_name = "乱改", "某某"
    svc.rebuild_projection(cid)
    with prof.read_session() as s:
        row = s.get(Case, cid)
        assert (row.stage_label, row.party_name, row.case_number) == ("立案", "叶建国", "龙八综执立〔2026〕第1号")


def test_evidence_file_is_encrypted_recorded_and_checked(env, tmp_path):
    prof, svc, ids = env
    cid = _lead(svc)
    _file(svc, cid, ids)
    photo = tmp_path / "现场照片.png"
    Image.new("RGB", (64, 48), (200, 30, 30)).save(photo)
    ev_id = svc.add_evidence_file(cid, photo, "视听资料", "现场照片，证明堆放位置", place="八都村主街")
    view = svc.view(cid)
    assert [e.description for e in view.evidence] == ["现场照片，证明堆放位置"]
    stored = prof.evidence.path_of(view.evidence[0].blob_id)
    assert photo.read_bytes()[:8] not in stored.read_bytes()  # not in the clear
    out = svc.export_evidence(ev_id, tmp_path / "out.png")
    assert out.read_bytes() == photo.read_bytes()
    assert read(prof, check_profile).ok
    data = bytearray(stored.read_bytes())
    data[-20] ^= 0xFF
    stored.write_bytes(bytes(data))
    report = read(prof, check_profile)
    assert [p.kind for p in report.problems] == ["evidence"]
    assert "现场照片" in report.problems[0].message


def test_tampered_event_found_by_check_names_case_and_event(env):
    prof, svc, ids = env
    cid = _lead(svc)
    _file(svc, cid, ids)
    target = svc.view(cid).events[1]
    prof.engine.dispose()
    con = sqlcipher3.connect(str(prof.paths.db))
    con.execute(f"PRAGMA key = \"x'{prof.data_key.hex()}'\"")
    con.execute("DROP TRIGGER case_events_no_update")
    con.execute("UPDATE case_events SET payload = replace(payload, '6平方米', '1平方米') WHERE id = ?", (target.id,))
    con.commit()
    con.close()
    report = read(prof, check_profile)
    assert len(report.problems) == 1
    p = report.problems[0]
    assert (p.case_number, p.event_id, p.seq) == ("龙八综执立〔2026〕第1号", target.id, 2)
    assert not svc.view(cid).chain_ok


def test_huge_field_refused_clearly(env):
    prof, svc, ids = env
    with pytest.raises(InvalidInput, match="过长"):
        svc.register_lead({"lead_on": "2026-10-30", "source": "巡查发现", "summary": "长" * 50_000,
                           "item_code": STACKING, "party": PARTY})


def test_malformed_id_number_refused_with_field(env):
    prof, svc, ids = env
    bad = {**PARTY, "id_number": "110105194912310021"}
    with pytest.raises(RuleViolation) as info:
        svc.register_lead({"lead_on": "2026-10-30", "source": "巡查发现", "summary": "x",
                           "item_code": STACKING, "party": bad})
    assert "校验码" in info.value.message


def test_item_outside_the_township_catalog_offers_transfer(env):
    prof, svc, ids = env
    vs = []
    try:
        cid = svc.register_lead({"lead_on": "2026-10-30", "source": "群众举报/12345", "summary": "未登记犬只",
                                 "item_code": "331113001000", "party": PARTY, "violation_date": "2026-10-30"})
        vs = svc.view(cid).missing + [v for n in svc.view(cid).next_steps if n.action == "file_case" for v in n.violations]
    except RuleViolation as exc:
        vs = exc.violations
    found = [v for v in vs if v.rule_id == "catalog.item_active"]
    assert found and "移送" in found[0].message and "第二十四条" in found[0].article


def test_case_search_by_substring_id_number_and_case_number(env):
    from lishui_desk.services.queries import CaseFilter, count_cases, list_cases
    from lishui_desk.unit_of_work import unit_of_work

    prof, svc, ids = env
    cid = _lead(svc)
    _file(svc, cid, ids)
    with unit_of_work(prof, write=False) as uow:
        def found(text):
            return [r.id for r in list_cases(uow, CaseFilter(text=text))]

        assert found("叶建国") == [cid]  # trigram index
        assert found("建国") == [cid]  # two characters: LIKE fallback
        assert found("11010519491231002x") == [cid]  # ID number, exact, case-insensitive X
        assert found("〔2026〕第1号") == [cid]
        assert found("堆放物料") == [cid]  # item name substring
        assert found("王五") == [] and count_cases(uow, CaseFilter(text="王五")) == 0


def test_evidence_list_includes_evidence_registered_without_a_file(env, tmp_path):
    prof, svc, ids = env
    cid = _lead(svc)
    _file(svc, cid, ids)
    svc.perform(cid, "add_evidence", {"kind": "书证", "description": "营业执照复印件一份", "collected_on": "2026-11-01"})
    photo = tmp_path / "p.png"
    Image.new("RGB", (8, 8)).save(photo)
    svc.add_evidence_file(cid, photo, "视听资料", "现场照片")
    rows = {r.description: r for r in svc.view(cid).evidence}
    assert set(rows) == {"营业执照复印件一份", "现场照片"}  # the file's own event is not listed twice
    assert rows["营业执照复印件一份"].blob_id is None and rows["现场照片"].blob_id
