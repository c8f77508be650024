"""``check`` against the county hub's signed receipts, kept outside the database: a profile whose
``desk.db`` *and* ``record-head.json`` were put back to an older copy passes every local seal, but
the hub acknowledged more of a case than the copy holds — reported by case number, exit 1."""

from __future__ import annotations

import json
import shutil

import pytest
from sqlalchemy import select, update

from lishui_desk.cli import main as desk_main
from lishui_desk.edge import CaseDesk
from lishui_desk.models import Case, CaseEvent
from lishui_desk.paths import profile_paths
from sync.client.worker import sync_now
from tests.sync_support import BACKENDS, PASS, copy_profile, enroll, open_demo, running_hub

_FILES = ("desk.db", "desk.db-wal", "desk.db-shm", "record-head.json")


@pytest.fixture(params=BACKENDS)
def backend(request):
    return request.param


def _check(root, capsys) -> tuple[int, dict]:
    capsys.readouterr()
    rc = desk_main(["--data-dir", str(root), "--profile", "demo", "check", "--json"])
    return rc, json.loads(capsys.readouterr().out)


def _filed_case(prof) -> tuple[str, str]:
    with prof.read_session() as s:
        row = s.execute(select(Case.id, Case.case_number).where(Case.stage.in_(("filed", "investigation")))
                        .order_by(Case.case_number)).first()
    return row[0], row[1]


def _snapshot(paths, dest) -> None:
    dest.mkdir()
    for name in _FILES:
        if (paths.root / name).exists():
            shutil.copy2(paths.root / name, dest / name)


def _put_back(paths, src) -> None:
    for name in _FILES:
        (paths.root / name).unlink(missing_ok=True)
        if (src / name).exists():
            shutil.copy2(src / name, paths.root / name)


def test_a_rolled_back_database_and_head_file_are_caught_by_the_hubs_receipt(backend, template, tmp_path, capsys,
                                                                            monkeypatch):
    root = copy_profile(template, tmp_path / "desk")
    paths = profile_paths("demo", root)
    monkeypatch.setenv("LISHUI_DESK_PASSPHRASE", PASS)
    with running_hub(backend, tmp_path) as server:
        prof = open_demo(root)
        try:
            enroll(prof, server)
            sync_now(prof)
            case_id, number = _filed_case(prof)
        finally:
            prof.close()
        assert _check(root, capsys)[0] == 0  # synced, untouched: clean
        _snapshot(paths, tmp_path / "old")  # the copy someone keeps
        prof = open_demo(root)
        try:
            CaseDesk(prof).perform(case_id, "flag_case", {"flags": ["情节复杂"], "reason": "多次违法"})
            assert sync_now(prof).accepted == 1  # the hub acknowledges the new head of that case
        finally:
            prof.close()
    _put_back(paths, tmp_path / "old")  # desk.db and record-head.json both older, consistent with each other
    rc, report = _check(root, capsys)
    assert rc == 1
    found = [p for p in report["problems"] if p["kind"] == "hub_receipt"]
    assert [p["case_number"] for p in found] == [number]
    assert number in found[0]["message"] and "县级平台已确认" in found[0]["message"]
    # the local seals alone cannot see it: no other section complains
    assert {p["kind"] for p in report["problems"]} == {"hub_receipt"}


def test_an_event_rewritten_with_the_data_key_differs_from_the_acknowledged_head(template, tmp_path, capsys,
                                                                              monkeypatch):
    root = copy_profile(template, tmp_path / "desk")
    monkeypatch.setenv("LISHUI_DESK_PASSPHRASE", PASS)
    with running_hub("sqlite", tmp_path) as server:
        prof = open_demo(root)
        try:
            enroll(prof, server)
            sync_now(prof)
            case_id, number = _filed_case(prof)
            with prof.read_session() as s:
                last = s.scalar(select(CaseEvent.seq).where(CaseEvent.case_id == case_id)
                                .order_by(CaseEvent.seq.desc()))
            with prof.engine.begin() as conn:  # whoever holds the key: a new hash at the acked position
                conn.exec_driver_sql("DROP TRIGGER case_events_no_update")
                conn.execute(update(CaseEvent).where(CaseEvent.case_id == case_id, CaseEvent.seq == last)
                          .values(hash="0" * 64))
        finally:
            prof.close()
    rc, report = _check(root, capsys)
    assert rc == 1
    found = [p for p in report["problems"] if p["kind"] == "hub_receipt"]
    assert [(p["case_number"], p["seq"]) for p in found] == [(number, last)]
    assert "改写" in found[0]["message"]


def test_a_forged_receipt_file_is_reported_not_trusted(template, tmp_path, capsys, monkeypatch):
    root = copy_profile(template, tmp_path / "desk")
    paths = profile_paths("demo", root)
    monkeypatch.setenv("LISHUI_DESK_PASSPHRASE", PASS)
    with running_hub("sqlite", tmp_path) as server:
        prof = open_demo(root)
        try:
            enroll(prof, server)
            sync_now(prof)
        finally:
            prof.close()
    data = json.loads(paths.hub_receipts.read_text())
    data["receipts"][0]["receipt"]["heads"][0]["count"] += 5
    paths.hub_receipts.write_text(json.dumps(data))
    rc, report = _check(root, capsys)
    assert rc == 1
    assert any(p["kind"] == "hub_receipt" and "签名不符" in p["message"] for p in report["problems"])

