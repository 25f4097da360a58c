"""The library's agenda items as positions 0..n-1, and every filter as a bitmap over them.

Items are numbered in the library's order (newest meeting first, then by item number), so a
meeting's items, a year's and a date range's are each one run of positions. A bitmap is a
Python int (bit p = item p): `&`, `|` and `int.bit_count()` run at C speed over 70,000 items
in microseconds, where sets of 70,000 ints cost milliseconds to build and intersect, and a
department's bitmap takes n/8 bytes instead of ~60 bytes per item in a set. Plain Python; no Qt.
"""

from __future__ import annotations

import datetime as dt
from array import array
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence, Set
from functools import reduce
from itertools import accumulate, chain, compress, islice, repeat
from operator import or_, sub
from typing import TYPE_CHECKING, TypeVar

from minutes.catalogue_reads import ItemRuns
from minutes.filters import FILTER_KINDS, UNKNOWN_ISSUER

if TYPE_CHECKING:
    from minutes.meeting import Meeting

_T = TypeVar("_T")
_FROM_ASCII = bytes.maketrans(b"01", b"\x00\x01")
_UNDATED = 1  # the day key of a meeting without a date: after every dated one, in no range
_OTHER = FILTER_KINDS.index("其他")


def from_flags(flags: bytes | bytearray) -> int:
    """The bitmap of one byte per position (0 or 1). Every eighth byte from k, read as one
    little-endian int, has position 8j+k's flag at bit 8j: shifted by k and the eight ORed,
    each bit is in place. At C speed over an eighth of the bytes each time: half the time of
    reading the flags as a base-2 string with int()."""
    return reduce(or_, (int.from_bytes(flags[k::8], "little") << k for k in range(8)))


def to_flags(mask: int, n: int) -> bytes:
    """One byte per position (0 or 1) of a bitmap over n positions (bytes.find and
    itertools.compress then walk it at C speed)."""
    return format(mask, f"0{n}b")[::-1].encode("ascii").translate(_FROM_ASCII) if n else b""


def run(start: int, end: int) -> int:
    """The bitmap of positions start..end-1."""
    return ((1 << (end - start)) - 1) << start if end > start else 0


