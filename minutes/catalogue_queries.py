"""Reading the catalogue: the summaries, indexes and documents the library shows."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from minutes import assignment_store, catalogue_departments, item_roles
from minutes.model import MINUTES, SourceDocument
from minutes.packing import unpack_data, unpack_text
from minutes.schema import CatalogueError
from minutes.search_index import IdGroups, IndexDamage, lookup
from minutes.serialize import from_data
from minutes.storage import connect_reader, stored_path


@dataclass(frozen=True)
class DocumentRow:
    doc_key: str
    session: int | None
    date: dt.date | None
    doc_number: str | None
    issuer: str | None = None
    genre: str = MINUTES


@dataclass(frozen=True)
class FileProblem:
    path: Path
    reason: str


unpack = unpack_text

# A document's stored copy and what it was read from (minutes.stored_copy reads it to repair it).
STORED_COPY = (
    "SELECT d.data, d.source_path, d.source_format, d.source_text, f.sha256 FROM documents d"
    " LEFT JOIN files f ON f.path = d.source_path WHERE d.doc_key = ?"
)

# The span of item ids from which a search's FTS5 query runs as two halves of the ids, each on a
# connection of its own (_Halves): about 7,000 minutes. Below it a query takes a few ms and the
# hand-over to the other thread would be a good part of what it saves.
SPLIT_FROM = 50_000
_NO_END = 1 << 62  # above every rowid SQLite gives an item


def _fts_ids(db: sqlite3.Connection, query: str, low: int, end: int) -> list[int]:
    """The ids from low up to end (not included) of the items matching an FTS5 query, in one
    string joined by SQLite and read by the JSON parser at C speed: a common word's 120,000
    ids at 100,000 minutes took 40 ms as rows and 16 ms so (group_concat is in every SQLite,
    json_group_array in most: the same speed). Nothing else is aggregated: min() and max()
    beside it cost 5 and 7.5 ms more for 123,000 and 140,000 ids (100,000 minutes), where
    Python's max() of the list takes 1.5."""
    (ids,) = db.execute(
        "SELECT group_concat(rowid) FROM topic_text WHERE topic_text MATCH ? AND rowid >= ? AND rowid < ?",
        (query, low, end),
    ).fetchone()
    return json.loads(f"[{ids}]") if ids else []


def _cores() -> int:
    """The cores this process may run on (a container's or an affinity mask's, where the
    system says)."""
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity else os.cpu_count() or 1


class _Halves:
    """A second read-only connection and the thread that reads through it. A large library's
    FTS5 query runs as two halves of the ids, one here and one on the searching thread, at once:
    SQLite releases the GIL while it reads, and its reading is most of a common word's time
    (高质量发展 at 100,000 minutes, 140,000 ids: 21 of 34 ms, the rest the JSON and max())."""

    def __init__(self, path: str) -> None:
        self.db = connect_reader(path)
        self.pool = ThreadPoolExecutor(1, thread_name_prefix="search-half")

    def close(self) -> None:
        self.pool.shutdown()
        self.db.close()


def _is_open(db: sqlite3.Connection) -> bool:
    """Whether db is open (read without the catalogue's lock: while a rebuild swaps its
    connection this may say no, and the search then waits on that lock for the new one)."""
    try:
        db.total_changes  # noqa: B018 (raises on a closed connection)
    except sqlite3.ProgrammingError:
        return False
    return True


