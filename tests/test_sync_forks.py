"""Two laptops, one case (real hub on loopback, real SQLCipher profiles): both officers write the
same case offline, both sync; each laptop ends with both branches, the case is flagged at both
ends and at the hub and takes no new step; a named person resolves the fork on one laptop, the
other pulls the resolution, the flag clears everywhere and steps are allowed again. ``check``
is clean on both, and an edited branch event is still found."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select, text

from lishui_desk import forks, graph
from lishui_desk.crypto.keyring import KdfParams
from lishui_desk.edge import CaseDesk, read, run
from lishui_desk.errors import InvalidInput, RuleViolation
from lishui_desk.models import Case, Officer
from lishui_desk.services.integrity import check_profile
from lishui_desk.storage import event_store
from sync.client.worker import status, sync_now
from sync.hub import service
from sync.hub.models import CaseHead
from tests.sync_support import (
    BACKENDS,
    copy_profile,
    crew,
    enroll,
    hub_events,
    local_events,
    open_demo,
    running_hub,
)

FAST = KdfParams(memory_cost=8192, iterations=1, lanes=1)


def _lead(prof) -> str:
    with prof.read_session() as s:
        return s.scalars(select(Case.id).where(Case.stage == "lead").order_by(Case.id)).first()


def _decline(prof, case_id: str, reason: str) -> None:
    c = crew(prof)
    CaseDesk(prof).perform(case_id, "decline_filing", {
        "declined_on": "2026-11-25", "reason": reason, "approved_by": c["leader"],
        "officer_ids": [c["me"], c["colleague"]]})


def _flags(prof, case_id: str) -> list[str]:
    with prof.read_session() as s:
        return list(s.get(Case, case_id).flags or [])


def _hub_head(server, case_id: str) -> tuple[list[str], int]:
    with server.hub.session() as s:
        h = s.get(CaseHead, case_id)
        return json.loads(h.flags), len(json.loads(h.heads))


def _other_role(prof, role: str) -> str:
    with prof.read_session() as s:
        found = s.scalars(select(Officer.id).where(Officer.role == role)).first()
    assert found is not None
    return found


def _county_cases(capsys, server) -> str:
    from sync import county_cli

    capsys.readouterr()
    assert county_cli.main(["--data-dir", str(server.hub.root), "cases"]) == 0
    return capsys.readouterr().out


def test_a_case_forked_on_two_laptops_is_kept_flagged_blocked_and_resolved(template, tmp_path, capsys):
    a = open_demo(copy_profile(template, tmp_path / "a"))
    b = open_demo(copy_profile(template, tmp_path / "b"))  # the colleague's laptop, same township
    try:
        with running_hub("sqlite", tmp_path) as server:
            enroll(a, server)
            enroll(b, server)
            sync_now(a)
            sync_now(b)
            case_id = _lead(a)
            # both laptops offline: each officer records the case's next step
            _decline(a, case_id, "经核查不构成违法（甲的电脑）")
            _decline(b, case_id, "经核查情节轻微，不予立案（乙的电脑）")
            assert sync_now(a).accepted == 1
            rep = sync_now(b)
            assert rep.accepted == 1 and rep.conflict == 0  # the branch is kept, nothing quarantined
            sync_now(a)
            # both laptops hold both branches, exactly as the hub does
            assert local_events(a) == local_events(b) == hub_events(server)
            for prof in (a, b):
                assert "fork" in _flags(prof, case_id)
                view = read(prof, forks.describe, case_id)
                assert view is not None and len(view.branches) == 2
                assert sorted(br.mine for br in view.branches) == [False, True]
                assert all(br.has_steps for br in view.branches) and not view.both_allowed
                # a new step is refused, naming the rule
                with pytest.raises(RuleViolation) as exc:
                    _decline(prof, case_id, "再次记录")
                assert "单一链条" in exc.value.message and "第四十七条" in exc.value.message
                assert read(prof, check_profile).ok  # a fork is a sound record
                assert [c["case_id"] for c in status(prof)["forked_cases"]] == [case_id]  # sync status says so
            flags, n_heads = _hub_head(server, case_id)
            assert "fork" in flags and n_heads == 2
            row = next(r for r in service.list_cases(server.hub) if r["case_id"] == case_id)
            assert row["chain"] == "ok" and len(row["heads"]) == 2
            assert service.verify_all_chains(server.hub)[case_id] == []
            assert "分叉（2 条分支，待处理）" in _county_cases(capsys, server)

            view = read(a, forks.describe, case_id)
            theirs = next(br for br in view.branches if not br.mine)
            # refused: no reason; someone who may not decide; a head that is no longer current
            with pytest.raises(InvalidInput, match="理由"):
                run(a, forks.resolve, case_id, adopt=theirs.head_hash, reason="  ")
            for role in ("reviewer", "auxiliary"):  # neither the leader nor an officer of the case
                with pytest.raises(forks.NotAllowed, match="负责人或本案执法人员"):
                    run(a, forks.resolve, case_id, adopt=theirs.head_hash, reason="采用乙的记录",
                        actor_id=_other_role(a, role))
            with pytest.raises(InvalidInput, match="不是该案件当前的分支末端"):
                run(a, forks.resolve, case_id, adopt="f" * 64, reason="采用乙的记录")
            assert "fork" in _flags(a, case_id)  # nothing written by the refusals

            done = run(a, forks.resolve, case_id, adopt=theirs.head_hash[:10], reason="乙先到现场核查，采用乙的记录")
            assert done.adopted == theirs.head_hash and len(done.set_aside) == 1
            assert "fork" not in _flags(a, case_id) and read(a, forks.describe, case_id) is None
            assert sync_now(a).accepted == 1
            flags, n_heads = _hub_head(server, case_id)
            assert "fork" not in flags and n_heads == 1 and "分叉" not in _county_cases(capsys, server)
            sync_now(b)  # the other laptop pulls the resolution
            assert "fork" not in _flags(b, case_id) and read(b, forks.describe, case_id) is None
            assert status(a)["forked_cases"] == status(b)["forked_cases"] == []
            assert local_events(a) == local_events(b) == hub_events(server)
            for prof in (a, b):
                with prof.read_session() as s:
                    folded = event_store.load_events(s, case_id)
                    assert theirs.events[0].id in {e.id for e in folded}
                    assert done.set_aside[0] not in {e.id for e in folded}
                assert read(prof, check_profile).ok
            # a stale resolution (the fork is gone) is refused
            with pytest.raises(InvalidInput, match="没有分叉"):
                run(b, forks.resolve, case_id, adopt=theirs.head_hash, reason="再处理一次")
            assert service.verify_all_chains(server.hub)[case_id] == []

            # a tampered branch event (the set-aside one) is still detected
            b.close()
            b = open_demo(tmp_path / "b")
            with b.session() as s:
                s.execute(text("DROP TRIGGER case_events_no_update"))
                s.execute(text("UPDATE case_events SET payload = replace(payload, '甲的电脑', '丙的电脑') WHERE id = :i"),
                          {"i": done.set_aside[0]})
            rep = read(b, check_profile)
            assert not rep.ok and any(p.event_id == done.set_aside[0] for p in rep.problems)
    finally:
        a.close()
        b.close()


def _desk(capsys, root, *argv):
    from lishui_desk import cli as desk_cli

    capsys.readouterr()
    rc = desk_cli.main([*argv, "--data-dir", str(root)])
    out = capsys.readouterr()
    return rc, out.out, out.err


def test_from_the_command_line_a_record_only_branch_is_kept_beside_the_other(template, tmp_path, capsys,
                                                                               monkeypatch):
    """``case fork`` shows both branches; ``case resolve-fork --both`` keeps a branch of record events
    alone (an evidence record) beside the one with the step; refusals exit 2 and write nothing."""
    from lishui_desk import record
    from lishui_desk.procedure import vocabulary as V
    from lishui_desk.storage.event_store import NewEvent
    from tests.sync_support import PASS

    monkeypatch.setenv("LISHUI_DESK_PASSPHRASE", PASS)
    root = copy_profile(template, tmp_path / "a")
    a = open_demo(root)
    try:
        case_id = _lead(a)
        with a.read_session() as s:
            base = event_store.load_all(s, case_id)
        # the other laptop's branch: one evidence record on the same predecessor
        other = event_store.build_records(case_id, crew(a)["colleague"], base[-1].seq, base[-1].hash,
                                          [NewEvent(V.EV_EVIDENCE, {"kind": "书证", "description": "现场照片说明"})])
        _decline(a, case_id, "经核查不构成违法")
        got = run(a, record.import_remote, other)
        assert len(got.written) == 1 and got.forked == [case_id] and "fork" in _flags(a, case_id)
        # the one appender refuses a new step too, whoever calls it
        with pytest.raises(RuleViolation, match="单一链条"):
            run(a, record.append, case_id, [NewEvent(V.EV_EVIDENCE, {"kind": "书证", "description": "又一份"})])
        assert read(a, check_profile).ok
    finally:
        a.close()
    rc, out, _ = _desk(capsys, root, "case", "fork", case_id, "--json")
    view = json.loads(out)
    assert rc == 0 and len(view["branches"]) == 2 and view["both_allowed"] and view["fork_seq"] == base[-1].seq
    assert [b["has_steps"] for b in view["branches"]].count(False) == 1
    rc, out, _ = _desk(capsys, root, "case", "show", case_id)
    assert rc == 0 and "全过程记录分叉" in out
    rc, _out, err = _desk(capsys, root, "case", "resolve-fork", case_id, "--both", "--reason", " ")
    assert rc == 2 and "理由" in err
    rc, _out, err = _desk(capsys, root, "case", "resolve-fork", case_id, "--adopt", "abc", "--reason", "采用")
    assert rc == 2 and "分支末端编号" in err
    rc, out, _ = _desk(capsys, root, "case", "resolve-fork", case_id, "--both", "--reason", "两台电脑记录互不冲突，均予保留")
    assert rc == 0 and "两条分支都保留" in out
    rc, out, _ = _desk(capsys, root, "case", "fork", case_id)
    assert rc == 0 and "没有分叉" in out
    a = open_demo(root)
    try:
        with a.read_session() as s:
            everything = event_store.load_all(s, case_id)
            folded = event_store.load_events(s, case_id)
        resolution = graph.tips(everything)[0]
        assert resolution.type == V.EV_FORK_RESOLVED and resolution.payload["adopt"] == "both"
        assert other[0].id in {e.id for e in folded} and folded[-1].id == resolution.id
        assert len(folded) == len(everything)  # both branches count
        assert "fork" not in _flags(a, case_id) and read(a, check_profile).ok
        run(a, record.append, case_id, [NewEvent(V.EV_EVIDENCE, {"kind": "书证", "description": "补充"})])
        assert read(a, check_profile).ok
    finally:
        a.close()


def test_migration_0010_keeps_an_encrypted_profiles_record_and_its_append_only_triggers(template, tmp_path):
    """A profile written before forks existed (schema 0009: one event per position) opened by this
    program: every event kept byte for byte, still sealed and append-only, and a fork can be held."""
    from sqlalchemy.exc import IntegrityError

    from lishui_desk import record
    from lishui_desk.procedure import vocabulary as V
    from lishui_desk.storage import migrate
    from lishui_desk.storage.event_store import NewEvent

    root = copy_profile(template, tmp_path / "p")
    prof = open_demo(root)
    migrate.downgrade(prof.engine, "0009")
    cols = "id, case_id, seq, type, actor_id, occurred_at, recorded_at, place, payload, corrects, prev_hash, hash"
    with prof.engine.begin() as conn:
        before = conn.execute(text(f"SELECT {cols} FROM case_events ORDER BY id")).all()
        seals = conn.execute(text("SELECT event_id, mac FROM record_seals ORDER BY event_id")).all()
        one = before[0]
        with pytest.raises(IntegrityError):  # 0009: a second event at a taken position is refused
            with conn.begin_nested():
                conn.execute(text(f"INSERT INTO case_events ({cols}) VALUES ('x', :c, :s, 't', 'a', 'o', 'r', NULL, "
                                  "'{}', NULL, :p, :h)"), {"c": one.case_id, "s": one.seq, "p": one.prev_hash,
                                                          "h": "e" * 64})
    assert len(before) > 20
    prof.close()

    prof = open_demo(root)  # opening migrates to the head (a backup is kept first)
    try:
        assert migrate.current_revision(prof.engine) == migrate.head_revision()
        assert any(root.rglob("desk-0009-*.db"))  # the copy taken before migrating
        with prof.engine.begin() as conn:
            assert conn.execute(text(f"SELECT {cols} FROM case_events ORDER BY id")).all() == before
            assert conn.execute(text("SELECT event_id, mac FROM record_seals ORDER BY event_id")).all() == seals
            for stmt in ("UPDATE case_events SET payload = '{}' WHERE id = :i", "DELETE FROM case_events WHERE id = :i"):
                with pytest.raises(IntegrityError, match="append-only"):
                    with conn.begin_nested():
                        conn.execute(text(stmt), {"i": one.id})
        migrate.check_no_drift(prof.engine)
        assert read(prof, check_profile).ok
        # a branch at a taken position is now held (a fork), sealed and checked clean
        case_id = _lead(prof)
        with prof.read_session() as s:
            base = event_store.load_all(s, case_id)
        branch = event_store.build_records(case_id, crew(prof)["colleague"], base[-1].seq, base[-1].hash,
                                           [NewEvent(V.EV_EVIDENCE, {"kind": "书证", "description": "甲"})])
        _decline(prof, case_id, "经核查不构成违法")
        assert run(prof, record.import_remote, branch).forked == [case_id]
        assert read(prof, check_profile).ok
    finally:
        prof.close()


@pytest.mark.parametrize("backend", BACKENDS)
def test_migration_h0004_gives_every_case_of_a_hub_its_one_head(backend, template, tmp_path):
    from sync.hub import db
    from sync.hub.models import HubEvent

    prof = open_demo(copy_profile(template, tmp_path / "p"))
    try:
        with running_hub(backend, tmp_path) as server:
            enroll(prof, server)
            sync_now(prof)
            before = hub_events(server)
            db.downgrade(server.hub.engine, "h0003")  # as the hub was before forks were kept
            db.upgrade(server.hub.engine)
            assert hub_events(server) == before == local_events(prof)
            with server.hub.session() as s:
                heads = {h.case_id: (json.loads(h.heads), h.count, h.head_hash) for h in s.scalars(select(CaseHead))}
                tops = {cid: max(seq for (c, seq) in s.execute(select(HubEvent.case_id, HubEvent.seq)) if c == cid)
                        for cid in heads}
            assert heads and all(hs == [[count, hh]] and tops[cid] == count for cid, (hs, count, hh) in heads.items())
            assert all(v == [] for v in service.verify_all_chains(server.hub).values())
            # and the upgraded hub keeps a fork: a second laptop's branch is accepted
            other = open_demo(copy_profile(template, tmp_path / "q"))
            try:
                enroll(other, server)
                sync_now(other)
                case_id = _lead(prof)
                _decline(prof, case_id, "经核查不构成违法（甲）")
                _decline(other, case_id, "经核查不构成违法（乙）")
                assert sync_now(prof).accepted == 1 and sync_now(other).accepted == 1
                assert _hub_head(server, case_id) == (["fork"], 2)
            finally:
                other.close()
    finally:
        prof.close()


def _forked_pair(template, tmp_path, server):
    a = open_demo(copy_profile(template, tmp_path / "a"))
    b = open_demo(copy_profile(template, tmp_path / "b"))
    enroll(a, server)
    enroll(b, server)
    sync_now(a)
    sync_now(b)
    case_id = _lead(a)
    _decline(a, case_id, "经核查不构成违法（甲）")
    _decline(b, case_id, "经核查不构成违法（乙）")
    sync_now(a)
    sync_now(b)
    sync_now(a)
    return a, b, case_id


def test_two_resolutions_of_one_fork_adopting_the_same_branch_converge_without_anyone(template, tmp_path):
    """Both resolve the same fork offline and adopt the same branch: the second is a superseded
    copy — accepted and kept at the hub, the outbox cleared, nothing set aside, no case flagged."""
    from sync.client.worker import cases_set_aside, quarantined

    with running_hub("sqlite", tmp_path) as server:
        a, b, case_id = _forked_pair(template, tmp_path, server)
        try:
            adopted = next(br for br in read(a, forks.describe, case_id).branches if br.mine).head_hash
            run(a, forks.resolve, case_id, adopt=adopted, reason="采用甲的记录")
            run(b, forks.resolve, case_id, adopt=adopted, reason="同意采用甲的记录", actor_id=crew(b)["leader"])
            assert sync_now(a).accepted == 1
            rep = sync_now(b)
            assert rep.accepted == 1 and rep.conflict == 0 and rep.pending == 0
            sync_now(a)
            for prof in (a, b):
                assert quarantined(prof) == [] and cases_set_aside(prof) == []
                assert "fork" not in _flags(prof, case_id) and read(prof, forks.describe, case_id) is None
                assert read(prof, check_profile).ok and status(prof)["forked_cases"] == []
                folded = CaseDesk(prof).view(case_id).events
                assert any(e.payload.get("reason") == "经核查不构成违法（甲）" for e in folded)
                assert not any(e.payload.get("reason") == "经核查不构成违法（乙）" for e in folded)
                assert sum(e.type == graph.EV_FORK_RESOLVED for e in folded) == 1  # the copy is not folded
            assert local_events(a) == local_events(b) == hub_events(server)  # both resolutions kept everywhere
            with server.hub.session() as s:
                assert len([e for e in s.scalars(select(service.HubEvent.type)) if e == graph.EV_FORK_RESOLVED]) == 2
            assert _hub_head(server, case_id) == ([], 1) and service.list_quarantine(server.hub) == []
            assert service.verify_all_chains(server.hub)[case_id] == []
        finally:
            a.close()
            b.close()


def test_two_resolutions_of_one_fork_that_differ_flag_the_case_at_both_ends_until_one_more(template, tmp_path,
                                                                                            capsys, monkeypatch):
    """Each laptop adopts its own branch offline: both resolutions reach the hub and both laptops,
    the case is forked again (resolution against resolution), flagged everywhere with a sentence
    naming who adopted what, and one more resolution by the leader settles it for everyone."""
    from tests.sync_support import PASS

    monkeypatch.setenv("LISHUI_DESK_PASSPHRASE", PASS)
    with running_hub("sqlite", tmp_path) as server:
        a, b, case_id = _forked_pair(template, tmp_path, server)
        try:
            for prof, actor in ((a, None), (b, crew(b)["leader"])):  # each adopts its own branch
                mine = next(br for br in read(prof, forks.describe, case_id).branches if br.mine)
                run(prof, forks.resolve, case_id, adopt=mine.head_hash, reason="采用本机记录", actor_id=actor)
            assert sync_now(a).accepted == 1
            rep = sync_now(b)
            assert rep.accepted == 1 and rep.conflict == 0
            sync_now(a)
            assert local_events(a) == local_events(b) == hub_events(server)
            names = read(a, lambda uow: dict(uow.session.execute(select(Officer.id, Officer.name)).all()))
            me, leader = names[crew(a)["me"]], names[crew(a)["leader"]]
            for prof in (a, b):
                assert "fork" in _flags(prof, case_id) and read(prof, check_profile).ok
                [row] = status(prof)["forked_cases"]
                assert f"{me}于" in row["note"] and f"{leader}于" in row["note"] and "结论不同" in row["note"]
                with pytest.raises(RuleViolation):
                    _decline(prof, case_id, "再次记录")
            for argv in (["sync", "status"], ["sync", "quarantine"]):  # both say who did what and what to do
                rc, out, _err = _desk(capsys, tmp_path / "b", *argv)
                assert rc == 0 and "结论不同" in out and f"{leader}于" in out and "resolve-fork" in out
            flags, heads = _hub_head(server, case_id)
            assert "fork" in flags and "resolutions_differ" in flags and heads == 2
            out = _county_cases(capsys, server)
            assert "分叉被分别处理且结论不同" in out and "负责人" in out
            # the leader decides once, on a; b pulls it; everything converges
            view = read(a, forks.describe, case_id)
            assert len(view.branches) == 2 and all(br.events[-1].type == graph.EV_FORK_RESOLVED for br in view.branches)
            keep = next(br for br in view.branches if br.mine).head_hash
            run(a, forks.resolve, case_id, adopt=keep, reason="负责人确定采用甲的处理", actor_id=crew(a)["leader"])
            assert sync_now(a).accepted == 1
            sync_now(b)
            for prof in (a, b):
                assert "fork" not in _flags(prof, case_id) and status(prof)["forked_cases"] == []
                assert read(prof, check_profile).ok
            assert _hub_head(server, case_id) == ([], 1)
            assert "结论不同" not in _county_cases(capsys, server)
            assert local_events(a) == local_events(b) == hub_events(server)
        finally:
            a.close()
            b.close()


def _ev(case_id: str, seq: int, prev: str, etype: str = "investigation.inspection", **payload):
    import uuid
    from dataclasses import replace

    from lishui_desk.events import EventRecord, compute_hash

    rec = EventRecord(id=str(uuid.uuid4()), case_id=case_id, seq=seq, type=etype, actor_id="t",
                      occurred_at="2026-11-20T10:00:00+08:00", recorded_at=f"2026-11-20T10:00:0{seq}+08:00",
                      place=None, payload=payload, prev_hash=prev)
    return replace(rec, hash=compute_hash(prev, rec))


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_hub_links_branches_in_any_order_and_accepts_one_resolution_of_the_current_heads(backend, tmp_path):
    """At the hub alone (its own ingest, real database): a branch arriving out of order waits for
    its predecessor and is linked in; the resolution must name both current heads; a branch from
    the device that wrote the other one stays quarantined."""
    import uuid

    from lishui_desk.events import GENESIS_HASH, canonical_json
    from lishui_desk.procedure import vocabulary as V
    from sync.hub import ingest
    from sync.hub.models import Device
    from tests.sync_support import TOWN, hub_db_url

    def item(rec):
        return {"outbox_id": rec.id, "kind": "case_event",
                "event": json.loads(canonical_json({**rec.hashed_fields(), "prev_hash": rec.prev_hash,
                                                     "hash": rec.hash}))}

    with hub_db_url(backend, tmp_path) as url:
        hub = service.init_hub(tmp_path / "hub", db_url=url)
        try:
            service.add_township(hub, TOWN)
            with hub.session() as s:
                for name in ("x", "y"):
                    s.add(Device(id=name, township_code=TOWN, officer_id="o", public_key=name * 64,
                                 enrolled_at="2026-11-20T00:00:00Z"))

            def push(dev: str, *recs) -> list[str]:
                with hub.session() as s:
                    results, _heads = ingest.ingest_batch(s, s.get(Device, dev), [item(r) for r in recs])
                return [r.status for r in results]

            cid = str(uuid.uuid4())
            c1 = _ev(cid, 1, GENESIS_HASH)
            c2 = _ev(cid, 2, c1.hash)
            c3 = _ev(cid, 3, c2.hash)
            assert push("x", c1, c2, c3) == ["accepted"] * 3
            y3 = _ev(cid, 3, c2.hash, n="y")
            y4 = _ev(cid, 4, y3.hash, n="y")
            assert push("y", y4) == ["held"]  # its predecessor has not arrived
            assert push("y", y3) == ["accepted"]  # a branch: kept, and the held one linked in after it
            with hub.session() as s:
                head = s.get(CaseHead, cid)
                assert json.loads(head.flags) == ["fork"] and head.count == 4
                assert sorted(map(tuple, json.loads(head.heads))) == sorted([(3, c3.hash), (4, y4.hash)])
            assert service.verify_all_chains(hub)[cid] == []
            x4 = _ev(cid, 4, c2.hash, n="copy")  # wrong seq for its parent: malformed
            assert push("x", x4) == ["rejected"]
            x3 = _ev(cid, 3, c2.hash, n="copy")  # the device that wrote c3 branches again: a copy of it
            assert push("x", x3) == ["conflict"]
            one_head = _ev(cid, 4, c3.hash, V.EV_FORK_RESOLVED, parents=[c3.hash, c2.hash], adopt=c3.hash)
            assert push("x", one_head) == ["conflict"]  # names an event that is not a head
            r = _ev(cid, 4, c3.hash, V.EV_FORK_RESOLVED, parents=[c3.hash, y4.hash], adopt=c3.hash, reason="甲")
            assert push("x", r) == ["accepted"]
            again = _ev(cid, 5, y4.hash, V.EV_FORK_RESOLVED, parents=[y4.hash, c3.hash], adopt=y4.hash, reason="乙")
            # resolved at the same time the other way: kept, and the case is forked again
            assert push("y", again) == ["accepted"]
            with hub.session() as s:
                head = s.get(CaseHead, cid)
                assert sorted(map(tuple, json.loads(head.heads))) == sorted([(4, r.hash), (5, again.hash)])
                assert json.loads(head.flags) == ["fork", "resolutions_differ"]
            same = _ev(cid, 4, c3.hash, V.EV_FORK_RESOLVED, parents=[c3.hash, y4.hash], adopt=c3.hash, reason="丙")
            assert push("y", same) == ["accepted"]  # the same adoption once more: a superseded copy, no head
            with hub.session() as s:
                assert len(json.loads(s.get(CaseHead, cid).heads)) == 2
            last = _ev(cid, 6, again.hash, V.EV_FORK_RESOLVED, parents=[again.hash, r.hash], adopt=again.hash)
            assert push("x", last) == ["accepted"]  # one more resolution settles it
            with hub.session() as s:
                head = s.get(CaseHead, cid)
                assert json.loads(head.heads) == [[6, last.hash]]
                # the fork of the copied device still waits for review: the flag stays for it
                assert json.loads(head.flags) == ["fork"]
            codes = sorted(q["reason_code"] for q in service.list_quarantine(hub))
            assert codes == ["fork", "stale_resolution"]
            assert service.verify_all_chains(hub)[cid] == []
        finally:
            hub.close()
