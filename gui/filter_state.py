"""The one current filter of the window. The panel, the tree's proxy, the viewer's highlight,
the filter bar, the settings and the export all read it here or set it here; it says when it
changed, once per change."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from minutes.filters import FilterSpec, RoleFilter


class FilterState(QObject):
    changed = Signal(object)  # FilterSpec: the new filter

    def __init__(self, spec: FilterSpec | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._spec = spec or FilterSpec()

    @property
    def spec(self) -> FilterSpec:
        return self._spec

    def set(self, spec: FilterSpec) -> None:
        """Make spec the filter; nothing happens (no signal) when it already is."""
        if spec != self._spec:
            self._spec = spec
            self.changed.emit(spec)

    def update(self, **changes) -> None:
        """Change some aspects, e.g. update(text="湖") or update(departments=frozenset())."""
        self.set(self._spec.with_(**changes))

    def clear(self) -> None:
        self.set(FilterSpec())

    def show_department(self, name: str, role: RoleFilter) -> None:
        """A department link: that department alone, in that role; the rest of the filter stays."""
        self.update(departments=frozenset({name}), role=role)

    def describe(self) -> str:
        return self._spec.describe()
