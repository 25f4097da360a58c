"""What the library reads from the catalogue at start and on demand, shaped for a large library:
one row per meeting instead of one per agenda item, and item titles only for the meetings shown.

At 100,000 minutes the catalogue holds 700,000 items; reading each as a row of (id, doc_key,
number, title, kind) at start cost seconds and a few hundred megabytes of strings kept for
items nobody looks at. Start-up needs only each item's id and number, which the topics table's
(doc_key, number) index holds: SQLite reads them without touching the table, and Python makes
one string pair per meeting. Titles and kinds are read when asked for.
"""

from __future__ import annotations

import threading
from array import array
from bisect import bisect_right
from collections.abc import Sequence
from itertools import accumulate, islice
from operator import lt
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from minutes.catalogue import Catalogue

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


def item_runs(catalogue: Catalogue, keys: Sequence[str]) -> ItemRuns:
    """The items of the meetings keys, each meeting's in number order."""
    with catalogue._lock:
        # Grouped by the (doc_key, number) index: SQLite walks it in order and hands each group's
        # rows to group_concat in that order (checked below all the same: SQLite does not
        # promise it).
        rows = catalogue._db.execute(
            "SELECT doc_key, group_concat(id), group_concat(number) FROM topics GROUP BY doc_key"
        ).fetchall()
    found = {key: (ids, numbers) for key, ids, numbers in rows}
    runs = [found.get(key) for key in keys]
    counts = [run[0].count(",") + 1 if run else 0 for run in runs]
    ids = _ints([run[0] for run in runs if run], "q")
    numbers = _ints([run[1] for run in runs if run], "q")
    _sort_disordered(ids, numbers, counts)
    return ItemRuns(ids, numbers, counts)


def _sort_disordered(ids: array, numbers: array, counts: Sequence[int]) -> None:
    """Put each meeting's items in number order where the concatenation did not."""
    rising = bytes(map(lt, numbers, islice(numbers, 1, None)))  # rising[p]: numbers[p] < numbers[p + 1]
    starts = list(accumulate(counts, initial=0))
    ends = set(starts)  # where a meeting's run ends the next one starts over: no order across
    p = rising.find(0)
    while p != -1:
        if p + 1 not in ends:
            o = bisect_right(starts, p) - 1  # the last meeting starting at or before p holds it
            first, last = starts[o], starts[o + 1]
            pairs = sorted(zip(numbers[first:last], ids[first:last], strict=True))
            numbers[first:last] = array(numbers.typecode, (n for n, _ in pairs))
            ids[first:last] = array(ids.typecode, (i for _, i in pairs))
            p = last - 1
        p = rising.find(0, p + 1)


def meeting_topic_rows(catalogue: Catalogue, key: str) -> list[TopicRow]:
    """One meeting's items, by number (the (doc_key, number) index finds them)."""
    with catalogue._searching() as db:
        return db.execute(
            "SELECT id, doc_key, number, title, kind FROM topics WHERE doc_key = ? ORDER BY number", (key,)
        ).fetchall()


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


def role_counts(catalogue: Catalogue, role: str) -> list[tuple[str, int]]:
    """(department, items) for one role, counted by SQLite, on the second connection."""
    with catalogue._searching() as db:
        return db.execute("SELECT dept, COUNT(*) FROM topic_roles WHERE role = ? GROUP BY dept", (role,)).fetchall()


class StartReads:
    """What start-up reads beside the meetings and their items, in a thread on the catalogue's
    second connection: every item's kind (for the kind filter) and the departments' counts the
    filter panel lists at once. SQLite reads without holding the interpreter, so on two cores
    these cost the start no time. Reading the kinds reads every page of the topics table:
    damage there is met at start (result() raises it), not when a meeting is opened."""

    def __init__(self, catalogue: Catalogue, role: str) -> None:
        self._result: tuple[list[tuple[str, array]], list[tuple[str, int]]] | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(catalogue, role), daemon=True)
        self._thread.start()

    def _run(self, catalogue: Catalogue, role: str) -> None:
        try:
            self._result = (kind_ids(catalogue), role_counts(catalogue, role))
        except BaseException as exc:  # handed to the caller of result()
            self._error = exc

    def result(self) -> tuple[list[tuple[str, array]], list[tuple[str, int]]]:
        self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._result is not None
        return self._result
