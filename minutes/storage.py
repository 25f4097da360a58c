"""The catalogue's file on disk: connecting, telling damage from a disk that cannot be written,
setting a damaged file aside, and the in-memory catalogue used when the disk refuses writes.

Damage (a corrupt page, a missing table, rows that contradict each other) is rebuilt from the
files. A full disk, a read-only folder or a busy file is not damage: the catalogue is kept as
it is and the library goes on in memory, with a notice saying why changes are not saved.
"""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

# Primary result codes that say the disk or another process is in the way, not that the file is
# damaged: SQLITE_PERM, BUSY, LOCKED, NOMEM, READONLY, INTERRUPT, IOERR, FULL, CANTOPEN, PROTOCOL.
_NOT_DAMAGE = {3, 5, 6, 7, 8, 9, 10, 13, 14, 15}
_NOT_DAMAGE_TEXT = ("disk is full", "readonly", "read-only", "locked", "unable to open", "disk i/o", "busy")


def connect(path: str) -> sqlite3.Connection:
    db = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=30)
    try:
        db.execute("PRAGMA foreign_keys = ON")
        if path != ":memory:":
            # Set on a new, empty file only (lets `reclaim` give back what an import's rewrites
            # freed): on a file that has it already, SQLite rewrites the flag in a write
            # transaction at every open, so a second window would wait for another's long write.
            if db.execute("PRAGMA page_count").fetchone()[0] == 0:
                db.execute("PRAGMA auto_vacuum = INCREMENTAL")
            _wal(db)
            db.execute("PRAGMA synchronous = NORMAL")
    except BaseException:
        db.close()
        raise
    return db


def connect_reader(path: str) -> sqlite3.Connection:
    """A read-only second connection to a catalogue file (searches read through it)."""
    uri = f"file:{quote(os.path.abspath(path))}?mode=ro"
    return sqlite3.connect(uri, uri=True, check_same_thread=False, isolation_level=None, timeout=30)


def _wal(db: sqlite3.Connection, patience: float = 30.0) -> None:
    """Switch to WAL. SQLite answers "database is locked" at once, without the busy timeout, while
    another process creates or switches the same new file: wait for it here."""
    deadline = time.monotonic() + patience
    pause = 0.005
    while True:
        try:
            db.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if getattr(exc, "sqlite_errorcode", 5) & 0xFF not in (5, 6) or time.monotonic() > deadline:
                raise
            time.sleep(pause)
            pause = min(pause * 2, 0.1)


def is_damage(exc: BaseException) -> bool:
    """Whether an error from SQLite means the catalogue file is damaged (rebuild it) rather than
    that it cannot be written or reached just now (keep it)."""
    if not isinstance(exc, sqlite3.Error):
        return True  # CatalogueError: not a catalogue, a newer one, or contradictory rows
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF not in _NOT_DAMAGE
    if isinstance(exc, sqlite3.OperationalError | sqlite3.DatabaseError):
        text = str(exc).lower()
        if any(t in text for t in _NOT_DAMAGE_TEXT):
            return False
    return not isinstance(exc, sqlite3.ProgrammingError | sqlite3.InterfaceError)


def storage_reason(exc: BaseException, path: str | None = None) -> str:
    """Why the catalogue cannot be written, in words for the user. The folder is looked at too:
    SQLite says "unable to open" for a folder it may not create files in."""
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if code is not None else None
    text = str(exc).lower()
    err = getattr(exc, "errno", None)
    folder = Path(path).parent if path and path != ":memory:" else None
    if primary == 13 or err == errno.ENOSPC or "disk is full" in text or _free(folder) < 1 << 20:
        return "磁盘已满"
    if folder is not None and folder.is_dir():
        if _read_only_disk(folder) or err == errno.EROFS:
            return f"数据文件夹所在的磁盘只读：{folder}"
        if not os.access(folder, os.W_OK):
            return f"数据文件夹只读，没有写入权限：{folder}"
    if primary in (8, 3) or err in (errno.EROFS, errno.EACCES, errno.EPERM) or "readonly" in text:
        return "索引文件只读，没有写入权限"
    if primary == 14 or "unable to open" in text or isinstance(exc, OSError):
        return f"无法创建或打开索引文件：{folder or path}"
    if primary in (5, 6) or "locked" in text:
        return "索引文件正被另一个窗口长时间占用"
    if primary == 10 or "disk i/o" in text:
        return "磁盘读写出错"
    return str(exc)


def _free(folder: Path | None) -> int:
    while folder is not None and not folder.exists() and folder.parent != folder:
        folder = folder.parent
    try:
        return shutil.disk_usage(folder).free if folder is not None else 1 << 40
    except OSError:
        return 1 << 40


def _read_only_disk(folder: Path) -> bool:
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):  # no statvfs on Windows
        return False


def unsaved_notice(reason: str) -> str:
    return f"纪要索引无法保存（{reason}）。纪要照常可读，但本次的改动在关闭程序后不会保留。"


def path_key(path: str | os.PathLike) -> str | bytes:
    """A path as stored: text, or its bytes when it is not valid UTF-8 (SQLite text cannot hold
    the surrogates Python uses for such names)."""
    text = os.fspath(path)
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return os.fsencode(text)


def stored_path(value: str | bytes) -> Path:
    return Path(os.fsdecode(value) if isinstance(value, bytes) else value)


def set_aside(path: str) -> str:
    """Move a damaged catalogue (and its WAL files) out of the way; the name it now has. Every
    connection to it must be closed first: Windows refuses to move an open file."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    for suffix in ("", "-wal", "-shm"):
        old = Path(path + suffix)
        if old.exists():
            os.replace(old, f"{path}.broken-{stamp}{suffix}")
    return f"{Path(path).name}.broken-{stamp}"


def memory_copy(path: str | None) -> sqlite3.Connection:
    """An in-memory catalogue holding what the file at path holds (read without writing to it),
    or an empty one when it cannot be read at all."""
    memory = connect(":memory:")
    if path is None or not Path(path).exists():
        return memory
    for query in ("mode=ro", "immutable=1"):  # immutable: a WAL file in a read-only folder
        try:
            source = sqlite3.connect(f"file:{quote(os.path.abspath(path))}?{query}", uri=True, timeout=5)
        except sqlite3.Error:
            continue
        try:
            source.backup(memory)
            return memory
        except sqlite3.Error:
            memory.close()
            memory = connect(":memory:")
        finally:
            source.close()
    return memory


def copy_to_memory(db: sqlite3.Connection) -> sqlite3.Connection | None:
    """What an open catalogue holds, in memory; None if it cannot be read through db."""
    memory = connect(":memory:")
    try:
        db.backup(memory)
    except sqlite3.Error:
        memory.close()
        return None
    return memory


def reclaim(db: sqlite3.Connection) -> None:
    """Give the catalogue's free pages back to the disk, outside any transaction: rewriting the
    short-word postings as an import moves on frees pages that only later writes would reuse
    (a sixth of the file after importing 2,000 generated minutes). Does nothing for a
    catalogue made before auto_vacuum was set."""
    # executescript steps the pragma to its end; execute() would free a single page.
    db.executescript("PRAGMA incremental_vacuum;")


@contextmanager
def transaction(db: sqlite3.Connection):
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        # A failed COMMIT (a full disk) may have ended the transaction already.
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise
    else:
        try:
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise
