"""Typing into the search box, key after key, as the window applies them: after a short result
opened every year it is in, the next key filters only the years it needs (Qt's proxy filters
every row of each year it has mapped at every change: at 100,000 minutes ~96,000 rows a key),
and the tree shows, selects and keeps current what it did before."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import QApplication

from gui.filter_proxy import MeetingFilterProxy
from gui.meeting_tree import MeetingTree
from gui.tree_model import MeetingTreeModel, NodeKind, Roles
from minutes.library import FilterSpec, Library
from tests.test_filter_proxy import expected, shown

ROOT = Path(__file__).resolve().parent.parent
SHORT, LONG = "石湖", "湖"  # 27 meetings in 14 years of the 400 generated; 83 in every year


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Library:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from library import generate  # bench/library.py: the benchmark's generated minutes
    finally:
        sys.path.remove(str(ROOT / "bench"))
    folder = tmp_path_factory.mktemp("typing") / "minutes"
    folder.mkdir()
    generate(folder, 400)  # 26 years of ~15 meetings
    return Library.load([folder])


class Counting(MeetingFilterProxy):
    """Counts the rows filtered under each year (the meetings), by year."""

    def __init__(self) -> None:
        super().__init__()
        self.years_filtered: dict[int, int] = {}
        self.HIDE_YEARS_OVER = 0  # as in a large library: the 400 minutes' years hold ~15 each

    def filterAcceptsRow(self, source_row: int, source_parent) -> bool:
        if source_parent.isValid() and source_parent.data(Roles.KIND) == NodeKind.YEAR:
            year = source_parent.data(Roles.YEAR)
            self.years_filtered[year] = self.years_filtered.get(year, 0) + 1
        return super().filterAcceptsRow(source_row, source_parent)


def window_tree(qtbot, library: Library) -> tuple[MeetingTree, Counting]:
    model = MeetingTreeModel()
    proxy = Counting()
    proxy.setSourceModel(model)
    tree = MeetingTree(model, proxy)
    proxy.filterChanged.connect(tree.open_for_filter)  # as the window does
    qtbot.addWidget(tree)
    model.set_library(library)
    tree.resize(360, 820)
    tree.show()
    tree.open_for_filter()
    assert tree.select(library.meetings[0].id)
    return tree, proxy


def key(tree: MeetingTree, text: str) -> None:
    """A key typed: MainWindow._on_filter_changed, then the events that follow."""
    keep = tree.current_key()
    tree.proxy.set_spec(FilterSpec(text=text))
    if keep and tree.current_key() != keep and not tree.reselect(keep):
        newest = tree.newest()
        assert not newest.isValid() or tree.select(newest.data(Roles.MEETING_ID))
    QApplication.processEvents()


def years_open(tree: MeetingTree) -> set[int]:
    proxy = tree.proxy
    return {proxy.index(r, 0).data(Roles.YEAR) for r in range(proxy.rowCount()) if tree.isExpanded(proxy.index(r, 0))}


def test_the_queries_are_a_short_and_a_long_result(library: Library) -> None:
    short, long = (library.match(FilterSpec(text=text)) for text in (SHORT, LONG))
    assert short.meeting_count(1000) <= MeetingTree.EXPAND_ALL_UP_TO < long.meeting_count(1000)
    assert len(short.years) >= 10


def test_a_key_after_a_short_result_filters_only_the_years_it_needs(qtbot, library: Library) -> None:
    tree, proxy = window_tree(qtbot, library)
    current_year = library.meetings[0].date.year
    key(tree, SHORT)
    assert years_open(tree) == library.match(FilterSpec(text=SHORT)).years  # every year it is in
    for text in (LONG, SHORT, "", SHORT, "湖 医保"):
        before = years_open(tree)
        proxy.years_filtered.clear()
        key(tree, text)
        # The years opened for this result, and the one holding the current row: not every
        # year the short result had opened (each a filter of all its meetings).
        needed = years_open(tree) | {current_year}
        assert set(proxy.years_filtered) <= needed, (text, sorted(before))
        assert shown(proxy) == expected(library, FilterSpec(text=text)), text


def test_what_is_current_stays_current_key_after_key(qtbot, library: Library, qtmodeltester) -> None:
    tree, proxy = window_tree(qtbot, library)
    short = library.match(FilterSpec(text="石湖实验室")).meeting_ids()
    # An older meeting every result below shows: its year is kept, the others are hidden first.
    reading = next(m for m in library.meetings[40:] if m.id in short)
    assert tree.select(reading.id)
    qtmodeltester.check(proxy)  # and its signals from here on, the hiding before a change's among them
    changes: list[QModelIndex] = []
    tree.selectionModel().currentChanged.connect(lambda now, _before: changes.append(now))
    for text in ("石", SHORT, LONG, SHORT, "石湖实", SHORT):
        key(tree, text)
        assert shown(proxy) == expected(library, FilterSpec(text=text)), text
        assert tree.current_key() == (reading.id, None), text
        assert tree.selectionModel().selectedIndexes() == [tree.currentIndex()]
    # Hidden and shown again or not, the row read was never left.
    assert changes == []


def test_a_short_result_reads_the_items_of_its_meetings_only(qtbot, library: Library) -> None:
    fresh = Library(library.catalogue)  # from the catalogue: no meeting's items read yet
    tree, _proxy = window_tree(qtbot, fresh)
    key(tree, SHORT)
    result = fresh.match(FilterSpec(text=SHORT)).meeting_ids()
    read = {m.id for m in fresh.meetings if m.topics_read}
    # Every meeting of the result is open, and only they (and the one current at the start)
    # had their items read: not each with the meetings after it.
    assert result <= read <= result | {fresh.meetings[0].id}
    for meeting in fresh.meetings:
        if meeting.id in result:
            assert tree.isExpanded(tree.proxy.mapFromSource(tree.source.meeting_index(meeting.id)))
            assert [t.number for t in meeting.topics] == list(fresh.item_numbers(meeting.id))


def test_a_short_results_years_open_a_few_at_a_time_the_current_rows_first(qtbot, library: Library) -> None:
    tree, proxy = window_tree(qtbot, library)
    tree.OPEN_ROWS_AT_ONCE = 20  # about one year of the 400 generated minutes a pass
    result = library.match(FilterSpec(text=SHORT))
    reading = next(
        m for m in library.meetings[200:] if m.id in library.match(FilterSpec(text="石湖实验室")).meeting_ids()
    )
    assert tree.select(reading.id)
    proxy.set_spec(FilterSpec(text=SHORT))  # the rest waits for the event loop
    opened = years_open(tree)
    assert tree.opening() and reading.date.year in opened and len(opened) < len(result.years)
    assert tree.current_key() == (reading.id, None)
    qtbot.waitUntil(lambda: not tree.opening())
    assert years_open(tree) == result.years
    for meeting_id in result.meeting_ids():
        assert tree.isExpanded(proxy.mapFromSource(tree.source.meeting_index(meeting_id)))
    assert tree.current_key() == (reading.id, None)
    # A key typed while the years open stops the opening; the next result opens as it would.
    proxy.set_spec(FilterSpec(text="石湖实验室"))
    assert tree.opening()
    proxy.set_spec(FilterSpec(text=LONG))
    assert not tree.opening()
    QApplication.processEvents()
    assert shown(proxy) == expected(library, FilterSpec(text=LONG))
    # The newest, and the current row's (scrolled to), as before.
    assert years_open(tree) == {proxy.index(0, 0).data(Roles.YEAR), reading.date.year}
    assert tree.current_key() == (reading.id, None)


# -- the window, with the hiding and the opening a pass at a time as in a large library ---------
@pytest.fixture
def window(qtbot, settings, library: Library, monkeypatch: pytest.MonkeyPatch):
    from gui.main_window import MainWindow
    from gui.tasks import SynchronousRunner

    monkeypatch.setattr(MeetingFilterProxy, "HIDE_YEARS_OVER", 0)
    monkeypatch.setattr(MeetingTree, "OPEN_ROWS_AT_ONCE", 20)  # a year or two a pass
    w = MainWindow(settings, [], SynchronousRunner())
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    w.set_library(library)
    QApplication.processEvents()
    return w


def reading_in_short_result(library: Library):
    hits = library.match(FilterSpec(text="石湖实验室")).meeting_ids()  # found by every key typed below
    return next(m for m in library.meetings[200:] if m.id in hits)  # an older year's meeting


def test_the_window_keeps_the_meeting_read_key_after_key(window, library: Library) -> None:
    reading = reading_in_short_result(library)
    assert window.select_meeting(reading.id)
    QApplication.processEvents()
    changes: list[object] = []
    window.tree.selectionModel().currentChanged.connect(lambda now, _before: changes.append(now))
    for text in ("石", SHORT, LONG, SHORT, "石湖实", SHORT, "", SHORT):
        window.filters.search.setText(text)
        QApplication.processEvents()
        assert window.tree.current_key() == (reading.id, None), text
        assert window.viewer.meeting is not None and window.viewer.meeting.id == reading.id, text
        assert shown(window.proxy) == expected(library, FilterSpec(text=text)), text
    assert changes == []


def test_a_year_closed_while_the_rest_open_stays_closed(window, library: Library, qtbot) -> None:
    assert window.select_meeting(reading_in_short_result(library).id)
    window.filters.search.setText(SHORT)
    assert window.tree.opening()
    year = window.tree.currentIndex().parent()
    window.tree.collapse(year)
    qtbot.waitUntil(lambda: not window.tree.opening())
    assert not window.tree.isExpanded(year)


def test_other_filters_and_a_new_library_while_the_years_open(window, library: Library, qtbot) -> None:
    window.filters.search.setText(SHORT)
    assert window.tree.opening()
    dept = next(iter(window.filters.department_counts()))
    window.state.update(departments=frozenset({dept}))
    QApplication.processEvents()
    qtbot.waitUntil(lambda: not window.tree.opening())
    assert shown(window.proxy) == expected(library, window.state.spec)

    window.state.update(departments=frozenset())
    assert window.tree.opening()
    fresh = Library(library.catalogue)
    window.set_library(fresh)
    qtbot.waitUntil(lambda: not window.tree.opening())
    assert shown(window.proxy) == expected(fresh, window.state.spec)
    window.filters.search.setText("")
    assert not window.tree.opening()
    assert shown(window.proxy) == expected(fresh, FilterSpec())
