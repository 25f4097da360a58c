"""The 督办台账 store: what users record about each assignment (status, 办理情况, finish date).

This is the one thing the files cannot rebuild, so it lives in its own SQLite file beside the
catalogue (never touched by a catalogue rebuild), every write is one transaction (WAL,
synchronous=FULL), and a copy is taken once a day (SQLite's backup API; the last 7 kept).

Records are keyed by what survives a re-import: meeting identity (文号#次, else 第N次@date),
item and resolution numbers, and a hash of the normalised text. When a corrected parse or an
edited source changes the text a little, a record finds its assignment again by place and
similar text (difflib ratio ≥ 0.8) and keeps its id. A record whose assignment has gone is kept
and shown as orphaned, never dropped. Only assignments someone has recorded something about are
stored; the rest are 未开始 by default.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import getpass
import json
import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

from minutes.assignments import Due, Task, normalise

STATUSES = ("未开始", "办理中", "已办结", "不适用")
CLOSED = frozenset({"已办结", "不适用"})
SIMILAR = 0.8  # difflib ratio above which an edited text is still the same resolution
KEEP_BACKUPS = 7
SCHEMA_VERSION = 1
HANDOVER_FORMAT = "minutes-reader-ledger"

_SCHEMA = f"""
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE entries(
    id TEXT PRIMARY KEY,
    meeting TEXT NOT NULL,          -- MeetingRef.key
    item INTEGER NOT NULL,
    resolution INTEGER NOT NULL,
    text_hash TEXT NOT NULL,
    text TEXT NOT NULL,
    snapshot TEXT NOT NULL,         -- JSON of the assignment when last seen (shown if orphaned)
    status TEXT NOT NULL CHECK (status IN ({", ".join(f"'{s}'" for s in STATUSES)})),
    note TEXT NOT NULL DEFAULT '',
    finished TEXT,                  -- YYYY-MM-DD
    recorded_by TEXT NOT NULL DEFAULT '',
    updated TEXT NOT NULL           -- UTC, ISO 8601 with milliseconds: newest edit wins on merge
);
CREATE INDEX entries_place ON entries(meeting, item, resolution);
INSERT INTO meta VALUES ('schema_version', '{SCHEMA_VERSION}');
"""

_COLUMNS = "id, meeting, item, resolution, text_hash, text, snapshot, status, note, finished, recorded_by, updated"


class LedgerError(Exception):
    """Something the user can act on, in one Chinese line."""


def default_path() -> Path:
    """Beside the catalogue in the user's data folder (the same app dirs as gui/app.py)."""
    from platformdirs import user_data_path

    return user_data_path("minutes-reader", "MinutesReader") / "ledger.sqlite3"


_last_edit = dt.datetime.min.replace(tzinfo=dt.UTC)


def now() -> str:
    """The time of an edit, strictly later than the previous one in this process: "newest edit
    wins" must not tie on two edits in one clock tick (Windows' clock moves in ~15 ms steps)."""
    global _last_edit
    _last_edit = max(dt.datetime.now(dt.UTC), _last_edit + dt.timedelta(milliseconds=1))
    return _last_edit.isoformat(timespec="milliseconds")


def current_user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):  # no login name (a service, a container)
        return ""


