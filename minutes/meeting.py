"""One meeting as the library lists it: its summary at hand, its full parse loaded on first use."""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from minutes.departments import registry
from minutes.model import MINUTES, Minutes, SourceDocument, Topic
from minutes.numerals import item_label

if TYPE_CHECKING:
    from minutes.library import Library


@dataclass(frozen=True, slots=True)
class TopicInfo:
    id: int  # the catalogue's id for the item
    number: int
    title: str
    kind: str

    @property
    def label(self) -> str:
        return item_label(self.number)


class Meeting:
    """One set of minutes. The summary is always at hand; the full parse and the source text
    are loaded on first use."""

    __slots__ = ("_library", "_topics", "date", "doc_number", "genre", "id", "issuer", "session")

    def __init__(
        self,
        library: Library,
        key: str,
        session,
        date,
        doc_number,
        topics: tuple[TopicInfo, ...] | list[tuple[int, str, int, str, str]] | None,
        issuer: str | None = None,
        genre: str = MINUTES,
    ) -> None:
        self._library = library
        self.id = key
        self.session: int | None = session
        self.date: dt.date | None = date
        self.doc_number: str | None = doc_number
        # None: read from the catalogue on first use (a library of 700,000 items starts without
        # reading their titles). A list holds the catalogue's rows (id, doc_key, number, title,
        # kind), made TopicInfo on first use.
        self._topics = topics
        self.issuer: str | None = issuer  # the issuing government, as the catalogue holds it
        self.genre: str = genre  # MINUTES, or REPORT (a news report of the meeting)

    @property
    def topics(self) -> tuple[TopicInfo, ...]:
        topics = self._topics  # one read of the slot: another thread may convert it too
        if topics is None:
            topics = self._library.topic_rows_of(self.id)
        if isinstance(topics, list):
            topics = self._topics = tuple(TopicInfo(r[0], r[2], r[3], sys.intern(r[4])) for r in topics)
        return topics

    @property
    def topics_read(self) -> bool:
        return self._topics is not None

    def offer_topics(self, rows: list[tuple[int, str, int, str, str]]) -> None:
        """The catalogue's rows of this meeting's items, read along with another meeting's:
        kept unless they were read already."""
        if self._topics is None:
            self._topics = rows

    @property
    def library(self) -> Library:
        """The library this meeting belongs to (for what is computed across meetings)."""
        return self._library

    @property
    def title(self) -> str:
        return f"第{self.session}次常务会议" if self.session else "常务会议"

    @property
    def source(self) -> SourceDocument:
        return self._library.document(self.id)

    @property
    def minutes(self) -> Minutes:
        return self.source.minutes

    @property
    def sources(self) -> list[Path]:
        """Every file this meeting was read from (the same minutes added twice show once)."""
        return self._library.sources(self.id)

    def names_in_resolutions(self, department: str) -> bool:
        """Whether the resolutions name this department (in any role); one that is not named
        there only attended (列席)."""
        wanted = registry().canonical(department)
        return any(
            registry().canonical(ref.name) == wanted
            for topic in self.minutes.topics
            for resolution in topic.resolutions
            for ref in resolution.roles
        )

    @property
    def sort_key(self) -> tuple:
        return (self.date or dt.date.min, self.session or 0, self.id)

    def __repr__(self) -> str:
        return f"Meeting({self.id!r})"


@dataclass(frozen=True)
class TopicRef:
    meeting: Meeting
    topic: Topic

    @property
    def key(self) -> tuple[str, int]:
        return (self.meeting.id, self.topic.number)
