"""The 议定事项清单 (PDF and CSV) with the 台账's 期限 and 状态 columns (issue 14)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from pypdf import PdfReader

from gui.pdf_export import ExportOptions, write_pdf
from minutes import seeds_dir
from minutes.assignments import library_tasks
from minutes.ledger import Ledger, read_records
from minutes.library import FilterSpec, Library
from minutes.report import CSV_COLUMNS, NO_LEDGER, resolution_rows, select_by_spec, write_csv


@pytest.fixture(scope="module")
def library() -> Library:
    return Library.load([seeds_dir()])


def record_done(ledger: Ledger, library: Library) -> tuple[str, int, int]:
    """Mark the 新基建 item's 到2025年 resolution 已办结; its (meeting date, item, resolution)."""
    row = next(r for r in ledger.rows(library_tasks(library.meetings)) if r.due and r.due.words == "到2025年")
    ledger.update(row, status="已办结")
    return row.data["meeting"]["date"], row.data["item"], row.data["resolution"]


def test_rows_carry_the_due_and_the_ledger_status(library: Library) -> None:
    ledger = Ledger()
    date, item, number = record_done(ledger, library)
    selection = select_by_spec(library, FilterSpec())
    rows = resolution_rows(selection, ledger.records())
    done = next(r for r in rows if r.date.isoformat() == date and r.topic_number == item and r.label == "（三）")
    assert number == 3
    assert (done.due, done.status) == ("到2025年（2025-12-31）", "已办结")
    statuses = {r.status for r in rows}
    assert statuses == {"已办结", "未开始", ""}  # "": the resolution assigns nothing
    assert any(r.due == "尽快" for r in rows)
    # No ledger read: an assignment's 状态 is unknown, not 未开始.
    unknown = resolution_rows(selection)
    assert {r.status for r in unknown} == {NO_LEDGER, ""}
    assert [r.due for r in unknown] == [r.due for r in rows]


def test_table_pdf_and_csv_show_due_and_status(qapp, library: Library, tmp_path: Path) -> None:
    ledger = Ledger()
    record_done(ledger, library)
    selection = select_by_spec(library, FilterSpec())
    pdf = tmp_path / "table.pdf"
    write_pdf(selection, ExportOptions(layout="table"), pdf, records=ledger.records())
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "期限" in text and "状态" in text
    assert "已办结" in text and "未开始" in text and "2025-12-31" in text
    out = tmp_path / "table.csv"
    write_csv(resolution_rows(selection, ledger.records()), out)
    with out.open(encoding="utf-8-sig", newline="") as fh:
        table = list(csv.reader(fh))
    assert CSV_COLUMNS[-2:] == ("期限", "状态") == tuple(table[0][-2:])
    assert ["到2025年（2025-12-31）", "已办结"] in [r[-2:] for r in table]


def test_read_records_opens_a_ledger_file_read_only(tmp_path: Path, library: Library) -> None:
    assert read_records(tmp_path / "none.sqlite3") is None
    path = tmp_path / "ledger.sqlite3"
    ledger = Ledger(path)
    record_done(ledger, library)
    ledger.close()
    before = path.read_bytes()
    records = read_records(path)
    assert records is not None and [r.status for r in records] == ["已办结"]
    assert path.read_bytes() == before


def test_the_window_exports_the_status_of_a_ledger_not_yet_shown(qtbot, tmp_path: Path, library: Library) -> None:
    from gui.main_window import MainWindow
    from gui.settings import Settings
    from gui.tasks import SynchronousRunner

    ledger = Ledger(tmp_path / "ledger.sqlite3")  # beside the catalogue, where the dock looks
    record_done(ledger, library)
    ledger.close()
    win = MainWindow(Settings(tmp_path / "s.ini"), [seeds_dir()], SynchronousRunner(), catalogue=tmp_path / "c.sqlite3")
    qtbot.addWidget(win)
    assert win.ledger_dock.ledger is None
    out = tmp_path / "out.csv"
    win.export.export_to(out, select_by_spec(win.library.library, FilterSpec()), ExportOptions(layout="table"))
    with out.open(encoding="utf-8-sig", newline="") as fh:
        statuses = [r[-1] for r in csv.reader(fh)]
    assert statuses.count("已办结") == 1 and "未开始" in statuses
    win.export.result_box.close()
    win.close()
