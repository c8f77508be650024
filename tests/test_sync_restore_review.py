"""Two field gaps, through a real hub on loopback with real profiles: a county review opinion
recorded on both laptops of a case is one event, not two; a laptop restored from a backup gets the
events it recorded after the backup back from the hub (verified and sealed), without a duplicate 文号."""

from __future__ import annotations

import json
import shutil

import pytest
from sqlalchemy import func, select

from lishui_desk.edge import CaseDesk, read, run
from lishui_desk.models import Case, CaseEvent, OutboxEntry
from lishui_desk.procedure import vocabulary as V
from lishui_desk.services.integrity import check_profile
from lishui_desk.storage import event_store
from sync.client import pull as pull_mod
from sync.client import state as st
from sync.client.transport import Transport
from sync.client.worker import quarantined, sync_now
from sync.hub import refs, service
from sync.hub.models import CaseHead, HubEvent, HubNumber
from tests.sync_support import (
    PASS,
    case_number,
    copy_profile,
    enroll,
    filed_case,
    hub_events,
    local_events,
    open_demo,
    running_hub,
    synced_backup,
)
from tests.sync_support import SYNC_TODAY as TODAY
from ui.models.timeline import TimelineModel

REVIEWED = "龙泉市八都顺达建材有限公司"


def _review_case(prof) -> str:
    with prof.read_session() as s:
        return s.scalars(select(Case.id).where(Case.party_name == REVIEWED, Case.stage == "legal_review")).one()


def _opinions(prof, case_id: str) -> list[str]:
    with prof.read_session() as s:
        return list(s.scalars(select(CaseEvent.id).where(CaseEvent.case_id == case_id,
                                                         CaseEvent.type == V.EV_COUNTY_REVIEW_OPINION)))


def _hub_opinions(server, case_id: str) -> list[str]:
    with server.hub.session() as s:
        return list(s.scalars(select(HubEvent.id).where(HubEvent.case_id == case_id,
                                                        HubEvent.type == V.EV_COUNTY_REVIEW_OPINION)))


def _pull_review_only(prof) -> int:
    """This laptop's pull of the review stream alone, as when both laptops fetch the opinion before
    either has pushed what it recorded."""
    state = read(prof, st.load)
    with Transport(state.hub_url, state.device_id, state.device_key, state.hub_public_key) as t:
        page = t.call("/v1/pull", {"stream": "review", "after": 0, "limit": 50})
    applied, aside = run(prof, pull_mod.apply_page, "review", page, state.hub_public_key, page["hub_epoch"])
    assert aside == 0
    return applied


def test_the_same_county_opinion_recorded_on_both_laptops_of_a_case_is_one_event(template, tmp_path):
    a = open_demo(copy_profile(template, tmp_path / "a"))
    b = open_demo(copy_profile(template, tmp_path / "b"))  # the colleague's laptop, same township
    try:
        with running_hub("sqlite", tmp_path) as server:
            enroll(a, server)
            enroll(b, server)
            sync_now(a)
            sync_now(b)
            case_id = _review_case(a)
            refs.record_review(server.hub, case_id, "同意", "事实清楚，证据确凿，同意处罚", "县司法局法制审核")
            assert _pull_review_only(a) == 1 and _pull_review_only(b) == 1  # both recorded it, offline of each other
            assert _opinions(a, case_id) == _opinions(b, case_id)  # … as the same event
            assert local_events(a) == local_events(b)
            ra, rb = sync_now(a), sync_now(b)
            assert ra.accepted == 1 and rb.duplicate == 1 and rb.conflict == 0  # the hub: one event, seen twice
            sync_now(a)
            for prof in (a, b):
                assert len(_opinions(prof, case_id)) == 1
                assert quarantined(prof) == [] and read(prof, check_profile).ok
                view = CaseDesk(prof, today=lambda: TODAY).view(case_id)
                assert sum(1 for e in view.events if e.type == V.EV_COUNTY_REVIEW_OPINION) == 1
            assert len(_hub_opinions(server, case_id)) == 1
            assert local_events(a) == local_events(b) == hub_events(server)
            # a later sync of either laptop pulls nothing that records it again
            assert sync_now(b).pulled.get("review", 0) == 0 and len(_opinions(b, case_id)) == 1
    finally:
        a.close()
        b.close()


