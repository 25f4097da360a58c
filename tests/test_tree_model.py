"""The meeting tree's labels: the 文号 fits, the full form is in the tooltip (#13 edge 8)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QStyle, QTreeView

from gui.tree_model import LABEL_CHARS, MeetingTreeModel, Roles, meeting_label
from minutes import seeds_dir
from minutes.library import Library
from tests.conftest import seed_text

TREE_WIDTH = 340  # the tree's width in the window at 1366×768 (its default share of the splitter)


@pytest.fixture
def tree(qtbot) -> QTreeView:
    model = MeetingTreeModel()
    model.set_library(Library.load([seeds_dir()]))
    view = QTreeView()
    view.setModel(model)
    view.setHeaderHidden(True)
    qtbot.addWidget(view)
    view.resize(TREE_WIDTH, 500)
    view.expandAll()
    view.show()
    return view


def test_meeting_rows_fit_the_default_tree_width_with_their_doc_number(tree: QTreeView) -> None:
    model = tree.model()
    style = tree.style()
    check = style.pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth)
    margins = 4 * style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 12
    metrics = tree.fontMetrics()
    rows = 0
    for y in range(model.rowCount()):
        year = model.index(y, 0)
        for r in range(model.rowCount(year)):
            index = model.index(r, 0, year)
            meeting = index.data(Roles.MEETING)
            label = index.data()
            if meeting.doc_number:
                assert label.endswith(meeting.doc_number)
            needed = 2 * tree.indentation() + check + margins + metrics.horizontalAdvance(label)
            assert needed <= tree.viewport().width(), label
            # The tooltip keeps the full form.
            assert meeting_label(meeting) in index.data(Qt.ItemDataRole.ToolTipRole)
            rows += 1
    assert rows == 5


def test_labels_of_outsized_titles_are_cut(qtbot, tmp_path: Path, qtmodeltester) -> None:
    folder = tmp_path / "lib"
    folder.mkdir()
    title = "关于" + "电梯安全" * 50_000
    (folder / "a.txt").write_text(seed_text("000").replace("## 一、听取", f"## 一、{title}听取"), "utf-8")
    model = MeetingTreeModel()
    model.set_library(Library.load([folder]))
    qtmodeltester.check(model)
    meeting = model.index(0, 0, model.index(0, 0))
    item = model.index(0, 0, meeting)
    assert item.data().startswith("一、关于电梯安全") and len(item.data()) == LABEL_CHARS
    assert len(item.data(Qt.ItemDataRole.ToolTipRole)) < 4 * LABEL_CHARS
    assert model.index(0, 0, QModelIndex()).isValid()
