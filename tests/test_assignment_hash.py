"""An assignment's identity: the normalised text it is hashed from is, on every character of the
BMP, what the definition says (spaces and punctuation dropped, full-width forms folded), so ids
do not change with how the normalising is done."""

from __future__ import annotations

import random
import unicodedata

from minutes import assignment_hash
from minutes.assignment_hash import normalise, task_id, text_hash


def by_definition(text: str) -> str:
    """The definition, one character at a time, for characters of the BMP (what the ids of existing
    ledgers were made with; the old table, and normalise, keep punctuation beyond the BMP)."""
    out = []
    for ch in text:
        if ch.isspace() or unicodedata.category(ch).startswith("P"):
            continue
        out.append(chr(ord(ch) - 0xFEE0) if 0xFF10 <= ord(ch) <= 0xFF5E else ch)
    return "".join(out)


def test_every_bmp_character_is_normalised_as_defined() -> None:
    every = "".join(map(chr, range(0x10000)))
    assert normalise(every) == by_definition(every)


def test_the_blocks_skipped_when_listing_the_marks_hold_none() -> None:
    for first, last in assignment_hash._NO_MARKS:
        chars = "".join(map(chr, range(first, last + 1)))
        assert by_definition(chars) == chars


def test_mixed_texts_are_normalised_as_defined() -> None:
    rng = random.Random(14)
    pools = [(0x20, 0x80), (0x3000, 0x3040), (0xFF00, 0xFF70), (0x4E00, 0x4E80), (0, 0x10000), (0x10000, 0x10100)]
    for _ in range(5000):
        text = "".join(chr(rng.randrange(*rng.choice(pools))) for _ in range(rng.randrange(16)))
        assert normalise(text) == by_definition(text), repr(text)


def test_ids_are_those_of_existing_ledgers() -> None:
    # Made with the first version's str.translate table: a ledger's recorded ids must still match.
    assert text_hash("由市住建局， 会同市司法局（草案）.") == text_hash("由市住建局会同市司法局草案")
    assert text_hash("２０２０年７月１日ＡＢ") == "1fdb882cf4e9f535"
    assert task_id("〔2020〕17号#99", 2, 1, "1fdb882cf4e9f535") == "7dd7008b3f"
