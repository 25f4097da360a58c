"""How the import writes the short-word postings (#15): the gaps of a row found in one big-integer
subtraction and a block's raw rows compacted from their bytes give exactly the rows a gap per id
computed in Python gave, and ids out of order are refused, never stored as wrong gaps."""

from __future__ import annotations

import sqlite3
import zlib
from array import array

import pytest
from hypothesis import given
from hypothesis import strategies as st

from minutes import search_index
from minutes.search_index import BLOCK_BITS, _rows, compact, pack, pack_ids, unpack


def reference_pack(ids: list[int], base: int) -> bytes:
    """pack as it was written first: each gap computed in Python."""
    gaps = [b - a for a, b in zip([base, *ids], ids, strict=False)]
    if max(gaps) < 256:
        code, raw = "B", bytes(gaps)
    else:
        code, raw = "H", b"".join(gap.to_bytes(2, "little") for gap in gaps)
    if len(raw) > 96:
        packer = zlib.compressobj(6, zlib.DEFLATED, 12, 2)
        deflated = packer.compress(raw) + packer.flush()
        if len(deflated) < len(raw):
            return code.lower().encode() + deflated
    return code.encode() + raw


block_ids = st.tuples(
    st.integers(0, 300), st.sets(st.integers(0, (1 << BLOCK_BITS) - 1), min_size=1, max_size=1 << BLOCK_BITS)
).map(lambda drawn: (drawn[0], sorted((drawn[0] << BLOCK_BITS) + o for o in drawn[1])))


@given(block_ids)
def test_pack_gives_the_rows_a_gap_per_id_gave(drawn: tuple[int, list[int]]) -> None:
    block, ids = drawn
    base = block << BLOCK_BITS
    expected = reference_pack(ids, base)
    assert pack(ids, base) == expected
    assert pack(array("I" if array("I").itemsize == 4 else "L", ids), base) == expected


def test_pack_spreads_dense_and_sparse_rows_over_both_widths() -> None:
    base = 5 << BLOCK_BITS
    assert pack([base + 3, base + 4, base + 200], base)[:1] == b"B"
    assert pack([base + 3, base + 4000], base)[:1] == b"H"
    assert pack(list(range(base, base + 4096, 7)), base)[:1] == b"b"  # deflated
    assert pack([*range(base, base + 4096, 300), base + 4095], base)[:1] in (b"H", b"h")


@pytest.mark.parametrize("ids", [[10, 9], [10, 12, 11], [3, 3 + (1 << 20)]])
def test_pack_refuses_ids_out_of_order_or_of_two_blocks(ids: list[int]) -> None:
    # A subtraction that borrows shows as a gap wider than 16 bits: refused, as a gap per id
    # (negative or wide) was, and never written as other ids.
    with pytest.raises((OverflowError, ValueError)):
        pack(ids, 0)


def test_pack_refuses_what_would_wrap_near_the_top_of_the_ids_and_an_empty_row() -> None:
    # Near 2**32 a borrow can leave fields that look like small gaps: their sum gives it away.
    top = ((1 << 20) - 1) << BLOCK_BITS
    for ids, base in (([top + 10, 5, 10], top), ([top + 10, top + 5, top + 20], top), ([], 0)):
        with pytest.raises(OverflowError):
            pack(ids, base)


def test_a_batch_across_a_blocks_end_is_written_in_key_order() -> None:
    last = (1 << BLOCK_BITS) - 1  # the first block's last id, then the second's first
    rows, _commonest = _rows({last: {1, 2}, last + 1: {1, 2}})
    assert [row[:2] for row in rows] == [(0, 1), (0, 2), (1, 1), (1, 2)]


def postings_db() -> sqlite3.Connection:
    db = sqlite3.connect(":memory:")
    db.executescript(search_index._TABLE)
    return db


def rows_of(db: sqlite3.Connection) -> list[tuple[int, int, int, bytes]]:
    return db.execute("SELECT block, token, first, ids FROM search_postings ORDER BY block, token, first").fetchall()


@given(st.lists(st.sets(st.integers(0, 40), max_size=12), min_size=1, max_size=30), st.integers(1, 6))
def test_compacting_the_rows_an_import_wrote_gives_one_packed_row_a_token(items: list[set[int]], batches: int) -> None:
    # Items added over several transactions, each writing its raw rows (in token order), then
    # the block compacted: one row per token, the ids of every transaction packed together.
    db = postings_db()
    block = 2
    ids = [(block << BLOCK_BITS) + 5 * n for n in range(len(items))]
    for start in range(0, len(items), batches):
        rows, _commonest = _rows(dict(list(zip(ids, items, strict=True))[start : start + batches]))
        assert [row[:3] for row in rows] == sorted(row[:3] for row in rows)  # appended in key order
        db.executemany("INSERT INTO search_postings VALUES (?, ?, ?, ?)", rows)
    compact(db, block)
    held: dict[int, list[int]] = {}
    for i, tokens in zip(ids, items, strict=True):
        for number in tokens:
            held.setdefault(number, []).append(i)
    expected = [(block, n, held[n][0], reference_pack(held[n], block << BLOCK_BITS)) for n in sorted(held)]
    assert rows_of(db) == expected


def test_compacting_rows_whose_ids_interleave_sorts_them() -> None:
    # An id given again after a removal can fall between an earlier row's ids: not joined as
    # they lie, but decoded and sorted.
    db = postings_db()
    base = 3 << BLOCK_BITS
    for first, ids in ((base + 1, [base + 1, base + 9]), (base + 4, [base + 4, base + 12])):
        db.execute("INSERT INTO search_postings VALUES (3, 7, ?, ?)", (first, pack_ids(ids)))
    db.execute("INSERT INTO search_postings VALUES (3, 8, ?, ?)", (base, pack([base, base + 2], base)))
    db.execute("INSERT INTO search_postings VALUES (3, 8, ?, ?)", (base + 5, pack_ids([base + 5])))
    compact(db, 3)
    rows = rows_of(db)
    assert [(token, list(unpack(3, blob))) for _b, token, _f, blob in rows] == [
        (7, [base + 1, base + 4, base + 9, base + 12]),
        (8, [base, base + 2, base + 5]),
    ]
    assert [first for _b, _t, first, _blob in rows] == [base + 1, base]
