"""Wrong-passphrase lockout (口令错误锁定): a growing delay after repeated failures.

The counter lives in ``lockout.json`` next to the keyring so it survives restarts, and carries an
HMAC-SHA256 so editing the file does not silently reset it. The MAC key is supplied by the caller:
the profile layer passes ``keyring.lockout_mac_key(keyring_path)``, derived from the random
per-profile ``lockout_secret`` stored in ``keyring.json`` (readable without the passphrase, since
the lockout is checked *before* a passphrase is tried).

Rules (constants below):

- the first ``FREE_ATTEMPTS`` (3) wrong passphrases cost nothing;
- after the 3rd failure the next try must wait ``BASE_DELAY_SECONDS`` (2 s), doubling with each
  further failure, capped at ``MAX_DELAY_SECONDS`` (5 min);
- a successful unlock resets the counter;
- a lockout file whose MAC does not verify (or that is not valid JSON) is treated as the
  maximum delay, counted from the moment the damage is noticed, and the message says so;
- a *missing* lockout file counts as the maximum delay when ``missing_is_tampered`` (profiles
  created since the keyring carries ``lockout_required``: the file is written at creation, so
  deleting it does not reset the counter), and as zero failures for older profiles.
  Known weaknesses: anyone who can read ``keyring.json`` can recompute the MAC, an older copy of
  the file can be put back, and moving the system clock forward shortens the wait. The lockout is a
  speed bump for someone at the keyboard; offline guessing is resisted by Argon2id in the keyring,
  not by this file (SECURITY.md).

Callers serialise check → try → record between processes with ``crypto.file_lock`` (see
``storage.profile.passphrase_attempt``); this class does no locking of its own.

The clock is injectable (``clock=`` returns POSIX seconds) so tests never sleep.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from lishui_desk.crypto import atomic_write_bytes
from lishui_desk.errors import InvalidInput, LockedOut

FREE_ATTEMPTS = 3
BASE_DELAY_SECONDS = 2.0
MAX_DELAY_SECONDS = 300.0
FILE_VERSION = 1
_MAC_CONTEXT = b"lishui-desk lockout v1\n"
# Failure count stored after tampering: large enough that delay_for() gives the maximum.
_TAMPERED_FAILURES = FREE_ATTEMPTS + math.ceil(math.log2(MAX_DELAY_SECONDS / BASE_DELAY_SECONDS))


def delay_for(failures: int) -> float:
    """Seconds to wait before the next try after ``failures`` consecutive wrong passphrases."""
    if failures < FREE_ATTEMPTS:
        return 0.0
    exponent = failures - FREE_ATTEMPTS
    if exponent >= 32:
        return MAX_DELAY_SECONDS
    return min(BASE_DELAY_SECONDS * (2**exponent), MAX_DELAY_SECONDS)


def format_wait(seconds: float) -> str:
    """``125.2`` -> ``"2分6秒"``; rounds up so the officer never retries a moment too early."""
    total = max(1, math.ceil(seconds))
    minutes, secs = divmod(total, 60)
    if minutes and secs:
        return f"{minutes}分{secs}秒"
    if minutes:
        return f"{minutes}分钟"
    return f"{secs}秒"


@dataclass(frozen=True)
class LockoutState:
    failures: int = 0
    last_failure_at: float = 0.0
    tampered: bool = False


class Lockout:
    """Counter of consecutive wrong passphrases for one profile, persisted in ``path``."""

    def __init__(
        self, path: Path | str, mac_key: bytes, *, clock: Callable[[], float] = time.time,
        missing_is_tampered: bool = False,
    ) -> None:
        if not isinstance(mac_key, bytes | bytearray) or len(mac_key) < 16:
            raise InvalidInput("锁定记录的校验密钥无效：至少需要16字节")
        self.path = Path(path)
        self._key = bytes(mac_key)
        self._clock = clock
        self._missing_is_tampered = missing_is_tampered

    # -- persistence -----------------------------------------------------------------------

    def _mac(self, body: dict[str, object]) -> str:
        payload = json.dumps(body, sort_keys=True, separators=(",", ":")).encode("utf-8")
        return hmac.new(self._key, _MAC_CONTEXT + payload, hashlib.sha256).hexdigest()

    def _write(self, state: LockoutState) -> None:
        body: dict[str, object] = {
            "version": FILE_VERSION,
            "failures": state.failures,
            "last_failure_at": state.last_failure_at,
            "tampered": state.tampered,
        }
        doc = dict(body, mac=self._mac(body))
        atomic_write_bytes(self.path, json.dumps(doc, sort_keys=True).encode("utf-8") + b"\n")

    def _parse(self, raw: bytes) -> LockoutState | None:
        """The stored state, or ``None`` if the file is malformed or its MAC fails."""
        try:
            doc = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            return None
        if not isinstance(doc, dict):
            return None
        mac = doc.pop("mac", None)
        if not isinstance(mac, str) or not hmac.compare_digest(mac, self._mac(doc)):
            return None
        failures = doc.get("failures")
        last = doc.get("last_failure_at")
        tampered = doc.get("tampered")
        if (
            doc.get("version") != FILE_VERSION
            or not isinstance(failures, int)
            or isinstance(failures, bool)
            or failures < 0
            or not isinstance(last, int | float)
            or isinstance(last, bool)
            or not math.isfinite(last)
            or not isinstance(tampered, bool)
        ):
            return None
        return LockoutState(failures, float(last), tampered)

    def _load(self) -> LockoutState:
        """Read the state; on a bad MAC persist (and return) a maximum-delay state from now."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            if not self._missing_is_tampered:
                return LockoutState()
            raw = b""
        state = self._parse(raw)
        now = self._clock()
        if state is None:
            state = LockoutState(_TAMPERED_FAILURES, now, tampered=True)
            self._write(state)
        elif state.last_failure_at > now + 1.0:
            # The clock went backwards (or the stamp lies): restart the wait from now rather than
            # locking the officer out until the clock catches up.
            state = LockoutState(state.failures, now, state.tampered)
            self._write(state)
        return state

    # -- public API ------------------------------------------------------------------------

    @property
    def failures(self) -> int:
        """Consecutive wrong passphrases recorded so far."""
        return self._load().failures

    def remaining(self) -> float:
        """Seconds still to wait before a passphrase may be tried (0 when allowed now)."""
        state = self._load()
        delay = delay_for(state.failures)
        if delay <= 0:
            return 0.0
        return max(0.0, min(delay, state.last_failure_at + delay - self._clock()))

    def check(self) -> None:
        """Raise ``LockedOut`` (with the remaining wait) if a passphrase may not be tried yet."""
        state = self._load()
        delay = delay_for(state.failures)
        wait = 0.0 if delay <= 0 else max(0.0, min(delay, state.last_failure_at + delay - self._clock()))
        if wait <= 0:
            return
        if state.tampered:
            message = (
                f"锁定记录文件 {self.path} 缺失或校验失败（可能被删除、改动或损坏），按最长等待时间处理："
                f"请等待{format_wait(wait)}后再输入口令"
            )
        else:
            message = (
                f"口令已连续输错{state.failures}次，为防止暴力猜测口令，"
                f"请等待{format_wait(wait)}后再试"
            )
        raise LockedOut(message, wait)

    def record_failure(self) -> float:
        """Count one wrong passphrase; returns the wait (seconds) now required before the next try."""
        state = self._load()
        new = LockoutState(state.failures + 1, self._clock(), state.tampered)
        self._write(new)
        return delay_for(new.failures)

    def record_success(self) -> None:
        """A correct passphrase: reset the counter."""
        self._write(LockoutState())
