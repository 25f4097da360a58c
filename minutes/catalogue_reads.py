"""What the library reads from the catalogue at start and on demand, shaped for a large library:
one row per meeting instead of one per agenda item, and item titles only for the meetings shown.

At 100,000 minutes the catalogue holds 700,000 items; reading each as a row of (id, doc_key,
number, title, kind) at start cost seconds and a few hundred megabytes of strings kept for
items nobody looks at. Start-up needs only each item's id and number: the catalogue keeps each
meeting's run of items as one row (minutes.item_runs), so a meeting whose items were written
together (nearly all) comes as three numbers, read with the meeting in one pass over an index
already in the library's order. Titles are read when asked for.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import chain
from typing import TYPE_CHECKING, Generic, TypeVar, cast

from minutes.catalogue_queries import role_counts
from minutes.model import MINUTES
from minutes.storage import connect_reader

if TYPE_CHECKING:
    from minutes.catalogue import Catalogue

T = TypeVar("T")
TopicRow = tuple[int, str, int, str, str]  # (id, doc_key, number, title, kind), as topic_rows()


class ItemRuns:
    """Every meeting's items, in the order of the meetings: ids and numbers as flat arrays
    (position -> value) and each meeting's count."""

    __slots__ = ("counts", "ids", "numbers")

    def __init__(self, ids: array, numbers: array, counts: Sequence[int]) -> None:
        self.ids = ids
        self.numbers = numbers
        self.counts = counts


def _ints(joined: list[str], typecode: str) -> array:
    return array(typecode, map(int, ",".join(joined).split(","))) if joined else array(typecode)


# The meetings newest first (Meeting.sort_key, reversed), each with its run of items: SQLite walks
# documents_start (schema 7) backwards, which holds every column read and is in this order, and
# finds each run by key. A meeting without items has no run (NULLs).
_START = """
SELECT d.doc_key, d.session, d.date, d.doc_number, d.issuer, d.genre, r.count, r.first, r.regular
FROM documents d LEFT JOIN item_runs r USING (doc_key)
ORDER BY d.date DESC, coalesce(d.session, 0) DESC, d.doc_key DESC
"""
_IRREGULAR_BATCH = 500

StartRow = tuple[str, int | None, str | None, str | None, str | None, str | None, int | None, int | None, int | None]
MeetingRow = tuple[str, int | None, dt.date | None, str | None, str | None, str]
Listed = dict[str, tuple[list[int], list[int]]]  # an irregular meeting's item ids and numbers


class MeetingList:
    """Every meeting in the library's order (newest first) as (key, session, date, document
    number, issuer, genre), and their items (ItemRuns)."""

    __slots__ = ("items", "rows")

    def __init__(self, rows: list[MeetingRow], items: ItemRuns) -> None:
        self.rows = rows
        self.items = items


def meeting_list(catalogue: Catalogue) -> MeetingList:
    """The meetings and their items, read in one read transaction: another window's write
    between the runs and the rows of a meeting read item by item would misalign them."""
    with catalogue._lock:
        db = catalogue._db
        db.execute("BEGIN")
        try:
            found: list[StartRow] = db.execute(_START).fetchall()
            listed = _listed(db, [row[0] for row in found if row[8] == 0])
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
    # The same date is one object (a DocumentRow made per meeting before its Meeting cost the
    # start's thread about 0.15 s of CPU at 100,000 minutes; plain tuples now).
    days = {date: dt.date.fromisoformat(date) for date in {row[2] for row in found} if date}
    rows: list[MeetingRow] = [
        (key, session, days.get(date) if date else None, number, issuer, genre or MINUTES)
        for key, session, date, number, issuer, genre, _count, _first, _regular in found
    ]
    return MeetingList(rows, _item_runs(found, listed))


def _item_runs(found: list[StartRow], listed: Listed) -> ItemRuns:
    # Each meeting's ids and numbers as a range (or the rows read), joined into the arrays at
    # C speed: extending two arrays per meeting cost 0.2 s at 100,000 meetings. The ranges are
    # made one at a time (a list of 200,000 of them raised the start's peak memory).
    id_parts: Iterator[Iterable[int]] = (
        (range(first or 0, (first or 0) + count) if regular else listed[key][0]) if count else ()
        for key, _session, _date, _number, _issuer, _genre, count, first, regular in found
    )
    number_parts: Iterator[Iterable[int]] = (
        (range(1, count + 1) if regular else listed[key][1]) if count else ()
        for key, _session, _date, _number, _issuer, _genre, count, _first, regular in found
    )
    ids = array("q", chain.from_iterable(id_parts))
    numbers = array("q", chain.from_iterable(number_parts))
    return ItemRuns(ids, numbers, [row[6] or 0 for row in found])


