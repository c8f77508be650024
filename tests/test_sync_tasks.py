"""County tasks (交办): ``lishui-county task assign`` → the township's desktop registers a lead
(source 上级交办) through the core's case service when it syncs — once, even after a re-pull; a task
given to one device reaches that device only; bad input is refused and publishes nothing."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from lishui_desk.edge import read
from lishui_desk.models import Case, CaseEvent
from lishui_desk.services.integrity import check_profile
from sync import county_cli
from sync.client import state as st
from sync.client.worker import sync_now
from sync.hub import service
from sync.hub.models import RefItem
from tests.sync_support import BACKENDS, copy_profile, enroll, open_demo, running_hub


@pytest.fixture(params=BACKENDS)
def backend(request):
    return request.param


def _county(capsys, root, *argv):
    capsys.readouterr()
    rc = county_cli.main(["--data-dir", str(root), *argv])
    out = capsys.readouterr()
    return rc, (json.loads(out.out) if rc == 0 else out.err)


def _assigned_leads(prof) -> list[dict]:
    with prof.read_session() as s:
        rows = s.execute(select(Case.id, CaseEvent.payload).join(CaseEvent, CaseEvent.case_id == Case.id)
                         .where(CaseEvent.seq == 1)).all()
    leads = [(cid, json.loads(p) if isinstance(p, str) else p) for cid, p in rows]
    return [{"case_id": cid, **p} for cid, p in leads if p.get("source") == "上级交办"]


def test_a_county_task_becomes_one_lead_on_the_device_it_was_given_to(backend, template, tmp_path, capsys):
    a, b = open_demo(copy_profile(template, tmp_path / "a")), open_demo(copy_profile(template, tmp_path / "b"))
    try:
        with running_hub(backend, tmp_path) as server:
            enroll(a, server)
            enroll(b, server)
            root = server.hub.root
            demo = {x["summary"] for x in _assigned_leads(a)}  # the demo's own 上级交办 lead
            rc, town_task = _county(capsys, root, "task", "assign", "--township", "331181100", "--summary",
                                    "12345 工单：新华街 18 号占道经营", "--place", "新华街 18 号", "--json")
            assert rc == 0
            rc, one = _county(capsys, root, "task", "assign", "--township", "331181100", "--summary",
                              "县局督查发现：河道旁违规堆放建筑垃圾", "--device", read(a, st.get, "device_id")[:8],
                              "--assigned-by", "县综合行政执法局督查科", "--json")
            assert rc == 0
            # refused, saying why, publishing nothing
            with server.hub.session() as s:
                before = s.scalar(select(func.count()).select_from(RefItem).where(RefItem.stream == "tasks"))
            rc, err = _county(capsys, root, "task", "assign", "--township", "331181999", "--summary", "x")
            assert rc == 2 and "没有乡镇 331181999" in err
            rc, err = _county(capsys, root, "task", "assign", "--township", "331181100", "--summary", "x",
                              "--lead-on", "2026-13-01")
            assert rc == 2 and "不是日期" in err
            with server.hub.session() as s:
                assert s.scalar(select(func.count()).select_from(RefItem).where(RefItem.stream == "tasks")) == before
            rep = sync_now(a)
            assert rep.pulled["tasks"] == 2 and rep.pending == 0  # the new leads went up in the same sync
            sync_now(b)
            assert {x["summary"] for x in _assigned_leads(a)} - demo == {
                "县综合行政执法局督查科交办：县局督查发现：河道旁违规堆放建筑垃圾",
                "县综合行政执法局交办：12345 工单：新华街 18 号占道经营"}
            # b registered the township's task itself; the task given to a reaches b only as a's case,
            # replicated through the township's case stream (same case id), never registered by b
            assert {x["summary"] for x in _assigned_leads(b)} - demo == {
                "县综合行政执法局督查科交办：县局督查发现：河道旁违规堆放建筑垃圾",
                "县综合行政执法局交办：12345 工单：新华街 18 号占道经营"}
            a_only = {x["case_id"] for x in _assigned_leads(a) if "督查科" in x["summary"]}
            assert len(a_only) == 1
            assert {x["case_id"] for x in _assigned_leads(b) if "督查科" in x["summary"]} == a_only
            lead = next(x for x in _assigned_leads(a) if "新华街" in x["summary"])
            assert lead["lead_on"] == town_task["lead_on"]
            with a.read_session() as s:
                case = s.get(Case, lead["case_id"])
                assert (case.stage, case.case_number) == ("lead", None)
            assert one["task_id"]
            service.renew_epoch(server.hub)  # a hub restored from a backup: every stream pulled again
            sync_now(a)
            assert len(_assigned_leads(a)) == len(demo) + 2  # recognised, not registered twice
        from lishui_desk.unit_of_work import unit_of_work

        with unit_of_work(a, write=False) as uow:
            assert check_profile(uow).problems == []
    finally:
        a.close()
        b.close()
