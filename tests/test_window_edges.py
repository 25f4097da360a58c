"""The reader window's rough edges (issue 13), driven through the window's public widgets,
its FilterState and its controllers."""

from __future__ import annotations

import datetime as dt
import logging
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QLocale, Qt, QUrl
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMessageBox, QStyle

from gui import render
from gui.main_window import MainWindow
from gui.settings import Settings
from gui.tasks import Job, SynchronousRunner
from minutes import seeds_dir
from minutes.library import FilterSpec, RoleFilter
from tests.test_tree_model import TREE_WIDTH
from tests.window_fixtures import visible_topics


def test_f9_and_the_menu_hide_and_show_the_filter_panel(window: MainWindow, qtbot) -> None:
    assert window.filters.isVisible()
    window.act.panel_action.trigger()
    assert window.filters.isHidden() and not window.act.panel_action.isChecked()
    window.act.panel_action.trigger()
    assert window.filters.isVisible()
    qtbot.keyClick(window, Qt.Key.Key_F9)
    assert window.filters.isHidden()


def test_one_filter_state_drives_panel_proxy_bar_and_settings(window: MainWindow, settings: Settings) -> None:
    spec = FilterSpec(departments=frozenset({"市住建局"}), role=RoleFilter.LEAD)
    window.state.set(spec)
    assert window.proxy.spec == spec == window.filters.spec() == settings.filter
    assert window.filter_bar.summary.text() == "筛选：" + spec.describe()
    window.filters.search.setText("古建筑")  # the panel sets the state
    assert window.state.spec.text == "古建筑" and window.proxy.spec.text == "古建筑"


def test_department_link_in_the_attendance_list_filters_by_attendance(window: MainWindow) -> None:
    meeting = window.viewer.meeting
    assert meeting is not None and meeting.minutes.session == 128
    window.viewer.anchorClicked.emit(QUrl(render.dept_href("市委宣传部")))  # 列席 only, in no resolution
    assert window.state.spec.departments == frozenset({"市委宣传部"})
    assert window.state.spec.role is RoleFilter.ATTENDED
    assert window.filters.role.currentData() == "attended"
    assert window.filters.selected_departments() == {"市委宣传部"}
    assert window.viewer.meeting is meeting  # what was being read still matches: it stays
    assert (128, 1) in visible_topics(window)


def test_department_link_in_a_resolution_keeps_the_meeting(window: MainWindow) -> None:
    meeting = window.viewer.meeting
    window.viewer.anchorClicked.emit(QUrl(render.dept_href("市市场监管局")))
    assert window.state.spec.role is RoleFilter.ANY
    assert window.viewer.meeting is meeting


def test_department_counts_follow_the_other_filters(window: MainWindow) -> None:
    panel = window.filters
    panel.role.setCurrentIndex(panel.role.findData("lead"))
    assert panel.department_counts()["市住建局"] == 2
    panel.preset.setCurrentIndex(panel.preset.findData("year-2021"))
    assert panel.department_counts()["市住建局"] == 0
    window.state.update(departments=frozenset({"市住建局"}))
    assert visible_topics(window) == set()
    window.state.update(date_from=None, date_to=None, text="古建筑")
    assert panel.department_counts()["市住建局"] == len(visible_topics(window)) == 1


def test_clear_all_shows_the_whole_date_span(window: MainWindow) -> None:
    panel = window.filters
    panel.preset.setCurrentIndex(panel.preset.findData("year-2020"))
    assert panel.date_from.date() == QDate(2020, 1, 1)
    window.act.clear_action.trigger()
    low, high = window.model.library.date_range()
    assert panel.preset.currentData() == "all"
    assert (panel.date_from.date(), panel.date_to.date()) == (
        QDate(low.year, low.month, low.day),
        QDate(high.year, high.month, high.day),
    )


def test_typing_a_date_after_select_all(window: MainWindow, qtbot) -> None:
    edit = window.filters.date_from
    edit.setFocus()
    qtbot.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(edit, "2020-08-01")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert window.state.spec.date_from == dt.date(2020, 8, 1)
    assert {s for s, _ in visible_topics(window)} == {108, 121, 128}


