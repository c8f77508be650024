"""公示 records are redacted: masked name and ID number for individuals, no phone or address."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from lishui_desk.edge import CaseDesk, build_demo, read
from lishui_desk.errors import InvalidInput
from lishui_desk.models import Case
from lishui_desk.services.disclosure import build_record, needs_publication
from lishui_desk.storage.profile import open_profile


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from lishui_desk.crypto.keyring import KdfParams

    root = tmp_path_factory.mktemp("disc")
    build_demo("demo", "lishui-demo-2026", root=root, kdf_params=KdfParams(8192, 1, 1))
    prof = open_profile("demo", "lishui-demo-2026", root=root)
    yield prof
    prof.close()


def _case(prof, party: str, stage: str) -> str:
    with prof.read_session() as s:
        return s.scalars(select(Case.id).where(Case.party_name == party, Case.stage == stage)).first()


def test_individual_record_is_masked_and_has_no_contact_data(demo):
    svc = CaseDesk(demo)
    cid = _case(demo, "周秀英", "execution")
    assert read(svc.profile, needs_publication, cid)
    rec = read(svc.profile, build_record, cid).as_dict()
    assert rec["party"] == "周*英"
    assert rec["party_code"].startswith("331") and "*" in rec["party_code"]
    assert "周秀英" not in str(rec) and "八都村44号" not in str(rec) and "138" not in str(rec)
    assert rec["penalty"] == "罚款（罚款人民币550.00元）"
    assert rec["agency"] == "龙泉市八都镇人民政府" and rec["publish_by"]


def test_organisation_keeps_its_name_and_credit_code(demo):
    rec = read(demo, build_record, _case(demo, "龙泉市八都镇老街餐饮店", "execution"))
    assert rec.party == "龙泉市八都镇老街餐饮店" and rec.party_code.startswith("91331181")


def test_no_record_before_a_decision(demo):
    with pytest.raises(InvalidInput, match="第四十八条"):
        read(demo, build_record, _case(demo, "叶建国", "notified"))


def test_dashboard_lists_disclosures_due_and_deadline_articles(demo):
    from lishui_desk.services.queries import dashboard

    d = read(demo, dashboard)
    due = {r.party_name for r in d.disclosure_due}
    assert {"周秀英", "龙泉市八都镇老街餐饮店"} <= due  # decided, not yet published
    assert "叶建国" not in due  # his decided case was published before closing
    assert all(r.next_deadline_article and "第" in r.next_deadline_article for r in d.overdue + d.due_soon)


def test_case_list_names_transferred_items_and_numbers_summary_cases(demo):
    from lishui_desk.services.queries import CaseFilter, list_cases

    rows = read(demo, list_cases, CaseFilter(), 0, 100)
    transferred = [r for r in rows if r.stage == "transferred"]
    assert transferred and all("养犬" in (r.item_name or "") for r in transferred)
    summary = [r for r in rows if r.stage_label in ("当场处罚", "结案") and r.case_number and "当罚" in r.case_number]
    assert len(summary) == 2
