"""Push against a real hub on loopback: enroll, push the demo cases, the county lists them; the
per-item answers (duplicate, conflict → quarantine, held, rejected) and what each leaves behind."""

from __future__ import annotations

import json
import uuid
from dataclasses import replace

import pytest
from sqlalchemy import select, update

from lishui_desk.edge import CaseDesk, read
from lishui_desk.events import GENESIS_HASH, EventRecord, compute_hash
from lishui_desk.models import CaseEvent, OutboxEntry
from sync import county_cli
from sync.client import state as st
from sync.client.transport import Transport
from sync.client.worker import cases_set_aside, quarantined, requeue, status, sync_now
from sync.hub import service
from tests.sync_support import (
    BACKENDS,
    copy_profile,
    crew,
    enroll,
    hub_event_count,
    hub_events,
    local_events,
    meta,
    open_demo,
    outbox_states,
    running_hub,
)


@pytest.fixture(params=BACKENDS)
def backend(request):
    return request.param


def _county(capsys, hub_root, *argv):
    capsys.readouterr()
    rc = county_cli.main(["--data-dir", str(hub_root), *argv])
    return rc, capsys.readouterr().out


def test_enroll_push_and_the_county_lists_every_case(backend, desk, tmp_path, capsys):
    with running_hub(backend, tmp_path) as server:
        out = enroll(desk, server)
        assert out["township_code"] == "331181100"
        assert status(desk)["pending"] == len(local_events(desk)) > 100
        rep = sync_now(desk, batch_size=50)
        assert rep.accepted == len(local_events(desk)) and rep.batches >= 3
        assert status(desk)["pending"] == 0
        assert hub_events(server) == local_events(desk)  # every event, same hash
        chains = service.verify_all_chains(server.hub)
        assert len(chains) == 20 and all(problems == [] for problems in chains.values())
        # the county's list, through its CLI, with --json after the subcommand
        rc, text = _county(capsys, server.hub.root, "cases", "--json")  # database from the hub's config
        assert rc == 0
        cases = json.loads(text)["cases"]
        with desk.read_session() as s:
            local = {cid: n for cid, n in s.execute(select(CaseEvent.case_id, CaseEvent.seq).order_by(CaseEvent.seq))}
        assert {c["case_id"]: c["event_count"] for c in cases} == local
        assert all(c["chain"] == "ok" for c in cases)
        # the signed receipt's heads are kept as anchors outside the hub
        anchors = meta(desk, "anchors")
        assert {k: v["count"] for k, v in anchors.items()} == local


def test_a_lost_acknowledgement_is_answered_duplicate_and_nothing_doubles(backend, desk, tmp_path):
    with running_hub(backend, tmp_path) as server:
        enroll(desk, server)
        sync_now(desk)
        before = hub_event_count(server)
        with desk.session() as s:  # as if every answer had been lost after the hub committed
            s.execute(update(OutboxEntry).values(state="pending", acked_at=None))
        rep = sync_now(desk)
        assert rep.duplicate == before and rep.accepted == 0
        assert hub_event_count(server) == before
        assert outbox_states(desk) == {"acked": before}


def _lead_cases(prof):
    with prof.read_session() as s:
        from lishui_desk.models import Case

        return [c.id for c in s.scalars(select(Case).where(Case.stage == "lead").order_by(Case.id))]


def _decline(prof, case_id, reason):
    c = crew(prof)
    svc = CaseDesk(prof)
    day = "2026-11-25"
    svc.perform(case_id, "decline_filing", {"declined_on": day, "reason": reason, "approved_by": c["leader"],
                                            "officer_ids": [c["me"], c["colleague"]]})


def test_a_fork_from_a_cloned_desktop_is_quarantined_and_holds_back_only_its_case(backend, desk, tmp_path,
                                                                                 template):
    """Two laptops writing one case make a branch the hub keeps (tests/test_sync_forks.py); a copy
    of the same desktop (the same device on both branches) is not a second officer: quarantined."""
    with running_hub(backend, tmp_path) as server:
        enroll(desk, server)
        sync_now(desk)
        desk.close()
        clone_root = copy_profile(tmp_path / "desk", tmp_path / "clone")  # same device, same record
        clone = open_demo(clone_root)
        desk_ = open_demo(tmp_path / "desk")
        try:
            first, other = _lead_cases(desk_)[:2]
            _decline(desk_, first, "经核查不构成违法（原机）")
            assert sync_now(desk_).accepted == 1
            _decline(clone, first, "经核查不构成违法（克隆机）")  # same predecessor, other content
            _decline(clone, other, "经核查为临时装卸（克隆机）")
            rep = sync_now(clone)
            assert rep.conflict == 1 and rep.accepted == 1  # the other case goes on
            q = quarantined(clone)
            assert len(q) == 1 and q[0]["case_id"] == first and "不衔接" in q[0]["reason"]
            assert "同一设备" in service.list_quarantine(server.hub)[0]["reason"]
            assert status(clone)["quarantined"] == 1
            # a clone is the same device: the case stream does not send it the original's events
            assert cases_set_aside(clone) == []
            # the hub kept it aside, never overwrote the original
            rows = service.list_quarantine(server.hub)
            assert [r["case_id"] for r in rows] == [first]
            assert hub_events(server).items() <= (local_events(desk_) | local_events(clone)).items()
            assert service.verify_all_chains(server.hub)[first] == []
            cases = {c["case_id"]: c for c in service.list_cases(server.hub)}
            assert cases[first]["chain"] == "quarantine" and "fork" in cases[first]["flags"]
            # re-queued, it is answered conflict again (the fork is real); nothing changes at the hub
            requeue(clone, q[0]["id"])
            n = hub_event_count(server)
            assert sync_now(clone).conflict == 1
            assert hub_event_count(server) == n
        finally:
            clone.close()
            desk_.close()


