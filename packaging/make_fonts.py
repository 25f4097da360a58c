"""Builds resources/fonts/ (xz-compressed): the faces the printed minutes use, subset from Debian's
fonts-noto-cjk, fonts-noto-cjk-extra and fonts-lxgw-wenkai, plus the OFL licence. Run once; output
is committed.

GB/T 9704 sets official documents in 仿宋 (body), 黑体 (first-level headings), 楷体 (second-level)
and 小标宋 (title). No open-licensed 仿宋 or 小标宋 for simplified Chinese is packaged in Debian or
on PyPI (fonts-cwtex-fs is a traditional-Chinese 仿宋 under the GPL, lacking a third of GB2312),
so the faces stand in:

    仿宋 body      Noto Serif CJK SC Regular   "Minutes Serif SC"   the whole CJK block U+4E00-U+9FFF
    黑体 headings  Noto Sans CJK SC Bold       "Minutes Sans SC"    GB2312 (6,763 hanzi)
    小标宋 title   Noto Serif CJK SC Bold      "Minutes Title SC"   GB2312 level 1 (3,755 common hanzi)
    楷体 second    LXGW WenKai Regular         "Minutes Kai SC"     what the layouts set in it: the
                                                                    （一） labels and the 节选 note

each with ASCII, punctuation and full-width forms. The body face keeps the whole block: names
use characters outside GB2312 (镕, 堃, 喆), and so do documents in traditional script. The
others are cut to what their text needs, to keep the one-file app within 50 MB; for any
character they lack Qt falls back to the body face (gui/pdf_export.py lists it after each).
The faces are renamed as the OFL asks of modified versions (the Reserved Font Names are
'Source', '霞鹜' and 'LXGW'), and so that the app can tell its bundled faces from system copies.

    apt-get install fonts-noto-cjk fonts-noto-cjk-extra fonts-lxgw-wenkai && pip install fonttools
    python packaging/make_fonts.py [FILE ...]   # all faces, or only the named output files
"""

from __future__ import annotations

import contextlib
import io
import lzma
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

NOTO = Path("/usr/share/fonts/opentype/noto")
WENKAI = Path("/usr/share/fonts/truetype/lxgw-wenkai")
COPYRIGHT = Path("/usr/share/doc/fonts-noto-cjk/copyright")
OUT = Path(__file__).resolve().parent.parent / "resources" / "fonts"

RANGES = [
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x00FF),  # Latin-1 punctuation: · × ÷ °
    (0x2010, 0x206F),  # general punctuation: — – ‘ ’ “ ” … ‰
    (0x2160, 0x217F),  # Roman numerals Ⅰ Ⅱ
    (0x2460, 0x24FF),  # enclosed numerals ① ②
    (0x25A0, 0x25FF),  # geometric shapes ■ ○ ●
    (0x3000, 0x303F),  # CJK punctuation: 、 。 〈 〉 《 》 「 」 【 】 〔 〕 〇
    (0x4E00, 0x9FFF),  # CJK Unified Ideographs
    (0xFE30, 0xFE4F),  # CJK compatibility forms
    (0xFF00, 0xFFEF),  # full-width forms: （ ） ： ； ， ！ ？ ～
]
CJK_BLOCK = (0x4E00, 0x9FFF)


# The 楷体 face's text (gui/pdf_export.py): labels （一）…（九十九）, and the note
# （节选：本次会议共 12 个议题，此处收录 3 个。）. tests/test_pdf_fonts.py checks that none of it falls back.
KAI_TEXT = "〇一二三四五六七八九十百" + "节选本次会议共个议题此处收录"


def _non_hanzi() -> set[int]:
    return {cp for lo, hi in RANGES if (lo, hi) != CJK_BLOCK for cp in range(lo, hi + 1)}


def _gb2312(last_row: int) -> set[int]:
    """GB2312's symbol rows and its hanzi up to a row: 0xD7 ends level 1 (3,755), 0xF7 level 2."""
    chars = set()
    for high in [*range(0xA1, 0xAA), *range(0xB0, last_row + 1)]:
        for low in range(0xA1, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):
                chars.add(ord(bytes([high, low]).decode("gb2312")))
    return chars


CHARSETS = {
    "cjk": lambda: _non_hanzi() | set(range(CJK_BLOCK[0], CJK_BLOCK[1] + 1)),
    "gb2312": lambda: _non_hanzi() | _gb2312(0xF7),
    "gb2312-level1": lambda: _non_hanzi() | _gb2312(0xD7),
    "kai": lambda: _non_hanzi() | {ord(c) for c in KAI_TEXT},
}


@dataclass(frozen=True)
class Face:
    source: Path
    family: str  # the source's family name (picks the face from a collection)
    new_family: str
    style: str
    out_name: str
    charset: str  # a key of CHARSETS


