"""The library behind the window: which folders and files it holds, loading it off the UI
thread, watching its folders, adding to it, and its problems. No widgets here: the window
listens to the signals and shows what they say."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

from gui.library_uses import uses
from gui.settings import Settings
from gui.tasks import Job, Runner, ThreadPoolRunner
from minutes.library import SUFFIXES, Library
from minutes.related import title_index
from minutes.stored_copy import DamagedCopy, is_blob_damage, mark_in_file, repair_catalogue


def watch_paths(roots: list[Path], max_files: int) -> list[str]:
    """Every folder under roots, then up to max_files of the files in them the library reads."""
    folders: list[str] = []
    files: list[str] = []
    for root in roots:
        if root.is_dir():
            for dirpath, _dirs, names in os.walk(root):
                folders.append(dirpath)
                if len(files) < max_files:
                    files += [os.path.join(dirpath, n) for n in names if os.path.splitext(n)[1].lower() in SUFFIXES]
        elif root.exists():
            files.append(str(root))
    return folders + files[:max_files]


def open_library(path: Path, folders: list[Path], progress, cancelled, showing: bool) -> Library | None:
    """Library.open; a refresh that met a stored copy it cannot read (a changed file whose old
    copy must come out first, a parse again from the stored text) has every such copy repaired
    (minutes.stored_copy) and runs once more."""
    try:
        return Library.open(path, folders, progress, cancelled, showing)
    except Exception as exc:
        if not is_blob_damage(exc) or not repair_catalogue(path):
            raise
    return Library.open(path, folders, progress, cancelled, showing)


class LibraryController(QObject):
    libraryChanged = Signal(object)  # Library: a new library to show
    loadingChanged = Signal(bool)
    progress = Signal(int, int)  # done, total (total 0: not known yet)
    failed = Signal(str)  # a load failed: one line for the user
    message = Signal(str, int)  # a status message and how long to show it (ms)
    damagedChanged = Signal()  # a meeting's stored copy was found damaged (see damaged)

    # inotify watches are a limited resource (8192 per user on many systems): folders always,
    # files up to this many; the periodic rescan covers edits to files beyond it.
    MAX_FILE_WATCHES = 2000
    RESCAN_MS = 5 * 60 * 1000
    REFRESH_DELAY_MS = 1000

    def __init__(
        self,
        settings: Settings,
        folders: list[Path],
        runner: Runner | None = None,
        catalogue: Path | None = None,
        parent: QObject | None = None,
    ) -> None:
        """folders: always in the library (the bundled seeds); the user adds more, kept in
        settings. catalogue: the persistent catalogue's path; None keeps it in memory."""
        super().__init__(parent)
        self.settings = settings
        self._base_folders = list(folders)
        self._catalogue_path = catalogue
        self.runner: Runner = runner or ThreadPoolRunner()
        self.library: Library | None = None
        self._job: Job | None = None
        self._stopped = False
        self._let_go = False  # shutdown gave back the window's use of the library
        self._background: list[Job] = []
        # Meetings of the library shown whose stored copy could not be read, by id (the problems
        # panel lists them); and those marked for reading again in this run, which ask for one
        # refresh each, never more (a catalogue that cannot keep the mark would ask for ever).
        self.damaged: dict[str, DamagedCopy] = {}
        self._marked: set[str] = set()
        # The catalogue's writers run one at a time: marks wait in order for the one running and
        # for a load, and a refresh waits for the mark (one that makes the search index again
        # writes for minutes at 10,000 meetings; the other writer would wait past SQLite's busy
        # timeout and give up).
        self._marks: list[str] = []  # keys waiting to be marked
        self._mark_job: Job | None = None
        self._reload_after_mark = False
        self.watcher = QFileSystemWatcher(self)
        self.watcher.directoryChanged.connect(self._on_directory_changed)
        self.watcher.fileChanged.connect(self._schedule_refresh)
        self._refresh_timer = QTimer(self, singleShot=True, interval=700)  # a copy of many files: one refresh
        self._refresh_timer.timeout.connect(self.reload)
        self._rescan_timer = QTimer(self)
        self._rescan_timer.timeout.connect(self.reload)  # cheap: unchanged files are only stat()ed
        # Work a new library needs but the window does not, run once the window has painted
        # (a zero timer fires after the paint events already queued).
        self._settle_timer = QTimer(self, singleShot=True, interval=0)
        self._settle_timer.timeout.connect(self._settle)

    # -- what is in it ---------------------------------------------------------------------
    def folders(self) -> list[Path]:
        extra = [Path(f) for f in self.settings.library_folders]
        return list(dict.fromkeys([*self._base_folders, *extra]))

    @property
    def is_loading(self) -> bool:
        return self._job is not None

    def start(self) -> None:
        """The first load: what the catalogue holds at once, then the files in the background."""
        path = self._catalogue_path
        self.reload(quick=path is not None and path.exists())

    def reload(self, quick: bool = False) -> None:
        """Bring the library up to date with its folders and files, off the UI thread: only new
        or changed files are read (with a persistent catalogue, across restarts too).

        quick: first show what the catalogue holds, then check the files in the background.
        """
        if self._stopped:
            return  # a refresh timer that fired after the window closed
        if self._mark_job is not None:
            self._reload_after_mark = True
            return
        if self._job is not None:
            self._job.cancel()
        folders = self.folders()
        path = self._catalogue_path
        if path is not None and quick:
            job = Job(lambda progress, cancelled: Library.from_file(path))
        elif path is not None:
            # A library is on screen: build a new one only if the files changed.
            showing = bool(self.library and self.library.meetings)
            job = Job(lambda progress, cancelled: open_library(path, folders, progress, cancelled, showing))
        else:
            job = Job(lambda progress, cancelled: Library.load(folders, progress=progress, cancelled=cancelled))
        job.quick = quick
        job.signals.progress.connect(self.progress)
        job.signals.finished.connect(lambda library, job=job: self._on_loaded(job, library))
        job.signals.failed.connect(lambda reason, job=job: self._on_failed(job, reason))
        self._job = job
        self.loadingChanged.emit(True)
        self.progress.emit(0, 0)
        self.runner.start(job)

    def _on_failed(self, job: Job, reason: str) -> None:
        if job is not self._job:
            return
        self._job = None
        self.loadingChanged.emit(False)
        self.failed.emit(reason)
        self._next_mark()

    def _on_loaded(self, job: Job, library: Library | None) -> None:
        if job is not self._job or job.is_cancelled:
            if library is not None and library is not self.library:
                library.close()  # a newer load replaced this one: nobody else has its library
            return
        self._job = None
        self.loadingChanged.emit(False)
        if library is not None:
            old, self.library = self.library, library
            uses.own(library)
            self.damaged = {}
            self.libraryChanged.emit(library)
            # The window has let go of the old one; jobs still reading it close it when they end.
            if old is not library:
                uses.release(old)
            if library.notice:
                self.message.emit(library.notice, 20000)
            self._settle_timer.start()
        if job.quick:
            # Then look at the files, once the first window has painted (the check shares the
            # interpreter with the UI thread).
            QTimer.singleShot(self.REFRESH_DELAY_MS, self, self.reload)
        self._next_mark()

    def _settle(self) -> None:
        """Index the library for the first filter or search (a background job: it would hold
        the interpreter while the window paints) and watch its folders (a walk of every folder)."""
        library = self.library
        if library is not None:
            # title_index: the viewer's 相关议题 (minutes.related), built here for a large library.
            job = Job(lambda progress, cancelled: (library.warm(), title_index(library)))
            if job.hold(library):
                self.runner.start(self._keep(job))
        self._watch()

    def _keep(self, job: Job) -> Job:
        """Hold a fire-and-forget job until it has run (the pool does not own it)."""
        self._background.append(job)
        job.signals.finished.connect(lambda _result, job=job: self._background.remove(job))
        job.signals.failed.connect(lambda _reason, job=job: self._background.remove(job))
        return job

    # -- damaged stored copies -------------------------------------------------------------
    def report_damaged(self, damage: DamagedCopy) -> None:
        """A meeting's stored copy could not be read (the viewer, an export): list it, and mark
        its files so that the next refresh reads them again (queued: see _next_mark)."""
        if damage.meeting_id not in self.damaged:
            self.damaged[damage.meeting_id] = damage
            self.damagedChanged.emit()
        if damage.gone or self._stopped or damage.meeting_id in self._marked:
            return  # gone: the refresh that removed it shows a library without it
        self._marked.add(damage.meeting_id)
        self._marks.append(damage.meeting_id)
        self._next_mark()

    def _next_mark(self) -> None:
        """Start the first mark waiting, unless a mark or a load runs (they end by calling this)."""
        while self._marks and self._mark_job is None and self._job is None and not self._stopped:
            key = self._marks.pop(0)
            library, path = self.library, self._catalogue_path
            if library is None:
                self._marked.discard(key)
                continue

            def mark(progress, cancelled, key=key, library=library, path=path) -> tuple[list[Path], bool]:
                # A write, in a job, on a connection of its own for a file: the window reads on
                # beside it.
                if path is None:
                    return library.catalogue.mark_for_reread(key), True
                return mark_in_file(path, key)

            job = Job(mark)
            if not job.hold(library):  # closed already: shown again, the meeting is tried again
                self._marked.discard(key)
                continue
            self._mark_job = job
            job.signals.finished.connect(lambda result, key=key: self._mark_ended(key, *result))
            job.signals.failed.connect(lambda reason, key=key: self._mark_ended(key, [], False, reason))
            self.runner.start(self._keep(job))

    def _mark_ended(self, key: str, paths: list[Path], kept: bool, failure: str | None = None) -> None:
        self._mark_job = None
        if not kept or not paths:
            # Not marked: shown again, the meeting is tried again. No refresh is asked for (it
            # would meet the same damage and ask again, for ever).
            self._marked.discard(key)
        if failure is not None:
            self.message.emit(self.tr("无法标记重新读取：") + failure, 10000)
        elif not kept:  # read only or a full disk
            self.message.emit(self.tr("资料库无法写入，损坏的纪要要等资料库可写入后才能修复"), 15000)
        elif paths:
            self._reload_after_mark = True  # (in memory, a reload reads every file again anyway)
        self._next_mark()
        if self._mark_job is None and self._reload_after_mark:
            self._reload_after_mark = False
            self._schedule_refresh()

    # -- adding ----------------------------------------------------------------------------
    def add_paths(self, paths: list[Path]) -> int:
        """Add folders and files to the library (kept in settings) and import them; returns how
        many were new."""
        wanted = [p for p in paths if p.is_dir() or p.suffix.lower() in SUFFIXES]
        skipped = len(paths) - len(wanted)
        if skipped:
            self.message.emit(self.tr("%n 个文件不是支持的格式（txt、pdf、docx、html），已跳过", "", skipped), 8000)
        known = set(self.settings.library_folders)
        new = [str(p.resolve()) for p in wanted if str(p.resolve()) not in known]
        if new:
            self.settings.library_folders = [*self.settings.library_folders, *new]
            self.reload()
        return len(new)

    # -- watching --------------------------------------------------------------------------
    def _schedule_refresh(self, _path: str = "") -> None:
        self._refresh_timer.start()

    def _on_directory_changed(self, path: str) -> None:
        """Watch what appeared in the folder at once: a file edited right after it was added
        (before the refresh that reads it) is then seen too."""
        try:
            names = os.listdir(path)
        except OSError:
            names = []
        watched = set(self.watcher.files()) | set(self.watcher.directories())
        new = [p for p in (os.path.join(path, n) for n in names) if p not in watched]
        new = [p for p in new if os.path.isdir(p) or Path(p).suffix.lower() in SUFFIXES]
        if new and len(watched) + len(new) <= self.MAX_FILE_WATCHES:
            self.watcher.addPaths(new)
        self._schedule_refresh()

    def _watch(self) -> None:
        """Watch every added folder and its subfolders (files added or removed) and the files in
        them (edited in place), so changes appear without a restart. The walk runs in the
        background (10,000 files take a third of a second, which the window would not paint
        in); the watches are set here, on the UI thread that owns the watcher."""
        folders = self.folders()
        job = self._keep(Job(lambda progress, cancelled: watch_paths(folders, self.MAX_FILE_WATCHES)))
        job.signals.finished.connect(self._set_watches)
        self.runner.start(job)

    def _set_watches(self, paths: list[str]) -> None:
        if self._stopped:
            return
        old = self.watcher.directories() + self.watcher.files()
        if old:
            self.watcher.removePaths(old)
        if paths:
            self.watcher.addPaths(paths)
        self._rescan_timer.start(self.RESCAN_MS)

    def shutdown(self, wait_ms: int = 5000) -> None:
        """Stop: a running import stops at its next batch (what it committed stays committed)."""
        self._stopped = True
        for timer in (self._refresh_timer, self._rescan_timer, self._settle_timer):
            timer.stop()
        if self._job is not None:
            self._job.cancel()
        wait = getattr(self.runner, "wait_for_done", None)
        if wait is not None:
            wait(wait_ms)
        # On Windows an open catalogue cannot be moved or replaced: closed now unless a job still
        # reads it (then that job closes it as it ends).
        if self.library is not None and not self._let_go:
            self._let_go = True
            uses.release(self.library)
