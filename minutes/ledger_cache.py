"""The assignments of every meeting for the 台账, without reading every meeting back from the
catalogue.

Most come from the catalogue itself: the import extracts each meeting's tasks as it stores it
(minutes.assignment_store). A meeting without tasks of this version there (a catalogue imported
by an older program, an extraction bumped since) is extracted here, once: its tasks are kept in
a side file beside the ledger (ledger-cache.sqlite3), not the ledger itself: it holds nothing
the files cannot rebuild, so it is never backed up, and a damaged or missing cache is simply
rebuilt. There each meeting's tasks are stored under its document key with a stamp: the sha256
of its source files (from the catalogue, without loading the document), the parser's and this
extraction's versions. A meeting whose stamp changed (a re-import with edited text, a new
parser) is extracted again. Plain Python, no Qt.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable
from pathlib import Path

import minutes
from minutes import assignment_store
from minutes.assignments import EXTRACTION_VERSION, Task, tasks_of
from minutes.formats import PARSER_VERSION
from minutes.stored_copy import DamagedCopy, read_document

__all__ = ["CACHE_NAME", "EXTRACTION_VERSION", "TaskCache", "cache_path", "document_stamps", "library_tasks_cached"]
CACHE_NAME = "ledger-cache.sqlite3"
_SCHEMA = "CREATE TABLE IF NOT EXISTS tasks(doc_key TEXT PRIMARY KEY, stamp TEXT NOT NULL, data TEXT NOT NULL)"


def cache_path(ledger_path: str | Path) -> str:
    """Beside the ledger file; in memory for an in-memory ledger."""
    return ":memory:" if str(ledger_path) == ":memory:" else str(Path(ledger_path).with_name(CACHE_NAME))


def document_stamps(catalogue) -> dict[str, str]:
    """doc_key → the sha256 of its source files (no document loaded); nothing when the
    catalogue cannot answer, so every meeting is extracted afresh."""
    try:
        return catalogue.source_stamps()
    except sqlite3.Error:
        return {}


class TaskCache:
    def __init__(self, path: str | Path = ":memory:") -> None:
        self.path = str(path)
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        self._closed = False

    def _open(self) -> sqlite3.Connection | None:
        """The cache file, opened when a meeting needs it (most opens need none: minutes.assignment_store)."""
        with self._lock:
            if self._db is None and not self._closed:
                try:
                    self._db = sqlite3.connect(self.path, check_same_thread=False, timeout=30)
                    self._db.execute(_SCHEMA)
                    self._db.commit()
                except sqlite3.Error:  # a damaged cache: start afresh in memory, never fail the 台账
                    self._db = sqlite3.connect(":memory:", check_same_thread=False)
                    self._db.execute(_SCHEMA)
            return self._db

    def close(self) -> None:
        with self._lock:
            self._closed = True
            if self._db is not None:
                self._db.close()
                self._db = None

    def tasks(self, library, damaged: list[DamagedCopy] | None = None) -> list[Task]:
        """Every task of the library's meetings (library: a minutes.library.Library), as the
        import stored them, else from the cache where the meeting is unchanged, else extracted
        (and cached). damaged: where a meeting whose stored copy cannot be read is put, its
        tasks left out (None: DamagedCopy is raised)."""
        imported = assignment_store.stored(library.catalogue)
        if all(m.id in imported for m in library.meetings):
            return [t for m in library.meetings for t in imported[m.id]]
        stamps = document_stamps(library.catalogue)
        version = f"{minutes.__version__}|p{PARSER_VERSION}|e{EXTRACTION_VERSION}|f{assignment_store.FORMAT}"
        db = self._open()
        with self._lock:
            stored = dict(db.execute("SELECT doc_key, stamp FROM tasks").fetchall()) if db else {}
        found: list[Task] = []
        fresh: list[tuple[str, str, bytes]] = []
        hits: list[str] = []
        plan = []
        for meeting in library.meetings:
            if meeting.id in imported:
                plan.append((meeting, None))
                continue
            sha = stamps.get(meeting.id)
            stamp = f"{version}|{sha}" if sha else None
            plan.append((meeting, stamp))
            if stamp is not None and stored.get(meeting.id) == stamp:
                hits.append(meeting.id)
        cached = self._load(hits)
        for meeting, stamp in plan:
            if meeting.id in imported:
                found.extend(imported[meeting.id])
                continue
            if meeting.id in cached:
                found.extend(cached[meeting.id])
                continue
            try:
                tasks = tasks_of(read_document(meeting).minutes, meeting.id)
            except DamagedCopy as damage:
                if damaged is None:
                    raise
                damaged.append(damage)
                continue
            found.extend(tasks)
            if stamp is not None:
                fresh.append((meeting.id, stamp, assignment_store.pack(tasks)))
        if fresh:
            self._store(fresh)
        return found

    def _load(self, keys: Iterable[str]) -> dict[str, list[Task]]:
        wanted = set(keys)
        if not wanted or self._db is None:
            return {}
        with self._lock:
            rows = self._db.execute("SELECT doc_key, data FROM tasks").fetchall()
        out: dict[str, list[Task]] = {}
        for key, data in rows:
            if key in wanted:
                try:
                    out[key] = assignment_store.unpack(data)
                except Exception:  # a damaged entry: that meeting is extracted again
                    continue
        return out

    def _store(self, rows: list[tuple[str, str, bytes]]) -> None:
        with self._lock:
            if self._db is None:
                return
            try:
                with self._db:
                    self._db.executemany("INSERT OR REPLACE INTO tasks(doc_key, stamp, data) VALUES (?, ?, ?)", rows)
            except sqlite3.Error:  # a full disk: the next open extracts again
                pass


def library_tasks_cached(library, ledger_path: str | Path, damaged: list[DamagedCopy] | None = None) -> list[Task]:
    """The library's tasks through the cache beside the ledger at ledger_path (damaged: see
    TaskCache.tasks)."""
    cache = TaskCache(cache_path(ledger_path))
    try:
        return cache.tasks(library, damaged)
    finally:
        cache.close()
