"""A meeting whose stored copy in the catalogue is damaged (the blob's bytes, not SQLite's pages):
the viewer says so in place of the document, the problems panel lists it, its file is marked and
read again at the next refresh, and export and print name it instead of failing blind."""

from __future__ import annotations

import shutil
import sqlite3
import sys
import zlib
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from gui.main_window import MainWindow
from gui.settings import Settings
from gui.tasks import SynchronousRunner
from minutes import seeds_dir
from minutes.catalogue import Catalogue
from minutes.library import FilterSpec, Library
from minutes.stored_copy import DamagedCopy, read_document

# (column, how its bytes are spoiled): garbage, cut short, and well-formed zlib of bytes that are
# not the text's encoding.
DAMAGE = {
    "text-garbage": ("source_text", lambda blob: b"\x78\x9c" + b"garbage" * 5),
    "text-cut": ("source_text", lambda blob: blob[: len(blob) // 2]),
    "text-not-utf8": ("source_text", lambda blob: zlib.compress(b"\xff\xfe\xfa\xfb" * 50)),
    "data-garbage": ("data", lambda blob: b"\x00" + bytes(range(256))),
    "data-cut": ("data", lambda blob: blob[:-7]),
}


def seed_folder(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    shutil.copytree(seeds_dir(), docs)
    return docs


def spoil(catalogue: Path, key: str, column: str, how) -> None:
    """Write over one documents row's blob with another connection, as a disk fault would."""
    db = sqlite3.connect(catalogue)
    try:
        (blob,) = db.execute(f"SELECT {column} FROM documents WHERE doc_key = ?", (key,)).fetchone()
        db.execute(f"UPDATE documents SET {column} = ? WHERE doc_key = ?", (how(bytes(blob)), key))
        db.commit()
        assert db.execute("PRAGMA quick_check").fetchone() == ("ok",)  # SQLite's pages are sound
    finally:
        db.close()


def opened(path: Path, docs: Path) -> Library:
    library = Library.open(path, [docs])
    assert library is not None
    return library


def mtimes(catalogue: Path, key: str) -> list[int]:
    db = sqlite3.connect(catalogue)
    try:
        return [m for (m,) in db.execute("SELECT mtime_ns FROM files WHERE doc_key = ?", (key,))]
    finally:
        db.close()


@pytest.fixture
def catalogued(qtbot, tmp_path: Path):
    """A window over a catalogue of the seeds (copied), and a meeting not yet shown in it."""
    docs = seed_folder(tmp_path)
    path = tmp_path / "c.sqlite3"
    win = MainWindow(Settings(tmp_path / "s.ini"), [docs], SynchronousRunner(), catalogue=path)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    library = win.library.library
    assert library is not None and win.viewer.meeting is not None
    other = next(m for m in library.meetings if m is not win.viewer.meeting)
    return win, path, other


# -- the core --------------------------------------------------------------------------------
@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_reading_a_damaged_copy_raises_damaged_copy_naming_the_meeting(tmp_path: Path, damage: str) -> None:
    docs = seed_folder(tmp_path)
    path = tmp_path / "c.sqlite3"
    with opened(path, docs) as library:
        key = library.meetings[2].id
    spoil(path, key, *DAMAGE[damage])
    with opened(path, docs) as library:
        meeting = library.meeting(key)
        assert meeting is not None
        with pytest.raises(DamagedCopy) as caught:
            read_document(meeting)
        assert caught.value.meeting_id == key and not caught.value.gone
        assert caught.value.sources == [docs / p.name for p in caught.value.sources]
        assert caught.value.label in str(caught.value) and "已损坏" in str(caught.value)
        others = [m for m in library.meetings if m.id != key]
        assert all(read_document(m).minutes.topics for m in others)  # one row, nothing else


def index_is_sound(catalogue: Catalogue) -> None:
    catalogue.check()
    with catalogue._lock:
        catalogue._db.execute("INSERT INTO topic_text(topic_text) VALUES ('integrity-check')")


@pytest.mark.parametrize("column", ["source_text", "data"])
@pytest.mark.parametrize("file", ["unchanged", "edited", "gone"])
def test_mark_for_reread_has_the_next_refresh_store_the_document_afresh(tmp_path: Path, file: str, column: str) -> None:
    docs = seed_folder(tmp_path)
    path = tmp_path / "c.sqlite3"
    with opened(path, docs) as library:
        meeting = library.meetings[1]
        key, source, text = meeting.id, meeting.sources[0], read_document(meeting).text
        title = meeting.topics[0].title
    spoil(path, key, *DAMAGE[f"{'text' if column == 'source_text' else 'data'}-garbage"])
    if file == "edited":
        source.write_text(text + "\n", "utf-8", newline="")  # its lines as they were (Windows would write CRLF)
    elif file == "gone":
        source.unlink()
    catalogue = Catalogue(path)
    try:
        assert [p.parent for p in catalogue.mark_for_reread(key)] == [docs]
        index_is_sound(catalogue)
        report = catalogue.refresh()
        index_is_sound(catalogue)
        if file == "gone":
            assert report.removed == 1
            with pytest.raises(KeyError):
                catalogue.load(key)
        else:
            assert report.imported == 1 and mtimes(path, key) != [-1]
            assert catalogue.load(key).text.rstrip("\n") == text.rstrip("\n")
    finally:
        catalogue.close()
    with opened(path, docs) as library:  # every other meeting reads and is found
        assert all(read_document(m).minutes for m in library.meetings)
        found = {library.meeting(m) for m, _n in library.matching(FilterSpec(text=title[:6]))}
        assert (library.meeting(key) in found) is (file != "gone")


def test_an_unchanged_file_is_not_read_again_until_marked(tmp_path: Path) -> None:
    docs = seed_folder(tmp_path)
    path = tmp_path / "c.sqlite3"
    with opened(path, docs) as library:
        key = library.meetings[1].id
    spoil(path, key, *DAMAGE["text-garbage"])
    catalogue = Catalogue(path)
    try:
        assert catalogue.refresh().imported == 0  # nothing else would ever repair it
        catalogue.mark_for_reread(key)
        assert mtimes(path, key) == [-1]
        assert catalogue.refresh().imported == 1
    finally:
        catalogue.close()


def test_a_meeting_no_longer_in_the_catalogue_is_gone_not_damaged(tmp_path: Path) -> None:
    docs = seed_folder(tmp_path)
    path = tmp_path / "c.sqlite3"
    with opened(path, docs) as library:
        meeting = library.meetings[0]
        source = meeting.sources[0]
        source.unlink()
        with opened(path, docs):  # another refresh forgets it meanwhile
            pass
        with pytest.raises(DamagedCopy) as caught:
            read_document(meeting)
        assert caught.value.gone


# -- the viewer, the problems panel, the repair ------------------------------------------------
@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_the_viewer_says_a_copy_is_damaged_and_a_refresh_repairs_it(catalogued, damage: str) -> None:
    win, path, meeting = catalogued
    before = win.viewer.plain_text()
    problems = win.problems.count()
    spoil(path, meeting.id, *DAMAGE[damage])
    assert win.select_meeting(meeting.id)
    shown = win.viewer.plain_text()
    assert shown != before  # never the previous meeting, silently
    assert "无法显示这份纪要" in shown and "已损坏" in shown and "重新载入" in shown
    assert str(meeting.sources[0]) in shown
    assert win.viewer.failed() and win.viewer.meeting is meeting
    # Listed with the reason, counted in the status bar, and its file marked for reading again.
    assert win.problems.count() == problems + 1
    row = win.problems.list.topLevelItem(0)
    assert row is not None and meeting.title in row.text(0) and "已损坏" in row.text(1)
    assert win.status.problems_button.isVisibleTo(win) and "1" in win.status.problems_button.text()
    assert mtimes(path, meeting.id) == [-1]
    # The refresh it asked for (the watch's timer) reads the file again: the meeting shows.
    assert win.library._refresh_timer.isActive()
    win.library.reload()
    assert win.select_meeting(meeting.id)
    assert not win.viewer.failed() and "无法显示" not in win.viewer.plain_text()
    repaired = win.viewer.meeting
    assert repaired is not None and repaired.minutes.topics
    assert win.problems.count() == problems


def test_the_source_view_and_zoom_of_a_damaged_meeting_show_the_message(catalogued) -> None:
    win, path, meeting = catalogued
    spoil(path, meeting.id, *DAMAGE["text-garbage"])
    win.set_source_mode(True)
    assert win.select_meeting(meeting.id)
    assert "已损坏" in win.viewer.plain_text()
    # The mark wrote the copy back from its unchanged file at once: spoil it again (a failing
    # disk), which is marked no more in this run.
    assert "无法显示" not in read_document(meeting).text
    win.library.library._documents.clear()
    spoil(path, meeting.id, *DAMAGE["text-garbage"])
    win.set_zoom(150)
    assert "已损坏" in win.viewer.plain_text()
    win.set_source_mode(False)
    assert "已损坏" in win.viewer.plain_text()
    assert win.viewer.link_role("市住建局").value == "any"  # a link click never reads the copy


def test_a_damaged_meeting_is_marked_once_and_the_refresh_asked_for_once(catalogued) -> None:
    win, path, meeting = catalogued
    spoil(path, meeting.id, *DAMAGE["text-garbage"])
    asked = []
    win.library._refresh_timer.timeout.connect(lambda: asked.append(1))
    win.select_meeting(meeting.id)
    win.library._refresh_timer.stop()
    win.select_newest()
    win.select_meeting(meeting.id)  # shown again before the refresh: no second mark or refresh
    assert not win.library._refresh_timer.isActive()
    assert len(win.library.damaged) == 1


# -- export and print ----------------------------------------------------------------------------
@pytest.mark.parametrize(("scope", "suffix"), [("current", ".csv"), ("filter", ".pdf"), ("filter", ".csv")])
def test_an_export_holding_a_damaged_meeting_fails_naming_it(catalogued, tmp_path: Path, scope, suffix) -> None:
    from gui.pdf_export import ExportOptions

    win, path, meeting = catalogued
    if scope == "current":
        win.select_meeting(meeting.id)
    spoil(path, meeting.id, *DAMAGE["text-garbage"])
    win.library.library._documents.clear()  # as after reading 64 other meetings
    out = tmp_path / f"out{suffix}"
    layout = "table" if suffix == ".csv" else "full"
    win.export.export_to(out, win.export.selection_recipe(scope), ExportOptions(layout=layout))
    box = win.export.failure_box
    assert box is not None and box.windowTitle() == "导出失败"
    assert meeting.title in box.text() and "已损坏" in box.text()
    assert not out.exists()
    assert meeting.id in win.library.damaged and mtimes(path, meeting.id) == [-1]
    box.close()


def test_print_of_a_damaged_meeting_says_so(catalogued, monkeypatch) -> None:
    from gui.export_dialog import ExportDialog, Scope

    win, path, meeting = catalogued
    win.select_meeting(meeting.id)
    spoil(path, meeting.id, *DAMAGE["data-garbage"])
    win.library.library._documents.clear()
    previews = []
    monkeypatch.setattr(type(win.export), "print_preview", lambda self, *args: previews.append(args))
    monkeypatch.setattr(ExportDialog, "exec", lambda self: ExportDialog.DialogCode.Accepted)
    monkeypatch.setattr(ExportDialog, "scope", lambda self: Scope.CURRENT)
    win.export.open_dialog(Scope.CURRENT, for_print=True)
    box = win.export.failure_box
    assert not previews and isinstance(box, QMessageBox) and box.windowTitle() == "无法打印"
    assert meeting.title in box.text()
    box.close()


def export_csv(win: MainWindow, out: Path, scope: str) -> None:
    """The 议定事项清单 of scope as CSV, written at once (the window's runner is synchronous)."""
    from gui.pdf_export import ExportOptions

    win.export.export_to(out, win.export.selection_recipe(scope), ExportOptions(layout="table"))
    assert out.exists() and win.export.result_box is not None
    win.export.result_box.close()


def test_other_meetings_export_while_one_is_damaged(catalogued, tmp_path: Path) -> None:
    win, path, meeting = catalogued
    spoil(path, meeting.id, *DAMAGE["text-garbage"])
    assert win.viewer.meeting is not meeting
    export_csv(win, tmp_path / "one.csv", "current")


# -- the 台账 -------------------------------------------------------------------------------------
def test_the_ledger_opened_on_a_damaged_meeting_reports_it(catalogued) -> None:
    win, path, meeting = catalogued
    spoil(path, meeting.id, *DAMAGE["text-garbage"])
    win.ledger_dock.action.trigger()  # the first load runs as the view is made
    assert meeting.id in win.library.damaged and mtimes(path, meeting.id) == [-1]
    assert win.status.problems_button.isVisibleTo(win)


def test_the_ledger_lists_the_rest_and_names_a_meeting_it_cannot_read(catalogued) -> None:
    win, path, meeting = catalogued
    dock = win.ledger_dock
    dock.action.trigger()
    assert dock.view is not None
    every = dock.view.model.rowCount()
    mine = sum(1 for r in dock.view.model.shown_rows() if r.data["meeting"].get("key") == meeting.id)
    assert every and mine
    # Its stored tasks are packed against the text: a spoiled text has them extracted from it.
    spoil(path, meeting.id, *DAMAGE["text-garbage"])
    dock.view.set_library(win.library.library)
    assert dock.view.model.rowCount() == every - mine  # the rest of the 台账 is there
    assert dock.view.message.isVisibleTo(dock.view) and meeting.title in dock.view.message.text()
    assert "已损坏" in dock.view.message.text()
    assert meeting.id in win.library.damaged and mtimes(path, meeting.id) == [-1]


# -- hostile: the catalogue file itself goes while the window reads it ---------------------------
@pytest.mark.skipif(sys.platform == "win32", reason="Windows deletes no file that is open")
def test_a_catalogue_deleted_while_open_reads_on_and_is_made_again(catalogued) -> None:
    win, path, meeting = catalogued
    old = win.library.library
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    assert win.select_meeting(meeting.id)  # the open connection still reads the file it opened
    assert not win.viewer.failed() and meeting.topics[0].title in win.viewer.plain_text()
    win.library.reload()
    assert path.exists() and win.library.library is not old
    assert win.select_meeting(meeting.id) and not win.viewer.failed()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions, mounts and file attributes")
def test_a_catalogue_made_read_only_while_open_never_stops_the_window(catalogued, tmp_path: Path) -> None:
    from tests.test_storage import read_only

    win, path, meeting = catalogued
    spoil(path, meeting.id, *DAMAGE["text-garbage"])
    with read_only(tmp_path):
        assert win.select_meeting(meeting.id)
        assert "已损坏" in win.viewer.plain_text()
        win.library.reload()  # opens what the file holds (in memory when it cannot write)
        assert win.select_meeting(meeting.id)
        shown = win.viewer.plain_text()
        assert shown and (win.viewer.failed() or meeting.topics[0].title in shown)
        win.library.reload()
        assert win.library.library is not None and win.library.library.meetings


@pytest.mark.parametrize("column", ["source_text", "data"])
def test_a_changed_file_whose_stored_copy_is_damaged_does_not_stop_the_refresh(catalogued, column) -> None:
    """Storing the new reading first takes the old one's items out of the search index, which
    reads the old copy: the refresh failed on it, at every reload, without a word of which."""
    win, path, meeting = catalogued
    source = meeting.sources[0]
    spoil(path, meeting.id, *DAMAGE["text-garbage" if column == "source_text" else "data-garbage"])
    source.write_text(source.read_text("utf-8").replace("会议", "会议 ", 1), "utf-8")
    failures = []
    win.library.failed.connect(failures.append)
    win.library.reload()
    assert failures == []
    assert win.select_meeting(meeting.id) and not win.viewer.failed()
    library = win.library.library
    assert library is not None and all(read_document(m).minutes for m in library.meetings)
    index_is_sound(library.catalogue)


def test_making_the_index_again_takes_out_every_copy_it_cannot_read(tmp_path: Path) -> None:
    docs = seed_folder(tmp_path)
    path = tmp_path / "c.sqlite3"
    with opened(path, docs) as library:
        first, second = library.meetings[1], library.meetings[3]
        keys, source = (first.id, second.id), first.sources[0]
    for key in keys:
        spoil(path, key, *DAMAGE["text-garbage"])
    source.write_text(source.read_text("utf-8") + "\n", "utf-8")  # the first cannot be written back
    catalogue = Catalogue(path)
    try:
        catalogue.mark_for_reread(keys[0])
        index_is_sound(catalogue)
        assert [mtimes(path, key) for key in keys] == [[-1], [-1]]
        assert catalogue.refresh().imported == 2
        assert all(catalogue.load(key).text for key in keys)
        index_is_sound(catalogue)
    finally:
        catalogue.close()


def test_a_refresh_waits_for_a_mark_running(catalogued) -> None:
    """A mark that makes the search index again holds the file for minutes: a refresh started
    beside it (the folder watch) would wait, then give the catalogue up as unwritable."""
    win, path, meeting = catalogued
    spoil(path, meeting.id, *DAMAGE["text-garbage"])
    held: list = []
    controller = win.library
    controller.runner = type("Held", (), {"start": lambda self, job: held.append(job)})()
    win.select_meeting(meeting.id)
    (mark,) = held
    controller.reload()  # the watch fires while the mark runs: nothing starts
    assert held == [mark] and not controller.is_loading
    mark.run()
    assert mtimes(path, meeting.id) == [-1] and controller._refresh_timer.isActive()
    controller.runner = SynchronousRunner()
    controller.reload()
    assert win.select_meeting(meeting.id) and not win.viewer.failed()


def test_a_new_parser_meeting_a_damaged_copy_does_not_stop_the_refresh(catalogued) -> None:
    """A new parser parses every stored text again: a spoiled one stopped the whole load."""
    win, path, meeting = catalogued
    spoil(path, meeting.id, *DAMAGE["text-cut"])
    db = sqlite3.connect(path)
    db.execute("UPDATE meta SET value = '0' WHERE key = 'parser_version'")
    db.commit()
    db.close()
    failures = []
    win.library.failed.connect(failures.append)
    win.library.reload()
    assert failures == []
    library = win.library.library
    assert library is not None and all(read_document(m).minutes for m in library.meetings)
    assert win.select_meeting(meeting.id) and not win.viewer.failed()
    index_is_sound(library.catalogue)


def test_a_copy_spoiled_while_the_print_preview_paints_is_named(catalogued, monkeypatch) -> None:
    """The preview lays the pages out again and again; a meeting the cache let go is read again."""
    from PySide6.QtPrintSupport import QPrintPreviewDialog

    from gui.pdf_export import ExportOptions
    from minutes.report import select_meeting

    win, path, meeting = catalogued
    selection = select_meeting(meeting)  # read whole
    spoil(path, meeting.id, *DAMAGE["text-garbage"])
    win.library.library._documents.clear()
    monkeypatch.setattr(QPrintPreviewDialog, "exec", lambda self: self.paintRequested.emit(self.printer()))
    win.export.print_preview(selection, ExportOptions())
    box = win.export.failure_box
    assert box is not None and box.windowTitle() == "无法打印" and meeting.title in box.text()
    assert meeting.id in win.library.damaged
    box.close()


def test_a_copy_spoiled_while_the_pdf_is_written_is_named(catalogued, tmp_path: Path) -> None:
    from gui.pdf_export import ExportOptions
    from minutes.report import select_meeting

    win, path, meeting = catalogued
    selection = select_meeting(meeting)  # read whole, as the export's selection step does
    spoil(path, meeting.id, *DAMAGE["data-cut"])
    win.library.library._documents.clear()
    win.export.export_to(tmp_path / "one.pdf", selection, ExportOptions())
    box = win.export.failure_box
    assert box is not None and meeting.title in box.text() and "已损坏" in box.text()
    assert meeting.id in win.library.damaged
    box.close()
