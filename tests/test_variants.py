"""Metamorphic tests: a seed in another encoding, layout or dress parses to the same result."""

from __future__ import annotations

import pytest

from minutes import parse_text
from minutes.decode import decode_bytes
from tests import variants
from tests.conftest import seed_text

# What a saved web page adds about itself (its publication line), not about the meeting.
PAGE_KEYS = ("published_date", "source_office")


def meeting(data: dict) -> dict:
    return {k: v for k, v in data.items() if k not in PAGE_KEYS}


ENCODINGS = ["gbk", "gb18030", "utf-16", "utf-16-le", "utf-16-be", "utf-8-sig"]


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_encodings(seed_key: str, encoding: str) -> None:
    text = seed_text(seed_key)
    decoded = decode_bytes(text.encode(encoding))
    assert decoded.text.lstrip("\ufeff") == text
    assert parse_text(decoded.text).to_dict() == parse_text(text).to_dict()


@pytest.mark.parametrize(
    "transform",
    [
        variants.crlf,
        variants.strip_markdown,
        variants.add_markdown,
        variants.half_width_brackets,
        variants.web_page,
    ],
    ids=lambda f: f.__name__,
)
def test_layout_variants(seed_key: str, transform) -> None:
    text = seed_text(seed_key)
    assert meeting(parse_text(transform(text)).to_dict()) == meeting(parse_text(text).to_dict())


@pytest.mark.parametrize("seed", range(8))
def test_rewrapped(seed_key: str, seed: int) -> None:
    text = seed_text(seed_key)
    assert parse_text(variants.rewrap(text, seed)).to_dict() == parse_text(text).to_dict()


def test_everything_at_once(seed_key: str) -> None:
    """GBK + CRLF + a web page's furniture + re-wrapped + half-width brackets + no Markdown."""
    text = seed_text(seed_key)
    dressed = variants.crlf(
        variants.web_page(variants.rewrap(variants.half_width_brackets(variants.strip_markdown(text)), 99))
    )
    data = dressed.encode("gb18030")
    dressed_result = parse_text(decode_bytes(data).text).to_dict()
    assert meeting(dressed_result) == meeting(parse_text(text).to_dict())
    # The page's publication line is kept as metadata.
    assert (dressed_result["published_date"], dressed_result["source_office"]) == ("2020-09-03", "苏州市人民政府办公室")
