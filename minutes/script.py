"""Simplified and traditional script.

Mirror sites serve the minutes converted to traditional characters, and some governments
publish in them. The parser reads the simplified form (its markers are simplified) while the
model keeps the source's characters for display; search indexes and queries both go through
`search_form`, so a query in either script finds a text in either script.

Detection is cheap: a set of characters that only traditional text uses (OpenCC's t2s
characters, `data/traditional.txt`, less the few that GB2312 also has, such as 於 and 後),
so simplified text is never converted for parsing.
"""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files

from minutes.model import SIMPLIFIED, TRADITIONAL

# A text is traditional when at least this share of its characters is traditional-only (in
# real traditional text it is a fifth or more; a simplified text may carry a few, such as a
# person's name written 王颺).
_SHARE = 0.05
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def _class(chars: str) -> re.Pattern:
    # Characters beyond the BMP (a few hundred rare ones) are left out of the class: with them
    # the regex engine tests every position against a list (~6 ms a document) instead of a
    # bitmap (~0.05 ms). The translation table still has them.
    return re.compile("[" + re.escape("".join(sorted(ch for ch in chars if ord(ch) < 0x10000))) + "]")


def _lines() -> list[str]:
    text = files("minutes").joinpath("data/traditional.txt").read_text("utf-8")
    return [line for line in text.splitlines() if not line.startswith("#")]


@cache
def _table() -> dict[int, int]:
    """The t2s character table."""
    traditional, simplified, _ = _lines()
    return str.maketrans(traditional, simplified)


@cache
def _folding() -> tuple[re.Pattern, dict[int, int]]:
    """(any character t2s changes, the t2s character table)."""
    return _class(_lines()[0]), _table()


@cache
def _traditional_only() -> re.Pattern:
    """Characters only traditional text uses: those t2s changes, less the 15 GB2312 also has."""
    return _class(_lines()[2])


def search_form(text: str) -> str:
    """The form a text is indexed and searched in: every traditional character replaced by
    its simplified form, character for character (so a substring of a text maps to a
    substring of its search form). Simplified text comes back unchanged, at the cost of one
    regex scan (but for 15 rare characters GB2312 shares with traditional text, such as 乾
    and 於, which both the index and the query fold the same way)."""
    changed, table = _folding()
    if changed.search(text) is None and _ASTRAL.search(text) is None:
        return text
    return text.translate(table)


def search_form_once(text: str) -> str:
    """search_form(text), always, without its fast path: compiling that path's character class
    costs more (~50 M instructions, callgrind) than translating one text, so a caller with a
    single text to fold (the viewer's masthead) does not make the first window pay for it."""
    return text.translate(_table())


def detect(text: str) -> str:
    """SIMPLIFIED or TRADITIONAL: which script the text is written in."""
    only = _traditional_only()
    if only.search(text) is None:
        return SIMPLIFIED
    traditional = len(only.findall(text))
    return TRADITIONAL if traditional >= max(2, _SHARE * len(text)) else SIMPLIFIED


@cache
def _converter():
    """OpenCC's t2s conversion (phrases first, then characters), or None where it cannot load."""
    try:
        import opencc

        return opencc.OpenCC("t2s")
    except Exception:  # a broken install must not stop reading: the character table still works
        return None


def to_simplified(text: str) -> tuple[str, bool]:
    """The simplified form of a traditional text, and whether OpenCC made it (else the
    character table did). OpenCC's t2s maps one character to one, so positions are kept."""
    converter = _converter()
    if converter is not None:
        converted = converter.convert(text)
        if len(converted) == len(text):
            return converted, True
    return text.translate(_table()), False
