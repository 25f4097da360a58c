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
from collections.abc import Iterable, Iterator
from itertools import accumulate, islice
from operator import add, sub

from minutes.packing import unpack_data, unpack_text
from minutes.script import search_form

BLOCK_BITS = 12  # 4096 ids a block

SCHEMA = """
DROP TABLE IF EXISTS topic_text;
DROP TABLE IF EXISTS search_postings;
CREATE VIRTUAL TABLE topic_text USING fts5(text, tokenize = 'trigram', content = '', columnsize = 0);
CREATE TABLE search_postings(
    token TEXT NOT NULL,           -- one character or two adjacent ones, lower case, search form
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


def short_tokens(text: str) -> set[str]:
    """The characters and adjacent pairs a one- or two-character word can be: lower case (as
    the query's words are), never holding white space (which separates a query's words)."""
    tokens: set[str] = set()
    for piece in text.lower().split():
        tokens.update(piece)
        tokens.update(map(add, piece, piece[1:]))
    return tokens


def pack(ids: list[int], base: int) -> bytes:
    """Sorted ids of one block as a header byte and their gaps (the first from the block's
    start): one byte each while the gaps are small, deflated when that is shorter."""
    gaps = list(map(sub, ids, [base, *ids[:-1]]))
    code = "B" if max(gaps) < 256 else "H"
    values = array(code, gaps)
    if _SWAP:
        values.byteswap()
    raw = values.tobytes()
    if len(raw) > 64:
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


def lookup(db: sqlite3.Connection, token: str) -> set[int]:
    """Ids of the items holding token (one or two characters)."""
    found: set[int] = set()
    for block, blob in db.execute("SELECT block, ids FROM search_postings WHERE token = ?", (token,)):
        found.update(unpack(block, blob))
    return found


class Postings:
    """The posting changes of one write transaction, applied by `flush` before it commits:
    a row per token and block, instead of one per item."""

    def __init__(self) -> None:
        self.added: dict[str, set[int]] = {}
        self.removed: dict[str, set[int]] = {}

    def add(self, item_id: int, text: str) -> None:
        added = self.added
        for token in short_tokens(text):
            ids = added.get(token)
            if ids is None:
                added[token] = {item_id}
            else:
                ids.add(item_id)

    def remove(self, item_id: int, text: str) -> None:
        """Take an item out: one added in this transaction is simply dropped (SQLite reuses
        the highest id, so the same id may come back with another text before the flush)."""
        for token in short_tokens(text):
            pending = self.added.get(token)
            if pending is not None and item_id in pending:
                pending.discard(item_id)
            else:
                self.removed.setdefault(token, set()).add(item_id)

    def clear(self) -> None:
        self.added.clear()
        self.removed.clear()

    def flush(self, db: sqlite3.Connection) -> None:
        removed, added = self.removed, self.added
        self.removed, self.added = {}, {}
        for token, ids in removed.items():
            for block in {i >> BLOCK_BITS for i in ids}:
                rows = db.execute(
                    "SELECT ids FROM search_postings WHERE token = ? AND block = ?", (token, block)
                ).fetchall()
                held = [i for (blob,) in rows for i in unpack(block, blob)]
                kept = [i for i in held if i not in ids]
                if len(kept) == len(held):
                    continue
                db.execute("DELETE FROM search_postings WHERE token = ? AND block = ?", (token, block))
                if kept:
                    kept.sort()
                    db.execute(
                        "INSERT INTO search_postings VALUES (?, ?, ?, ?)",
                        (token, block, kept[0], pack(kept, block << BLOCK_BITS)),
                    )
        rows = []
        for token, ids in added.items():
            if not ids:
                continue
            ordered = sorted(ids)
            start = 0
            while start < len(ordered):
                block = ordered[start] >> BLOCK_BITS
                end = start
                while end < len(ordered) and ordered[end] >> BLOCK_BITS == block:
                    end += 1
                chunk = ordered[start:end]
                rows.append((token, block, chunk[0], pack(chunk, block << BLOCK_BITS)))
                start = end
        db.executemany("INSERT INTO search_postings VALUES (?, ?, ?, ?)", rows)


def stored_item_texts(data: bytes, source_text: bytes) -> dict[int, str]:
    """Item number -> indexed text, from a document as stored (its packed parse and text)."""
    topics = json.loads(unpack_data(data, unpack_text(source_text)))["topics"]
    return {number: item_text(title, (r[2] for r in resolutions)) for number, title, _k, _d, resolutions in topics}


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
