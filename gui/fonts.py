"""The bundled Chinese faces (resources/fonts/*.otf.xz), registered with Qt on first need.

Stored xz-compressed: CJK outlines barely shrink under zlib, and these files are the
largest part of the one-file executable. They are decompressed into memory once, only when
something needs them (an export, or a PC with no Chinese UI font), never at every start.
Call from the GUI thread: Qt's font database is not thread-safe.
"""

from __future__ import annotations

import lzma

from PySide6.QtCore import QByteArray
from PySide6.QtGui import QFontDatabase

from gui.resources import resource

# Stand-ins for the GB/T 9704 faces (packaging/make_fonts.py says why these).
SERIF = "Minutes Serif SC"  # 仿宋, body text: Noto Serif CJK SC Regular, U+4E00-U+9FFF
SANS = "Minutes Sans SC"  # 黑体, first-level headings: Noto Sans CJK SC Bold, GB2312
KAI = "Minutes Kai SC"  # 楷体, second-level headings: LXGW WenKai Regular, the （一） labels
TITLE = "Minutes Title SC"  # 小标宋, title and masthead: Noto Serif CJK SC Bold, GB2312 level 1
FILES = (
    "MinutesSerifSC-Regular.otf.xz",
    "MinutesSansSC-Bold.otf.xz",
    "MinutesKaiSC-Regular.ttf.xz",
    "MinutesTitleSC-Bold.otf.xz",
)

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
