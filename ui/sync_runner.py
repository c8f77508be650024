"""The sync worker: a second background thread, for link work only (立即同步, the automatic rounds,
证据上传, U盘包 export and import).

A sync round over a thin link can take minutes; on the main ops worker (:mod:`ui.ops`) it would
hold up every other action (opening a case, a step form). Here it runs on its own ``QThread``, one
job at a time (the profile's ``sync.lock`` keeps other windows and processes out as well), with its
own units of work on the same profile (the engine pools a connection per thread; WAL lets readers
on the main worker go on while a sync writes).

A job is ``fn(profile, control, *args)``: :class:`JobControl` carries the cancel request (checked
by the job where stopping is safe, e.g. between evidence chunks) and a ``progress(dict)`` callback
that arrives on the GUI thread as :attr:`SyncRunner.progress`. The result comes back like an op's:
``done(value)`` or ``fail(exc)`` on the GUI thread, and a ``Changed`` result's changes on
``ops.changed`` so the pages reload.
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

from lishui_desk.errors import DeskError
from ui.gateway.changes import Changed, OpChanges
from ui.ops import Ops, _deliver
from ui.text import tr


class Cancelled(DeskError):
    code = "cancelled"


@dataclass
class JobControl:
    """What a running job may ask: was it cancelled, and where to report progress."""

    cancel: threading.Event = field(default_factory=threading.Event)
    report: Callable[[dict[str, Any]], None] = lambda _d: None

    @property
    def cancelled(self) -> bool:
        return self.cancel.is_set()

    def check(self) -> None:
        """Raise :class:`Cancelled` when the officer pressed 取消 (call where stopping is safe)."""
        if self.cancel.is_set():
            raise Cancelled(tr("已取消：已送达的部分保留，下次从断点继续"))

    def progress(self, **values: Any) -> None:
        self.report(values)


class _Worker(QObject):
    finished = Signal(int, object)
    failed = Signal(int, object)

    @Slot(int, object, object, object)
    def run(self, job_id: int, fn: Callable[..., Any], args: tuple[Any, ...], control: JobControl) -> None:
        try:
            result = fn(*args)
        except BaseException as exc:  # back to the GUI thread, never lost
            if not isinstance(exc, DeskError):
                exc.__dict__.setdefault("ui_traceback", traceback.format_exc())
            self.failed.emit(job_id, exc)
            return
        self.finished.emit(job_id, result)


@dataclass
class _Job:
    label: str
    done: Callable[[Any], None] | None
    fail: Callable[[BaseException], None] | None
    control: JobControl
    epoch: int


class SyncRunner(QObject):
    """One sync job at a time on a thread of its own; ``busy_changed``/``progress`` for the pages."""

    busy_changed = Signal(bool)
    progress = Signal(object)  # dict from the job (label added)
    _submit = Signal(int, object, object, object)
    _progress = Signal(int, object)

    def __init__(self, ops: Ops, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self._ids = 0
        self._job: tuple[int, _Job] | None = None
        self._epoch = 0
        self._thread = QThread()
        self._thread.setObjectName("lishui-desk-sync")
        self._worker = _Worker()
        self._worker.moveToThread(self._thread)
        self._submit.connect(self._worker.run)
        self._worker.finished.connect(self._on_finished)
        self._worker.failed.connect(self._on_failed)
        self._progress.connect(self._on_progress)
        self._thread.start()

    @property
    def busy(self) -> bool:
        return self._job is not None

    @property
    def label(self) -> str:
        return self._job[1].label if self._job else ""

    def start(self, fn: Callable[..., Any], *args: Any, label: str, done: Callable[[Any], None] | None = None,
              fail: Callable[[BaseException], None] | None = None) -> bool:
        """Run ``fn(profile, control, *args)``; False (and nothing runs) when a job is running or
        the profile is locked."""
        if self._job is not None or self.ops.profile is None:
            return False
        self._ids += 1
        job_id = self._ids
        control = JobControl()

        def report(values: dict[str, Any], job_id: int = job_id) -> None:  # from the sync thread
            self._progress.emit(job_id, values)

        control.report = report
        self._job = (job_id, _Job(label, done, fail, control, self._epoch))
        self.busy_changed.emit(True)
        self._submit.emit(job_id, fn, (self.ops.profile, control, *args), control)
        return True

    def cancel(self) -> None:
        if self._job is not None:
            self._job[1].control.cancel.set()

    def forget(self) -> None:
        """At lock: ask the running job to stop and drop its result (the profile is closing)."""
        self.cancel()
        self._epoch += 1

    def shutdown(self) -> None:
        self.forget()
        self._thread.quit()
        self._thread.wait(10_000)

    def _take(self, job_id: int) -> _Job | None:
        if self._job is None or self._job[0] != job_id:
            return None
        job = self._job[1]
        self._job = None
        self.busy_changed.emit(False)
        return job if job.epoch == self._epoch else None

    @Slot(int, object)
    def _on_progress(self, job_id: int, values: dict[str, Any]) -> None:
        if self._job is not None and self._job[0] == job_id:
            self.progress.emit({"label": self._job[1].label, **values})

    @Slot(int, object)
    def _on_finished(self, job_id: int, result: Any) -> None:
        job = self._take(job_id)
        if job is None:
            return
        changes: OpChanges | None = None
        if isinstance(result, Changed):
            result, changes = result.value, result.changes
        if job.done is not None:
            _deliver(job.done, result)
        if changes:
            self.ops.changed.emit(changes)

    @Slot(int, object)
    def _on_failed(self, job_id: int, exc: BaseException) -> None:
        job = self._take(job_id)
        if job is None:
            return
        if job.fail is not None:
            _deliver(job.fail, exc)
        else:
            self.ops.error.emit(exc)
