"""Missing meetings in the window (#14): greyed placeholder rows in the tree, the 缺少的纪要
list in the problems panel, and 查看 → 显示未收录的期次."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QDesktopServices, QGuiApplication, QHelpEvent, QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QToolTip

from gui.main_window import MainWindow
from gui.problems_panel import ProblemsPanel
from gui.settings import Settings
from gui.tasks import SynchronousRunner
from gui.tree_model import MeetingTreeModel, NodeKind, PlaceholderRole, Roles
from minutes import seeds_dir
from minutes.library import FilterSpec, Library, Problem
from minutes.numbering import find_gaps
from tests import mixed_library
from tests.conftest import SEED_NAMES, seed_path, seed_text


def gapped(folder: Path) -> Path:
    """The seeds with 第121次 〔2020〕43号 renumbered 第110次 〔2020〕29号: 第109次 and 〔2020〕28号 go
    missing between it and 第108次 〔2020〕27号, 第111–127次 before 第128次."""
    folder.mkdir(parents=True)
    for key, name in SEED_NAMES.items():
        if key != "002":
            shutil.copy(seed_path(key), folder / name)
    text = seed_text("002").replace("第121次", "第110次").replace("〔2020〕43号", "〔2020〕29号")
    (folder / SEED_NAMES["002"]).write_text(text, "utf-8")
    return folder


def rows(model, parent: QModelIndex) -> list[QModelIndex]:
    return [model.index(r, 0, parent) for r in range(model.rowCount(parent))]


def year_rows(model, year: int) -> list[QModelIndex]:
    (index,) = [y for y in rows(model, QModelIndex()) if y.data(Roles.YEAR) == year]
    return rows(model, index)


def placeholders(model, parent: QModelIndex = QModelIndex()) -> list[str]:  # noqa: B008
    found = []
    for index in rows(model, parent):
        if index.data(PlaceholderRole):
            found.append(index.data())
        found.extend(placeholders(model, index))
    return found


@pytest.fixture
def gapped_window(qtbot, settings: Settings, tmp_path: Path) -> MainWindow:
    win = MainWindow(settings, [gapped(tmp_path / "lib")], SynchronousRunner())
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    return win


def test_placeholders_go_between_their_neighbours(qtmodeltester, tmp_path: Path) -> None:
    model = MeetingTreeModel()
    model.set_library(Library.load([gapped(tmp_path / "lib")]))
    qtmodeltester.check(model)
    assert [i.data() for i in year_rows(model, 2021)] == [
        "第128次 · 2月23日 · 〔2021〕9号",
        "第111–127次 · 未收录（17 次）",
        "〔2021〕1–8号 · 未收录（8 件）",
    ]
    assert [i.data() for i in year_rows(model, 2020)] == [
        "第110次 · 12月14日 · 〔2020〕29号",
        "第109次 · 〔2020〕28号 · 未收录",  # one missing meeting: its session and its number
        "第108次 · 8月17日 · 〔2020〕27号",
        "第102–107次 · 未收录（6 次）",
        "〔2020〕18–26号 · 未收录（9 件）",
        "第101次 · 6月15日",
        "第100次 · 未收录",
        "第99次 · 6月2日 · 〔2020〕17号",
    ]


def test_a_placeholder_is_greyed_not_a_meeting_and_explains_itself(qapp) -> None:
    model = MeetingTreeModel()
    model.set_library(Library.load([seeds_dir()]))
    (row,) = [i for i in year_rows(model, 2020) if i.data() == "第100次 · 未收录"]
    assert row.data(Roles.KIND) == NodeKind.PLACEHOLDER and row.data(PlaceholderRole) is True
    assert row.data(Roles.MEETING) is None and row.data(Roles.MEETING_ID) is None
    assert row.data(Roles.GAP).sessions == (100, 100)
    flags = model.flags(row)
    assert not flags & Qt.ItemFlag.ItemIsSelectable and not flags & Qt.ItemFlag.ItemIsEnabled
    assert not flags & Qt.ItemFlag.ItemIsUserCheckable and row.data(Qt.ItemDataRole.CheckStateRole) is None
    disabled = QGuiApplication.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
    assert row.data(Qt.ItemDataRole.ForegroundRole).color() == disabled
    tip = row.data(Qt.ItemDataRole.ToolTipRole)
    assert "资料库中没有第100次的会议纪要" in tip
    assert "在 第99次 · 6月2日 · 〔2020〕17号 与 第101次 · 6月15日 之间" in tip
    assert model.rowCount(row) == 0
    # Meeting rows are no placeholders.
    assert year_rows(model, 2020)[0].data(PlaceholderRole) is False


def test_several_issuers_lead_placeholders_with_the_issuer(qapp, tmp_path: Path) -> None:
    model = MeetingTreeModel()
    model.set_library(Library.load([mixed_library.build(tmp_path / "mixed")]))
    shown = placeholders(model)
    assert "苏州 · 第100次 · 未收录" in shown
    assert not any(label.startswith(("张家港", "姑苏区")) for label in shown)  # one meeting each: no gap


def test_a_placeholder_cannot_be_opened(gapped_window: MainWindow, qtbot) -> None:
    win = gapped_window
    tree, proxy = win.tree, win.proxy
    shown = win.viewer.meeting
    assert shown is not None and shown.session == 128
    newest = tree.currentIndex()
    placeholder = proxy.index(newest.row() + 1, 0, newest.parent())
    assert placeholder.data(PlaceholderRole)
    tree.scrollTo(placeholder)
    QTest.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=tree.visualRect(placeholder).center())
    QTest.mouseDClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=tree.visualRect(placeholder).center())
    assert tree.currentIndex() == newest and win.viewer.meeting is shown
    # The arrow keys step over placeholders: from 第128次 down to the year 2020.
    tree.setFocus()
    QTest.keyClick(tree, Qt.Key.Key_Down)
    assert tree.currentIndex().data(Roles.KIND) == NodeKind.YEAR and tree.currentIndex().data(Roles.YEAR) == 2020
    # A year's overview lists its meetings only.
    assert "未收录" not in win.viewer.plain_text() and "第110次常务会议" in win.viewer.plain_text()


def test_hovering_a_placeholder_explains_it(gapped_window: MainWindow) -> None:
    tree = gapped_window.tree
    newest = tree.currentIndex()
    placeholder = tree.proxy.index(newest.row() + 1, 0, newest.parent())
    center = tree.visualRect(placeholder).center()
    QApplication.sendEvent(
        tree.viewport(), QHelpEvent(QEvent.Type.ToolTip, center, tree.viewport().mapToGlobal(center))
    )
    assert QToolTip.isVisible() and "资料库中没有第111–127次的会议纪要" in QToolTip.text()
    QToolTip.hideText()


def test_a_filter_hides_placeholders(gapped_window: MainWindow, qtmodeltester) -> None:
    win = gapped_window
    assert len(placeholders(win.proxy)) == 6
    win.state.set(FilterSpec(text="苏州"))  # every meeting matches: still no placeholder
    assert not placeholders(win.proxy) and win.proxy.rowCount() == 2
    qtmodeltester.check(win.proxy)
    win.state.clear()
    assert len(placeholders(win.proxy)) == 6


def test_the_problems_panel_lists_the_gaps(gapped_window: MainWindow, monkeypatch) -> None:
    panel = gapped_window.problems
    assert panel.count() == 1  # 第101次 has no 文号: a parse note, then the 缺少的纪要 groups
    groups = [panel.list.topLevelItem(r) for r in range(1, panel.list.topLevelItemCount())]
    assert [(g.text(0), g.text(1)) for g in groups] == [
        ("缺少的纪要：苏州市人民政府 · 2021年", "2 处未收录"),
        ("缺少的纪要：苏州市人民政府 · 2020年", "4 处未收录"),
    ]
    assert [(r.text(0), r.text(1)) for r in panel.gap_rows()] == [
        (
            "第111–127次 · 未收录（17 次）",
            "在 第110次 · 12月14日 · 〔2020〕29号 与 第128次 · 2月23日 · 〔2021〕9号 之间",
        ),
        ("〔2021〕1–8号 · 未收录（8 件）", "在 第128次 · 2月23日 · 〔2021〕9号 之前"),
        (
            "第109次 · 〔2020〕28号 · 未收录",
            "在 第108次 · 8月17日 · 〔2020〕27号 与 第110次 · 12月14日 · 〔2020〕29号 之间",
        ),
        ("第102–107次 · 未收录（6 次）", "在 第101次 · 6月15日 与 第108次 · 8月17日 · 〔2020〕27号 之间"),
        ("第100次 · 未收录", "在 第99次 · 6月2日 · 〔2020〕17号 与 第101次 · 6月15日 之间"),
        (
            "〔2020〕18–26号 · 未收录（9 件）",
            "在 第99次 · 6月2日 · 〔2020〕17号 与 第108次 · 8月17日 · 〔2020〕27号 之间",
        ),
    ]
    # Double-clicking a gap (or its group) opens nothing: there is no file.
    opened: list[object] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    for item in [*groups, *panel.gap_rows()]:
        panel.list.itemDoubleClicked.emit(item, 0)
        assert not panel.open_location(item)
    assert opened == []


def test_gaps_stay_after_the_file_problems(qtbot, tmp_path: Path) -> None:
    library = Library.load([seeds_dir()])
    panel = ProblemsPanel()
    qtbot.addWidget(panel)
    panel.set_gaps(find_gaps(library.meetings), library)
    panel.set_problems([Problem(tmp_path / "a.doc", "旧版 Word 格式，请另存为 .docx 或 PDF")], [], None)
    assert panel.count() == 1 and panel.list.topLevelItem(0).text(0) == "a.doc"
    assert len(panel.gap_rows()) == 7 and panel.open_button.isEnabled()
    panel.set_gaps([], library)
    assert panel.list.topLevelItemCount() == 1 and not panel.gap_rows()


def test_the_toggle_hides_placeholders_and_is_remembered(
    qtbot, gapped_window: MainWindow, settings: Settings, tmp_path: Path, qtmodeltester
) -> None:
    win = gapped_window
    action = win.act.gaps_action
    assert action.isChecked() and action.text() == "显示未收录的期次"
    assert action in win.menuBar().actions()[1].menu().actions()  # 查看
    year_2020 = win.proxy.index(1, 0)
    assert win.tree.isExpanded(year_2020)
    assert win.select_meeting(next(m.id for m in win.model.library.meetings if m.session == 101))
    kept = QPersistentModelIndex(win.model.meeting_index(win.tree.current_key()[0]))

    action.setChecked(False)
    assert placeholders(win.proxy) == [] and placeholders(win.model) == []
    assert settings.show_gaps is False
    qtmodeltester.check(win.model)
    # Inserted and removed, not reset: what is open and selected stays.
    assert win.tree.isExpanded(win.proxy.index(1, 0)) and win.tree.current_key() == (kept.data(Roles.MEETING_ID), None)
    assert kept.isValid() and kept.row() == 2  # 第110次, 108, 101

    action.setChecked(True)
    assert len(placeholders(win.proxy)) == 6 and settings.show_gaps is True
    assert kept.row() == 5 and win.tree.current_key()[0] == kept.data(Roles.MEETING_ID)
    qtmodeltester.check(win.model)

    action.setChecked(False)
    again = MainWindow(settings, [tmp_path / "lib"], SynchronousRunner())
    qtbot.addWidget(again)
    assert not again.act.gaps_action.isChecked() and placeholders(again.proxy) == []
    assert again.problems.gap_rows()  # the panel still lists what to fetch


def test_a_filter_holds_while_the_placeholders_come_and_go(gapped_window: MainWindow, qtmodeltester) -> None:
    """The proxy learns each parent's rows once; putting placeholders in or taking them out
    under an active filter must not leave it answering from the old rows."""
    win = gapped_window
    win.act.gaps_action.setChecked(False)
    win.state.set(FilterSpec(text="苏州"))  # every meeting matches, no placeholder may show

    def meeting_rows() -> list[str]:
        return [m.data(Roles.MEETING_ID) for y in rows(win.proxy, QModelIndex()) for m in rows(win.proxy, y)]

    before = meeting_rows()
    assert len(before) == len(win.model.library.meetings)
    for on in (True, False, True):
        win.act.gaps_action.setChecked(on)
        assert meeting_rows() == before and not placeholders(win.proxy)
        qtmodeltester.check(win.proxy)
    win.state.clear()
    assert len(placeholders(win.proxy)) == 6