@dataclass(frozen=True)
class Record:
    id: str
    meeting: str
    item: int
    resolution: int
    text_hash: str
    text: str
    snapshot: dict
    status: str = "未开始"
    note: str = ""
    finished: dt.date | None = None
    recorded_by: str = ""
    updated: str = ""

    @classmethod
    def from_row(cls, row: tuple) -> Record:
        id_, meeting, item, res, digest, text, snapshot, status, note, finished, by, updated = row
        return cls(id_, meeting, item, res, digest, text, json.loads(snapshot), status, note,
                   dt.date.fromisoformat(finished) if finished else None, by, updated)  # fmt: skip

    def values(self) -> tuple:
        return (self.id, self.meeting, self.item, self.resolution, self.text_hash, self.text,
                json.dumps(self.snapshot, ensure_ascii=False, sort_keys=True), self.status, self.note,
                self.finished.isoformat() if self.finished else None, self.recorded_by, self.updated)  # fmt: skip

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "meeting": self.meeting,
            "item": self.item,
            "resolution": self.resolution,
            "text_hash": self.text_hash,
            "text": self.text,
            "snapshot": self.snapshot,
            "status": self.status,
            "note": self.note,
            "finished": self.finished.isoformat() if self.finished else None,
            "recorded_by": self.recorded_by,
            "updated": self.updated,
        }

    @classmethod
    def from_dict(cls, d: dict) -> Record:
        if d.get("status") not in STATUSES:
            raise LedgerError(f"未知的办理状态：{d.get('status')}")
        return cls(
            str(d["id"]), str(d["meeting"]), int(d["item"]), int(d["resolution"]), str(d["text_hash"]),
            str(d["text"]), dict(d["snapshot"]), d["status"], str(d.get("note") or ""),
            dt.date.fromisoformat(d["finished"]) if d.get("finished") else None,
            str(d.get("recorded_by") or ""), str(d["updated"]),
        )  # fmt: skip

    def same_content(self, other: Record) -> bool:
        return (self.status, self.note, self.finished) == (other.status, other.note, other.finished)


@dataclass(frozen=True)
class Row:
    """One line of the 台账: an assignment, what is recorded about it, or both."""

    task: Task | None
    record: Record | None

    @property
    def id(self) -> str:
        return self.record.id if self.record else self.task.id  # type: ignore[union-attr]

    @property
    def orphaned(self) -> bool:
        """Recorded, but its resolution is no longer in the library."""
        return self.task is None

    @cached_property
    def data(self) -> dict:
        """The assignment as JSON (`Task.to_dict`), from the stored snapshot when orphaned."""
        data = self.task.to_dict() if self.task else dict(self.record.snapshot)  # type: ignore[union-attr]
        data["id"] = self.id
        return data

    @property
    def status(self) -> str:
        return self.record.status if self.record else STATUSES[0]

    @property
    def note(self) -> str:
        return self.record.note if self.record else ""

    @property
    def finished(self) -> dt.date | None:
        return self.record.finished if self.record else None

    @property
    def updated(self) -> str | None:
        return self.record.updated if self.record else None

    @property
    def due(self) -> Due | None:
        if self.task:
            return self.task.assignment.due
        return Due.from_dict(self.record.snapshot.get("due"))  # type: ignore[union-attr]

    @property
    def meeting_date(self) -> dt.date | None:
        value = self.data["meeting"].get("date")
        return dt.date.fromisoformat(value) if value else None

    def overdue(self, today: dt.date | None = None) -> bool:
        due = self.due
        if due is None or due.date is None or self.status in CLOSED:
            return False
        return due.date < (today or dt.date.today())

    def concerns(self, department: str) -> bool:
        d = self.data
        return bool(d.get("to_all")) or department in d.get("lead", ()) or department in d.get("co", ())

    def to_dict(self) -> dict:
        return {
            **self.data,
            "status": self.status,
            "note": self.note,
            "finished": self.finished.isoformat() if self.finished else None,
            "recorded_by": self.record.recorded_by if self.record else None,
            "updated": self.updated,
            "orphaned": self.orphaned,
        }


@dataclass(frozen=True)
class Conflict:
    id: str
    ours: Record
    theirs: Record
    kept: str  # "ours" or "theirs": the newer edit


@dataclass
class MergeReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: list[Conflict] = field(default_factory=list)

    def describe(self) -> str:
        return (
            f"新增 {self.added} 条，更新 {self.updated} 条，未变 {self.unchanged} 条，"
            f"冲突 {len(self.conflicts)} 条（以较新的修改为准）"
        )


def read_records(path: str | Path) -> list[Record] | None:
    """A ledger file's records, opened read only (no backup, no schema, no lock on the writer's
    WAL): for an export while the 台账 is not open. None when there is no such ledger."""
    path = Path(path)
    if not path.is_file():
        return None
    try:
        db = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
        try:
            rows = db.execute(f"SELECT {_COLUMNS} FROM entries").fetchall()
        finally:
            db.close()
    except sqlite3.Error:
        return None
    return [Record.from_row(r) for r in rows]


