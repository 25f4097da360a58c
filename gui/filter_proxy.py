"""Filtering the meeting tree: a meeting stays while any of its agenda items matches."""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Signal

from gui.tree_model import MeetingTreeModel, NodeKind
from minutes.library import FilterSpec

Index = QModelIndex | QPersistentModelIndex


class MeetingFilterProxy(QSortFilterProxyModel):
    """Shows the agenda items a FilterSpec keeps (set_spec, from the window's FilterState).

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
        return cast(MeetingTreeModel, self.sourceModel())

    def setSourceModel(self, model: QAbstractItemModel) -> None:
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
        if kind is NodeKind.PLACEHOLDER:  # a missing meeting is never a search result
            return False
        if kind is NodeKind.TOPIC:
            return (meeting_id, number) in self._topics
        if kind is NodeKind.MEETING:
            return meeting_id in self._meetings
        return year in self._years
