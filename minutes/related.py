"""相关议题: the same document (《…》) discussed at more than one meeting.

A title is compared without its stage marks (（草案）, （送审稿）, （试行）, （征求意见稿）…), quotes,
brackets and spacing, so 《2021年政府立法计划（草案）》 at one meeting and 《2021年政府立法计划》
at a later one are the same document. Plain Python, no Qt.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
import unicodedata
import weakref
from collections.abc import Iterable
from dataclasses import dataclass

_STAGE = re.compile(r"\((?:草案|送审稿|试行|暂行|征求意见稿|修订稿|修订草案|讨论稿|代拟稿)\)")
_MARKS = re.compile(r"[《》〈〉<>“”\"'‘’「」『』\s]")


def normalise_title(title: str) -> str:
    # NFKC folds full-width brackets to ASCII, so one pattern covers （草案） and (草案).
    folded = unicodedata.normalize("NFKC", title)
    return _MARKS.sub("", _STAGE.sub("", folded))


@dataclass(frozen=True)
class ItemRef:
    meeting: str  # Library meeting id
    date: dt.date | None
    session: int | None
    item: int
    title: str  # the item's title as written
    document: str  # the document's title as written there


def related_items(meetings: Iterable) -> dict[str, list[ItemRef]]:
    """Normalised title → the items (oldest first) that discussed it, for titles seen at two
    meetings or more. meetings: objects with .id and .minutes (Library.meetings)."""
    seen: dict[str, list[ItemRef]] = {}
    for meeting in meetings:
        m = meeting.minutes
        for topic in m.topics:
            for document in topic.documents:
                key = normalise_title(document)
                if key:
                    ref = ItemRef(meeting.id, m.date, m.session, topic.number, topic.title, document)
                    seen.setdefault(key, []).append(ref)
    linked = {}
    for key, refs in seen.items():
        if len({r.meeting for r in refs}) > 1:
            linked[key] = sorted(refs, key=lambda r: (r.date or dt.date.min, r.session or 0, r.item))
    return linked


def related_to(linked: dict[str, list[ItemRef]], meeting: str, item: int) -> list[ItemRef]:
    """The other meetings' items about the same documents as this item (for the viewer's 相关议题)."""
    found: list[ItemRef] = []
    for refs in linked.values():
        if any(r.meeting == meeting and r.item == item for r in refs):
            found.extend(r for r in refs if r.meeting != meeting and r not in found)
    return sorted(found, key=lambda r: (r.date or dt.date.min, r.session or 0, r.item))


# -- from the item titles alone (the viewer's 相关议题) ------------------------------------------
_IN_TITLE = re.compile(r"《([^《》]+)》")
# What changes from one recurring report to the next: the period it covers.
_PERIOD = re.compile(
    r"\d{4}年(?:度)?|\d{1,2}\s*[~～〜\-—–至到]\s*\d{1,2}\s*月(?:份)?|\d{1,2}月(?:份)?"
    r"|[一二三四]季度|前三季度|上半年|下半年|全年|年度|本年|今年|明年|去年"
)


def documents_in_title(title: str) -> tuple[str, ...]:
    """The 《…》 documents an item's title names (its analysis is not needed: the Library holds
    the titles without loading a document)."""
    return tuple(_IN_TITLE.findall(title))


def recurring_key(title: str) -> str | None:
    """A title with its period taken out (听取1~7月全市经济运行情况… → 听取全市经济运行情况…), for
    items that come back every month or quarter; None for a title that names no period or that
    names a document (those are linked by the document)."""
    if _IN_TITLE.search(title):
        return None
    folded = unicodedata.normalize("NFKC", title)
    key, count = _PERIOD.subn("", folded)
    key = _MARKS.sub("", key)
    return key if count and len(key) >= 6 else None


def _sorted(refs: Iterable[ItemRef]) -> list[ItemRef]:
    return sorted(refs, key=lambda r: (r.date or dt.date.min, r.session or 0, r.item))


class TitleIndex:
    """相关议题 of every item of a library, from the item titles (Library.meetings' topics, which
    are in memory): the same document at another meeting, and the same recurring report."""

    def __init__(self, meetings: Iterable) -> None:
        documents: dict[str, list[ItemRef]] = {}
        recurring: dict[str, list[ItemRef]] = {}
        self._keys: dict[tuple[str, int], tuple[list[str], str | None]] = {}
        for meeting in meetings:
            for topic in meeting.topics:
                keys: list[str] = []
                for name in documents_in_title(topic.title):
                    key = normalise_title(name)
                    if not key or key in keys:
                        continue
                    keys.append(key)
                    ref = ItemRef(meeting.id, meeting.date, meeting.session, topic.number, topic.title, name)
                    documents.setdefault(key, []).append(ref)
                again = recurring_key(topic.title)
                if again:
                    ref = ItemRef(meeting.id, meeting.date, meeting.session, topic.number, topic.title, "")
                    recurring.setdefault(again, []).append(ref)
                self._keys[(meeting.id, topic.number)] = (keys, again)
        self._documents = {k: _sorted(v) for k, v in documents.items() if len({r.meeting for r in v}) > 1}
        self._recurring = {k: _sorted(v) for k, v in recurring.items() if len({r.meeting for r in v}) > 1}

    def same_document(self, meeting: str, item: int) -> list[ItemRef]:
        """The other meetings' items about a document this item names, oldest first."""
        keys, _ = self._keys.get((meeting, item), ([], None))
        found = {r for k in keys for r in self._documents.get(k, ()) if r.meeting != meeting}
        return _sorted(found)

    def same_report(self, meeting: str, item: int) -> list[ItemRef]:
        """The other meetings' items of the same recurring report (经济运行情况 …), oldest first."""
        _, key = self._keys.get((meeting, item), ([], None))
        return [r for r in self._recurring.get(key, ()) if r.meeting != meeting] if key else []

    def recurring_groups(self) -> dict[str, list[ItemRef]]:
        """Recurring reports seen at two meetings or more: key → items, oldest first."""
        return dict(self._recurring)


_indexes: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_indexes_lock = threading.Lock()


def title_index(library, build: bool = True) -> TitleIndex | None:
    """The library's TitleIndex, built once (and again only when its meetings change). With
    build=False, only one already built (None if there is none yet): for the UI thread, while
    the background warm-up builds it."""
    meetings = library.meetings
    with _indexes_lock:
        cached = _indexes.get(library)
        # By the list's id, not the list: a strong reference would keep the library alive.
        if cached is not None and cached[0] == id(meetings) and cached[1] == len(meetings):
            return cached[2]
    if not build:
        return None
    index = TitleIndex(meetings)
    with _indexes_lock:
        _indexes[library] = (id(meetings), len(meetings), index)
    return index


def recurring_items(meetings: Iterable) -> dict[str, list[ItemRef]]:
    """Recurring reports (经济运行情况 …) seen at two meetings or more, grouped by their title
    without its period, each group oldest first, so they can be read in a row. meetings: objects
    with .id, .date, .session and .topics (Library.meetings)."""
    return TitleIndex(meetings).recurring_groups()
