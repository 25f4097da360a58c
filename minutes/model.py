"""The data model: what one set of standing-meeting minutes says, as frozen dataclasses."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from minutes.departments import DepartmentRole, Role
from minutes.numerals import item_label

KINDS = ("审议", "听取", "传达", "学习", "研究", "其他")

SIMPLIFIED, TRADITIONAL = "simplified", "traditional"  # Minutes.script
MINUTES, REPORT = "minutes", "report"  # Minutes.genre: the minutes themselves, or a news report


@dataclass(frozen=True)
class Segment:
    """A piece of the source and the part of the document it went into.

    Every cleaned source line ends up in exactly one segment; role "unplaced" marks text the
    parser could not place (it is also kept in Minutes.unplaced and reported as a warning).
    """

    role: str
    line_no: int
    text: str


@dataclass(frozen=True)
class Resolution:
    number: int
    label: str  # as written, e.g. （一） or (一)
    text: str
    roles: tuple[DepartmentRole, ...] = ()

    @property
    def departments(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(r.name for r in self.roles))

    def departments_with(self, role: Role) -> tuple[str, ...]:
        return tuple(dict.fromkeys(r.name for r in self.roles if r.role is role))


@dataclass(frozen=True)
class Topic:
    number: int
    title: str
    kind: str
    documents: tuple[str, ...]
    resolutions: tuple[Resolution, ...]

    @property
    def label(self) -> str:
        return item_label(self.number)

    @property
    def departments(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(d for r in self.resolutions for d in r.departments))

    def departments_with(self, role: Role) -> tuple[str, ...]:
        return tuple(dict.fromkeys(d for r in self.resolutions for d in r.departments_with(role)))

    @property
    def lead_departments(self) -> tuple[str, ...]:
        return self.departments_with(Role.LEAD)

    @property
    def co_departments(self) -> tuple[str, ...]:
        return self.departments_with(Role.CO)


@dataclass(frozen=True)
class Observer:
    name: str
    department: str | None  # canonical short form
    department_as_written: str | None = None


def group_observers(observers: tuple[Observer, ...]) -> tuple[list[str], dict[tuple[str, str], list[str]]]:
    """列席 as the minutes list it: names without a department, then per department (canonical,
    as written) its people, in order of first appearance."""
    plain = [o.name for o in observers if o.department is None]
    groups: dict[tuple[str, str], list[str]] = {}
    for o in observers:
        if o.department is not None:
            groups.setdefault((o.department, o.department_as_written or o.department), []).append(o.name)
    return plain, groups


@dataclass(frozen=True)
class Minutes:
    doc_number: str | None = None
    year: int | None = None
    serial: int | None = None
    session: int | None = None
    date: dt.date | None = None
    period: str | None = None
    chair: str | None = None
    chair_title: str | None = None
    delegated_by: str | None = None
    header: str | None = None
    summary: str = ""
    intro: str | None = None  # 会议议定以下意见：
    topics: tuple[Topic, ...] = ()
    trailing: tuple[str, ...] = ()
    attendees: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()
    observers: tuple[Observer, ...] = ()
    observer_units: tuple[str, ...] = ()
    recorder: str | None = None
    compiled_by: str | None = None
    compiled_date: dt.date | None = None
    issued_by: str | None = None
    issued_date: dt.date | None = None
    public: bool = False
    distribution: tuple[str, ...] = ()
    unplaced: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    segments: tuple[Segment, ...] = field(default=(), repr=False)
    # The government whose meeting this is, normalised to simplified script (a filter key):
    # 苏州市人民政府, 张家港市人民政府, 姑苏区人民政府 …
    issuer: str | None = None
    term: int | None = None  # 届, when the session is counted within a term (区四届五十一次)
    published_date: dt.date | None = None  # the web page's publication line (时间:/发布时间:/发布日期:)
    source_office: str | None = None  # the web page's 来源: office
    script: str = SIMPLIFIED  # the script of the source text; every text field keeps it
    genre: str = MINUTES  # MINUTES, or REPORT for a news-style report of the meeting

    @property
    def title(self) -> str:
        """How a reader names the meeting: 第108次常务会议."""
        return f"第{self.session}次常务会议" if self.session else "常务会议"

    @property
    def attending_departments(self) -> tuple[str, ...]:
        units = [o.department for o in self.observers if o.department]
        return tuple(dict.fromkeys([*units, *self.observer_units]))

    def to_dict(self) -> dict:
        """The JSON contract of `minutes parse --json` (documented in the README)."""

        def iso(value: dt.date | None) -> str | None:
            return value.isoformat() if value else None

        return {
            "doc_number": self.doc_number,
            "year": self.year,
            "serial": self.serial,
            "session": self.session,
            "date": iso(self.date),
            "period": self.period,
            "chair": self.chair,
            "chair_title": self.chair_title,
            "delegated_by": self.delegated_by,
            "issuer": self.issuer,
            "term": self.term,
            "published_date": iso(self.published_date),
            "source_office": self.source_office,
            "script": self.script,
            "genre": self.genre,
            "summary": self.summary,
            "topics": [
                {
                    "number": t.number,
                    "title": t.title,
                    "kind": t.kind,
                    "documents": list(t.documents),
                    "lead_departments": list(t.lead_departments),
                    "co_departments": list(t.co_departments),
                    "resolutions": [
                        {
                            "number": r.number,
                            "text": r.text,
                            "departments": list(r.departments),
                            "roles": [{"department": d.name, "role": d.role.value} for d in r.roles],
                        }
                        for r in t.resolutions
                    ],
                }
                for t in self.topics
            ],
            "trailing": list(self.trailing),
            "attendees": list(self.attendees),
            "absent": list(self.absent),
            "observers": [{"name": o.name, "department": o.department} for o in self.observers],
            "observer_units": list(self.observer_units),
            "recorder": self.recorder,
            "compiled_by": self.compiled_by,
            "compiled_date": iso(self.compiled_date),
            "issued_by": self.issued_by,
            "issued_date": iso(self.issued_date),
            "public": self.public,
            "distribution": list(self.distribution),
            "unplaced": list(self.unplaced),
            "warnings": list(self.warnings),
        }


@dataclass(frozen=True)
class SourceDocument:
    """A file as read: what was read, its text (for the 原文 view) and its parse."""

    path: Path
    encoding: str  # an encoding for text files, else "PDF，3 页", "Word 文档" …
    text: str
    sha256: str
    minutes: Minutes