class ItemIndex:
    """Positions of a library's items and the per-meeting facts filters cut by (dates, kinds,
    issuers). Built once per library from its meetings, already in the library's order, and
    their items' ids and numbers in that order (minutes.catalogue_reads.ItemRuns); kind_ids
    gives (kind, item ids) when a kind filter first needs them."""

    def __init__(
        self, meetings: Sequence[Meeting], runs: ItemRuns, kind_ids: Callable[[], Iterable[tuple[str, Iterable[int]]]]
    ) -> None:
        self.meetings = meetings
        self.n = len(runs.ids)
        self.ids = runs.ids  # position -> catalogue id
        self.numbers = runs.numbers  # position -> item number
        self.starts = array("q", accumulate(runs.counts, initial=0))  # meeting ordinal -> its first position
        self.order = {m.id: o for o, m in enumerate(meetings)}  # meeting id -> ordinal
        # Ascending keys (the meetings are newest first): a date range is one run of meetings.
        self._days = [-m.date.toordinal() if m.date else _UNDATED for m in meetings]
        # Made on the first kind filter (or by the warm-up) from what kind_ids gives.
        self._kind_ids = kind_ids
        self._kinds: dict[int, int] | None = None  # FILTER_KINDS index -> bitmap
        self._issuers: dict[str, int] = {}
        self._years: list[tuple[int, int, int]] | None = None
        self._position: array | dict[int, int] | None = None
        self._keys: list[tuple[str, int]] | None = None
        self._last_flags: tuple[int, bytes] | None = None
        self.all = run(0, self.n)

    # -- positions -------------------------------------------------------------------------
    def span(self, ordinal: int) -> tuple[int, int]:
        return self.starts[ordinal], self.starts[ordinal + 1]

    def meeting_run(self, ordinals: Iterable[int]) -> int:
        """The bitmap of every item of these meetings."""
        flags = bytearray(self.n)
        starts = self.starts
        for o in ordinals:
            a, b = starts[o], starts[o + 1]
            flags[a:b] = b"\x01" * (b - a)
        return from_flags(flags)

    def keys(self) -> list[tuple[str, int]]:
        """Position -> (meeting id, item number), made when first walked (ItemKeys): a walk then
        only picks them, at C speed, and makes none (~60 bytes an item: 45 MB at 100,000
        minutes, a tenth of the RSS; a walk of a common word's keys took twice as long making
        them)."""
        if self._keys is None:
            counts = map(sub, self.starts[1:], self.starts[:-1])
            meeting_ids = chain.from_iterable(map(repeat, (m.id for m in self.meetings), counts))
            self._keys = list(zip(meeting_ids, self.numbers, strict=True))
        return self._keys

    def flags_of(self, mask: int) -> bytes:
        """to_flags(mask, n), kept for the last bitmap made from ids or asked for: a search's
        bitmap is asked for its flags next (ItemKeys, Matches)."""
        last = self._last_flags
        if last is not None and last[0] == mask:
            return last[1]
        flags = to_flags(mask, self.n)
        self._last_flags = (mask, flags)
        return flags

    def _positions(self) -> array | dict[int, int]:
        """Catalogue id -> position; n for an id this library does not hold."""
        if self._position is None:
            ids, n = self.ids, self.n
            top = max(ids, default=0)
            if top > 4 * n + 1024:  # ids far apart (many re-imports): a dict, not a huge table
                self._position = {i: p for p, i in enumerate(ids)}
            else:
                table = array("l", [n]) * (top + 1)
                for p, i in enumerate(ids):
                    table[i] = p
                self._position = table
        return self._position

    def mask_of_ids(self, topic_ids: Iterable[int]) -> int:
        """The bitmap of the items of these ids (any ids: each is tested)."""
        return self.mask_of([(topic_ids, None)])

    def mask_of(self, groups: Iterable[tuple[Iterable[int], int | None]], remember: bool = False) -> int:
        """The bitmap of the items of these ids, given in groups, each with a bound every one
        of its ids is below (none negative), or None when not known. An id this library does
        not hold is left out. remember: flags_of gives its flags without making them again
        (a search's; not each department's at the warm-up)."""
        table, n = self._positions(), self.n
        flags = bytearray(n + 1)  # the last byte takes the ids this library does not hold
        for ids, top in groups:
            if isinstance(table, dict):
                get = table.get
                for i in ids:
                    flags[get(i, n)] = 1
            elif top is not None and top <= len(table):
                # No test per id: a plain loop of one lookup and one store, ~45 ns an id, where
                # map(flags.__setitem__, ...) took twice that (a common word: 200,000 ids).
                for i in ids:
                    flags[table[i]] = 1
            else:
                size = len(table)
                for i in ids:
                    flags[table[i] if 0 <= i < size else n] = 1
        del flags[n]
        mask = from_flags(flags)
        if remember:
            self._last_flags = (mask, bytes(flags))
        return mask

    def ids_of(self, mask: int) -> set[int]:
        if mask == self.all:
            return set(self.ids)
        return set(compress(self.ids, self.flags_of(mask)))

    def keys_of(self, mask: int) -> ItemKeys:
        """(meeting id, item number) of the positions in mask, as a set that makes them when
        walked (ItemKeys)."""
        return ItemKeys(self, mask)

    def hit_meetings(self, flags: bytes) -> Iterator[int]:
        """Ordinals of the meetings with an item in flags, each once, in order: one find per
        meeting hit, not one per meeting."""
        starts = self.starts
        p = flags.find(1)
        while p != -1:
            # The last meeting starting at or before p holds it (an empty one shares its start
            # with the next).
            o = bisect_right(starts, p) - 1
            yield o
            p = flags.find(1, starts[o + 1])

    # -- filters ---------------------------------------------------------------------------
    def dates(self, low: dt.date | None, high: dt.date | None) -> int:
        """Items of the meetings dated low..high (either end open; undated meetings never)."""
        first = bisect_left(self._days, -high.toordinal()) if high else 0
        last = bisect_right(self._days, -low.toordinal()) if low else bisect_left(self._days, _UNDATED)
        return run(self.starts[first], self.starts[last]) if last > first else 0

    def kinds(self, kinds: Iterable[str]) -> int:
        by_code = self.kind_bitmaps()
        mask = 0
        for kind in kinds:
            if kind in FILTER_KINDS:
                mask |= by_code.get(FILTER_KINDS.index(kind), 0)
        return mask

    def kind_bitmaps(self) -> dict[int, int]:
        """FILTER_KINDS index -> the bitmap of its items (a kind the filter does not name is 其他)."""
        if self._kinds is None:
            ids: dict[int, list[int]] = defaultdict(list)
            for kind, found in self._kind_ids():
                ids[FILTER_KINDS.index(kind) if kind in FILTER_KINDS else _OTHER].extend(found)
            self._kinds = {code: self.mask_of_ids(found) for code, found in ids.items()}
        return self._kinds

    def issuers(self, issuers: Iterable[str]) -> int:
        mask = 0
        for issuer in issuers:
            bits = self._issuers.get(issuer)
            if bits is None:
                ordinals = (o for o, m in enumerate(self.meetings) if (m.issuer or UNKNOWN_ISSUER) == issuer)
                bits = self._issuers[issuer] = self.meeting_run(ordinals)
            mask |= bits
        return mask

    def years(self) -> list[tuple[int, int, int]]:
        """(year, first position, end position) runs; 0 is the year of undated meetings."""
        if self._years is None:
            runs: list[tuple[int, int, int]] = []
            for o, m in enumerate(self.meetings):
                year = m.date.year if m.date else 0
                a, b = self.span(o)
                if runs and runs[-1][0] == year and runs[-1][2] == a:
                    runs[-1] = (year, runs[-1][1], b)
                else:
                    runs.append((year, a, b))
            self._years = runs
        return self._years


