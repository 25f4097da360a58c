"""Long work off the UI thread: a QRunnable per job, results back through queued signals.

Tests swap the thread pool for SynchronousRunner, which runs each job at once on the calling
thread, so they need no waiting.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from gui.library_uses import uses

if TYPE_CHECKING:
    from minutes.library import Library


class JobSignals(QObject):
    progress = Signal(int, int)
    finished = Signal(object)
    failed = Signal(str)  # one line for the user (Job.error holds the exception)


class Job(QRunnable):
    """Runs fn(progress, cancelled) and reports through signals.

    fn gets a progress(done, total) callback and a cancelled() predicate to poll.
    """

    def __init__(self, fn: Callable[[Callable[[int, int], None], Callable[[], bool]], Any]) -> None:
        super().__init__()
        self.setAutoDelete(False)  # the owner keeps the job (and its signals) alive
        self.signals = JobSignals()
        self._fn = fn
        self._cancelled = False
        self.error: BaseException | None = None
        self.quick = False  # a first, quick load (see LibraryController.reload)
        self._held: list[Library] = []

    def hold(self, library: Library | None) -> bool:
        """Keep library open while this job runs (gui.library_uses): the use is taken now, on
        the UI thread, and given back when the job ends. False when the library was closed
        already (replaced and let go while a dialog was open): the job must not read it."""
        if library is None or not uses.take(library):
            return library is None
        self._held.append(library)
        return True

    def cancel(self) -> None:
        self._cancelled = True

    @property
    def is_cancelled(self) -> bool:
        return self._cancelled

    def run(self) -> None:
        # The libraries held are given back and the end is reported whatever fn raised (a
        # BaseException too: it is reported as a failure, then goes on up), so no library stays
        # open for ever and no owner waits for ever.
        try:
            result = self._fn(self._progress, lambda: self._cancelled)
        except BaseException as exc:  # reported to the user in one line, never crashes the window
            from gui.logs import log, user_message  # logging loads when first needed, not at start

            self.error = exc
            log.error("job failed", exc_info=exc)  # the traceback goes to the log file
            self._let_go()
            self._emit(self.signals.failed, user_message(exc) if isinstance(exc, Exception) else type(exc).__name__)
            if not isinstance(exc, Exception):
                raise
        else:
            self._let_go()
            self._emit(self.signals.finished, result)

    def _let_go(self) -> None:
        # Before the result is reported: a slot that waits for the library to close (a test,
        # the window closing) sees it closed. Each in its own try: one that fails to close
        # (its file gone) must not keep the others open.
        held, self._held = self._held, []
        for library in held:
            try:
                uses.release(library)
            except Exception as exc:
                from gui.logs import log

                log.error("closing a library failed", exc_info=exc)

    def _progress(self, done: int, total: int) -> None:
        self._emit(self.signals.progress, done, total)

    @staticmethod
    def _emit(signal, *args) -> None:
        with contextlib.suppress(RuntimeError):  # the window closed while the job ran: nobody listens
            signal.emit(*args)


class Runner(Protocol):
    def start(self, job: Job) -> None: ...


class ThreadPoolRunner:
    def __init__(self, pool: QThreadPool | None = None) -> None:
        self._pool = pool or QThreadPool.globalInstance()

    def start(self, job: Job) -> None:
        self._pool.start(job)

    def wait_for_done(self, msecs: int) -> bool:
        return self._pool.waitForDone(msecs)


class SynchronousRunner:
    def start(self, job: Job) -> None:
        job.run()
