"""The USB bundle through both programs' CLIs against a real hub database and real profiles:
round trip (only the return bundle's per-item answers clear the outbox), importing twice, an
expired bundle, the wrong recipient, changed bytes, an older return bundle — each refusal with a
Chinese message and nothing changed."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from lishui_desk import cli as desk_cli
from lishui_desk.models import CaseEvent, ReferenceVersion
from lishui_desk.procedure import vocabulary as V
from lishui_desk.timeutil import now_utc
from sync import bundle as B
from sync import county_cli
from sync.hub.models import HubMeta
from tests.sync_support import (
    BACKENDS,
    PASS,
    copy_profile,
    enroll,
    hub_events,
    local_events,
    open_demo,
    outbox_states,
    running_hub,
)


@pytest.fixture
def desk(template, tmp_path, monkeypatch):
    monkeypatch.setenv("LISHUI_DESK_PASSPHRASE", PASS)
    root = copy_profile(template, tmp_path / "desk")
    prof = open_demo(root)
    prof.data_root = root  # where the CLI finds it
    yield prof
    prof.close()


def desk_run(capsys, prof, *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    rc = desk_cli.main(["--data-dir", str(prof.data_root), *argv])
    out = capsys.readouterr()
    return rc, out.out, out.err


def county_run(capsys, server, *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    rc = county_cli.main(["--data-dir", str(server.hub.root), *argv])
    out = capsys.readouterr()
    return rc, out.out, out.err


def _hub_meta(server) -> dict[str, str]:
    with server.hub.session() as s:
        return {m.key: m.value for m in s.scalars(select(HubMeta))}


def _desk_snapshot(prof) -> tuple:
    with prof.read_session() as s:
        events = s.execute(select(CaseEvent.id, CaseEvent.hash)).all()
        refs = s.execute(select(ReferenceVersion.stream, ReferenceVersion.key, ReferenceVersion.version)).all()
    return outbox_states(prof), sorted(events), sorted(refs)


def _device_id(capsys, server) -> str:
    rc, out, _ = county_run(capsys, server, "device", "list", "--json")
    assert rc == 0
    return json.loads(out)["devices"][-1]["id"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_round_trip_clears_the_outbox_only_through_the_return_bundles_answers(backend, desk, tmp_path, capsys):
    with running_hub(backend, tmp_path) as server:
        enroll(desk, server)
        pending = outbox_states(desk)["pending"]
        out_file = tmp_path / "usb" / "to-county.lsb"
        out_file.parent.mkdir()
        rc, out, err = desk_run(capsys, desk, "sync", "export", "--out", str(out_file), "--json")
        assert rc == 0, err
        assert json.loads(out)["items"] == pending
        assert outbox_states(desk) == {"pending": pending}  # exporting clears nothing
        assert b"case.filed" not in out_file.read_bytes()  # encrypted: no event text in the file

        rc, out, err = county_run(capsys, server, "bundle", "import", str(out_file), "--json")
        assert rc == 0, err
        assert json.loads(out)["counts"] == {"accepted": pending}
        assert hub_events(server) == local_events(desk)  # the county holds every event, same hash
        assert outbox_states(desk) == {"pending": pending}  # still pending until the answers come back

        case_id = next(iter(local_events(desk)))  # any event's case: take its case id
        with desk.read_session() as s:
            case_id = s.scalar(select(CaseEvent.case_id).where(CaseEvent.id == case_id))
        rc, _, err = county_run(capsys, server, "review", "record", case_id, "--result", "同意",
                                "--opinion", "事实清楚，证据确凿，同意处罚")
        assert rc == 0, err
        back = tmp_path / "usb" / "to-desk.lsb"
        device = _device_id(capsys, server)
        rc, out, err = county_run(capsys, server, "bundle", "export", "--device", device, "--out", str(back), "--json")
        assert rc == 0, err
        assert json.loads(out)["answers"] == 1

        rc, out, err = desk_run(capsys, desk, "sync", "import", str(back), "--json")
        assert rc == 0, err
        got = json.loads(out)
        assert got["accepted"] == pending and got["already_imported"] is False
        with desk.read_session() as s:
            opinions = s.scalars(select(CaseEvent).where(CaseEvent.case_id == case_id,
                                                         CaseEvent.type == V.EV_COUNTY_REVIEW_OPINION)).all()
        assert len(opinions) == 1  # the county's 法制审核 opinion became the case's county-side event
        assert outbox_states(desk) == {"acked": pending, "pending": 1}  # only the new county-side event waits

        # the next trip carries that event; the county's answer for it comes back and clears it
        rc, _, err = desk_run(capsys, desk, "sync", "export", "--out", str(out_file))
        assert rc == 0, err
        assert county_run(capsys, server, "bundle", "import", str(out_file))[0] == 0
        assert county_run(capsys, server, "bundle", "export", "--device", device, "--out", str(back))[0] == 0
        rc, out, err = desk_run(capsys, desk, "sync", "import", str(back))
        assert rc == 0, err
        assert "已导入县级数据包" in out
        assert outbox_states(desk) == {"acked": pending + 1}
        assert hub_events(server) == local_events(desk)


def test_importing_twice_changes_nothing_at_either_end(desk, tmp_path, capsys):
    with running_hub("sqlite", tmp_path) as server:
        enroll(desk, server)
        f = tmp_path / "a.lsb"
        assert desk_run(capsys, desk, "sync", "export", "--out", str(f))[0] == 0
        assert county_run(capsys, server, "bundle", "import", str(f))[0] == 0
        before_hub, before_events = _hub_meta(server), hub_events(server)
        rc, out, _ = county_run(capsys, server, "bundle", "import", str(f))
        assert rc == 0 and "已导入过" in out and "未作任何改动" in out
        assert _hub_meta(server) == before_hub and hub_events(server) == before_events

        back = tmp_path / "b.lsb"
        assert county_run(capsys, server, "bundle", "export", "--device", _device_id(capsys, server),
                          "--out", str(back))[0] == 0
        assert desk_run(capsys, desk, "sync", "import", str(back))[0] == 0
        snap = _desk_snapshot(desk)
        rc, out, _ = desk_run(capsys, desk, "sync", "import", str(back))
        assert rc == 0 and "已导入过" in out and "未作任何改动" in out
        assert _desk_snapshot(desk) == snap


def test_an_older_return_bundle_cannot_roll_reference_data_back(desk, tmp_path, capsys):
    """Reference data by USB obey the same rule as over the network: never back to an older state."""
    with running_hub("sqlite", tmp_path) as server:
        enroll(desk, server)
        device = _device_id(capsys, server)
        policy = tmp_path / "policy.json"
        old, new = tmp_path / "old.lsb", tmp_path / "new.lsb"
        from lishui_desk.services import reference

        body = json.loads(json.dumps(reference.bundled_batches()["policy"][0].body))
        body["effective_from"] = "2026-01-01"
        policy.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
        assert county_run(capsys, server, "publish", "policy", str(policy))[0] == 0
        assert county_run(capsys, server, "bundle", "export", "--device", device, "--out", str(old))[0] == 0
        assert county_run(capsys, server, "publish", "policy", str(policy))[0] == 0  # a second version
        assert county_run(capsys, server, "bundle", "export", "--device", device, "--out", str(new))[0] == 0
        assert desk_run(capsys, desk, "sync", "import", str(new))[0] == 0
        snap = _desk_snapshot(desk)
        assert ("policy", "policy", 2) in snap[2] or any(r[0] == "policy" and r[2] >= 2 for r in snap[2])
        rc, _, err = desk_run(capsys, desk, "sync", "import", str(old))
        assert rc == 2 and "不是最新" in err
        assert _desk_snapshot(desk) == snap


def _refusals_leave_hub_unchanged(capsys, server, f: Path, expect: str) -> None:
    before_meta, before_events = _hub_meta(server), hub_events(server)
    rc, _, err = county_run(capsys, server, "bundle", "import", str(f))
    assert rc == 2 and expect in err, err
    assert "未导入" in err
    assert _hub_meta(server) == before_meta and hub_events(server) == before_events


def test_changed_bytes_anywhere_are_refused_and_change_nothing(desk, tmp_path, capsys):
    with running_hub("sqlite", tmp_path) as server:
        enroll(desk, server)
        f = tmp_path / "a.lsb"
        assert desk_run(capsys, desk, "sync", "export", "--out", str(f))[0] == 0
        data = f.read_bytes()
        header_end = len(B.MAGIC) + 4 + int.from_bytes(data[len(B.MAGIC):len(B.MAGIC) + 4], "big")
        bad = tmp_path / "bad.lsb"
        # a byte of the header's id, of the signature, of the ciphertext, and the last byte
        for pos, expect in ((header_end - 20, "签名无效"), (header_end + 5, "签名无效"),
                            (header_end + 64 + 10, "签名无效"), (len(data) - 1, "签名无效"), (3, "不是执法数据包")):
            changed = bytearray(data)
            changed[pos] ^= 0x01
            bad.write_bytes(bytes(changed))
            _refusals_leave_hub_unchanged(capsys, server, bad, expect)
        bad.write_bytes(data[: len(data) // 2])  # a truncated copy
        _refusals_leave_hub_unchanged(capsys, server, bad, "签名无效")
        assert county_run(capsys, server, "bundle", "import", str(f))[0] == 0  # the intact one still imports


def test_expired_bundles_are_refused_at_both_ends(desk, tmp_path, capsys, monkeypatch):
    with running_hub("sqlite", tmp_path) as server:
        enroll(desk, server)
        f = tmp_path / "a.lsb"
        assert desk_run(capsys, desk, "sync", "export", "--out", str(f), "--days", "2")[0] == 0
        back = tmp_path / "b.lsb"
        assert county_run(capsys, server, "bundle", "export", "--device", _device_id(capsys, server),
                          "--out", str(back), "--days", "2")[0] == 0
        later = now_utc() + timedelta(days=3)
        monkeypatch.setattr(B, "now_utc", lambda: later)  # three days on, in the bundle code's clock
        _refusals_leave_hub_unchanged(capsys, server, f, "过期")
        snap = _desk_snapshot(desk)
        rc, _, err = desk_run(capsys, desk, "sync", "import", str(back))
        assert rc == 2 and "过期" in err and "重新导出" in err
        assert _desk_snapshot(desk) == snap


def test_a_bundle_for_another_recipient_is_refused(template, desk, tmp_path, capsys):
    other = open_demo(copy_profile(template, tmp_path / "other"))
    other.data_root = tmp_path / "other"
    try:
        with running_hub("sqlite", tmp_path) as server, running_hub("sqlite", tmp_path / "h2") as second:
            enroll(desk, server)
            enroll(other, server)  # a second laptop of the same officer: another device
            devices = json.loads(county_run(capsys, server, "device", "list", "--json")[1])["devices"]
            first_device = devices[0]["id"]
            back = tmp_path / "for-first.lsb"
            assert county_run(capsys, server, "bundle", "export", "--device", first_device, "--out", str(back))[0] == 0
            snap = _desk_snapshot(other)
            rc, _, err = desk_run(capsys, other, "sync", "import", str(back))
            assert rc == 2 and "不是发给本机" in err
            assert _desk_snapshot(other) == snap
            # the desk's bundle taken to another county hub
            f = tmp_path / "a.lsb"
            assert desk_run(capsys, desk, "sync", "export", "--out", str(f))[0] == 0
            rc, _, err = county_run(capsys, second, "bundle", "import", str(f))
            assert rc == 2 and "未在县级平台登记" in err
            assert hub_events(second) == {}
            # the desk's bundle imported where a desk import is expected
            rc, _, err = desk_run(capsys, other, "sync", "import", str(f))
            assert rc == 2 and "不能在这里导入" in err
    finally:
        other.close()
