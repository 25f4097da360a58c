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
from itertools import chain, compress
from typing import TYPE_CHECKING, Generic, TypeVar, cast

from minutes import item_roles, item_runs
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


# The meetings newest first (Meeting.sort_key, reversed), each with its run of items: SQLite walks
# documents_start (schema 7) backwards, which holds every column read and is in this order, and
# finds each run by key. A meeting without items has no run (NULLs).
_START = """
SELECT d.doc_key, d.session, d.date, d.doc_number, d.issuer, d.genre, r.count, r.first, r.regular, r.kinds
FROM documents d LEFT JOIN item_runs r USING (doc_key)
ORDER BY d.date DESC, coalesce(d.session, 0) DESC, d.doc_key DESC
"""
_IRREGULAR_BATCH = 500

StartRow = tuple[
    str, int | None, str | None, str | None, str | None, str | None, int | None, int | None, int | None, str | None
]
MeetingRow = tuple[str, int | None, dt.date | None, str | None, str | None, str]
Listed = dict[str, tuple[list[int], list[int]]]  # an irregular meeting's item ids and numbers


class MeetingList:
    """Every meeting in the library's order (newest first) as (key, session, date, document
    number, issuer, genre), their items (ItemRuns) and each item's filter kind as one character
    (minutes.item_runs.kind_code), position by position."""

    __slots__ = ("items", "kinds", "rows")

    def __init__(self, rows: list[MeetingRow], items: ItemRuns, kinds: str) -> None:
        self.rows = rows
        self.items = items
        self.kinds = kinds


def meeting_list(catalogue: Catalogue) -> MeetingList:
    """The meetings and their items, read in one read transaction: another window's write
    between the runs and the rows of a meeting read item by item would misalign them."""
    with catalogue._lock:
        db = catalogue._db
        db.execute("BEGIN")
        try:
            found: list[StartRow] = db.execute(_START).fetchall()
            listed = _listed(db, [row[0] for row in found if row[8] == 0])
            # The runs are derived data: checked against the items in the same snapshot (12 ms
            # at 100,000 minutes), so damage or a writer that kept none never shows meetings
            # without their items or a kind filter shifted; Library._build has them made again.
            used = db.execute("SELECT value FROM meta WHERE key = 'run_kinds'").fetchone()
            if used is None or used[0] != item_runs.KINDS_USED:
                raise item_runs.OutOfStep("the runs' kind codes were made for another list of kinds")
            total = db.execute("SELECT count(*) FROM topics").fetchone()[0]
            item_runs.check(total, [(row[0], *row[6:]) for row in found], listed)
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
        for key, session, date, number, issuer, genre, _count, _first, _regular, _kinds in found
    ]
    return MeetingList(rows, _item_runs(found, listed), "".join([row[9] or "" for row in found]))


def _item_runs(found: list[StartRow], listed: Listed) -> ItemRuns:
    # Each meeting's ids as a range (or the rows read), joined into the array at C speed:
    # extending two arrays per meeting cost 0.2 s at 100,000 meetings. The ranges are made one
    # at a time (a list of 200,000 of them raised the start's peak memory).
    id_parts: Iterator[Iterable[int]] = (
        (range(first or 0, (first or 0) + count) if regular else listed[key][0]) if count else ()
        for key, _session, _date, _number, _issuer, _genre, count, first, regular, _kinds in found
    )
    ids = array("q", chain.from_iterable(id_parts))
    # A regular meeting's numbers 1..count are the first count of one array's bytes: copied, not
    # set one by one (700,000 conversions of an int were a twelfth of the start's instructions).
    counts = [row[6] or 0 for row in found]
    ones = array("q", range(1, max(counts, default=0) + 1)).tobytes()
    numbers = array("q")
    width = numbers.itemsize
    numbers.frombytes(
        b"".join(
            (ones[: width * count] if regular else array("q", listed[key][1]).tobytes()) if count else b""
            for key, _session, _date, _number, _issuer, _genre, count, _first, regular, _kinds in found
        )
    )
    return ItemRuns(ids, numbers, counts)


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


def kind_ids(kinds: str, ids: Sequence[int]) -> list[tuple[str, array]]:
    """(filter kind, ids of its items) from each position's kind code (MeetingList.kinds) and
    id: picked at C speed, when a kind filter first needs them."""
    codes = kinds.encode("ascii")
    found = []
    for kind, code in item_runs.CODES.items():
        if code.encode("ascii") in codes:
            flags = codes.translate(bytes(int(chr(b) == code) for b in range(256)))
            found.append((kind, array("q", compress(ids, flags))))
    return found


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


class StartReads(Beside[None]):
    """What start-up reads beside the meetings and their items, in a thread on the catalogue's
    second connection, only to meet damage at start (result() raises it), not when a meeting
    is opened: the pages of the tables and the index the list of meetings does not read."""

    def __init__(self, catalogue: Catalogue) -> None:
        super().__init__(lambda: _reach_documents(catalogue))


class NamedCounts(Beside[list[tuple[str, int]]]):
    """How many items name each department (the role 'any'), which the filter panel lists at
    once: counted by SQLite on a connection of its own for a catalogue file, beside StartReads."""

    def __init__(self, catalogue: Catalogue) -> None:
        super().__init__(lambda: _named_counts(catalogue))


def _named_counts(catalogue: Catalogue) -> list[tuple[str, int]]:
    if catalogue.persistent:
        try:
            db = connect_reader(catalogue.path)
        except sqlite3.Error:
            pass  # the catalogue's own connections answer
        else:
            try:
                return item_roles.counts(db, "any")
            finally:
                db.close()
    with catalogue._searching() as db:
        return item_roles.counts(db, "any")


def _reach_documents(catalogue: Catalogue) -> None:
    """Walk the documents table's own pages (the list of meetings comes from documents_start),
    not their overflow, the items' table and their (doc_key, number) index that opening a
    meeting reads its items by: damage there is met at start, as when the start read them (0.2 s
    at 100,000 minutes, read from the page cache; counting entries decodes none of them)."""
    with catalogue._searching() as db:
        db.execute("SELECT count(session) FROM documents NOT INDEXED").fetchall()
        db.execute("SELECT count(kind) FROM topics NOT INDEXED").fetchall()
        db.execute("SELECT count(*) FROM topics INDEXED BY sqlite_autoindex_topics_1").fetchall()
        # The filter panel's counts come from the partial index topic_roles_any: the table itself
        # is walked here, as the counts' query did before schema 7.
        db.execute("SELECT count(role) FROM topic_roles NOT INDEXED").fetchall()
