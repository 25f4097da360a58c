"""Text out of the formats minutes arrive in: plain text in any encoding, PDF with a text
layer, Word (.docx) and saved web pages (.html/.htm).

Each importer returns the text and a short description of what it read; a file it cannot
read raises ReadError with a reason for the user. Nothing here guesses: a scanned PDF with no
text layer is reported as such, not run through OCR.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from minutes.decode import DecodeError, decode_bytes
from minutes.formats import ReadError

# zipfile, xml.etree and html.parser are imported where used, by the format that needs them.


@dataclass(frozen=True)
class Extracted:
    text: str
    description: str  # "utf-8", "gb18030", "PDF，12 页", "Word 文档", "网页（utf-8）"


def extract(suffix: str, data: bytes) -> Extracted:
    suffix = suffix.lower()
    if suffix == ".pdf":
        return _pdf(data)
    if suffix == ".docx":
        return _docx(data)
    if suffix in (".html", ".htm"):
        return _html(data)
    if suffix == ".doc":
        raise ReadError("不支持旧版 Word（.doc）格式，请在 Word 中另存为 .docx 后再添加")
    try:
        decoded = decode_bytes(data)
    except DecodeError as exc:
        raise ReadError(str(exc)) from None
    return Extracted(decoded.text, decoded.encoding)


# -- PDF ---------------------------------------------------------------------------------
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _pdf(data: bytes) -> Extracted:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and reader.decrypt("") == 0:
            raise ReadError("PDF 已加密，无法读取")
        pages = [page.extract_text() or "" for page in reader.pages]
    except ReadError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError):
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

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            xml = archive.read("word/document.xml")
        root = ElementTree.fromstring(xml)
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError):
        raise ReadError("不是有效的 Word（.docx）文档（可能已损坏）") from None
    body = root.find(f"{_W}body")
    lines: list[str] = []
    for paragraph in (body if body is not None else root).iter(f"{_W}p"):
        parts: list[str] = []
        for node in paragraph.iter():
            if node.tag == f"{_W}t" and node.text:
                parts.append(node.text)
            elif node.tag == f"{_W}tab":
                parts.append("\t")
            elif node.tag in (f"{_W}br", f"{_W}cr"):
                parts.append("\n")
        lines.append("".join(parts))
    return Extracted("\n".join(lines), "Word 文档")


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


def _text_parser():
    from html.parser import HTMLParser

    class TextParser(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.parts: list[str] = []
            self._skip = 0

        def handle_starttag(self, tag: str, attrs) -> None:
            if tag in _SKIP:
                self._skip += 1
            elif tag in _BLOCK:
                self.parts.append("\n")

        def handle_startendtag(self, tag: str, attrs) -> None:
            if tag in _BLOCK:
                self.parts.append("\n")

        def handle_endtag(self, tag: str) -> None:
            if tag in _SKIP:
                self._skip = max(0, self._skip - 1)
            elif tag in _BLOCK:
                self.parts.append("\n")

        def handle_data(self, data: str) -> None:
            if not self._skip:
                self.parts.append(data.replace("\n", " "))

    return TextParser()


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
    parser = _text_parser()
    parser.feed(markup)
    parser.close()
    lines = [line.strip() for line in "".join(parser.parts).split("\n")]
    lines = [line for line in lines if line]
    # Keep the minutes, not the site around them: from the first line that opens a set of
    # minutes to the last line that closes one. A page without those marks is kept whole.
    start = next((i for i, line in enumerate(lines) if _START.search(line)), 0)
    end = max((i for i, line in enumerate(lines) if _END.search(line)), default=len(lines) - 1)
    if end < start:
        start, end = 0, len(lines) - 1
    return Extracted("\n".join(lines[start : end + 1]), f"网页（{encoding}）")
