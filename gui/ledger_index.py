"""Which rows each department's 台账 holds, in the table's order, with their tallies: built once
off the UI thread, so choosing a department costs a merge of two lists of numbers and a sum of
two tallies, not a pass over a whole library's rows (the assignments to 各地各部门 alone are
about 110,000 rows at 10,000 minutes).

A department's rows are those it leads or co-operates on, plus (the 含各地各部门事项 box) every
assignment to all. Each department's own rows are split by whether they are also to all, so the
two choices are each a merge of disjoint sorted lists and a sum of disjoint tallies.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from minutes.ledger import Row


def year_of(row: Row) -> int:
    day = row.meeting_date
    return day.year if day else 0


@dataclass
class Tally:
    """Rows by year and status, and the overdue ones by year (what the overview draws)."""

    counts: dict[int, Counter[str]] = field(default_factory=dict)
    overdue: Counter[int] = field(default_factory=Counter)

    def add(self, row: Row, today: dt.date, sign: int = 1) -> None:
        year = year_of(row)
        self.counts.setdefault(year, Counter())[row.status] += sign
        if row.overdue(today):
            self.overdue[year] += sign

    def __add__(self, other: Tally) -> Tally:
        counts = {year: Counter(c) for year, c in self.counts.items()}
        for year, c in other.counts.items():
            counts.setdefault(year, Counter()).update(c)
        return Tally(counts, self.overdue + other.overdue)

    @classmethod
    def of(cls, rows: Iterable[Row], today: dt.date) -> Tally:
        tally = cls()
        for row in rows:
            tally.add(row, today)
        return tally

    def cleaned(self) -> tuple[dict[int, Counter[str]], Counter[int]]:
        """Without the zero counts an edit leaves behind, years in order."""
        counts = {year: +c for year, c in sorted(self.counts.items()) if +c}
        return counts, +self.overdue

    @property
    def overdue_total(self) -> int:
        return sum(self.overdue.values())


class DepartmentIndex:
    """Every row, in one order (the table's: see sort), and which rows each department leads
    or co-operates on, as positions in that order."""

    def __init__(self, rows: Iterable[Row], today: dt.date | None = None) -> None:
        self.rows = list(rows)
        self.today = today or dt.date.today()
        self.order: Any = None  # what sort() was last given as `order`
        self._position: dict[str, int] = {}
        self._to_all: list[int] = []
        self._own_only: dict[str, list[int]] = {}  # leads or co-operates on, not to all
        self._own_shared: dict[str, list[int]] = {}  # leads or co-operates on, and to all
        self._total = Tally()
        self._tally_all = Tally()
        self._tally_only: dict[str, Tally] = {}
        self._tally_shared: dict[str, Tally] = {}
        self._place()
        for row in self.rows:
            self._count(row, 1)

    def _names(self, row: Row) -> tuple[str, ...]:
        d = row.data
        return tuple(dict.fromkeys((*d["lead"], *d["co"])))

    def _place(self) -> None:
        """Positions from the rows' present order."""
        self._position = {row.id: i for i, row in enumerate(self.rows)}
        self._to_all, self._own_only, self._own_shared = [], {}, {}
        for i, row in enumerate(self.rows):
            to_all = bool(row.data.get("to_all"))
            if to_all:
                self._to_all.append(i)
            own = self._own_shared if to_all else self._own_only
            for name in self._names(row):
                own.setdefault(name, []).append(i)

    def _count(self, row: Row, sign: int) -> None:
        today = self.today
        to_all = bool(row.data.get("to_all"))
        self._total.add(row, today, sign)
        if to_all:
            self._tally_all.add(row, today, sign)
        own = self._tally_shared if to_all else self._tally_only
        for name in self._names(row):
            own.setdefault(name, Tally()).add(row, today, sign)

    def _positions(self, department: str, include_all: bool) -> list[int]:
        own = self._own_only.get(department, [])
        other = self._to_all if include_all else self._own_shared.get(department, [])
        return sorted(own + other)  # two sorted runs: merged in one linear pass

    def rows_for(self, department: str, include_all: bool = True) -> list[Row]:
        """A department's rows (every row for none), in the index's order."""
        if not department:
            return list(self.rows)
        positions = self._positions(department, include_all)
        if len(positions) < 2:  # itemgetter returns a lone item, not a tuple
            return [self.rows[i] for i in positions]
        return list(itemgetter(*positions)(self.rows))  # one C loop, not a call per row

    def tally_for(self, department: str, include_all: bool = True) -> Tally:
        if not department:
            return self._total
        other = self._tally_all if include_all else self._tally_shared.get(department, Tally())
        return self._tally_only.get(department, Tally()) + other

    def replace(self, row: Row) -> None:
        """An edited row (the model holds the new Row; the index must too, and its tallies)."""
        i = self._position.get(row.id)
        if i is not None:
            self._count(self.rows[i], -1)
            self.rows[i] = row
            self._count(row, 1)

    def sort(self, key: Callable[[Row], Any], reverse: bool, order: Any) -> None:
        """Put the rows in the table's order (stable, as the table sorts), so that a department's
        rows come out of rows_for already sorted; order names it for the caller."""
        self.rows.sort(key=key, reverse=reverse)
        self.order = order
        self._place()
