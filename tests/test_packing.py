"""A document's parse stored deflated against its source text (#15: the catalogue stores the
text once), and documents stored before that still read."""

from __future__ import annotations

import sqlite3
import zlib
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from minutes.library import Library
from minutes.packing import pack_data, pack_text, unpack_data, unpack_text
from tests.test_catalogue import copy_seeds


@given(st.text(), st.text())
def test_round_trip(data: str, source: str) -> None:
    assert unpack_text(pack_text(source)) == source
    assert unpack_data(pack_data(data, source), source) == data


def test_the_parse_costs_a_fraction_of_its_text(tmp_path: Path) -> None:
    folder = copy_seeds(tmp_path / "minutes")
    db = tmp_path / "catalogue.sqlite3"
    Library.open(db, [folder]).close()
    for data, source in sqlite3.connect(db).execute("SELECT data, source_text FROM documents"):
        alone = zlib.compress(unpack_data(data, unpack_text(source)).encode("utf-8"), 1)
        assert len(data) < len(alone) / 2


def test_documents_stored_before_still_read(tmp_path: Path) -> None:
    folder = copy_seeds(tmp_path / "minutes")
    db = tmp_path / "catalogue.sqlite3"
    with Library.open(db, [folder]) as library:
        before = {m.id: m.minutes for m in library.meetings}
    raw = sqlite3.connect(db)  # the parse as version 3 stored it: deflated on its own
    for key, data, source in raw.execute("SELECT doc_key, data, source_text FROM documents").fetchall():
        plain = zlib.compress(unpack_data(data, unpack_text(source)).encode("utf-8"), 1)
        raw.execute("UPDATE documents SET data = ? WHERE doc_key = ?", (plain, key))
    raw.commit()
    raw.close()
    with Library.from_file(db) as library:
        assert {m.id: m.minutes for m in library.meetings} == before


def test_texts_are_deflated_tighter_than_the_fastest_level() -> None:
    # The import deflates in its worker processes, off the writer: a few hundredths of a
    # millisecond more per document buys a smaller catalogue (#15).
    from tests.conftest import SEED_NAMES, seed_text

    for key in SEED_NAMES:
        text = seed_text(key)
        assert len(pack_text(text)) < len(zlib.compress(text.encode("utf-8"), 1))
