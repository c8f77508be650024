"""Cases of a township replicate to every enrolled device of that township (real hub on loopback,
real profiles): a replacement laptop enrolled for the same officer receives the township's cases,
and a case continued on one officer's laptop reaches the other's, without being pushed again."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from lishui_desk.crypto.keyring import KdfParams
from lishui_desk.edge import CaseDesk, create_profile, read
from lishui_desk.models import Case, OutboxEntry
from lishui_desk.services.integrity import check_profile
from lishui_desk.services.setup import OfficerSpec
from sync.client.worker import sync_now
from tests.sync_support import (
    BACKENDS,
    PASS,
    TOWN,
    copy_profile,
    crew,
    enroll,
    hub_events,
    local_events,
    open_demo,
    running_hub,
)

FAST = KdfParams(memory_cost=8192, iterations=1, lanes=1)


def _cases(prof) -> dict[str, tuple[str | None, str, int]]:
    with prof.read_session() as s:
        return {c.id: (c.case_number, c.stage_label, c.event_count) for c in s.scalars(select(Case))}


def _outbox(prof) -> int:
    with prof.read_session() as s:
        return s.scalar(select(func.count()).select_from(OutboxEntry)) or 0


def _open_case(prof) -> str:
    with prof.read_session() as s:
        return s.scalars(select(Case.id).where(Case.stage == "lead").order_by(Case.id)).first()


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_replacement_laptop_for_the_same_officer_receives_the_townships_cases(backend, template, tmp_path):
    old = open_demo(copy_profile(template, tmp_path / "old"))
    new = create_profile("demo", PASS, root=tmp_path / "new", township_code=TOWN,
                         officer=OfficerSpec("王建", "ZJ-3311-0001", date(2029, 12, 31)), kdf_params=FAST)
    try:
        with running_hub(backend, tmp_path) as server:
            enroll(old, server)
            sync_now(old)
            assert _cases(new) == {}
            enroll(new, server)  # the same officer, a second device
            rep = sync_now(new)
            assert rep.pulled["cases"] == len(local_events(old))
            # every case, as the old laptop holds it: numbers, stages, every event by id and hash
            assert _cases(new) == _cases(old) and _cases(new)
            assert local_events(new) == local_events(old) == hub_events(server)
            assert _outbox(new) == 0  # another device's events are not pushed back
            assert read(new, check_profile).ok
            # a second round brings nothing new and changes nothing
            again = sync_now(new)
            assert again.pulled["cases"] == 0 and local_events(new) == local_events(old)
    finally:
        old.close()
        new.close()


def test_a_case_continued_on_one_officers_laptop_reaches_the_others(template, tmp_path):
    a = open_demo(copy_profile(template, tmp_path / "a"))
    b = open_demo(copy_profile(template, tmp_path / "b"))  # the colleague's laptop, same township
    try:
        with running_hub("sqlite", tmp_path) as server:
            enroll(a, server)
            enroll(b, server)
            sync_now(a)
            sync_now(b)
            case_id = _open_case(a)
            c = crew(a)
            CaseDesk(a).perform(case_id, "decline_filing", {
                "declined_on": "2026-11-25", "reason": "经核查不构成违法", "approved_by": c["leader"],
                "officer_ids": [c["me"], c["colleague"]]})
            assert sync_now(a).accepted == 1
            before = _cases(b)[case_id]
            rep = sync_now(b)
            assert rep.pulled["cases"] == 1
            after = _cases(b)[case_id]
            assert after == _cases(a)[case_id] and after != before and after[2] == before[2] + 1
            assert local_events(b) == local_events(a) == hub_events(server)
            assert read(b, check_profile).ok and read(a, check_profile).ok
    finally:
        a.close()
        b.close()


def test_a_hub_upgraded_with_cases_already_received_replicates_them_too(template, tmp_path):
    """The case stream's migration puts the events a hub already held into their township's stream."""
    from sync.hub import db

    old = open_demo(copy_profile(template, tmp_path / "old"))
    new = create_profile("demo", PASS, root=tmp_path / "new", township_code=TOWN,
                         officer=OfficerSpec("王建", "ZJ-3311-0001", date(2029, 12, 31)), kdf_params=FAST)
    try:
        with running_hub("sqlite", tmp_path) as server:
            enroll(old, server)
            sync_now(old)
            db.downgrade(server.hub.engine, "h0002")  # as the hub was before the case stream
            db.upgrade(server.hub.engine)
            enroll(new, server)
            sync_now(new)
            assert local_events(new) == local_events(old) == hub_events(server)
            assert _cases(new) == _cases(old) and read(new, check_profile).ok
    finally:
        old.close()
        new.close()


def test_import_remote_refuses_a_changed_event_and_a_gap_and_writes_nothing_for_them(template, tmp_path):
    from dataclasses import replace

    from lishui_desk import record
    from lishui_desk.edge import run
    from lishui_desk.storage import event_store

    src = open_demo(copy_profile(template, tmp_path / "src"))
    dst = create_profile("demo", PASS, root=tmp_path / "dst", township_code=TOWN,
                         officer=OfficerSpec("王建", "ZJ-3311-0001", date(2029, 12, 31)), kdf_params=FAST)
    try:
        with src.read_session() as s:
            case_id = s.scalars(select(Case.id).order_by(Case.event_count.desc(), Case.id)).first()
            evs = event_store.load_events(s, case_id)
        assert len(evs) >= 3
        changed = replace(evs[0], payload={**evs[0].payload, "forged": "1"})
        got = run(dst, record.import_remote, [changed])
        assert got.written == [] and "哈希不符" in got.set_aside[0][1]
        got = run(dst, record.import_remote, evs[1:])  # its predecessor is missing
        assert got.written == [] and all("缺少前序事件" in why for _, why in got.set_aside)
        assert local_events(dst) == {} and _cases(dst) == {}
        got = run(dst, record.import_remote, evs)  # whole: taken in, sealed, not queued for push
        assert len(got.written) == len(evs) and _outbox(dst) == 0
        assert _cases(dst)[case_id] == _cases(src)[case_id] and read(dst, check_profile).ok
        assert run(dst, record.import_remote, evs).known == len(evs)
    finally:
        src.close()
        dst.close()
