"""The library: the documents a user reads, with the department index, search and filters.

No Qt here: the reader window, the export command and the tests all filter through
FilterSpec.matches, so a selection means the same thing everywhere.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path

from minutes.departments import Role, registry
from minutes.importers import SUFFIXES
from minutes.model import Minutes, Topic
from minutes.source import ReadError, SourceDocument, read_document

# Kinds offered as filters; 研究 and anything else count as 其他.
FILTER_KINDS = ("审议", "听取", "传达", "学习", "其他")


class RoleFilter(StrEnum):
    ANY = "any"  # named in the item's resolutions, in any role
    LEAD = "lead"
    CO = "co"
    REPORTING = "reporting"
    ATTENDED = "attended"


@dataclass(frozen=True)
class Problem:
    path: Path
    reason: str


@dataclass(frozen=True)
class Meeting:
    """One document in the library."""

    id: str  # stable key: the source path
    source: SourceDocument

    @property
    def minutes(self) -> Minutes:
        return self.source.minutes

    @property
    def sort_key(self) -> tuple:
        m = self.minutes
        return (m.date or dt.date.min, m.session or 0, self.id)


@dataclass(frozen=True)
class TopicRef:
    meeting: Meeting
    topic: Topic

    @property
    def key(self) -> tuple[str, int]:
        return (self.meeting.id, self.topic.number)


def topic_filter_kind(topic: Topic) -> str:
    return topic.kind if topic.kind in FILTER_KINDS else "其他"


def topic_roles(meeting: Meeting, topic: Topic) -> dict[str, set[RoleFilter]]:
    """Every department connected to an agenda item, with how.

    ANY marks a department the item's resolutions name at all; ATTENDED one that sat in the
    meeting (列席). Attending is kept apart: nearly every department attends every meeting,
    so counting it under ANY would make every count the same.
    """
    roles: dict[str, set[RoleFilter]] = {}
    for resolution in topic.resolutions:
        for ref in resolution.roles:
            bucket = roles.setdefault(ref.name, set())
            bucket.add(RoleFilter.ANY)
            if ref.role is Role.LEAD:
                bucket.add(RoleFilter.LEAD)
            elif ref.role is Role.CO:
                bucket.add(RoleFilter.CO)
            elif ref.role is Role.REPORTING:
                bucket.add(RoleFilter.REPORTING)
    for name in meeting.minutes.attending_departments:
        roles.setdefault(name, set()).add(RoleFilter.ATTENDED)
    return roles


@dataclass(frozen=True)
class FilterSpec:
    departments: frozenset[str] = frozenset()  # any of these
    role: RoleFilter = RoleFilter.ANY
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    kinds: frozenset[str] = frozenset()  # empty: every kind
    text: str = ""

    @property
    def is_empty(self) -> bool:
        return self == FilterSpec()

    def with_(self, **changes) -> FilterSpec:
        return replace(self, **changes)

    def matches_meeting(self, meeting: Meeting) -> bool:
        date = meeting.minutes.date
        if self.date_from and (date is None or date < self.date_from):
            return False
        return not (self.date_to and (date is None or date > self.date_to))

    def matches(self, meeting: Meeting, topic: Topic, haystack: str | None = None) -> bool:
        if not self.matches_meeting(meeting):
            return False
        if self.kinds and topic_filter_kind(topic) not in self.kinds:
            return False
        if self.departments:
            roles = topic_roles(meeting, topic)
            if not any(self.role in roles.get(name, ()) for name in self.departments):
                return False
        if self.text:
            hay = haystack if haystack is not None else topic_search_text(topic)
            if self.text.casefold() not in hay:
                return False
        return True


def topic_search_text(topic: Topic) -> str:
    """What text search looks through for an item: its title and every resolution."""
    return "\n".join([topic.title, *(r.text for r in topic.resolutions)]).casefold()


@dataclass
class Library:
    meetings: list[Meeting] = field(default_factory=list)  # newest first
    problems: list[Problem] = field(default_factory=list)
    _haystacks: dict[tuple[str, int], str] = field(default_factory=dict, repr=False)

    @classmethod
    def load(
        cls,
        folders: Iterable[Path],
        files: Iterable[Path] = (),
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] = lambda: False,
    ) -> Library:
        """Read every minutes file in the folders (recursively) and the files given.

        A file that cannot be read is listed in problems with the reason; the rest still load.
        """
        paths: list[Path] = []
        for folder in folders:
            folder = Path(folder)
            if not folder.is_dir():
                paths.append(folder)  # reported as a problem below
                continue
            paths.extend(sorted(p for p in folder.rglob("*") if p.suffix.lower() in SUFFIXES and p.is_file()))
        paths.extend(Path(f) for f in files)
        seen: set[Path] = set()
        library = cls()
        for i, path in enumerate(paths):
            if cancelled():
                break
            key = path.resolve()
            if key in seen:
                continue
            seen.add(key)
            try:
                library.meetings.append(Meeting(str(key), read_document(path)))
            except ReadError as exc:
                library.problems.append(Problem(path, str(exc)))
            if progress:
                progress(i + 1, len(paths))
        library.meetings.sort(key=lambda m: m.sort_key, reverse=True)
        return library

    def topics(self) -> Iterator[TopicRef]:
        for meeting in self.meetings:
            for topic in meeting.minutes.topics:
                yield TopicRef(meeting, topic)

    @property
    def topic_count(self) -> int:
        return sum(len(m.minutes.topics) for m in self.meetings)

    def meeting(self, meeting_id: str) -> Meeting | None:
        return next((m for m in self.meetings if m.id == meeting_id), None)

    def haystack(self, ref: TopicRef) -> str:
        key = ref.key
        hay = self._haystacks.get(key)
        if hay is None:
            hay = self._haystacks[key] = topic_search_text(ref.topic)
        return hay

    def matching(self, spec: FilterSpec) -> set[tuple[str, int]]:
        """Keys (meeting id, item number) of the agenda items the filter keeps."""
        return {ref.key for ref in self.topics() if spec.matches(ref.meeting, ref.topic, self.haystack(ref))}

    def department_counts(self, role: RoleFilter = RoleFilter.ANY) -> Counter[str]:
        """For each department, how many agenda items it is connected to in that role."""
        counts: Counter[str] = Counter()
        for ref in self.topics():
            for name, roles in topic_roles(ref.meeting, ref.topic).items():
                if role in roles:
                    counts[name] += 1
        return counts

    def date_range(self) -> tuple[dt.date, dt.date] | None:
        dates = [m.minutes.date for m in self.meetings if m.minutes.date]
        return (min(dates), max(dates)) if dates else None

    def years(self) -> list[int]:
        return sorted({m.minutes.date.year for m in self.meetings if m.minutes.date}, reverse=True)


def department_group(name: str) -> str:
    return registry().get(name).group


def department_full_name(name: str) -> str | None:
    return registry().get(name).full
