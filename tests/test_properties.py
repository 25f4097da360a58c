"""Property tests: the parser never raises and never loses a character."""

from __future__ import annotations

import unicodedata
from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from minutes import parse_text
from minutes.clean import normalize_chars
from minutes.decode import decode_lenient
from tests.conftest import SEED_NAMES, seed_text

SEEDS = [seed_text(key) for key in sorted(SEED_NAMES)]
# Characters the minutes are made of, so random text hits the parser's markers often.
ALPHABET = "一二三四五六七八九十（）()、：:，。；市局委办区号〔〕[]年月日第次出席列席记录分送整理印发此件公开发布 \n\r\t#*-—0123456789李王张会上由同意关于汇报牵头《》"


def account(text: str) -> None:
    """Every non-blank character of the input is in exactly one segment of the result."""
    minutes = parse_text(text)
    expected = Counter(ch for ch in unicodedata.normalize("NFC", normalize_chars(text)) if not ch.isspace())
    found = Counter(ch for seg in minutes.segments for ch in seg.text if not ch.isspace())
    assert found == expected
    unplaced = [seg.text for seg in minutes.segments if seg.role == "unplaced"]
    if unplaced:
        assert minutes.unplaced and any(w.startswith("未能归类的文本") for w in minutes.warnings)


settings.register_profile("default", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("default")


@given(st.text())
def test_any_text(text: str) -> None:
    account(text)


@given(st.text(alphabet=ALPHABET, max_size=400))
def test_marker_soup(text: str) -> None:
    account(text)


@given(st.binary(max_size=2000))
def test_binary_garbage_decoded_leniently(data: bytes) -> None:
    account(decode_lenient(data).text)


@given(
    st.sampled_from(SEEDS),
    st.lists(st.tuples(st.integers(0, 20000), st.integers(0, 400)), max_size=6),
    st.lists(st.integers(0, 20000), max_size=10),
)
def test_seed_with_random_cuts(seed: str, cuts: list[tuple[int, int]], breaks: list[int]) -> None:
    text = seed
    for start, length in cuts:
        start %= max(len(text), 1)
        text = text[:start] + text[start + length :]
    for pos in breaks:
        pos %= max(len(text), 1)
        text = text[:pos] + "\n" + text[pos:]
    account(text)


def test_seeds_account_for_every_character() -> None:
    for seed in SEEDS:
        account(seed)
