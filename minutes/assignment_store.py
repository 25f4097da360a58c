"""Each meeting's assignments, extracted while the catalogue stores the meeting and kept beside it.

The import has the parsed minutes in hand, so extracting there costs only the extraction; the
first 台账 open after an import then reads the tasks back instead of every meeting. The tasks
are rebuildable from the files, so the catalogue is their home (its own table, written in the
same transaction as the document, and again whenever the document is: a re-import with edited
text, a re-parse for a new parser). The ledger (what users record) is a
store of its own and never touched here.

Rows carry the version of the extraction and of the program; a row of another version is
ignored (the 台账 then extracts that meeting itself, through minutes.ledger_cache). The table is
created by the first document stored, so a catalogue from before keeps working unchanged and
needs no schema step. Plain Python, no Qt.
"""

from __future__ import annotations

import json
import sqlite3
import time
import zlib
from typing import TYPE_CHECKING

import minutes

if TYPE_CHECKING:
    from minutes.assignments import MeetingRef, Task
    from minutes.model import Minutes

TABLE = "assignment_tasks"
# Seconds this process has spent in store(): what extracting adds to its imports (bench/ledger.py
# reports it against the import's time; two clock reads per document cost nothing beside it).
spent = 0.0
# No foreign key to documents: with foreign keys on, checking it made each insert cost more than
# the extraction. A document's row is replaced whenever the document is written, and rows are
# read joined with documents, so one whose document has gone is never used.
_DDL = f"CREATE TABLE IF NOT EXISTS {TABLE}(doc_key TEXT PRIMARY KEY, version TEXT NOT NULL, data BLOB NOT NULL)"


def version() -> str:
    """What a stored row must carry to be used: this extraction's version and this program's."""
    from minutes.assignments import EXTRACTION_VERSION

    return f"e{EXTRACTION_VERSION}|{minutes.__version__}"


def task_data(task: Task) -> dict:
    return {"item_title": task.item_title, **task.assignment.to_dict()}


def to_json(tasks: list[Task]) -> str:
    """One meeting's tasks as JSON (the meeting once, then each task)."""
    ref = tasks[0].meeting.to_dict() if tasks else None
    return json.dumps({"meeting": ref, "tasks": [task_data(t) for t in tasks]}, ensure_ascii=False)


def from_json(text: str | bytes) -> list[Task]:
    from minutes.assignments import Assignment, MeetingRef, Task

    d = json.loads(text)
    if not d["meeting"]:
        return []
    ref: MeetingRef = MeetingRef.from_dict(d["meeting"])
    return [Task(ref, t["item_title"], Assignment.from_dict(t)) for t in d["tasks"]]


def pack(tasks: list[Task]) -> bytes:
    """One meeting's tasks as stored in the catalogue."""
    return zlib.compress(to_json(tasks).encode("utf-8"), 1)


def unpack(data: bytes) -> list[Task]:
    return from_json(zlib.decompress(data))


def store(db: sqlite3.Connection, key: str, parsed: Minutes) -> None:
    """Extract and keep the tasks of the document just written under key, in the caller's
    transaction (minutes.catalogue writes the document). An extraction that fails stores
    nothing: the 台账 extracts that meeting itself, and says so if it fails there too."""
    global spent
    from minutes.assignments import tasks_of

    start = time.perf_counter()
    try:
        data = pack(tasks_of(parsed, key))
    except Exception:  # an extraction bug must not cost the import its document
        data = None
    db.execute(_DDL)  # a no-op once the table is there; a catalogue from before gets it here
    if data is None:  # no stale tasks of an earlier version of the document either
        db.execute(f"DELETE FROM {TABLE} WHERE doc_key = ?", (key,))
    else:
        db.execute(f"INSERT OR REPLACE INTO {TABLE}(doc_key, version, data) VALUES (?, ?, ?)", (key, version(), data))
    spent += time.perf_counter() - start


def rows(db: sqlite3.Connection) -> list[tuple[str, bytes]]:
    """(doc_key, packed tasks) of this version, of documents the catalogue holds (a row whose
    document has gone is never used). Run by the catalogue under its lock."""
    try:
        return db.execute(
            f"SELECT t.doc_key, t.data FROM {TABLE} t JOIN documents d ON d.doc_key = t.doc_key WHERE t.version = ?",
            (version(),),
        ).fetchall()
    except sqlite3.OperationalError:  # no table yet: nothing stored since this version
        return []


def stored(catalogue) -> dict[str, list[Task]]:
    """doc_key → its tasks, for every document of the catalogue (a minutes.catalogue.Catalogue)
    whose stored tasks are of this version. Decoded outside the catalogue's lock."""
    try:
        found = catalogue.task_rows()
    except sqlite3.Error:  # a catalogue that cannot answer: every meeting is extracted afresh
        return {}
    return {key: unpack(data) for key, data in found}
