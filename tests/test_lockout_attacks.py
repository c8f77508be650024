"""Attacks on the wrong-passphrase lockout and on the keyring, with real files and processes:
passwd goes through the lockout, parallel guesses cannot race past it, deleting the counter
does not reset it, and a damaged keyring is told apart from a wrong passphrase (not counted)."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lishui_desk.crypto import keyring
from lishui_desk.crypto.lockout import Lockout
from lishui_desk.errors import CorruptFile, LockedOut, WrongPassphrase
from lishui_desk.paths import profile_paths
from lishui_desk.storage.profile import (
    change_passphrase,
    create_empty_profile,
    lockout_wait,
    unlock_data_key,
)
from tests.conftest import REPO

PW = "correct horse battery"


@pytest.fixture
def prof_root(tmp_path, fast_kdf) -> Path:
    create_empty_profile("p", PW, root=tmp_path, kdf_params=fast_kdf).close()
    return tmp_path


def _failures(root: Path, mac: bytes | None = None) -> int:
    paths = profile_paths("p", root)
    return Lockout(paths.lockout, mac or keyring.lockout_mac_key(paths.keyring)).failures


def _cli(root: Path, *args: str, pw: str, new: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "LISHUI_DESK_PASSPHRASE": pw}
    if new:
        env["LISHUI_DESK_NEW_PASSPHRASE"] = new
    return subprocess.run([sys.executable, "-m", "lishui_desk.cli", *args, "--data-dir", str(root),
                           "--profile", "p"], cwd=REPO, capture_output=True, text=True, env=env, timeout=120)


def test_passwd_counts_wrong_guesses_and_is_refused_when_locked(prof_root):
    for n in range(1, 4):
        r = _cli(prof_root, "passwd", pw="wrong guess number", new="another passphrase")
        assert r.returncode == 2 and "口令错误" in r.stderr
        assert _failures(prof_root) == n
    r = _cli(prof_root, "passwd", pw=PW, new="another passphrase")  # even the right one must wait
    assert r.returncode == 2 and "请等待" in r.stderr, r.stderr
    assert _failures(prof_root) == 3
    with pytest.raises(LockedOut):
        change_passphrase("p", PW, "another passphrase", root=prof_root)


@pytest.mark.parametrize("how", ["unlock", "passwd"])
def test_parallel_wrong_guesses_are_all_counted_and_none_skips_the_wait(prof_root, tmp_path, how):
    start = tmp_path / f"start-{how}"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    children = [subprocess.Popen([sys.executable, "-m", "tests.passphrase_child", str(prof_root), "p",
                                  f"wrong guess {i:02d}", str(start), how], cwd=REPO, env=env,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for i in range(8)]
    time.sleep(0.5)  # not a correctness condition: only lets the children reach the start line
    start.touch()
    outcomes = []
    for c in children:
        out, err = c.communicate(timeout=120)
        assert c.returncode == 0, err
        outcomes.append(out.strip())
    assert set(outcomes) <= {"locked", "wrong"}, outcomes
    tried = outcomes.count("wrong")
    assert _failures(prof_root) == tried  # no lost update
    assert tried >= 3  # the first three are free, so at least those were tried


def test_deleting_the_counter_does_not_reset_it(prof_root):
    for _ in range(4):
        with pytest.raises((WrongPassphrase, LockedOut)):
            unlock_data_key("p", "wrong guess again", root=prof_root)
    profile_paths("p", prof_root).lockout.unlink()
    with pytest.raises(LockedOut) as err:
        unlock_data_key("p", PW, root=prof_root)
    assert err.value.wait_seconds >= 299
    assert "缺失或校验失败" in err.value.message
    assert lockout_wait("p", prof_root) >= 299


def _keyring_bytes(root: Path) -> Path:
    return profile_paths("p", root).keyring


def test_every_flipped_byte_of_the_keyring_is_damage_not_a_wrong_passphrase(prof_root):
    path = _keyring_bytes(prof_root)
    original = path.read_bytes()
    for offset in range(len(original)):
        data = bytearray(original)
        data[offset] ^= 0x01
        path.write_bytes(bytes(data))
        try:
            unlock_data_key("p", PW, root=prof_root)
        except CorruptFile as exc:
            err = exc
        else:
            raise AssertionError(f"flip at {offset} ({original[offset:offset + 1]!r}) went unnoticed")
        assert "密钥文件" in err.message and "已损坏" in err.message, offset
        assert "锁定记录" not in err.message
    path.write_bytes(original)
    assert _failures(prof_root) == 0  # none of it counted towards the lockout
    assert len(unlock_data_key("p", PW, root=prof_root)) == 32


@pytest.mark.parametrize("field", ["salt", "nonce", "ciphertext"])
def test_damage_to_each_wrap_field_is_named_as_keyring_damage(prof_root, field):
    path = _keyring_bytes(prof_root)
    mac = keyring.lockout_mac_key(path)
    doc = json.loads(path.read_text("utf-8"))
    raw = bytearray(base64.b64decode(doc["passphrase_wrap"][field]))
    raw[0] ^= 0x80
    text = path.read_text("utf-8").replace(doc["passphrase_wrap"][field], base64.b64encode(bytes(raw)).decode())
    path.write_text(text, "utf-8")
    with pytest.raises(CorruptFile, match="校验和不符"):
        unlock_data_key("p", PW, root=prof_root)
    assert _failures(prof_root, mac) == 0


@pytest.mark.parametrize(("memory_cost", "iterations"), [(1024 * 1024, 32), (4 * 1024 * 1024, 1), (65536, 10**6)])
def test_kdf_parameters_from_a_tampered_keyring_are_bounded(prof_root, memory_cost, iterations):
    """Even with the checksum recomputed, unlock refuses parameters that would take minutes."""
    path = _keyring_bytes(prof_root)
    mac = keyring.lockout_mac_key(path)
    doc = json.loads(path.read_text("utf-8"))
    doc["passphrase_wrap"].update(memory_cost=memory_cost, iterations=iterations)
    doc["checksum"] = keyring._checksum(doc)
    path.write_text(json.dumps(doc), "utf-8")
    with pytest.raises(CorruptFile, match="Argon2id"):
        unlock_data_key("p", PW, root=prof_root)
    assert _failures(prof_root, mac) == 0


def test_wrong_passphrase_on_an_intact_keyring_is_the_only_wrong_passphrase(prof_root):
    with pytest.raises(WrongPassphrase):
        unlock_data_key("p", "not the passphrase", root=prof_root)
    assert _failures(prof_root) == 1


def test_a_keyring_from_before_the_checksum_is_upgraded_on_unlock(prof_root):
    """Older profiles: no checksum, no lockout_required — deleting the counter used to reset it."""
    path = _keyring_bytes(prof_root)
    doc = json.loads(path.read_text("utf-8"))
    for k in ("checksum", "lockout_required"):
        doc.pop(k)
    path.write_text(json.dumps(doc), "utf-8")
    profile_paths("p", prof_root).lockout.unlink()
    assert len(unlock_data_key("p", PW, root=prof_root)) == 32  # legacy file: missing counter = 0
    upgraded = json.loads(path.read_text("utf-8"))
    assert upgraded["lockout_required"] is True and "checksum" in upgraded
    profile_paths("p", prof_root).lockout.unlink()
    with pytest.raises(LockedOut):  # from now on a deleted counter is the maximum wait
        unlock_data_key("p", PW, root=prof_root)
