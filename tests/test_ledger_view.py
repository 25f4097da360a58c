"""The 督办台账 view, offscreen: editing a status, filtering, overdue marking, export."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox

from gui.ledger_model import OVERDUE_BACKGROUND, OVERDUE_ROLE, ROW_ROLE, Column, DueFilter
from gui.ledger_view import LedgerView
from gui.settings import Settings
from gui.tasks import SynchronousRunner
from minutes import seeds_dir
from minutes.ledger import Ledger
from minutes.library import Library

TODAY = dt.date(2020, 9, 1)


@pytest.fixture(scope="module")
def library() -> Library:
    return Library.load([seeds_dir()])


@pytest.fixture
def ledger(tmp_path: Path) -> Ledger:
    return Ledger(tmp_path / "ledger.sqlite3")


@pytest.fixture
def view(qtbot, library: Library, ledger: Ledger, settings: Settings) -> LedgerView:
    widget = LedgerView(library, ledger, settings, SynchronousRunner(), today=lambda: TODAY)
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    widget.show()
    return widget


def shown(view: LedgerView):
    return view.shown_rows()


def index_of(view: LedgerView, predicate, column: Column):
    for r in range(view.proxy.rowCount()):
        index = view.proxy.index(r, column)
        if predicate(index.data(ROW_ROLE)):
            return index
    raise AssertionError("no such row")


def test_models_pass_the_model_tester(qtmodeltester, view: LedgerView) -> None:
    assert view.model.rowCount() == 83
    qtmodeltester.check(view.model)
    view.proxy.set_department("市发改委")
    qtmodeltester.check(view.proxy)


def test_status_edited_in_place_through_the_combo_box(qtbot, view: LedgerView, ledger: Ledger) -> None:
    index = index_of(view, lambda r: r.data["lead"] == ["市工信局"] and r.data["item"] == 2, Column.STATUS)
    view.table.setCurrentIndex(index)
    view.table.edit(index)
    combo = view.table.viewport().findChild(QComboBox)
    assert combo is not None and combo.currentText() == "未开始"
    combo.setCurrentIndex(2)
    combo.activated.emit(2)
    row = index.data(ROW_ROLE)
    assert row.status == "已办结" and index.data() == "已办结"
    (record,) = ledger.records()
    assert record.id == row.id and record.status == "已办结" and record.finished == dt.date.today()
    note = index.siblingAtColumn(Column.NOTE)
    assert view.proxy.setData(note, "已提请市委常委会", Qt.ItemDataRole.EditRole)
    assert ledger.records()[0].note == "已提请市委常委会"
    assert "第108次" in view.detail.text() or "〔2020〕27号" in view.detail.text()


def test_department_filter_is_remembered(qtbot, view: LedgerView, library, ledger, settings: Settings) -> None:
    everything = len(shown(view))
    view.select_department("市住建局")
    rows = shown(view)
    assert 0 < len(rows) < everything and all(r.concerns("市住建局") for r in rows)
    assert any(r.data["lead"] == ["市住建局"] for r in rows)
    assert settings.ledger_department == "市住建局"
    again = LedgerView(library, ledger, settings, SynchronousRunner(), today=lambda: TODAY)
    qtbot.addWidget(again)
    assert again.department.currentText() == "市住建局" and len(shown(again)) == len(rows)


def test_status_meeting_and_due_filters(view: LedgerView) -> None:
    view.status.setCurrentIndex(view.status.findText("办理中"))
    assert shown(view) == []
    view.status.setCurrentIndex(0)  # the model holds the rows the filters keep: edit one shown
    view.model.setData(view.model.index(0, Column.STATUS), "办理中")
    view.status.setCurrentIndex(view.status.findText("办理中"))
    assert len(shown(view)) == 1
    view.status.setCurrentIndex(0)  # 全部状态
    view.meeting.setCurrentIndex(view.meeting.findData("第101次@2020-06-15"))
    assert {r.data["meeting"]["session"] for r in shown(view)} == {101} and len(shown(view)) == 7
    view.meeting.setCurrentIndex(0)
    view.proxy.set_due(DueFilter.DATED)
    assert sorted(r.due.words for r in shown(view)) == ["2020年7月1日起施行", "到2025年"]


def test_overdue_rows_are_marked_until_done(view: LedgerView) -> None:
    view.due.setCurrentIndex(1)  # 已逾期
    (index,) = [view.proxy.index(r, Column.DUE) for r in range(view.proxy.rowCount())]
    row = index.data(ROW_ROLE)
    assert row.data["lead"] == ["市民政局"] and index.data(OVERDUE_ROLE)
    assert index.data() == "2020年7月1日起施行 · 已逾期"
    assert index.data(Qt.ItemDataRole.BackgroundRole).color() == OVERDUE_BACKGROUND
    assert "逾期 1 条" in view.count.text()
    source = view.proxy.mapToSource(index.siblingAtColumn(Column.STATUS))
    assert view.model.setData(source, "已办结")
    assert view.proxy.rowCount() == 0  # no longer overdue
    assert "逾期" not in view.count.text()
    view.due.setCurrentIndex(0)
    not_due = index_of(view, lambda r: r.id == row.id, Column.DUE)
    assert not not_due.data(OVERDUE_ROLE) and not_due.data(Qt.ItemDataRole.BackgroundRole) is None


def test_export_writes_the_rows_as_listed(view: LedgerView, tmp_path: Path) -> None:
    view.select_department("市发改委")
    count = view.export_to(tmp_path / "发改委.xlsx")
    sheet = load_workbook(tmp_path / "发改委.xlsx").active
    assert sheet.max_row == 2 + count and sheet["A1"].value.startswith("督办台账 — 市发改委（2020-06-02 至 2021-02-23")
    assert view.export_to(tmp_path / "发改委.csv") == count


def test_a_failed_write_is_one_line_for_the_user(view: LedgerView, ledger: Ledger) -> None:
    ledger.close()
    assert not view.model.setData(view.model.index(0, Column.STATUS), "办理中")
    assert view.message.isVisibleTo(view) and view.message.text().startswith("无法保存")


def test_own_assignments_without_those_to_all(view: LedgerView) -> None:
    view.select_department("市住建局")
    with_all = len(shown(view))
    view.include_all.setChecked(False)
    rows = shown(view)
    assert len(rows) == 2 < with_all  # 〔2020〕27号 三-1 and 〔2020〕43号 四-1
    assert all(r.data["lead"] == ["市住建局"] for r in rows)
    view.select_department("市司法局")
    assert sorted(r.data["meeting"]["session"] for r in shown(view)) == [108, 121, 121, 128]
    assert sum("市司法局" in r.data["co"] for r in shown(view)) == 2


def test_default_order_is_newest_meeting_then_the_minutes_order(view: LedgerView) -> None:
    rows = shown(view)
    assert rows[0].data["meeting"]["session"] == 128
    assert [(r.data["item"], r.data["resolution"]) for r in rows[:3]] == [(1, 3), (1, 4), (2, 1)]


def test_sorting_by_a_column_survives_a_reload(view: LedgerView) -> None:
    view.table.sortByColumn(Column.DUE, Qt.SortOrder.AscendingOrder)
    words = [r.due.words if r.due else None for r in shown(view)]
    assert words[:2] == ["2020年7月1日起施行", "到2025年"] and words[-1] is None
    view.reload()
    assert [r.due.words if r.due else None for r in shown(view)][:2] == ["2020年7月1日起施行", "到2025年"]
    view.table.sortByColumn(Column.MEETING, Qt.SortOrder.AscendingOrder)
    first = shown(view)[0]
    assert first.data["meeting"]["session"] == 99 and (first.data["item"], first.data["resolution"]) == (9, 3)


def test_overview_counts_by_year_and_status_and_a_click_filters(qtbot, view: LedgerView) -> None:
    view.select_department("市住建局")
    view.include_all.setChecked(False)
    counts = view.overview.counts()
    assert {year: dict(c) for year, c in counts.items()} == {2020: {"未开始": 2}}
    view.model.setData(view.proxy.mapToSource(view.proxy.index(0, Column.STATUS)), "办理中")
    assert dict(view.overview.counts()[2020]) == {"未开始": 1, "办理中": 1}
    view.include_all.setChecked(True)
    assert set(view.overview.counts()) == {2020, 2021}
    view.overview.grab()  # paints, which lays out the clickable segments
    rect, _year, _status = next(s for s in view.overview._segments if s[1:] == (2020, "办理中"))
    qtbot.mouseClick(view.overview, Qt.MouseButton.LeftButton, pos=rect.center().toPoint())
    assert view.year.currentText() == "2020" and view.status.currentText() == "办理中"
    (row,) = shown(view)
    assert row.status == "办理中" and row.data["lead"] == ["市住建局"]


def test_the_main_window_has_the_ledger_dock(qtbot, settings: Settings, tmp_path: Path) -> None:
    """查看 → 督办台账 in a real window: nothing read before it is asked for, the ledger beside the catalogue."""
    from gui.main_window import MainWindow

    catalogue = tmp_path / "data" / "catalogue.sqlite3"
    win = MainWindow(settings, [seeds_dir()], SynchronousRunner(), catalogue=catalogue)
    qtbot.addWidget(win)
    win.show()
    dock = win.ledger_dock
    assert dock.action in win.menuBar().actions()[1].menu().actions()  # 查看
    assert dock.view is None  # nothing is read before the user asks
    dock.action.trigger()
    assert dock.isVisible() and dock.view is not None and dock.view.model.rowCount() == 83
    dock.view.model.setData(dock.view.model.index(0, Column.STATUS), "办理中")
    assert (tmp_path / "data" / "ledger.sqlite3").exists()  # beside the catalogue
    win.close()  # closes the ledger too
    assert [r.status for r in Ledger(tmp_path / "data" / "ledger.sqlite3").records()] == ["办理中"]


def test_a_ledger_that_cannot_open_is_one_line_in_the_dock(qtbot, settings: Settings, tmp_path: Path) -> None:
    from PySide6.QtWidgets import QLabel, QMainWindow

    from gui.ledger_dock import LedgerDock

    (tmp_path / "ledger.sqlite3").write_bytes(b"this is not a database" * 50)
    win = QMainWindow()
    qtbot.addWidget(win)
    dock = LedgerDock(win, settings, SynchronousRunner(), tmp_path / "catalogue.sqlite3")
    win.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
    win.show()
    assert dock.view is None and isinstance(dock.widget(), QLabel)
    assert dock.widget().text().startswith("督办台账无法打开")


def test_the_model_holds_only_the_department_rows_and_edits_follow(view: LedgerView, ledger: Ledger) -> None:
    view.select_department("市住建局")
    view.include_all.setChecked(False)
    assert view.model.rowCount() == 2  # not 83 rows filtered one by one
    assert view.model.setData(view.model.index(1, Column.NOTE), "已印发")
    view.select_department("")
    assert view.model.rowCount() == 83
    (edited,) = [r for r in view.model.rows() if r.note]
    assert edited.note == "已印发" and edited.data["lead"] == ["市住建局"]
    assert [r.note for r in ledger.records()] == ["已印发"]
    view.select_department("市住建局")
    view.include_all.setChecked(True)
    assert view.model.rowCount() == len(shown(view)) > 2


def test_the_proxy_alone_filters_by_department_when_the_source_holds_every_row(qtbot) -> None:
    from gui.ledger_model import LedgerFilterProxy, LedgerModel
    from minutes.assignments import library_tasks

    ledger = Ledger()
    model = LedgerModel(ledger)
    model.set_rows(ledger.rows(library_tasks(Library.load([seeds_dir()]).meetings)))
    proxy = LedgerFilterProxy()
    proxy.setSourceModel(model)
    proxy.set_department("市住建局")
    proxy.set_include_all(False)
    assert proxy.rowCount() == 2
    proxy.set_prefiltered(True)  # told the source is already the department's: no per-row check
    assert proxy.rowCount() == 83
    proxy.set_statuses(["未开始"])  # other filters check each row; the department is taken as done
    assert proxy.rowCount() == 83
    proxy.set_prefiltered(False)
    assert proxy.rowCount() == 2
