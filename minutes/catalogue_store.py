"""Writing a document into the catalogue: its row, its items and their roles, its attendance,
its tasks and its place in both search indexes, inside the writer's transaction (the
Catalogue's _write). Split from minutes.catalogue, which opens, recovers and imports."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import cast

from minutes import assignment_store, item_roles, item_runs
from minutes.catalogue_departments import DepartmentIds, write_attended
from minutes.model import SourceDocument
from minutes.prepared import PreparedDocument, prepare_document
from minutes.search_index import Postings, tokens_of, unindex_document
from minutes.storage import path_key


class CatalogueStore:
    _db: sqlite3.Connection
    _postings: Postings  # the short-word index's changes in the write under way
    _departments: DepartmentIds

    def _store_reparsed(self, docs: list[tuple[str, PreparedDocument]]) -> None:
        for old, doc in docs:
            if self._db.execute("SELECT 1 FROM documents WHERE doc_key = ?", (old,)).fetchone() is None:
                continue  # its file changed or went meanwhile
            key = doc.key
            if key != old:
                self._delete_document(old)
                self._db.execute("UPDATE files SET doc_key = ? WHERE doc_key = ?", (key, old))
            self._write_document(key, doc.path, doc)

    def _write_document(self, key: str, path: Path, doc: PreparedDocument | SourceDocument) -> None:
        if isinstance(doc, SourceDocument):  # prepared under key: its tasks name the key they are under
            doc = prepare_document(doc, key)
        db = self._db
        self._delete_document(key)
        assignment_store.write(db, key, doc.tasks)  # the 台账's tasks, extracted with the parse (#14)
        db.execute(
            "INSERT INTO documents(doc_key, session, date, doc_number, data, source_path, source_format, source_text,"
            " warnings, issuer, genre) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                key,
                doc.session,
                doc.date,
                doc.doc_number,
                doc.data,
                path_key(path),
                doc.encoding,
                doc.text,
                doc.warnings,
                doc.issuer,
                doc.genre,
            ),
        )
        roles: list[tuple[int, str, str]] = []
        texts: list[tuple[int, str]] = []
        ids: list[int] = []
        for item in doc.items:
            cursor = db.execute(
                "INSERT INTO topics(doc_key, number, title, kind) VALUES (?, ?, ?, ?)",
                (key, item.number, item.title, item.kind),
            )
            topic_id = cast(int, cursor.lastrowid)  # set by every INSERT
            ids.append(topic_id)
            roles += [(topic_id, d, role) for d, role in item.roles]
            texts.append((topic_id, item.text))
            self._postings.add(topic_id, tokens_of(item.tokens))
        item_runs.write(db, key, ids, [i.number for i in doc.items], [i.kind for i in doc.items])  # read at start
        item_roles.write(db, self._departments, roles)
        db.executemany("INSERT INTO topic_text(rowid, text) VALUES (?, ?)", texts)
        write_attended(db, self._departments, key, doc.attended)

    def _delete_document(self, key: str) -> None:
        db = self._db
        unindex_document(db, self._postings, key)
        db.execute("DELETE FROM documents WHERE doc_key = ?", (key,))
