"""Minutes to plain data and back, for the catalogue. Segments (the parser's accounting of
source lines) are not kept: they serve the parser's tests, not the reader."""

from __future__ import annotations

import datetime as dt
from typing import Any

from minutes.departments import DepartmentRole, Role
from minutes.model import MINUTES, SIMPLIFIED, Minutes, Observer, Resolution, Topic

FORMAT = 1


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def to_data(m: Minutes) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "doc_number": m.doc_number,
        "year": m.year,
        "serial": m.serial,
        "session": m.session,
        "date": m.date.isoformat() if m.date else None,
        "period": m.period,
        "chair": m.chair,
        "chair_title": m.chair_title,
        "delegated_by": m.delegated_by,
        "header": m.header,
        "summary": m.summary,
        "intro": m.intro,
        "topics": [
            [
                t.number,
                t.title,
                t.kind,
                list(t.documents),
                [
                    [r.number, r.label, r.text, [[d.name, d.role.value, d.as_written] for d in r.roles]]
                    for r in t.resolutions
                ],
            ]
            for t in m.topics
        ],
        "trailing": list(m.trailing),
        "attendees": list(m.attendees),
        "absent": list(m.absent),
        "observers": [[o.name, o.department, o.department_as_written] for o in m.observers],
        "observer_units": list(m.observer_units),
        "recorder": m.recorder,
        "compiled_by": m.compiled_by,
        "compiled_date": m.compiled_date.isoformat() if m.compiled_date else None,
        "issued_by": m.issued_by,
        "issued_date": m.issued_date.isoformat() if m.issued_date else None,
        "public": m.public,
        "distribution": list(m.distribution),
        "unplaced": list(m.unplaced),
        "warnings": list(m.warnings),
        "issuer": m.issuer,
        "term": m.term,
        "published_date": m.published_date.isoformat() if m.published_date else None,
        "source_office": m.source_office,
        "script": m.script,
        "genre": m.genre,
    }


def from_data(data: dict[str, Any]) -> Minutes:
    if data.get("format") != FORMAT:
        raise ValueError(f"unknown minutes data format {data.get('format')!r}")
    topics = tuple(
        Topic(
            number,
            title,
            kind,
            tuple(documents),
            tuple(
                Resolution(
                    n, label, text, tuple(DepartmentRole(name, Role(role), written) for name, role, written in roles)
                )
                for n, label, text, roles in resolutions
            ),
        )
        for number, title, kind, documents, resolutions in data["topics"]
    )
    return Minutes(
        doc_number=data["doc_number"],
        year=data["year"],
        serial=data["serial"],
        session=data["session"],
        date=_date(data["date"]),
        period=data["period"],
        chair=data["chair"],
        chair_title=data["chair_title"],
        delegated_by=data["delegated_by"],
        header=data["header"],
        summary=data["summary"],
        intro=data["intro"],
        topics=topics,
        trailing=tuple(data["trailing"]),
        attendees=tuple(data["attendees"]),
        absent=tuple(data["absent"]),
        observers=tuple(Observer(*o) for o in data["observers"]),
        observer_units=tuple(data["observer_units"]),
        recorder=data["recorder"],
        compiled_by=data["compiled_by"],
        compiled_date=_date(data["compiled_date"]),
        issued_by=data["issued_by"],
        issued_date=_date(data["issued_date"]),
        public=data["public"],
        distribution=tuple(data["distribution"]),
        unplaced=tuple(data["unplaced"]),
        warnings=tuple(data["warnings"]),
        # Added after the first release: data stored before has none of them.
        issuer=data.get("issuer"),
        term=data.get("term"),
        published_date=_date(data.get("published_date")),
        source_office=data.get("source_office"),
        script=data.get("script", SIMPLIFIED),
        genre=data.get("genre", MINUTES),
    )
