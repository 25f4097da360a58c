"""Which files the library takes, how large they may be, and the error for one it cannot read.

Kept apart from the importers: opening the library at start-up needs these names, not the
readers (and their decoding and parsing imports) behind them.
"""

from __future__ import annotations

SUFFIXES = (".txt", ".text", ".pdf", ".docx", ".html", ".htm")
# Larger files are not minutes; refusing them early keeps a stray video from stalling import.
MAX_TEXT_BYTES = 8 * 1024 * 1024
MAX_CONTAINER_BYTES = 64 * 1024 * 1024  # PDF and Word files carry images and fonts


class ReadError(Exception):
    """A file that cannot be read as minutes at all. The message is for the user (Chinese)."""


def size_limit(suffix: str) -> int:
    return MAX_CONTAINER_BYTES if suffix in (".pdf", ".docx") else MAX_TEXT_BYTES
