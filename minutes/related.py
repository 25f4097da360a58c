"""相关议题: the same document (《…》) discussed at more than one meeting.

A title is compared without its stage marks (（草案）, （送审稿）, （试行）, （征求意见稿）…), quotes,
brackets and spacing, so 《2021年政府立法计划（草案）》 at one meeting and 《2021年政府立法计划》
at a later one are the same document. Plain Python, no Qt.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
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