FACES = [
    Face(
        NOTO / "NotoSerifCJK-Regular.ttc",
        "Noto Serif CJK SC",
        "Minutes Serif SC",
        "Regular",
        "MinutesSerifSC-Regular.otf.xz",
        "cjk",
    ),
    Face(
        NOTO / "NotoSansCJK-Bold.ttc",
        "Noto Sans CJK SC",
        "Minutes Sans SC",
        "Bold",
        "MinutesSansSC-Bold.otf.xz",
        "gb2312",
    ),
    Face(
        WENKAI / "LXGWWenKai-Regular.ttf",
        "LXGW WenKai",
        "Minutes Kai SC",
        "Regular",
        "MinutesKaiSC-Regular.ttf.xz",
        "kai",
    ),
    Face(
        NOTO / "NotoSerifCJK-Bold.ttc",
        "Noto Serif CJK SC",
        "Minutes Title SC",
        "Bold",
        "MinutesTitleSC-Bold.otf.xz",
        "gb2312-level1",
    ),
]


# Where one glyph serves several code points, a PDF's ToUnicode map can give only one back, and
# Qt picks arbitrarily (～ came back as 〜). Keep the code point Chinese text uses; the others
# fall back to another font if they ever occur.
PREFERRED = {0x0020, 0x002D, 0x00B7, 0x2013, 0xFF40, 0xFF5E}


def unshare_glyphs(font: TTFont) -> list[int]:
    by_glyph: dict[str, list[int]] = {}
    for cp, glyph in font.getBestCmap().items():
        by_glyph.setdefault(glyph, []).append(cp)
    dropped = []
    for cps in by_glyph.values():
        if len(cps) > 1:
            keep = next((cp for cp in cps if cp in PREFERRED), min(cps))
            dropped += [cp for cp in cps if cp != keep]
    for table in font["cmap"].tables:
        for cp in dropped:
            table.cmap.pop(cp, None)
    return dropped


def open_face(face: Face) -> TTFont:
    if face.source.suffix == ".ttc":
        collection = TTCollection(str(face.source))
        return next(f for f in collection.fonts if f["name"].getDebugName(1) == face.family)
    font = TTFont(str(face.source))
    assert font["name"].getDebugName(1) == face.family, font["name"].getDebugName(1)
    return font


def build(face: Face) -> tuple[Path, str]:
    """Writes the subset; returns its path and the source's copyright line."""
    font = open_face(face)
    copyright_line = font["name"].getDebugName(0).replace("\n", "; ").rstrip(".")
    options = subset.Options()
    # Horizontal text only, Simplified Chinese only: the locl/vert alternates for JP/KR/TC and
    # vertical writing would double the glyph count.
    options.layout_features = ["kern", "palt", "halt"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.hinting = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(CHARSETS[face.charset]()))
    subsetter.subset(font)
    postscript = face.new_family.replace(" ", "") + "-" + face.style
    for record in font["name"].names:
        if record.nameID in (1, 16):
            record.string = face.new_family
        elif record.nameID == 4:
            record.string = f"{face.new_family} {face.style}"
        elif record.nameID == 6:
            record.string = postscript
        elif record.nameID == 3:
            record.string = f"{postscript};subset of {face.family}"
    if "CFF " in font:
        cff = font["CFF "].cff
        cff.fontNames = [postscript]
    unshare_glyphs(font)
    out = OUT / face.out_name
    # xz, not the bare font: zlib (wheels, PyInstaller) barely shrinks CJK outlines; xz takes a
    # third off. gui/fonts.py decompresses into memory when the fonts are needed.
    buffer = io.BytesIO()
    font.save(buffer)
    out.write_bytes(lzma.compress(buffer.getvalue(), preset=9 | lzma.PRESET_EXTREME))
    return out, copyright_line


RESERVED = {"Noto": "with Reserved Font Name 'Source'", "LXGW": "with Reserved Font Names '霞鹜' and 'LXGW'"}


def licence(credits: list[tuple[Face, str]]) -> str:
    text = COPYRIGHT.read_text("utf-8")
    start = text.index("SIL OPEN FONT LICENSE Version 1.1")
    body = "\n".join(line[1:] if line.startswith(" ") else line for line in text[start:].splitlines())
    body = re.sub(r"\n\.\n", "\n\n", body)
    lines = []
    for face, copyright_line in credits:
        reserved = next(words for key, words in RESERVED.items() if key in face.family)
        source = f"{face.family} {face.style}".replace("LXGW WenKai", "LXGW WenKai (霞鹜文楷)")
        lines.append(
            f"  '{face.new_family}' ({face.out_name}): a subset of {source},\n    {copyright_line}, {reserved}.\n"
        )
    header = (
        "The fonts in this folder are subsets, renamed by the Minutes Reader developers\n"
        "(packaging/make_fonts.py), of these fonts:\n"
        + "".join(lines)
        + "They are licensed under the SIL Open Font License, Version 1.1:\n\n"
    )
    return header + body.split("\nLicense: ")[0].strip() + "\n"


def main(names: list[str]) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    credits = []
    for face in FACES:
        if not names or face.out_name in names:
            path, copyright_line = build(face)
            print(f"{path.name}: {path.stat().st_size / 1e6:.2f} MB")
        else:
            copyright_line = open_face(face)["name"].getDebugName(0).replace("\n", "; ").rstrip(".")
        credits.append((face, copyright_line))
    (OUT / "OFL.txt").write_text(licence(credits), "utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
