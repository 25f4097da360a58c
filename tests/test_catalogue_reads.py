"""The library's start-up reads (minutes.catalogue_reads): one row per meeting, the same items
in the same order as reading every item's row."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections import Counter
from itertools import groupby
from operator import itemgetter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minutes import catalogue_reads, item_roles, item_runs
from minutes.catalogue import Catalogue
from minutes.filters import filter_kind
from minutes.library import FilterSpec, Library
from minutes.numbering import find_gaps
from tests import mixed_library


def test_the_meeting_list_holds_every_items_id_and_number_in_order(tmp_path: Path) -> None:
    library = Library.load([mixed_library.build(tmp_path / "m")])
    cat = library.catalogue
    rows = {key: list(run) for key, run in groupby(cat.topic_rows(), itemgetter(1))}
    listed = catalogue_reads.meeting_list(cat)
    keys = [row[0] for row in listed.rows]
    assert keys == [m.id for m in sorted(library.meetings, key=lambda m: m.sort_key, reverse=True)]
    runs = listed.items
    assert list(runs.counts) == [len(rows.get(key, ())) for key in keys]
    assert list(runs.ids) == [row[0] for key in keys for row in rows.get(key, ())]
    assert list(runs.numbers) == [row[2] for key in keys for row in rows.get(key, ())]
    assert 0 in runs.counts  # a news report without items
    assert library.gaps == find_gaps(library.meetings) != []  # worked out beside the reads
    assert library.department_counts() == Counter(dict(cat.role_counts("any")))  # read beside them
    plan = cat._db.execute("EXPLAIN QUERY PLAN " + item_roles.counts_query("any")).fetchall()
    assert "COVERING INDEX topic_roles_any" in plan[0][3] and len(plan) == 1  # no sort of every row
    assert len(listed.kinds) == len(runs.ids)
    kinds = {kind: sorted(ids) for kind, ids in catalogue_reads.kind_ids(listed.kinds, runs.ids)}
    expected = {filter_kind(r[4]) for r in cat.topic_rows()}
    assert kinds == {k: sorted(r[0] for r in cat.topic_rows() if filter_kind(r[4]) == k) for k in expected}
    assert len(kinds) > 1


def test_the_runs_written_with_the_items_are_those_worked_out_from_them(tmp_path: Path) -> None:
    """What the import writes (item_runs.write) and what the step to schema 7 works out from the
    items stored (item_runs.fill) agree, meeting by meeting."""
    library = Library.load([mixed_library.build(tmp_path / "m")])
    db = library.catalogue._db
    written = db.execute("SELECT * FROM item_runs ORDER BY doc_key").fetchall()
    assert len(written) == sum(1 for m in library.meetings if library.item_numbers(m.id))
    item_runs.fill(db)
    assert db.execute("SELECT * FROM item_runs ORDER BY doc_key").fetchall() == written


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(1, 40), st.integers(-3, 12)),
        min_size=1,
        max_size=8,
        unique_by=(lambda p: p[0], lambda p: p[1]),
    )
)
def test_a_run_is_regular_exactly_when_the_aggregates_say_so(pairs: list[tuple[int, int]]) -> None:
    """The write's run_of (Python, item by item) and the migration's aggregate (SQLite) agree on
    any ids and numbers: rising together from 1 and from the lowest id, or not. The kinds come
    in number order either way."""
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE topics(id INTEGER PRIMARY KEY, doc_key TEXT, number INTEGER, kind TEXT)")
    db.execute("CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    kinds = ["审议", "听取", "其他议题", "学习"]
    db.executemany("INSERT INTO topics VALUES (?, 'k', ?, ?)", [(i, n, kinds[i % 4]) for i, n in pairs])
    db.execute(item_runs.TABLE.replace(" REFERENCES documents(doc_key) ON DELETE CASCADE", ""))
    item_runs.write(db, "w", [i for i, _ in pairs], [n for _, n in pairs], [kinds[i % 4] for i, _ in pairs])
    written = db.execute("SELECT count, first, regular, kinds FROM item_runs").fetchone()
    item_runs.fill(db)
    ids, numbers = [i for i, _ in pairs], [n for _, n in pairs]
    count, first, regular, codes = db.execute("SELECT count, first, regular, kinds FROM item_runs").fetchone()
    assert (count, first, regular, codes) == written
    assert item_runs.run_of(ids, numbers) == (count, first, bool(regular))
    assert codes == "".join(item_runs.kind_code(kinds[i % 4]) for _n, i in sorted((n, i) for i, n in pairs))
    assert set(codes) <= {"0", "1", "3", "4"}
    expected = sorted(numbers) == list(range(1, len(pairs) + 1)) and sorted(pairs) == [
        (min(ids) + k, k + 1) for k in range(len(pairs))
    ]
    assert bool(regular) == expected


def test_meetings_whose_items_are_not_regular_are_read_item_by_item(tmp_path: Path) -> None:
    """Ids not in a row, numbers not from 1, ids and numbers paired the other way round, one
    item: the list reads what the rows say, each meeting's in number order."""
    library = Library.load([mixed_library.build(tmp_path / "m")])
    cat = library.catalogue
    big = [m.id for m in library.meetings if len(library.item_numbers(m.id)) >= 3]
    db = cat._db
    db.execute("UPDATE topics SET number = -number WHERE doc_key = ?", (big[0],))
    db.execute("UPDATE topics SET number = 4 - number WHERE doc_key = ?", (big[0],))  # from 5
    db.execute("UPDATE topics SET number = -number WHERE doc_key = ?", (big[1],))
    count = len(library.item_numbers(big[1]))  # numbers 1..count again, the ids now falling
    db.execute("UPDATE topics SET number = ? + number WHERE doc_key = ?", (count + 1, big[1]))
    first = db.execute("SELECT min(id) FROM topics WHERE doc_key = ?", (big[2],)).fetchone()[0]
    db.execute("PRAGMA foreign_keys = OFF")  # its departments keep the old id: not read here
    db.execute("UPDATE topics SET id = 1000000 WHERE id = ?", (first,))  # ids with a hole
    one = next(m.id for m in library.meetings if len(library.item_numbers(m.id)) >= 2 and m.id not in big[:3])
    db.execute("DELETE FROM topics WHERE doc_key = ? AND number > 1", (one,))
    item_runs.fill(db)  # as a write of these items would have recorded them
    assert db.execute("SELECT count(*) FROM item_runs WHERE NOT regular").fetchone()[0] == 3
    rows = {key: list(run) for key, run in groupby(cat.topic_rows(), itemgetter(1))}
    keys = [m.id for m in library.meetings]
    runs = catalogue_reads.meeting_list(cat).items
    assert list(runs.counts) == [len(rows.get(key, ())) for key in keys]
    assert list(runs.ids) == [row[0] for key in keys for row in rows.get(key, ())]
    assert list(runs.numbers) == [row[2] for key in keys for row in rows.get(key, ())]
    assert [row[2] for row in rows[big[1]]] == sorted(row[2] for row in rows[big[1]])


