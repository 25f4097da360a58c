"""Document text is text wherever the tree and the problems panel show it (#11.4)."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import Qt as QtGui_Qt
from PySide6.QtGui import QTextDocument

from gui import plain_text
from gui.problems_panel import ProblemsPanel
from gui.tree_model import MeetingTreeModel
from minutes.library import Library, Problem
from tests.conftest import seed_text

IMG = '<img src="hostname.png">'
# A file name may hold markup too; Windows forbids < > " in names, but not entities.
NAME = IMG if sys.platform != "win32" else "&lt;img src=x&gt;&amp;"
LINK = '<a href="file:///etc/passwd">点我</a>'
HOSTILE = f"{IMG}{LINK}<b>粗</b>&amp;"
# Roles Qt shows through an auto-format label (rich text when it looks like it). The display
# role is drawn by the item delegate, always as plain text.
RICH_GUESSING_ROLES = (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.WhatsThisRole)


def as_qt_shows_it(value: str) -> QTextDocument:
    """The document a QToolTip or an auto-format QLabel would make of value."""
    doc = QTextDocument()
    if QtGui_Qt.mightBeRichText(value):
        doc.setHtml(value)
    else:
        doc.setPlainText(value)
    return doc


def assert_plain(value: str, literal: str) -> None:
    doc = as_qt_shows_it(value)
    assert literal in doc.toPlainText()
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fmt = it.fragment().charFormat()
            assert not fmt.isImageFormat() and not fmt.isAnchor(), value
            it += 1
        block = block.next()


def hostile_library(tmp_path: Path) -> Library:
    folder = tmp_path / "lib"
    folder.mkdir()
    text = seed_text("000").replace("## 一、听取1~7月", f"## 一、{HOSTILE}听取1~7月")
    (folder / f"{NAME}.txt").write_text(text, "utf-8")
    (folder / "poor.txt").write_text(f"会议纪要\n{HOSTILE}这一行不属于任何部分。\n", "utf-8")
    return Library.load([folder])


def all_indexes(model, parent: QModelIndex = QModelIndex()):  # noqa: B008
    for row in range(model.rowCount(parent)):
        index = model.index(row, 0, parent)
        yield index
        yield from all_indexes(model, index)


def test_tooltip_helper_shows_exactly_the_text(qapp) -> None:
    for text in (HOSTILE, "a  b\n<p>c</p>", "&lt;img&gt;", ""):
        assert as_qt_shows_it(plain_text.tooltip(text)).toPlainText() == text


def test_tree_never_shows_document_text_as_markup(qapp, tmp_path: Path) -> None:
    model = MeetingTreeModel()
    model.set_library(hostile_library(tmp_path))
    seen = 0
    for index in all_indexes(model):
        for role in RICH_GUESSING_ROLES:
            value = index.data(role)
            if isinstance(value, str):
                assert_plain(value, "")
                shown = as_qt_shows_it(value).toPlainText()
                seen += IMG in shown or NAME in shown
    assert seen >= 2  # the item's tooltip, the meeting's tooltip (its file name)


def test_problems_panel_never_shows_document_text_as_markup(qtbot, tmp_path: Path) -> None:
    library = hostile_library(tmp_path)
    assert library.parse_notes  # poor.txt
    panel = ProblemsPanel()
    qtbot.addWidget(panel)
    problems = [Problem(tmp_path / f"{NAME}.pdf", f"无法解析：{HOSTILE}")]
    panel.set_problems(problems, library.parse_notes, f"目录 {IMG} 无法写入")
    assert panel.notice.textFormat() == Qt.TextFormat.PlainText
    assert panel.count() >= 2
    for row in range(panel.count()):
        item = panel.list.topLevelItem(row)
        for column in range(panel.list.columnCount()):
            for value in (item.toolTip(column), item.whatsThis(column)):  # item.text() is drawn as plain text
                if value:
                    assert_plain(value, "")
    reasons = "".join(as_qt_shows_it(panel.list.topLevelItem(r).toolTip(1)).toPlainText() for r in range(panel.count()))
    assert HOSTILE in reasons