class CatalogueQueries:
    _db: sqlite3.Connection
    _lock: threading.RLock
    _reader: sqlite3.Connection | None
    _reader_lock: threading.Lock
    _halves: _Halves | None = None  # made at the first search that splits (_halves_for)
    path: str
    persistent: bool

    # -- reading ---------------------------------------------------------------------------
    @contextmanager
    def _searching(self) -> Iterator[sqlite3.Connection]:
        """The connection a search reads through. For a catalogue file, a second connection:
        WAL lets it read beside the first, so a search typed while the warm-up's long reads
        run (or an import writes) does not wait for them. In memory, the one connection.
        A closed catalogue opens none (nobody would close it): its own connection then raises
        sqlite3.ProgrammingError."""
        with self._reader_lock:
            if self.persistent and self._reader is None and _is_open(self._db):
                with suppress(sqlite3.Error):  # else the catalogue's own connection answers
                    self._reader = connect_reader(self.path)
            if self._reader is not None:
                yield self._reader
                return
        with self._lock:
            yield self._db

    def _halves_for(self, db: sqlite3.Connection) -> tuple[_Halves, int] | None:
        """The second connection to read the upper half of the ids on, and where that half
        starts, when the library has SPLIT_FROM items or more, the catalogue is a file and the
        machine has a core for it; else None. Called inside _searching (db: its connection),
        which holds _reader_lock when db is the reader: so is _halves made and used."""
        if db is not self._reader or _cores() < 2:
            return None
        # Two subqueries: SQLite reads min() or max() alone from the key's ends, both in one
        # SELECT by walking every item (5 ms at 10,000 minutes).
        low, top = db.execute("SELECT (SELECT min(id) FROM topics), (SELECT max(id) FROM topics)").fetchone()
        # The span of the ids, not the highest: ids only grow, and a document stored again
        # (a changed file, every document after a new parser) takes new ones above the rest.
        if low is None or top - low < SPLIT_FROM:
            return None  # a small library opens no second connection and starts no thread
        if self._halves is None:
            with suppress(sqlite3.Error):  # else one connection answers
                self._halves = _Halves(self.path)
        return None if self._halves is None else (self._halves, (low + top + 1) // 2)

    def _close_reader(self) -> None:
        with self._reader_lock:
            if self._reader is not None:
                self._reader.close()
                self._reader = None
            if self._halves is not None:
                self._halves.close()
                self._halves = None

    def document_rows(self) -> list[DocumentRow]:
        with self._lock:
            rows = self._db.execute(
                "SELECT doc_key, session, date, doc_number, issuer, genre FROM documents"
            ).fetchall()
        return [
            DocumentRow(k, s, dt.date.fromisoformat(d) if d else None, n, i, g or MINUTES) for k, s, d, n, i, g in rows
        ]

    def topic_rows(self) -> list[tuple[int, str, int, str, str]]:
        """(id, doc_key, number, title, kind) of every agenda item, by document and number."""
        with self._lock:
            return self._db.execute(
                "SELECT id, doc_key, number, title, kind FROM topics ORDER BY doc_key, number"
            ).fetchall()

    def topic_roles(self) -> Iterator[tuple[str, str, list[int]]]:
        """(department, role, item ids) (minutes.item_roles.grouped)."""
        with self._lock:
            groups = list(item_roles.grouped(self._db))
        yield from groups

    def role_counts(self, role: str) -> list[tuple[str, int]]:
        """(department, items) for one role, counted by SQLite without loading the rows; on the
        second connection, so the start can count beside its other reads (catalogue_reads)."""
        with self._searching() as db:
            return item_roles.counts(db, role)

    def attended(self) -> Iterator[tuple[str, list[int]]]:
        """(department, rowids of the documents it attended), grouped by SQLite: numbers, not
        key strings, so a large library costs no burst of short-lived strings."""
        with self._lock:
            groups = list(catalogue_departments.attended(self._db))
        yield from groups

    def document_keys(self) -> dict[int, str]:
        with self._lock:
            return dict(self._db.execute("SELECT rowid, doc_key FROM documents"))

    def load(self, key: str) -> SourceDocument:
        with self._lock:
            row = self._db.execute(STORED_COPY, (key,)).fetchone()
        if row is None:
            raise KeyError(key)
        data, path, fmt, packed, sha = row
        text = unpack_text(packed)
        return SourceDocument(stored_path(path), fmt, text, sha or "", from_data(json.loads(unpack_data(data, text))))

    def sources(self, key: str) -> list[Path]:
        with self._lock:
            return [
                stored_path(p)
                for (p,) in self._db.execute("SELECT path FROM files WHERE doc_key = ? ORDER BY path", (key,))
            ]

    def source_stamps(self) -> dict[str, str]:
        """doc_key -> the sha256 of its source files, comma-joined in order: changes whenever any
        source of the document does (no document is loaded)."""
        with self._lock:
            rows = self._db.execute(
                "SELECT doc_key, group_concat(sha256, ',') FROM"
                " (SELECT doc_key, sha256 FROM files WHERE doc_key IS NOT NULL AND sha256 IS NOT NULL"
                " ORDER BY doc_key, sha256) GROUP BY doc_key"
            ).fetchall()
        return {key: shas for key, shas in rows if shas}

    def problems(self) -> list[FileProblem]:
        with self._lock:
            rows = self._db.execute("SELECT path, problem FROM files WHERE problem IS NOT NULL ORDER BY path")
            return [FileProblem(stored_path(p), reason) for p, reason in rows]

    # -- the 台账's tasks, kept beside each document (minutes.assignment_store) -----------------
    def task_rows(self, after: str = "", limit: int = -1) -> list[tuple[str, bytes, bytes]]:
        """(doc_key, packed tasks, packed text) of the documents whose stored tasks are of this
        version, by key: at most limit (-1: all) after the key `after`."""
        with self._lock:
            return assignment_store.rows(self._db, after, limit)

    def parse_notes(self) -> list[tuple[Path, list[str]]]:
        """Documents that were read but parsed with warnings, by source file."""
        with self._lock:
            rows = self._db.execute(
                "SELECT source_path, warnings FROM documents WHERE warnings IS NOT NULL ORDER BY source_path"
            )
            return [(stored_path(p), w.split("\n")) for p, w in rows]

    def search_fts(self, words: Sequence[str]) -> IdGroups:
        """The ids of the items whose title or resolutions contain every one of words (each
        three characters or more), in groups with their bounds (minutes.search_index.lookup).
        FTS5 intersects the words itself. From SPLIT_FROM items on, the lower and the upper
        half of the ids are read at once on two connections (_Halves).

        The halves read two snapshots: a document another window stores again between them can
        show in neither or both of its copies. Left so: a library answers from the ids it read
        at its start, which one snapshot would not match either once the file changed, and
        the refresh that follows such a write reads afresh."""
        if not words or any("\0" in word for word in words):
            return []  # FTS5 reads NUL as the end of the query; the parser drops NUL from texts
        query = " AND ".join('"' + word.replace('"', '""') + '"' for word in words)
        # From 0: the caller indexes a table by the ids (SQLite never gives a negative rowid here)
        with self._searching() as db:
            split = self._halves_for(db)
            if split is None:
                ids = _fts_ids(db, query, 0, _NO_END)
                return [(ids, max(ids) + 1)] if ids else []
            halves, middle = split
            upper = halves.pool.submit(_fts_ids, halves.db, query, middle, _NO_END)
            try:
                lower = _fts_ids(db, query, 0, middle)
            finally:
                higher = upper.result()  # also when the lower half raised: the reader is not left busy
        groups: IdGroups = [(lower, middle)] if lower else []
        if higher:
            groups.append((higher, max(higher) + 1))
        return groups

    def search_short(self, word: str) -> IdGroups:
        """The ids of the items whose title or resolutions contain word (one or two characters,
        lower case), in groups with their bounds (minutes.search_index.lookup)."""
        with self._searching() as db:
            try:
                return lookup(db, word)
            except IndexDamage as exc:
                raise CatalogueError(str(exc)) from None
