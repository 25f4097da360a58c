"""Text out of the formats minutes arrive in: plain text in any encoding, PDF with a text
layer, Word (.docx) and saved web pages (.html/.htm).

Each importer returns the text and a short description of what it read; a file it cannot
read raises ReadError with a reason for the user. Nothing here guesses: a scanned PDF with no
text layer is reported as such, not run through OCR.
"""

from __future__ import annotations

import io
import logging
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import cast

from minutes.decode import DecodeError, decode_bytes
from minutes.formats import MAX_TEXT_CHARS, MAX_UNPACK_RATIO, MAX_UNPACKED_BYTES, REFUSED_SUFFIXES, ReadError

# zipfile, xml.etree and html are imported where used, by the format that needs them.


@dataclass(frozen=True)
class Extracted:
    text: str
    description: str  # "utf-8", "gb18030", "PDF，12 页", "Word 文档", "网页（utf-8）"


def extract(suffix: str, data: bytes) -> Extracted:
    suffix = suffix.lower()
    if suffix in REFUSED_SUFFIXES:
        raise ReadError(REFUSED_SUFFIXES[suffix])
    if suffix == ".pdf":
        extracted = _pdf(data)
    elif suffix == ".docx":
        extracted = _docx(data)
    elif suffix in (".html", ".htm"):
        extracted = _html(data)
    else:
        try:
            decoded = decode_bytes(data)
        except DecodeError as exc:
            raise ReadError(str(exc)) from None
        extracted = Extracted(decoded.text, decoded.encoding)
    if len(extracted.text) > MAX_TEXT_CHARS:
        raise ReadError(f"文字过多（{len(extracted.text) / 1e6:.0f} 百万字），不像是会议纪要")
    return extracted


# What marks a text as minutes at all: a file without any of these is listed, not imported as
# an empty "常务会议 · 日期不详".
_MINUTES_MARK = re.compile(r"会议|纪要|议定|议题|常务|研究|审议")
_HAN = re.compile(r"[\u4e00-\u9fff]")


def not_minutes(text: str) -> str | None:
    """Why text is plainly not a set of minutes, or None when it may be one."""
    body = text.replace("\ufeff", "").strip()
    if not body:
        return "文件没有文字内容"
    if not _HAN.search(body):
        return "没有中文文字，不是会议纪要"
    if not _MINUTES_MARK.search(body):
        return "没有“会议”“纪要”等字样，不像是会议纪要"
    return None


# -- PDF ---------------------------------------------------------------------------------
_CJK = re.compile(r"[\u4e00-\u9fff]")


# pypdf reports damage it works around ("EOF marker not found") through logging and warnings:
# for us the file reads or it has a reason, and neither belongs on the user's terminal.
logging.getLogger("pypdf").addHandler(logging.NullHandler())
logging.getLogger("pypdf").propagate = False


def _pdf(data: bytes) -> Extracted:
    # pypdf caps each stream it decompresses (75 MB, pypdf.filters); the text is capped here.
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError

    pages: list[str] = []
    size = 0
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted and reader.decrypt("") == 0:
                raise ReadError("PDF 已加密（需要密码），无法读取")
            for page in reader.pages:
                pages.append(page.extract_text() or "")
                size += len(pages[-1])
                if size > MAX_TEXT_CHARS:
                    raise ReadError("PDF 文字过多，不像是会议纪要")
    except ReadError:
        raise
    except (DependencyError, FileNotDecryptedError, NotImplementedError):
        raise ReadError("PDF 的加密方式不受支持，无法读取") from None
    except RecursionError:
        raise ReadError("PDF 结构嵌套过深，无法读取") from None
    except MemoryError:
        raise ReadError("PDF 过于复杂，内存不足，无法读取") from None
    except Exception:  # pypdf raises many kinds for damaged files; their names mean nothing to users
        raise ReadError("不是有效的 PDF 文件（可能已损坏）") from None
    text = "\n".join(pages)
    if len(_CJK.findall(text)) < 20:
        raise ReadError(f"PDF 没有文字层（可能是扫描件，共 {len(pages)} 页），无法读取文字")
    return Extracted(text, f"PDF，{len(pages)} 页")


# -- Word ----------------------------------------------------------------------------------
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _docx(data: bytes) -> Extracted:
    import zipfile
    from xml.etree import ElementTree

    if _zip_entries(data) > _MAX_ENTRIES:
        raise ReadError("Word 文档内含文件过多（可能是压缩炸弹），已拒绝读取")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            info = archive.getinfo("word/document.xml")
            if info.flag_bits & 0x1:
                raise ReadError("Word 文档已加密，无法读取")
            lines = _docx_lines(archive, info)
    except ReadError:
        raise
    except KeyError:
        raise ReadError("不是有效的 Word（.docx）文档（缺少正文 word/document.xml）") from None
    except NotImplementedError:
        raise ReadError("Word 文档的压缩方式不受支持，无法读取") from None
    except (zipfile.BadZipFile, ElementTree.ParseError, EOFError, OSError, ValueError):
        raise ReadError("不是有效的 Word（.docx）文档（可能已损坏）") from None
    return Extracted("\n".join(lines), "Word 文档")


_MAX_ENTRIES = 5000  # a Word file holds tens of parts, a few hundred with many images


