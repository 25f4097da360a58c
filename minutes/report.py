"""What an export contains: the selected meetings and items, the resolution table, the CSV.

Plain Python: the PDF writer (gui/pdf) lays this out; the CSV needs nothing else.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from minutes.assignments import Due, Task, tasks_of
from minutes.departments import Role
from minutes.library import FilterSpec, Library, Meeting
from minutes.model import Resolution, Topic
from minutes.stored_copy import describe as describe_meeting
from minutes.stored_copy import read_document

CSV_COLUMNS = ("会议日期", "会议", "文号", "议题", "序号", "部门（角色）", "议定意见", "期限", "状态")
# The 状态 of an assignment when no 台账 was read (none kept yet, or it could not be opened).
NO_LEDGER = "—"


@dataclass(frozen=True)
class MeetingPart:
    """A meeting in an export, with the agenda items chosen from it."""

    meeting: Meeting
    topics: tuple[Topic, ...]

    @property
    def whole(self) -> bool:
        return len(self.topics) == len(self.meeting.minutes.topics)


@dataclass(frozen=True)
class Selection:
    title: str  # e.g. 苏州市人民政府常务会议纪要选编
    subtitle: str  # what was selected, in words
    parts: tuple[MeetingPart, ...]

    @property
    def topic_count(self) -> int:
        return sum(len(p.topics) for p in self.parts)


def _chronological(parts: Iterable[MeetingPart]) -> tuple[MeetingPart, ...]:
    return tuple(sorted(parts, key=lambda p: p.meeting.sort_key))


def _parts(library: Library, keys: Iterable[tuple[str, int]]) -> tuple[MeetingPart, ...]:
    """The chosen items grouped by meeting; only those meetings' full texts are loaded."""
    numbers: dict[str, set[int]] = {}
    for meeting_id, number in keys:
        numbers.setdefault(meeting_id, set()).add(number)
    parts = []
    for meeting_id, chosen in numbers.items():
        meeting = library.meeting(meeting_id)
        if meeting is None:
            continue
        # A stored copy that cannot be read fails the export, naming the meeting (DamagedCopy):
        # an export that left a meeting out would look complete.
        topics = tuple(t for t in read_document(meeting).minutes.topics if t.number in chosen)
        if topics:
            parts.append(MeetingPart(meeting, topics))
    return _chronological(parts)


COMPILATION_TITLE = "苏州市人民政府常务会议纪要选编"
MEETING_TITLE = "苏州市人民政府常务会议纪要"
TABLE_TITLE = "苏州市人民政府常务会议议定事项清单"
# Short names for files: the full text and the table of the same selection never share one.
FILE_TITLES = {MEETING_TITLE: "常务会议纪要", COMPILATION_TITLE: "纪要选编", TABLE_TITLE: "议定事项清单"}

# Characters Windows forbids in a file name, and the device names it reserves (any extension).
_FORBIDDEN = set('\\/:*?"<>|') | {chr(c) for c in range(32)}
_RESERVED = {"CON", "PRN", "AUX", "NUL"} | {f"{p}{n}" for p in ("COM", "LPT") for n in "123456789"}


def safe_file_name(name: str, limit: int = 80) -> str:
    """name made valid on Windows (and everywhere else): forbidden characters become "-", white
    space is dropped, no trailing dot or space, no reserved device name, at most limit characters
    before the extension."""
    stem, dot, suffix = name.rpartition(".")
    if not dot or not suffix.isalnum() or len(suffix) > 5:
        stem, suffix = name, ""
    cleaned = "".join("-" if ch in _FORBIDDEN else ch for ch in stem if not ch.isspace())
    while "--" in cleaned:
        cleaned = cleaned.replace("--", "-")
    cleaned = cleaned[:limit].strip(" .-")
    if not cleaned or cleaned.split(".")[0].upper() in _RESERVED:
        cleaned = f"纪要-{cleaned}" if cleaned else "纪要"
    return f"{cleaned}.{suffix}" if suffix else cleaned


def default_file_name(selection_title: str, subtitle: str, suffix: str) -> str:
    """A suggested export name, e.g. 议定事项清单-市住建局（牵头）.pdf: names what it holds."""
    head = FILE_TITLES.get(selection_title, selection_title)
    return safe_file_name(f"{head}-{subtitle}.{suffix.lstrip('.')}")


def describe_keys(keys: Iterable[tuple[str, int]]) -> str:
    keys = set(keys)
    return f"选定的 {len({meeting for meeting, _ in keys})} 次会议、{len(keys)} 个议题"


def select_by_spec(library: Library, spec: FilterSpec, title: str = COMPILATION_TITLE) -> Selection:
    return Selection(title, spec.describe(), _parts(library, library.matching(spec)))


def select_by_keys(library: Library, keys: Iterable[tuple[str, int]], title: str = COMPILATION_TITLE) -> Selection:
    """Items picked by hand (check boxes): keys are (meeting id, item number)."""
    keys = set(keys)
    return Selection(title, describe_keys(keys), _parts(library, keys))


