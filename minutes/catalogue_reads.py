"""What the library reads from the catalogue at start and on demand, shaped for a large library:
one row per meeting instead of one per agenda item, and item titles only for the meetings shown.

At 100,000 minutes the catalogue holds 700,000 items; reading each as a row of (id, doc_key,
number, title, kind) at start cost seconds and a few hundred megabytes of strings kept for
items nobody looks at. Start-up needs only each item's id and number, which the topics table's
(doc_key, number) index holds: SQLite reads them without touching the table, and a meeting whose
items were written together (nearly all) comes as three numbers. Titles are read when asked for.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import chain
from typing import TYPE_CHECKING, Generic, TypeVar, cast

from minutes.model import MINUTES
from minutes.storage import connect_reader, is_damage

if TYPE_CHECKING:
    from minutes.catalogue import Catalogue

T = TypeVar("T")
TopicRow = tuple[int, str, int, str, str]  # (id, doc_key, number, title, kind), as topic_rows()


class ItemRuns:
    """Every meeting's items, in the order of the keys asked for: ids and numbers as flat arrays
    (position -> value) and each meeting's count."""

    __slots__ = ("counts", "ids", "numbers")

    def __init__(self, ids: array, numbers: array, counts: Sequence[int]) -> None:
        self.ids = ids
        self.numbers = numbers
        self.counts = counts


def _ints(joined: list[str], typecode: str) -> array:
    return array(typecode, map(int, ",".join(joined).split(","))) if joined else array(typecode)


# Per meeting: its item count, its lowest item id, and whether its items are "regular": ids
# first..first+count-1 and numbers 1..count, paired in the same order (the import writes a
# meeting's items together, by number). By the rearrangement inequality the sum of id × number
# over distinct ids and numbers reaches count(count+1)(3·first+2·count-2)/6 only when both rise
# together, so the aggregates prove the pairing. A regular meeting's items are then known from
# three numbers, without SQLite or Python handling 700,000 values one by one.
_RUNS = """
SELECT doc_key, count(*), min(id),
       max(id) - min(id) + 1 = count(*) AND min(number) = 1 AND max(number) = count(*)
       AND sum(id * number) = count(*) * (count(*) + 1) * (3 * min(id) + 2 * count(*) - 2) / 6
FROM topics GROUP BY doc_key
"""
_IRREGULAR_BATCH = 500


Run = tuple[int, int, bool]  # a meeting's item count, lowest item id, and whether it is regular
_NO_ITEMS: Run = (0, 0, True)
Listed = dict[str, tuple[list[int], list[int]]]  # an irregular meeting's item ids and numbers
Runs = tuple[dict[str, Run], Listed]


def _read_runs(catalogue: Catalogue, own_connection: bool) -> Runs:
    if own_connection and catalogue.persistent:
        try:
            db = connect_reader(catalogue.path)
        except sqlite3.Error:
            pass  # the catalogue's own connection answers
        else:
            try:
                return _runs_read(db)
            finally:
                db.close()
    with catalogue._lock:
        return _runs_read(catalogue._db)


def _runs_read(db: sqlite3.Connection) -> Runs:
    """The runs and the irregular meetings' rows in one read transaction: read apart, another
    window's import in between would give counts that do not match the ids."""
    db.execute("BEGIN")
    try:
        runs = {key: (count, first, bool(regular)) for key, count, first, regular in db.execute(_RUNS)}
        listed = _listed(db, [key for key, (_count, _first, regular) in runs.items() if not regular])
    except BaseException:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
    return runs, listed


def item_runs(catalogue: Catalogue, keys: Sequence[str], runs: Beside[Runs] | None = None) -> ItemRuns:
    """The items of the meetings keys, each meeting's in number order (runs: read already). A
    meeting the runs do not know (written since the list of meetings was read) has none."""
    found, listed = runs.result() if runs is not None else _read_runs(catalogue, own_connection=False)
    facts = [found.get(key, _NO_ITEMS) for key in keys]
    # Each meeting's ids and numbers as a range (or the rows read), joined into the arrays at
    # C speed: extending two arrays per meeting cost 0.2 s at 100,000 meetings. The ranges are
    # made one at a time (a list of 200,000 of them raised the start's peak memory).
    id_parts: Iterator[Iterable[int]] = (
        range(first, first + count) if regular else listed[key][0]
        for key, (count, first, regular) in zip(keys, facts, strict=True)
    )
    number_parts: Iterator[Iterable[int]] = (
        range(1, count + 1) if regular else listed[key][1]
        for key, (count, _first, regular) in zip(keys, facts, strict=True)
    )
    ids = array("q", chain.from_iterable(id_parts))
    numbers = array("q", chain.from_iterable(number_parts))
    return ItemRuns(ids, numbers, [count for count, _first, _regular in facts])


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


