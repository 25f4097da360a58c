"""Gaps in the numbering: the 第N次 sessions and 〔年〕N号 document numbers a library lacks.

No Qt here. Two sequences per issuing government (an unknown issuer is a government of its own):

- **Sessions** (第N次) are counted within a government's term (届), not within a year: 第121次 in
  December and 第128次 in February are one run. Where the term is known, a change of term starts
  a new run; where it is not, a session number that goes down in date order does (a new term
  restarting at 第1次). A gap that would need more than one meeting a day between its
  neighbours' dates is taken for a misread number, not a gap.
- **Document numbers** (〔2020〕27号) restart each year, one sequence per series (the text before
  〔年〕, e.g. 苏府常纪) and year.

Conservative at the edges: nothing is invented after the last number held (the library cannot
know how far a year or a term went). Before the first number held, a gap is shown only when
numbering clearly starts at 1 there, i.e. the library also holds the sequence before it (the
previous year of the same series, the previous term), so the user evidently collects across
the boundary: 〔2021〕1–8号 when 2020's minutes are held and 〔2021〕9号 is the first of 2021.

Each contiguous run of missing numbers is one Gap (第4–149次 is one row, never 146), placed
after the meeting that follows it; a session gap and a number gap between the same two meetings
with the same count (第100次 and 〔2020〕18号) are most likely one missing meeting and are
merged into one Gap.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import pairwise
from typing import Protocol

DASH = "–"  # between the ends of a range: 第102–107次

# 〔2020〕27号, [2013]4号, 苏府常纪［2013］第4号, (2020)5号: series, year, number.
_DOC_NUMBER = re.compile(r"^(?P<series>.*?)[〔\[［(（【](?P<year>\d{4})[〕\]］)）】]\s*第?\s*(?P<n>\d+)\s*号")


class Numbered(Protocol):
    """What gaps are worked out from: a library Meeting fits (its term, when it has one, too)."""

    id: str
    issuer: str | None
    session: int | None
    doc_number: str | None
    date: dt.date | None


@dataclass(frozen=True, slots=True)
class Gap:
    """A run of missing numbers: sessions, a document number range, or both for one meeting."""

    issuer: str | None
    after: str  # id of the meeting that follows the gap: its row goes right after that meeting's
    before: str | None  # id of the meeting before it; None for a gap at the start of a year or term
    year: int  # the year of the row it goes under (the following meeting's; 0: no date)
    sessions: tuple[int, int] | None = None  # first and last missing 第N次
    term: int | None = None
    numbers: tuple[int, int] | None = None  # first and last missing N of 〔year〕N号
    series: str = ""  # the document number's text before 〔year〕
    number_year: int | None = None

    @property
    def count(self) -> int:
        first, last = self.sessions or self.numbers or (0, -1)
        return last - first + 1

    @property
    def session_text(self) -> str | None:
        return f"第{_span(self.sessions)}次" if self.sessions else None

    @property
    def number_text(self) -> str | None:
        return f"{self.series}〔{self.number_year}〕{_span(self.numbers)}号" if self.numbers else None

    @property
    def label(self) -> str:
        """第100次 · 未收录, 〔2020〕18–26号 · 未收录（9 件）, 第100次 · 〔2020〕18号 · 未收录."""
        parts = [p for p in (self.session_text, self.number_text) if p]
        text = " · ".join([*parts, "未收录"])
        if self.count > 1:
            text += f"（{self.count} {'次' if self.sessions else '件'}）"
        return text


def _span(ends: tuple[int, int] | None) -> str:
    if ends is None:
        return ""
    first, last = ends
    return str(first) if first == last else f"{first}{DASH}{last}"


@lru_cache(maxsize=65536)  # the tree works the gaps out again at every reload
def parse_doc_number(text: str | None) -> tuple[str, int, int] | None:
    """(series, year, number) of 〔2020〕27号 / 苏府常纪[2013]4号; None for any other form."""
    m = _DOC_NUMBER.match(text or "")
    if m is None:
        return None
    series, year, n = m.groups()
    return series.strip(), int(year), int(n)


def _runs(missing: Iterable[int]) -> list[tuple[int, int]]:
    """Contiguous runs of sorted numbers: [4, 5, 7] -> [(4, 5), (7, 7)]."""
    runs: list[tuple[int, int]] = []
    for n in missing:
        if runs and runs[-1][1] == n - 1:
            runs[-1] = (runs[-1][0], n)
        else:
            runs.append((n, n))
    return runs


def _year(meeting: Numbered) -> int:
    return meeting.date.year if meeting.date else 0


def _order(meeting: Numbered) -> tuple:
    return (meeting.date or dt.date.max, meeting.id)


def _session_gaps(meetings: list[Numbered]) -> list[Gap]:
    """One issuer's session gaps."""
    by_term: dict[int | None, list[tuple[int, Numbered]]] = defaultdict(list)
    for m in meetings:
        session = m.session
        if session and session > 0:
            by_term[getattr(m, "term", None)].append((session, m))
    gaps: list[Gap] = []
    for term, members in by_term.items():
        held = {session for session, _m in members}  # undated meetings fill gaps too
        # In (date, session, id) order, ties in the order given (k): at 100,000 meetings this is
        # most of the work, so the tuples compare in C, without a key function.
        dated = sorted([(m.date, s, m.id, k) for k, (s, m) in enumerate(members) if m.date])
        sessions = [s for _d, s, _i, _k in dated]
        for j in range(1, len(sessions)):
            low, high = sessions[j - 1], sessions[j]
            # Going down is a new term (or a misread number); the same number is the same meeting twice.
            if high <= low + 1:
                continue
            low_date, high_date = dated[j - 1][0], dated[j][0]
            # More than one meeting a day between the two: one of the numbers is misread.
            if high - low - 1 > (high_date - low_date).days:
                continue
            previous, meeting = members[dated[j - 1][3]][1], members[dated[j][3]][1]
            for ends in _runs(n for n in range(low + 1, high) if n not in held):
                gaps.append(Gap(meeting.issuer, meeting.id, previous.id, _year(meeting), ends, term))
        # A known term starts at 第1次: a gap before the first one held when the term before is held too.
        if term is not None and term - 1 in by_term and dated:
            _, first, _, k = min(dated, key=lambda x: (x[1], x[0]))
            meeting = members[k][1]
            for ends in _runs(n for n in range(1, first) if n not in held):
                gaps.append(Gap(meeting.issuer, meeting.id, None, _year(meeting), ends, term))
    return gaps


