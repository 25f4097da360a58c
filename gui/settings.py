"""One typed wrapper over QSettings: every remembered value, its type and its default."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

ORGANIZATION = "MinutesReader"
APPLICATION = "minutes-reader"


class Settings:
    """Window state, reading preferences and the last filters.

    QSettings hands values back as strings, lists or None depending on the backend, so every
    getter converts and falls back to its default. Tests pass a path in a temporary folder.
    """

    def __init__(self, path: str | Path | None = None) -> None:
        if path is None:
            self._s = QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION, APPLICATION)
        else:
            self._s = QSettings(str(path), QSettings.Format.IniFormat)

    @property
    def path(self) -> str:
        return self._s.fileName()

    def sync(self) -> None:
        self._s.sync()

    # -- helpers ---------------------------------------------------------------------------
    def _str(self, key: str, default: str = "") -> str:
        value = self._s.value(key, default)
        return value if isinstance(value, str) else default

    def _int(self, key: str, default: int) -> int:
        try:
            return int(self._s.value(key, default))
        except (TypeError, ValueError):
            return default

    def _list(self, key: str) -> list[str]:
        value = self._s.value(key, [])
        if value is None:
            return []
        if isinstance(value, str):
            return [value] if value else []
        return [str(v) for v in value]

    def _bytes(self, key: str) -> QByteArray:
        value = self._s.value(key)
        return value if isinstance(value, QByteArray) else QByteArray()

    def _date(self, key: str) -> dt.date | None:
        try:
            return dt.date.fromisoformat(self._str(key))
        except ValueError:
            return None

    # -- window ----------------------------------------------------------------------------
    @property
    def geometry(self) -> QByteArray:
        return self._bytes("window/geometry")

    @geometry.setter
    def geometry(self, value: QByteArray) -> None:
        self._s.setValue("window/geometry", value)

    @property
    def window_state(self) -> QByteArray:
        return self._bytes("window/state")

    @window_state.setter
    def window_state(self, value: QByteArray) -> None:
        self._s.setValue("window/state", value)

    @property
    def splitter_sizes(self) -> list[int]:
        try:
            return [int(v) for v in self._list("window/splitter")]
        except ValueError:
            return []

    @splitter_sizes.setter
    def splitter_sizes(self, sizes: list[int]) -> None:
        self._s.setValue("window/splitter", [str(s) for s in sizes])

    # -- reading ---------------------------------------------------------------------------
    @property
    def zoom(self) -> int:
        """Text size in percent of the default."""
        return min(300, max(50, self._int("reader/zoom", 100)))

    @zoom.setter
    def zoom(self, value: int) -> None:
        self._s.setValue("reader/zoom", int(value))

    @property
    def last_meeting(self) -> str:
        return self._str("reader/last_meeting")

    @last_meeting.setter
    def last_meeting(self, value: str) -> None:
        self._s.setValue("reader/last_meeting", value)

    @property
    def show_source(self) -> bool:
        return self._str("reader/show_source", "false") == "true"

    @show_source.setter
    def show_source(self, value: bool) -> None:
        self._s.setValue("reader/show_source", "true" if value else "false")

    # -- library ---------------------------------------------------------------------------
    @property
    def library_folders(self) -> list[str]:
        return self._list("library/folders")

    @library_folders.setter
    def library_folders(self, folders: list[str]) -> None:
        self._s.setValue("library/folders", list(folders))

    # -- filters ---------------------------------------------------------------------------
    @property
    def filter_departments(self) -> list[str]:
        return self._list("filter/departments")

    @filter_departments.setter
    def filter_departments(self, names: list[str]) -> None:
        self._s.setValue("filter/departments", list(names))

    @property
    def filter_role(self) -> str:
        return self._str("filter/role", "any")

    @filter_role.setter
    def filter_role(self, value: str) -> None:
        self._s.setValue("filter/role", value)

    @property
    def filter_from(self) -> dt.date | None:
        return self._date("filter/from")

    @filter_from.setter
    def filter_from(self, value: dt.date | None) -> None:
        self._s.setValue("filter/from", value.isoformat() if value else "")

    @property
    def filter_to(self) -> dt.date | None:
        return self._date("filter/to")

    @filter_to.setter
    def filter_to(self, value: dt.date | None) -> None:
        self._s.setValue("filter/to", value.isoformat() if value else "")

    @property
    def filter_kinds(self) -> list[str]:
        return self._list("filter/kinds")

    @filter_kinds.setter
    def filter_kinds(self, kinds: list[str]) -> None:
        self._s.setValue("filter/kinds", list(kinds))

    @property
    def filter_text(self) -> str:
        return self._str("filter/text")

    @filter_text.setter
    def filter_text(self, value: str) -> None:
        self._s.setValue("filter/text", value)

    # -- 督办台账 ----------------------------------------------------------------------------
    @property
    def ledger_department(self) -> str:
        """The department whose 台账 is shown (chosen once, remembered); empty: all."""
        return self._str("ledger/department")

    @ledger_department.setter
    def ledger_department(self, value: str) -> None:
        self._s.setValue("ledger/department", value)

    @property
    def ledger_header(self) -> QByteArray:
        return self._bytes("ledger/header")

    @ledger_header.setter
    def ledger_header(self, value: QByteArray) -> None:
        self._s.setValue("ledger/header", value)
