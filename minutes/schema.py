"""The catalogue's tables, their version and the steps from each older version.

Creation and migration run inside one write transaction (BEGIN IMMEDIATE), with the check of
what is there inside it too: two windows started together wait for each other instead of both
creating the tables, and a catalogue is never migrated twice.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from minutes import catalogue_departments, item_roles, item_runs, search_index
from minutes.formats import PARSER_VERSION

SCHEMA_VERSION = 8

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
# Paths (roots.path, files.path, documents.source_path) are text, except a name that is not
# valid UTF-8 (GBK bytes from `unzip`): that one is stored as the bytes os.fsencode gives, a
# BLOB, so it round-trips exactly. meta also holds 'parser_version' (minutes.formats).

# Version 2 records how each file was read ("gb18030", "PDF，3 页" …) and each document's parse
# warnings, for the problems panel.
# Version 3 (#10) records each document's issuing government and genre (minutes or a news
# report) for the tree and the issuer filter, and folds the search index to simplified script;
# clearing the parser version has every stored document parsed and indexed again. Files that
# shared a document are read again: two governments' minutes with the same number and session
# were taken for one document before, and now have keys of their own.
# Version 4 (#15) stores the item text once: the trigram index is contentless (deleting a row
# takes its text, rebuilt from the document), and one- and two-character words are answered by
# a posting table (minutes.search_index) instead of a scan of every item's text in memory. The
# index is built again from the stored documents; nothing is parsed again. The departments that
# attended a meeting are keyed by (document, department) in the table itself, without a second
# index repeating every document key.
# Version 5 (#15) keeps those departments as one row per meeting, by number (minutes.
# catalogue_departments): a tenth of the space.
# Version 6 (#15) keys the one- and two-character postings by block first and keeps one row per
# token and block: the rows are copied and compacted, nothing is read from the documents.
# Version 7 (#15) is for start-up at 100,000 minutes: each meeting's run of items as one row
# (minutes.item_runs), worked out once from the items stored instead of at every start; the list
# of meetings read from an index in the library's order (newest first: no sort at start); the
# documents with parse notes found by an index of their own, without reading past every
# document's stored text; the departments' item counts the filter panel lists at once counted
# from an index of the items that name them (topic_roles_any), not by sorting every role's rows
# (3.5 billion instructions, a third of the start at 100,000 minutes; the index is 2 MB at
# 10,000 minutes). Nothing is parsed again.
# Version 8 (#15) keeps the departments each item names by number, and the role by code
# (minutes.item_roles), keyed by the item: 9.6 MB to 2.9 MB at 10,000 minutes. The rows are
# copied; nothing is read from the documents.
_MIGRATIONS: dict[int, str | Callable[[sqlite3.Connection], None]] = {
    1: "ALTER TABLE files ADD COLUMN format TEXT;\nALTER TABLE documents ADD COLUMN warnings TEXT;",
    2: """ALTER TABLE documents ADD COLUMN issuer TEXT;
ALTER TABLE documents ADD COLUMN genre TEXT;
UPDATE meta SET value = '0' WHERE key = 'parser_version';
UPDATE files SET mtime_ns = -1
    WHERE doc_key IN (SELECT doc_key FROM files WHERE doc_key IS NOT NULL GROUP BY doc_key HAVING COUNT(*) > 1);""",
    3: lambda db: _index_again(db),
    4: catalogue_departments.migrate,
    5: search_index.key_blocks_first,
    6: lambda db: _start_reads(db),
    7: item_roles.migrate,
}

# The order of Meeting.sort_key, newest first when read backwards (a missing session counts as
# 0, a missing date comes last), with every column the start reads: SQLite reads the list of
# meetings from this index alone, in order. It replaces documents_summary (by key), which the
# start of version 6 made when it was missing.
_START_INDEXES = """
DROP INDEX IF EXISTS documents_summary;
CREATE INDEX IF NOT EXISTS documents_start
    ON documents(date, coalesce(session, 0), doc_key, session, doc_number, issuer, genre);
CREATE INDEX IF NOT EXISTS documents_notes ON documents(source_path, warnings) WHERE warnings IS NOT NULL;
CREATE INDEX IF NOT EXISTS topic_roles_any ON topic_roles(dept, role) WHERE role = 'any';
"""


_ATTENDED_V4 = """
CREATE TABLE attended_v4(
    doc_key TEXT NOT NULL REFERENCES documents(doc_key) ON DELETE CASCADE,
    dept TEXT NOT NULL,
    PRIMARY KEY (doc_key, dept)
) WITHOUT ROWID;
INSERT OR IGNORE INTO attended_v4 SELECT doc_key, dept FROM attended;
DROP TABLE attended;
ALTER TABLE attended_v4 RENAME TO attended;
"""


class CatalogueError(Exception):
    """The file is not a catalogue this program can use (another file, a newer version, damage)."""


def statements(script: str) -> list[str]:
    """The statements of a script, one by one: executescript() would commit the transaction
    they must run in."""
    out, current = [], ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            out.append(current.strip())
            current = ""
    if current.strip():
        out.append(current.strip())
    return out


def _run(db: sqlite3.Connection, script: str) -> None:
    for statement in statements(script):
        db.execute(statement)


def _index_again(db: sqlite3.Connection) -> None:
    _run(db, _ATTENDED_V4)
    _run(db, search_index.SCHEMA)
    search_index.rebuild(db)


def _start_reads(db: sqlite3.Connection) -> None:
    _run(db, item_runs.TABLE)
    item_runs.fill(db)
    _run(db, _START_INDEXES)


def _tables(db: sqlite3.Connection) -> set[str]:
    return {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def _version(db: sqlite3.Connection) -> int:
    row = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    if row is None:
        raise CatalogueError("catalogue has no schema version")
    try:
        return int(row[0])
    except ValueError:
        raise CatalogueError(f"bad schema version {row[0]!r}") from None


def _current(db: sqlite3.Connection) -> bool:
    """Whether the catalogue is there and up to date (needs no write: a read-only catalogue
    that is current opens without one)."""
    tables = _tables(db)
    if "meta" not in tables:
        if tables:
            raise CatalogueError("not a Minutes Reader catalogue")
        return False
    version = _version(db)
    if version > SCHEMA_VERSION:
        raise CatalogueError(f"catalogue version {version} is newer than this program ({SCHEMA_VERSION})")
    return version == SCHEMA_VERSION


def prepare(db: sqlite3.Connection) -> None:
    """Create or migrate the tables, once, whoever else opens the same file at the same time."""
    if _current(db):
        return
    db.execute("BEGIN IMMEDIATE")  # waits (busy timeout) while another process creates or migrates
    try:
        if not _current(db):  # still to do now that we hold the write lock
            if "meta" not in _tables(db):
                steps = [_SCHEMA_V1, *(_MIGRATIONS[v] for v in range(1, SCHEMA_VERSION))]
                steps.append(f"INSERT INTO meta VALUES ('schema_version', '{SCHEMA_VERSION}');")
                steps.append(f"INSERT INTO meta VALUES ('parser_version', '{PARSER_VERSION}');")
            else:
                steps = [_MIGRATIONS[v] for v in range(_version(db), SCHEMA_VERSION)]
                steps.append(f"UPDATE meta SET value = '{SCHEMA_VERSION}' WHERE key = 'schema_version';")
            for step in steps:
                if callable(step):
                    step(db)
                else:
                    _run(db, step)
        db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise
