"""Filtering the meeting tree: a meeting stays while any of its agenda items matches."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Signal

from gui.tree_model import MeetingTreeModel, NodeKind
from minutes.library import FilterSpec, RoleFilter

Index = QModelIndex | QPersistentModelIndex


class MeetingFilterProxy(QSortFilterProxyModel):
    """Each setter narrows one aspect of the FilterSpec and re-filters.

    The matching agenda items are worked out once per change (Library.matching, the same
    rule the export uses); filterAcceptsRow is then a set lookup per row.
    """

    filterChanged = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._spec = FilterSpec()
        self._topics: set[tuple[str, int]] | None = None  # None: everything passes
        self._meetings: set[str] = set()
        self._years: set[int] = set()

    # -- state -----------------------------------------------------------------------------
    @property
    def spec(self) -> FilterSpec:
        return self._spec

    def _tree(self) -> MeetingTreeModel:
        return self.sourceModel()

    def setSourceModel(self, model: MeetingTreeModel) -> None:
        super().setSourceModel(model)
        model.modelReset.connect(lambda: self._change(lambda: None))

    def _change(self, update: Callable[[], None]) -> None:
        # Qt >= 6.10 replaces invalidateFilter() with a begin/end pair around the change.
        begin = getattr(self, "beginFilterChange", None)
        if begin is not None:
            begin()
        update()
        self._recompute()
        if begin is not None:
            self.endFilterChange()
        else:
            self.invalidateFilter()
        self.filterChanged.emit()

    def _recompute(self) -> None:
        tree = self._tree()
        if tree is None or self._spec.is_empty:
            self._topics = None
            return
        self._topics = tree.library.matching(self._spec)
        self._meetings = {meeting_id for meeting_id, _ in self._topics}
        self._years = {m.date.year if m.date else 0 for m in tree.library.meetings if m.id in self._meetings}

    # -- setters ---------------------------------------------------------------------------
    def set_spec(self, spec: FilterSpec) -> None:
        if spec != self._spec:
            self._change(lambda: setattr(self, "_spec", spec))

    def set_departments(self, names: Iterable[str]) -> None:
        self.set_spec(self._spec.with_(departments=frozenset(names)))

    def set_role(self, role: RoleFilter) -> None:
        self.set_spec(self._spec.with_(role=role))

    def set_dates(self, date_from: dt.date | None, date_to: dt.date | None) -> None:
        self.set_spec(self._spec.with_(date_from=date_from, date_to=date_to))

    def set_kinds(self, kinds: Iterable[str]) -> None:
        self.set_spec(self._spec.with_(kinds=frozenset(kinds)))

    def set_text(self, text: str) -> None:
        self.set_spec(self._spec.with_(text=text.strip()))

    def clear(self) -> None:
        self.set_spec(FilterSpec())

    # -- counts ----------------------------------------------------------------------------
    def shown_meetings(self) -> set[str]:
        tree = self._tree()
        if self._topics is None:
            return {m.id for m in tree.library.meetings} if tree is not None else set()
        return self._meetings

    def shown_topic_count(self) -> int:
        tree = self._tree()
        if tree is None:
            return 0
        return tree.library.topic_count if self._topics is None else len(self._topics)

    def total_topic_count(self) -> int:
        tree = self._tree()
        return tree.library.topic_count if tree is not None else 0

    # -- QSortFilterProxyModel -------------------------------------------------------------
    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        if self._topics is None:
            return True
        kind, meeting_id, number, year = self._tree().row_facts(source_parent, source_row)
        if kind is NodeKind.TOPIC:
            return (meeting_id, number) in self._topics
        if kind is NodeKind.MEETING:
            return meeting_id in self._meetings
        return year in self._years
