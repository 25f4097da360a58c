"""The window closes a library it replaces once nothing reads it any more (gui.library_uses): no
SQLite connection, file handle or thread is left behind by many replaces, and a job running
across a replace finishes on the library it started with."""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool

from gui.library_controller import LibraryController
from gui.library_uses import LibraryUses, uses
from gui.main_window import MainWindow
from gui.settings import Settings
from gui.tasks import Job, SynchronousRunner, ThreadPoolRunner
from minutes.library import Library
from tests.test_damaged_copy import export_csv, seed_folder


def is_open(library: Library | None) -> bool:
    assert library is not None
    try:
        library.catalogue.document_keys()
    except sqlite3.ProgrammingError:  # "Cannot operate on a closed database."
        return False
    return True


def handles(name: str) -> int:
    """This process's open file descriptors on the catalogue file (and its -wal, -shm)."""
    count = 0
    for fd in os.listdir("/proc/self/fd"):
        try:
            count += name in os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
    return count


def threads() -> list[str]:
    """The threads Python started (Qt's pool threads show up as dummies once they run Python)."""
    return sorted(t.name for t in threading.enumerate() if not isinstance(t, threading._DummyThread))


def touch(docs: Path, n: int) -> None:
    """Edit a file so that the next reload finds a change and builds a new library."""
    first = sorted(docs.iterdir())[0]
    first.write_text(first.read_text("utf-8") + "\n" * (n % 3 + 1), "utf-8")
    os.utime(first, ns=(n * 10**9, n * 10**9))


def test_uses_close_an_owned_library_at_the_last_release_and_leave_others_alone(tmp_path: Path) -> None:
    docs = seed_folder(tmp_path)
    counts = LibraryUses()
    owned = Library.open(tmp_path / "c.sqlite3", [docs])
    assert owned is not None
    counts.own(owned)
    assert counts.take(owned) and counts.count(owned) == 2
    counts.release(owned)  # the controller lets go; the job still reads
    assert is_open(owned)
    counts.release(owned)
    assert not is_open(owned) and counts.is_closed(owned)
    assert not counts.take(owned)  # closed: no job may start on it
    counts.release(owned)  # more releases than takes change nothing
    other = Library.load([docs])
    assert counts.take(other) and counts.count(other) is None
    counts.release(other)
    with counts.using(other) as taken:
        assert taken
    assert is_open(other)  # not owned: never closed here
    other.close()


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="counts file descriptors through /proc")
def test_many_replaces_leave_no_connection_handle_or_thread_behind(qtbot, tmp_path: Path) -> None:
    docs = seed_folder(tmp_path)
    path = tmp_path / "c.sqlite3"
    controller = LibraryController(Settings(tmp_path / "s.ini"), [docs], SynchronousRunner(), path)
    shown: list[Library] = []
    controller.libraryChanged.connect(shown.append)
    controller.start()
    qtbot.waitUntil(lambda: controller._background == [])  # the warm-up and the watch walk

    def replace(n: int) -> None:
        touch(docs, n)
        controller.reload()
        controller._settle()  # the warm-up job, holding the library, as after a paint
        assert controller.library is not None
        controller.library.catalogue.search_fts(["常务会"])  # the search connection, opened on use

    replace(0)
    base_handles, base_threads = handles(str(path)), threads()
    for n in range(1, 12):
        replace(n)
        assert handles(str(path)) == base_handles  # one library's connections, whichever is shown
    assert len(shown) == 13 and len({id(lib) for lib in shown}) == 13
    assert [is_open(lib) for lib in shown] == [False] * 12 + [True]
    assert threads() == base_threads
    controller.shutdown()
    assert not is_open(shown[-1]) and handles(str(path)) == 0


def test_a_cancelled_load_closes_the_library_it_made(qtbot, tmp_path: Path) -> None:
    docs = seed_folder(tmp_path)
    path = tmp_path / "c.sqlite3"
    controller = LibraryController(Settings(tmp_path / "s.ini"), [docs], SynchronousRunner(), path)
    controller.start()
    made = Library.open(path, [docs])
    assert made is not None
    stale = Job(lambda progress, cancelled: made)
    controller._on_loaded(stale, made)  # a load a newer one replaced
    assert not is_open(made) and is_open(controller.library)
    controller.shutdown()


def test_an_export_running_across_a_replace_finishes_on_the_old_library(qtbot, tmp_path: Path, monkeypatch) -> None:
    import minutes.report
    from gui.pdf_export import ExportOptions

    docs = seed_folder(tmp_path)
    win = MainWindow(Settings(tmp_path / "s.ini"), [docs], SynchronousRunner(), catalogue=tmp_path / "c.sqlite3")
    qtbot.addWidget(win)
    old = win.library.library
    assert old is not None
    expected = tmp_path / "before.csv"
    export_csv(win, expected, "filter")

    go, started = threading.Event(), threading.Event()
    select = minutes.report.select_by_spec

    def held_back(library, spec):  # the job waits here until the window has replaced the library
        started.set()
        assert go.wait(20)
        return select(library, spec)

    monkeypatch.setattr(minutes.report, "select_by_spec", held_back)
    pool = QThreadPool()
    win.export.runner = ThreadPoolRunner(pool)
    out = tmp_path / "during.csv"
    win.export.export_to(out, win.export.selection_recipe("filter"), ExportOptions(layout="table"))
    assert started.wait(20)
    touch(docs, 1)
    win.library.reload()  # the window moves on to a new library while the job waits
    assert win.library.library is not old and uses.count(old) == 1  # the job's use only
    assert is_open(old)
    old._documents.clear()  # the job reads every meeting back from the old catalogue
    go.set()
    assert pool.waitForDone(20000)
    qtbot.waitUntil(lambda: win.export.result_box is not None and win.export.result_box.isVisible())
    assert out.read_bytes() == expected.read_bytes()
    assert not is_open(old)  # the job's end let it go
    assert is_open(win.library.library)


def test_an_export_chosen_before_a_replace_reads_the_library_shown_when_it_starts(qtbot, tmp_path: Path) -> None:
    """The save dialog runs its own event loop: a reload may replace and close the library the
    choice was made on before the export starts."""
    from gui.pdf_export import ExportOptions

    docs = seed_folder(tmp_path)
    win = MainWindow(Settings(tmp_path / "s.ini"), [docs], SynchronousRunner(), catalogue=tmp_path / "c.sqlite3")
    qtbot.addWidget(win)
    old = win.library.library
    recipe = win.export.selection_recipe("current")
    touch(docs, 2)
    win.library.reload()
    assert old is not None and not is_open(old)
    out = tmp_path / "current.csv"
    win.export.export_to(out, recipe, ExportOptions(layout="table"))
    assert win.export.failure_box is None and out.exists()
    assert is_open(win.library.library)
