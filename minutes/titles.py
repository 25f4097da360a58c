"""Document titles in running text: 《…》, outermost only, nested 〈〉 or 《》 kept inside."""

from __future__ import annotations

import re

# Only the marks matter: visited with one regex scan, not a Python step per character.
_MARKS = re.compile("[《》]")


def document_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each outermost 《…》, marks included; an unclosed 《 is ignored."""
    spans = []
    depth = start = 0
    for mark in _MARKS.finditer(text):
        i, ch = mark.start(), mark.group()
        if ch == "《":
            if depth == 0:
                start = i
            depth += 1
        elif ch == "》" and depth:
            depth -= 1
            if depth == 0:
                spans.append((start, i + 1))
    return spans


def document_titles(text: str) -> tuple[str, ...]:
    """The titles themselves, without the marks, each once, in order."""
    return tuple(dict.fromkeys(text[start + 1 : end - 1] for start, end in document_spans(text)))
