"""Every remembered value, declared once: its key, its type and its default (one line each).

QSettings hands values back as strings, lists or None depending on the backend, so each type
knows how to read a stored value back and falls back to the default when it cannot. Tests pass
a path in a temporary folder.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any, Generic, TypeVar, overload

from PySide6.QtCore import QByteArray, QSettings

from minutes.filters import FilterSpec, RoleFilter

ORGANIZATION = "MinutesReader"
APPLICATION = "minutes-reader"

T = TypeVar("T")


def _text(value: object) -> str:
    if isinstance(value, str):
        return value
    raise ValueError(value)


def _integer(low: int, high: int) -> Callable[[object], int]:
    def load(value: object) -> int:
        return min(high, max(low, int(str(value))))

    return load


def _flag(value: object) -> bool:
    if isinstance(value, bool):
        return value
    if value in ("true", "false"):
        return value == "true"
    raise ValueError(value)


def _strings(value: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value else []
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    raise ValueError(value)


def _integers(value: object) -> list[int]:
    return [int(v) for v in _strings(value)]


def _bytes(value: object) -> QByteArray:
    if isinstance(value, QByteArray):
        return value
    raise ValueError(value)


def _date(value: object) -> dt.date | None:
    return dt.date.fromisoformat(_text(value)) if value else None


def _role(value: object) -> RoleFilter:
    return RoleFilter(_text(value))


def _store(value: object) -> object:
    """How a value is written: dates as ISO text, bools as text, lists of text."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is None:
        return ""
    if isinstance(value, list | tuple | frozenset | set):
        return [str(v) for v in value]
    return value


class Option(Generic[T]):
    """One remembered value: a descriptor on Settings."""

    def __init__(self, key: str, load: Callable[[object], T], default: T) -> None:
        self.key, self.load, self.default = key, load, default

    @overload
    def __get__(self, obj: None, owner: type) -> Option[T]: ...
    @overload
    def __get__(self, obj: Settings, owner: type) -> T: ...
    def __get__(self, obj: Settings | None, owner: type) -> Option[T] | T:
        if obj is None:
            return self
        value = obj.qsettings.value(self.key)
        if value is None:
            return self.default
        try:
            return self.load(value)
        except (TypeError, ValueError):
            return self.default

    def __set__(self, obj: Settings, value: T) -> None:
        obj.qsettings.setValue(self.key, _store(value))


class Settings:
    """Window state, reading preferences, the library's folders, the last filter and export."""

    geometry = Option("window/geometry", _bytes, QByteArray())
    window_state = Option("window/state", _bytes, QByteArray())
    splitter_sizes = Option("window/splitter", _integers, [])
    zoom = Option("reader/zoom", _integer(50, 300), 100)  # text size, percent of the default
    last_meeting = Option("reader/last_meeting", _text, "")
    show_source = Option("reader/show_source", _flag, False)
    show_gaps = Option("tree/show_gaps", _flag, True)  # placeholder rows for missing meetings (第100次 · 未收录)
    library_folders = Option("library/folders", _strings, [])
    filter_departments = Option("filter/departments", _strings, [])
    filter_role = Option("filter/role", _role, RoleFilter.ANY)
    filter_from = Option("filter/from", _date, None)
    filter_to = Option("filter/to", _date, None)
    filter_kinds = Option("filter/kinds", _strings, [])
    filter_text = Option("filter/text", _text, "")
    filter_issuers = Option("filter/issuers", _strings, [])  # issuing governments (empty: all)
    export_folder = Option("export/folder", _text, "")  # where the last export went
    export_layout = Option("export/layout", _text, "full")  # full | table
    export_attendance = Option("export/attendance", _flag, True)
    export_new_page = Option("export/new_page", _flag, True)
    ledger_department = Option("ledger/department", _text, "")  # the 台账's department, chosen once
    ledger_header = Option("ledger/header", _bytes, QByteArray())  # the 台账 table's column state

    def __init__(self, path: str | Path | None = None) -> None:
        if path is None:
            self.qsettings = QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION, APPLICATION)
        else:
            self.qsettings = QSettings(str(path), QSettings.Format.IniFormat)

    @property
    def path(self) -> str:
        return self.qsettings.fileName()

    def sync(self) -> None:
        self.qsettings.sync()

    @classmethod
    def options(cls) -> dict[str, Option[Any]]:
        return {name: v for name, v in vars(cls).items() if isinstance(v, Option)}

    # -- the filter, as one value ----------------------------------------------------------
    @property
    def filter(self) -> FilterSpec:
        return FilterSpec(
            departments=frozenset(self.filter_departments),
            role=self.filter_role,
            date_from=self.filter_from,
            date_to=self.filter_to,
            kinds=frozenset(self.filter_kinds),
            text=self.filter_text,
            issuers=frozenset(self.filter_issuers),
        )

    @filter.setter
    def filter(self, spec: FilterSpec) -> None:
        self.filter_departments = sorted(spec.departments)
        self.filter_role = spec.role
        self.filter_from, self.filter_to = spec.date_from, spec.date_to
        self.filter_kinds = sorted(spec.kinds)
        self.filter_text = spec.text
        self.filter_issuers = sorted(spec.issuers)