def _listed(db: sqlite3.Connection, keys: list[str]) -> Listed:
    """(ids, numbers) of these meetings' items, by number, row by row."""
    listed: Listed = {}
    for start in range(0, len(keys), _IRREGULAR_BATCH):
        batch = keys[start : start + _IRREGULAR_BATCH]
        rows = db.execute(
            f"SELECT doc_key, id, number FROM topics WHERE doc_key IN ({','.join('?' * len(batch))})"
            " ORDER BY doc_key, number",
            batch,
        ).fetchall()
        for key, item, number in rows:
            run = listed.setdefault(key, ([], []))
            run[0].append(item)
            run[1].append(number)
    return listed


def topic_rows_of(catalogue: Catalogue, keys: Sequence[str]) -> dict[str, list[TopicRow]]:
    """The items of these meetings, each meeting's by number."""
    found: dict[str, list[TopicRow]] = {}
    with catalogue._searching() as db:  # not behind the warm-up's long reads: a meeting is being opened
        rows = db.execute(
            f"SELECT id, doc_key, number, title, kind FROM topics WHERE doc_key IN ({','.join('?' * len(keys))})"
            " ORDER BY doc_key, number",
            list(keys),
        ).fetchall()
    for row in rows:
        found.setdefault(row[1], []).append(row)
    return found


KindGroups = list[tuple[str, str]]  # (kind, its items' ids joined by commas)


def kind_groups(catalogue: Catalogue) -> KindGroups:
    """(kind, ids of the items of that kind, as SQLite joined them), grouped by SQLite: a
    handful of rows. Read on the catalogue's second connection, beside the start-up's other
    reads (StartReads); made numbers by kind_ids when a kind filter first needs them (0.1 s at
    700,000 items that the start does not wait for)."""
    with catalogue._searching() as db:
        return db.execute("SELECT kind, group_concat(id) FROM topics GROUP BY kind").fetchall()


def kind_ids(groups: KindGroups) -> list[tuple[str, array]]:
    """(kind, ids of the items of that kind) from kind_groups."""
    return [(kind, _ints([ids], "q")) for kind, ids in groups]


class Beside(Generic[T]):
    """A call run in a thread while the caller goes on; result() waits and returns it, or
    raises what it raised."""

    def __init__(self, call: Callable[[], T]) -> None:
        self._call = call
        self._result: T | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self._result = self._call()
        except BaseException as exc:  # handed to the caller of result()
            self._error = exc

    def join(self) -> None:
        """Wait for the call to end, whatever it gave."""
        self._thread.join()

    def result(self) -> T:
        self._thread.join()
        if self._error is not None:
            raise self._error
        return cast(T, self._result)


class StartReads(Beside[KindGroups]):
    """What start-up reads beside the meetings and their items, in a thread on the catalogue's
    second connection: every item's kind (for the kind filter). SQLite reads without holding
    the interpreter, so on two cores this costs the start little time. Reading the kinds reads
    every page of the topics table: damage there is met at start (result() raises it), not
    when a meeting is opened."""

    def __init__(self, catalogue: Catalogue) -> None:
        super().__init__(lambda: (_reach_documents(catalogue), kind_groups(catalogue))[1])


class RoleCounts(Beside[list[tuple[str, int]]]):
    """The departments' item counts in one role, which the filter panel lists at once: counted
    by SQLite on a connection of its own for a catalogue file (0.5 s at 100,000 minutes), beside
    StartReads instead of after it."""

    def __init__(self, catalogue: Catalogue, role: str) -> None:
        super().__init__(lambda: _role_counts(catalogue, role))


def _role_counts(catalogue: Catalogue, role: str) -> list[tuple[str, int]]:
    if catalogue.persistent:
        try:
            db = connect_reader(catalogue.path)
        except sqlite3.Error:
            pass  # the catalogue's own connections answer
        else:
            try:
                return role_counts(db, role)
            finally:
                db.close()
    return catalogue.role_counts(role)


def _reach_documents(catalogue: Catalogue) -> None:
    """Walk the documents table's own pages (the list of meetings comes from documents_start),
    not their overflow, and the items' (doc_key, number) index that opening a meeting reads its
    items by: damage there is met at start, as when the start read them (0.2 s at 100,000
    minutes, read from the page cache; counting the index's entries decodes none of them)."""
    with catalogue._searching() as db:
        db.execute("SELECT count(session) FROM documents NOT INDEXED").fetchall()
        db.execute("SELECT count(*) FROM topics INDEXED BY sqlite_autoindex_topics_1").fetchall()
