"""A restored, copied or cloned laptop never issues a 文号 twice: real profiles, a real hub on
loopback. After a restore (or a copy under another name) numbering is held until a sync or a
return bundle confirms which numbers the county has seen; the hub refuses a number used twice."""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy import select

from lishui_desk.services.number_guard import NumberingHeld
from lishui_desk.storage.profile import open_profile
from sync.client.worker import cases_set_aside, quarantined, sync_now
from sync.hub.models import CaseHead, HubNumber
from tests.sync_support import (
    BACKENDS,
    PASS,
    case_number,
    copy_profile,
    enroll,
    filed_case,
    open_demo,
    running_hub,
    synced_backup,
)
from tests.sync_support import SYNC_TODAY as TODAY


def _new_case(prof) -> str:
    """A new lead filed as a case: the case number comes from the number blocks."""
    return case_number(prof, filed_case(prof))


def _hub_numbers(server) -> list[str]:
    with server.hub.session() as s:
        return list(s.scalars(select(HubNumber.number)))


def test_restore_then_sync_never_issues_a_duplicate_number(template, tmp_path):
    root = copy_profile(template, tmp_path / "desk")
    pdir = root / "profiles" / "demo"
    with running_hub("sqlite", tmp_path) as server:
        prof = open_demo(root)
        enroll(prof, server)
        sync_now(prof)  # the county now knows this laptop's numbers; the guard is set up
        prof.close()
        shutil.copytree(pdir, tmp_path / "backup")  # the officer's backup of the profile

        prof = open_demo(root)
        printed = _new_case(prof)  # filed and printed after the backup …
        sync_now(prof)  # … and reached the county
        prof.close()
        assert printed in _hub_numbers(server)

        shutil.rmtree(pdir)  # the disk fails; the backup is restored
        shutil.copytree(tmp_path / "backup", pdir)
        prof = open_profile("demo", PASS, root=root)
        try:
            with pytest.raises(NumberingHeld) as held:
                _new_case(prof)
            assert "暂停编号" in held.value.message and "从备份恢复" in held.value.message
            assert "sync now" in held.value.cli_text and "sync import" in held.value.cli_text  # the terminal's
            assert "lishui-desk" not in held.value.message and "“同步”页" in held.value.message  # the GUI's
            with prof.read_session() as s:
                from lishui_desk.models import Case

                assert printed not in set(s.scalars(select(Case.case_number)))  # the restore lost it locally
            rep = sync_now(prof)
            assert rep.numbering_released
            again = _new_case(prof)
            assert again != printed
            sync_now(prof)
            assert quarantined(prof) == []  # the county took the new number: it was not used before
            numbers = _hub_numbers(server)
            assert len(numbers) == len(set(numbers)) and again in numbers
        finally:
            prof.close()


def test_a_profile_copied_under_another_name_is_held_until_a_round_trip(template, tmp_path, monkeypatch, capsys):
    root = copy_profile(template, tmp_path / "desk")
    with running_hub("sqlite", tmp_path) as server:
        prof = open_demo(root)
        enroll(prof, server)
        sync_now(prof)
        prof.close()
        shutil.copytree(root / "profiles" / "demo", root / "profiles" / "copy")
        copy = open_profile("copy", PASS, root=root)
        prof = open_demo(root)
        try:
            with pytest.raises(NumberingHeld) as held:
                _new_case(copy)
            assert "复制来的" in held.value.message
            from lishui_desk import cli as desk_cli

            monkeypatch.setenv("LISHUI_DESK_PASSPHRASE", PASS)
            capsys.readouterr()
            assert desk_cli.main(["sync", "status", "--data-dir", str(root), "--profile", "copy"]) == 0
            assert "暂停编号" in capsys.readouterr().out  # the officer sees why, and what releases it
            first = _new_case(prof)  # the original laptop goes on numbering
            sync_now(prof)
            assert sync_now(copy).numbering_released  # same device: the county confirms what it has seen
            assert _new_case(copy) != first
        finally:
            copy.close()
            prof.close()


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_hub_refuses_a_number_used_twice(backend, template, tmp_path):
    """Two copies of one laptop the guard cannot tell apart (the whole data folder copied): both
    issue the same next number; the county takes the first and quarantines the second."""
    a = open_demo(copy_profile(template, tmp_path / "a"))
    b = open_demo(copy_profile(template, tmp_path / "b"))
    try:
        with running_hub(backend, tmp_path) as server:
            enroll(a, server)
            enroll(b, server)
            number_a, number_b = _new_case(a), _new_case(b)
            assert number_a == number_b  # the same block state on both copies
            sync_now(a)
            sync_now(b)
            q = quarantined(b)
            assert len(q) == 1 and f"文号“{number_b}”已被另一案件记录使用过" in q[0]["reason"]
            with server.hub.session() as s:
                head = s.get(CaseHead, q[0]["case_id"])
                assert head is not None and "number_reused" in head.flags
                assert list(s.scalars(select(HubNumber.number).where(HubNumber.number == number_a))) == [number_a]
            # a's case comes to b on the township's case stream: set aside, its number is b's own case's
            aside = cases_set_aside(b)
            assert aside and all(f"案件文号“{number_a}”在本机已被另一案件使用" in a["reason"] for a in aside)
            assert _new_case(b) not in (number_a,)  # after the sync b numbers past what the county saw
    finally:
        a.close()
        b.close()


