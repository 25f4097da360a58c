"""The meeting tree fills itself lazily (#15): set_library makes only the year rows; a year's
meeting rows are made when it is first looked into, a meeting's items when it is. Users see
the same tree whatever order it is filled in."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt

from gui.filter_proxy import MeetingFilterProxy
from gui.meeting_tree import MeetingTree
from gui.tree_model import MeetingTreeModel, NodeKind, Roles
from minutes import seeds_dir
from minutes.library import FilterSpec, Library
from tests import mixed_library


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Library:
    return Library.load([mixed_library.build(tmp_path_factory.mktemp("lazy"))])


def dump(model, parent: QModelIndex = QModelIndex()) -> list:  # noqa: B008
    """Every row as the view sees it, depth first."""
    rows = []
    for r in range(model.rowCount(parent)):
        index = model.index(r, 0, parent)
        assert index.row() == r and model.parent(index) == parent
        rows.append((index.data(), index.data(Roles.KIND), index.data(Roles.MEETING_ID), dump(model, index)))
    return rows


def model_of(library: Library) -> MeetingTreeModel:
    model = MeetingTreeModel()
    model.set_library(library)
    return model


def test_only_the_years_are_made_at_first(library: Library) -> None:
    fresh = Library(library.catalogue)
    model = model_of(fresh)
    years = [model.index(r, 0) for r in range(model.rowCount())]
    assert [y.data(Roles.YEAR) for y in years] == sorted({m.date.year for m in fresh.meetings}, reverse=True)
    counts = [model.rowCount(y) for y in years]  # counted, not made
    assert all(m._topics is None for m in fresh.meetings)  # no meeting's items read
    assert all(model._years[y.data(Roles.YEAR)].pending is not None for y in years)
    assert counts == [len(rows) for _, _, _, rows in dump(model)]


def test_the_tree_is_the_same_whatever_order_it_is_filled_in(library: Library) -> None:
    straight = dump(model_of(library))
    oldest_first = model_of(library)
    for meeting in reversed(library.meetings):  # a meeting selected before its year was opened
        index = oldest_first.meeting_index(meeting.id)
        assert index.isValid() and index.data(Roles.MEETING_ID) == meeting.id
        numbers = [t.number for t in meeting.topics]
        if numbers:
            assert oldest_first.topic_index(meeting.id, numbers[-1]).row() == len(numbers) - 1
    assert dump(oldest_first) == straight


def test_a_years_facts_are_the_same_before_and_after_its_rows_are_made(library: Library) -> None:
    model = model_of(library)
    for r in range(model.rowCount()):
        year = model.index(r, 0)
        before = model.rows_facts(year)
        assert [model.row_facts(year, row) for row in range(model.rowCount(year))] == before
        assert model.rows_facts(year) == before


def test_placeholders_toggled_before_a_year_is_opened_come_and_go_with_signals(qtmodeltester) -> None:
    model = MeetingTreeModel()
    proxy = MeetingFilterProxy()
    proxy.setSourceModel(model)
    model.set_library(Library.load([seeds_dir()]))
    year_2020 = proxy.index(1, 0)
    assert proxy.rowCount(year_2020) == 9  # the proxy has counted the rows; none is made yet
    model.set_gaps_shown(False)
    assert proxy.rowCount(year_2020) == 4
    assert all(not proxy.index(r, 0, year_2020).data(Roles.PLACEHOLDER) for r in range(4))
    qtmodeltester.check(proxy)
    model.set_gaps_shown(True)
    assert proxy.rowCount(year_2020) == 9
    assert proxy.index(1, 0, year_2020).data(Roles.KIND) == NodeKind.PLACEHOLDER


def test_the_window_tree_at_start_opens_only_the_newest_year(qtbot, library: Library, tmp_path: Path) -> None:
    fresh = Library(library.catalogue)
    model = MeetingTreeModel()
    proxy = MeetingFilterProxy()
    proxy.setSourceModel(model)
    tree = MeetingTree(model, proxy)
    qtbot.addWidget(tree)
    model.set_library(fresh)
    tree.show()
    newest = tree.newest()
    assert tree.select(newest.data(Roles.MEETING_ID))
    assert tree.currentIndex().data(Roles.MEETING_ID) == fresh.meetings[0].id
    newest_year = fresh.meetings[0].date.year
    assert all(node.pending is not None for year, node in model._years.items() if year != newest_year)
    # A filter walks the years without making their rows; opening every year reads no items.
    proxy.set_spec(FilterSpec(text="湖"))
    shown = {proxy.index(r, 0).data(Roles.YEAR) for r in range(proxy.rowCount())}
    assert shown == {(m.date.year if m.date else 0) for m in fresh.meetings if m.id in proxy.shown_meetings()}
    for r in range(proxy.rowCount()):
        tree.expand(proxy.index(r, 0))
    assert all(m._topics is None for m in fresh.meetings)
    # Keyboard navigation walks into the meetings' items, which are read then.
    proxy.set_spec(FilterSpec())
    tree.collapseAll()
    first = next(m for m in fresh.meetings if fresh.item_numbers(m.id))  # the newest is a report without items
    assert tree.select(first.id)
    tree.expand(tree.currentIndex())
    tree.setFocus()
    qtbot.keyClick(tree, Qt.Key.Key_Down)
    assert tree.currentIndex().data(Roles.KIND) == NodeKind.TOPIC
    assert tree.currentIndex().data(Roles.MEETING_ID) == first.id
    assert tree.currentIndex().data() == f"{first.topics[0].label}{first.topics[0].title}"


def test_a_search_filters_only_the_years_the_tree_has_open(qtbot, library: Library) -> None:
    """The view asks a collapsed year only whether it has rows: answering that must not filter
    the year's meetings (at 100,000 minutes every keystroke filtered all of them)."""
    filtered: set[int] = set()

    class Watched(MeetingFilterProxy):
        def filterAcceptsRow(self, source_row, source_parent) -> bool:
            if source_parent.isValid() and source_parent.data(Roles.KIND) == NodeKind.YEAR:
                filtered.add(source_parent.data(Roles.YEAR))
            return super().filterAcceptsRow(source_row, source_parent)

    model = MeetingTreeModel()
    proxy = Watched()
    proxy.setSourceModel(model)
    tree = MeetingTree(model, proxy)
    tree.EXPAND_ALL_UP_TO = 0  # as in a large library: only the newest year is opened
    proxy.filterChanged.connect(tree.open_for_filter)
    qtbot.addWidget(tree)
    model.set_library(library)
    tree.show()
    tree.open_for_filter()
    qtbot.wait(10)
    years = {m.date.year for m in library.meetings if m.date}
    assert len(years) >= 2
    for text in ("湖", "实施", "不存在的词", "市"):
        filtered.clear()
        proxy.set_spec(FilterSpec(text=text))
        qtbot.wait(10)  # laid out and painted
        expanded = {
            proxy.index(r, 0).data(Roles.YEAR) for r in range(proxy.rowCount()) if tree.isExpanded(proxy.index(r, 0))
        }
        assert len(expanded) <= 1 and filtered <= expanded, text
        # Each shown year still has its arrow, and opening it shows what the filter keeps.
        for r in range(proxy.rowCount()):
            year = proxy.index(r, 0)
            assert proxy.hasChildren(year) and proxy.rowCount(year) > 0
