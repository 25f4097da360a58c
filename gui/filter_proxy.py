"""Filtering the meeting tree: a meeting stays while any of its agenda items matches."""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QModelRoleData,
    QModelRoleDataSpan,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)

from gui.tree_model import ROW_FLAGS, TOPIC_FLAGS, MeetingTreeModel, NodeKind
from gui.tree_nodes import TreeNode
from minutes.collector import paused
from minutes.facets import ItemIndex, Matches
from minutes.library import FilterSpec, Library

Index = QModelIndex | QPersistentModelIndex
# Plain names for what runs per row: an enum member looked up on its class costs a descriptor
# call (a quarter of a microsecond) each time.
_MEETING, _TOPIC, _PLACEHOLDER = NodeKind.MEETING, NodeKind.TOPIC, NodeKind.PLACEHOLDER


class MeetingFilterProxy(QSortFilterProxyModel):
    """Shows the agenda items a FilterSpec keeps (set_spec, from the window's FilterState).

    The matching agenda items are worked out once per change (Library.match: the rule
    Library.matching and the export use, as flags over the library's items); filterAcceptsRow
    is then one byte or one bytes.find per row.
    """

    # Hiding years before a change pays when Qt would otherwise filter more than this many of
    # their meetings again (~10 ms): below it, hiding them and filtering them again as they
    # are opened costs about as much (10,000 minutes: a short result's years hold ~8,000).
    HIDE_YEARS_OVER = 12000

    filterAboutToChange = Signal()
    filterChangeEnded = Signal()  # after every change, also one that raised
    filterChanged = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._spec = FilterSpec()
        self._matches: Matches | None = None  # None: everything passes
        self._library: Library | None = None
        # A source parent's internal id (its node's number; 0, the root's, for an invalid index)
        # -> what _learn learnt of its rows
        self._rows: dict[int, tuple[NodeKind, list]] = {}
        # The parents whose rows Qt has filtered since the last change began, which are the
        # ones it keeps mapped (it filters every row of each at every change): id -> _rows'.
        self._filtered: dict[int, tuple[NodeKind, list]] = {}
        self._year_of: dict[int, int] = {}  # a year's id (as in _rows) -> the year
        # While set, the years (the top rows) the filter keeps are only these (see _change)
        self._only_years: set[int] | None = None
        # What a row of the proxy is under: its index's internal id (Qt's record of the rows
        # under one source parent) -> that parent's node. See _above_node.
        self._above: dict[int, TreeNode] = {}
        self._moving = 0  # the proxy's records are being changed: _above is not used

    # -- state -----------------------------------------------------------------------------
    @property
    def spec(self) -> FilterSpec:
        return self._spec

    def _tree(self) -> MeetingTreeModel:
        return cast(MeetingTreeModel, self.sourceModel())

    def setSourceModel(self, model: QAbstractItemModel) -> None:
        self._above.clear()
        # Qt drops and makes its records of rows when the source's rows change, and tells the
        # proxy's own listeners inside the source's announcement: _above is put aside from
        # before Qt's handler of the announcement (connected before Qt's own) to the end of
        # each change (after Qt's own).
        changes = (
            (model.rowsAboutToBeInserted, model.rowsInserted),
            (model.rowsAboutToBeRemoved, model.rowsRemoved),
            (model.rowsAboutToBeMoved, model.rowsMoved),
            (model.columnsAboutToBeInserted, model.columnsInserted),
            (model.columnsAboutToBeRemoved, model.columnsRemoved),
            (model.columnsAboutToBeMoved, model.columnsMoved),
            (model.layoutAboutToBeChanged, model.layoutChanged),
            (model.modelAboutToBeReset, model.modelReset),
        )
        for begin, _end in changes:
            begin.connect(self._hold)
        super().setSourceModel(model)
        model.modelReset.connect(lambda: self._change(self._forget_all))
        # Rows put in or taken out (the placeholders of missing meetings) shift what was learnt:
        # forgotten before Qt filters the new rows.
        model.rowsAboutToBeInserted.connect(self._forget_rows)
        model.rowsAboutToBeRemoved.connect(self._forget_rows)
        for _begin, end in changes:
            end.connect(self._release)
        model.dataChanged.connect(self._above.clear)

    def _hold(self, *_args) -> None:
        self._moving += 1
        self._above.clear()

    def _release(self, *_args) -> None:
        self._moving = max(0, self._moving - 1)
        self._above.clear()

    def _forget_rows(self, parent: Index, *_rows: int) -> None:
        self._rows.pop(parent.internalId(), None)
        self._filtered.pop(parent.internalId(), None)

    def _forget_all(self) -> None:
        self._rows.clear()
        self._filtered.clear()
        self._year_of.clear()

    def _change(self, update: Callable[[], None]) -> None:
        self.filterAboutToChange.emit()
        self._hold()
        try:
            before = self._matches
            try:
                update()
                self._recompute()  # may raise (a damaged index): the change still ends
            finally:
                # Qt keeps every parent it has filtered mapped and filters all their rows
                # again at each change: after a short result opened every year, each key
                # filtered every meeting of the library (~96,000 rows at 100,000 minutes).
                # Qt forgets a parent the filter hides without filtering its rows: the years
                # nobody holds an index in are hidden first (by the filter before), then the
                # change shows what it keeps.
                after = self._matches
                keep = self._years_to_keep(before)
                if keep is not None:
                    self._matches, self._only_years = before, keep
                    try:
                        self._refilter()
                    finally:
                        self._matches, self._only_years = after, None
                self._filtered = {}
                self._refilter()
        finally:
            self._release()
            self.filterChangeEnded.emit()
        self.filterChanged.emit()

    def _refilter(self) -> None:
        # Qt >= 6.10 replaces invalidateFilter() with a begin/end pair around the change
        # (begin makes the top rows' record, which Qt already has once a row was shown).
        begin = getattr(self, "beginFilterChange", None)
        if begin is not None:
            begin()
            self.endFilterChange()
        else:
            self.invalidateFilter()

    def _years_to_keep(self, before: Matches | None) -> set[int] | None:
        """The years to keep shown while the others are hidden before a change from the
        matches before: those holding an index someone keeps (the current row, the
        selection), or None when fewer than two years' meetings would be forgotten (the year
        opened after a long result is filtered again either way; hiding costs filtering the
        kept years' rows once more) or no more than HIDE_YEARS_OVER meetings. Hidden also when
        the result after is short: the view opens its years again a few at a time
        (MeetingTree.OPEN_ROWS_AT_ONCE), where filtering them again would be done at once, in
        the change (100,000 minutes: ~100 ms a key)."""
        tree = self._tree()
        if tree is None or before is None:  # every row passed: nothing was filtered
            return None
        mapped = [(self._year_of[uid], len(rows)) for uid, (kind, rows) in self._filtered.items() if kind is _MEETING]
        if len(mapped) < 2:
            return None
        keep: set[int] = set()
        for index in self.persistentIndexList():
            if index.isValid():
                while index.parent().isValid():
                    index = index.parent()
                keep.add(tree.node_of(self.mapToSource(index)).year)
        forgotten = [rows for year, rows in mapped if year not in keep]
        if len(forgotten) < 2 or sum(forgotten) <= self.HIDE_YEARS_OVER:
            return None
        return keep

    def _recompute(self) -> None:
        tree = self._tree()
        if tree is None or tree.library is not self._library:
            self._library = tree.library if tree is not None else None
            self._forget_all()  # a new library: new positions
        if tree is None or self._spec.is_empty:
            self._matches = None
            return
        self._matches = tree.library.match(self._spec)

    # -- setters ---------------------------------------------------------------------------
    def set_spec(self, spec: FilterSpec) -> None:
        if spec != self._spec:
            self._change(lambda: setattr(self, "_spec", spec))

    # -- counts ----------------------------------------------------------------------------
    def shown_meetings(self) -> set[str]:
        tree = self._tree()
        if self._matches is None:
            return {m.id for m in tree.library.meetings} if tree is not None else set()
        return self._matches.meeting_ids()

    def shown_meeting_count(self, up_to: int) -> int:
        """How many meetings the filter shows, counted no further than up_to (the tree asks
        whether a result is short enough to open in full: no set of every meeting shown)."""
        tree = self._tree()
        if tree is None:
            return 0
        if self._matches is None:
            return min(len(tree.library.meetings), up_to)
        return self._matches.meeting_count(up_to)

    def shown_topic_count(self) -> int:
        tree = self._tree()
        if tree is None:
            return 0
        return tree.library.topic_count if self._matches is None else self._matches.count

    def total_topic_count(self) -> int:
        tree = self._tree()
        return tree.library.topic_count if tree is not None else 0

    # -- QSortFilterProxyModel -------------------------------------------------------------
    # Laying out an open year asks each of its rows for its flags twice and whether it has
    # rows; painting asks each row for its flags and seven roles. Through Qt's own proxy each
    # is a call into Python to map the row and another to answer: 3,846 meetings opened (the
    # newest year of 100,000 minutes) were 30,000 calls. Under a filter the kind of a row
    # follows from what it is under (a placeholder is never a search result), which is known
    # from the row's index without mapping it.
    def _above_node(self, index: Index) -> TreeNode | None:
        """The source node the row at index is under (the root for a year), or None when not
        known here. A proxy index's internal id is Qt's record of the rows under one source
        parent, the same for every row under it; Qt frees such records only when the filter
        changes (_change) or the source's rows do (_hold/_release around it) or are reset,
        and then this is forgotten, so an id never names a freed record reused for another
        parent."""
        if self._moving:
            return None
        key = index.internalId()
        node = self._above.get(key)
        if node is None and index.isValid():
            node = self._tree().node_of(self.mapToSource(index)).parent
            if node is not None:
                self._above[key] = node
        return node

    def flags(self, index: Index) -> Qt.ItemFlag:
        # Asked twice for every row of an open year as it is laid out: the known parents are
        # looked up here, not through _above_node (a Python call is a good part of the cost).
        above = None if self._moving else self._above.get(index.internalId())
        if above is None:
            above = self._above_node(index)
        if above is not None:
            if self._matches is not None:
                return TOPIC_FLAGS if above.kind is _MEETING else ROW_FLAGS
            # Without a filter every row passes, in the source's order: the proxy's row is
            # the source's, and Qt's own answer would call into the source twice (to map the
            # row, then for its flags).
            return self._tree().flags_of(above, index.row())
        return super().flags(index)

    def hasChildren(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        # QSortFilterProxyModel answers by filtering every row under parent, and keeps that
        # parent filtered at every change after: the view asking each collapsed year whether it
        # has rows (its arrow) had every meeting of the library filtered at every keystroke.
        # A year or a meeting the filter shows holds a row it keeps (it is shown because one
        # of its items is kept), so the source's answer is the proxy's.
        if self._matches is not None and not self._moving:
            above = self._above.get(parent.internalId())  # None for the root (an invalid index)
            if above is not None:  # an item (the third level) holds none
                return above.kind is not _MEETING
        if not parent.isValid():
            return super().hasChildren(parent)
        above = self._above_node(parent)
        if self._matches is not None:
            if above is not None:
                return above.kind is not _MEETING
            return not parent.parent().parent().isValid()
        if above is not None:  # every row passes: the proxy's row is the source's (see flags)
            return self._tree().has_rows(above, parent.row())
        return self.sourceModel().hasChildren(self.mapToSource(parent))

    def multiData(self, index: Index, roleDataSpan: QModelRoleDataSpan | QModelRoleData, /) -> None:
        # Qt's proxy maps the row and calls the source once per role (seven per painted row).
        self._tree().fill_roles(self.mapToSource(index), roleDataSpan)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        matches = self._matches
        if matches is None:  # never while years are hidden: that is done with the matches before
            return True
        # A Python call per row, for every row of every parent Qt has mapped, at every change:
        # what each row is (an item's position, a meeting's ordinal, a year) is learnt once per
        # parent and library, so a change costs a lookup per row, not a walk of the tree.
        parent = source_parent.internalId()
        rows = self._filtered.get(parent)
        if rows is None:
            rows = self._filtered[parent] = self._rows.get(parent) or self._learn(source_parent, matches.index)
        kind, values = rows
        if kind is _TOPIC:
            return matches.flags[values[source_row]] == 1
        if kind is _MEETING:
            span = values[source_row]
            if span is None:  # a missing meeting's placeholder is never a search result
                return False
            return matches.flags.find(1, span[0], span[1]) != -1
        only = self._only_years
        return values[source_row] in matches.years and (only is None or values[source_row] in only)

    def _learn(self, parent: Index, index: ItemIndex) -> tuple[NodeKind, list]:
        """What the rows under parent are: (TOPIC, item positions), (MEETING, each meeting's
        run of item positions) or (YEAR, years), in minutes.facets' numbering."""
        # A year's rows are ~4,000 tuples at 100,000 minutes, learnt once per year: made with
        # the cycle collector off, as the tree makes its nodes (MeetingTreeModel._fill).
        with paused():
            facts = self._tree().rows_facts(parent)
            kinds = {fact[0] for fact in facts}
            if NodeKind.TOPIC in kinds:
                start = index.starts[index.order[cast(str, facts[0][1])]]
                rows = (NodeKind.TOPIC, [start + row for row in range(len(facts))])
            elif kinds & {NodeKind.MEETING, NodeKind.PLACEHOLDER}:  # a year's meetings and gaps
                order, starts = index.order, index.starts
                ordinals = [None if kind is _PLACEHOLDER else order[cast(str, id_)] for kind, id_, _, _ in facts]
                rows = (NodeKind.MEETING, [None if o is None else (starts[o], starts[o + 1]) for o in ordinals])
                self._year_of[parent.internalId()] = facts[0][3]
            else:
                rows = (NodeKind.YEAR, [year for _, _, _, year in facts])
        self._rows[parent.internalId()] = rows
        return rows
