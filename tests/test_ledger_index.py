"""The 台账's per-department index (gui/ledger_index.py): each department's rows and tallies are
what a pass over every row gives, before and after edits, and come out in the table's order."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from gui.ledger_index import DepartmentIndex, Tally
from gui.ledger_model import SORT_ROLE, Column
from gui.ledger_view import LedgerView
from gui.tasks import SynchronousRunner
from minutes import seeds_dir
from minutes.assignments import library_tasks
from minutes.ledger import Ledger, Row
from minutes.library import Library

TODAY = dt.date(2020, 9, 1)


@pytest.fixture(scope="module")
def library() -> Library:
    return Library.load([seeds_dir()])


def concerns(row: Row, department: str, include_all: bool) -> bool:
    d = row.data
    return department in (*d["lead"], *d["co"]) or (include_all and bool(d.get("to_all")))


def check(index: DepartmentIndex, rows: list[Row]) -> None:
    names = {n for r in rows for n in (*r.data["lead"], *r.data["co"])}
    assert len(names) > 20
    for name in sorted(names):
        for include_all in (True, False):
            expected = [r for r in rows if concerns(r, name, include_all)]
            assert index.rows_for(name, include_all) == expected
            assert index.tally_for(name, include_all).cleaned() == Tally.of(expected, TODAY).cleaned()
    assert index.rows_for("") == rows and index.tally_for("").cleaned() == Tally.of(rows, TODAY).cleaned()


def test_each_department_has_the_rows_and_tallies_a_full_pass_gives(library: Library, tmp_path: Path) -> None:
    ledger = Ledger(tmp_path / "ledger.sqlite3")
    rows = ledger.rows(library_tasks(library.meetings))
    index = DepartmentIndex(rows, TODAY)
    check(index, rows)
    overdue = [r for r in rows if r.overdue(TODAY)]
    assert overdue and index.tally_for("").overdue_total == len(overdue)
    for row, status in ((overdue[0], "已办结"), (rows[3], "办理中"), (rows[40], "不适用")):
        index.replace(ledger.update(row, status=status))
    rows = [index.rows[i] for i in range(len(rows))]
    check(index, rows)
    assert index.tally_for("").overdue_total == len(overdue) - 1
    ledger.close()


def test_a_department_chosen_after_sorting_comes_in_that_order(qtbot, library: Library, tmp_path: Path, settings):
    view = LedgerView(library, Ledger(tmp_path / "ledger.sqlite3"), settings, SynchronousRunner(), today=lambda: TODAY)
    qtbot.addWidget(view)
    view.select_department("市住建局")
    view.table.sortByColumn(Column.DUE, Qt.SortOrder.AscendingOrder)
    view.select_department("市发改委")
    keys = [view.proxy.index(r, Column.DUE).data(SORT_ROLE) for r in range(view.proxy.rowCount())]
    assert len(keys) > 10 and keys == sorted(keys)
    assert all(r.concerns("市发改委") for r in view.shown_rows())
    view.include_all.setChecked(False)
    keys = [view.proxy.index(r, Column.DUE).data(SORT_ROLE) for r in range(view.proxy.rowCount())]
    assert keys and keys == sorted(keys)
    assert all("市发改委" in (*r.data["lead"], *r.data["co"]) for r in view.shown_rows())


def test_the_count_and_overview_follow_an_edit(qtbot, library: Library, tmp_path: Path, settings) -> None:
    view = LedgerView(library, Ledger(tmp_path / "ledger.sqlite3"), settings, SynchronousRunner(), today=lambda: TODAY)
    qtbot.addWidget(view)
    view.select_department("市民政局")
    assert "逾期 1 条" in view.count.text()
    (row,) = [r for r in view.shown_rows() if r.overdue(TODAY)]
    position = view.shown_rows().index(row)
    assert view.model.setData(view.model.index(position, Column.STATUS), "已办结")
    assert "逾期" not in view.count.text()
    expected = Tally.of(view.model.rows(), TODAY).cleaned()
    assert (view.overview.counts(), view.overview._overdue) == expected
    assert view.overview.counts()[2020]["已办结"] == 1
