"""The departments each agenda item names, and in which role, by number (schema 8).

An item names a few departments, each in the role "any" (named at all) and in its roles (lead,
co, reporting). Kept as text, every row repeated the department's name and the role's, and its
two indexes repeated them again: 9.6 MB of a 208 MB catalogue at 10,000 minutes. With the
department's number in `departments` (minutes.catalogue_departments, which only grows) and the
role's code, keyed by the item (the key serves the cascade when an item goes, so the index by
item is gone too), they take 2.9 MB.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator

from minutes.catalogue_departments import DepartmentIds, department_names

ROLES = ("any", "lead", "co", "reporting")  # a role's code is its place here: stored, never reordered
CODES = {role: code for code, role in enumerate(ROLES)}

TABLE = """CREATE TABLE topic_roles(
    topic_id INTEGER NOT NULL REFERENCES topics(id) ON DELETE CASCADE,
    dept INTEGER NOT NULL,         -- number in departments
    role INTEGER NOT NULL,         -- code of the role (minutes.item_roles.ROLES): 0 any, 1 lead, 2 co, 3 reporting
    PRIMARY KEY (topic_id, dept, role)
) WITHOUT ROWID"""
# The filter panel's counts of the items naming each department (minutes.catalogue_reads).
NAMED_INDEX = "CREATE INDEX IF NOT EXISTS topic_roles_any ON topic_roles(dept) WHERE role = 0"


def write(db: sqlite3.Connection, numbers: DepartmentIds, rows: Iterable[tuple[int, str, str]]) -> None:
    """(item id, department, role) of items just written; each once (the items' roles are sets)."""
    rows = list(rows)
    depts = numbers.ids(db, [dept for _topic, dept, _role in rows])
    db.executemany(
        "INSERT INTO topic_roles VALUES (?, ?, ?)",
        [(topic, dept, CODES[role]) for (topic, _name, role), dept in zip(rows, depts, strict=True)],
    )


def _name(names: dict[int, str], number: int) -> str:
    name = names.get(number)
    if name is None:
        raise sqlite3.DatabaseError(f"an item names unknown department {number}")  # damage: rebuilt
    return name


def _role(code: int) -> str:
    if not isinstance(code, int) or not 0 <= code < len(ROLES):
        raise sqlite3.DatabaseError(f"an item names a department in unknown role {code!r}")
    return ROLES[code]


def grouped(db: sqlite3.Connection) -> Iterator[tuple[str, str, list[int]]]:
    """(department, role, item ids), grouped by SQLite: a few hundred rows instead of a row per
    item and department, which would cost tens of megabytes of short-lived tuples."""
    names = department_names(db)
    groups = db.execute("SELECT dept, role, group_concat(topic_id) FROM topic_roles GROUP BY dept, role").fetchall()
    for dept, role, ids in groups:
        yield _name(names, dept), _role(role), [int(i) for i in ids.split(",")]


def counts_query(role: str) -> str:
    """The query counts() asks. The code is a literal, as SQLite uses a partial index only for a
    WHERE it can see: "any" is counted from topic_roles_any without reading the table."""
    return f"SELECT dept, COUNT(*) FROM topic_roles WHERE role = {CODES[role]} GROUP BY dept"


def counts(db: sqlite3.Connection, role: str) -> list[tuple[str, int]]:
    """(department, items naming it in role)."""
    if role not in CODES:
        return []
    names = department_names(db)
    return [(_name(names, dept), n) for dept, n in db.execute(counts_query(role)).fetchall()]


def migrate(db: sqlite3.Connection) -> None:
    """Version 7's rows of names to numbers (in the migration's transaction). Names not yet in
    departments get their numbers; a role not known is damage (the catalogue is rebuilt)."""
    db.execute("ALTER TABLE topic_roles RENAME TO topic_roles_v7")
    db.execute("DROP INDEX IF EXISTS topic_roles_topic")
    db.execute("DROP INDEX IF EXISTS topic_roles_any")
    db.execute(TABLE)
    db.execute("INSERT OR IGNORE INTO departments(name) SELECT DISTINCT dept FROM topic_roles_v7")
    cases = " ".join(f"WHEN '{role}' THEN {code}" for role, code in CODES.items())
    unknown = db.execute(f"SELECT count(*) FROM topic_roles_v7 WHERE role NOT IN ({', '.join(map(repr, ROLES))})")
    if unknown.fetchone()[0]:
        raise sqlite3.DatabaseError("an item names a department in an unknown role")
    db.execute(
        f"INSERT OR IGNORE INTO topic_roles SELECT r.topic_id, d.id, CASE r.role {cases} END"
        " FROM topic_roles_v7 r JOIN departments d ON d.name = r.dept"
        # A row whose item is gone (a file edited by another tool, foreign keys off) is left
        # out: it would fail the new table's foreign key and set the whole catalogue aside.
        " JOIN topics t ON t.id = r.topic_id"
    )
    db.execute("DROP TABLE topic_roles_v7")
    db.execute(NAMED_INDEX)