class Ledger:
    def __init__(self, path: str | Path = ":memory:", backups: str | Path | None = None) -> None:
        self.path = str(path)
        self._lock = threading.RLock()
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self.backup_dir = Path(backups) if backups else (None if self.path == ":memory:" else _backup_dir(self.path))
        try:
            self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=30)
            if self.path != ":memory:":
                self._db.execute("PRAGMA journal_mode = WAL")
                # FULL: a committed status survives a power cut, not only a killed process.
                self._db.execute("PRAGMA synchronous = FULL")
            self._prepare()
        except sqlite3.DatabaseError as exc:
            # Never set aside or rebuild: the user's records are not recoverable from files.
            raise LedgerError(f"督办台账无法打开（{self.path}）：{exc}") from exc
        if self.backup_dir is not None:
            with contextlib.suppress(OSError, sqlite3.Error):  # a backup must never block the ledger
                self.backup()

    def _prepare(self) -> None:
        tables = {r[0] for r in self._db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "entries" not in tables:
            if tables:
                raise LedgerError(f"不是督办台账文件：{self.path}")
            with self._transaction() as db:
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        db.execute(statement)
            return
        version = int(self._db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0])
        if version > SCHEMA_VERSION:
            raise LedgerError(f"督办台账由较新版本创建（版本 {version}），请升级本程序")

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # -- reading ---------------------------------------------------------------------------
    def records(self) -> list[Record]:
        with self._lock:
            rows = self._db.execute(f"SELECT {_COLUMNS} FROM entries ORDER BY meeting, item, resolution").fetchall()
        return [Record.from_row(r) for r in rows]

    def record(self, record_id: str) -> Record | None:
        with self._lock:
            row = self._db.execute(f"SELECT {_COLUMNS} FROM entries WHERE id = ?", (record_id,)).fetchone()
        return Record.from_row(row) if row else None

    def rows(self, tasks: Iterable[Task]) -> list[Row]:
        """Every task with its record, then the orphaned records.

        A record found again by the fall-back match takes the task's new text and snapshot
        (keeping its id), so the next match is exact.
        """
        records = self.records()
        by_id = {r.id: r for r in records}
        by_place: dict[tuple[str, int, int], list[Record]] = {}
        for r in records:
            by_place.setdefault((r.meeting, r.item, r.resolution), []).append(r)
        used: set[str] = set()
        rows: list[Row] = []
        pending: list[int] = []
        for task in tasks:
            record = by_id.get(task.id)
            if record is not None:
                used.add(record.id)
            else:
                pending.append(len(rows))
            rows.append(Row(task, record))
        refreshed: list[Record] = []
        moved_ids: set[str] = set()
        for i in pending:
            task = rows[i].task
            assert task is not None
            a = task.assignment
            new = normalise(a.text)
            best, score = None, SIMILAR
            for r in by_place.get((task.meeting.key, a.item, a.resolution), ()):
                if r.id in used:
                    continue
                ratio = difflib.SequenceMatcher(None, normalise(r.text), new, autojunk=False).ratio()
                if ratio >= score:
                    best, score = r, ratio
            if best is not None:
                used.add(best.id)
                moved = replace(best, text=a.text, text_hash=task.text_hash, snapshot=_snapshot(task))
                refreshed.append(moved)
                moved_ids.add(moved.id)
                rows[i] = Row(task, moved)
        for i, row in enumerate(rows):  # same text, but the analysis changed (a parser fix)
            if row.record is not None and row.task is not None and row.record.id not in moved_ids:
                snap = _snapshot(row.task)
                if snap != row.record.snapshot:
                    moved = replace(row.record, snapshot=snap)
                    refreshed.append(moved)
                    rows[i] = Row(row.task, moved)
        if refreshed:
            with self._transaction() as db:
                db.executemany(
                    "UPDATE entries SET text = ?, text_hash = ?, snapshot = ? WHERE id = ?",
                    [(r.text, r.text_hash, json.dumps(r.snapshot, ensure_ascii=False, sort_keys=True), r.id)
                     for r in refreshed],
                )  # fmt: skip
        rows.extend(Row(None, r) for r in records if r.id not in used)
        return rows

    # -- writing ---------------------------------------------------------------------------
    _UNSET: object = object()

    def update(
        self,
        row: Row,
        *,
        status: str | None = None,
        note: str | None = None,
        finished: dt.date | object | None = _UNSET,
        recorded_by: str | None = None,
    ) -> Row:
        """Record a change to one assignment (one transaction). 已办结 without a finish date
        gets today's."""
        if status is not None and status not in STATUSES:
            raise LedgerError(f"未知的办理状态：{status}（可选：{'、'.join(STATUSES)}）")
        if row.record is not None:
            base = row.record
        else:
            assert row.task is not None
            task = row.task
            base = Record(task.id, task.meeting.key, task.assignment.item, task.assignment.resolution,
                          task.text_hash, task.assignment.text, _snapshot(task))  # fmt: skip
        new_status = status if status is not None else base.status
        new_finished = base.finished if finished is Ledger._UNSET else finished
        if new_status == "已办结" and new_finished is None and finished is Ledger._UNSET:
            new_finished = dt.date.today()
        record = replace(
            base,
            status=new_status,
            note=note if note is not None else base.note,
            finished=new_finished,  # type: ignore[arg-type]
            recorded_by=recorded_by if recorded_by is not None else current_user(),
            updated=now(),
        )
        self._put([record])
        return Row(row.task, record)

    def _put(self, records: list[Record]) -> None:
        with self._transaction() as db:
            db.executemany(
                f"INSERT INTO entries({_COLUMNS}) VALUES ({', '.join('?' * 12)})"
                " ON CONFLICT(id) DO UPDATE SET meeting = excluded.meeting, item = excluded.item,"
                " resolution = excluded.resolution, text_hash = excluded.text_hash, text = excluded.text,"
                " snapshot = excluded.snapshot, status = excluded.status, note = excluded.note,"
                " finished = excluded.finished, recorded_by = excluded.recorded_by, updated = excluded.updated",
                [r.values() for r in records],
            )

    # -- hand-over -------------------------------------------------------------------------
    def merge_records(self, theirs: Iterable[Record]) -> MergeReport:
        """Merge by id; where both sides changed an entry, the newer edit wins and is reported."""
        report = MergeReport()
        ours = {r.id: r for r in self.records()}
        writes = []
        for record in theirs:
            mine = ours.get(record.id)
            if mine is None:
                report.added += 1
                writes.append(record)
            elif mine.same_content(record):
                report.unchanged += 1
            else:
                newer = record.updated > mine.updated
                report.conflicts.append(Conflict(record.id, mine, record, "theirs" if newer else "ours"))
                if newer:
                    report.updated += 1
                    writes.append(record)
        if writes:
            self.backup(tag="before-merge")
            self._put(writes)
        return report

    # -- backups ---------------------------------------------------------------------------
    def backup(self, today: dt.date | None = None, tag: str = "") -> Path | None:
        """Today's copy (once a day, or always with a tag), and only the last 7 days kept."""
        if self.backup_dir is None:
            return None
        self.backup_dir.mkdir(parents=True, exist_ok=True)
        day = (today or dt.date.today()).isoformat()
        name = f"ledger-{day}{'-' + tag if tag else ''}.sqlite3"
        target = self.backup_dir / name
        if target.exists() and not tag:
            return target
        tmp = target.with_name(target.name + ".part")
        tmp.unlink(missing_ok=True)
        dest = sqlite3.connect(tmp)
        try:
            with self._lock:
                self._db.backup(dest)
        finally:
            dest.close()
        os.replace(tmp, target)
        self._prune()
        return target

    def backups(self) -> list[Path]:
        if self.backup_dir is None or not self.backup_dir.is_dir():
            return []
        return sorted(self.backup_dir.glob("ledger-*.sqlite3"))

    def _prune(self) -> None:
        days = sorted({p.name[7:17] for p in self.backups()})
        for old in days[:-KEEP_BACKUPS]:
            for p in self.backup_dir.glob(f"ledger-{old}*.sqlite3"):  # type: ignore[union-attr]
                p.unlink(missing_ok=True)


def _backup_dir(path: str) -> Path:
    return Path(path).with_name(Path(path).stem + "-backups")


def _snapshot(task: Task) -> dict:
    data = task.to_dict()
    data.pop("id", None)  # the record's own id is what counts
    return data
