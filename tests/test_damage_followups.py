"""The review of the damaged-copy change: the catalogue's writers one at a time, a mark that never
goes on in memory and is tried again when it was not kept, the damage still listed after a new
library is shown, the 台账's message gone after the repair, the messages saying what is true when
they are shown, only blob damage counted as damage, a closed catalogue that opens nothing, and the
jobs' and the CLI's ends."""

from __future__ import annotations

import gc
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

import gui.library_controller as library_controller
from gui.library_controller import LibraryController
from gui.library_uses import LibraryUses
from gui.main_window import MainWindow
from gui.settings import Settings
from gui.tasks import Job, SynchronousRunner
from minutes import catalogue as catalogue_module
from minutes.catalogue import Catalogue
from minutes.cli import main
from minutes.library import Library
from minutes.stored_copy import REREAD, DamagedCopy, mark_in_file, read_document
from tests.test_damaged_copy import DAMAGE, mtimes, seed_folder, spoil
from tests.test_library_uses import handles


class HeldRunner:
    """Keeps the jobs started until the test runs them: what runs beside what is then seen."""

    def __init__(self) -> None:
        self.jobs: list[Job] = []

    def start(self, job: Job) -> None:
        self.jobs.append(job)

    def run_first(self) -> None:
        self.jobs.pop(0).run()


def damage_of(library: Library, key: str) -> DamagedCopy:
    meeting = library.meeting(key)
    assert meeting is not None
    library._documents.clear()  # read from the catalogue, not the cache
    with pytest.raises(DamagedCopy) as caught:
        read_document(meeting)
    return caught.value


@pytest.fixture
def two_spoiled(tmp_path: Path) -> Iterator[tuple[Path, Path, list[str]]]:
    """A catalogue of the seeds whose first two meetings' stored copies are spoiled."""
    docs = seed_folder(tmp_path)
    path = tmp_path / "c.sqlite3"
    library = Library.open(path, [docs])
    keys = [m.id for m in library.meetings[:2]]
    library.close()
    spoil(path, keys[0], *DAMAGE["text-garbage"])
    spoil(path, keys[1], *DAMAGE["data-cut"])
    yield docs, path, keys


def test_marks_wait_for_a_load_and_for_each_other_in_order(qtbot, tmp_path: Path, two_spoiled) -> None:
    """Two writers at once: the second waits past SQLite's busy timeout, then the catalogue
    gives the file up as unwritable and the mark is lost (the reviewer's busy_check)."""
    docs, path, keys = two_spoiled
    runner = HeldRunner()
    controller = LibraryController(Settings(tmp_path / "s.ini"), [docs], runner, path)
    controller.start()
    runner.run_first()  # the quick load from the catalogue
    library = controller.library
    assert library is not None
    first, second = (damage_of(library, key) for key in keys)
    controller.reload()  # a refresh running
    assert len(runner.jobs) == 1
    controller.report_damaged(first)
    controller.report_damaged(second)
    assert len(runner.jobs) == 1, "a mark started beside the refresh"
    runner.run_first()  # the refresh ends: the first mark starts, alone
    assert len(runner.jobs) == 1
    assert mtimes(path, keys[0]) != [-1] and mtimes(path, keys[1]) != [-1]
    runner.run_first()
    assert mtimes(path, keys[0]) == [-1] and mtimes(path, keys[1]) != [-1]
    assert len(runner.jobs) == 1  # then the second
    runner.run_first()
    assert mtimes(path, keys[1]) == [-1] and runner.jobs == []
    controller.reload()  # a refresh asked for while no mark runs starts at once
    assert len(runner.jobs) == 1
    runner.run_first()
    controller.shutdown()


def test_a_refresh_asked_for_while_a_mark_runs_waits_for_it(qtbot, tmp_path: Path, two_spoiled) -> None:
    docs, path, keys = two_spoiled
    runner = HeldRunner()
    controller = LibraryController(Settings(tmp_path / "s.ini"), [docs], runner, path)
    controller.start()
    runner.run_first()
    assert controller.library is not None
    controller.report_damaged(damage_of(controller.library, keys[0]))
    assert len(runner.jobs) == 1  # the mark
    controller.reload()
    assert len(runner.jobs) == 1 and not controller.is_loading
    runner.run_first()  # the mark kept: the refresh follows it
    qtbot.waitUntil(lambda: controller.is_loading)
    controller.shutdown()


