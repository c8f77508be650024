"""The one layer through which the GUI does database, crypto, PDF and file work (link work — sync
rounds, evidence upload, USB bundles — runs on the second worker of :mod:`ui.sync_runner`, so a slow
link never holds up this one).

``Ops`` owns a single worker ``QThread``. A view calls :meth:`Ops.call` with a plain function and
its arguments; the function runs on the worker (one call per user action, the services open one
unit of work each), and its plain-data result comes back on the GUI thread through ``done``/``fail``
callbacks. Calls are executed in submission order.

What changed: a write op of :mod:`ui.gateway` returns ``Changed(value, changes)``; ``done`` gets the
value and :attr:`Ops.changed` carries the :class:`~ui.gateway.changes.OpChanges` (cases touched, the
roster, documents, settings …), so each page reloads only when its own data moved. A call marked
``mutating=True`` whose result says nothing emits ``OpChanges.everything()``, as does unlocking.

The unlocked :class:`~lishui_desk.storage.profile.Profile` lives here too: :meth:`call_p` prepends
it to the arguments, and :meth:`lock` closes it on the worker (the data key is dropped).

Long work: :meth:`call` with ``progress="…"`` shows a modal busy dialog after a short delay so
that quick calls never flash a dialog.
"""

from __future__ import annotations

import itertools
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QThread, QTimer, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from lishui_desk.errors import DeskError
from lishui_desk.storage.profile import Profile
from ui.gateway.changes import Changed, OpChanges
from ui.text import tr

Done = Callable[[Any], None]
Fail = Callable[[BaseException], None]


@dataclass
class _Pending:
    done: Done | None
    fail: Fail | None
    mutating: bool
    epoch: int = 0
    dialog: QProgressDialog | None = None
    timer: QTimer | None = None


class _Worker(QObject):
    finished = Signal(int, object)
    failed = Signal(int, object)

    @Slot(int, object, object, object)
    def run(self, call_id: int, fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        try:
            result = fn(*args, **kwargs)
        except BaseException as exc:  # every failure goes back to the GUI thread, never lost
            if not isinstance(exc, DeskError):
                exc.__dict__.setdefault("ui_traceback", traceback.format_exc())
            self.failed.emit(call_id, exc)
            return
        self.finished.emit(call_id, result)


class Ops(QObject):
    """Run work off the GUI thread; announce what data changed with one signal."""

    changed = Signal(object)  # OpChanges
    busy_changed = Signal(bool)
    error = Signal(object)  # failures without their own fail callback
    _submit = Signal(int, object, object, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.profile: Profile | None = None  # once unlocked
        self._ids = itertools.count(1)
        self._pending: dict[int, _Pending] = {}
        self._epoch = 0  # bumped at lock: results of calls made before are dropped
        self._thread = QThread()
        self._thread.setObjectName("lishui-desk-ops")
        self._worker = _Worker()
        self._worker.moveToThread(self._thread)
        self._submit.connect(self._worker.run)
        self._worker.finished.connect(self._on_finished)
        self._worker.failed.connect(self._on_failed)
        self._thread.start()

    # -- submission -----------------------------------------------------------------------
    def call(
        self,
        fn: Callable[..., Any],
        *args: Any,
        done: Done | None = None,
        fail: Fail | None = None,
        mutating: bool = False,
        progress: str | None = None,
        parent: QWidget | None = None,
        **kwargs: Any,
    ) -> int:
        call_id = next(self._ids)
        pending = _Pending(done, fail, mutating, self._epoch)
        if progress:
            pending.timer = QTimer(self)
            pending.timer.setSingleShot(True)
            pending.timer.timeout.connect(lambda: self._show_progress(call_id, progress, parent))
            pending.timer.start(300)
        self._pending[call_id] = pending
        if len(self._pending) == 1:
            self.busy_changed.emit(True)
        self._submit.emit(call_id, fn, args, kwargs)
        return call_id

    def call_p(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> int:
        """Like :meth:`call` with the unlocked profile as first argument. While locked nothing runs:
        the ``fail`` callback (if any) gets a ``DeskError`` and ``-1`` is returned."""
        if self.profile is None:
            fail = kwargs.get("fail")
            if fail is not None:
                fail(DeskError(tr("档案已锁定，请先解锁")))
            return -1
        return self.call(fn, self.profile, *args, **kwargs)

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    # -- profile lifetime -------------------------------------------------------------------
    def set_profile(self, profile: Profile) -> None:
        self.profile = profile
        self.changed.emit(OpChanges.everything())

    def lock(self, done: Done | None = None) -> None:
        """Drop the profile: close the engine and forget the data key (on the worker)."""
        prof, self.profile = self.profile, None
        self._epoch += 1

        def _close() -> None:
            if prof is not None:
                prof.close()

        self.call(_close, done=done)

    def shutdown(self) -> None:
        prof, self.profile = self.profile, None
        if prof is not None:
            self.call(prof.close)
        self._thread.quit()
        self._thread.wait(10_000)

    # -- results on the GUI thread ----------------------------------------------------------
    def _show_progress(self, call_id: int, label: str, parent: QWidget | None) -> None:
        pending = self._pending.get(call_id)
        if pending is None:
            return
        dlg = QProgressDialog(label, "", 0, 0, parent)
        dlg.setCancelButton(None)
        dlg.setWindowTitle(tr("请稍候"))
        dlg.setMinimumDuration(0)
        dlg.show()
        pending.dialog = dlg

    def _finish(self, call_id: int) -> _Pending | None:
        pending = self._pending.pop(call_id, None)
        if pending is None:
            return None
        if pending.timer is not None:
            pending.timer.stop()
        if pending.dialog is not None:
            pending.dialog.close()
            pending.dialog.deleteLater()
        if not self._pending:
            self.busy_changed.emit(False)
        return pending

    @Slot(int, object)
    def _on_finished(self, call_id: int, result: Any) -> None:
        pending = self._finish(call_id)
        if pending is None or pending.epoch != self._epoch:
            return
        changes: OpChanges | None = OpChanges.everything() if pending.mutating else None
        if isinstance(result, Changed):
            result, changes = result.value, result.changes
        if pending.done is not None:
            _deliver(pending.done, result)
        if changes:
            self.changed.emit(changes)

    @Slot(int, object)
    def _on_failed(self, call_id: int, exc: BaseException) -> None:
        pending = self._finish(call_id)
        if pending is None or pending.epoch != self._epoch:
            return
        if pending.fail is not None:
            _deliver(pending.fail, exc)
        else:
            self.error.emit(exc)


def _deliver(callback: Callable[[Any], None], value: Any) -> None:
    try:
        callback(value)
    except RuntimeError as exc:  # the receiving widget was deleted meanwhile (e.g. closed tab)
        if "already deleted" not in str(exc):
            raise


def message_of(exc: BaseException) -> str:
    """The user-facing text of an error (Chinese for DeskError, a short generic text otherwise)."""
    if isinstance(exc, DeskError):
        return exc.message
    return tr("内部错误：{0}: {1}").format(type(exc).__name__, exc)
