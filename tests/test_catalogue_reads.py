"""The library's start-up reads (minutes.catalogue_reads): one row per meeting, the same items
in the same order as reading every item's row."""

from __future__ import annotations

import sqlite3
from collections import Counter
from itertools import groupby
from operator import itemgetter
from pathlib import Path

from minutes import catalogue_reads
from minutes.catalogue_reads import item_runs
from minutes.library import FilterSpec, Library
from minutes.numbering import find_gaps
from tests import mixed_library


def test_item_runs_hold_every_items_id_and_number_in_order(tmp_path: Path) -> None:
    library = Library.load([mixed_library.build(tmp_path / "m")])
    cat = library.catalogue
    rows = {key: list(run) for key, run in groupby(cat.topic_rows(), itemgetter(1))}
    keys = [m.id for m in library.meetings] + ["not-in-the-catalogue"]
    runs = item_runs(cat, keys)
    assert list(runs.counts) == [len(rows.get(key, ())) for key in keys]
    assert list(runs.ids) == [row[0] for key in keys for row in rows.get(key, ())]
    assert list(runs.numbers) == [row[2] for key in keys for row in rows.get(key, ())]
    assert 0 in runs.counts  # a news report without items
    assert library.gaps == find_gaps(library.meetings) != []  # worked out beside the reads
    assert library.department_counts() == Counter(dict(cat.role_counts("any")))  # read beside them
    kinds = {kind: sorted(ids) for kind, ids in catalogue_reads.kind_ids(cat)}
    assert kinds == {k: sorted(r[0] for r in cat.topic_rows() if r[4] == k) for k in {r[4] for r in cat.topic_rows()}}


def test_meetings_whose_items_are_not_regular_are_read_item_by_item(tmp_path: Path) -> None:
    """Ids not in a row, numbers not from 1, ids and numbers paired the other way round, one
    item: item_runs reads what the rows say, each meeting's in number order."""
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
    rows = {key: list(run) for key, run in groupby(cat.topic_rows(), itemgetter(1))}
    keys = [m.id for m in library.meetings]
    runs = item_runs(cat, keys)
    assert list(runs.counts) == [len(rows.get(key, ())) for key in keys]
    assert list(runs.ids) == [row[0] for key in keys for row in rows.get(key, ())]
    assert list(runs.numbers) == [row[2] for key in keys for row in rows.get(key, ())]
    assert [row[2] for row in rows[big[1]]] == sorted(row[2] for row in rows[big[1]])


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
    real_kinds, real_runs, real_rebuild = catalogue_reads.kind_ids, catalogue_reads.item_runs, Catalogue.rebuild

    def slow_kinds(cat):
        release.wait(1.0)  # the code before set the file aside while this waited
        try:
            return real_kinds(cat)
        finally:
            finished.set()

    runs_calls = []

    def damaged_once(cat, keys, *read):
        runs_calls.append(keys)
        if len(runs_calls) == 1:
            raise sqlite3.DatabaseError("database disk image is malformed")
        return real_runs(cat, keys, *read)

    seen = []

    def rebuild(self, reason: str) -> None:
        seen.append(finished.is_set())
        release.set()
        real_rebuild(self, reason)

    monkeypatch.setattr(catalogue_reads, "kind_ids", slow_kinds)
    monkeypatch.setattr(catalogue_reads, "item_runs", damaged_once)
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
    listed = catalogue_reads._listed

    def another_window_writes_first(*args):
        with raw:
            raw.execute("DELETE FROM topics WHERE id = (SELECT max(id) FROM topics WHERE doc_key = ?)", (key,))
        return listed(*args)

    monkeypatch.setattr(catalogue_reads, "_listed", another_window_writes_first)
    with Library.from_file(path) as library:
        items = library._items
        assert items.starts[-1] == items.n == len(items.ids)
        assert len(library.item_numbers(key)) >= 3
        assert len(set(library.matching(FilterSpec()))) == items.n
    raw.close()
