"""相关议题 at the end of a meeting in the viewer: the items of other meetings about the same
document (《…》), and the same recurring report, each a `meeting:` link that opens it.

Built from the library's TitleIndex (item titles only, cached per library): showing a meeting
never loads another meeting's document, and a large library's index is built off the UI thread.
"""

from __future__ import annotations

import html
from urllib.parse import quote, unquote

from PySide6.QtCore import QCoreApplication

from minutes.library import Meeting
from minutes.numerals import date_text, item_label
from minutes.related import ItemRef, title_index

MEETING_SCHEME = "meeting"
# Up to this many meetings the index is built on first show (tens of milliseconds); a larger
# library shows 相关议题 once the background warm-up (gui/library_controller.py) has built it.
BUILD_ON_SHOW = 2000


def meeting_href(meeting_id: str, item: int) -> str:
    return f"{MEETING_SCHEME}:{quote(meeting_id, safe='')}/{item}"


def meeting_from_href(href: str) -> tuple[str, int] | None:
    """(meeting id, item number) of a meeting: link, else None."""
    scheme, _, rest = href.partition(":")
    key, _, item = rest.rpartition("/")
    if scheme != MEETING_SCHEME or not key or not item.isdigit():
        return None
    return unquote(key), int(item)


def _link(ref: ItemRef) -> str:
    session = f"第{ref.session}次常务会议" if ref.session else "常务会议"
    text = f"{session}（{date_text(ref.date)}）{item_label(ref.item)}{ref.title}"
    return f'<a href="{html.escape(meeting_href(ref.meeting, ref.item))}">{html.escape(text)}</a>'


def related_section(meeting: Meeting) -> str:
    """The 相关议题 paragraph for a meeting, or "" when none of its items comes back elsewhere."""
    library = meeting.library
    index = title_index(library, build=len(library.meetings) <= BUILD_ON_SHOW)
    if index is None:
        return ""
    again = QCoreApplication.translate("Render", "同类汇报：")
    lines = []
    for topic in meeting.topics:
        links = [_link(r) for r in index.same_document(meeting.id, topic.number)]
        links += [html.escape(again) + _link(r) for r in index.same_report(meeting.id, topic.number)]
        if links:
            lines.append(f"{html.escape(topic.label)}{'；'.join(links)}")
    if not lines:
        return ""
    label = html.escape(QCoreApplication.translate("Render", "相关议题："))
    return f'<p class="related"><span class="section">{label}</span><br/>{"<br/>".join(lines)}</p>'