def test_one_laptop_records_the_opinion_the_other_receives_that_event_and_does_not_record_its_own(template, tmp_path):
    a = open_demo(copy_profile(template, tmp_path / "a"))
    b = open_demo(copy_profile(template, tmp_path / "b"))
    try:
        with running_hub("sqlite", tmp_path) as server:
            for prof in (a, b):
                enroll(prof, server)
                sync_now(prof)
            case_id = _review_case(a)
            refs.record_review(server.hub, case_id, "不同意", "证据不足，请补充调查", "县司法局法制审核")
            assert sync_now(a).pulled["review"] == 1
            rep = sync_now(b)
            assert rep.pulled["cases"] == 1 and rep.pushed == 0  # a's event came down; b recorded nothing
            assert _opinions(a, case_id) == _opinions(b, case_id) and len(_opinions(b, case_id)) == 1
            assert len(_hub_opinions(server, case_id)) == 1 and read(b, check_profile).ok
    finally:
        a.close()
        b.close()


def _new_case(prof) -> tuple[str, str]:
    cid = filed_case(prof)
    return cid, case_number(prof, cid)


def _acked(prof) -> int:
    with prof.read_session() as s:
        return s.scalar(select(func.count()).select_from(OutboxEntry).where(OutboxEntry.state == "acked")) or 0


def test_a_restored_laptop_gets_back_the_events_it_recorded_after_the_backup(template, tmp_path, monkeypatch,
                                                                              capsys):
    """The program's own backup and restore: record on the laptop, sync, restore the earlier backup,
    sync — the events are back, ``check`` is clean, no 文号 twice."""
    from lishui_desk import cli as desk_cli

    monkeypatch.setenv("LISHUI_DESK_PASSPHRASE", PASS)
    with running_hub("sqlite", tmp_path) as server:
        root, archive = synced_backup(template, tmp_path, server, capsys)

        prof = open_demo(root)
        cid, printed = _new_case(prof)  # recorded after the backup …
        sync_now(prof)  # … and reached the county
        with prof.read_session() as s:
            recorded = {e.id: e.hash for e in event_store.load_events(s, cid)}
        before, acked_before = local_events(prof), _acked(prof)
        prof.close()

        assert desk_cli.main(["restore", archive, "--data-dir", str(root)]) == 0, capsys.readouterr().err
        prof = open_demo(root)
        try:
            assert not set(recorded) & set(local_events(prof))  # lost here
            rep = sync_now(prof)
            assert rep.own_events_missing == len(recorded) and rep.own_events_restored == len(recorded)
            assert local_events(prof) == before  # every event back, each by id and hash
            with prof.read_session() as s:
                case = s.get(Case, cid)
                assert case is not None and case.case_number == printed and case.event_count == len(recorded)
            assert _acked(prof) == acked_before and rep.pushed == 0  # acknowledged again, not pushed again
        finally:
            prof.close()
        capsys.readouterr()
        code = desk_cli.main(["check", "--json", "--data-dir", str(root)])
        assert code == 0, capsys.readouterr().out  # verified and sealed as the record's own
        prof = open_demo(root)
        try:
            again_cid, again = _new_case(prof)  # numbering goes on past the restored case's number
            assert again != printed
            rep = sync_now(prof)
            assert rep.own_events_missing == 0 and rep.own_events_restored == 0  # pulled back once only
            assert quarantined(prof) == [] and read(prof, check_profile).ok
            with server.hub.session() as s:
                numbers = list(s.scalars(select(HubNumber.number)))
            assert len(numbers) == len(set(numbers)) and {printed, again} <= set(numbers)
        finally:
            prof.close()


def test_two_copies_of_one_county_opinion_on_diverged_records_count_once(template, tmp_path):
    """When the laptops' records had diverged before each recorded the opinion, the copies differ
    in their place in the chain; the case still counts the opinion once (by the opinion's id)."""
    from lishui_desk.procedure.state import fold
    from lishui_desk.storage.event_store import NewEvent, build_records

    prof = open_demo(copy_profile(template, tmp_path / "a"))
    try:
        case_id = _review_case(prof)
        with prof.read_session() as s:
            evs = event_store.load_events(s, case_id)
        opinion = {"result": V.REVIEW_APPROVED, "county_result": "同意", "reasons": "同意处罚",
                   "reviewed_on": "2026-11-25", "reviewer": "县司法局法制审核", "hub_ref": f"{case_id}/1"}
        other = {**opinion, "hub_ref": f"{case_id}/2"}
        twice = build_records(case_id, "county:x", len(evs), evs[-1].hash,
                              [NewEvent(V.EV_COUNTY_REVIEW_OPINION, opinion), NewEvent(V.EV_COUNTY_REVIEW_OPINION, opinion),
                               NewEvent(V.EV_COUNTY_REVIEW_OPINION, other)])
        assert len(fold(evs).review_opinions) == 0
        assert [r.get("hub_ref") for r in fold(evs + twice).review_opinions] == [f"{case_id}/1", f"{case_id}/2"]
    finally:
        prof.close()


