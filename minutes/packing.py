"""How the catalogue stores a document's texts: deflated, and its parse (JSON) deflated against
its source text.

The parse repeats the source: every item's title and resolutions, the header, the attendees.
Deflated with the source text as preset dictionary it costs about a third of what it did on its
own. A blob written before (no dictionary; zlib marks a stream that has one) reads as before.

The source text is deflated as GB 18030 (two bytes a Chinese character where UTF-8 takes three;
every code point round-trips) against a preset dictionary of what any minutes share: the
departments' names, the genre's fixed phrases and common policy terms (data/text_dictionary_1.txt,
written without the seeds). Measured at level 4 against UTF-8 at level 4: 24.5% smaller on 1,924
generated minutes, 24.9% on the five seeds, 21.8% on their variant shapes (CRLF, a web page, one
paragraph, traditional script; GB 18030 alone: 14-16%), and a third less deflating time. Such a
blob starts with a format byte no zlib stream starts with; a text stored before (zlib of UTF-8)
reads as before.
"""

from __future__ import annotations

import re
import zlib
from functools import cache
from importlib.resources import files

_WINDOW = 32768  # the most of a dictionary deflate can refer back to: its end is kept
_FDICT = 0x20  # zlib header flag: a preset dictionary was used
# A zlib stream's first byte has 8 (deflate) in its low four bits: these never start one. The
# dictionary is part of the format: text_dictionary_1.txt must never change (its zlib checksum is
# pinned by a test); another dictionary would be a new file and a new format byte.
_GB_TEXT = 0x01  # GB 18030, deflated against text_dictionary_1.txt


# Deflate levels, measured on 200 generated minutes (12 KB of text, a 15 KB parse): the text at
# level 4 is 5% smaller than at 1 for 0.08 ms more; the parse, deflated against the text, 19%
# smaller at level 3 than at 1 for 0.02 ms more. Both are deflated in the import's workers.
_TEXT_LEVEL = 4
_DATA_LEVEL = 3


@cache
def text_dictionary() -> bytes:
    """The preset dictionary source texts are deflated against (GB 18030)."""
    return files("minutes").joinpath("data/text_dictionary_1.txt").read_text("utf-8").encode("gb18030")


# Characters whose GB 18030 bytes differ between the standard's editions (2005 moved some from
# the Private Use Area to CJK Extension B, 2022 vertical forms and a few ideographs out of it):
# a text holding one is stored as UTF-8, so what is stored never depends on which edition a
# future Python's codec follows.
_GB_EDITION_DEPENDENT = re.compile(
    "[\ue000-\uf8ff\ufe10-\ufe19\u9fb4-\u9fbb\u1e3f\U00020087\U00020089\U000200cc\U000215d7\U0002298f\U000241fe]"
)


def pack_text(text: str) -> bytes:
    if _GB_EDITION_DEPENDENT.search(text) is None:
        try:
            raw = text.encode("gb18030")
        except UnicodeEncodeError:
            pass  # a lone surrogate (no decoded file holds one): below, as UTF-8
        else:
            packer = zlib.compressobj(_TEXT_LEVEL, zdict=text_dictionary())
            return bytes((_GB_TEXT,)) + packer.compress(raw) + packer.flush()
    return zlib.compress(text.encode("utf-8", "surrogatepass"), _TEXT_LEVEL)


def _inflated(blob: bytes | memoryview, zdict: bytes) -> bytes:
    """The whole stream, or zlib.error: a cut or spoiled blob must not read as a shorter text."""
    unpacker = zlib.decompressobj(zdict=zdict)
    raw = unpacker.decompress(blob) + unpacker.flush()
    if not unpacker.eof or unpacker.unused_data:
        raise zlib.error("incomplete or damaged compressed data")
    return raw


def unpack_text(blob: bytes) -> str:
    if blob[:1] == bytes((_GB_TEXT,)):
        return _inflated(memoryview(blob)[1:], text_dictionary()).decode("gb18030")
    return zlib.decompress(blob).decode("utf-8", "surrogatepass")


def dictionary(source: str) -> bytes:
    """The preset dictionary of what is deflated against a document's source text (pack_data;
    minutes.assignment_store)."""
    return source.encode("utf-8", "surrogatepass")[-_WINDOW:]


def packed_dictionary(blob: bytes) -> bytes:
    """dictionary() of the source text pack_text packed as blob (without decoding a text stored
    as UTF-8)."""
    if blob[:1] == bytes((_GB_TEXT,)):
        return dictionary(unpack_text(blob))
    return zlib.decompress(blob)[-_WINDOW:]


def has_dictionary(blob: bytes) -> bool:
    """Whether blob was deflated with a preset dictionary (unpacking it then needs the text)."""
    return len(blob) > 1 and bool(blob[1] & _FDICT)


def pack_data(data: str, source: str) -> bytes:
    """The parse's JSON, deflated with the source text as dictionary."""
    packer = zlib.compressobj(_DATA_LEVEL, zdict=dictionary(source))
    return packer.compress(data.encode("utf-8")) + packer.flush()


def unpack_data(blob: bytes, source: str) -> str:
    """The parse's JSON; source: the document's source text (unpack_text of its stored text)."""
    if has_dictionary(blob):
        return _inflated(blob, dictionary(source)).decode("utf-8")
    return unpack_text(blob)
