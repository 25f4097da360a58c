"""Each meeting's run of items, kept in the catalogue (schema 7) so that start-up reads one small
row per meeting instead of aggregating every item.

A meeting's items are "regular" when their ids are first..first+count-1 and their numbers
1..count, paired in the same order: the import writes a meeting's items together, by number, so
nearly every meeting is, and is then known from three numbers (count, first id, regular). The
start reads the others' items row by row. Each item's kind comes as one character, in number
order, for the kind filter (reading every item's kind from the items at start cost a fifth of
the start's work at 100,000 minutes). Written with the meeting's items (write), dropped with
its document (ON DELETE CASCADE); a catalogue from before version 7 gets them from the items
already stored (fill), with nothing parsed again.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from itertools import groupby

from minutes.filters import FILTER_KINDS

TABLE = """
CREATE TABLE IF NOT EXISTS item_runs(
    doc_key TEXT PRIMARY KEY REFERENCES documents(doc_key) ON DELETE CASCADE,
    count INTEGER NOT NULL,        -- how many items the meeting has (a meeting without any: no row)
    first INTEGER NOT NULL,        -- its lowest item id
    regular INTEGER NOT NULL,      -- 1: ids first..first+count-1 with numbers 1..count, in order
    kinds TEXT NOT NULL            -- each item's filter kind (kind_code), in number order
) WITHOUT ROWID;
"""

# By the rearrangement inequality the sum of id × number over distinct ids and numbers reaches
# count(count+1)(3·first+2·count-2)/6 only when both rise together, so the aggregates prove the
# pairing without SQLite handing each item to Python.
_AGGREGATE = """
SELECT doc_key, count(*), min(id),
       max(id) - min(id) + 1 = count(*) AND min(number) = 1 AND max(number) = count(*)
       AND sum(id * number) = count(*) * (count(*) + 1) * (3 * min(id) + 2 * count(*) - 2) / 6, ''
FROM topics GROUP BY doc_key
"""

_OTHER = FILTER_KINDS.index("其他")
# The kind filter's kinds as one character each: "0" for FILTER_KINDS[0] and so on; a kind the
# filter does not name is 其他's. The items table keeps the kinds themselves: the list the codes
# were made with is recorded (meta 'run_kinds'), and the start has fill() work them out again when
# it differs from this one.
assert len(FILTER_KINDS) <= 10, "one character per item"
CODES = {kind: str(code) for code, kind in enumerate(FILTER_KINDS)}
KINDS_USED = "|".join(FILTER_KINDS)
_CODE_BYTES = "".join(CODES.values()).encode("ascii")


class OutOfStep(Exception):
    """The stored runs do not describe the items stored (damage, a build from before schema 7
    writing into the file, another list of kinds): fill() makes them again from the items."""


def kind_code(kind: str) -> str:
    return CODES.get(kind) or str(_OTHER)


def run_of(ids: Sequence[int], numbers: Sequence[int]) -> tuple[int, int, bool]:
    """(count, lowest id, regular) of one meeting's items, given as parallel ids and numbers."""
    count = len(ids)
    first = min(ids, default=0)
    pairs = sorted(zip(numbers, ids, strict=True))
    regular = all(number == k + 1 and item == first + k for k, (number, item) in enumerate(pairs))
    return count, first, regular


def write(db: sqlite3.Connection, key: str, ids: Sequence[int], numbers: Sequence[int], kinds: Sequence[str]) -> None:
    """Record the run of the items just written for the document key (none: no row)."""
    if ids:
        count, first, regular = run_of(ids, numbers)
        codes = "".join(kind_code(kind) for _number, kind in sorted(zip(numbers, kinds, strict=True)))
        db.execute("INSERT INTO item_runs VALUES (?, ?, ?, ?, ?)", (key, count, first, int(regular), codes))


def check(
    total: int,
    runs: Sequence[tuple[str, int | None, int | None, int | None, str | None]],
    listed: Mapping[str, tuple[Sequence[int], Sequence[int]]],
) -> None:
    """Raise OutOfStep unless the runs (doc_key, count, first, regular, kinds), with the items of
    the irregular ones read row by row (listed: doc_key -> (ids, numbers)), account for exactly
    the total items stored, each run sound."""
    counted = 0
    for key, count, first, regular, kinds in runs:
        if count is None:
            continue
        if (
            type(count) is not int
            or count < 1
            or type(first) is not int
            or regular not in (0, 1)
            or not isinstance(kinds, str)
            or len(kinds) != count
            or not kinds.isascii()
            or kinds.encode("ascii").translate(None, _CODE_BYTES)
            or (not regular and len(listed.get(key, ((),))[0]) != count)
        ):
            raise OutOfStep(f"the run of {key!r} does not match its items")
        counted += count
    if counted != total:
        raise OutOfStep(f"the runs hold {counted} items, the catalogue {total}")


def fill(db: sqlite3.Connection) -> None:
    """Every meeting's run from the items stored (the step to schema 7; 2 s at 100,000
    meetings): whatever was there is replaced."""
    db.execute("INSERT OR REPLACE INTO meta VALUES ('run_kinds', ?)", (KINDS_USED,))
    db.execute("DELETE FROM item_runs")
    db.execute("INSERT INTO item_runs " + _AGGREGATE)
    rows = db.execute("SELECT doc_key, kind FROM topics ORDER BY doc_key, number")
    codes = [("".join(kind_code(kind) for _key, kind in run), key) for key, run in groupby(rows, lambda row: row[0])]
    db.executemany("UPDATE item_runs SET kinds = ? WHERE doc_key = ?", codes)
