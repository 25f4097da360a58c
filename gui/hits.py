"""Where the reader stands among the search hits of the document in view (第 3 / 8 处)."""

from __future__ import annotations

from PySide6.QtWidgets import QTextEdit


def hit_position(view: QTextEdit, query: str) -> tuple[int, int]:
    """(current hit, hits): current is the hit the selection is on, 0 when it is on none."""
    doc = view.document()
    starts: list[int] = []
    cursor = doc.find(query, 0) if query else None
    while cursor is not None and not cursor.isNull():
        starts.append(cursor.selectionStart())
        cursor = doc.find(query, cursor)
    selection = view.textCursor()
    here = selection.selectionStart() if selection.hasSelection() else -1
    return (starts.index(here) + 1 if here in starts else 0), len(starts)