MeetingRow = tuple[str, int | None, dt.date | None, str | None, str | None, str]


def meeting_rows(catalogue: Catalogue) -> list[MeetingRow]:
    """(key, session, date, document number, issuer, genre) of every document, as plain tuples
    (a DocumentRow made per meeting before its Meeting cost the start's thread about 0.15 s
    of CPU at 100,000 minutes). The same date is one object."""
    with catalogue._lock:
        rows = catalogue._db.execute(
            "SELECT doc_key, session, date, doc_number, issuer, genre FROM documents"
        ).fetchall()
    days: dict[str, dt.date] = {}
    out: list[MeetingRow] = []
    for key, session, date, number, issuer, genre in rows:
        day = (days.get(date) or days.setdefault(date, dt.date.fromisoformat(date))) if date else None
        out.append((key, session, day, number, issuer, genre or MINUTES))
    return out


# The start-up's list of meetings as an index of its own: a document's row holds its parse and
# text (kilobytes, on overflow pages) before the issuer and genre columns a later schema added, so
# reading those two from the table reads every document's pages (2.1 s of reading at 100,000
# minutes; the index answers in 0.7 s, measured on the same loaded machine). Built in the
# background open (1.6 s at 100,000) and kept up to date by SQLite.
SUMMARY_INDEX = (
    "CREATE INDEX IF NOT EXISTS documents_summary ON documents(doc_key, session, date, doc_number, issuer, genre)"
)


def ensure_summary_index(catalogue: Catalogue) -> None:
    """Add the index the start-up reads the meetings by, if missing (a catalogue that cannot
    be written to goes without: the start then reads the table)."""
    if not catalogue.persistent:
        return
    with catalogue._lock:
        try:
            catalogue._db.execute(SUMMARY_INDEX)
        except sqlite3.OperationalError as exc:
            if is_damage(exc):
                raise


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


def kind_ids(catalogue: Catalogue) -> list[tuple[str, array]]:
    """(kind, ids of the items of that kind), grouped by SQLite: a handful of rows. Read on the
    catalogue's second connection, beside the start-up's other reads (StartReads)."""
    with catalogue._searching() as db:
        groups = db.execute("SELECT kind, group_concat(id) FROM topics GROUP BY kind").fetchall()
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


class MeetingRuns(Beside[Runs]):
    """Every meeting's run of items (_RUNS), aggregated by SQLite in a thread, on a connection
    of its own for a catalogue file, while the start reads the list of meetings: aggregating
    700,000 items holds no interpreter, and the start no longer waits for it after the list."""

    def __init__(self, catalogue: Catalogue) -> None:
        super().__init__(lambda: _read_runs(catalogue, own_connection=True))


class StartReads(Beside[tuple[list[tuple[str, array]], list[tuple[str, int]]]]):
    """What start-up reads beside the meetings and their items, in a thread on the catalogue's
    second connection: every item's kind (for the kind filter) and the departments' counts the
    filter panel lists at once. SQLite reads without holding the interpreter, so on two cores
    these cost the start little time. Reading the kinds reads every page of the topics table:
    damage there is met at start (result() raises it), not when a meeting is opened."""

    def __init__(self, catalogue: Catalogue, role: str) -> None:
        super().__init__(lambda: (_reach_documents(catalogue), kind_ids(catalogue), catalogue.role_counts(role))[1:])


def _reach_documents(catalogue: Catalogue) -> None:
    """Walk the documents table's own pages (the list of meetings comes from documents_summary),
    not their overflow: damage there is met at start, as when the list was read from the table
    (0.2 s at 100,000 minutes, read from the page cache)."""
    with catalogue._searching() as db:
        db.execute("SELECT count(session) FROM documents NOT INDEXED").fetchall()