def test_a_usb_round_trip_also_confirms_the_numbers_after_a_restore(template, tmp_path):
    from sync.client import state as st
    from sync.client.bundle import export_bundle, import_bundle
    from sync.hub.bundles import export_bundle as hub_export
    from sync.hub.bundles import import_bundle as hub_import

    root = copy_profile(template, tmp_path / "desk")
    pdir = root / "profiles" / "demo"
    with running_hub("sqlite", tmp_path) as server:
        prof = open_demo(root)
        enroll(prof, server)
        sync_now(prof)
        prof.close()
        shutil.copytree(pdir, tmp_path / "backup")
        prof = open_demo(root)
        printed = _new_case(prof)
        sync_now(prof)
        prof.close()
        shutil.rmtree(pdir)
        shutil.copytree(tmp_path / "backup", pdir)
        prof = open_demo(root)
        try:
            with pytest.raises(NumberingHeld):
                _new_case(prof)
            # no link: the laptop's bundle to the county and the county's answer back
            export_bundle(prof, tmp_path / "up.lsb")
            hub_import(server.hub, (tmp_path / "up.lsb").read_bytes())
            from lishui_desk.edge import read

            data, _ = hub_export(server.hub, read(prof, st.get, "device_id"))
            (tmp_path / "down.lsb").write_bytes(data)
            got = import_bundle(prof, tmp_path / "down.lsb")
            assert got["numbering_released"] is True, got
            assert _new_case(prof) != printed
        finally:
            prof.close()


def test_numbers_used_beyond_every_local_block_stay_out_of_reach(template, tmp_path):
    """The county saw numbers this database never had a block for (another laptop of the township,
    or a block lost with the restore): the next local number starts above them."""
    from lishui_desk.edge import read, run
    from lishui_desk.models import Township
    from sync.client import numbering

    prof = open_demo(copy_profile(template, tmp_path / "desk"))
    try:
        agency = read(prof, lambda uow: uow.session.get(Township, uow.township_code).agency_code)
        before = _new_case(prof)
        seq = int(before.split("第")[1].rstrip("号"))
        far = [{"prefix": f"{agency}立", "year": TODAY.year, "ranges": [[seq + 1, seq + 3], [seq + 150, seq + 151]]}]
        run(prof, numbering.confirm, far)
        after = _new_case(prof)
        assert after == before.replace(f"第{seq}号", f"第{seq + 4}号")  # past the run inside its block
        from lishui_desk.models import NumberBlock

        with prof.read_session() as s:  # a block opened later starts above everything the county saw
            top = max(b.last for b in s.scalars(select(NumberBlock)) if b.doc_code == "立")
        assert top >= seq + 151
    finally:
        prof.close()


def test_lishui_desk_restore_then_sync_never_issues_a_duplicate_number(template, tmp_path, monkeypatch, capsys):
    """The program's own backup and restore commands: the restored profile waits for the county."""
    from lishui_desk import cli as desk_cli

    monkeypatch.setenv("LISHUI_DESK_PASSPHRASE", PASS)
    with running_hub("sqlite", tmp_path) as server:
        root, archive = synced_backup(template, tmp_path, server, capsys)
        prof = open_demo(root)
        printed = _new_case(prof)
        sync_now(prof)
        prof.close()
        assert desk_cli.main(["restore", archive, "--data-dir", str(root)]) == 0, capsys.readouterr().err
        prof = open_demo(root)
        try:
            with pytest.raises(NumberingHeld):
                _new_case(prof)
            assert sync_now(prof).numbering_released
            again = _new_case(prof)
            assert again != printed
            sync_now(prof)
            assert quarantined(prof) == []
        finally:
            prof.close()
