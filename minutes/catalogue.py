"""The persistent catalogue: every file the user added, what it yielded, and indexes to filter
and search by, in SQLite (WAL).

A file is parsed once: a restart compares size and mtime (then the content hash) and re-reads
only what changed. Imports commit in batches (_BATCH), so killing the app mid-import loses nothing
already committed, and SQLite's journal keeps the file consistent. A catalogue that cannot be
read (corrupt, or from a newer version) is set aside and rebuilt from the files, and `notice`
says so; a catalogue that cannot be written (read-only, full disk) is kept and the library goes
on in memory (minutes.storage). The schema has a version, and older catalogues are migrated
(minutes.schema). When the parser changes (minutes.formats.PARSER_VERSION), the stored
documents are parsed again from their stored text.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from minutes import collector, item_runs, stored_copy
from minutes.catalogue_departments import DepartmentIds
from minutes.catalogue_queries import CatalogueQueries, DocumentRow, FileProblem
from minutes.catalogue_store import CatalogueStore
from minutes.formats import PARSER_VERSION, REFUSED_SUFFIXES, SUFFIXES
from minutes.model import SourceDocument
from minutes.prepared import PreparedDocument, document_key, prepare_document, prepare_stored, read_prepared
from minutes.schema import _SCHEMA_V1, SCHEMA_VERSION, CatalogueError, prepare
from minutes.search_index import IndexDamage, Postings, check_postings, compact_newest
from minutes.storage import (
    connect,
    copy_to_memory,
    is_damage,
    memory_copy,
    path_key,
    reclaim,
    set_aside,
    storage_reason,
    stored_path,
    transaction,
    unsaved_notice,
)

__all__ = [
    "SCHEMA_VERSION",
    "_SCHEMA_V1",
    "Catalogue",
    "CatalogueError",
    "DocumentRow",
    "FileProblem",
    "ImportReport",
    "document_key",
]
T = TypeVar("T")
_EXPECTED = {"meta", "roots", "documents", "files", "topics", "topic_roles", "attended", "topic_text"}
_EXPECTED |= {"files_doc", "search_postings", "departments", "item_runs"}
_LISTED = (*SUFFIXES, *REFUSED_SUFFIXES)  # refused formats are listed with a reason, never dropped


def read_document(path: Path) -> SourceDocument:
    """Read and parse one file. The parser is imported on first use: opening the catalogue at
    start-up does not read files."""
    from minutes.source import read_document as read

    return read(path)


# An upsert, not INSERT OR REPLACE: REPLACE has delete semantics, and with foreign keys on it
# cost more than everything else in storing a document.
_UPSERT_FILE = (
    "INSERT INTO files(path, size, mtime_ns, sha256, doc_key, problem, format) VALUES (?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT(path) DO UPDATE SET size = excluded.size, mtime_ns = excluded.mtime_ns, sha256 = excluded.sha256,"
    " doc_key = excluded.doc_key, problem = excluded.problem, format = excluded.format"
)

# Files per transaction: what a crash can lose is at most one uncommitted batch. Each transaction
# writes its own posting rows and trigram segments, so 250 cost the writer 14.6% fewer
# instructions than 100 (callgrind, the importing process, 1,924 generated minutes with the pool);
# the batch's pending postings are held in memory until it commits: the importing process peaked
# at 93 MB instead of 74 MB (the same import; an earlier measurement, on older code, gave 133-140
# MB against 76-78, and 100 was kept then for the memory).
_BATCH = 250


@dataclass(frozen=True)
class ImportReport:
    scanned: int
    imported: int
    unchanged: int
    problems: int
    removed: int
    seconds: float
    reparsed: int = 0  # documents parsed again for a new parser version


class Catalogue(CatalogueStore, CatalogueQueries):
    def __init__(self, path: str | Path = ":memory:") -> None:
        self.path = str(path)
        self.notice: str | None = None  # for the user: why the catalogue was rebuilt or is not saved
        self.rebuilt = False
        self.persistent = self.path != ":memory:"  # False once the library goes on in memory
        self._lock = threading.RLock()
        self._postings = Postings()  # the short-word index's changes in the write under way
        self._departments = DepartmentIds()  # numbers of the departments (minutes.catalogue_departments)
        self._reader: sqlite3.Connection | None = None  # searches' own connection (_searching)
        self._reader_lock = threading.Lock()
        self._db = self._open()

    # -- opening, recovery, migration ------------------------------------------------------
    def _open(self) -> sqlite3.Connection:
        if not self.persistent:
            db = connect(":memory:")
            prepare(db)
            return db
        db = None
        try:
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            db = connect(self.path)
            prepare(db)
            return db
        except (OSError, sqlite3.Error, CatalogueError) as exc:
            if db is not None:
                db.close()  # before the file is moved aside or copied
            if isinstance(exc, OSError) or not is_damage(exc):
                return self._memory(storage_reason(exc, self.path), memory_copy(self.path))
            return self._rebuild(str(exc))

    def _memory(self, reason: str, db: sqlite3.Connection) -> sqlite3.Connection:
        """Go on in memory: the file is kept as it is, and the notice says changes are not saved."""
        self.persistent = False
        self.notice = unsaved_notice(reason)
        try:
            prepare(db)
        except (sqlite3.Error, CatalogueError):  # the copy is of a damaged or newer catalogue
            db.close()
            db = connect(":memory:")
            prepare(db)
        return db

    def _rebuild(self, reason: str) -> sqlite3.Connection:
        if not self.persistent:
            db = connect(":memory:")
            prepare(db)
            return db
        try:
            name = set_aside(self.path)
        except OSError as exc:  # another program holds the file: leave it, go on in memory
            return self._memory(storage_reason(exc, self.path), connect(":memory:"))
        self.notice = f"纪要索引无法读取（{reason}），已另存为 {name}，正在从文件重建。"
        self.rebuilt = True
        db = None
        try:
            db = connect(self.path)
            prepare(db)
            return db
        except (sqlite3.Error, CatalogueError) as exc:
            if db is not None:
                db.close()
            return self._memory(storage_reason(exc, self.path), connect(":memory:"))

    def rebuild(self, reason: str) -> None:
        """Set a damaged catalogue aside and start an empty one; the roots are kept."""
        with self._lock:
            try:
                roots = self._db.execute("SELECT path, kind FROM roots").fetchall()
            except sqlite3.Error:
                roots = []
            self._close_reader()
            self._db.close()
            self._db = self._rebuild(reason)
            self._departments.forget()
            with transaction(self._db):
                self._db.executemany("INSERT OR IGNORE INTO roots VALUES (?, ?)", roots)

    def check(self) -> None:
        """Look for damage the open does not reach (a damaged table or index page, a broken
        search index): raises CatalogueError or sqlite3.DatabaseError. Reads every page once."""
        with self._lock:
            result = self._db.execute("PRAGMA quick_check").fetchall()
            if result != [("ok",)]:
                raise CatalogueError("; ".join(str(r[0]) for r in result[:3]))
            missing = _EXPECTED - {row[0] for row in self._db.execute("SELECT name FROM sqlite_master")}
            if missing:
                raise CatalogueError(f"missing {', '.join(sorted(missing))}")
            self._db.execute("SELECT rowid FROM topic_text WHERE topic_text MATCH '\"纪要索\"' LIMIT 1").fetchall()
            try:
                check_postings(self._db)
            except IndexDamage as exc:
                raise CatalogueError(str(exc)) from None

    def remake_runs(self) -> None:
        """Make every meeting's run of items again from the items stored (minutes.item_runs),
        when the start finds them out of step."""
        self._write(lambda: item_runs.fill(self._db))

    def mark_for_reread(self, key: str) -> list[Path]:
        """A document whose stored copy is damaged (minutes.stored_copy): the next refresh reads
        its files again. Returns them. Never goes on in memory as _write does: a mark there would
        be lost with the library (and would copy the whole catalogue for each damaged meeting),
        so a write the file refuses raises sqlite3.Error for the caller to report."""
        with self._lock:
            return self._committed(lambda: stored_copy.mark(self._db, key))

    def _write(self, op: Callable[[], T]) -> T:
        """Run op in a write transaction. If the disk refuses the write (full, read-only), the
        library goes on in memory from what the catalogue held, and op runs there."""
        with self._lock:
            try:
                return self._committed(op)
            except sqlite3.Error as exc:
                if not self.persistent or is_damage(exc):
                    raise
                reason = storage_reason(exc, self.path)
            self._close_reader()
            old = self._db
            copy = copy_to_memory(old)
            if copy is None:  # the connection itself failed: read the file afresh
                old.close()
                copy = memory_copy(self.path)
            else:
                old.close()
            self._db = self._memory(reason, copy)
            return self._committed(op)

    def _committed(self, op: Callable[[], T]) -> T:
        try:
            with transaction(self._db):
                result = self._indexed(op)
        except BaseException:
            self._departments.forget()  # numbers it gave are gone with it
            raise
        self._departments.committed()
        return result

    def _indexed(self, op: Callable[[], T]) -> T:
        """op, then the postings it changed, in its transaction. No garbage collection meanwhile:
        walking the batch's token sets again and again cost 5% of the writer (callgrind)."""
        self._postings.clear()
        with collector.paused():
            result = op()
            self._postings.flush(self._db)
        return result

    @property
    def schema_version(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self._close_reader()
            self._db.close()

    # -- roots -----------------------------------------------------------------------------
    def roots(self) -> list[tuple[Path, str]]:
        with self._lock:
            return [(stored_path(p), k) for p, k in self._db.execute("SELECT path, kind FROM roots ORDER BY rowid")]

    def add_root(self, path: str | Path) -> None:
        path = Path(path).resolve()
        kind = "folder" if path.is_dir() else "file"
        self._write(lambda: self._db.execute("INSERT OR IGNORE INTO roots VALUES (?, ?)", (path_key(path), kind)))

    def remove_root(self, path: str | Path) -> None:
        key = path_key(Path(path).resolve())
        self._write(lambda: self._db.execute("DELETE FROM roots WHERE path = ?", (key,)))

    def root_files(self) -> list[Path]:
        """Every importable file under the roots now on disk, and those in formats we refuse
        (listed with the reason)."""
        found: dict[Path, None] = {}
        for root, kind in self.roots():
            if kind == "file":
                found[root] = None
            elif root.is_dir():
                for dirpath, _dirs, names in os.walk(root):
                    for name in sorted(names):
                        if Path(name).suffix.lower() in _LISTED and not name.startswith((".", "~$")):
                            found[Path(dirpath, name)] = None
        return list(found)

    # -- import ----------------------------------------------------------------------------
    def refresh(
        self,
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] = lambda: False,
    ) -> ImportReport:
        """Bring the catalogue in line with the files under the roots: import what is new or
        changed, forget what is gone. Unchanged files are not read at all. Then, if the parser
        changed since the documents were stored, parse them again from their stored text."""
        start = time.perf_counter()
        paths = self.root_files()
        with self._lock:
            known = {
                stored_path(p): (size, mtime, problem)
                for p, size, mtime, problem in self._db.execute("SELECT path, size, mtime_ns, problem FROM files")
            }
        imported = unchanged = problems = 0
        pending: list[tuple[Path, os.stat_result]] = []
        for path in paths:
            try:
                st = path.stat()
            except OSError:
                try:
                    st = path.lstat()  # a dangling link: listed with its reason
                except OSError:
                    continue
            seen = known.get(path)
            if seen is not None and seen[0] == st.st_size and seen[1] == st.st_mtime_ns:
                unchanged += 1
                problems += seen[2] is not None
                continue
            pending.append((path, st))
        present = set(paths)
        gone = [p for p in known if p not in present]
        removed = self.forget(gone)
        # Read, parsed, prepared in worker processes (imported here: a start never needs them).
        from minutes.parallel import read_batches

        read = read_batches([path for path, _st in pending], _BATCH, self._read_prepared, work=read_prepared)
        try:
            for index in range(0, len(pending), _BATCH):
                if cancelled():
                    break
                batch = pending[index : index + _BATCH]
                results = [(path, st, result) for (path, st), result in zip(batch, next(read), strict=True)]
                self._write(lambda results=results: self._store_batch(results))
                for _path, _st, result in results:
                    problems += isinstance(result, str)
                    imported += not isinstance(result, str)
                if progress:
                    progress(min(index + _BATCH, len(pending)), len(pending))
        finally:
            read.close()
        if imported:
            self._write(lambda: compact_newest(self._db))
        reparsed = 0 if cancelled() else self.reparse(cancelled, progress)
        if imported or removed or reparsed:  # each frees pages (rewritten postings, rows gone)
            with self._lock, suppress(sqlite3.Error):  # space only: the catalogue is whole without it
                reclaim(self._db)
        return ImportReport(len(paths), imported, unchanged, problems, removed, time.perf_counter() - start, reparsed)

    def _store_batch(self, results: list[tuple[Path, os.stat_result, PreparedDocument | str]]) -> None:
        for path, st, result in results:
            if isinstance(result, str):
                self._store_problem(path, st, result)
            else:
                self._store(path, st, result)

    def reparse(
        self, cancelled: Callable[[], bool] = lambda: False, progress: Callable[[int, int], None] | None = None
    ) -> int:
        """If the documents were parsed by another parser version, parse them again from their
        stored text (no file is read), a batch per transaction, then record this version. An
        interrupted run starts over next time. Returns how many documents were parsed again."""
        with self._lock:
            row = self._db.execute("SELECT value FROM meta WHERE key = 'parser_version'").fetchone()
            if row is not None and row[0] == str(PARSER_VERSION):
                return 0
            keys = [k for (k,) in self._db.execute("SELECT doc_key FROM documents")]
        done = 0
        for index in range(0, len(keys), _BATCH):
            if cancelled():
                return done
            with self._lock:
                rows = [
                    self._db.execute(
                        "SELECT d.doc_key, d.source_path, d.source_format, d.source_text, f.sha256 FROM documents d"
                        " LEFT JOIN files f ON f.path = d.source_path WHERE d.doc_key = ?",
                        (key,),
                    ).fetchone()
                    for key in keys[index : index + _BATCH]
                ]
            # A text the new parser fails on keeps its old reading.
            docs = [(row[0], doc) for row in filter(None, rows) if (doc := prepare_stored(*row)) is not None]
            self._write(lambda docs=docs: self._store_reparsed(docs))
            done += len(docs)
            if progress:
                progress(min(index + _BATCH, len(keys)), len(keys))
        self._write(
            lambda: self._db.execute(
                "INSERT INTO meta VALUES ('parser_version', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (str(PARSER_VERSION),),
            )
        )
        return done

    @staticmethod
    def _read(path: Path) -> SourceDocument | str:
        from minutes.parallel import read_or_reason  # see refresh

        return read_or_reason(path, read_document)

    def _read_prepared(self, path: Path) -> PreparedDocument | str:
        result = self._read(path)
        return result if isinstance(result, str) else prepare_document(result)

    def _store_problem(self, path: Path, st: os.stat_result, reason: str) -> None:
        self._detach(path)
        self._db.execute(_UPSERT_FILE, (path_key(path), st.st_size, st.st_mtime_ns, None, None, reason, None))

    def _store(self, path: Path, st: os.stat_result, doc: PreparedDocument) -> None:
        key = doc.key
        self._detach(path, keep=key)
        row = self._db.execute("SELECT source_path FROM documents WHERE doc_key = ?", (key,)).fetchone()
        primary = row is None or row[0] == path_key(path)
        if primary:
            self._write_document(key, path, doc)
        self._db.execute(
            _UPSERT_FILE, (path_key(path), st.st_size, st.st_mtime_ns, doc.sha256, key, None, doc.encoding)
        )

    def _detach(self, path: Path, keep: str | None = None) -> None:
        """The file no longer yields the document it did: drop that document if no other file
        does, or hand it to another of its sources."""
        row = self._db.execute("SELECT doc_key FROM files WHERE path = ?", (path_key(path),)).fetchone()
        if row is None or row[0] is None or row[0] == keep:
            return
        self._db.execute("UPDATE files SET doc_key = NULL WHERE path = ?", (path_key(path),))
        self._orphan_check(row[0], path_key(path))

    def _orphan_check(self, key: str, leaving: str | bytes) -> None:
        others = [
            p for (p,) in self._db.execute("SELECT path FROM files WHERE doc_key = ? AND path != ?", (key, leaving))
        ]
        source = self._db.execute("SELECT source_path FROM documents WHERE doc_key = ?", (key,)).fetchone()
        if not others:
            self._delete_document(key)
        elif source is not None and source[0] == leaving:
            result = self._read(stored_path(others[0]))
            if isinstance(result, SourceDocument):
                self._write_document(key, stored_path(others[0]), result)
            else:
                self._delete_document(key)

    def forget(self, paths: Iterable[Path]) -> int:
        paths = list(paths)

        def forget() -> None:
            for path in paths:
                self._detach(path)
                self._db.execute("DELETE FROM files WHERE path = ?", (path_key(path),))

        if paths:
            self._write(forget)
        return len(paths)

    def set_roots(self, paths: Iterable[Path]) -> None:
        """Exactly these folders and files (those still on disk) make up the library."""
        wanted = {
            path_key(Path(p).resolve()): "folder" if Path(p).is_dir() else "file" for p in paths if Path(p).exists()
        }

        def replace() -> None:
            self._db.execute("DELETE FROM roots")
            self._db.executemany("INSERT INTO roots VALUES (?, ?)", list(wanted.items()))

        self._write(replace)
