"""The meeting tree: year → meeting → agenda item, newest first, with greyed placeholder rows
for the meetings the numbering says are missing (minutes.numbering)."""

from __future__ import annotations

from collections import Counter
from itertools import groupby

from PySide6.QtCore import (
    QAbstractItemModel,
    QCoreApplication,
    QModelIndex,
    QModelRoleData,
    QModelRoleDataSpan,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QGuiApplication, QPalette

from gui import plain_text
from gui.tree_labels import (
    LABEL_CHARS,
    gap_tooltip,
    gap_tree_label,
    meeting_label,
    meeting_tree_label,
    short,
    topic_label,
)
from gui.tree_nodes import NodeKind, PlaceholderRole, Roles, TreeNode, node_facts, year_of
from minutes.collector import paused
from minutes.library import Library
from minutes.numbering import Gap

__all__ = [  # the labels (gui.tree_labels) and the row kinds and roles (gui.tree_nodes), importable from here
    "LABEL_CHARS",
    "MeetingTreeModel",
    "NodeKind",
    "PlaceholderRole",
    "Roles",
    "gap_tooltip",
    "gap_tree_label",
    "meeting_label",
    "meeting_tree_label",
    "topic_label",
]

Index = QModelIndex | QPersistentModelIndex


# Made once: or-ing the flags per call cost as much as the rest of flags() (Python enums).
ROW_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsUserCheckable
TOPIC_FLAGS = ROW_FLAGS | Qt.ItemFlag.ItemNeverHasChildren  # the view then never asks an item for rows
_NEVER_HAS_CHILDREN = Qt.ItemFlag.ItemNeverHasChildren
# The roles data() answers for every row, as plain names (looked up per row as it is painted).
_DISPLAY, _TOOLTIP = Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole
_CHECK, _USER = Qt.ItemDataRole.CheckStateRole, Qt.ItemDataRole.UserRole
_UNCHECKED = Qt.CheckState.Unchecked
# The kinds as plain names for what runs per row: an enum member looked up on its class goes
# through a Python descriptor each time.
_YEAR, _MEETING, _TOPIC, _PLACEHOLDER = NodeKind.YEAR, NodeKind.MEETING, NodeKind.TOPIC, NodeKind.PLACEHOLDER


class MeetingTreeModel(QAbstractItemModel):
    """Indexes carry an integer id into self._nodes, not a Python object pointer: PySide6 does
    not keep a reference for internalPointer(), which corrupts reference counts."""

    checkedChanged = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._library = Library()
        self._root = TreeNode(NodeKind.YEAR, None, 0)
        self._nodes: list[TreeNode] = [self._root]
        self._years: dict[int, TreeNode] = {}
        self._meeting_nodes: dict[str, TreeNode] = {}
        self._gaps_after: dict[str, list[Gap]] = {}
        self._checked: set[tuple[str, int]] = set()  # (meeting id, item number) ticked for export
        self._issuers = False  # whether meeting rows name their issuer (more than one in the library)
        self._gaps_shown = True

    @property
    def library(self) -> Library:
        return self._library

    @property
    def gaps(self) -> list[Gap]:
        """The library's gaps in the numbering (whether or not their rows are shown)."""
        return self._library.gaps

    @property
    def gaps_shown(self) -> bool:
        return self._gaps_shown

    def set_library(self, library: Library) -> None:
        """Only the years are made here; a year's rows when it is first opened or looked into
        (a meeting selected in it, the filter walking its rows)."""
        self.beginResetModel()
        self._library = library
        meetings = library.meetings
        first_issuer = meetings[0].issuer if meetings else None
        self._issuers = any(m.issuer != first_issuer for m in meetings)
        self._root = TreeNode(NodeKind.YEAR, None, 0)
        self._nodes = [self._root]
        self._meeting_nodes = {}
        if self._checked:
            ids = {m.id for m in meetings}
            self._checked = {key for key in self._checked if key[0] in ids}
        self._gaps_after = {}
        gaps_in: Counter[int] = Counter()
        for gap in library.gaps:  # in the order they go in: sessions first, higher numbers first
            self._gaps_after.setdefault(gap.after, []).append(gap)
            gaps_in[gap.year] += 1
        self._years = {}
        # The meetings are newest first (undated last): a year's are one run of them.
        for year, run in groupby(meetings, key=year_of):
            year_node = self._years.get(year)
            if year_node is None:
                year_node = self._years[year] = TreeNode(NodeKind.YEAR, self._root, 0)
                year_node.year, year_node.pending, year_node.gaps = year, [], gaps_in[year]
            year_node.pending.extend(run)  # type: ignore[union-attr]
        # Documents without a date go last, under 日期不详.
        self._root.children = sorted(self._years.values(), key=lambda n: (n.year == 0, -n.year))
        for row, child in enumerate(self._root.children):
            child.row = row
            self._add(child)
        self.endResetModel()

    def _add(self, node: TreeNode) -> None:
        node.uid = len(self._nodes)
        self._nodes.append(node)

    def _fill(self, year_node: TreeNode) -> None:
        """Make a year's rows: its meetings and, right after (older than) the meeting that
        follows each gap, the gap's placeholder."""
        # ~4,000 meetings a year at 100,000 minutes, and a short result opens every year it is
        # in: made with the cycle collector off (it walked the heap again and again), ~3x faster.
        every: list[TreeNode] = []
        add, by_id, gaps_after = self._add, self._meeting_nodes, self._gaps_after
        year = year_node.year
        with paused():
            for meeting in year_node.pending or ():
                node = TreeNode(_MEETING, year_node, 0)
                node.year, node.meeting = year, meeting
                add(node)
                every.append(node)
                by_id[meeting.id] = node
                for gap in gaps_after.get(meeting.id, ()):
                    placeholder = TreeNode(_PLACEHOLDER, year_node, 0)
                    placeholder.year, placeholder.gap = year, gap
                    add(placeholder)
                    every.append(placeholder)
        year_node.every = every
        year_node.pending = None
        year_node.children = every[:] if self._gaps_shown else [n for n in every if n.gap is None]
        for row, child in enumerate(year_node.children):
            child.row = row

    def set_gaps_shown(self, shown: bool) -> None:
        """Show or hide the placeholder rows, by inserting and removing them: what is expanded
        and selected stays."""
        if shown == self._gaps_shown:
            return
        for year_node in self._root.children:
            if year_node.pending is not None and year_node.gaps:
                # Its row count may have been read already: the rows come and go with signals.
                self._fill(year_node)
        self._gaps_shown = shown
        for year_node in self._root.children:
            if year_node.pending is not None:
                continue  # counted with or without its placeholders when asked
            if shown:
                self._insert_placeholders(year_node)
            else:
                self._remove_placeholders(year_node)

    def _remove_placeholders(self, year_node: TreeNode) -> None:
        children = year_node.children
        row = len(children) - 1
        while row >= 0:  # from the end, so that the rows above keep their numbers
            if children[row].gap is None:
                row -= 1
                continue
            last = row
            while row > 0 and children[row - 1].gap is not None:
                row -= 1
            self.beginRemoveRows(self._index(year_node), row, last)
            del children[row : last + 1]
            for moved in children[row:]:
                moved.row -= last - row + 1
            self.endRemoveRows()
            row -= 1

    def _insert_placeholders(self, year_node: TreeNode) -> None:
        children = year_node.children
        row = 0
        every = year_node.every or []
        i = 0
        while i < len(every):
            if every[i].gap is None:  # a meeting, already shown
                i, row = i + 1, row + 1
                continue
            block = []
            while i < len(every) and every[i].gap is not None:
                block.append(every[i])
                i += 1
            self.beginInsertRows(self._index(year_node), row, row + len(block) - 1)
            children[row:row] = block
            for r in range(row, len(children)):
                children[r].row = r
            self.endInsertRows()
            row += len(block)

    def _children(self, node: TreeNode) -> list[TreeNode]:
        if node.pending is not None:
            self._fill(node)
        elif node.kind is NodeKind.MEETING and not node.children and node.meeting.topics:
            for row, topic in enumerate(node.meeting.topics):
                child = TreeNode(NodeKind.TOPIC, node, row)
                child.year, child.meeting, child.topic = node.year, node.meeting, topic
                self._add(child)
                node.children.append(child)
        return node.children

    def _count(self, node: TreeNode) -> int:
        if node.kind is _MEETING:
            # Opening a year asks every meeting in it whether it has rows: answered from the
            # library's numbers, without reading 4,000 meetings' items.
            return len(node.children) or len(self._library.item_numbers(node.meeting.id))
        if node.pending is not None:
            return len(node.pending) + (node.gaps if self._gaps_shown else 0)
        return len(node.children) if node.kind is _YEAR else 0

    def row_facts(self, parent: Index, row: int) -> tuple[NodeKind, str | None, int | None, int]:
        """(kind, meeting id, item number, year) of a row, without building a QModelIndex."""
        return node_facts(self._children(self.node_of(parent))[row])

    def rows_facts(self, parent: Index) -> list[tuple[NodeKind, str | None, int | None, int]]:
        """row_facts of every row under parent (what the filter proxy learns of a parent), a
        year's without making its rows."""
        node = self.node_of(parent)
        if node.kind is NodeKind.MEETING and not node.children:
            numbers = self._library.item_numbers(node.meeting.id)
            return [(NodeKind.TOPIC, node.meeting.id, n, node.year) for n in numbers]
        if node.pending is None:
            return [node_facts(child) for child in self._children(node)]
        facts: list[tuple[NodeKind, str | None, int | None, int]] = []
        for meeting in node.pending:
            facts.append((NodeKind.MEETING, meeting.id, None, node.year))
            if self._gaps_shown:
                facts += [(NodeKind.PLACEHOLDER, None, None, node.year)] * len(self._gaps_after.get(meeting.id, ()))
        return facts

    def _index(self, node: TreeNode) -> QModelIndex:
        return self.createIndex(node.row, 0, node.uid)

    # -- lookups ---------------------------------------------------------------------------
    def _meeting_node(self, meeting_id: str) -> TreeNode | None:
        node = self._meeting_nodes.get(meeting_id)
        if node is None:
            meeting = self._library.meeting(meeting_id)
            year_node = self._years.get(meeting.date.year if meeting.date else 0) if meeting else None
            if year_node is not None and year_node.pending is not None:
                self._fill(year_node)
                node = self._meeting_nodes.get(meeting_id)
        return node

    def meeting_index(self, meeting_id: str) -> QModelIndex:
        node = self._meeting_node(meeting_id)
        return self._index(node) if node else QModelIndex()

    def topic_index(self, meeting_id: str, number: int) -> QModelIndex:
        node = self._meeting_node(meeting_id)
        if node is None:
            return QModelIndex()
        for child in self._children(node):
            if child.topic is not None and child.topic.number == number:
                return self._index(child)
        return QModelIndex()

    def node_of(self, index: Index) -> TreeNode:
        """The node of one of this model's indexes (the root for an invalid one)."""
        return self._nodes[index.internalId()] if index.isValid() else self._root

    # -- QAbstractItemModel ----------------------------------------------------------------
    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if column != 0 or row < 0:
            return QModelIndex()
        # An invalid index's internal id is 0, the root's number; every other node's is more.
        uid = parent.internalId()
        if uid and parent.column() != 0:
            return QModelIndex()
        node = self._nodes[uid]
        # Laying out an open year asks for every row in it, several times (15,000 calls when the
        # newest of 100,000 minutes is opened): a row already made is answered at once.
        children = node.children
        if node.pending is None and row < len(children):
            return self.createIndex(row, 0, children[row].uid)
        if row >= self._count(node):
            return QModelIndex()
        children = self._children(node)
        # Fewer only when the catalogue changed under this library (a file re-read before the
        # new library replaced it): Meeting.topics keeps only the items this library numbered.
        return self._index(children[row]) if row < len(children) else QModelIndex()

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        parent = self._nodes[index.internalId()].parent  # the root's (None) for an invalid index
        if parent is None or parent is self._root:
            return QModelIndex()
        return self.createIndex(parent.row, 0, parent.uid)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() and parent.column() != 0:
            return 0
        return self._count(self.node_of(parent))

    def hasChildren(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        # Asked for every row of an open year as it is laid out: answered here, not through
        # rowCount and columnCount as QAbstractItemModel does.
        if not parent.isValid():
            return bool(self._root.children)
        return parent.column() == 0 and self._count(self._nodes[parent.internalId()]) > 0

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 1

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return self._node_flags(self._nodes[index.internalId()])

    def flags_of(self, parent: TreeNode, row: int) -> Qt.ItemFlag:
        """flags() of the row-th row under parent, without a QModelIndex (the filter proxy's)."""
        children = self._children(parent)  # fewer only when the catalogue changed (see index())
        return self._node_flags(children[row]) if row < len(children) else Qt.ItemFlag.NoItemFlags

    def has_rows(self, parent: TreeNode, row: int) -> bool:
        """hasChildren() of the row-th row under parent, without a QModelIndex."""
        children = self._children(parent)
        return row < len(children) and self._count(children[row]) > 0

    @staticmethod
    def _node_flags(node: TreeNode) -> Qt.ItemFlag:
        kind = node.kind
        if kind is _PLACEHOLDER:
            # Disabled: drawn greyed, skipped by the arrow keys and type-ahead, never current.
            return _NEVER_HAS_CHILDREN
        return TOPIC_FLAGS if kind is _TOPIC else ROW_FLAGS

    # -- check boxes (what to export) ------------------------------------------------------
    def _topic_keys(self, node: TreeNode) -> list[tuple[str, int]]:
        if node.kind is NodeKind.TOPIC:
            return [(node.meeting.id, node.topic.number)]
        if node.kind is NodeKind.MEETING:
            # The numbers the library holds: ticking a year reads no titles.
            return [(node.meeting.id, n) for n in self._library.item_numbers(node.meeting.id)]
        if node.kind is NodeKind.PLACEHOLDER:
            return []
        if node.pending is not None:
            return [(m.id, n) for m in node.pending for n in self._library.item_numbers(m.id)]
        return [key for child in node.children for key in self._topic_keys(child)]

    def _check_state(self, node: TreeNode) -> Qt.CheckState:
        if not self._checked:  # asked for every visible row at every paint
            return _UNCHECKED
        keys = self._topic_keys(node)
        ticked = sum(key in self._checked for key in keys)
        if keys and ticked == len(keys):
            return Qt.CheckState.Checked
        return Qt.CheckState.PartiallyChecked if ticked else Qt.CheckState.Unchecked

    def checked_topics(self) -> set[tuple[str, int]]:
        return set(self._checked)

    def clear_checks(self) -> None:
        if self._checked:
            self._checked.clear()
            self._emit_check_changed(self._root)

    def _emit_check_changed(self, node: TreeNode) -> None:
        """A tick changes the item, everything under it and everything above it."""
        roles = [Qt.ItemDataRole.CheckStateRole]

        def walk(n: TreeNode) -> None:
            if n.children:
                self.dataChanged.emit(self._index(n.children[0]), self._index(n.children[-1]), roles)
                for child in n.children:
                    if child.children:
                        walk(child)

        walk(node)
        while node is not self._root:
            index = self._index(node)
            self.dataChanged.emit(index, index, roles)
            node = node.parent
        self.checkedChanged.emit()

    def setData(self, index: Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.CheckStateRole:
            return False
        node = self.node_of(index)
        keys = self._topic_keys(node)
        if Qt.CheckState(value) == Qt.CheckState.Checked:
            self._checked.update(keys)
        else:
            self._checked.difference_update(keys)
        self._emit_check_changed(node)
        return True

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        return self._value(self._nodes[index.internalId()], role)

    def multiData(self, index: Index, roleDataSpan: QModelRoleDataSpan | QModelRoleData, /) -> None:
        self.fill_roles(index, roleDataSpan)

    def fill_roles(self, index: Index, roles: QModelRoleDataSpan | QModelRoleData) -> None:
        """What data() gives for each role of the span, the row looked up once: a painted row's
        delegate asks for seven roles at once (the filter proxy's multiData passes it on)."""
        if isinstance(roles, QModelRoleData):
            roles = QModelRoleDataSpan(roles)
        node = self._nodes[index.internalId()] if index.isValid() else None
        for i in range(len(roles)):
            role_data = roles[i]
            role_data.setData(None if node is None else self._value(node, role_data.role()))

    def _value(self, node: TreeNode, role: int):
        if node.gap is not None:
            return self._placeholder_data(node, node.gap, role)
        if role == _DISPLAY:
            # Made once per row (every painted row asks at every paint): the node is made
            # again with the library, and the translations are installed before the window.
            label = node.label
            if label is None:
                label = node.label = self._label(node)
            return label
        if role == _CHECK:
            return self._check_state(node)
        if role == _TOOLTIP:
            # Titles and file names come from documents: shown as text, never as markup.
            if node.kind is NodeKind.TOPIC:
                return plain_text.tooltip(short(topic_label(node.topic), 3 * LABEL_CHARS))
            if node.kind is NodeKind.MEETING:
                count = QCoreApplication.translate(
                    "MeetingTree", "%n 个议题", "", len(self._library.item_numbers(node.meeting.id))
                )
                sources = "\n".join(str(p) for p in node.meeting.sources)
                issuer = f"{node.meeting.issuer}\n" if node.meeting.issuer else ""
                return plain_text.tooltip(f"{issuer}{short(meeting_label(node.meeting))}\n{count}\n{sources}")
            return None
        if role < _USER:  # the font, colours, alignment, decoration: Qt's defaults
            return None
        if role == Roles.KIND:
            return int(node.kind)
        if role == Roles.YEAR:
            return node.year
        if role == Roles.MEETING_ID:
            return node.meeting.id if node.meeting else None
        if role == Roles.TOPIC_NUMBER:
            return node.topic.number if node.topic else None
        if role == Roles.MEETING:
            return node.meeting
        if role == Roles.TOPIC:
            return node.topic
        if role == Roles.PLACEHOLDER:
            return False
        return None

    def _label(self, node: TreeNode) -> str:
        if node.kind is _YEAR:
            if node.year:
                return QCoreApplication.translate("MeetingTree", "%1年").replace("%1", str(node.year))
            return QCoreApplication.translate("MeetingTree", "日期不详")
        if node.kind is _MEETING:
            return meeting_tree_label(node.meeting, self._issuers)
        return short(topic_label(node.topic))

    def _placeholder_data(self, node: TreeNode, gap: Gap, role: int):
        if role == Qt.ItemDataRole.DisplayRole:
            return gap_tree_label(gap, self._issuers)
        if role == Qt.ItemDataRole.ToolTipRole:
            return gap_tooltip(gap, self._library)
        if role == Qt.ItemDataRole.ForegroundRole:
            return QGuiApplication.palette().brush(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        if role == Roles.KIND:
            return int(NodeKind.PLACEHOLDER)
        if role == Roles.YEAR:
            return node.year
        if role == Roles.PLACEHOLDER:
            return True
        if role == Roles.GAP:
            return gap
        return None

    def roleNames(self) -> dict[int, bytes]:
        names = super().roleNames()
        names.update({int(r): r.name.lower().encode() for r in Roles})
        return names