_DAYS = st.one_of(st.none(), st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31)).map(dt.date.isoformat))


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.text(min_size=1, max_size=4), st.one_of(st.none(), st.integers(-2, 3)), _DAYS),
        max_size=30,
        unique_by=lambda row: row[0],
    )
)
def test_the_catalogue_lists_meetings_in_the_librarys_order(rows: list[tuple[str, int | None, str | None]]) -> None:
    """The list comes newest first from the catalogue's index, unsorted by the library: the same
    order as Meeting.sort_key (no date last, no session as 0, then the key, as Python compares
    text), whatever the dates, sessions and keys."""
    cat = Catalogue()
    with cat._lock:
        cat._db.executemany(
            "INSERT INTO documents(doc_key, session, date, data, source_path, source_format, source_text)"
            " VALUES (?, ?, ?, x'', '', '', x'')",
            rows,
        )
    library = Library(cat)
    assert [m.id for m in library.meetings] == [
        m.id for m in sorted(library.meetings, key=lambda m: m.sort_key, reverse=True)
    ]
    plan = cat._db.execute("EXPLAIN QUERY PLAN " + catalogue_reads._START).fetchall()
    assert "COVERING INDEX documents_start" in plan[0][3] and not any("TEMP B-TREE" in row[3] for row in plan)
    library.close()


def test_a_meetings_items_are_read_with_those_of_the_meetings_after_it(tmp_path: Path) -> None:
    library = Library.load([mixed_library.build(tmp_path / "m")])
    expected = {m.id: [(t.id, t.number, t.title, t.kind) for t in m.topics] for m in library.meetings}
    fresh = Library(library.catalogue)
    fresh._BATCH = 3
    third = fresh.meetings[2]
    _ = third.topics
    assert [m.topics_read for m in fresh.meetings[:6]] == [False, False, True, True, True, False]
    for meeting in fresh.meetings:
        assert [(t.id, t.number, t.title, t.kind) for t in meeting.topics] == expected[meeting.id]


def test_items_read_after_the_catalogue_changed_are_those_the_library_numbered(tmp_path: Path) -> None:
    """A file re-read between the library's start and a meeting's first opening: the meeting
    shows the items the library's filters know (never an item they cannot place)."""
    library = Library.load([mixed_library.build(tmp_path / "m")])
    meeting = next(m for m in library.meetings if len(library.item_numbers(m.id)) >= 2)
    db = library.catalogue._db
    ids = [row[0] for row in catalogue_reads.topic_rows_of(library.catalogue, [meeting.id])[meeting.id]]
    first, second = ids[0], ids[1]
    db.execute("DELETE FROM topics WHERE id = ?", (first,))
    db.execute("INSERT INTO topics(doc_key, number, title, kind) VALUES (?, 99, '新议题', '审议')", (meeting.id,))
    assert [t.id for t in meeting.topics] == [second, *ids[2:]]


