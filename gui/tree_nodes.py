"""The meeting tree's rows: their kinds, the data roles they answer, and the node each row is."""

from __future__ import annotations

from enum import IntEnum

from PySide6.QtCore import Qt

from minutes.library import Meeting, TopicInfo
from minutes.numbering import Gap


class NodeKind(IntEnum):
    YEAR = 1
    MEETING = 2
    TOPIC = 3
    PLACEHOLDER = 4  # a meeting the numbering says is missing (第100次 · 未收录)


class Roles(IntEnum):
    KIND = Qt.ItemDataRole.UserRole + 1  # NodeKind
    MEETING_ID = Qt.ItemDataRole.UserRole + 2  # str, on meeting and topic rows
    TOPIC_NUMBER = Qt.ItemDataRole.UserRole + 3  # int, on topic rows
    YEAR = Qt.ItemDataRole.UserRole + 4  # int, on every row (0: no date)
    MEETING = Qt.ItemDataRole.UserRole + 5  # Meeting object
    TOPIC = Qt.ItemDataRole.UserRole + 6  # TopicInfo (number, title, kind)
    PLACEHOLDER = Qt.ItemDataRole.UserRole + 7  # bool: a missing meeting's row, not a meeting
    GAP = Qt.ItemDataRole.UserRole + 8  # minutes.numbering.Gap, on placeholder rows


PlaceholderRole = Roles.PLACEHOLDER  # for delegates and filters: never a meeting, never a search result


class TreeNode:
    # A year's meeting rows and a meeting's item rows are made when first asked for: a library
    # of 100,000 meetings has 700,000 items, and most years are never opened.
    __slots__ = (
        "children",
        "every",
        "gap",
        "gaps",
        "kind",
        "label",
        "meeting",
        "parent",
        "pending",
        "row",
        "topic",
        "uid",
        "year",
    )

    def __init__(self, kind: NodeKind, parent: TreeNode | None, row: int) -> None:
        self.uid = 0
        self.kind = kind
        self.parent = parent
        self.row = row
        self.children: list[TreeNode] = []
        self.year = 0
        self.meeting: Meeting | None = None
        self.topic: TopicInfo | None = None
        self.gap: Gap | None = None
        self.every: list[TreeNode] | None = None  # a year's rows with its placeholders, shown or not
        # A year whose rows are not made yet: its meetings, newest first, and how many
        # placeholders go between them.
        self.pending: list[Meeting] | None = None
        self.gaps = 0
        self.label: str | None = None  # what the tree shows (the model's data, made once)


def year_of(meeting: Meeting) -> int:
    return meeting.date.year if meeting.date else 0


def node_facts(node: TreeNode) -> tuple[NodeKind, str | None, int | None, int]:
    return node.kind, node.meeting.id if node.meeting else None, node.topic.number if node.topic else None, node.year
