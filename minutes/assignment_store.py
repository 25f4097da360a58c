"""Each meeting's assignments, extracted while the catalogue stores the meeting and kept beside it.

The import has the parsed minutes in hand, so extracting there costs only the extraction; the
first 台账 open after an import then reads the tasks back instead of every meeting. The tasks
are rebuildable from the files, so the catalogue is their home (its own table, written in the
same transaction as the document, and again whenever the document is: a re-import with edited
text, a re-parse for a new parser). The ledger (what users record) is a
store of its own and never touched here.

Rows carry the version of the extraction, of their stored form (pack) and of the program; a
row of another version is ignored (the 台账 then extracts that meeting itself, through
minutes.ledger_cache). The table is created by the first document stored, so a catalogue from
before keeps working unchanged and needs no schema step. Plain Python, no Qt.
"""

from __future__ import annotations

import datetime as dt
import marshal
import sqlite3
import time
import zlib
from typing import TYPE_CHECKING

import minutes
from minutes import collector, packing

if TYPE_CHECKING:
    from minutes.assignments import Task
    from minutes.model import Minutes

TABLE = "assignment_tasks"
# The stored form's version (see pack): rows and cache entries of another form are not read.
FORMAT = 3
# Deflate level of the stored tasks: against the source text, level 3 is a quarter smaller than 1
# and takes fewer instructions (longer matches, fewer literals).
_LEVEL = 3
_MARSHAL = 4  # marshal's format, pinned (see pack)
_PAGE = 500  # stored rows read at a time: with their texts about 3 MB, not all 100,000 at once
# Seconds this process has spent in extract() and write(): what extracting adds to its imports
# (bench/ledger.py reports it against the import's time; two clock reads per document cost
# nothing beside it). An import that extracts in worker processes counts only the writes here.
spent = 0.0
# No foreign key to documents: with foreign keys on, checking it made each insert cost more than
# the extraction. A document's row is replaced whenever the document is written, and rows are
# read joined with documents, so one whose document has gone is never used.
_DDL = f"CREATE TABLE IF NOT EXISTS {TABLE}(doc_key TEXT PRIMARY KEY, version TEXT NOT NULL, data BLOB NOT NULL)"


def version() -> str:
    """What a stored row must carry to be used: this extraction's version and this program's."""
    from minutes.assignments import EXTRACTION_VERSION

    return f"e{EXTRACTION_VERSION}|f{FORMAT}|{minutes.__version__}"


def _day(ordinal: int) -> dt.date | None:
    return dt.date.fromordinal(ordinal) if ordinal else None


def pack(tasks: list[Task], source: str | None = None) -> bytes:
    """One meeting's tasks as stored: the meeting, each item's title once, the tasks' ids (the
    ledger joins on them at the first open) and one tuple per task's assignment (the action,
    when it is a piece of the task's text, as where it starts and ends), marshalled and deflated
    with the meeting's source text as preset dictionary where it is given (the catalogue has
    it, and the tasks repeat it). marshal: far fewer instructions than json each way; written
    in its format 4, which every Python since 3.4 reads, so a newer Python reads what this one
    wrote (the version string does not change with Python)."""
    if not tasks:
        return _deflate(marshal.dumps((), _MARSHAL), source)
    m = tasks[0].meeting
    titles: dict[int, str] = {}
    rows: list[tuple] = []
    # The ids (10 hex digits each) as 5 bytes each, in one piece: a fifth of the packed bytes less.
    ids = bytes.fromhex("".join([task.id for task in tasks]))
    for task in tasks:
        a = task.assignment
        titles[a.item] = task.item_title
        action: str | tuple[int, int] = a.action
        at = a.text.find(action) if action else -1
        if at != -1:
            action = (at, at + len(a.action))
        due = a.due
        rows.append(
            (
                a.item, a.resolution, a.text, a.lead, a.co, a.to_all, a.scope, action, a.documents,
                None if due is None else (
                    due.words,
                    due.date.toordinal() if due.date else 0,
                    due.start.toordinal() if due.start else 0,
                    due.recurring,
                ),
            )
        )  # fmt: skip
    meeting = (m.key, m.doc_number, m.session, m.date.toordinal() if m.date else 0)
    return _deflate(marshal.dumps((meeting, tuple(titles.items()), ids, tuple(rows)), _MARSHAL), source)


def _deflate(data: bytes, source: str | None) -> bytes:
    if source is None:
        return zlib.compress(data, _LEVEL)
    packer = zlib.compressobj(_LEVEL, zdict=packing.dictionary(source))
    return packer.compress(data) + packer.flush()


def needs_source(data: bytes) -> bool:
    """Whether data was deflated against its meeting's source text (unpack then needs it)."""
    return packing.has_dictionary(data)


