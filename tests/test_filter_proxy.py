"""The tree's filter proxy shows exactly what Library.matching keeps, filter after filter and
after the library changes (it learns what each row is once per library)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex

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
