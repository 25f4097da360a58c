"""What the tree of a reader window shows, for the tests that drive the window (its fixtures,
`settings` and `window`, are in conftest.py)."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex

from gui.main_window import MainWindow
from gui.tree_model import NodeKind, Roles


def visible_topics(win: MainWindow) -> set[tuple[int, int]]:
    """(session, item number) of every agenda item the tree shows."""
    found = set()
    proxy = win.proxy

    def walk(parent: QModelIndex) -> None:
        for row in range(proxy.rowCount(parent)):
            index = proxy.index(row, 0, parent)
            if index.data(Roles.KIND) == NodeKind.TOPIC:
                found.add((index.data(Roles.MEETING).minutes.session, index.data(Roles.TOPIC_NUMBER)))
            walk(index)

    walk(QModelIndex())
    return found
