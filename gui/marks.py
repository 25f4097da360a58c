"""Where the reader marks text: search terms and department mentions, as text cursors.

Each search stops after `limit` marks: marking 200,000 hits in an 8 MB file took minutes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor, QTextDocument
from PySide6.QtWidgets import QTextEdit

from minutes.departments import registry
from minutes.script import search_form

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def query_terms(query: str) -> list[str]:
    """The words of a query: "电梯 安全" marks both words wherever each occurs."""
    return list(dict.fromkeys(query.split()))


def find_terms(doc: QTextDocument, terms: Iterable[str], limit: int) -> tuple[list[QTextCursor], bool]:
    """(the first `limit` hits of any term in document order, whether there are more)."""
    found: list[QTextCursor] = []
    more = False
    for term in terms:
        cursor = doc.find(term, 0)
        count = 0
        while not cursor.isNull():
            if count == limit:
                more = True
                break
            found.append(QTextCursor(cursor))
            count += 1
            cursor = doc.find(term, cursor)
    _find_folded(doc, terms, limit, found)
    found.sort(key=lambda c: (c.selectionStart(), -c.selectionEnd()))
    if len(found) > limit:
        del found[limit:]
        more = True
    return found, more


def _find_folded(doc: QTextDocument, terms: Iterable[str], limit: int, found: list[QTextCursor]) -> None:
    """Add the hits in the other script (電梯 for 电梯 and the other way round), as the search
    found them: both sides in their search form, which keeps every character's position."""
    text = doc.toPlainText()
    folded = search_form(text)
    wanted = {search_form(t) for t in terms}
    if folded is text and wanted == set(terms):
        return  # one script on both sides: doc.find saw everything
    offsets = _utf16_offsets(text)
    seen = {(c.selectionStart(), c.selectionEnd()) for c in found}
    for term in wanted:
        pos, count = folded.find(term), 0
        while pos != -1 and count < limit:
            start, end = (pos, pos + len(term)) if offsets is None else (offsets[pos], offsets[pos + len(term)])
            if (start, end) not in seen:
                cursor = QTextCursor(doc)
                cursor.setPosition(start)
                cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
                found.append(cursor)
                seen.add((start, end))
            count += 1
            pos = folded.find(term, pos + 1)


def _utf16_offsets(text: str) -> list[int] | None:
    """Qt counts positions in UTF-16 units, Python in code points; None when they agree."""
    if not _ASTRAL.search(text):
        return None
    offsets, pos = [], 0
    for ch in text:
        offsets.append(pos)
        pos += 2 if ord(ch) > 0xFFFF else 1
    offsets.append(pos)
    return offsets


def find_departments(doc: QTextDocument, names: Iterable[str], limit: int) -> tuple[list[QTextCursor], bool]:
    """(the first `limit` mentions of these departments, by canonical name or as written; more?)."""
    reg = registry()
    wanted = {reg.canonical(n) for n in names}
    if not wanted:
        return [], False
    text = doc.toPlainText()
    offsets = _utf16_offsets(text)
    found: list[QTextCursor] = []
    for mention in reg.find_in_text(text):
        if mention.name not in wanted:
            continue
        if len(found) == limit:
            return found, True
        start, end = (mention.start, mention.end) if offsets is None else (offsets[mention.start], offsets[mention.end])
        cursor = QTextCursor(doc)
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        found.append(cursor)
    return found, False


def anchor_position(doc: QTextDocument, name: str) -> int | None:
    """Where `<a name=…>` sits in the document."""
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            if name in fragment.charFormat().anchorNames():
                return fragment.position()
            it += 1
        block = block.next()
    return None


def selections(cursors: Iterable[QTextCursor], background: str) -> list[QTextEdit.ExtraSelection]:
    fmt = QTextCharFormat()
    fmt.setBackground(QColor(background))
    fmt.setForeground(QColor("#000000"))  # the marks are light in either theme
    out = []
    for cursor in cursors:
        selection = QTextEdit.ExtraSelection()
        selection.cursor = cursor
        selection.format = fmt
        out.append(selection)
    return out
