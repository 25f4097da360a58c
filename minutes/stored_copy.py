"""A meeting's stored copy in the catalogue that cannot be read back.

The catalogue keeps each document's source text and parse as compressed blobs. A blob can be
spoiled while the file's page structure stays sound (a disk fault, a copy cut short, another
program's write): SQLite then reads the row and the damage shows only when the blob is inflated
or decoded. Everything that shows, exports or prints a meeting reads its document through
`read_document`, which turns that into DamagedCopy: one Chinese sentence for the user, and what
is needed to repair it. `mark` is the repair: the copy is made whole where that is exact, and the
document's files are marked as changed, so the next refresh of the catalogue reads them again
from disk and writes fresh blobs (the same mark a migration uses to have files read again). No
Qt here.
"""

from __future__ import annotations

import json
import os
import sqlite3
import zlib
from pathlib import Path
from typing import TYPE_CHECKING

from minutes import assignment_store, search_index
from minutes.catalogue_queries import STORED_COPY
from minutes.formats import PARSER_VERSION
from minutes.storage import stored_path

if TYPE_CHECKING:
    from minutes.meeting import Meeting
    from minutes.model import SourceDocument


class DamagedCopy(Exception):
    """The catalogue's copy of a meeting cannot be read. gone: the catalogue no longer holds the
    meeting at all (its file was removed or changed since the library was read)."""

    def __init__(self, meeting_id: str, label: str, reason: str, sources: list[Path], gone: bool = False) -> None:
        self.meeting_id = meeting_id
        self.label = label  # 第108次常务会议 2020-08-17 〔2020〕27号
        self.reason = reason  # why, in a few Chinese words
        self.sources = sources  # the files it was read from, where the catalogue still knows them
        self.gone = gone
        super().__init__(self.sentence())

    def state(self) -> str:
        """What is wrong and what is done about it, without the meeting's name: the one wording
        the viewer, the problems panel, the 台账 and the export's box all use. Said as the
        message is shown, before the mark has run: it says what will be tried, not that it was."""
        if self.gone:
            return GONE
        return damaged_state(self.reason)

    def sentence(self) -> str:
        """One line for the user (an export's failure box, the log)."""
        return f"“{self.label}”：{self.state()}，请重新载入后再试"


GONE = "资料库中已没有这份纪要（源文件已移除或已更改）"
REREAD = "将尝试从源文件重新读取"


def damaged_state(reason: str, then: str = REREAD) -> str:
    """A damaged copy's state for the user (DamagedCopy.state): the reason, then what is tried
    (the command line, which repairs nothing, says what to do instead)."""
    return f"资料库中保存的副本已损坏（{reason}），{then}"


def reason_of(exc: BaseException) -> str:
    """What part of the stored copy failed, in a few words (the exception stays in the log)."""
    if isinstance(exc, zlib.error):
        return "压缩数据损坏"
    if isinstance(exc, UnicodeError):
        return "文字编码损坏"
    if isinstance(exc, json.JSONDecodeError):
        return "解析结果损坏"
    return "数据损坏"


def describe(meeting: Meeting) -> str:
    return " ".join(filter(None, [meeting.title, meeting.date.isoformat() if meeting.date else "", meeting.doc_number]))


def read_document(meeting: Meeting) -> SourceDocument:
    """The meeting's document (its text and parse), or DamagedCopy when the stored copy cannot
    be read: a blob that does not inflate, decode or fit the parse's shape (the code that reads
    them is the same for every document, and they were written by it). Anything else, a closed
    library or SQLite's own error or no memory, is no damage of this copy and propagates."""
    try:
        return meeting.source
    except KeyError as exc:
        if exc.args != (meeting.id,):  # the catalogue's own KeyError: no row for this key
            raise _damaged(meeting, exc) from exc
        raise DamagedCopy(meeting.id, describe(meeting), "", [], gone=True) from exc
    except _DECODING as exc:
        raise _damaged(meeting, exc) from exc


# What decoding a spoiled blob raises: the inflate, the UTF-8, the JSON, and the parse built from
# a JSON of the wrong shape. sqlite3.Error and MemoryError are none of these.
_DECODING = (zlib.error, UnicodeError, ValueError, TypeError, IndexError, AttributeError)


def _damaged(meeting: Meeting, exc: BaseException) -> DamagedCopy:
    try:
        sources = meeting.sources
    except Exception:  # the files table cannot answer either: the reason says enough
        sources = []
    return DamagedCopy(meeting.id, describe(meeting), reason_of(exc), sources)


def mark(db: sqlite3.Connection, key: str) -> list[Path]:
    """Repair what can be repaired now and mark the document's files as changed (run in the
    catalogue's write transaction): the next refresh reads them again and stores the document
    afresh, or forgets it when its files are gone. Returns those files.

    Storing a document again first takes its items out of the search index, and the trigram
    index is contentless: that needs the texts the damaged copy held. So the copy is made whole
    first, from what gives the very texts the index holds (the same parser): the stored text
    parsed again when only the parse is spoiled, else the file when it is as it was (same
    sha256). Otherwise (a spoiled text whose file changed or went) the document, and any other
    copy that cannot be read, is taken out without them and the search index made again from
    the rest: as long as a migration's (90-180 s at 10,000 minutes on a loaded 2-core machine).
    """
    paths = [stored_path(p) for (p,) in db.execute("SELECT path FROM files WHERE doc_key = ?", (key,))]
    row = db.execute(STORED_COPY, (key,)).fetchone()
    if row is not None and not _readable(row[0], row[3]) and not _restored(db, key, *row):
        # Made again from every stored copy: any other that cannot be read goes out with it.
        gone = [k for k, data, text in db.execute(_COPIES) if not _readable(data, text)]
        for other in gone:
            db.execute("UPDATE files SET mtime_ns = -1 WHERE doc_key = ?", (other,))
            db.execute("DELETE FROM documents WHERE doc_key = ?", (other,))  # its items, roles, runs too
        search_index.rebuild(db)
    db.execute("UPDATE files SET mtime_ns = -1 WHERE doc_key = ?", (key,))
    return paths


_COPIES = "SELECT doc_key, data, source_text FROM documents"


def _readable(data: bytes, text: bytes) -> bool:
    try:
        search_index.stored_item_texts(data, text)
    except Exception:
        return False
    return True


def _restored(
    db: sqlite3.Connection, key: str, _data: bytes, path: str | bytes, fmt: str, text: bytes, sha: str | None
) -> bool:
    """Write the copy's blobs back, if what is at hand gives exactly what was stored (the index
    holds what the same parser gave): when only the parse is spoiled, the stored text parsed
    again; else the file, when it is as it was."""
    from minutes.prepared import PreparedDocument, prepare_stored, read_prepared

    version = db.execute("SELECT value FROM meta WHERE key = 'parser_version'").fetchone()
    if sha is None or version is None or version[0] != str(PARSER_VERSION):
        return False
    doc: PreparedDocument | str | None = None
    try:
        doc = prepare_stored(key, path, fmt, text, sha)
    except Exception:  # the text is spoiled too
        doc = read_prepared(stored_path(path))
    if not isinstance(doc, PreparedDocument) or doc.key != key or doc.sha256 != sha:
        return False
    stored = db.execute("SELECT number, title FROM topics WHERE doc_key = ? ORDER BY number", (key,)).fetchall()
    if stored != [(item.number, item.title) for item in doc.items]:
        return False
    db.execute("UPDATE documents SET data = ?, source_text = ? WHERE doc_key = ?", (doc.data, doc.text, key))
    assignment_store.write(db, key, doc.tasks)  # packed against the text: spoiled with it
    return True


def is_blob_damage(exc: BaseException) -> bool:
    """Whether exc is what reading a spoiled blob raises (not SQLite's own damage, which the
    catalogue sets aside whole)."""
    return isinstance(exc, (zlib.error, UnicodeError, json.JSONDecodeError))


def repair_catalogue(path: str | Path) -> list[str]:
    """Find every document of the catalogue at path whose stored copy cannot be read and mark it
    (mark: written back from its file, or taken out): a refresh that has to take out or parse
    again a document it cannot read fails on it, whichever document it is. Reads every stored
    copy once: only after such a failure. Returns the keys repaired."""
    from minutes.catalogue import Catalogue

    catalogue = Catalogue(path)
    try:
        if not catalogue.persistent:  # the file cannot be written: nothing can be repaired
            return []
        damaged = []
        for key in catalogue.document_keys().values():
            try:
                catalogue.load(key)
            except sqlite3.Error:
                raise
            except Exception:
                damaged.append(key)
        for key in damaged:
            catalogue.mark_for_reread(key)
        return damaged
    finally:
        catalogue.close()


def mark_in_file(path: str | Path, key: str) -> tuple[list[Path], bool]:
    """mark, through a connection of its own to the catalogue at path: the library that met the
    damage goes on reading beside it (a mark that makes the search index again writes for long).
    Returns the files marked and whether the mark is kept (False: the catalogue file could not
    be opened for writing, and nothing was marked). A write the file refuses raises sqlite3.Error:
    the mark never goes on in memory."""
    from minutes.catalogue import Catalogue

    if not all(os.access(p, os.W_OK) for p in (path, Path(path).parent)):
        return [], False  # opened, a read-only catalogue would be copied whole into memory
    catalogue = Catalogue(path)
    try:
        if not catalogue.persistent:  # opened as a copy in memory: a mark there is lost at once
            return [], False
        return catalogue.mark_for_reread(key), True
    finally:
        catalogue.close()
