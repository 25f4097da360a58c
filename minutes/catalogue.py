"""The persistent catalogue: every file the user added, what it yielded, and indexes to filter
and search by, in SQLite (WAL).

A file is parsed once: a restart compares size and mtime (then the content hash) and re-reads
only what changed. Imports commit in small batches, so killing the app mid-import loses nothing
already committed, and SQLite's journal keeps the file consistent. A catalogue that cannot be
read (corrupt, or from a newer version) is set aside and rebuilt from the files, and `notice`
says so. The schema has a version, and older catalogues are migrated.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from minutes.departments import Role
from minutes.formats import SUFFIXES, ReadError
from minutes.model import Minutes, SourceDocument
from minutes.serialize import from_data, to_data


def read_document(path: Path) -> SourceDocument:
    """Read and parse one file. The parser is imported on first use: opening the catalogue at
    start-up does not read files."""
    from minutes.source import read_document as read

    return read(path)


SCHEMA_VERSION = 2

_SCHEMA_V1 = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE roots(path TEXT PRIMARY KEY, kind TEXT NOT NULL CHECK (kind IN ('folder', 'file')));
CREATE TABLE documents(
    doc_key TEXT PRIMARY KEY,
    session INTEGER,
    date TEXT,
    doc_number TEXT,
    data BLOB NOT NULL,            -- zlib(JSON of the parsed minutes)
    source_path TEXT NOT NULL,     -- the source shown in the 原文 view
    source_format TEXT NOT NULL,
    source_text BLOB NOT NULL      -- zlib(text as read)
);
CREATE TABLE files(
    path TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    sha256 TEXT,
    doc_key TEXT,                  -- kept by the catalogue itself: no foreign key, as rewriting a
                                   -- document must not detach its other source files
    problem TEXT                   -- why the file could not be read, or NULL
);
CREATE INDEX files_doc ON files(doc_key);
CREATE TABLE topics(
    id INTEGER PRIMARY KEY,
    doc_key TEXT NOT NULL REFERENCES documents(doc_key) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    title TEXT NOT NULL,
    kind TEXT NOT NULL,
    UNIQUE (doc_key, number)
);
CREATE TABLE topic_roles(
    topic_id INTEGER NOT NULL REFERENCES topics(id) ON DELETE CASCADE,
    dept TEXT NOT NULL,
    role TEXT NOT NULL             -- any (named at all), lead, co, reporting
);
CREATE INDEX topic_roles_topic ON topic_roles(topic_id);
CREATE TABLE attended(
    doc_key TEXT NOT NULL REFERENCES documents(doc_key) ON DELETE CASCADE,
    dept TEXT NOT NULL
);
CREATE INDEX attended_doc ON attended(doc_key);
CREATE VIRTUAL TABLE topic_text USING fts5(text, tokenize = 'trigram');
"""

# Version 2 records how each file was read ("gb18030", "PDF，3 页" …) and each document's parse
# warnings, for the problems panel.
_MIGRATIONS = {
    1: "ALTER TABLE files ADD COLUMN format TEXT;\nALTER TABLE documents ADD COLUMN warnings TEXT;",
}

# An upsert, not INSERT OR REPLACE: REPLACE has delete semantics, and with foreign keys on it
# cost more than everything else in storing a document.
_UPSERT_FILE = (
    "INSERT INTO files(path, size, mtime_ns, sha256, doc_key, problem, format) VALUES (?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT(path) DO UPDATE SET size = excluded.size, mtime_ns = excluded.mtime_ns, sha256 = excluded.sha256,"
    " doc_key = excluded.doc_key, problem = excluded.problem, format = excluded.format"
)

_BATCH = 100  # files per transaction: what a crash can lose is at most one uncommitted batch


class CatalogueError(Exception):
    pass


@dataclass(frozen=True)
class DocumentRow:
    doc_key: str
    session: int | None
    date: dt.date | None
    doc_number: str | None


@dataclass(frozen=True)
class FileProblem:
    path: Path
    reason: str


@dataclass(frozen=True)
class ImportReport:
    scanned: int
    imported: int
    unchanged: int
    problems: int
    removed: int
    seconds: float


def document_key(minutes: Minutes, sha256: str) -> str:
    """The same minutes from two sources (a PDF and a web copy) share a key."""
    if minutes.doc_number and minutes.session:
        return f"{minutes.doc_number}#{minutes.session}"
    if minutes.session and minutes.date:
        return f"第{minutes.session}次@{minutes.date.isoformat()}"
    return f"sha256:{sha256}"


def _pack(text: str) -> bytes:
    # Level 1: three times faster than the default for a few percent more space.
    return zlib.compress(text.encode("utf-8"), 1)


