"""Wrong-passphrase lockout: growing delay, persisted across restarts, MAC-protected."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lishui_desk.crypto import keyring, lockout
from lishui_desk.crypto.lockout import Lockout
from lishui_desk.errors import InvalidInput, LockedOut

KEY = b"k" * 32


class Clock:
    def __init__(self, start: float = 1_750_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "lockout.json"


def test_first_three_failures_are_free(path: Path, clock: Clock) -> None:
    lo = Lockout(path, KEY, clock=clock)
    for _ in range(2):
        assert lo.record_failure() == 0
        lo.check()
    assert lo.record_failure() == lockout.BASE_DELAY_SECONDS
    assert lo.failures == 3


def test_delay_grows_doubling_and_caps(path: Path, clock: Clock) -> None:
    lo = Lockout(path, KEY, clock=clock)
    waits = []
    for _ in range(12):
        waits.append(lo.record_failure())
    assert waits[:3] == [0, 0, 2]
    assert waits[3:8] == [4, 8, 16, 32, 64]
    assert waits[8] == 128 and waits[9] == 256
    assert waits[10] == waits[11] == lockout.MAX_DELAY_SECONDS == 300


def test_check_raises_with_remaining_wait_until_it_passes(path: Path, clock: Clock) -> None:
    lo = Lockout(path, KEY, clock=clock)
    for _ in range(4):
        lo.record_failure()  # 4 failures -> 4 s
    with pytest.raises(LockedOut) as err:
        lo.check()
    assert err.value.wait_seconds == pytest.approx(4)
    assert "4秒" in err.value.message and "4次" in err.value.message
    clock.advance(2.5)
    with pytest.raises(LockedOut) as err:
        lo.check()
    assert err.value.wait_seconds == pytest.approx(1.5)
    assert "2秒" in err.value.message  # rounded up, never invites a too-early retry
    clock.advance(1.6)
    lo.check()
    assert lo.remaining() == 0


def test_counter_survives_restart(path: Path, clock: Clock) -> None:
    first = Lockout(path, KEY, clock=clock)
    for _ in range(5):
        first.record_failure()  # -> 8 s
    clock.advance(1)
    restarted = Lockout(path, KEY, clock=clock)
    assert restarted.failures == 5
    with pytest.raises(LockedOut) as err:
        restarted.check()
    assert err.value.wait_seconds == pytest.approx(7)


def test_success_resets(path: Path, clock: Clock) -> None:
    lo = Lockout(path, KEY, clock=clock)
    for _ in range(6):
        lo.record_failure()
    clock.advance(600)
    lo.check()
    lo.record_success()
    assert Lockout(path, KEY, clock=clock).failures == 0
    assert lo.record_failure() == 0  # back to the free attempts


def test_edited_counter_means_maximum_delay(path: Path, clock: Clock) -> None:
    lo = Lockout(path, KEY, clock=clock)
    for _ in range(5):
        lo.record_failure()
    doc = json.loads(path.read_text())
    doc["failures"] = 0  # the attacker resets the counter but cannot fix the MAC
    path.write_text(json.dumps(doc))
    with pytest.raises(LockedOut) as err:
        Lockout(path, KEY, clock=clock).check()
    assert err.value.wait_seconds == lockout.MAX_DELAY_SECONDS
    assert "校验失败" in err.value.message and str(path) in err.value.message
    # the maximum delay is persisted: a restart a minute later still waits the rest of it
    clock.advance(60)
    with pytest.raises(LockedOut) as err:
        Lockout(path, KEY, clock=clock).check()
    assert err.value.wait_seconds == pytest.approx(240)
    clock.advance(241)
    lo.check()
    assert lo.record_failure() == lockout.MAX_DELAY_SECONDS


@pytest.mark.parametrize("content", [b"", b"{not json", b"[]", b'{"failures": 0}'])
def test_garbage_lockout_file_means_maximum_delay(path: Path, clock: Clock, content: bytes) -> None:
    path.write_bytes(content)
    with pytest.raises(LockedOut) as err:
        Lockout(path, KEY, clock=clock).check()
    assert err.value.wait_seconds == lockout.MAX_DELAY_SECONDS


def test_file_from_another_profile_is_rejected(tmp_path: Path, clock: Clock) -> None:
    a = tmp_path / "a.json"
    Lockout(a, KEY, clock=clock).record_success()  # a clean zero-failure file under KEY
    with pytest.raises(LockedOut):
        Lockout(a, b"x" * 32, clock=clock).check()


def test_missing_file_counts_as_zero(path: Path, clock: Clock) -> None:
    lo = Lockout(path, KEY, clock=clock)
    lo.check()
    assert lo.failures == 0
    assert not path.exists()


def test_clock_moved_back_does_not_lock_forever(path: Path, clock: Clock) -> None:
    lo = Lockout(path, KEY, clock=clock)
    for _ in range(4):
        lo.record_failure()  # 4 s
    clock.advance(-86400 * 365)
    with pytest.raises(LockedOut) as err:
        lo.check()
    assert err.value.wait_seconds <= 4
    clock.advance(5)
    lo.check()


def test_short_mac_key_refused(path: Path) -> None:
    with pytest.raises(InvalidInput):
        Lockout(path, b"short")


def test_with_keyring_mac_key(tmp_path: Path, clock: Clock) -> None:
    kr = tmp_path / "keyring.json"
    keyring.create_keyring(kr, "passphrase-123", None, kdf_params=keyring.KdfParams(1024, 1, 1))
    path = tmp_path / "lockout.json"
    for _ in range(3):
        Lockout(path, keyring.lockout_mac_key(kr), clock=clock).record_failure()
    with pytest.raises(LockedOut):
        Lockout(path, keyring.lockout_mac_key(kr), clock=clock).check()


def test_format_wait() -> None:
    assert lockout.format_wait(0.2) == "1秒"
    assert lockout.format_wait(59.1) == "1分钟"
    assert lockout.format_wait(125) == "2分5秒"
    assert lockout.format_wait(300) == "5分钟"