class ItemKeys(Set[tuple[str, int]]):
    """The (meeting id, item number) keys of a bitmap's positions, as a read-only set picked
    from the library's keys (ItemIndex.keys) when walked: a common word hits a quarter of the
    items, and a count needs no keys at all."""

    __slots__ = ("_index", "_len", "mask")

    def __init__(self, index: ItemIndex, mask: int) -> None:
        self._index = index
        self.mask = mask
        self._len = mask.bit_count()

    def __len__(self) -> int:
        return self._len

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, tuple) or len(key) != 2:
            return False
        index = self._index
        ordinal = index.order.get(key[0])
        if ordinal is None:
            return False
        a, b = index.span(ordinal)
        numbers = index.numbers
        for p in range(a, b):
            if numbers[p] == key[1]:
                return bool(self.mask >> p & 1)
        return False

    def __iter__(self) -> Iterator[tuple[str, int]]:
        index = self._index
        if not self.mask:
            return iter(())
        # Picked at C speed: a loop per meeting hit, making the keys, took ~3 µs a hit at
        # 100,000 minutes.
        return compress(index.keys(), index.flags_of(self.mask))

    # A set of the same keys compares equal (Set gives ==, <= and the rest from these three);
    # hashing is left out, as for a set.
    __hash__ = None  # type: ignore[assignment]

    @classmethod
    def _from_iterable(cls, it: Iterable[_T]) -> set[_T]:
        """What Set's & | - ^ make: a plain set."""
        return set(it)


class Matches:
    """The items one filter keeps, for the tree: flags[p] is 1 when the item at position p
    is kept; a meeting is kept when any of its items is, a year when any of its meetings is."""

    def __init__(self, index: ItemIndex, mask: int) -> None:
        self.index = index
        self.count = mask.bit_count()
        self.flags = index.flags_of(mask)
        self.years = frozenset(year for year, a, b in index.years() if self.flags.find(1, a, b) != -1)
        self._meetings: set[str] | None = None

    def meeting_count(self, up_to: int) -> int:
        """How many meetings are kept, counted no further than up_to."""
        return sum(1 for _ in islice(self.index.hit_meetings(self.flags), up_to))

    def meeting_ids(self) -> set[str]:
        if self._meetings is None:
            meetings = self.index.meetings
            self._meetings = {meetings[o].id for o in self.index.hit_meetings(self.flags)}
        return self._meetings
