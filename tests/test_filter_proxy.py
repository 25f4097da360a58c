"""The tree's filter proxy shows exactly what Library.matching keeps, filter after filter and
after the library changes (it learns what each row is once per library)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, QModelRoleData, QModelRoleDataSpan, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem

from gui.filter_proxy import MeetingFilterProxy
from gui.tree_model import MeetingTreeModel, NodeKind, Roles
from minutes import seeds_dir
from minutes.library import FilterSpec, Library, RoleFilter
from tests import mixed_library

SPECS = [
    FilterSpec(departments=frozenset({"市住建局"})),
    FilterSpec(date_from=dt.date(2020, 6, 1), date_to=dt.date(2020, 12, 31)),
    FilterSpec(kinds=frozenset({"听取"}), text="湖"),
    FilterSpec(departments=frozenset({"市检察院", "市发改委"}), role=RoleFilter.ATTENDED),
    FilterSpec(issuers=frozenset({mixed_library.COUNTY[0]})),
    FilterSpec(departments=frozenset({"市发改委"}), role=RoleFilter.LEAD, date_from=dt.date(2021, 1, 1)),
    FilterSpec(text="不存在的词"),
    FilterSpec(),
]


def shown(proxy: MeetingFilterProxy) -> tuple[set[tuple[str, int]], set[str], set[int]]:
    """(meeting id, item number) of the items, the meetings and the years the proxy shows."""
    items, meetings, years = set(), set(), set()

    def walk(parent: QModelIndex) -> None:
        for row in range(proxy.rowCount(parent)):
            index = proxy.index(row, 0, parent)
            kind = index.data(Roles.KIND)
            if kind == NodeKind.TOPIC:
                items.add((index.data(Roles.MEETING_ID), index.data(Roles.TOPIC_NUMBER)))
            elif kind == NodeKind.MEETING:
                meetings.add(index.data(Roles.MEETING_ID))
            else:
                years.add(index.data(Roles.YEAR))
            walk(index)

    walk(QModelIndex())
    return items, meetings, years


def expected(library: Library, spec: FilterSpec) -> tuple[set[tuple[str, int]], set[str], set[int]]:
    items = (
        library.matching(spec) if not spec.is_empty else {(m.id, t.number) for m in library.meetings for t in m.topics}
    )
    # With no filter the proxy keeps every row, a meeting without items too.
    meetings = {m for m, _ in items} if not spec.is_empty else {m.id for m in library.meetings}
    years = {(m.date.year if m.date else 0) for m in library.meetings if m.id in meetings}
    return items, meetings, years


@pytest.fixture
def proxy(qtbot, tmp_path: Path) -> MeetingFilterProxy:
    model = MeetingTreeModel()
    proxy = MeetingFilterProxy()
    proxy.setSourceModel(model)
    model.set_library(Library.load([mixed_library.build(tmp_path / "mixed")]))
    return proxy


def test_the_tree_shows_what_the_library_matches_filter_after_filter(proxy: MeetingFilterProxy) -> None:
    library = proxy.sourceModel().library
    for spec in SPECS + SPECS[::-1]:  # each filter after several others: rows re-filtered, not rebuilt
        proxy.set_spec(spec)
        assert shown(proxy) == expected(library, spec), spec
        assert proxy.shown_topic_count() == len(expected(library, spec)[0])


def test_a_new_library_is_filtered_by_its_own_rows(proxy: MeetingFilterProxy) -> None:
    spec = FilterSpec(departments=frozenset({"市住建局"}))
    proxy.set_spec(spec)
    shown(proxy)  # every row seen under the first library
    seeds = Library.load([seeds_dir()])
    proxy.sourceModel().set_library(seeds)
    assert shown(proxy) == expected(seeds, spec)


def test_the_filtered_proxy_passes_the_model_tester(proxy: MeetingFilterProxy, qtmodeltester) -> None:
    proxy.set_spec(SPECS[1])
    qtmodeltester.check(proxy)


def test_every_shown_row_says_it_has_rows_exactly_when_it_has(proxy: MeetingFilterProxy) -> None:
    """hasChildren is answered without filtering the rows under a row (a collapsed year's arrow):
    it must agree with the rows the filter then shows."""

    def walk(parent: QModelIndex) -> int:
        rows = proxy.rowCount(parent)
        if parent.isValid():
            assert proxy.hasChildren(parent) == (rows > 0), (parent.data(), proxy.spec)
        return 1 + sum(walk(proxy.index(row, 0, parent)) for row in range(rows))

    walked = []
    for spec in SPECS:
        proxy.set_spec(spec)
        walked.append(walk(QModelIndex()))
    assert sum(n > 1 for n in walked) >= len(SPECS) // 2  # most filters show rows to check


def test_rows_put_in_or_taken_out_are_filtered_as_they_are_now(proxy: MeetingFilterProxy) -> None:
    """What each row under a parent is, is learnt once per parent and library: placeholder rows
    shown or hidden under mapped years shift the rows under them, and the proxy must go on
    showing exactly what the filter keeps (and every row with no filter). Fails when what was
    learnt outlives the rows it was learnt of."""
    model = proxy.sourceModel()
    library = model.library
    assert library.gaps  # the mixed library misses meetings: its years have placeholder rows

    def placeholders() -> int:
        return sum(bool(index.data(Roles.PLACEHOLDER)) for index in every_index(proxy))

    for spec in SPECS + SPECS:  # each filter set with the placeholders shown, then hidden
        proxy.set_spec(spec)
        shown(proxy)  # every parent asked: its rows learnt
        model.set_gaps_shown(not model.gaps_shown)
        assert shown(proxy) == expected(library, spec), (spec, model.gaps_shown)
        # A placeholder is never a search result; with no filter every one is shown.
        assert placeholders() == (len(library.gaps) if spec.is_empty and model.gaps_shown else 0)


def every_index(model, parent: QModelIndex = QModelIndex()) -> list[QModelIndex]:  # noqa: B008
    found = []
    for row in range(model.rowCount(parent)):
        index = model.index(row, 0, parent)
        found += [index, *every_index(model, index)]
    return found


ROLES = [
    Qt.ItemDataRole.DisplayRole,
    Qt.ItemDataRole.ToolTipRole,
    Qt.ItemDataRole.CheckStateRole,
    Qt.ItemDataRole.ForegroundRole,
    Qt.ItemDataRole.FontRole,
    Qt.ItemDataRole.DecorationRole,
    *Roles,
]


def test_every_role_asked_at_once_is_what_it_is_asked_alone(proxy: MeetingFilterProxy) -> None:
    """multiData (a painted row's seven roles in one call, for the proxy's and the model's rows)
    answers as data() does, placeholders included."""
    model = proxy.sourceModel()
    model.set_gaps_shown(True)
    for spec in (FilterSpec(), SPECS[1]):
        proxy.set_spec(spec)
        for index in every_index(proxy) + every_index(model):
            for role in ROLES:
                asked = QModelRoleData(role)
                index.model().multiData(index, QModelRoleDataSpan(asked))
                assert asked.data() == index.data(role), (index.data(), role)


def test_the_tree_is_painted_from_the_rows_data(proxy: MeetingFilterProxy, qtbot) -> None:
    model = proxy.sourceModel()
    model.set_gaps_shown(True)
    delegate = QStyledItemDelegate()
    checked = next(i for i in every_index(proxy) if i.data(Roles.KIND) == NodeKind.TOPIC)
    model.setData(proxy.mapToSource(checked), Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)
    for index in every_index(proxy):
        option = QStyleOptionViewItem()
        delegate.initStyleOption(option, index)  # through multiData
        assert option.text == index.data()
        state = index.data(Qt.ItemDataRole.CheckStateRole)
        assert (option.checkState if state is not None else None) == state
        grey = index.data(Qt.ItemDataRole.ForegroundRole)
        if grey is not None:  # a placeholder's
            assert option.palette.brush(QPalette.ColorRole.Text) == grey


def test_rows_say_what_the_source_says_of_them_change_after_change(proxy: MeetingFilterProxy) -> None:
    """The proxy answers flags and hasChildren under a filter from what a row is under (Qt's
    record of the rows under a parent, kept by the proxy until Qt may free it): whatever changed
    before, every row's answer is the source's."""
    model = proxy.sourceModel()

    def check() -> None:
        for index in every_index(proxy):
            source = proxy.mapToSource(index)
            assert proxy.flags(index) == model.flags(source), index.data()
            assert proxy.hasChildren(index) == (proxy.rowCount(index) > 0), index.data()

    for spec in SPECS:
        proxy.set_spec(spec)
        check()
        model.set_gaps_shown(not model.gaps_shown)  # rows inserted and removed under open years
        check()
    proxy.set_spec(SPECS[0])
    check()
    model.set_library(Library.load([seeds_dir()]))
    check()


def test_a_change_that_raises_ends_the_change_and_the_tree_scrolls_again(
    proxy: MeetingFilterProxy, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A damaged search index raises from Library.match inside a change: the tree, closed and
    not scrolling for the change, must not stay so, and the proxy keeps answering."""
    from gui.meeting_tree import MeetingTree
    from minutes.schema import CatalogueError

    tree = MeetingTree(proxy.sourceModel(), proxy)
    qtbot.addWidget(tree)
    assert tree.hasAutoScroll()

    def damaged(_spec: FilterSpec) -> None:
        raise CatalogueError("search index damaged")

    monkeypatch.setattr(proxy.sourceModel().library, "match", damaged)
    with pytest.raises(CatalogueError):
        proxy.set_spec(SPECS[0])
    assert tree.hasAutoScroll()
    monkeypatch.undo()
    proxy.set_spec(SPECS[1])
    assert shown(proxy) == expected(proxy.sourceModel().library, SPECS[1])


def test_rows_asked_while_the_source_changes_say_what_the_source_says(proxy: MeetingFilterProxy) -> None:
    """Qt tells the proxy's listeners of removed rows inside the source's announcement, before
    the source's rows go: what the proxy knew of a row's parent must be put aside by then, or a
    meeting is answered as the placeholder it replaced (no filter: answered from the source's
    row of the same number)."""
    model = proxy.sourceModel()
    model.set_gaps_shown(True)
    wrong: list[str] = []

    def probe(parent: QModelIndex, _first: int, _last: int) -> None:
        for row in range(proxy.rowCount(parent)):
            index = proxy.index(row, 0, parent)
            source = proxy.mapToSource(index)
            if proxy.flags(index) != model.flags(source) or proxy.hasChildren(index) != model.hasChildren(source):
                wrong.append(index.data())

    for spec in (FilterSpec(), SPECS[1]):
        proxy.set_spec(spec)
        every_index(proxy)  # every parent known, as an expanded tree's are
        proxy.rowsRemoved.connect(probe)
        proxy.rowsInserted.connect(probe)
        model.set_gaps_shown(not model.gaps_shown)
        model.set_gaps_shown(not model.gaps_shown)
        proxy.rowsRemoved.disconnect(probe)
        proxy.rowsInserted.disconnect(probe)
    assert wrong == []
