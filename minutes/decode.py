"""Bytes to text: the encodings office PCs and web pages actually produce.

Order matters. A BOM is authoritative; strict UTF-8 almost never decodes text that is really
GBK, so it goes first; GB18030 is a superset of GBK and GB2312; UTF-16 without a BOM is
recognised by its NUL bytes. charset-normalizer is the last resort for anything else.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass


class DecodeError(ValueError):
    """The bytes are not a text document in any encoding we can recognise."""


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str


_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


# Control characters, replacement characters and private-use or non-characters: what binary
# data turns into when decoded as text.
_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f\ufffd\ue000-\uf8ff\ufdd0-\ufdef\ufffe\uffff]")


def _looks_like_text(text: str) -> bool:
    return len(_NOT_TEXT.findall(text)) <= max(2, len(text) // 50)


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    if len(data) < 4 or len(data) % 2:
        return None
    even_nuls = data[0::2].count(0)
    odd_nuls = data[1::2].count(0)
    half = len(data) // 2
    # Chinese UTF-16 has few NULs; ASCII-heavy UTF-16 has them in one column only.
    # NULs fall in one column only: the high bytes of ASCII characters (newlines, digits).
    if odd_nuls > half * 0.02 and even_nuls == 0:
        encoding = "utf-16-le"
    elif even_nuls > half * 0.02 and odd_nuls == 0:
        encoding = "utf-16-be"
    else:
        return None
    try:
        return data.decode(encoding), encoding
    except UnicodeDecodeError:
        return None


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def decode_bytes(data: bytes) -> Decoded:
    """Decode a minutes file. Raises DecodeError for data that is not text."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                break
            if _looks_like_text(text):
                return Decoded(text, encoding)
            raise DecodeError("不是文本文件（含有大量控制字符）")
    text = _strict(data, "utf-8")
    if text is not None:
        if _looks_like_text(text):
            return Decoded(text, "utf-8")
        raise DecodeError("不是文本文件（含有大量控制字符）")
    utf16 = _utf16_without_bom(data)
    if utf16 is not None and _looks_like_text(utf16[0]):
        return Decoded(*utf16)
    if b"\x00" not in data:
        text = _strict(data, "gb18030")
        if text is not None and _looks_like_text(text):
            return Decoded(text, "gb18030")
    from charset_normalizer import from_bytes  # last resort, and slow to import

    best = from_bytes(data).best()
    if best is not None:
        text = str(best)
        if _looks_like_text(text):
            return Decoded(text, codecs.lookup(best.encoding).name)
    raise DecodeError("无法识别文件编码，或不是文本文件")


def decode_lenient(data: bytes) -> Decoded:
    """Like decode_bytes, but never fails: undecodable bytes become U+FFFD."""
    try:
        return decode_bytes(data)
    except DecodeError:
        return Decoded(data.decode("utf-8", errors="replace"), "utf-8 (lenient)")
