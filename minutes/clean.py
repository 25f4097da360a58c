"""Layout noise to logical lines.

Minutes arrive as PDF extractions, Markdown conversions and copies of web pages. This module
removes what is certainly layout (Markdown marks, page numbers, a web site's navigation) and
records each removed piece as Noise, so that every character of the input is still accounted
for. Everything else is kept as a Line with its number in the source, for the parser.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import NamedTuple


class Line(NamedTuple):
    """A named tuple rather than a frozen dataclass: one is made for every line of every
    document, and a tuple is made several times faster."""

    no: int  # 1-based line number in the decoded source
    text: str  # stripped, never empty; what the parser reads (simplified script)
    source: str = ""  # the same line in the source's own script, where that differs


@dataclass(frozen=True)
class Noise:
    no: int
    text: str  # as the source wrote it
    reason: str
    read_as: str = ""  # web-page furniture as the parser reads it (simplified), for its metadata


@dataclass(frozen=True)
class Cleaned:
    lines: tuple[Line, ...]
    noise: tuple[Noise, ...]


# Spaces that PDF and web extraction produce, folded to an ASCII space; invisible characters
# dropped. Regexes, not str.translate with a dict, which is slow per character.
_SPACES = re.compile("[\u3000\u00a0\u2002\u2003\u2009\u200a\u202f\t\f\v]")
_INVISIBLE = re.compile("[\ufeff\u200b\u200c\u200d\u2060\x00]")
# Either kind, so that a text with none (most) is passed with one scan instead of two.
_SPACE_OR_INVISIBLE = re.compile("[\u3000\u00a0\u2002\u2003\u2009\u200a\u202f\t\f\v\ufeff\u200b\u200c\u200d\u2060\x00]")

_HRULE = re.compile(r"^\s*(?:[-*_=]\s*){3,}$")
_HEADING = re.compile(r"^(\s*)(#{1,6})(\s+|$)")
# Bold marks, and the halves of one that a hard wrap cut apart (…》* / *).
_BOLD = re.compile(r"\*\*|__|^\*(?=\S)|(?<=\S)\*$|^\*$")
_PAGE_NUMBER = re.compile(
    r"^\s*(?:[—–―－\-~～]+\s*\d{1,4}\s*[—–―－\-~～]+|第\s*\d{1,4}\s*页(?:\s*[，,/]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*/\s*\d{1,4})\s*$"
)
# A web site's furniture around the text: breadcrumbs, article meta lines, share and print
# links, footers. Each pattern is specific enough never to match a sentence of minutes.
_WEB_PREFIX = re.compile(
    r"""^(?:
        (?:当前位置|您现在的位置|您的位置|所在位置)\s*[:：]
      | 首页\s*[>＞›»/]
      | (?:发布时间|发布日期|信息来源|来源|作者|责任编辑)\s*[:：]
      | (?:时间|日期)\s*[:：]\s*\d{4}\s*[-/.]\s*\d
      | [【\[]?\s*字[体号]\s*[:：]
      | (?:打印本页|关闭窗口|打印|关闭|返回顶部|分享到|扫一扫|上一篇|下一篇|相关链接|相关文章)(?:\s|[:：]|$)
    )""",
    re.VERBOSE,
)
# Furniture recognised anywhere in the line. Searched once, rather than as `.*` alternatives
# that re-scan every line of the minutes with backtracking; every branch starts with a literal
# character, so the regex engine skips ahead to those instead of trying each branch at every
# position (only whether it matches is used, so the branches' order does not matter).
_WEB_ANYWHERE = re.compile(
    r"""
        时间\s*[:：].*来源\s*[:：]
      | 日期\s*[:：].*来源\s*[:：]
      | 访问量\s*[:：] | 浏览次数\s*[:：] | 阅读次数\s*[:：] | 点击数\s*[:：] | 浏览量\s*[:：]
      | 【\s*(?:打印|关闭|收藏|打印本页|关闭窗口)\s*[】\]]
      | \[\s*(?:打印|关闭|收藏|打印本页|关闭窗口)\s*[】\]]
      | 版权所有|网站标识码|ICP备|公网安备|网站地图|不良信息举报|网站找错
      | 主办单位\s*[:：] | 承办单位\s*[:：] | 技术支持\s*[:：]
    """,
    re.VERBOSE,
)


# First characters a line must start with for the anchored patterns above to match it: a
# line starting with anything else (nearly every line of minutes) skips their regex calls.
_HRULE_FIRST = frozenset("-*_=")
_PAGE_NUMBER_FIRST = frozenset("—–―－-~～第")
_WEB_PREFIX_FIRST = frozenset("当您所首发信来作责时日【[字打关返分扫上下相")
_NOISE_FIRST = _HRULE_FIRST | _PAGE_NUMBER_FIRST | _WEB_PREFIX_FIRST | {"#"}


def _is_web_furniture(line: str) -> bool:
    return bool(_WEB_PREFIX.match(line) or _WEB_ANYWHERE.search(line))


def normalize_chars(text: str) -> str:
    """Fold exotic spaces and drop invisible characters; keep every visible character."""
    if _SPACE_OR_INVISIBLE.search(text) is None:
        return text
    return _SPACES.sub(" ", _INVISIBLE.sub("", text))


def _normalized(text: str) -> str:
    """The text with characters normalized and every line break a \\n."""
    # NFC once for the whole text: a line break is a starter that composes with nothing, so
    # this equals normalizing line by line, at one call instead of one a line.
    text = unicodedata.normalize("NFC", normalize_chars(text))
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def clean_text(text: str, source: str | None = None) -> Cleaned:
    """Lines and noise of text. With source (the same text in its own script, character for
    character), decisions are taken on text and each Line also carries the source's characters;
    noise is recorded as the source wrote it."""
    text = _normalized(text)
    raws = text.split("\n")
    # Furniture found anywhere in a line is searched for in the whole text once: where the
    # text has none (most documents), no line can have any.
    web_anywhere = _WEB_ANYWHERE.search(text) is not None
    originals = None
    if source is not None:
        originals = _normalized(source).split("\n")
        if len(originals) != len(raws):
            originals = None
    lines: list[Line] = []
    noise: list[Noise] = []
    plain = originals is None and not web_anywhere
    for no, raw in enumerate(raws, 1):
        stripped = raw.strip()
        if not stripped:
            continue
        first = stripped[0]
        # Most lines start with no character any noise pattern starts with and carry no bold
        # mark: they are kept as they are, without the tests below.
        if (
            plain
            and first not in _NOISE_FIRST
            and not first.isdecimal()
            and "*" not in stripped
            and "_" not in stripped
        ):
            lines.append(Line(no, stripped))
            continue
        # The source's line, cut the same way as the line read (the cuts are all at ASCII
        # marks and spaces, which conversion leaves in place); None when there is no source.
        original = None
        if originals is not None:
            original = originals[no - 1].strip()
            if len(original) != len(stripped):
                original = None
        if first in _HRULE_FIRST and _HRULE.match(raw):
            noise.append(Noise(no, stripped, "markdown"))
            continue
        if (first in _PAGE_NUMBER_FIRST or first.isdecimal()) and _PAGE_NUMBER.match(raw):
            noise.append(Noise(no, stripped, "page-number"))
            continue
        if (first in _WEB_PREFIX_FIRST and _WEB_PREFIX.match(stripped)) or (
            web_anywhere and _WEB_ANYWHERE.search(stripped)
        ):
            if original is None:
                noise.append(Noise(no, stripped, "web-page"))
            else:
                noise.append(Noise(no, original, "web-page", stripped))
            continue
        line = stripped
        heading = _HEADING.match(line) if first == "#" else None
        if heading:
            noise.append(Noise(no, heading.group(2), "markdown"))
            line = line[heading.end() :]
            if original is not None:
                original = original[heading.end() :]
        marks = _BOLD.findall(line) if "*" in line or "_" in line else None
        if marks:
            noise.append(Noise(no, "".join(marks), "markdown"))
            line = _BOLD.sub("", line)
            if original is not None:
                original = _BOLD.sub("", original)
        line = line.strip()
        if line:
            if original is not None:
                original = original.strip()
            lines.append(Line(no, line, original if original is not None and original != line else ""))
    return Cleaned(tuple(lines), tuple(noise))


_CJK = r"\u2e80-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_FULLWIDTH_PUNCT = r"\u3000-\u303f\uff00-\uffef\u2014-\u201f\u2026\u00b7"
# A run of spaces followed by, or else preceded by, a Chinese character. Written with the
# leading \s outside the alternation (\s+(?=X)|(?<=X)\s+ in one) so that the regex engine
# skips to the spaces instead of trying both branches at every character.
_SPACE_NEAR_CJK = re.compile(rf"\s(?:\s*(?=[{_CJK}{_FULLWIDTH_PUNCT}])|(?<=[{_CJK}{_FULLWIDTH_PUNCT}]\s)\s*)")
_SPACE_RUN = re.compile(r"\s{2,}")


def prose(parts: list[str] | tuple[str, ...]) -> str:
    """Join wrapped lines of Chinese prose into one string.

    Line breaks carry no meaning in these sources (PDF extraction breaks mid-word), and
    spaces next to a Chinese character are typesetting, not text ("第 101 次" is 第101次).
    Spaces between two Latin words or numbers are kept.
    """
    return prose_line("".join([part.strip() for part in parts]))


def prose_line(text: str) -> str:
    """prose([text]) for one stripped line, without building a list: asked for every line."""
    if " " not in text:
        return text
    text = text.strip()
    if " " not in text:
        return text
    return _SPACE_RUN.sub(" ", _SPACE_NEAR_CJK.sub("", text)).strip()