def test_the_mark_never_goes_on_in_memory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A refused write made the catalogue copy itself whole into memory for each damaged meeting,
    and the mark was lost with it."""
    docs = seed_folder(tmp_path)
    catalogue = Catalogue(tmp_path / "c.sqlite3")
    catalogue.set_roots([docs])
    catalogue.refresh()
    key = next(iter(catalogue.document_keys().values()))

    def refused(db, key):
        raise sqlite3.OperationalError("attempt to write a readonly database")

    monkeypatch.setattr(catalogue_module.stored_copy, "mark", refused)
    try:
        with pytest.raises(sqlite3.OperationalError):
            catalogue.mark_for_reread(key)
        assert catalogue.persistent and catalogue.notice is None
    finally:
        catalogue.close()


@pytest.fixture
def window(qtbot, tmp_path: Path) -> Iterator[tuple[MainWindow, Path, str]]:
    """A window over a catalogue of the seeds, and a meeting not shown, its text spoiled."""
    docs = seed_folder(tmp_path)
    path = tmp_path / "c.sqlite3"
    win = MainWindow(Settings(tmp_path / "s.ini"), [docs], SynchronousRunner(), catalogue=path)
    qtbot.addWidget(win)
    win.show()
    library = win.library.library
    assert library is not None and win.viewer.meeting is not None
    key = next(m.id for m in library.meetings if m is not win.viewer.meeting)
    spoil(path, key, *DAMAGE["text-garbage"])
    yield win, path, key
    win.close()


def test_a_mark_that_failed_is_tried_again_and_asks_for_no_refresh(window, monkeypatch: pytest.MonkeyPatch) -> None:
    win, path, key = window
    tries: list[str] = []

    def refused(path, key):
        tries.append(key)
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(library_controller, "mark_in_file", refused)
    assert win.select_meeting(key) and win.viewer.failed()
    assert tries == [key] and not win.library._refresh_timer.isActive()
    win.select_newest()
    monkeypatch.undo()
    assert win.select_meeting(key) and win.viewer.failed()  # shown again: marked this time
    assert mtimes(path, key) == [-1] and win.library._refresh_timer.isActive()


def test_the_messages_say_what_will_be_tried_and_agree(window) -> None:
    """The viewer said 已标记 before anything was marked (false when the mark fails)."""
    win, _path, key = window
    assert win.select_meeting(key)
    shown = win.viewer.plain_text()
    assert "已标记" not in shown and REREAD in shown
    damage = win.library.damaged[key]
    state = damage.state()
    assert state in shown and state in damage.sentence()
    win.show_problems()
    rows = [win.problems.list.topLevelItem(i) for i in range(win.problems.list.topLevelItemCount())]
    assert any(row.text(1) == state for row in rows if row is not None)


def test_damage_met_as_a_new_library_is_shown_stays_listed(qtbot, window, tmp_path: Path) -> None:
    """set_library selected the last meeting (its damage reported) and then emptied the list."""
    win, path, key = window
    assert win.select_meeting(key)
    listed = win.problems.count()
    assert listed >= 1
    win.close()  # the last meeting is kept in the settings
    spoil(path, key, *DAMAGE["data-cut"])  # (the mark made the first copy whole again)
    again = MainWindow(Settings(tmp_path / "s.ini"), [tmp_path / "docs"], SynchronousRunner(), catalogue=path)
    qtbot.addWidget(again)
    again.show()
    assert again.viewer.meeting is not None and again.viewer.meeting.id == key and again.viewer.failed()
    assert again.problems.count() == listed
    assert again.status.problems_button.isVisibleTo(again)
    again.close()


def test_the_ledgers_damage_message_goes_once_the_copy_is_repaired(window) -> None:
    win, _path, _key = window
    win.ledger_dock.action.trigger()
    view = win.ledger_dock.view
    assert "已损坏" in view.message.text() and view.message.isVisibleTo(view)
    win.library.reload()  # the refresh the mark asked for: the copy read again
    assert not view.left_out
    assert not view.message.isVisibleTo(view)


def test_a_closed_library_is_no_damaged_copy(tmp_path: Path) -> None:
    """Reading a library closed under it raised DamagedCopy, and its sound copy was marked."""
    library = Library.open(tmp_path / "c.sqlite3", [seed_folder(tmp_path)])
    meeting = library.meetings[0]
    library.close()
    library._documents.clear()
    with pytest.raises(sqlite3.ProgrammingError):
        read_document(meeting)


def test_a_search_on_a_closed_catalogue_raises_and_opens_nothing(tmp_path: Path) -> None:
    library = Library.open(tmp_path / "closed-search.sqlite3", [seed_folder(tmp_path)])
    library.close()
    gc.disable()  # a connection left open would be closed by the collector
    try:
        with pytest.raises(sqlite3.ProgrammingError):
            library.catalogue.search_fts(["产业链"])
        assert handles("closed-search.sqlite3") == 0
    finally:
        gc.enable()


def test_an_open_that_fails_closes_its_catalogue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    docs = seed_folder(tmp_path)

    def fails(self, *args, **kwargs):
        raise RuntimeError("refresh failed")

    monkeypatch.setattr(Catalogue, "refresh", fails)
    gc.disable()
    try:
        with pytest.raises(RuntimeError):
            Library.open(tmp_path / "failed-open.sqlite3", [docs])
        assert handles("failed-open.sqlite3") == 0
    finally:
        gc.enable()


def test_tasks_cli_names_a_damaged_meeting(tmp_path: Path, two_spoiled, capsys: pytest.CaptureFixture[str]) -> None:
    _docs, path, keys = two_spoiled
    library = Library.from_file(path)
    labels = [damage_of(library, key).label for key in keys]
    library.close()
    code = main(["tasks", "--catalogue", str(path), "--ledger", str(tmp_path / "ledger.sqlite3")])
    err = capsys.readouterr().err
    assert code == 1 and "已损坏" in err and any(label in err for label in labels)


class Interrupted(BaseException):
    pass


def test_a_job_gives_back_every_library_and_reports_its_end(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import gui.tasks

    counts = LibraryUses()
    monkeypatch.setattr(gui.tasks, "uses", counts)
    docs = seed_folder(tmp_path)
    a, b = Library.open(tmp_path / "a.sqlite3", [docs]), Library.open(tmp_path / "b.sqlite3", [docs])
    closed: list[Library] = []

    def close_fails() -> None:
        raise OSError("the file went")

    monkeypatch.setattr(a, "close", close_fails)
    monkeypatch.setattr(b, "close", lambda: closed.append(b))
    for fn, ends in ((lambda progress, cancelled: 1, "finished"), (_interrupted, "failed")):
        counts.own(a)
        counts.own(b)
        job = Job(fn)
        assert job.hold(a) and job.hold(b)
        counts.release(a)
        counts.release(b)
        ended: list[str] = []
        job.signals.finished.connect(lambda _result, ended=ended: ended.append("finished"))
        job.signals.failed.connect(lambda _reason, ended=ended: ended.append("failed"))
        if ends == "failed":
            with pytest.raises(Interrupted):
                job.run()
        else:
            job.run()
        assert ended == [ends] and closed == [b] and counts.is_closed(a) and counts.is_closed(b)
        closed.clear()
        counts = LibraryUses()
        monkeypatch.setattr(gui.tasks, "uses", counts)


def _interrupted(progress, cancelled):
    raise Interrupted


def test_the_ledger_reads_no_library_closed_under_it(window) -> None:
    """LedgerView.reload started its job on a library closed already (replaced while it waited)."""
    win, _path, _key = window
    win.ledger_dock.action.trigger()
    view = win.ledger_dock.view
    old = win.library.library
    assert old is not None
    source = old.meetings[0].sources[0]
    source.write_text(source.read_text("utf-8") + "\n\n", "utf-8")
    win.library.reload()  # a new library: the old one is closed
    assert win.library.library is not old
    shown = view.count.text()
    view.set_library(old)
    assert view._job is None and view.count.text() == shown and "载入失败" not in view.message.text()


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root writes read-only files")
def test_a_read_only_catalogue_is_not_marked_nor_copied_into_memory(
    tmp_path: Path, two_spoiled, monkeypatch: pytest.MonkeyPatch
) -> None:
    _docs, path, keys = two_spoiled
    copies: list[object] = []
    real = catalogue_module.memory_copy
    monkeypatch.setattr(catalogue_module, "memory_copy", lambda *args: copies.append(args) or real(*args))
    path.chmod(0o444)
    try:
        assert mark_in_file(path, keys[0]) == ([], False)
    finally:
        path.chmod(0o644)
    assert copies == [] and mtimes(path, keys[0]) != [-1]
