"""Departments in the catalogue by number, and the departments that attended each meeting as one
packed row per meeting.

A meeting names some sixty attending units (列席). Kept as a row per unit, each repeating the
document key and the unit's name, they made the catalogue's third-largest table (29 MB of 359
at 10,000 minutes); as one row per meeting holding the units' numbers, two bytes each, they
cost a few percent of that. Names get their numbers in `departments`, which only grows: a
number, once committed, always means the same name, so a number cached by one writer stays
right whatever another writer adds.
"""

from __future__ import annotations

import sqlite3
import sys
from array import array
from collections import defaultdict
from collections.abc import Iterable, Iterator

SCHEMA = """
CREATE TABLE departments(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE attended(
    doc_key TEXT PRIMARY KEY REFERENCES documents(doc_key) ON DELETE CASCADE,
    depts BLOB NOT NULL            -- numbers in departments, packed (pack_ids)
) WITHOUT ROWID;
"""

_SWAP = sys.byteorder == "big"  # stored little-endian


def pack_ids(ids: Iterable[int]) -> bytes:
    """Numbers as a type byte ("H" or "I") and their little-endian values."""
    values = array("H")
    ids = list(ids)
    if ids and max(ids) > 0xFFFF:
        values = array("I")
    values.extend(ids)
    if _SWAP:
        values.byteswap()
    return values.typecode.encode() + values.tobytes()


def unpack_ids(blob: bytes) -> array:
    values = array(chr(blob[0]))  # ValueError for a type byte that is not H or I: damage
    if values.typecode not in "HI":
        raise ValueError(f"bad department list type {values.typecode!r}")
    values.frombytes(blob[1:])
    if _SWAP:
        values.byteswap()
    return values


class DepartmentIds:
    """A writer's cache of department numbers. Numbers given inside a transaction are kept
    apart until it commits: a rolled-back transaction takes its new numbers with it."""

    def __init__(self) -> None:
        self._known: dict[str, int] = {}
        self._new: dict[str, int] = {}

    def ids(self, db: sqlite3.Connection, names: Iterable[str]) -> list[int]:
        out = []
        for name in names:
            number = self._known.get(name) or self._new.get(name)
            if number is None:
                row = db.execute("SELECT id FROM departments WHERE name = ?", (name,)).fetchone()
                if row is None:
                    number = db.execute("INSERT INTO departments(name) VALUES (?)", (name,)).lastrowid
                    assert number is not None  # set by every INSERT
                    self._new[name] = number
                else:
                    number = self._known[name] = row[0]
            out.append(number)
        return out

    def committed(self) -> None:
        self._known.update(self._new)
        self._new.clear()

    def forget(self) -> None:
        """After a rollback, or when the writer moves to another database."""
        self._known.clear()
        self._new.clear()


def write_attended(db: sqlite3.Connection, numbers: DepartmentIds, key: str, names: Iterable[str]) -> None:
    """The attendance of a document just written (its row went with the document before it).
    A plain INSERT, not OR REPLACE: with foreign keys on, REPLACE takes a statement savepoint,
    and the trigram index writes out its pending terms at every savepoint; that made this
    one statement cost more than the rest of storing a document."""
    ids = list(dict.fromkeys(numbers.ids(db, names)))
    if ids:
        db.execute("INSERT INTO attended VALUES (?, ?)", (key, pack_ids(ids)))


def department_names(db: sqlite3.Connection) -> dict[int, str]:
    """Number -> name of every department the catalogue has numbered."""
    return dict(db.execute("SELECT id, name FROM departments"))


def attended(db: sqlite3.Connection) -> Iterator[tuple[str, list[int]]]:
    """(department, rowids of the documents it attended), for Catalogue.attended."""
    names = department_names(db)
    rows = db.execute("SELECT d.rowid, a.depts FROM attended a JOIN documents d ON d.doc_key = a.doc_key").fetchall()
    groups: defaultdict[int, list[int]] = defaultdict(list)
    try:
        for rowid, blob in rows:
            for number in unpack_ids(blob):
                groups[number].append(rowid)
    except (IndexError, TypeError, ValueError) as exc:
        raise sqlite3.DatabaseError(f"attendance row cannot be read: {exc}") from None  # damage: rebuilt
    for number, rowids in groups.items():
        if number not in names:
            raise sqlite3.DatabaseError(f"attendance names unknown department {number}")
        yield names[number], rowids


def migrate(db: sqlite3.Connection) -> None:
    """Version 4's row per (document, department) to a row per document (in the migration's
    transaction)."""
    rows = db.execute("SELECT doc_key, dept FROM attended ORDER BY doc_key").fetchall()
    db.execute("DROP TABLE attended")
    for statement in SCHEMA.split(";"):
        if statement.strip():
            db.execute(statement)
    by_document: defaultdict[str, list[str]] = defaultdict(list)
    for key, name in rows:
        by_document[key].append(name)
    numbers = DepartmentIds()
    for key, names in by_document.items():
        write_attended(db, numbers, key, names)
