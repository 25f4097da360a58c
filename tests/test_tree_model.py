"""The meeting tree's labels: the 文号 fits, the full form is in the tooltip (#13 edge 8)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QStyle, QTreeView

from gui.tree_model import LABEL_CHARS, MeetingTreeModel, NodeKind, Roles, meeting_label
from minutes import seeds_dir
from minutes.library import Library
from tests import mixed_library
from tests.conftest import seed_text

# The width a meeting row has in the window at 1366×768: the tree's default share of the splitter
# (374 px) less a vertical scrollbar; tests/test_window_edges.py checks the window gives at least this.
TREE_WIDTH = 355


def shown_tree(qtbot, library: Library) -> QTreeView:
    """A tree of the library at the window's default tree width, shown."""
    model = MeetingTreeModel()
    model.set_library(library)
    view = QTreeView()
    view.setModel(model)
    view.setHeaderHidden(True)
    qtbot.addWidget(view)
    view.resize(TREE_WIDTH, 500)
    view.show()
    return view


@pytest.fixture
def tree(qtbot) -> QTreeView:
    view = shown_tree(qtbot, Library.load([seeds_dir()]))
    view.expandAll()
    return view


def test_meeting_rows_fit_the_default_tree_width_with_their_doc_number(tree: QTreeView) -> None:
    labels = _fitting_labels(tree)
    assert len(labels) == 5
    assert all(label.startswith("第") for label in labels)  # one issuer: not named on every row


def test_rows_name_the_issuer_when_the_library_holds_several(qtbot, tmp_path: Path) -> None:
    view = shown_tree(qtbot, Library.load([mixed_library.build(tmp_path / "mixed")]))
    labels = _fitting_labels(view)
    assert len(labels) == 8
    assert "张家港 · 第108次 · 8月17日 · 〔2020〕27号" in labels
    assert "苏州 · 第108次 · 8月17日 · 〔2020〕27号" in labels
    assert "姑苏区 · 第121次 · 12月14日 · 〔2020〕43号" in labels
    assert "不详 · 第128次 · 2月23日 · 报道" in labels


def _fitting_labels(tree: QTreeView) -> list[str]:
    """The meeting rows' labels, checked to fit the tree's width with their 文号 and to keep
    the full form in the tooltip (placeholder rows are checked to fit, not listed)."""
    labels = []
    model = tree.model()
    style = tree.style()
    check = style.pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth)
    margins = 4 * style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 12
    metrics = tree.fontMetrics()
    for y in range(model.rowCount()):
        year = model.index(y, 0)
        for r in range(model.rowCount(year)):
            index = model.index(r, 0, year)
            meeting = index.data(Roles.MEETING)
            label = index.data()
            needed = 2 * tree.indentation() + check + margins + metrics.horizontalAdvance(label)
            assert needed <= tree.viewport().width(), label
            if index.data(Roles.PLACEHOLDER):  # a missing meeting's row (#14) fits too
                continue
            if meeting.doc_number:
                assert label.endswith(meeting.doc_number)
            # The tooltip keeps the full form.
            assert meeting_label(meeting) in index.data(Qt.ItemDataRole.ToolTipRole)
            labels.append(label)
    return labels


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


def test_placeholder_rows_pass_the_model_tester_as_they_come_and_go(qtmodeltester) -> None:
    """Missing meetings (#14) are rows of their own, inserted and removed by the toggle."""
    model = MeetingTreeModel()
    model.set_library(Library.load([seeds_dir()]))
    qtmodeltester.check(model)  # stays attached: every insertion and removal below is checked too
    year_2020 = model.index(1, 0)
    assert model.rowCount(year_2020) == 9 and len(model.gaps) == 7
    assert model.row_facts(year_2020, 1)[0] is NodeKind.PLACEHOLDER
    model.set_gaps_shown(False)
    assert model.rowCount(year_2020) == 4 and model.rowCount(model.index(0, 0)) == 1
    assert [model.index(r, 0, year_2020).row() for r in range(4)] == [0, 1, 2, 3]
    model.set_gaps_shown(False)  # no change, no signal
    model.set_gaps_shown(True)
    assert model.rowCount(year_2020) == 9 and model.index(8, 0, year_2020).data() == "第99次 · 6月2日 · 〔2020〕17号"
    qtmodeltester.check(model)
    # A new library keeps the choice.
    model.set_gaps_shown(False)
    model.set_library(Library.load([seeds_dir()]))
    assert model.rowCount(model.index(1, 0)) == 4 and len(model.gaps) == 7
    qtmodeltester.check(model)
