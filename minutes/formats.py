"""Which files the library takes, how large they may be, and the error for one it cannot read.

Kept apart from the importers: opening the library at start-up needs these names, not the
readers (and their decoding and parsing imports) behind them.
"""

from __future__ import annotations

import os
from pathlib import Path

SUFFIXES = (".txt", ".text", ".pdf", ".docx", ".html", ".htm")
# Formats people save minutes in that we cannot read: listed with what to do, never dropped silently.
REFUSED_SUFFIXES = {
    ".doc": "旧版 Word 格式，请另存为 .docx 或 PDF",
    ".wps": "WPS 文字格式，请另存为 .docx 或 PDF",
    ".rtf": "RTF 格式，请另存为 .docx 或 PDF",
}
# Larger files are not minutes; refusing them early keeps a stray video from stalling import.
MAX_TEXT_BYTES = 8 * 1024 * 1024
MAX_CONTAINER_BYTES = 64 * 1024 * 1024  # PDF and Word files carry images and fonts
# What a container may unpack into: a zip bomb stops here, not at the memory limit.
MAX_UNPACKED_BYTES = 48 * 1024 * 1024
MAX_UNPACK_RATIO = 200  # past 8 MB, more than this many bytes out per byte in is a bomb, not a document
MAX_TEXT_CHARS = 8 * 1024 * 1024  # text extracted from any one file

# Bump when the parser's output for the same text changes: catalogues re-parse what they hold.
PARSER_VERSION = 2  # 2: issuer, term, publication line, traditional script, reports (#10)


class ReadError(Exception):
    """A file that cannot be read as minutes at all. The message is for the user (Chinese)."""


def size_limit(suffix: str) -> int:
    return MAX_CONTAINER_BYTES if suffix in (".pdf", ".docx") else MAX_TEXT_BYTES


def display_path(path: str | Path) -> str:
    """A path as text that can always be shown or printed. A name that is not valid UTF-8 (GBK
    bytes from `unzip` of a Chinese Windows archive) is decoded as GB18030 when that works,
    otherwise its undecodable bytes become U+FFFD."""
    text = str(path)
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        pass
    raw = os.fsencode(text)
    parts = []
    for part in raw.split(b"/"):
        try:
            parts.append(part.decode("utf-8"))
        except UnicodeDecodeError:
            try:
                parts.append(part.decode("gb18030"))
            except UnicodeDecodeError:
                parts.append(part.decode("utf-8", errors="replace"))
    return "/".join(parts)