def _number_gaps(meetings: list[Numbered]) -> list[Gap]:
    """One issuer's document number gaps, per series and year."""
    sequences: dict[tuple[str, int], dict[int, Numbered]] = defaultdict(dict)
    for m in meetings:
        parsed = parse_doc_number(m.doc_number) if m.doc_number else None
        if parsed is not None and parsed[2] > 0:
            series, year, n = parsed
            held = sequences[(series, year)]
            if n not in held or _order(m) < _order(held[n]):  # the earliest of duplicates stands for them
                held[n] = m
    gaps: list[Gap] = []
    for (series, year), held in sequences.items():
        numbers = sorted(held)
        # Numbers restart at 1 each year: a gap before the first one held when the year before is held too.
        start = 0 if (series, year - 1) in sequences else numbers[0]
        for low, high in pairwise([start, *numbers]):
            if high - low > 1:
                after = held[high]
                before = held[low].id if low else None
                gaps.append(
                    Gap(
                        after.issuer,
                        after.id,
                        before,
                        _year(after),
                        numbers=(low + 1, high - 1),
                        series=series,
                        number_year=year,
                    )
                )
    return gaps


def _merge(sessions: list[Gap], numbers: list[Gap]) -> list[Gap]:
    """A session gap and a number gap between the same two meetings with the same count: one meeting."""
    by_place = {(g.after, g.before, g.count): g for g in numbers}
    merged: list[Gap] = []
    for gap in sessions:
        partner = by_place.pop((gap.after, gap.before, gap.count), None) if gap.before else None
        if partner is not None:
            gap = replace(gap, numbers=partner.numbers, series=partner.series, number_year=partner.number_year)
        merged.append(gap)
    return merged + list(by_place.values())


def find_gaps(meetings: Iterable[Numbered]) -> list[Gap]:
    """Every gap in the meetings' numbering: by issuer, newest year first, session gaps before
    number gaps, the higher numbers first (the tree's order)."""
    by_issuer: dict[str | None, list[Numbered]] = defaultdict(list)
    for m in meetings:
        by_issuer[m.issuer].append(m)
    gaps: list[Gap] = []
    for members in by_issuer.values():
        gaps.extend(_merge(_session_gaps(members), _number_gaps(members)))
    return sort_gaps(gaps)


def sort_gaps(gaps: list[Gap]) -> list[Gap]:
    return sorted(
        gaps,
        key=lambda g: (
            g.issuer is None,
            g.issuer or "",
            g.year == 0,
            -g.year,
            g.sessions is None,
            -(g.sessions or g.numbers or (0, 0))[0],
        ),
    )
