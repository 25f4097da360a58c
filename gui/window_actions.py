"""The reader window's actions, menus and toolbar: each action's text, shortcut (also shown in
its tooltip), icon and what it triggers."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QIcon, QKeySequence
from PySide6.QtWidgets import QStyle

from gui import icons

if TYPE_CHECKING:
    from gui.main_window import MainWindow

Shortcut = str | QKeySequence.StandardKey | list[QKeySequence] | None


def with_shortcut(action: QAction, tip: str | None = None) -> None:
    """The tooltip names the shortcut, e.g. 打印…（Ctrl+P）."""
    text = (tip or action.text()).removesuffix("…")
    keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
    action.setToolTip(f"{text}（{keys}）" if keys else text)


def make_action(
    window: MainWindow,
    text: str,
    slot: Callable[..., object],
    shortcut: Shortcut = None,
    icon: QIcon | QStyle.StandardPixmap | None = None,
    checkable: bool = False,
    tip: str | None = None,
) -> QAction:
    action = QAction(text, window)
    if isinstance(shortcut, list):
        action.setShortcuts(shortcut)
    elif shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    if isinstance(icon, QStyle.StandardPixmap):
        icon = window.style().standardIcon(icon)
    if icon is not None:
        action.setIcon(icon)
    action.setCheckable(checkable)
    if checkable:
        action.toggled.connect(lambda on: slot(on))  # a bound widget method raises TypeError here
    else:
        action.triggered.connect(lambda _checked=False: slot())
    with_shortcut(action, tip)
    window.addAction(action)
    return action


def show_gaps(window: MainWindow, on: bool) -> None:
    """The tree's placeholder rows for missing meetings (查看 → 显示未收录的期次), remembered."""
    window.model.set_gaps_shown(on)
    window.settings.show_gaps = on


class WindowActions:
    """Every action of the window, by name (window.act.print_action, …)."""

    def __init__(self, w: MainWindow) -> None:
        sp = QStyle.StandardPixmap
        tr = w.tr
        lib, viewer = w.library, w.viewer
        self.add_folder_action = make_action(
            w, tr("添加文件夹…"), w.add_folder, QKeySequence.StandardKey.Open, sp.SP_DirOpenIcon
        )
        self.add_files_action = make_action(w, tr("添加文件…"), w.add_files, "Ctrl+Shift+O", sp.SP_FileIcon)
        self.problems_action = w.problems.toggleViewAction()
        self.problems_action.setText(tr("问题列表"))
        self.reload_action = make_action(
            w, tr("重新载入"), lib.reload, QKeySequence.StandardKey.Refresh, sp.SP_BrowserReload
        )
        self.quit_action = make_action(w, tr("退出"), w.close, QKeySequence.StandardKey.Quit)
        self.zoom_in_action = make_action(
            w, tr("放大"), lambda: w.set_zoom(viewer.zoom + 10), [QKeySequence("Ctrl+="), QKeySequence("Ctrl++")]
        )
        self.zoom_out_action = make_action(w, tr("缩小"), lambda: w.set_zoom(viewer.zoom - 10), "Ctrl+-")
        self.zoom_reset_action = make_action(w, tr("原始大小"), lambda: w.set_zoom(100), "Ctrl+0")
        self.source_action = make_action(
            w,
            tr("显示原文"),
            w.set_source_mode,
            "Ctrl+U",
            icons.source_icon(),
            True,
            tr("显示文件原文，便于核对解析结果"),
        )
        self.panel_action = make_action(w, tr("筛选面板"), w.filters.setVisible, "F9", checkable=True)
        self.panel_action.setChecked(True)
        self.gaps_action = make_action(
            w,
            tr("显示未收录的期次"),
            lambda on: show_gaps(w, on),
            checkable=True,
            tip=tr("在会议列表中以灰色显示缺少的期次和文号"),
        )
        w.model.set_gaps_shown(w.settings.show_gaps)
        self.gaps_action.setChecked(w.settings.show_gaps)
        self.find_action = make_action(w, tr("搜索…"), w.focus_search, QKeySequence.StandardKey.Find)
        self.next_action = make_action(w, tr("下一个匹配"), lambda: w.find_hit(), QKeySequence.StandardKey.FindNext)
        self.prev_action = make_action(
            w, tr("上一个匹配"), lambda: w.find_hit(backward=True), QKeySequence.StandardKey.FindPrevious
        )
        self.clear_action = make_action(w, tr("清除全部筛选"), w.state.clear, "Ctrl+Shift+X", sp.SP_DialogResetButton)
        self.about_action = make_action(w, tr("关于纪要阅读器"), w.show_about)
        self.export_action = make_action(
            w, tr("导出 PDF…"), lambda: w.export.open_dialog(), "Ctrl+E", sp.SP_DialogSaveButton
        )
        self.export_filter_action = make_action(w, tr("导出当前筛选结果…"), lambda: w.export.open_dialog("filter"))
        self.print_action = make_action(
            w,
            tr("打印…"),
            lambda: w.export.open_dialog(for_print=True),
            QKeySequence.StandardKey.Print,
            icons.print_icon(),
        )
        self.clear_checks_action = make_action(w, tr("取消全部勾选"), w.model.clear_checks)
        w.filter_bar.clear_button.setToolTip(self.clear_action.toolTip())

        menu = w.menuBar()
        file_menu = menu.addMenu(tr("文件(&F)"))
        file_menu.addActions([self.add_files_action, self.add_folder_action, self.reload_action])
        file_menu.addSeparator()
        file_menu.addActions(
            [self.export_action, self.export_filter_action, self.print_action, self.clear_checks_action]
        )
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        view_menu = menu.addMenu(tr("查看(&V)"))
        view_menu.addActions([self.zoom_in_action, self.zoom_out_action, self.zoom_reset_action])
        view_menu.addSeparator()
        view_menu.addActions(
            [self.source_action, self.panel_action, self.gaps_action, self.problems_action, w.ledger_dock.action]
        )
        find_menu = menu.addMenu(tr("查找(&S)"))
        find_menu.addActions([self.find_action, self.next_action, self.prev_action])
        find_menu.addSeparator()
        find_menu.addAction(self.clear_action)
        menu.addMenu(tr("帮助(&H)")).addAction(self.about_action)

        toolbar = w.addToolBar(tr("工具栏"))
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar.addActions([self.add_files_action, self.add_folder_action, self.export_action, self.print_action])
        toolbar.addSeparator()
        toolbar.addActions([self.source_action, self.clear_action])