def _event(case_id: str, seq: int, prev: str, **payload) -> EventRecord:
    rec = EventRecord(id=str(uuid.uuid4()), case_id=case_id, seq=seq, type="lead.registered", actor_id="t",
                      occurred_at="2026-11-20T10:00:00+08:00", recorded_at="2026-11-20T10:00:00+08:00",
                      place=None, payload=payload, prev_hash=prev)
    return replace(rec, hash=compute_hash(prev, rec))


def _chain(n: int) -> list[EventRecord]:
    cid, prev, out = str(uuid.uuid4()), GENESIS_HASH, []
    for i in range(1, n + 1):
        out.append(_event(cid, i, prev, n=i))
        prev = out[-1].hash
    return out


def _item(rec: EventRecord) -> dict:
    return {"outbox_id": rec.id, "kind": "case_event",
            "event": {**rec.hashed_fields(), "prev_hash": rec.prev_hash, "hash": rec.hash}}


def _transport(prof) -> Transport:
    s = read(prof, st.load)
    return Transport(s.hub_url, s.device_id, s.device_key, s.hub_public_key)


def test_held_until_the_predecessor_arrives_then_linked_in(backend, desk, tmp_path):
    with running_hub(backend, tmp_path) as server:
        enroll(desk, server)
        chain = _chain(4)
        with _transport(desk) as t:
            ans = t.call("/v1/push", {"items": [_item(chain[2]), _item(chain[3])]}, compress=True)
            assert [r["status"] for r in ans["results"]] == ["held", "held"]
            assert all(r["recoverable"] for r in ans["results"])
            assert hub_event_count(server) == 0
            ans = t.call("/v1/push", {"items": [_item(chain[0]), _item(chain[1])]}, compress=True)
            assert [r["status"] for r in ans["results"]] == ["accepted", "accepted"]
            assert ans["receipt"]["heads"] == [{"case_id": chain[0].case_id, "count": 4, "hash": chain[3].hash}]
            # re-sent, the held ones are now known
            ans = t.call("/v1/push", {"items": [_item(chain[2]), _item(chain[3])]}, compress=True)
            assert [r["status"] for r in ans["results"]] == ["duplicate", "duplicate"]
        assert hub_event_count(server) == 4


def test_same_id_other_content_is_a_conflict_and_a_bad_hash_is_rejected(backend, desk, tmp_path):
    with running_hub(backend, tmp_path) as server:
        enroll(desk, server)
        chain = _chain(2)
        with _transport(desk) as t:
            t.call("/v1/push", {"items": [_item(c) for c in chain]}, compress=True)
            other = replace(chain[1], payload={"n": 99})
            other = replace(other, hash=compute_hash(other.prev_hash, other))  # validly hashed, other content
            tampered = _item(chain[1])
            tampered["event"]["payload"] = {"n": 3}  # hash no longer matches
            ans = t.call("/v1/push", {"items": [_item(other), tampered, {"outbox_id": "x", "kind": "case_event",
                                                                          "event": {"id": 5}}]}, compress=True)
        statuses = [(r["status"], r["recoverable"]) for r in ans["results"]]
        assert statuses == [("conflict", False), ("rejected", False), ("rejected", False)]
        assert "哈希不符" in ans["results"][1]["reason"]
        assert hub_events(server) == {c.id: c.hash for c in chain}  # never overwritten
        rows = service.list_quarantine(server.hub)
        assert len(rows) == 1 and rows[0]["reason_code"] == "conflict"
        # reprocessing cannot link a conflicting event in: it stays quarantined
        with server.hub.session() as s:
            from sync.hub.ingest import reprocess

            assert reprocess(s) == [(rows[0]["id"], "conflict")]
        assert len(service.list_quarantine(server.hub)) == 1


def test_one_sync_at_a_time_per_profile(desk, tmp_path):
    from lishui_desk.errors import DeskError
    from sync.client.lock import sync_lock

    with running_hub("sqlite", tmp_path) as server:
        enroll(desk, server)
        with sync_lock(desk.paths.root), pytest.raises(DeskError, match="正在同步"):
            sync_now(desk)
        assert status(desk)["acked"] == 0
