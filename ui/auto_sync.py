"""Automatic sync: feeds :class:`ui.sync_schedule.SyncSchedule` from a ``QTimer`` tick, the
network-reachability signal and the rounds' outcomes, and starts each due round on the sync
worker (:class:`ui.sync_runner.SyncRunner`), never on the main ops worker.

The clock is injected (``clock``, default ``lishui_desk.timeutil.now_utc``) and the tick only asks
the schedule whether a round is due, so tests drive :meth:`AutoSync.tick` with a clock of their own
and never wait for a timer.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from lishui_desk.timeutil import now_utc
from sync.client.lock import SyncBusy
from sync.client.transport import DeviceRevoked
from ui.gateway import sync
from ui.ops import Ops
from ui.sync_runner import SyncRunner
from ui.sync_schedule import SyncSchedule

TICK_MS = 30_000


class AutoSync(QObject):
    """On unlock (when enrolled), every ``schedule.period``, when the network comes back, and on
    demand; a failure pushes the next attempt back (``schedule.failed``)."""

    round_started = Signal()
    round_finished = Signal(object, object)  # report or None, exception or None
    schedule_changed = Signal()

    def __init__(self, ops: Ops, runner: SyncRunner, *, clock: Callable[[], datetime] = now_utc,
                 schedule: SyncSchedule | None = None, tick_ms: int = TICK_MS, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ops, self.runner, self.clock = ops, runner, clock
        self.schedule = schedule or SyncSchedule()
        self.last_error: BaseException | None = None
        self.last_media_error: str | None = None  # the evidence part of the last round (case text went through)
        self.active = False  # started with its timer (the window's automatic sync is on)
        self.timer = QTimer(self)
        self.timer.setInterval(tick_ms)
        self.timer.timeout.connect(self.tick)
        self._network: Any = None
        self._with_media = False  # the running round sends evidence after the case text

    # -- lifetime ---------------------------------------------------------------------------
    def start(self, *, timer: bool = True) -> None:
        """After unlock: read whether the profile is enrolled, then sync at once if it is."""
        self.ops.call_p(sync.link_state, done=lambda d: self._started(d, timer), fail=lambda _e: None)

    def _started(self, status: dict[str, Any], timer: bool) -> None:
        self.schedule.start(self.clock(), enrolled=bool(status.get("enrolled")) and not status.get("revoked"))
        self.schedule_changed.emit()
        self.active = timer
        if timer:
            self.timer.start()
            self._watch_network()
        self.tick()

    def stop(self) -> None:
        """At lock: no further rounds; a running one is asked to stop and its result dropped."""
        self.timer.stop()
        self.active = False
        self.schedule.enabled = False
        self.schedule.running = False
        self.runner.forget()

    def _watch_network(self) -> None:
        """Qt's reachability signal, where the platform has a backend (Windows: Network List Manager)."""
        if self._network is not None:
            return
        try:
            from PySide6.QtNetwork import QNetworkInformation

            if not QNetworkInformation.loadDefaultBackend():
                return
            info = QNetworkInformation.instance()
        except (ImportError, AttributeError, RuntimeError):
            return
        if info is None:
            return
        self._network = info
        online = QNetworkInformation.Reachability.Online
        info.reachabilityChanged.connect(lambda r: self.network_changed(r == online))

    def saw_status(self, status: dict[str, Any]) -> None:
        """What the 同步 page read: enrolled meanwhile (another window, the command line) turns the
        automatic rounds on; revoked turns them off."""
        ok = bool(status.get("enrolled")) and not status.get("revoked")
        if self.active and ok and not self.schedule.enabled:
            self.schedule.enrolled(self.clock())
        elif not ok and self.schedule.enabled:
            self.schedule.enabled = False
            self.schedule.next_at = None

    # -- decisions --------------------------------------------------------------------------
    def network_changed(self, online: bool) -> None:
        if online:
            self.schedule.network_back(self.clock())
            self.schedule_changed.emit()
            self.tick()

    def tick(self) -> bool:
        """Start a round when one is due; True if it started."""
        if not self.schedule.due(self.clock()):
            return False
        return self._run(with_media=True)

    def sync_now(self) -> bool:
        """立即同步: a round at once (False while another sync job is running)."""
        if self.runner.busy:
            return False
        self.schedule.asked(self.clock())
        return self._run(with_media=False)

    def _run(self, *, with_media: bool) -> bool:
        if self.runner.busy or self.ops.profile is None:
            return False
        self.schedule.began()
        self._with_media = with_media
        # an automatic round also sends some evidence after the case text
        started = self.runner.start(sync.sync_round, with_media, label="sync", done=self._done, fail=self._fail)
        if not started:
            self.schedule.running = False
            return False
        self.round_started.emit()
        return True

    def _done(self, report: Any) -> None:
        # the schedule follows the case text: a round whose evidence part failed still succeeded
        # (no backoff; the next round resumes the upload from the hub's offset). When the case
        # text fails the whole round fails (``_fail``) and backs off, evidence included.
        self.last_error = None
        if self._with_media:
            self.last_media_error = getattr(report, "media_error", None)
        self.schedule.succeeded(self.clock())
        self.schedule_changed.emit()
        self.round_finished.emit(report, None)

    def _fail(self, exc: BaseException) -> None:
        self.last_error = exc
        self.schedule.failed(self.clock(), busy=isinstance(exc, SyncBusy), revoked=isinstance(exc, DeviceRevoked))
        self.schedule_changed.emit()
        self.round_finished.emit(None, exc)