def test_a_restored_copy_whose_outbox_outnumbers_its_events_at_the_hub_still_gets_them_back(template, tmp_path):
    """A laptop whose own pushes were mostly answered "duplicate" (its profile began as a copy of
    a colleague's) holds more outbox entries than the hub has events from it: the count alone would
    hide the loss; the per-case position it last wrote at the hub does not."""
    a = open_demo(copy_profile(template, tmp_path / "a"))
    root = copy_profile(template, tmp_path / "b")
    pdir = root / "profiles" / "demo"
    try:
        with running_hub("sqlite", tmp_path) as server:
            enroll(a, server)
            sync_now(a)
            b = open_demo(root)
            enroll(b, server)
            assert sync_now(b).duplicate > 0  # every demo event was a's first
            b.close()
            shutil.copytree(pdir, tmp_path / "backup")
            b = open_demo(root)
            cid, printed = _new_case(b)
            sync_now(b)
            before = local_events(b)
            b.close()
            shutil.rmtree(pdir)
            shutil.copytree(tmp_path / "backup", pdir)
            b = open_demo(root)
            try:
                rep = sync_now(b)
                assert rep.own_events_missing > 0 and rep.own_events_restored == len(before) - len(local_events(a))
                assert local_events(b) == before and read(b, check_profile).ok
                assert sync_now(b).own_events_missing == 0
            finally:
                b.close()
    finally:
        a.close()


@pytest.mark.parametrize("first", ["ahead", "behind"])
def test_one_opinion_recorded_on_laptops_whose_records_differ_converges_without_a_fork(template, tmp_path, first,
                                                                                         qapp):
    """Laptop a recorded a step the other has not seen, then both record the county opinion: the
    two copies sit at two places of the chain (two ids). Both reach the hub (nothing set aside),
    the copy alone on its branch is no head, so no case is flagged forked anywhere, the opinion
    counts once, and the next step goes on after the officers' steps on either laptop."""
    a = open_demo(copy_profile(template, tmp_path / "a"))
    b = open_demo(copy_profile(template, tmp_path / "b"))
    try:
        with running_hub("sqlite", tmp_path) as server:
            for prof in (a, b):
                enroll(prof, server)
                sync_now(prof)
            case_id = _review_case(a)
            CaseDesk(a, today=lambda: TODAY).perform(case_id, "add_evidence", {
                "kind": "书证", "description": "补充的销售单据", "collected_on": "2026-11-25"})
            refs.record_review(server.hub, case_id, "同意", "事实清楚，证据确凿，同意处罚", "县司法局法制审核")
            assert _pull_review_only(a) == 1 and _pull_review_only(b) == 1
            assert len(set(_opinions(a, case_id)) | set(_opinions(b, case_id))) == 2  # two copies, two ids
            order = (a, b) if first == "ahead" else (b, a)
            reports = [sync_now(p) for p in order + order]
            assert sum(r.conflict for r in reports) == 0
            for prof in (a, b):
                assert quarantined(prof) == [] and read(prof, check_profile).ok
                with prof.read_session() as s:
                    assert "fork" not in (s.get(Case, case_id).flags or [])
                view = CaseDesk(prof, today=lambda: TODAY).view(case_id)
                assert sum(1 for e in view.events if e.type == V.EV_COUNTY_REVIEW_OPINION) == 1
                assert len(view.state.review_opinions) == 1
                assert any(e.type == V.EV_EVIDENCE for e in view.events)  # a's step is in the folded record
                [copy] = [e for e in view.aside_events if e.type == V.EV_COUNTY_REVIEW_OPINION]
                assert view.copy_event_ids == {copy.id}
                timeline = TimelineModel()  # the 全过程记录 tab marks it as a copy, not as a branch set aside
                timeline.set_events(view.events, view.officer_names, set(), view.aside_events, False,
                                    view.copy_event_ids)
                texts = [timeline.data(timeline.index(r, 2)) for r in range(timeline.rowCount())]
                assert sum("此份不重复计入" in x for x in texts) == 1 and not any("未采用的分支" in x for x in texts)
            assert local_events(a) == local_events(b) == hub_events(server)  # nothing lost: both copies kept
            assert len(_hub_opinions(server, case_id)) == 2
            with server.hub.session() as s:
                head = s.get(CaseHead, case_id)
                assert "fork" not in json.loads(head.flags) and len(json.loads(head.heads)) == 1
            assert service.verify_all_chains(server.hub)[case_id] == []
            CaseDesk(b, today=lambda: TODAY).perform(case_id, "add_evidence", {
                "kind": "书证", "description": "当事人的营业执照复印件", "collected_on": "2026-11-26"})
            assert sync_now(b).accepted == 1 and sync_now(a).pulled["cases"] == 1
            assert local_events(a) == local_events(b) == hub_events(server)
            assert read(a, check_profile).ok and read(b, check_profile).ok
    finally:
        a.close()
        b.close()
