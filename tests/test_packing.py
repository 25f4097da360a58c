"""A document's parse stored deflated against its source text (#15: the catalogue stores the
text once), and documents stored before that still read."""

from __future__ import annotations

import sqlite3
import zlib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from minutes import assignment_store
from minutes.library import Library
from minutes.packing import (
    dictionary,
    pack_data,
    pack_text,
    packed_dictionary,
    text_dictionary,
    unpack_data,
    unpack_text,
)
from tests.test_catalogue import copy_seeds
from tests.test_search_index import _scan, found


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


def test_source_texts_stored_before_still_read(tmp_path: Path) -> None:
    # Texts stored before GB 18030 and the text dictionary: zlib of UTF-8. They read, the
    # parse and the tasks deflated against them unpack, and a file changed since is imported
    # again (its old rows taken out of the index by their text).
    folder = copy_seeds(tmp_path / "minutes")
    db = tmp_path / "catalogue.sqlite3"
    with Library.open(db, [folder]) as library:
        before = {m.id: library.catalogue.load(m.id) for m in library.meetings}
        tasks = assignment_store.stored(library.catalogue)
    assert sum(map(len, tasks.values())) > 10
    raw = sqlite3.connect(db)
    for key, packed in raw.execute("SELECT doc_key, source_text FROM documents").fetchall():
        assert packed[0] == 1  # the new format: what the rest of this test replaces
        old = zlib.compress(unpack_text(packed).encode("utf-8"), 4)
        raw.execute("UPDATE documents SET source_text = ? WHERE doc_key = ?", (old, key))
    raw.commit()
    raw.close()
    with Library.from_file(db) as library:
        assert {m.id: library.catalogue.load(m.id) for m in library.meetings} == before
        assert assignment_store.stored(library.catalogue) == tasks
    changed = sorted(folder.iterdir())[2]
    changed.write_text(changed.read_text("utf-8").replace("安全", "平安"), "utf-8")
    with Library.open(db, [folder]) as library:
        assert len(library.meetings) == len(before)
        for query in ["安全", "平安", "安全生产", "城市更新", "湖"]:
            assert found(library, query) == _scan(library, query), query


def test_text_dictionary_never_changes() -> None:
    # Texts stored with it need the very same bytes to be read: a new dictionary is a new file
    # and a new format byte (minutes.packing).
    assert zlib.adler32(text_dictionary()) == 2516876396


@pytest.mark.parametrize("text", ["", "会议议定以下意见：", "😀 \U00020000 \ue5e5 € ÿ", "a\r\nb\0c"])
def test_any_code_point_round_trips(text: str) -> None:
    packed = pack_text(text)
    assert packed[0] == 1
    assert unpack_text(packed) == text
    assert packed_dictionary(packed) == dictionary(text)


def test_source_texts_cost_a_fifth_less_than_as_utf8() -> None:
    # Real minutes, which the dictionary was not made from: 24.9% smaller together (#15).
    from tests.conftest import SEED_NAMES, seed_text

    texts = [seed_text(key) for key in SEED_NAMES]
    before = sum(len(zlib.compress(text.encode("utf-8"), 4)) for text in texts)
    assert sum(len(pack_text(text)) for text in texts) < 0.8 * before