def test_words_separated_by_a_space_all_match(window: MainWindow) -> None:
    window.filters.search.setText("电梯 安全")
    shown = visible_topics(window)
    library = window.model.library
    expected = {
        (ref.meeting.minutes.session, ref.topic.number)
        for ref in library.topics()
        if all(w in ref.topic.title + "".join(r.text for r in ref.topic.resolutions) for w in ("电梯", "安全"))
    }
    assert shown == expected and shown


def test_f3_says_which_hit_and_a_new_query_drops_the_old_mark(window: MainWindow, qtbot) -> None:
    window.filters.search.setText("湖")
    window.select_meeting(window.model.library.meetings[0].id)
    current, hits = window.hit_position()
    assert current == 0 and hits > 1
    qtbot.keyClick(window.viewer, Qt.Key.Key_F3)
    window.act.next_action.trigger()
    assert window.hit_position() == (2, hits)
    assert f"第 2 / {hits} 处" in window.status.status_label.text()
    window.filters.search.setText("苏州")
    assert not window.viewer.textCursor().hasSelection()
    assert window.hit_position()[0] == 0


def test_the_tree_gives_meeting_rows_the_width_their_labels_are_checked_at(window: MainWindow) -> None:
    """tests/test_tree_model.py checks that labels with their 文号 fit TREE_WIDTH: the window's
    tree at 1366×768 must give at least that much, even with a vertical scrollbar."""
    scrollbar = window.tree.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
    assert window.tree.width() - 2 * window.tree.frameWidth() - max(scrollbar, 17) >= TREE_WIDTH


def test_every_shortcut_is_in_its_tooltip(window: MainWindow) -> None:
    actions = [a for a in window.actions() if not a.shortcut().isEmpty()]
    assert len(actions) >= 12
    for action in actions:
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        assert keys in action.toolTip(), action.text()
    assert not window.act.print_action.icon().isNull() and not window.act.source_action.icon().isNull()


def test_zoom_percentage_is_shown(window: MainWindow) -> None:
    assert window.status.zoom_label.text() == "100%"
    window.act.zoom_in_action.trigger()
    window.act.zoom_in_action.trigger()
    assert window.status.zoom_label.text() == "120%"


def test_about_names_licences_and_folders(settings: Settings) -> None:
    from gui.about import about_text
    from gui.logs import log_path

    text = about_text(settings)
    for needle in ("LGPL", "Open Font License", str(log_path()), settings.path, "数据文件夹"):
        assert needle in text


def test_problems_list_leaves_the_department_list_room(window: MainWindow) -> None:
    window.show_problems()
    view = window.filters.dept_view
    rows = view.viewport().height() // view.sizeHintForRow(0)
    assert rows >= 9


def test_dates_are_chinese_whatever_the_system_locale(qapp) -> None:
    from gui.app import install_translator

    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    install_translator(qapp)
    assert QLocale().language() == QLocale.Language.Chinese
    assert QLocale().monthName(8) == "八月"
    assert qapp.translate("QFileDialog", "Look in:") != "Look in:"


def test_a_failed_job_says_one_chinese_line_and_logs_the_traceback(tmp_path: Path) -> None:
    from gui.logs import log, setup_logging

    path = setup_logging(tmp_path / "logs" / "app.log")
    assert path is not None
    try:

        class PdfStreamError(Exception):
            pass

        def broken(progress, cancelled):
            raise PdfStreamError("Stream has ended unexpectedly")

        job = Job(broken)
        reasons: list[str] = []
        job.signals.failed.connect(reasons.append)
        SynchronousRunner().start(job)
        assert len(reasons) == 1 and "PdfStreamError" not in reasons[0] and "日志" in reasons[0]
        for handler in log.handlers:
            handler.flush()
        logged = path.read_text("utf-8")
        assert "Traceback" in logged and "PdfStreamError" in logged
    finally:
        for handler in list(log.handlers):
            if isinstance(handler, logging.FileHandler):
                log.removeHandler(handler)
                handler.close()


