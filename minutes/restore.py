"""The source's own characters back into a model parsed from its simplified form.

t2s conversion maps one character to one, so the simplified lines and the source lines have
the same length, position by position. Every text field of the model is a run of the lines'
non-space characters (prose only joins lines and drops spaces), so it is found in the
simplified run and the same positions are read from the source run. A field not found there
(none is expected) stays simplified. Identities stay simplified on purpose: department names,
the item kind and the issuing government are filter keys shared with simplified documents.
"""

from __future__ import annotations

import dataclasses
import re

from minutes.clean import Line
from minutes.departments import DepartmentRole
from minutes.model import Minutes, Observer, Resolution, Topic

_SPACE = re.compile(r"\s+")


class Restorer:
    def __init__(self, lines: tuple[Line, ...]) -> None:
        self._read = "".join(_SPACE.sub("", line.text) for line in lines)
        self._source = "".join(_SPACE.sub("", line.source or line.text) for line in lines)
        if len(self._read) != len(self._source):  # cannot happen line by line; be safe
            self._source = self._read

    def text(self, value: str) -> str:
        if not value:
            return value
        key = _SPACE.sub("", value)
        at = self._read.find(key)
        if at < 0:
            return value
        source = iter(self._source[at : at + len(key)])
        return "".join(ch if ch.isspace() else next(source) for ch in value)

    def optional(self, value: str | None) -> str | None:
        return None if value is None else self.text(value)

    def many(self, values: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(self.text(v) for v in values)

    def _resolution(self, r: Resolution) -> Resolution:
        roles = tuple(DepartmentRole(d.name, d.role, self.text(d.as_written)) for d in r.roles)
        return dataclasses.replace(r, text=self.text(r.text), roles=roles)

    def _topic(self, t: Topic) -> Topic:
        return dataclasses.replace(
            t,
            title=self.text(t.title),
            documents=self.many(t.documents),
            resolutions=tuple(self._resolution(r) for r in t.resolutions),
        )

    def minutes(self, m: Minutes) -> Minutes:
        return dataclasses.replace(
            m,
            chair=self.optional(m.chair),
            chair_title=self.optional(m.chair_title),
            delegated_by=self.optional(m.delegated_by),
            header=self.optional(m.header),
            summary=self.text(m.summary),
            intro=self.optional(m.intro),
            topics=tuple(self._topic(t) for t in m.topics),
            trailing=self.many(m.trailing),
            attendees=self.many(m.attendees),
            absent=self.many(m.absent),
            observers=tuple(
                Observer(self.text(o.name), o.department, self.optional(o.department_as_written)) for o in m.observers
            ),
            recorder=self.optional(m.recorder),
            compiled_by=self.optional(m.compiled_by),
            issued_by=self.optional(m.issued_by),
            distribution=self.many(m.distribution),
            unplaced=self.many(m.unplaced),
        )
