"""The meeting list on the left: years, meetings and their agenda items, through the filter
proxy; it selects a meeting or an item by key and opens as much as the filter result warrants."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPersistentModelIndex, QTimer
from PySide6.QtWidgets import QAbstractItemView, QTreeView, QWidget

from gui.filter_proxy import MeetingFilterProxy
from gui.tree_model import MeetingTreeModel, Roles
from minutes.library import Meeting

Key = tuple[str, int | None]  # meeting id, item number (None: the meeting itself)


class MeetingTree(QTreeView):
    # Expanding makes the view ask for every row under a node: cheap for a few dozen meetings,
    # a second for ten thousand.
    EXPAND_ALL_UP_TO = 60
    # Opening a year makes the filter proxy filter every meeting in it: a short result in
    # every year of 100,000 minutes is ~96,000 rows, ~90 ms. Its years are opened about this
    # many meetings at a time, one pass of the event loop each, the current row's year first:
    # a key typed meanwhile is not kept waiting (and the years not opened yet are not filtered
    # again for it). 10,000 minutes open in one pass (in passes of 6,000 the short result's
    # key took ~2 ms more, laid out twice); 100,000 in passes of ~3 years, ~20 ms each.
    OPEN_ROWS_AT_ONCE = 10000

    def __init__(self, model: MeetingTreeModel, proxy: MeetingFilterProxy, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.source, self.proxy = model, proxy
        self.setHeaderHidden(True)
        self.setUniformRowHeights(True)
        self.setAccessibleName(self.tr("会议列表"))
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setModel(proxy)
        self._scrolls = True
        self._to_open: list[QPersistentModelIndex] = []  # years of a short result still to open
        self._opener = QTimer(self, singleShot=True, interval=0)
        self._opener.timeout.connect(self._open_some)
        proxy.filterAboutToChange.connect(self._before_filter)
        proxy.filterChangeEnded.connect(self._after_filter)

    def _before_filter(self) -> None:
        # While the proxy changes its rows, a removed current row moves the current to its
        # neighbour, and the view lays out all it has open (and scrolls to and opens the new
        # current's year) then, each time: at 100,000 minutes a year of 3,846 meetings, thrown
        # away by open_for_filter a moment later. Closed, and not scrolling, there is little
        # to lay out; open_for_filter (after the change) decides what is open as before.
        self._scrolls = self.hasAutoScroll()
        self.setAutoScroll(False)
        self._stop_opening()
        self.collapseAll()

    def _after_filter(self) -> None:
        self.setAutoScroll(self._scrolls)

    def current_key(self) -> Key | None:
        index = self.currentIndex()
        return (index.data(Roles.MEETING_ID), index.data(Roles.TOPIC_NUMBER)) if index.isValid() else None

    def select(self, meeting_id: str, topic: int | None = None) -> bool:
        """Make the meeting (or its item) current; False when the filter hides it."""
        if not meeting_id:
            return False
        source = self.source.topic_index(meeting_id, topic) if topic else self.source.meeting_index(meeting_id)
        index = self.proxy.mapFromSource(source)
        if not index.isValid():
            return False
        self.expand(index.parent())
        self.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.scrollTo(index)
        return True

    def reselect(self, key: Key) -> bool:
        """After a filter change, what was being read stays when it still matches: the item,
        else its meeting."""
        return self.select(*key) or self.select(key[0])

    def meetings_under(self, year: QModelIndex) -> list[Meeting]:
        """The meetings listed under a year node, without the placeholders of missing ones."""
        rows = [self.proxy.index(row, 0, year) for row in range(self.proxy.rowCount(year))]
        return [row.data(Roles.MEETING) for row in rows if not row.data(Roles.PLACEHOLDER)]

    def newest(self) -> QModelIndex:
        return self.proxy.index(0, 0, self.proxy.index(0, 0))

    def opening(self) -> bool:
        """Whether years of a short result are still to be opened, in later passes of the
        event loop (see OPEN_ROWS_AT_ONCE)."""
        return bool(self._to_open)

    def _stop_opening(self) -> None:
        self._to_open = []
        self._opener.stop()

    def _open_some(self) -> None:
        self.scheduleDelayedItemsLayout()  # what is opened below is laid out once, after
        rows = 0
        proxy = self.proxy
        while self._to_open and rows < self.OPEN_ROWS_AT_ONCE:
            kept = self._to_open.pop(0)
            if kept.isValid():
                year = proxy.index(kept.row(), 0)  # a top row: its row is all an index needs
                rows += self.source.rowCount(proxy.mapToSource(year))
                self.expand(year)
                # Its meetings, not their items (which hold no rows): expandRecursively asked
                # each item for its rows, a record in the proxy each.
                for row in range(proxy.rowCount(year)):
                    self.expand(proxy.index(row, 0, year))
        if self._to_open:
            self._opener.start()
        if self._in_sight(self.currentIndex()):  # still in sight as the years above it open
            self.scrollTo(self.currentIndex())

    def _in_sight(self, index: QModelIndex) -> bool:
        # scrollTo opens the rows above index: a year the user closed while the rest opened
        # stays closed (and its current row is not followed).
        if not index.isValid():
            return False
        above = index.parent()
        while above.isValid():
            if not self.isExpanded(above):
                return False
            above = above.parent()
        return True

    def open_for_filter(self) -> None:
        """Open every node of a short filter result (over a few passes of the event loop in a
        large library); of a small library every year; of a large one the newest year."""
        self._stop_opening()
        self.collapseAll()
        few = self.proxy.shown_meeting_count(self.EXPAND_ALL_UP_TO + 1) <= self.EXPAND_ALL_UP_TO
        if not self.proxy.spec.is_empty and few:
            # Every meeting is opened: their items read at once, not each with its neighbours.
            self.source.library.read_topics(self.proxy.shown_meetings())
            years = [self.proxy.index(row, 0) for row in range(self.proxy.rowCount())]
            top = self.currentIndex()
            while top.parent().isValid():
                top = top.parent()
            years.sort(key=lambda year: year != top)  # the current row's year first
            self._to_open = [QPersistentModelIndex(year) for year in years]
            self._open_some()
            return
        if len(self.source.library.meetings) <= self.EXPAND_ALL_UP_TO * 5:
            for row in range(self.proxy.rowCount()):
                self.expand(self.proxy.index(row, 0))
        elif self.proxy.rowCount():
            self.expand(self.proxy.index(0, 0))
        if self.currentIndex().isValid():
            self.scrollTo(self.currentIndex())