def _unpack(blob: bytes) -> str:
    return zlib.decompress(blob).decode("utf-8")


class Catalogue:
    def __init__(self, path: str | Path = ":memory:") -> None:
        self.path = str(path)
        self.notice: str | None = None  # for the user: why the catalogue was rebuilt
        self.rebuilt = False
        self._lock = threading.RLock()
        self._db = self._open()

    # -- opening, recovery, migration ------------------------------------------------------
    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=30)
        db.execute("PRAGMA foreign_keys = ON")
        if self.path != ":memory:":
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = NORMAL")
        return db

    def _open(self) -> sqlite3.Connection:
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        try:
            db = self._connect()
            self._prepare(db)
            return db
        except (sqlite3.DatabaseError, CatalogueError) as exc:
            return self._rebuild(str(exc))

    def _prepare(self, db: sqlite3.Connection) -> None:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "meta" not in tables:
            if tables:
                raise CatalogueError("not a Minutes Reader catalogue")
            steps = [_MIGRATIONS[v] for v in range(1, SCHEMA_VERSION)]
            _script(db, [_SCHEMA_V1, *steps, f"INSERT INTO meta VALUES ('schema_version', '{SCHEMA_VERSION}');"])
            return
        version = int(db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0])
        if version > SCHEMA_VERSION:
            raise CatalogueError(f"catalogue version {version} is newer than this program ({SCHEMA_VERSION})")
        if version < SCHEMA_VERSION:
            steps = [_MIGRATIONS[v] for v in range(version, SCHEMA_VERSION)]
            _script(db, [*steps, f"UPDATE meta SET value = '{SCHEMA_VERSION}' WHERE key = 'schema_version';"])
        # Damage deeper in the file shows when the library first reads the tables at start-up
        # (Library.open rebuilds then); a full integrity check here would cost seconds per start.

    def _rebuild(self, reason: str) -> sqlite3.Connection:
        if self.path == ":memory:":
            raise CatalogueError(reason)
        stamp = time.strftime("%Y%m%d-%H%M%S")
        for suffix in ("", "-wal", "-shm"):
            old = Path(self.path + suffix)
            if old.exists():
                os.replace(old, f"{self.path}.broken-{stamp}{suffix}")
        self.notice = f"纪要索引无法读取（{reason}），已另存为 {Path(self.path).name}.broken-{stamp}，正在从文件重建。"
        self.rebuilt = True
        db = self._connect()
        self._prepare(db)
        return db

    def rebuild(self, reason: str) -> None:
        """Set a damaged catalogue aside and start an empty one; the roots are kept."""
        with self._lock:
            try:
                roots = self._db.execute("SELECT path, kind FROM roots").fetchall()
            except sqlite3.DatabaseError:
                roots = []
            self._db.close()
            self._db = self._rebuild(reason)
            with _transaction(self._db):
                self._db.executemany("INSERT OR IGNORE INTO roots VALUES (?, ?)", roots)

    @property
    def schema_version(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # -- roots -----------------------------------------------------------------------------
    def roots(self) -> list[tuple[Path, str]]:
        with self._lock:
            return [(Path(p), k) for p, k in self._db.execute("SELECT path, kind FROM roots ORDER BY rowid")]

    def add_root(self, path: str | Path) -> None:
        path = Path(path).resolve()
        kind = "folder" if path.is_dir() else "file"
        with self._lock, _transaction(self._db):
            self._db.execute("INSERT OR IGNORE INTO roots VALUES (?, ?)", (str(path), kind))

    def remove_root(self, path: str | Path) -> None:
        with self._lock, _transaction(self._db):
            self._db.execute("DELETE FROM roots WHERE path = ?", (str(Path(path).resolve()),))

    def root_files(self) -> list[Path]:
        """Every importable file under the roots now on disk."""
        found: dict[Path, None] = {}
        for root, kind in self.roots():
            if kind == "file":
                found[root] = None
            elif root.is_dir():
                for dirpath, _dirs, names in os.walk(root):
                    for name in sorted(names):
                        if Path(name).suffix.lower() in SUFFIXES and not name.startswith((".", "~$")):
                            found[Path(dirpath, name)] = None
        return list(found)

    # -- import ----------------------------------------------------------------------------
    def refresh(
        self,
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] = lambda: False,
    ) -> ImportReport:
        """Bring the catalogue in line with the files under the roots: import what is new or
        changed, forget what is gone. Unchanged files are not read at all."""
        start = time.perf_counter()
        paths = self.root_files()
        with self._lock:
            known = {
                Path(p): (size, mtime, problem)
                for p, size, mtime, problem in self._db.execute("SELECT path, size, mtime_ns, problem FROM files")
            }
        imported = unchanged = problems = 0
        pending: list[tuple[Path, os.stat_result]] = []
        for path in paths:
            try:
                st = path.stat()
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
        for index in range(0, len(pending), _BATCH):
            if cancelled():
                break
            batch = pending[index : index + _BATCH]
            results = [(path, st, self._read(path)) for path, st in batch]  # parse outside the lock
            with self._lock, _transaction(self._db):
                for path, st, result in results:
                    if isinstance(result, str):
                        problems += 1
                        self._store_problem(path, st, result)
                    else:
                        imported += 1
                        self._store(path, st, result)
            if progress:
                progress(min(index + _BATCH, len(pending)), len(pending))
        return ImportReport(len(paths), imported, unchanged, problems, removed, time.perf_counter() - start)

    @staticmethod
    def _read(path: Path) -> SourceDocument | str:
        try:
            return read_document(path)
        except ReadError as exc:
            return str(exc)
        except Exception as exc:  # a parser bug must cost one file, not the import
            return f"解析出错：{type(exc).__name__}: {exc}"

    def _store_problem(self, path: Path, st: os.stat_result, reason: str) -> None:
        self._detach(path)
        self._db.execute(_UPSERT_FILE, (str(path), st.st_size, st.st_mtime_ns, None, None, reason, None))

    def _store(self, path: Path, st: os.stat_result, doc: SourceDocument) -> None:
        key = document_key(doc.minutes, doc.sha256)
        self._detach(path, keep=key)
        row = self._db.execute("SELECT source_path FROM documents WHERE doc_key = ?", (key,)).fetchone()
        primary = row is None or row[0] == str(path)
        if primary:
            self._write_document(key, path, doc)
        self._db.execute(_UPSERT_FILE, (str(path), st.st_size, st.st_mtime_ns, doc.sha256, key, None, doc.encoding))

    def _write_document(self, key: str, path: Path, doc: SourceDocument) -> None:
        m = doc.minutes
        db = self._db
        self._delete_document(key)
        db.execute(
            "INSERT INTO documents(doc_key, session, date, doc_number, data, source_path, source_format, source_text,"
            " warnings) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                key,
                m.session,
                m.date.isoformat() if m.date else None,
                m.doc_number,
                _pack(json.dumps(to_data(m), ensure_ascii=False, separators=(",", ":"))),
                str(path),
                doc.encoding,
                _pack(doc.text),
                "\n".join(m.warnings) or None,
            ),
        )
        for topic in m.topics:
            cursor = db.execute(
                "INSERT INTO topics(doc_key, number, title, kind) VALUES (?, ?, ?, ?)",
                (key, topic.number, topic.title, topic.kind),
            )
            topic_id = cursor.lastrowid
            roles = {(ref.name, "any") for r in topic.resolutions for ref in r.roles}
            roles |= {
                (ref.name, ref.role.value)
                for r in topic.resolutions
                for ref in r.roles
                if ref.role is not Role.MENTIONED
            }
            db.executemany("INSERT INTO topic_roles VALUES (?, ?, ?)", [(topic_id, d, role) for d, role in roles])
            text = "\n".join([topic.title, *(r.text for r in topic.resolutions)])
            db.execute("INSERT INTO topic_text(rowid, text) VALUES (?, ?)", (topic_id, text))
        db.executemany("INSERT INTO attended VALUES (?, ?)", [(key, d) for d in m.attending_departments])

    def _delete_document(self, key: str) -> None:
        db = self._db
        # By rowid, one at a time: FTS5 does not use `rowid IN (subquery)` and would scan the
        # whole index for every document.
        ids = db.execute("SELECT id FROM topics WHERE doc_key = ?", (key,)).fetchall()
        if ids:
            db.executemany("DELETE FROM topic_text WHERE rowid = ?", ids)
        db.execute("DELETE FROM documents WHERE doc_key = ?", (key,))

    def _detach(self, path: Path, keep: str | None = None) -> None:
        """The file no longer yields the document it did: drop that document if no other file
        does, or hand it to another of its sources."""
        row = self._db.execute("SELECT doc_key FROM files WHERE path = ?", (str(path),)).fetchone()
        if row is None or row[0] is None or row[0] == keep:
            return
        self._db.execute("UPDATE files SET doc_key = NULL WHERE path = ?", (str(path),))
        self._orphan_check(row[0], str(path))

    def _orphan_check(self, key: str, leaving: str) -> None:
        others = [
            p for (p,) in self._db.execute("SELECT path FROM files WHERE doc_key = ? AND path != ?", (key, leaving))
        ]
        source = self._db.execute("SELECT source_path FROM documents WHERE doc_key = ?", (key,)).fetchone()
        if not others:
            self._delete_document(key)
        elif source is not None and source[0] == leaving:
            result = self._read(Path(others[0]))
            if isinstance(result, SourceDocument):
                self._write_document(key, Path(others[0]), result)
            else:
                self._delete_document(key)

    def forget(self, paths: Iterable[Path]) -> int:
        paths = list(paths)
        with self._lock, _transaction(self._db):
            for path in paths:
                self._detach(path)
                self._db.execute("DELETE FROM files WHERE path = ?", (str(path),))
        return len(paths)

    # -- reading ---------------------------------------------------------------------------
    def document_rows(self) -> list[DocumentRow]:
        with self._lock:
            rows = self._db.execute("SELECT doc_key, session, date, doc_number FROM documents").fetchall()
        return [DocumentRow(k, s, dt.date.fromisoformat(d) if d else None, n) for k, s, d, n in rows]

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
        """(department, items) for one role, counted by SQLite without loading the rows."""
        with self._lock:
            return self._db.execute(
                "SELECT dept, COUNT(*) FROM topic_roles WHERE role = ? GROUP BY dept", (role,)
            ).fetchall()

    def attended(self) -> Iterator[tuple[str, list[int]]]:
        """(department, rowids of the documents it attended), grouped by SQLite: numbers, not
        key strings, so a large library costs no burst of short-lived strings."""
        with self._lock:
            groups = self._db.execute(
                "SELECT a.dept, group_concat(d.rowid) FROM attended a JOIN documents d ON d.doc_key = a.doc_key"
                " GROUP BY a.dept"
            ).fetchall()
        for dept, rowids in groups:
            yield dept, [int(r) for r in rowids.split(",")]

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
        data, path, fmt, text, sha = row
        return SourceDocument(Path(path), fmt, _unpack(text), sha or "", from_data(json.loads(_unpack(data))))

    def sources(self, key: str) -> list[Path]:
        with self._lock:
            return [
                Path(p) for (p,) in self._db.execute("SELECT path FROM files WHERE doc_key = ? ORDER BY path", (key,))
            ]

    def problems(self) -> list[FileProblem]:
        with self._lock:
            rows = self._db.execute("SELECT path, problem FROM files WHERE problem IS NOT NULL ORDER BY path")
            return [FileProblem(Path(p), reason) for p, reason in rows]

    def parse_notes(self) -> list[tuple[Path, list[str]]]:
        """Documents that were read but parsed with warnings, by source file."""
        with self._lock:
            rows = self._db.execute(
                "SELECT source_path, warnings FROM documents WHERE warnings IS NOT NULL ORDER BY source_path"
            )
            return [(Path(p), w.split("\n")) for p, w in rows]

    def set_roots(self, paths: Iterable[Path]) -> None:
        """Exactly these folders and files (those still on disk) make up the library."""
        wanted = {str(Path(p).resolve()): "folder" if Path(p).is_dir() else "file" for p in paths if Path(p).exists()}
        with self._lock, _transaction(self._db):
            self._db.execute("DELETE FROM roots")
            self._db.executemany("INSERT INTO roots VALUES (?, ?)", list(wanted.items()))

    def topic_texts(self, chunk: int = 4000) -> Iterator[list[tuple[int, str]]]:
        """(item id, lower-cased text) of every item, a chunk of rows at a time."""
        last = -1
        while True:  # chunk by chunk: the whole text at once would double the peak memory
            with self._lock:
                rows = self._db.execute(
                    "SELECT rowid, lower(text) FROM topic_text WHERE rowid > ? ORDER BY rowid LIMIT ?", (last, chunk)
                ).fetchall()
            if not rows:
                return
            yield rows
            last = rows[-1][0]

    def search_fts(self, text: str) -> set[int]:
        """Topic ids whose title or resolutions contain text (3 characters or more)."""
        phrase = '"' + text.replace('"', '""') + '"'
        with self._lock:
            return {
                row[0] for row in self._db.execute("SELECT rowid FROM topic_text WHERE topic_text MATCH ?", (phrase,))
            }


def _script(db: sqlite3.Connection, parts: list[str]) -> None:
    """Run DDL atomically. executescript() commits any open transaction first, so the script
    carries its own BEGIN and COMMIT."""
    try:
        db.executescript("BEGIN IMMEDIATE;\n" + "\n".join(parts) + "\nCOMMIT;")
    except BaseException:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise


@contextmanager
def _transaction(db: sqlite3.Connection):
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        db.execute("ROLLBACK")
        raise
    else:
        db.execute("COMMIT")
