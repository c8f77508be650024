"""Leftovers and permissions: a killed evidence import leaves no temporary file once the profile
is opened again, a refused import leaves no blob, orphans are reported by check and removable,
everything a profile holds is owner-only from the start, and a closed profile cannot reconnect."""

from __future__ import annotations

import gc
import json
import os
import signal
import stat
import subprocess
import sys
import weakref
from pathlib import Path

import pytest
from PIL import Image

from lishui_desk.cli import main
from lishui_desk.crypto import atomic_writer
from lishui_desk.crypto.keyring import unlock
from lishui_desk.edge import CaseDesk
from lishui_desk.errors import DeskError
from lishui_desk.paths import profile_paths
from lishui_desk.storage.profile import clean_leftovers, open_profile
from tests.conftest import DEMO_PW, REPO


def _mode(p: Path) -> int:
    return stat.S_IMODE(p.stat().st_mode)


def _temps(directory: Path) -> list[Path]:
    return [p for p in directory.iterdir() if p.name.startswith(".") and p.name.endswith(".tmp")]


def test_killed_evidence_import_leaves_no_temp_file_after_reopen(clone_profile):
    root = clone_profile()
    paths = profile_paths("demo", root)
    key = unlock(paths.keyring, DEMO_PW)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    child = subprocess.Popen([sys.executable, "-m", "tests.evidence_child", str(root), key.hex()], cwd=REPO,
                             env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert child.stdout.readline().strip() == b"ready"
    chunk = os.urandom(1 << 20)
    for _ in range(3):  # a pipe blocks once full: the child is encrypting while we write
        child.stdin.write(chunk)
        child.stdin.flush()
    while not any(p.stat().st_size >= 2 << 20 for p in _temps(paths.evidence)):
        assert child.poll() is None, child.stderr.read()
    child.send_signal(signal.SIGKILL)
    child.wait()
    child.stdin.close()
    assert _temps(paths.evidence), "the kill should have left a temporary file"
    prof = open_profile("demo", DEMO_PW, root=root)
    prof.close()
    assert _temps(paths.evidence) == []


def test_a_temp_file_being_written_is_not_cleaned(empty_profile):
    target = empty_profile.paths.evidence / "x.lsev"
    with atomic_writer(target) as fh:
        fh.write(b"half written")
        assert clean_leftovers(empty_profile.paths) == (0, 0)
        assert len(_temps(empty_profile.paths.evidence)) == 1
    assert target.read_bytes() == b"half written"


def test_refused_evidence_import_leaves_no_blob(clone_profile, tmp_path):
    root = clone_profile()
    prof = open_profile("demo", DEMO_PW, root=root)
    try:
        photo = tmp_path / "p.png"
        Image.new("RGB", (8, 8)).save(photo)
        before = prof.evidence.list_ids()
        from sqlalchemy import select

        from lishui_desk.models import Case

        with prof.read_session() as s:
            closed = s.scalars(select(Case.id).where(Case.is_open.is_(False))).first()
        with pytest.raises(DeskError):
            CaseDesk(prof).add_evidence_file(closed, photo, "视听资料", "结案后补拍")
        assert prof.evidence.list_ids() == before
    finally:
        prof.close()


def test_orphan_blob_is_reported_by_check_and_removed_on_request(clone_profile, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("LISHUI_DESK_PASSPHRASE", DEMO_PW)
    root = clone_profile()
    prof = open_profile("demo", DEMO_PW, root=root)
    src = tmp_path / "stray.bin"
    src.write_bytes(os.urandom(5000))
    stray = prof.evidence.put_file(src).blob_id  # what a kill between file and row leaves
    kept = [b for b in prof.evidence.list_ids() if b != stray]
    prof.close()
    capsys.readouterr()
    assert main(["check", "--json", "--data-dir", str(root)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] and len(report["notices"]) == 1 and "没有任何记录引用" in report["notices"][0]
    assert main(["check", "--remove-orphans", "--data-dir", str(root)]) == 0
    assert "已删除 1 个" in capsys.readouterr().out
    prof = open_profile("demo", DEMO_PW, root=root)
    assert prof.evidence.list_ids() == kept  # the case's photo is still there
    prof.close()
    assert main(["check", "--json", "--data-dir", str(root)]) == 0
    assert json.loads(capsys.readouterr().out)["notices"] == []


def test_profile_files_and_exported_pdfs_are_owner_only_from_the_start(tmp_path):
    root = tmp_path / "fresh"
    env = {**os.environ, "LISHUI_DESK_PASSPHRASE": DEMO_PW}

    def run(*args):
        # a lax umask in the caller's shell, as on a default desktop
        return subprocess.run(["sh", "-c", 'umask 022 && exec "$@"', "sh", sys.executable, "-m", "lishui_desk.cli",
                               *args, "--data-dir", str(root)], cwd=REPO, capture_output=True, text=True, env=env,
                              timeout=300)
    r = run("demo")
    assert r.returncode == 0, r.stderr
    case = next(c for c in json.loads(run("case", "list", "--json").stdout)["cases"] if c["case_number"])
    ready = [d for d in json.loads(run("doc", "available", "--case", case["id"], "--json").stdout) if d["ready"]]
    pdf = tmp_path / "out" / "sample.pdf"
    r = run("doc", "preview", ready[0]["doc_type"], "--case", case["id"], "--out", str(pdf))
    assert r.returncode == 0, r.stderr
    assert _mode(pdf) == 0o600
    paths = profile_paths("demo", root)
    for d in (root, root / "profiles", paths.root):
        assert _mode(d) == 0o700, d
    files = [p for p in paths.root.rglob("*") if p.is_file()]
    assert any(p.name == "desk.db" for p in files) and any(p.name == "lockout.json" for p in files)
    for p in files:
        assert _mode(p) == 0o600, p
    for p in paths.root.rglob("*"):
        if p.is_dir():
            assert _mode(p) == 0o700, p


def test_closed_profile_drops_the_key_and_cannot_reconnect(empty_profile):
    prof = empty_profile
    engine_ref = weakref.ref(prof.engine)
    key_hex = prof.data_key.hex()
    prof.close()
    gc.collect()
    assert engine_ref() is None  # nothing the profile keeps can reconnect with the key
    assert prof.engine is None and prof.evidence is None
    assert key_hex not in repr(vars(prof))
    with pytest.raises(DeskError, match="已锁定"):
        with prof.session():
            pass
    prof.close()  # closing twice is harmless