def unpack(data: bytes, dictionary: bytes | None = None) -> list[Task]:
    """The tasks pack stored; dictionary: packing.dictionary of the meeting's source text, where
    pack was given it. Raises ValueError if data is not what pack made with that text."""
    from minutes.assignments import Assignment, Due, MeetingRef, Task, fast_instance

    try:
        if needs_source(data):
            if dictionary is None:
                raise ValueError("the tasks were deflated against their source text")
            unpacker = zlib.decompressobj(zdict=dictionary)
            raw = unpacker.decompress(data) + unpacker.flush()
        else:
            raw = zlib.decompress(data)
        found = marshal.loads(raw)
    except (zlib.error, EOFError, TypeError) as e:  # another text's dictionary (its checksum differs)
        raise ValueError(f"not a stored form of tasks: {e}") from None
    if not found:
        return []
    (key, doc_number, session, day), titles, ids, rows = found
    ref = MeetingRef(key, doc_number, session, _day(day))
    title = dict(titles)
    tasks = []
    digits = ids.hex()
    at = 0
    for item, number, text, lead, co, to_all, scope, action, documents, due in rows:
        if action.__class__ is tuple:
            action = text[action[0] : action[1]]
        if due is not None:
            due = fast_instance(
                Due, {"words": due[0], "date": _day(due[1]), "start": _day(due[2]), "recurring": due[3]}
            )
        assignment = fast_instance(
            Assignment,
            {
                "item": item,
                "resolution": number,
                "text": text,
                "lead": lead,
                "co": co,
                "to_all": to_all,
                "scope": scope,
                "action": action,
                "documents": documents,
                "due": due,
            },
        )
        # The id as the cached_property keeps it: the ledger joins on it at the first open.
        tasks.append(
            fast_instance(
                Task, {"meeting": ref, "item_title": title[item], "assignment": assignment, "id": digits[at : at + 10]}
            )
        )
        at += 10
    return tasks


def extract(parsed: Minutes, key: str, source: str | None = None) -> bytes | None:
    """The tasks of a document as `write` stores them, or None if the extraction fails: an
    extraction that fails stores nothing, and the 台账 extracts that meeting itself, saying so if
    it fails there too. source: the document's source text, as the catalogue stores it (the
    tasks are deflated against it). Needs no catalogue: an import runs it in its worker
    processes (minutes.prepared)."""
    global spent
    from minutes.assignments import tasks_of

    start = time.perf_counter()
    try:
        return pack(tasks_of(parsed, key), source)
    except Exception:  # an extraction bug must not cost the import its document
        return None
    finally:
        spent += time.perf_counter() - start


def write(db: sqlite3.Connection, key: str, data: bytes | None) -> None:
    """Keep what `extract` gave for the document under key, in the caller's transaction."""
    global spent
    start = time.perf_counter()
    db.execute(_DDL)  # a no-op once the table is there; a catalogue from before gets it here
    if data is None:  # no stale tasks of an earlier version of the document either
        db.execute(f"DELETE FROM {TABLE} WHERE doc_key = ?", (key,))
    else:
        db.execute(f"INSERT OR REPLACE INTO {TABLE}(doc_key, version, data) VALUES (?, ?, ?)", (key, version(), data))
    spent += time.perf_counter() - start


def rows(db: sqlite3.Connection, after: str = "", limit: int = -1) -> list[tuple[str, bytes, bytes]]:
    """(doc_key, packed tasks, the document's packed text) of this version, of documents the
    catalogue holds (a row whose document has gone is never used), by key: at most limit rows
    (-1: all) with keys after `after`. Run by the catalogue under its lock."""
    try:
        return db.execute(
            f"SELECT t.doc_key, t.data, d.source_text FROM {TABLE} t JOIN documents d ON d.doc_key = t.doc_key"
            " WHERE t.version = ? AND t.doc_key > ? ORDER BY t.doc_key LIMIT ?",
            (version(), after, limit),
        ).fetchall()
    except sqlite3.OperationalError:  # no table yet: nothing stored since this version
        return []


def stored(catalogue) -> dict[str, list[Task]]:
    """doc_key → its tasks, for every document of the catalogue (a minutes.catalogue.Catalogue)
    whose stored tasks are of this version. Decoded outside the catalogue's lock. A row that
    does not unpack against its document's text is left out (the 台账 extracts that meeting).
    Read a page at a time: the texts of 100,000 meetings at once would be 500 MB."""
    tasks: dict[str, list[Task]] = {}
    after = ""
    with collector.paused():  # ten objects a task, none in a cycle
        while True:
            try:
                page = catalogue.task_rows(after, _PAGE)
            except sqlite3.Error:  # a catalogue that cannot answer: the rest is extracted afresh
                return tasks
            for key, data, text in page:
                try:
                    tasks[key] = unpack(data, packing.packed_dictionary(text) if needs_source(data) else None)
                except Exception:  # damage, or a layout FORMAT should have named: extracted afresh
                    continue
            if len(page) < _PAGE:
                return tasks
            after = page[-1][0]