def select_meeting(meeting: Meeting) -> Selection:
    topics = read_document(meeting).minutes.topics
    return Selection(MEETING_TITLE, describe_meeting(meeting), (MeetingPart(meeting, topics),))


def departments_text(resolution: Resolution) -> str:
    """市住建局（牵头）、市司法局（会同）: each department once, with its strongest role."""
    order = {Role.LEAD: 0, Role.CO: 1, Role.REPORTING: 2, Role.MENTIONED: 3}
    best: dict[str, Role] = {}
    for ref in resolution.roles:
        if ref.name not in best or order[ref.role] < order[best[ref.name]]:
            best[ref.name] = ref.role
    return "、".join(name if role is Role.MENTIONED else f"{name}（{role.label}）" for name, role in best.items())


@dataclass(frozen=True)
class ResolutionRow:
    date: dt.date | None
    meeting: str  # 第108次常务会议
    doc_number: str
    topic: str  # 三、审议《…》
    label: str  # （一）
    departments: str
    text: str
    meeting_id: str
    topic_number: int
    due: str = ""  # the deadline the text gives (due_text); "" when none
    status: str = ""  # the 台账's 状态; "" when the resolution assigns nothing

    def csv_cells(self) -> list[str]:
        return [
            self.date.isoformat() if self.date else "",
            self.meeting,
            self.doc_number,
            self.topic,
            self.label,
            self.departments,
            self.text,
            self.due,
            self.status,
        ]


def due_text(due: Due | None) -> str:
    """6月底前（2020-06-30）: the words, and the date they mean when the words do not say it."""
    if due is None:
        return ""
    if due.date is None or due.date.isoformat() in due.words:
        return due.words
    return f"{due.words}（{due.date.isoformat()}）"


class StatusLookup:
    """The 台账's 状态 of a task, from its records (objects with id, meeting, item, resolution and
    status, such as minutes.ledger.Record). Read only: a record whose text was edited since is
    found by its place (meeting, item, resolution) when it is the only one there, which is what
    Ledger.rows' fall-back match settles on for an unchanged ledger."""

    def __init__(self, records: Iterable | None) -> None:
        self.known = records is not None
        self._by_id: dict[str, str] = {}
        self._by_place: dict[tuple[str, int, int], list[str]] = {}
        for r in records or ():
            self._by_id[r.id] = r.status
            self._by_place.setdefault((r.meeting, r.item, r.resolution), []).append(r.status)

    def status(self, task: Task) -> str:
        if not self.known:
            return NO_LEDGER
        found = self._by_id.get(task.id)
        if found is None:
            a = task.assignment
            at_place = self._by_place.get((task.meeting.key, a.item, a.resolution), [])
            found = at_place[0] if len(at_place) == 1 else None
        return found or "未开始"  # no record yet: the ledger shows it so too


def resolution_rows(selection: Selection, records: Sequence | None = None) -> list[ResolutionRow]:
    """The table's rows; records: the 台账's (Ledger.records()), or None when none was read (状态
    then shows NO_LEDGER)."""
    lookup = StatusLookup(records)
    rows = []
    for part in selection.parts:
        m = read_document(part.meeting).minutes
        tasks = {(t.assignment.item, t.assignment.resolution): t for t in tasks_of(m, part.meeting.id)}
        for topic in part.topics:
            for r in topic.resolutions:
                task = tasks.get((topic.number, r.number))
                rows.append(
                    ResolutionRow(
                        m.date,
                        m.title,
                        m.doc_number or "",
                        f"{topic.label}{topic.title}",
                        r.label,
                        departments_text(r),
                        r.text,
                        part.meeting.id,
                        topic.number,
                        due_text(task.assignment.due) if task else "",
                        lookup.status(task) if task else "",
                    )
                )
    return rows


def atomic_target(path: Path) -> Path:
    """A temporary name beside path, so the final rename is atomic and a cancelled or failed
    export never leaves a partial file at the path the user chose. (Not mkstemp: its files are
    private, and the exported document should get the user's normal permissions.)"""
    if not path.parent.is_dir():
        raise FileNotFoundError(f"文件夹不存在：{path.parent}")
    return path.with_name(f".{path.name}.{secrets.token_hex(4)}.part")


# Excel and WPS run a cell that begins with one of these as a formula (OWASP "CSV injection"):
# text from a document is written with a leading apostrophe, which they show as text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(cell: str) -> str:
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def write_csv_table(header: Sequence[str], rows: Iterable[Sequence[str]], path: str | Path) -> None:
    """A table as CSV in UTF-8 with BOM, so Excel on a Chinese Windows opens it without garbling.
    Cells that would start a formula are made text (csv_safe); the file appears whole or not at all."""
    path = Path(path)
    tmp = atomic_target(path)
    try:
        with tmp.open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(header)
            writer.writerows([csv_safe(str(cell)) for cell in row] for row in rows)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_csv(rows: Iterable[ResolutionRow], path: str | Path) -> None:
    """The 议定事项清单 as CSV."""
    write_csv_table(CSV_COLUMNS, (row.csv_cells() for row in rows), path)
