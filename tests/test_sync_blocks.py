"""Number blocks (文号号段) from the county: ``lishui-county blocks reserve`` for one device, one
document code and one year, pulled by that device only, after every number the township used;
``sync status`` warns when the rest may not last until the next sync."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from lishui_desk.cli import main as desk_main
from lishui_desk.edge import read, run
from lishui_desk.models import Case, NumberBlock
from lishui_desk.services import numbers
from sync import county_cli
from sync.client import state as st
from sync.client.worker import sync_now
from tests.sync_support import BACKENDS, PASS, copy_profile, enroll, open_demo, running_hub


@pytest.fixture(params=BACKENDS)
def backend(request):
    return request.param


def _county(capsys, root, *argv) -> tuple[int, dict | str]:
    capsys.readouterr()
    rc = county_cli.main(["--data-dir", str(root), *argv])
    out = capsys.readouterr()
    return rc, (json.loads(out.out) if rc == 0 and "--json" in argv else out.err)


def _hub_blocks(prof) -> list[tuple[str, int, int, int]]:
    with prof.read_session() as s:
        return [(b.doc_code, b.year, b.first, b.last) for b in s.scalars(
            select(NumberBlock).where(NumberBlock.source == "hub").order_by(NumberBlock.first))]


def _status(root, capsys) -> dict:
    capsys.readouterr()
    assert desk_main(["--data-dir", str(root), "--profile", "demo", "sync", "status", "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_a_block_reaches_its_device_only_after_the_townships_used_numbers(backend, template, tmp_path, capsys,
                                                                          monkeypatch):
    monkeypatch.setenv("LISHUI_DESK_PASSPHRASE", PASS)
    a_root, b_root = copy_profile(template, tmp_path / "a"), copy_profile(template, tmp_path / "b")
    a, b = open_demo(a_root), open_demo(b_root)
    try:
        with running_hub(backend, tmp_path) as server:
            enroll(a, server)
            enroll(b, server)
            sync_now(a)
            with a.read_session() as s:
                used = [int(n.split("第")[1].rstrip("号")) for n in s.scalars(select(Case.case_number).where(
                    Case.case_number.contains("立〔2026〕"))) if n]
            assert used  # the demo filed cases this year
            device = read(a, st.get, "device_id")
            rc, first = _county(capsys, server.hub.root, "blocks", "reserve", "--device", device[:8],
                                "--doc-code", "立", "--year", "2026", "--count", "20", "--json")
            assert rc == 0 and first["first"] == max(used) + 1 and first["last"] == max(used) + 20
            assert first["expires_on"] == "2026-12-31"
            rc, second = _county(capsys, server.hub.root, "blocks", "reserve", "--device", device, "--doc-code", "立",
                                 "--json")  # the year defaults to the working year
            assert rc == 0 and (second["year"], second["first"]) == (2026, first["last"] + 1)
            assert second["last"] == first["last"] + 50  # default length
            # a past year is refused, saying why, and nothing is published
            rc, err = _county(capsys, server.hub.root, "blocks", "reserve", "--device", device, "--doc-code", "立",
                              "--year", "2025")
            assert rc == 2 and "12 月 31 日失效" in err
            sync_now(a)
            sync_now(b)
            assert _hub_blocks(a) == [("立", 2026, first["first"], first["last"]),
                                      ("立", 2026, second["first"], second["last"])]
            assert _hub_blocks(b) == []  # the colleague's laptop in the same township never gets them
            # the next number on that device comes from the county's block (the local one stops)
            taken = run(a, numbers.allocate, a.township_code, "立", 2026)
            assert (taken.seq, taken.provisional) == (first["first"], False)
    finally:
        a.close()
        b.close()


def test_sync_status_warns_when_a_block_will_not_last_until_the_next_sync(template, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("LISHUI_DESK_PASSPHRASE", PASS)
    root = copy_profile(template, tmp_path / "a")
    prof = open_demo(root)
    try:
        with running_hub("sqlite", tmp_path) as server:
            enroll(prof, server)
            monkeypatch.setenv("LISHUI_DESK_TODAY", "2026-01-05")
            sync_now(prof)  # then nothing for months (no link at all)
            monkeypatch.setenv("LISHUI_DESK_TODAY", "2026-11-26")
            device = read(prof, st.get, "device_id")
            assert _county(capsys, server.hub.root, "blocks", "reserve", "--device", device, "--doc-code", "立",
                           "--count", "1", "--json")[0] == 0
            sync_now(prof)
            prof.close()
            low = [x for x in _status(root, capsys)["number_blocks"] if x["doc_code"] == "立"]
            assert len(low) == 1 and low[0]["remaining"] == 1 and low[0]["longest_gap_days"] == 325
            assert low[0]["low"] and low[0]["needed_until_next_sync"] > 1
            capsys.readouterr()
            assert desk_main(["--data-dir", str(root), "--profile", "demo", "sync", "status"]) == 0
            assert "“立”字文号号段即将用完：只剩 1 个" in capsys.readouterr().out
            prof = open_demo(root)
            assert _county(capsys, server.hub.root, "blocks", "reserve", "--device", device, "--doc-code", "立",
                           "--count", "500", "--json")[0] == 0
            sync_now(prof)
            prof.close()
            ok = [x for x in _status(root, capsys)["number_blocks"] if x["doc_code"] == "立"]
            assert ok[0]["remaining"] == 501 and not ok[0]["low"] and ok[0]["spoiled"] == []
            prof = open_demo(root)
            # a number taken for a filing that was never saved: spoiled, reported with its number
            taken = run(prof, numbers.allocate, prof.township_code, "立", 2026)
            prof.close()
            ok = [x for x in _status(root, capsys)["number_blocks"] if x["doc_code"] == "立"]
            assert ok[0]["spoiled"] == [taken.seq] and ok[0]["remaining"] == 500
            prof = open_demo(root)
    finally:
        prof.close()
