"""How much of a document the reader lays out at once.

Qt lays out and paints a paragraph in time that grows faster than its length when the line has
no break opportunity (a 200,000-character line took 36 s on this machine), and marking hundreds
of thousands of search hits takes minutes. The reader therefore shows a bounded part of an
outsized document, says so, and keeps the rest one click away (`显示全部`). Plain Python, no Qt.
"""

from __future__ import annotations

SOURCE_CHARS = 60_000  # of 原文 shown before 显示全部 (the seeds hold 2,600–5,200)
LINE_CHARS = 3_000  # of one paragraph or source line (the seeds' longest: 320)
DOCUMENT_CHARS = 120_000  # of document text in the reading view
MAX_MARKED = 500  # search hits or department mentions marked at once


def amount(chars: int) -> str:
    """约 3.2 万字 / 800 字: a size the user can picture."""
    if chars >= 10_000:
        return f"约 {chars / 10_000:.1f}".rstrip("0").rstrip(".") + " 万字"
    return f"{chars} 字"


class Budget:
    """Characters left to show; `take` clips each piece of text against the line and total caps.
    A budget of None shows everything (after 显示全部)."""

    def __init__(self, total: int | None = DOCUMENT_CHARS, line: int | None = LINE_CHARS) -> None:
        self.left = total
        self.line = line
        self.omitted = 0  # characters left out so far

    @classmethod
    def unlimited(cls) -> Budget:
        return cls(None, None)

    @property
    def clipped(self) -> bool:
        return self.omitted > 0

    def take(self, text: str) -> tuple[str, bool]:
        """(the part of text to show, whether any of it was left out)."""
        keep = len(text)
        if self.line is not None:
            keep = min(keep, self.line)
        if self.left is not None:
            keep = min(keep, self.left)
            self.left -= keep
        self.omitted += len(text) - keep
        return text[:keep], keep < len(text)


def source_excerpt(text: str, total: int = SOURCE_CHARS, line: int = LINE_CHARS) -> tuple[str, int]:
    """(the start of a file's text with over-long lines cut and marked, characters left out)."""
    if len(text) <= line and len(text) <= total:
        return text, 0
    out: list[str] = []
    shown = omitted = 0
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end + 1
        if shown >= total:
            omitted += len(text) - start
            break
        piece = text[start:end]
        room = min(line, total - shown)
        if len(piece) > room:
            omitted += len(piece) - room
            newline = "\n" if piece.endswith("\n") else ""
            piece = piece[:room] + f"……［此行共 {len(text[start:end].rstrip(chr(10)))} 字，以下从略］" + newline
            shown += room
        else:
            shown += len(piece)
        out.append(piece)
        start = end
    return "".join(out), omitted
