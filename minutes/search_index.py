"""The search index kept in the catalogue, beside the item summaries.

Two parts, both over an item's text in its search form (minutes.script.search_form):
- `topic_text`, an FTS5 trigram table, answers words of three characters or more. It is
  contentless (the text is stored once, in the document): deleting a row takes the text it was
  indexed with, which `item_text` rebuilds from the stored document.
- `search_postings` answers one- and two-character words, which a trigram index cannot: for
  every character and every pair of adjacent characters, the items that hold it, as packed
  arrays of item ids (`pack`). Ids are grouped in blocks of 4096 so that removing an item
  rewrites only the rows of its own block; an import appends a row per token and block touched.

Changing what `item_text` or `short_tokens` produce (or search_form's table) changes what is
indexed: bump the catalogue's schema version with a migration that calls `rebuild`.
"""

from __future__ import annotations

import json
import sqlite3
import sys
import zlib
from array import array
from collections import defaultdict, deque
from collections.abc import Iterable, Iterator
from itertools import accumulate, islice, repeat
from operator import sub

from minutes.packing import unpack_data, unpack_text
from minutes.script import search_form

BLOCK_BITS = 12  # 4096 ids a block

SCHEMA = """
DROP TABLE IF EXISTS topic_text;
DROP TABLE IF EXISTS search_postings;
CREATE VIRTUAL TABLE topic_text USING fts5(text, tokenize = 'trigram', content = '', columnsize = 0);
CREATE TABLE search_postings(
    token INTEGER NOT NULL,        -- one character or two adjacent ones (search_index.token)
    block INTEGER NOT NULL,        -- item id >> BLOCK_BITS
    first INTEGER NOT NULL,        -- the row's lowest item id (rows of a block hold disjoint ids)
    ids BLOB NOT NULL,             -- the item ids, packed (minutes.search_index.pack)
    PRIMARY KEY (token, block, first)
) WITHOUT ROWID;
"""

_RAW = {ord("B"): "B", ord("H"): "H"}  # header byte -> array type of the gaps
_PACKED = {ord("b"): "B", ord("h"): "H"}  # the same, deflated
_SWAP = sys.byteorder == "big"  # stored little-endian


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


def token(word: str) -> int | None:
    """The token of a one- or two-character word (None for one no text holds: with a NUL)."""
    if "\0" in word:
        return None
    return ord(word[0]) if len(word) == 1 else ord(word[0]) | ord(word[1]) << 32


def pack(ids: list[int], base: int) -> bytes:
    """Sorted ids of one block as a header byte and their gaps (the first from the block's
    start): one byte each while the gaps are small, deflated when that is shorter."""
    gaps = list(map(sub, ids, [base, *ids[:-1]]))
    if max(gaps) < 256:
        code, raw = "B", bytes(gaps)  # bytes(), not array("B"): it converts each value in C
    else:
        values = array("H", gaps)
        if _SWAP:
            values.byteswap()
        code, raw = "H", values.tobytes()
    if len(raw) > 1024:  # deflating costs a setup per call: only for the long lists
        deflated = zlib.compress(raw, 1)
        if len(deflated) < len(raw):
            return code.lower().encode() + deflated
    return code.encode() + raw


def unpack(block: int, blob: bytes) -> Iterator[int]:
    """The ids of a packed row, in order (C-speed: the array is decoded at once)."""
    try:
        header = blob[0]
        code = _RAW.get(header) or _PACKED[header]
        body = zlib.decompress(blob[1:]) if header in _PACKED else blob[1:]
        values = array(code)
        values.frombytes(body)
    except (IndexError, KeyError, ValueError, zlib.error) as exc:
        raise IndexDamage(f"search index row cannot be read: {exc}") from None
    if _SWAP:
        values.byteswap()
    return islice(accumulate(values, initial=block << BLOCK_BITS), 1, None)


def lookup(db: sqlite3.Connection, word: str) -> set[int]:
    """Ids of the items holding word (one or two characters, lower case)."""
    found: set[int] = set()
    number = token(word)
    if number is None:
        return found
    for block, blob in db.execute("SELECT block, ids FROM search_postings WHERE token = ?", (number,)):
        found.update(unpack(block, blob))
    return found


def check_postings(db: sqlite3.Connection) -> None:
    """Raise IndexDamage unless a posting row decodes (the catalogue's check at start-up)."""
    for block, blob in db.execute("SELECT block, ids FROM search_postings LIMIT 1"):
        list(unpack(block, blob))


class Postings:
    """The posting changes of one write transaction, applied by `flush` before it commits:
    a row per token and block, instead of one per item."""

    def __init__(self) -> None:
        self.added: dict[int, set[int]] = {}  # item id -> its tokens
        self.removed: dict[int, set[int]] = {}  # token -> item ids (committed before)

    def add(self, item_id: int, text: str) -> None:
        self.added[item_id] = short_tokens(text)

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
                rows = db.execute(
                    "SELECT ids FROM search_postings WHERE token = ? AND block = ?", (number, block)
                ).fetchall()
                held = [i for (blob,) in rows for i in unpack(block, blob)]
                kept = [i for i in held if i not in ids]
                if len(kept) == len(held):
                    continue
                db.execute("DELETE FROM search_postings WHERE token = ? AND block = ?", (number, block))
                if kept:
                    kept.sort()
                    db.execute(
                        "INSERT INTO search_postings VALUES (?, ?, ?, ?)",
                        (number, block, kept[0], pack(kept, block << BLOCK_BITS)),
                    )
        if added:
            db.executemany("INSERT INTO search_postings VALUES (?, ?, ?, ?)", _rows(added))


def _rows(added: dict[int, set[int]]) -> list[tuple[int, int, int, bytes]]:
    """Posting rows for the items added: one per token and block, in key order."""
    inverted: defaultdict[int, list[int]] = defaultdict(list)
    lists = inverted.__getitem__
    for item_id in sorted(added):  # so each token's ids come in order
        # inverted[number].append(item_id) for each token, looped in C: a third of the cost
        deque(map(list.append, map(lists, added[item_id]), repeat(item_id)), 0)
    rows = []
    for number, ids in inverted.items():
        block = ids[0] >> BLOCK_BITS
        if ids[-1] >> BLOCK_BITS == block:  # nearly always: a batch is a few hundred new ids
            rows.append((number, block, ids[0], pack(ids, block << BLOCK_BITS)))
            continue
        for block in sorted({i >> BLOCK_BITS for i in ids}):
            chunk = [i for i in ids if i >> BLOCK_BITS == block]
            rows.append((number, block, chunk[0], pack(chunk, block << BLOCK_BITS)))
    return rows


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
            postings.add(topic_id, text)
        if index % every == 0:
            postings.flush(db)
    postings.flush(db)
