"""Backup → restore → check on real profiles: the archive restores byte-identical evidence and a
record that verifies; a damaged or truncated archive, another profile's archive or a wrong
passphrase replace nothing; a backup taken while another process writes restores cleanly."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from lishui_desk.cli import main
from lishui_desk.errors import CorruptFile, InvalidInput, WrongPassphrase
from lishui_desk.paths import profile_paths
from lishui_desk.restore import restore_profile
from lishui_desk.services.backup import auto_backup
from lishui_desk.storage import backup as store
from lishui_desk.storage.profile import counts, open_profile
from tests.conftest import DEMO_PW, REPO

LEAD = {"lead_on": "2026-11-20", "source": "巡查发现", "summary": "备份后登记的线索", "item_code": "331101003000",
        "violation_date": "2026-11-20"}


@pytest.fixture(autouse=True)
def _pw(monkeypatch):
    monkeypatch.setenv("LISHUI_DESK_PASSPHRASE", DEMO_PW)


def _cli(capsys, *args: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out + out.err


def _backup(root: Path, usb: Path, capsys) -> Path:
    code, out = _cli(capsys, "backup", "--out", str(usb), "--data-dir", str(root))
    assert code == 0, out
    (archive,) = usb.glob("*.lsdbak")
    return archive


def _snapshot(root: Path) -> dict:
    prof = open_profile("demo", DEMO_PW, root=root)
    try:
        c = counts(prof)
        blobs = {b: prof.evidence.path_of(b).read_bytes() for b in prof.evidence.list_ids()}
        return {"cases": c["cases"], "events": c["events"], "blobs": blobs}
    finally:
        prof.close()


def test_backup_restore_check_round_trip(clone_profile, tmp_path, capsys):
    root = clone_profile()
    before = _snapshot(root)
    assert before["blobs"], "the template holds a photo"
    archive = _backup(root, tmp_path / "usb", capsys)
    assert (archive.stat().st_mode & 0o777) == 0o600
    assert b"SQLite format" not in archive.read_bytes() and "叶建国".encode() not in archive.read_bytes()
    lead = tmp_path / "lead.json"
    lead.write_text(json.dumps(LEAD), "utf-8")
    assert _cli(capsys, "case", "create", "--payload", str(lead), "--data-dir", str(root))[0] == 0
    code, out = _cli(capsys, "restore", str(archive), "--data-dir", str(root))
    assert code == 0, out
    assert "全部校验通过" in out and "原档案已另存为" in out
    after = _snapshot(root)
    assert after == before  # the lead registered after the backup is gone, evidence byte-identical
    code, out = _cli(capsys, "check", "--json", "--data-dir", str(root))
    assert code == 0 and json.loads(out)["ok"], out
    prof = open_profile("demo", DEMO_PW, root=root)
    assert prof.meta("numbering_hold") == "1" and prof.meta("restored_from_backup")
    prof.close()
    kept = [p for p in (root / "profiles").iterdir() if p.name.startswith(".demo.replaced-")]
    assert len(kept) == 1 and (kept[0] / "desk.db").exists()  # the replaced profile is kept, not deleted


def test_restore_into_an_empty_root_on_another_machine(clone_profile, tmp_path, capsys):
    root = clone_profile()
    archive = _backup(root, tmp_path / "usb", capsys)
    fresh = tmp_path / "new-laptop"
    code, out = _cli(capsys, "restore", str(archive), "--data-dir", str(fresh))
    assert code == 0, out
    assert _snapshot(fresh) == _snapshot(root)


@pytest.mark.parametrize("damage", ["flip-body", "flip-header", "truncate"])
def test_damaged_archive_replaces_nothing(clone_profile, tmp_path, damage):
    root = clone_profile()
    prof = open_profile("demo", DEMO_PW, root=root)
    archive = store.create_backup(prof, tmp_path / "usb").path
    prof.close()
    data = bytearray(archive.read_bytes())
    if damage == "flip-body":
        data[len(data) // 2] ^= 0x01
    elif damage == "flip-header":
        data[40] ^= 0x01
    else:
        data = data[: len(data) - 100]
    archive.write_bytes(bytes(data))
    db_before = profile_paths("demo", root).db.read_bytes()
    with pytest.raises((CorruptFile, WrongPassphrase)):
        restore_profile(archive, DEMO_PW, root=root)
    assert profile_paths("demo", root).db.read_bytes() == db_before
    assert not [p for p in (root / "profiles").iterdir() if p.name.startswith(".")]  # no staging left


def test_another_profiles_backup_is_refused_unless_asked(clone_profile, tmp_path, fast_kdf):
    root = clone_profile()
    from lishui_desk.storage.profile import create_empty_profile

    other_root = tmp_path / "other"
    other = create_empty_profile("demo", "another passphrase", root=other_root, kdf_params=fast_kdf)
    archive = store.create_backup(other, tmp_path / "usb").path
    other.close()
    with pytest.raises(InvalidInput, match="另一个档案"):
        restore_profile(archive, "another passphrase", root=root)
    assert _snapshot(root)["cases"] >= 20  # untouched
    result = restore_profile(archive, "another passphrase", root=root, allow_other_profile=True)
    assert result.cases == 0


def test_wrong_passphrase_counts_towards_the_lockout(clone_profile, tmp_path):
    root = clone_profile()
    prof = open_profile("demo", DEMO_PW, root=root)
    archive = store.create_backup(prof, tmp_path / "usb").path
    prof.close()
    for _ in range(3):
        with pytest.raises(WrongPassphrase):
            restore_profile(archive, "not the passphrase", root=root)
    from lishui_desk.storage.profile import lockout_wait

    with pytest.raises(Exception, match="请等待"):
        restore_profile(archive, DEMO_PW, root=root)
    assert lockout_wait("demo", root) > 0


def test_online_backup_while_another_process_writes(clone_profile, tmp_path):
    root = clone_profile()
    paths = profile_paths("demo", root)
    from lishui_desk.crypto.keyring import unlock

    env = {**os.environ, "PYTHONPATH": str(REPO)}
    child = subprocess.Popen([sys.executable, "-m", "tests.wal_child", str(root), unlock(paths.keyring, DEMO_PW).hex(),
                              "40"], cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().startswith("committed"), child.stderr.read()
        prof = open_profile("demo", DEMO_PW, root=root)
        archive = store.create_backup(prof, tmp_path / "usb").path  # while the child keeps committing
        prof.close()
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    result = restore_profile(archive, DEMO_PW, root=tmp_path / "restored")
    assert result.cases >= 21  # the template's cases plus what the child had committed


def test_rolling_backups_once_a_day_keep_n(clone_profile, tmp_path):
    root = clone_profile()
    prof = open_profile("demo", DEMO_PW, root=root)
    try:
        usb = tmp_path / "auto"
        assert auto_backup(prof, usb) is not None
        assert auto_backup(prof, usb) is None  # already today
        for n in range(9):  # older days' archives
            (usb / f"demo-2026010{n}-000000.lsdbak").write_bytes(b"old")
        removed = store.prune(usb, "demo", 7)
        assert len(removed) == 3 and len(list(usb.glob("*.lsdbak"))) == 7
        assert any(p.stat().st_size > 100 for p in usb.glob("*.lsdbak"))  # the real, newest one is kept
    finally:
        prof.close()


def test_rekey_replaces_the_data_key_so_an_old_keyring_copy_no_longer_opens(clone_profile, tmp_path, capsys):
    import shutil

    from lishui_desk.crypto.keyring import unlock

    root = clone_profile()
    paths = profile_paths("demo", root)
    before = _snapshot(root)
    old_keyring = tmp_path / "old-keyring.json"
    shutil.copy2(paths.keyring, old_keyring)  # what a departed officer might have kept
    old_key = unlock(old_keyring, DEMO_PW)
    code, out = _cli(capsys, "rekey", "--data-dir", str(root))
    assert code == 0, out
    new_key = unlock(paths.keyring, DEMO_PW)
    assert new_key != old_key
    from lishui_desk.storage.profile import open_with_key

    with pytest.raises(CorruptFile):  # the old data key no longer opens the database
        open_with_key("demo", old_key, root=root)
    from lishui_desk.evidence_store import EvidenceStore

    old_store = EvidenceStore(paths.evidence, old_key)
    assert old_store.list_ids()
    for blob in old_store.list_ids():  # evidence re-encrypted: the old key fails every tag
        with pytest.raises(CorruptFile):
            list(old_store.read_chunks(blob))
    after = _snapshot(root)
    assert (after["cases"], after["events"]) == (before["cases"], before["events"])
    assert after["blobs"].keys() == before["blobs"].keys()
    code, out = _cli(capsys, "check", "--json", "--data-dir", str(root))
    assert code == 0 and json.loads(out)["ok"], out
    assert not [p for p in (root / "profiles").iterdir() if p.name.startswith(".")]  # old copy deleted


def test_rekey_refuses_an_edited_record(clone_profile, capsys):
    import sqlcipher3

    from lishui_desk.crypto.keyring import unlock

    root = clone_profile()
    paths = profile_paths("demo", root)
    con = sqlcipher3.connect(str(paths.db))
    con.execute(f"PRAGMA key = \"x'{unlock(paths.keyring, DEMO_PW).hex()}'\"")
    con.execute("UPDATE cases SET party_name = '张三' WHERE party_name IS NOT NULL")
    con.commit()
    con.close()
    key_before = paths.keyring.read_bytes()
    code, out = _cli(capsys, "rekey", "--data-dir", str(root))
    assert code == 1 and "未更换数据密钥" in out
    assert paths.keyring.read_bytes() == key_before