def _zip_entries(data: bytes) -> int:
    """How many entries the archive's end record declares, read before zipfile builds an object
    for each (a hostile archive can declare millions). A Zip64 archive counts as too many."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if end < 0 or end + 12 > len(data):
        return 0  # zipfile will say the archive is broken
    total = int.from_bytes(data[end + 10 : end + 12], "little")
    return _MAX_ENTRIES + 1 if total == 0xFFFF else total


def _docx_lines(archive, info) -> list[str]:
    """The paragraphs of word/document.xml, in one streaming pass: time linear in the XML
    (nested paragraphs are not walked again per level) and the unpacked size capped while
    reading, whatever the archive declares."""
    from xml.etree import ElementTree

    parser = ElementTree.XMLPullParser(events=("start", "end"))
    lines: list[str] = []
    parts: list[str] = []
    depth = 0  # open paragraphs
    unpacked = 0
    with archive.open(info) as stream:
        while chunk := stream.read(1 << 16):
            unpacked += len(chunk)
            if unpacked > MAX_UNPACKED_BYTES or (
                unpacked > 8 * 1024 * 1024 and unpacked > MAX_UNPACK_RATIO * max(1, info.compress_size)
            ):
                raise ReadError("Word 文档解压后过大（可能是压缩炸弹），已拒绝读取")
            parser.feed(chunk)
            # With only start/end events asked for, every event carries an Element.
            events = cast("Iterator[tuple[str, ElementTree.Element]]", parser.read_events())
            for event, node in events:
                tag = node.tag
                if event == "start":
                    if tag == f"{_W}p":
                        depth += 1
                    elif depth and tag == f"{_W}tab":
                        parts.append("\t")
                    elif depth and tag in (f"{_W}br", f"{_W}cr"):
                        parts.append("\n")
                elif tag == f"{_W}t":
                    if depth and node.text:
                        parts.append(node.text)
                    node.clear()
                elif tag == f"{_W}p":
                    depth -= 1
                    lines.append("".join(parts))
                    parts.clear()
                    node.clear()
    parser.close()
    return lines


# -- web pages ---------------------------------------------------------------------------
_BLOCK = {
    "p", "div", "br", "li", "ul", "ol", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6",
    "section", "article", "header", "footer", "nav", "blockquote", "pre", "hr", "dd", "dt", "td", "th",
}  # fmt: skip
_SKIP = {"script", "style", "noscript", "template", "head", "svg", "iframe", "select", "button"}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)
# Where the minutes begin and end inside a page full of site furniture.
_START = re.compile(r"常务会议纪要|^\s*[〔\[［【(（]\s*\d{4}\s*[〕\]］】)）]\s*\d+\s*号|主持召开")
_END = re.compile(r"印发\s*$|此件公开发布|^\s*分送[：:]")


# One token at a time. `[^<>]*` stops at the next "<", so each character is scanned by at most
# one attempt: linear in the page, whatever it holds (html.parser is quadratic on a page of
# unclosed "<a " tags: minutes for a few megabytes).
_TOKEN = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)[^<>]*>|<!--|<![^<>]*>|<\?[^<>]*>")


def _markup_text(markup: str) -> str:
    """The text of a page: tags dropped, block tags as line breaks, script, style and the like
    skipped, entities decoded."""
    from html import unescape

    lower = markup.lower()
    out: list[str] = []
    pos, end = 0, len(markup)
    while pos < end:
        match = _TOKEN.search(markup, pos)
        if match is None:
            out.append(unescape(markup[pos:]).replace("\n", " "))
            break
        if match.start() > pos:
            out.append(unescape(markup[pos : match.start()]).replace("\n", " "))
        pos = match.end()
        if match.group(0) == "<!--":
            close = markup.find("-->", pos)
            pos = end if close < 0 else close + 3
            continue
        name = (match.group(2) or "").lower()
        if name in _SKIP and not match.group(1) and not match.group(0).endswith("/>"):
            close = lower.find("</" + name, pos)
            gt = markup.find(">", close) if close >= 0 else -1
            pos = end if gt < 0 else gt + 1
        elif name in _BLOCK:
            out.append("\n")
    return "".join(out)


def _html_text(data: bytes) -> tuple[str, str]:
    declared = _META_CHARSET.search(data[:4096])
    if declared:
        name = declared.group(1).decode("ascii").lower()
        name = "gb18030" if name in ("gb2312", "gbk", "gb18030") else name
        try:
            return data.decode(name), name
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        decoded = decode_bytes(data)
    except DecodeError as exc:
        raise ReadError(str(exc)) from None
    return decoded.text, decoded.encoding


def _html(data: bytes) -> Extracted:
    markup, encoding = _html_text(data)
    lines = [line.strip() for line in _markup_text(markup).split("\n")]
    lines = [line for line in lines if line]
    # Keep the minutes, not the site around them: from the first line that opens a set of
    # minutes to the last line that closes one. A page without those marks is kept whole.
    start = next((i for i, line in enumerate(lines) if _START.search(line)), 0)
    end = max((i for i, line in enumerate(lines) if _END.search(line)), default=len(lines) - 1)
    if end < start:
        start, end = 0, len(lines) - 1
    return Extracted("\n".join(lines[start : end + 1]), f"网页（{encoding}）")
