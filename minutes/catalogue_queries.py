"""Reading the catalogue: the summaries, indexes and documents the library shows."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from minutes import assignment_store, catalogue_departments
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


class CatalogueQueries:
    _db: sqlite3.Connection
    _lock: threading.RLock
    _reader: sqlite3.Connection | None
    _reader_lock: threading.Lock
    path: str
    persistent: bool

    # -- reading ---------------------------------------------------------------------------
    @contextmanager
    def _searching(self) -> Iterator[sqlite3.Connection]:
        """The connection a search reads through. For a catalogue file, a second connection:
        WAL lets it read beside the first, so a search typed while the warm-up's long reads
        run (or an import writes) does not wait for them. In memory, the one connection."""
        with self._reader_lock:
            if self.persistent and self._reader is None:
                with suppress(sqlite3.Error):  # else the catalogue's own connection answers
                    self._reader = connect_reader(self.path)
            if self._reader is not None:
                yield self._reader
                return
        with self._lock:
            yield self._db

    def _close_reader(self) -> None:
        with self._reader_lock:
            if self._reader is not None:
                self._reader.close()
                self._reader = None

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
        """(department, role, item ids), grouped by SQLite: a few hundred rows instead of a row
        per item and department, which would cost tens of megabytes of short-lived tuples."""
        with self._lock:
            rows = self._db.execute("SELECT dept, role, group_concat(topic_id) FROM topic_roles GROUP BY dept, role")
            groups = rows.fetchall()
        for dept, role, ids in groups:
            yield dept, role, [int(i) for i in ids.split(",")]

    def role_counts(self, role: str) -> list[tuple[str, int]]:
        """(department, items) for one role, counted by SQLite without loading the rows; on the
        second connection, so the start can count beside its other reads (catalogue_reads)."""
        with self._searching() as db:
            return db.execute("SELECT dept, COUNT(*) FROM topic_roles WHERE role = ? GROUP BY dept", (role,)).fetchall()

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
            row = self._db.execute(
                "SELECT data, source_path, source_format, source_text, f.sha256 FROM documents d"
                " LEFT JOIN files f ON f.path = d.source_path WHERE d.doc_key = ?",
                (key,),
            ).fetchone()
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
        three characters or more), as one group with its bound (minutes.search_index.lookup).

        FTS5 intersects the words itself. The ids come as one string, joined by SQLite and read
        by the JSON parser at C speed: a common word's 120,000 ids at 100,000 minutes took 40 ms
        as rows and 16 ms so (group_concat is in every SQLite, json_group_array in most: the same
        speed)."""
        if not words or any("\0" in word for word in words):
            return []  # FTS5 reads NUL as the end of the query; the parser drops NUL from texts
        query = " AND ".join('"' + word.replace('"', '""') + '"' for word in words)
        with self._searching() as db:
            row = db.execute(
                "SELECT group_concat(rowid), min(rowid), max(rowid) FROM topic_text WHERE topic_text MATCH ?",
                (query,),
            ).fetchone()
        ids, low, high = row
        if high is None:
            return []
        if low < 0:  # never given by SQLite here: the caller indexes a table by the ids
            raise CatalogueError(f"search index holds a negative id: {low}")
        return [(json.loads(f"[{ids}]"), high + 1)]

    def search_short(self, word: str) -> IdGroups:
        """The ids of the items whose title or resolutions contain word (one or two characters,
        lower case), in groups with their bounds (minutes.search_index.lookup)."""
        with self._searching() as db:
            try:
                return lookup(db, word)
            except IndexDamage as exc:
                raise CatalogueError(str(exc)) from None
