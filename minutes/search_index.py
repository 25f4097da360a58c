"""The search index kept in the catalogue, beside the item summaries.

Two parts, both over an item's text in its search form (minutes.script.search_form):
- `topic_text`, an FTS5 trigram table, answers words of three characters or more. It is
  contentless (the text is stored once, in the document): deleting a row takes the text it was
  indexed with, which `item_text` rebuilds from the stored document.
- `search_postings` answers one- and two-character words, which a trigram index cannot: for
  every character and every pair of adjacent characters, the items that hold it, as packed
  arrays of item ids. Ids are grouped in blocks of 4096, the block first in the key, so that
  a block's rows lie together: an import writes a row per token for each transaction (cheap:
  the ids as they are), and once the import has moved past a block (or ends: `compact_newest`),
  `compact` rewrites the block as one row per token, its ids as deflated gaps (`pack`).
  Removing an item rewrites only the rows of its own block. The tokens are computed where
  the item is prepared (`token_bytes`, in the import's workers); the writer only inverts them.

Changing what `item_text` or `short_tokens` produce (or search_form's table) changes what is
indexed: bump the catalogue's schema version with a migration that calls `rebuild`.
"""

from __future__ import annotations

import json
import sqlite3
import sys
import zlib
from array import array
from bisect import bisect_left
from collections import defaultdict, deque
from collections.abc import Collection, Iterable, Sequence
from itertools import accumulate, groupby, islice, repeat
from operator import itemgetter

from minutes.packing import unpack_data, unpack_text
from minutes.script import search_form

BLOCK_BITS = 12  # 4096 ids a block
COMPACT_AT = 8  # rows of one token in the newest block that have its block compacted

_TABLE = """CREATE TABLE search_postings(
    block INTEGER NOT NULL,        -- item id >> BLOCK_BITS
    token INTEGER NOT NULL,        -- one character or two adjacent ones (search_index.token)
    first INTEGER NOT NULL,        -- the row's lowest item id (rows of a block hold disjoint ids)
    ids BLOB NOT NULL,             -- the item ids, packed (minutes.search_index.pack, or raw)
    PRIMARY KEY (block, token, first)
) WITHOUT ROWID;"""
# The trigram terms a write transaction holds in memory before FTS5 writes them out as a segment:
# at its default (1 MB) an import's batch was written as several segments, each merged again
# later; with room for a whole batch it is one. 6% fewer instructions storing 700 generated
# minutes (callgrind). Only a cap: a transaction holds what it adds (a few MB for an import's).
# Kept in the table's config, so a catalogue whose index was made before it keeps the default.
# automerge stays at its default (4): at 8 an import stored 6% fewer instructions, but after a
# reparse (every upgrade of the parser) the contentless index was 39% larger, its deletions
# merged away later.
HASH_SIZE = 16 << 20
SCHEMA = f"""
DROP TABLE IF EXISTS topic_text;
DROP TABLE IF EXISTS search_postings;
CREATE VIRTUAL TABLE topic_text USING fts5(text, tokenize = 'trigram', content = '', columnsize = 0);
INSERT INTO topic_text(topic_text, rank) VALUES ('hashsize', {HASH_SIZE});
{_TABLE}
"""

_U32 = next(code for code in "IL" if array(code).itemsize == 4)
_RAW = {ord("B"): "B", ord("H"): "H"}  # header byte -> array type of the gaps
_PACKED = {ord("b"): "B", ord("h"): "H"}  # the same, deflated
_IDS = ord("I")  # the ids themselves, 32 bits each: a row written by an import, not yet compacted
_SWAP = sys.byteorder == "big"  # stored little-endian
# Every block from 0 to the newest, each looked up by its key: one statement, no scan.
_LOOKUP = (
    "WITH RECURSIVE b(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM b WHERE n < (SELECT max(block) FROM search_postings))"
    " SELECT p.block, p.ids FROM b JOIN search_postings p ON p.block = b.n AND p.token = ?"
)


class IndexDamage(Exception):
    """A posting row that cannot be decoded."""


def item_text(title: str, resolution_texts: Iterable[str]) -> str:
    """What an item is indexed by: its title and resolutions, in search form."""
    return search_form("\n".join([title, *resolution_texts]))


