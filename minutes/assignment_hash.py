"""What identifies an assignment across re-imports: its text with spacing, punctuation and width
ignored, hashed, and the id made of that hash and the assignment's place (no Qt).

The ledger joins every task on its id at the 台账's first open, so the normalising runs once per
assignment there (or at the import: minutes.assignment_store keeps the id with the tasks).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterator
from functools import cache
from itertools import chain

# Blocks that hold no space or punctuation mark, skipped when the marks are listed (7 in 10
# characters of the BMP): CJK ideographs (extension A and unified), Hangul syllables, the
# surrogates and the private use area. tests/test_assignment_hash.py checks it on every BMP
# character against the definition (isspace or a P* category).
_NO_MARKS = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xAC00, 0xD7A3), (0xD800, 0xF8FF))
# Full-width ASCII forms, folded to ASCII (NFKC would do it, at ten times the cost on long
# Chinese texts); the marks among them are dropped first.
_WIDE_FIRST, _WIDE_LAST = 0xFF10, 0xFF5E
_WIDE = re.compile(f"[\\u{_WIDE_FIRST:04x}-\\u{_WIDE_LAST:04x}]")


def _is_mark(ch: str) -> bool:
    return ch.isspace() or unicodedata.category(ch).startswith("P")


def _bmp_outside_no_marks() -> Iterator[int]:
    starts = [0] + [last + 1 for _, last in _NO_MARKS]
    ends = [first for first, _ in _NO_MARKS] + [0x10000]
    return chain.from_iterable(range(a, b) for a, b in zip(starts, ends, strict=True))


@cache
def _marks() -> re.Pattern[str]:
    """Runs of spaces and punctuation marks of the BMP, as one character class: re drops them
    in C. (str.translate with a table of them raised and caught a KeyError for every Chinese
    character it kept: 140k instructions a task, callgrind.)"""
    ranges: list[list[int]] = []
    for cp in _bmp_outside_no_marks():
        if _is_mark(chr(cp)):
            if ranges and ranges[-1][1] == cp - 1:
                ranges[-1][1] = cp
            else:
                ranges.append([cp, cp])
    marks = "[" + "".join(f"\\u{a:04x}-\\u{b:04x}" for a, b in ranges) + "]"
    return re.compile(f"{marks}+")


@cache
def _fold() -> dict[int, int]:
    return {cp: cp - 0xFEE0 for cp in range(_WIDE_FIRST, _WIDE_LAST + 1)}


def normalise(text: str) -> str:
    """Text as compared across re-imports: no spaces or punctuation, full-width forms folded."""
    text = _marks().sub("", text)
    return text.translate(_fold()) if _WIDE.search(text) else text


def text_hash(text: str) -> str:
    return hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()[:16]


def task_id(meeting_key: str, item: int, resolution: int, digest: str) -> str:
    """Short enough to type (`minutes tasks set ID`), made of what survives a re-import."""
    return hashlib.sha256(f"{meeting_key}|{item}|{resolution}|{digest}".encode()).hexdigest()[:10]
