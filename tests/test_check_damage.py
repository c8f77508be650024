"""`check` on a damaged database: every finding is reported in Chinese, damage exits 4 (restore a
backup) apart from an edited record (exit 1), nothing raises a traceback, and the other commands
say the file is damaged instead of crashing. Real SQCipher files with real flipped bytes."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from lishui_desk.cli import main
from tests.conftest import DEMO_PW, REPO

PAGE = 4096


def _flip(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x5A
    path.write_bytes(bytes(data))


def _db(root: Path) -> Path:
    return root / "profiles" / "demo" / "desk.db"


def _check(root: Path, capsys, *extra: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["check", "--data-dir", str(root), *extra])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture(autouse=True)
def _pw(monkeypatch):
    monkeypatch.setenv("LISHUI_DESK_PASSPHRASE", DEMO_PW)


def test_flipped_bytes_anywhere_are_reported_as_damage_with_advice(clone_profile, capsys):
    rng = random.Random(20261201)
    size = _db(clone_profile()).stat().st_size  # the template's size
    offsets = [rng.randrange(PAGE, size) for _ in range(8)] + [rng.randrange(0, PAGE)]
    for offset in offsets:
        root = clone_profile()
        _flip(_db(root), offset)
        code, out, err = _check(root, capsys, "--json")
        assert code == 4, (offset, out, err)
        report = json.loads(out)
        assert report["damaged"] and not report["ok"]
        assert all(p["severity"] == "damaged" for p in report["problems"])
        assert any("备份恢复" in a for a in report["advice"])
        assert "已损坏" in err
        for p in report["problems"]:  # Chinese sentences, not SQLite's English on its own
            assert any("\u4e00" <= ch <= "\u9fff" for ch in p["message"]), p


def test_damage_in_the_text_report_names_pages_and_what_to_do(clone_profile, capsys):
    root = clone_profile()
    size = _db(root).stat().st_size
    _flip(_db(root), size // 2)
    code, out, _err = _check(root, capsys)
    assert code == 4
    assert "加密页无法通过校验" in out and "页" in out
    assert "处理建议" in out and "备份" in out
    assert "✓ 全部通过" not in out


def test_damaged_database_in_a_real_process_no_traceback(clone_profile):
    root = clone_profile()
    _flip(_db(root), _db(root).stat().st_size // 3)
    env = {**os.environ, "LISHUI_DESK_PASSPHRASE": DEMO_PW}
    for args in (["check"], ["case", "list"], ["info"]):
        r = subprocess.run([sys.executable, "-m", "lishui_desk.cli", *args, "--data-dir", str(root)], cwd=REPO,
                           capture_output=True, text=True, env=env, timeout=120)
        assert "Traceback" not in r.stderr, (args, r.stderr)
        assert r.returncode in (0, 4), (args, r.returncode, r.stderr)
        if r.returncode == 4:
            assert "已损坏" in r.stderr
    assert r.returncode in (0, 4)


def test_edited_record_exits_1_not_4(clone_profile, capsys):
    import sqlcipher3

    from lishui_desk.crypto import keyring

    root = clone_profile()
    key = keyring.unlock(root / "profiles" / "demo" / "keyring.json", DEMO_PW)
    con = sqlcipher3.connect(str(_db(root)))
    con.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    con.execute("DROP TRIGGER case_events_no_update")
    con.execute("UPDATE case_events SET actor_id = 'x' WHERE seq = 1 AND rowid = (SELECT min(rowid) FROM case_events)")
    con.commit()
    con.close()
    code, out, err = _check(root, capsys, "--json")
    assert code == 1, err
    report = json.loads(out)
    assert report["tampered"] and not report["damaged"]
    assert "县局" in " ".join(report["advice"])