def test_export_remembers_the_folder_and_offers_to_open_the_result(window: MainWindow, tmp_path: Path) -> None:
    from gui.pdf_export import ExportOptions

    out = tmp_path / "out" / "table.csv"
    out.parent.mkdir()
    window.export.export_to(out, window.export.selection_recipe("current"), ExportOptions(layout="table"))
    assert out.is_file()
    assert window.settings.export_folder == str(out.parent)
    box = window.export.result_box
    assert box is not None and box.isVisible()
    assert {b.text() for b in box.buttons()} >= {"打开文件", "打开所在文件夹"}
    box.close()


def test_export_dialog_remembers_the_choice_and_print_offers_no_csv(window: MainWindow, qtbot) -> None:
    from gui.export_dialog import ExportDialog, Scope

    args = dict(current="第128次常务会议", filter_topics=35, filter_active=False, checked_topics=0, scope=Scope.CURRENT)
    dialog = ExportDialog(window, for_print=False, layout="table", attendance=False, **args)
    qtbot.addWidget(dialog)
    assert dialog.options().layout == "table" and not dialog.attendance.isChecked()
    printing = ExportDialog(window, for_print=True, **args)
    qtbot.addWidget(printing)
    assert "CSV" not in printing.table.text()
    assert window.export.default_file_name("filter", "table") != window.export.default_file_name("filter", "full")


def test_a_locked_target_file_says_so_and_offers_another_name(window: MainWindow, tmp_path: Path, monkeypatch) -> None:
    """Windows refuses to replace a PDF open in a viewer ([WinError 5], a PermissionError); as
    root on Linux nothing is locked, so the refusal is made where Windows makes it."""
    import os

    from gui import pdf_export
    from gui.export_controller import other_name
    from gui.pdf_export import ExportOptions

    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "纪要.pdf"
    target.write_bytes(b"%PDF-1.4 open in a viewer")

    def refuse(src, dst) -> None:
        raise PermissionError(13, "拒绝访问。", str(dst))

    monkeypatch.setattr(pdf_export.os, "replace", refuse)
    window.export.export_to(target, window.export.selection_recipe("current"), ExportOptions())
    box = window.export.failure_box
    assert box is not None and "文件正被其他程序打开，请关闭后重试，或另存为…" in box.text()
    assert "PermissionError" not in box.text()
    assert "另存为…" in {b.text() for b in box.buttons()}
    assert target.read_bytes() == b"%PDF-1.4 open in a viewer"
    assert [p.name for p in target.parent.iterdir()] == ["纪要.pdf"]  # no partial file left
    assert other_name(target) == target.parent / "纪要(2).pdf"
    box.close()
    assert os.replace is refuse


def test_closing_the_window_closes_the_catalogue(qtbot, settings: Settings, tmp_path: Path) -> None:
    import sqlite3

    win = MainWindow(settings, [seeds_dir()], SynchronousRunner(), catalogue=tmp_path / "c.sqlite3")
    qtbot.addWidget(win)
    library = win.library.library
    assert library is not None and library.meetings
    win.close()
    with pytest.raises(sqlite3.ProgrammingError):
        library.catalogue.topic_rows()


@pytest.mark.skipif(sys.platform == "win32", reason="Windows forbids < > in file names")
def test_dialogs_show_file_names_and_reasons_as_plain_text(window: MainWindow, tmp_path: Path) -> None:
    from gui.pdf_export import ExportOptions

    out = tmp_path / '<img src="x.png"><b>表.csv'
    window.export.export_to(out, window.export.selection_recipe("current"), ExportOptions(layout="table"))
    box = window.export.result_box
    assert box is not None and box.textFormat() == Qt.TextFormat.PlainText
    assert '<img src="x.png"><b>表.csv' in box.text()
    box.close()
    window.library.failed.emit('<a href="file:///etc">载入</a>')
    (warning,) = [w for w in window.findChildren(QMessageBox) if w.windowTitle() == "载入失败"]
    assert warning.textFormat() == Qt.TextFormat.PlainText
    warning.close()
