"""When the desk syncs by itself (DESIGN §5 Scheduling): on start, periodically, when the network
comes back, and on demand — one round at a time, with backoff and jitter after failures.

:class:`SyncSchedule` is the decision alone, without Qt and without a clock of its own: every
method takes ``now`` (an aware datetime) and the jitter comes from an injected ``random.Random``,
so tests drive it step by step. :class:`AutoSync` (in :mod:`ui.auto_sync`) feeds it from a
``QTimer`` tick, the network-reachability signal and the sync runner.

- after a success the next round is ``period`` later (15 minutes);
- after the n-th failure in a row it is ``base · 2^(n-1)`` later (1, 2, 4 … minutes, at most
  ``cap``), each delay stretched by a random factor in ``[1, 1 + jitter]`` so that the laptops
  of a township that lost the link together do not all call the hub in the same second;
- "the profile is syncing elsewhere" (another window holds ``sync.lock``) is not a failure of
  the link: the round is retried after ``base`` without growing the backoff;
- the network coming back, or the officer pressing 立即同步, makes a round due at once.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta


@dataclass
class SyncSchedule:
    period: timedelta = timedelta(minutes=15)
    base: timedelta = timedelta(minutes=1)
    cap: timedelta = timedelta(minutes=60)
    jitter: float = 0.2
    rng: random.Random = field(default_factory=random.Random)
    enabled: bool = False  # enrolled (and not revoked)
    running: bool = False
    failures: int = 0
    next_at: datetime | None = None
    last_delay: timedelta | None = None

    def start(self, now: datetime, *, enrolled: bool) -> None:
        """The profile was unlocked: a round at once when enrolled."""
        self.enabled = enrolled
        self.failures = 0
        self.next_at = now if enrolled else None

    def enrolled(self, now: datetime) -> None:
        """Just enrolled: automatic rounds from now on, the first one a period later."""
        self.enabled = True
        self.failures = 0
        self.next_at = now + self.period

    def due(self, now: datetime) -> bool:
        return self.enabled and not self.running and self.next_at is not None and now >= self.next_at

    def began(self) -> None:
        self.running = True

    def succeeded(self, now: datetime) -> None:
        self.running = False
        self.failures = 0
        self.last_delay = self.period
        self.next_at = now + self.period

    def failed(self, now: datetime, *, busy: bool = False, revoked: bool = False) -> None:
        self.running = False
        if revoked:  # nothing to retry until the officer enrolls again
            self.enabled = False
            self.next_at = None
            return
        if busy:
            delay = self.base
        else:
            self.failures += 1
            delay = min(self.cap, self.base * (2 ** (self.failures - 1)))
            delay = delay * (1.0 + self.jitter * self.rng.random())
        self.last_delay = delay
        self.next_at = now + delay

    def network_back(self, now: datetime) -> None:
        """The link came back: try now instead of waiting out the backoff."""
        if self.enabled and not self.running:
            self.next_at = now

    def asked(self, now: datetime) -> None:
        """立即同步 (or enrollment): the schedule follows the round the officer started."""
        self.enabled = True
        self.network_back(now)
