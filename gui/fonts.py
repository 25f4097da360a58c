"""The bundled Chinese faces (resources/fonts/*.otf.xz), registered with Qt on first need.

Stored xz-compressed: CFF outlines barely shrink under zlib, and these two files are the
largest part of the one-file executable. They are decompressed into memory once, only when
something needs them (an export, or a PC with no Chinese UI font), never at every start.
Call from the GUI thread: Qt's font database is not thread-safe.
"""

from __future__ import annotations

import lzma

from PySide6.QtCore import QByteArray
from PySide6.QtGui import QFontDatabase

from gui.resources import resource

SERIF = "Minutes Serif SC"  # body text: Noto Serif CJK SC Regular, subset
SANS = "Minutes Sans SC"  # headings: Noto Sans CJK SC Bold, subset
FILES = ("MinutesSerifSC-Regular.otf.xz", "MinutesSansSC-Bold.otf.xz")

_families: list[str] | None = None


class FontError(Exception):
    pass


def load_bundled_fonts() -> list[str]:
    """Register the bundled faces (once) and return their family names."""
    global _families
    if _families is None:
        families: list[str] = []
        for name in FILES:
            path = resource("fonts", name)
            try:
                data = lzma.decompress(path.read_bytes())
            except (OSError, lzma.LZMAError) as exc:
                raise FontError(f"内置字体无法读取：{path}（{exc}）") from exc
            font_id = QFontDatabase.addApplicationFontFromData(QByteArray(data))
            if font_id < 0:
                raise FontError(f"内置字体无法载入：{path}")
            families += QFontDatabase.applicationFontFamilies(font_id)
        _families = families
    return list(_families)