def short_tokens(text: str) -> set[int]:
    """The characters and adjacent pairs a one- or two-character word can be, as numbers
    (`token`), of the text in lower case (as the query's words are). Built at C speed from the
    text's UTF-32 code units: a pair is two neighbouring units read as one 64-bit number, the
    even pairs from offset 0 and the odd ones from offset 4. White space runs become one line
    break (no word holds white space, so a token with it is never asked for); a NUL, which no
    parsed text holds, is a break too, as a pair ending in NUL would read as one character."""
    units = "\n".join(text.replace("\0", " ").lower().split()).encode("utf-32-le")
    chars = array("I")
    chars.frombytes(units)
    pairs = array("Q")
    pairs.frombytes(units[: len(units) // 8 * 8])
    odd = array("Q")
    odd.frombytes(units[4 : 4 + (len(units) - 4) // 8 * 8])
    if _SWAP:
        for values in (chars, pairs, odd):
            values.byteswap()
    tokens = set(chars)
    tokens.discard(10)
    tokens.update(pairs)
    tokens.update(odd)
    return tokens


def token_bytes(text: str) -> bytes:
    """short_tokens of text as 64-bit numbers in this machine's order: how a worker process
    hands them to the writer (pickled as one copy of bytes, where a set pickles each number;
    computing them took a sixth of the writer's time)."""
    return array("Q", list(short_tokens(text))).tobytes()  # from a list: sized at once, 10-20% faster


def tokens_of(blob: bytes) -> array:
    """The numbers of token_bytes (never stored: they only cross between processes)."""
    values = array("Q")
    values.frombytes(blob)
    return values


def token(word: str) -> int | None:
    """The token of a one- or two-character word (None for one no text holds: with a NUL)."""
    if "\0" in word:
        return None
    return ord(word[0]) if len(word) == 1 else ord(word[0]) | ord(word[1]) << 32


def pack(ids: Sequence[int], base: int) -> bytes:
    """Sorted ids of one block as a header byte and their gaps (the first from the block's
    start): one byte each while the gaps are small, deflated when that is shorter."""
    return _packed_gaps(_gap_fields(_little_endian(ids), base))


def _packed_gaps(fields: bytes) -> bytes:
    """pack's row, of the gaps as _gap_fields gives them."""
    count = len(fields) // 4
    if fields[1::4] == fields[2::4] == fields[3::4] == bytes(count):  # every gap below 256
        code, raw = "B", fields[0::4]
    elif fields[2::4] == fields[3::4] == bytes(count):
        halves = bytearray(2 * count)  # each gap's two low bytes, little-endian
        halves[0::2], halves[1::2] = fields[0::4], fields[1::4]
        code, raw = "H", bytes(halves)
    else:  # also ids out of order: a field below the one under it borrowed from the next
        raise OverflowError("a gap wider than 16 bits: ids out of order or of more than one block")
    if len(raw) > 96:  # deflating costs a setup per call: not for the shortest lists
        # A 4 KB window (a row holds at most 4096 gaps) and a small hash: zlib.compress's
        # defaults set up 256 KB per call, which cost more than the deflating (callgrind).
        packer = zlib.compressobj(6, zlib.DEFLATED, 12, 2)
        deflated = packer.compress(raw) + packer.flush()
        if len(deflated) < len(raw):
            return code.lower().encode() + deflated
    return code.encode() + raw


def _little_endian(ids: Sequence[int]) -> bytes:
    """ids as 32-bit little-endian fields (as a raw row holds them)."""
    values = ids if isinstance(ids, array) and ids.typecode == _U32 and not _SWAP else array(_U32, ids)
    if _SWAP:
        values.byteswap()
    return values.tobytes()


def _gap_fields(fields: bytes, base: int) -> bytes:
    """The gaps of sorted ids (32-bit little-endian fields; the first from base), as the same
    fields, in one big-integer subtraction: the ids as one number, less the same number shifted
    up a field (base in the lowest). No field is below the one under it, so no field borrows from
    the next, and the difference is every gap at once, at C speed (a gap per id in Python cost
    the compaction half its time)."""
    width = 8 * len(fields)
    first, last = int.from_bytes(fields[:4], "little"), int.from_bytes(fields[-4:], "little")
    if not fields or len(fields) % 4 or first < base or last >= base + (1 << BLOCK_BITS):
        raise OverflowError("ids of no row: none, or not of one block")
    number = int.from_bytes(fields, "little")
    shifted = ((number << 32) | base) & ((1 << width) - 1)
    gaps = (number - shifted).to_bytes(width // 8, "little")  # negative (OverflowError): out of order
    # Ids out of order borrow: one field gains 2**32 and the next loses 1. Near the top of the
    # id range such fields can still look like small gaps, but then they add up to more than
    # the last id (by 2**32 - 1 a borrow): checked, in C.
    values = array(_U32, gaps)
    if _SWAP:
        values.byteswap()
    if base + sum(values) != last:
        raise OverflowError("ids out of order")
    return gaps


def pack_ids(ids: Sequence[int]) -> bytes:
    """Ids as they are, 32 bits each: what an import writes (one C call), until `compact`."""
    return b"I" + _little_endian(ids)


def unpack(block: int, blob: bytes) -> Iterable[int]:
    """The ids of a row, in order (C-speed: the array is decoded at once; a raw row's is the
    array itself)."""
    raw, values = _decode(blob)
    return _ids(raw, values, block << BLOCK_BITS)


def _ids(raw: bool, values: array, base: int) -> Iterable[int]:
    """A decoded row's ids: the array itself, or its gaps added up from the block's start."""
    return values if raw else islice(accumulate(values, initial=base), 1, None)


def _decode(blob: bytes) -> tuple[bool, array]:
    """(whether the row holds the ids themselves, its array: those ids or the gaps)."""
    try:
        header = blob[0]
        code = _U32 if header == _IDS else _RAW.get(header) or _PACKED[header]
        body = zlib.decompress(blob[1:]) if header in _PACKED else blob[1:]
        values = array(code)
        values.frombytes(body)
    except (IndexError, KeyError, ValueError, zlib.error) as exc:
        raise IndexDamage(f"search index row cannot be read: {exc}") from None
    if _SWAP:
        values.byteswap()
    return header == _IDS, values


IdGroups = list[tuple[Iterable[int], int]]  # (item ids, a bound every one of them is below)


def lookup(db: sqlite3.Connection, word: str) -> IdGroups:
    """The ids of the items holding word (one or two characters, lower case): a group per
    posting row, with the end of its block as the bound, checked here so that the caller
    can index a table by the ids without testing each (a common character's rows hold a
    quarter of the items: their ids are never gathered into a set)."""
    number = token(word)
    if number is None:
        return []
    groups: IdGroups = []
    for block, blob in db.execute(_LOOKUP, (number,)).fetchall():
        raw, values = _decode(blob)
        base, top = block << BLOCK_BITS, (block + 1) << BLOCK_BITS
        # The row's lowest and highest ids, at C speed: a raw row's own, or its block's start
        # and every gap added to it (gaps are unsigned).
        if raw:
            low, high = min(values, default=base), max(values, default=base)
        else:
            low, high = base, base + sum(values)
        if low < base or high >= top:
            raise IndexDamage(f"a search index row of block {block} holds an id outside it")
        groups.append((_ids(raw, values, base), top))
    return groups


def check_postings(db: sqlite3.Connection) -> None:
    """Raise IndexDamage unless a posting row decodes (the catalogue's check at start-up)."""
    for block, blob in db.execute("SELECT block, ids FROM search_postings LIMIT 1"):
        list(unpack(block, blob))


class Postings:
    """The posting changes of one write transaction, applied by `flush` before it commits:
    a row per token and block, instead of one per item."""

    def __init__(self) -> None:
        self.added: dict[int, Collection[int]] = {}  # item id -> its tokens
        self.removed: dict[int, set[int]] = {}  # token -> item ids (committed before)

    def add(self, item_id: int, tokens: Collection[int]) -> None:
        """Index an item by its short_tokens (each once)."""
        self.added[item_id] = tokens

    def remove(self, item_id: int, text: str) -> None:
        """Take an item out. One added in this transaction is simply dropped: SQLite gives the
        highest id again, so an id removed and added again before the flush is two items."""
        if self.added.pop(item_id, None) is not None:
            return
        removed = self.removed
        for number in short_tokens(text):
            ids = removed.get(number)
            if ids is None:
                removed[number] = {item_id}
            else:
                ids.add(item_id)

    def clear(self) -> None:
        self.added.clear()
        self.removed.clear()

    def flush(self, db: sqlite3.Connection) -> None:
        removed, added = self.removed, self.added
        self.removed, self.added = {}, {}
        for number, ids in removed.items():
            for block in {i >> BLOCK_BITS for i in ids}:
                held = _held(db, block, number)
                kept = [i for i in held if i not in ids]
                if len(kept) != len(held):
                    _replace(db, block, number, kept)
        if not added:
            return
        rows, commonest = _rows(added)
        db.executemany("INSERT INTO search_postings VALUES (?, ?, ?, ?)", rows)
        # The blocks this import has moved past are complete: one row per token each (the
        # one before this write's first too, when the write began a block). The newest block
        # too once it holds many rows (small imports, one after another).
        blocks = sorted({i >> BLOCK_BITS for i in added})
        newest = blocks.pop()
        count = "SELECT count(*) FROM search_postings WHERE block = ? AND token = ?"
        before = (blocks or [newest])[0] - 1
        if before >= 0 and db.execute(count, (before, commonest)).fetchone()[0] > 1:
            blocks.insert(0, before)
        if db.execute(count, (newest, commonest)).fetchone()[0] >= COMPACT_AT:
            blocks.append(newest)
        for block in blocks:
            compact(db, block)


def _held(db: sqlite3.Connection, block: int, number: int) -> list[int]:
    """The ids one token's rows of one block hold, in order."""
    rows = db.execute("SELECT ids FROM search_postings WHERE block = ? AND token = ?", (block, number))
    held = [i for (blob,) in rows.fetchall() for i in unpack(block, blob)]
    held.sort()  # rows hold disjoint ids, but an id given again after a removal can come between
    return held


def _replace(db: sqlite3.Connection, block: int, number: int, ids: list[int]) -> None:
    """One token's rows of one block, as one packed row of ids (sorted), or none."""
    db.execute("DELETE FROM search_postings WHERE block = ? AND token = ?", (block, number))
    if ids:
        db.execute(
            "INSERT INTO search_postings VALUES (?, ?, ?, ?)", (block, number, ids[0], pack(ids, block << BLOCK_BITS))
        )


def compact(db: sqlite3.Connection, block: int) -> None:
    """Rewrite a block's rows as one packed row per token: fewer rows, fewer bytes."""
    rows = db.execute(
        "SELECT token, first, ids FROM search_postings WHERE block = ? ORDER BY token, first", (block,)
    ).fetchall()
    merged: list[tuple[int, int, int, bytes]] = []
    base = block << BLOCK_BITS
    changed = False
    for number, group in groupby(rows, itemgetter(0)):
        parts = [row[1:] for row in group]
        if len(parts) == 1 and parts[0][1][0] != _IDS:  # packed already: written back as it is
            merged.append((block, number, *parts[0]))
            continue
        changed = True
        blobs = [blob for _first, blob in parts]
        fields = _raw_run(blobs)
        if fields is None:
            ids = _joined(block, blobs)
            merged.append((block, number, ids[0], pack(ids, base)))
        else:  # most often: the rows an import wrote, their ids joined as the bytes they are
            merged.append(
                (block, number, int.from_bytes(fields[:4], "little"), _packed_gaps(_gap_fields(fields, base)))
            )
    if changed:  # the block's rows go in one range delete, far cheaper than one per token
        db.execute("DELETE FROM search_postings WHERE block = ?", (block,))
        db.executemany("INSERT INTO search_postings VALUES (?, ?, ?, ?)", merged)


def compact_newest(db: sqlite3.Connection) -> None:
    """At an import's end, the newest block compacted too: `Postings.flush` leaves it until it
    fills, and its rows as an import writes them cost four bytes an id where a packed row
    costs about one (9 of 69 MB, 2,000 generated minutes in batches of 250)."""
    row = db.execute("SELECT max(block) FROM search_postings").fetchone()
    if row[0] is not None:
        compact(db, row[0])


def _raw_run(blobs: list[bytes]) -> bytes | None:
    """The ids of rows an import wrote (ordered by their first id), one row's after another's,
    as the 32-bit little-endian fields they hold; None unless every row is such a row and its
    ids lie above the row's before it (then _joined decodes and sorts)."""
    last = -1
    for blob in blobs:
        if blob[0] != _IDS or len(blob) < 5 or len(blob) % 4 != 1 or int.from_bytes(blob[1:5], "little") < last:
            return None
        last = int.from_bytes(blob[-4:], "little")
    return b"".join([blob[1:] for blob in blobs])


def _joined(block: int, blobs: list[bytes]) -> array:
    """The ids of several rows of one block (ordered by their first id), in order, decoded at
    C speed. Rows hold disjoint ids, one row's all below the next one's unless an id was given
    again after a removal: only then are they sorted."""
    ids = array(_U32)
    ordered = True
    for blob in blobs:
        start = len(ids)
        ids.extend(unpack(block, blob))  # a raw row is an array of this type: copied whole
        if start and len(ids) > start and ids[start] < ids[start - 1]:
            ordered = False
    return ids if ordered else array(_U32, sorted(ids))


def compact_all(db: sqlite3.Connection) -> None:
    for (block,) in db.execute("SELECT DISTINCT block FROM search_postings").fetchall():
        compact(db, block)


def _rows(added: dict[int, Collection[int]]) -> tuple[list[tuple[int, int, int, bytes]], int]:
    """Posting rows for the items added, one per block and token; and the token that most of
    them hold."""
    inverted: defaultdict[int, list[int]] = defaultdict(list)
    lists = inverted.__getitem__
    for item_id in sorted(added):  # so each token's ids come in order
        # inverted[number].append(item_id) for each token, looped in C: a third of the cost
        deque(map(list.append, map(lists, added[item_id]), repeat(item_id)), 0)
    rows = []
    commonest, most = 0, 0
    for number in sorted(inverted):  # in key order (sorted again below): SQLite appends the rows
        ids = inverted[number]
        if len(ids) > most:
            commonest, most = number, len(ids)
        block = ids[0] >> BLOCK_BITS
        if ids[-1] >> BLOCK_BITS == block:  # most often: a batch is a few hundred new ids
            rows.append((block, number, ids[0], pack_ids(ids)))
            continue
        start = 0
        while start < len(ids):  # the ids run into later blocks: a row for each
            block = ids[start] >> BLOCK_BITS
            end = bisect_left(ids, (block + 1) << BLOCK_BITS, start)
            rows.append((block, number, ids[start], pack_ids(ids[start:end])))
            start = end
    rows.sort(key=itemgetter(0, 1))  # (block, token): a batch across a block's end, too
    return rows, commonest


def stored_item_texts(data: bytes, source_text: bytes) -> dict[int, str]:
    """Item number -> indexed text, from a document as stored (its packed parse and text)."""
    topics = json.loads(unpack_data(data, unpack_text(source_text)))["topics"]
    return {number: item_text(title, (r[2] for r in resolutions)) for number, title, _k, _d, resolutions in topics}


def unindex_document(db: sqlite3.Connection, postings: Postings, key: str) -> None:
    """Take a stored document's items out of the index, before the document is deleted. The
    index holds no text of its own: its rows go by the text they were indexed with, as the
    stored document gives it."""
    row = db.execute("SELECT data, source_text FROM documents WHERE doc_key = ?", (key,)).fetchone()
    if row is None:
        return
    texts = stored_item_texts(*row)
    items = db.execute("SELECT id, number FROM topics WHERE doc_key = ?", (key,)).fetchall()
    rows = [(topic_id, texts.get(number, "")) for topic_id, number in items]
    db.executemany("INSERT INTO topic_text(topic_text, rowid, text) VALUES ('delete', ?, ?)", rows)
    for topic_id, text in rows:
        postings.remove(topic_id, text)


def rebuild(db: sqlite3.Connection, every: int = 200) -> None:
    """Index every stored document again, from its stored text (a migration; inside its
    transaction). Postings are written every few documents, so memory stays small."""
    for statement in ("DELETE FROM search_postings", "INSERT INTO topic_text(topic_text) VALUES ('delete-all')"):
        db.execute(statement)
    postings = Postings()
    keys = [k for (k,) in db.execute("SELECT doc_key FROM documents")]
    for index, key in enumerate(keys, 1):
        row = db.execute("SELECT data, source_text FROM documents WHERE doc_key = ?", (key,)).fetchone()
        texts = stored_item_texts(*row)
        for topic_id, number in db.execute("SELECT id, number FROM topics WHERE doc_key = ?", (key,)).fetchall():
            text = texts.get(number, "")
            db.execute("INSERT INTO topic_text(rowid, text) VALUES (?, ?)", (topic_id, text))
            postings.add(topic_id, short_tokens(text))
        if index % every == 0:
            postings.flush(db)
    postings.flush(db)
    compact_all(db)


def key_blocks_first(db: sqlite3.Connection) -> None:
    """Version 6's postings: the block first in the key, each block's rows compacted (a
    migration; inside its transaction). The rows are copied, not rebuilt from the documents."""
    db.execute("ALTER TABLE search_postings RENAME TO search_postings_v5")
    db.execute(_TABLE)
    db.execute(
        "INSERT INTO search_postings(block, token, first, ids) SELECT block, token, first, ids FROM search_postings_v5"
    )
    db.execute("DROP TABLE search_postings_v5")
    compact_all(db)
