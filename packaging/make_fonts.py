"""Builds resources/fonts/ (xz-compressed): subsets of Noto Serif CJK SC Regular (body) and Noto Sans CJK SC
Bold (headings) from Debian's fonts-noto-cjk, plus the OFL licence. Run once; output is committed.

The subset keeps ASCII, general and CJK punctuation, full-width forms and the whole CJK Unified
Ideographs block (U+4E00-U+9FFF): a GB2312-only subset would lack characters found in names
(镕, 堃, 喆). The faces are renamed ("Minutes Serif SC", "Minutes Sans SC") as the OFL asks of
modified versions, and so that the app can tell its bundled faces from system copies.

    apt-get install fonts-noto-cjk && pip install fonttools && python packaging/make_fonts.py
"""

from __future__ import annotations

import io
import lzma
import re
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

NOTO = Path("/usr/share/fonts/opentype/noto")
COPYRIGHT = Path("/usr/share/doc/fonts-noto-cjk/copyright")
OUT = Path(__file__).resolve().parent.parent / "resources" / "fonts"

FACES = [
    ("NotoSerifCJK-Regular.ttc", "Noto Serif CJK SC", "Minutes Serif SC", "Regular", "MinutesSerifSC-Regular.otf.xz"),
    ("NotoSansCJK-Bold.ttc", "Noto Sans CJK SC", "Minutes Sans SC", "Bold", "MinutesSansSC-Bold.otf.xz"),
]
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


def build(ttc: str, family: str, new_family: str, style: str, out_name: str) -> Path:
    collection = TTCollection(str(NOTO / ttc))
    font = next(f for f in collection.fonts if f["name"].getDebugName(1) == family)
    options = subset.Options()
    # Horizontal text only, Simplified Chinese only: the locl/vert alternates for JP/KR/TC and
    # vertical writing would double the glyph count.
    options.layout_features = ["kern", "palt", "halt"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.hinting = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[cp for lo, hi in RANGES for cp in range(lo, hi + 1)])
    subsetter.subset(font)
    postscript = new_family.replace(" ", "") + "-" + style
    for record in font["name"].names:
        if record.nameID in (1, 16):
            record.string = new_family
        elif record.nameID == 4:
            record.string = f"{new_family} {style}"
        elif record.nameID == 6:
            record.string = postscript
        elif record.nameID == 3:
            record.string = f"{postscript};subset of {family}"
    if "CFF " in font:
        cff = font["CFF "].cff
        cff.fontNames = [postscript]
    unshare_glyphs(font)
    out = OUT / out_name
    # xz, not the bare .otf: zlib (wheels, PyInstaller) barely shrinks CFF outlines; xz takes a
    # third off. gui/fonts.py decompresses into memory when the fonts are needed.
    buffer = io.BytesIO()
    font.save(buffer)
    out.write_bytes(lzma.compress(buffer.getvalue(), preset=9 | lzma.PRESET_EXTREME))
    return out


def licence(copyrights: list[str]) -> str:
    text = COPYRIGHT.read_text("utf-8")
    start = text.index("SIL OPEN FONT LICENSE Version 1.1")
    body = "\n".join(line[1:] if line.startswith(" ") else line for line in text[start:].splitlines())
    body = re.sub(r"\n\.\n", "\n\n", body)
    header = (
        "The fonts in this folder are subsets of Noto Serif CJK SC (Regular) and Noto Sans CJK SC (Bold):\n"
        + "".join(f"  {c}, with Reserved Font Name 'Source'.\n" for c in copyrights)
        + "Subset and renamed to 'Minutes Serif SC' / 'Minutes Sans SC' by the Minutes Reader developers\n"
        "(packaging/make_fonts.py). They are licensed under the SIL Open Font License, Version 1.1:\n\n"
    )
    return header + body.split("\nLicense: ")[0].strip() + "\n"


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    copyrights = []
    for face in FACES:
        path = build(*face)
        copyrights.append(TTFont(io.BytesIO(lzma.decompress(path.read_bytes())))["name"].getDebugName(0).rstrip("."))
        print(f"{path.name}: {path.stat().st_size / 1e6:.1f} MB")
    (OUT / "OFL.txt").write_text(licence(copyrights), "utf-8")


if __name__ == "__main__":
    main()