def test_damage_met_at_start_sets_the_file_aside_only_once_the_side_reads_let_go(tmp_path: Path, monkeypatch) -> None:
    """Windows renames no open file: a read beside the start that was still running, or started
    after the second connection was closed, turned setting a damaged catalogue aside into
    "cannot be saved" (seen under Wine). The start waits for its side reads first."""
    import sqlite3
    import threading

    from minutes.catalogue import Catalogue

    db = tmp_path / "catalogue.sqlite3"
    Library.open(db, [mixed_library.build(tmp_path / "m")]).close()
    release, finished = threading.Event(), threading.Event()
    real_reach, real_list, real_rebuild = (
        catalogue_reads._reach_documents,
        catalogue_reads.meeting_list,
        Catalogue.rebuild,
    )

    def slow_reach(cat):
        release.wait(1.0)  # the code before set the file aside while this waited
        try:
            return real_reach(cat)
        finally:
            finished.set()

    list_calls = []

    def damaged_once(cat):
        list_calls.append(cat)
        if len(list_calls) == 1:
            raise sqlite3.DatabaseError("database disk image is malformed")
        return real_list(cat)

    seen = []

    def rebuild(self, reason: str) -> None:
        seen.append(finished.is_set())
        release.set()
        real_rebuild(self, reason)

    monkeypatch.setattr(catalogue_reads, "_reach_documents", slow_reach)
    monkeypatch.setattr(catalogue_reads, "meeting_list", damaged_once)
    monkeypatch.setattr(Catalogue, "rebuild", rebuild)
    library = Library.from_file(db)
    assert seen == [True]
    assert library.notice and "已另存为" in library.notice and library.meetings
    library.close()


def test_counts_and_ids_come_from_one_snapshot_while_another_window_writes(tmp_path: Path, monkeypatch) -> None:
    """A meeting read item by item, and another window deleting one of its items between the
    read of the counts and that of the rows: the library's positions must still line up."""
    path = tmp_path / "catalogue.sqlite3"
    Library.open(path, [mixed_library.build(tmp_path / "m")]).close()
    raw = sqlite3.connect(path, check_same_thread=False)  # the start reads the rows in a thread
    with raw:  # numbers from 11: the meeting is read item by item
        key = raw.execute("SELECT doc_key FROM topics GROUP BY doc_key HAVING count(*) >= 3 LIMIT 1").fetchone()[0]
        raw.execute("UPDATE topics SET number = number + 10 WHERE doc_key = ?", (key,))
        item_runs.fill(raw)  # as the write of these items would have recorded them
    listed = catalogue_reads._listed

    def another_window_writes_first(*args):
        with raw:
            raw.execute("DELETE FROM topics WHERE id = (SELECT max(id) FROM topics WHERE doc_key = ?)", (key,))
            item_runs.fill(raw)
        return listed(*args)

    monkeypatch.setattr(catalogue_reads, "_listed", another_window_writes_first)
    with Library.from_file(path) as library:
        items = library._items
        assert items.starts[-1] == items.n == len(items.ids)
        assert len(library.item_numbers(key)) >= 3
        assert len(set(library.matching(FilterSpec()))) == items.n
    raw.close()


def test_the_collector_runs_again_once_a_library_is_built(tmp_path: Path, monkeypatch) -> None:
    """Start-up pauses the cyclic garbage collector while it makes the meetings (minutes.collector
    .paused): it is on again afterwards, also when the build fails, and stays off when it
    was off."""
    import gc

    folder = mixed_library.build(tmp_path / "m")
    seen: list[bool] = []
    real = catalogue_reads.meeting_list

    def watched(cat: Catalogue) -> catalogue_reads.MeetingList:
        seen.append(gc.isenabled())
        return real(cat)

    monkeypatch.setattr(catalogue_reads, "meeting_list", watched)
    assert gc.isenabled()
    Library.load([folder]).close()
    assert seen == [False] and gc.isenabled()

    def fails(cat: Catalogue) -> catalogue_reads.MeetingList:
        raise KeyboardInterrupt

    monkeypatch.setattr(catalogue_reads, "meeting_list", fails)
    cat = Catalogue()
    with pytest.raises(KeyboardInterrupt):
        Library(cat)
    assert gc.isenabled()
    gc.disable()
    try:
        monkeypatch.setattr(catalogue_reads, "meeting_list", watched)
        Library(cat).close()
        assert not gc.isenabled()
    finally:
        gc.enable()
