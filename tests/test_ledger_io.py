"""The 台账 as .xlsx and .csv: layout checked by opening the file, and the round trip back."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook

from minutes import read_document
from minutes.assignments import tasks_of
from minutes.ledger import STATUSES, Ledger, LedgerError
from minutes.ledger_io import (
    CLOSED_FILL,
    HEADERS,
    OVERDUE_FILL,
    STATUS_COLUMN,
    import_xlsx,
    read_xlsx,
    write_csv,
    write_xlsx,
)
from tests.conftest import seed_path


def seed_rows(ledger: Ledger, key: str = "001"):
    return ledger.rows(tasks_of(read_document(seed_path(key)).minutes))


def test_xlsx_layout(tmp_path: Path) -> None:
    ledger = Ledger()
    rows = seed_rows(ledger)
    dated = next(i for i, r in enumerate(rows) if r.due and r.due.date)
    rows[1] = ledger.update(rows[1], status="已办结", note="已印发")
    path = tmp_path / "台账.xlsx"
    write_xlsx(rows, path, "市民政局", dt.date(2020, 1, 1), dt.date(2020, 12, 31), today=dt.date(2020, 9, 1))
    book = load_workbook(path)
    sheet = book["督办台账"]
    assert sheet["A1"].value == "督办台账 — 市民政局（2020-01-01 至 2020-12-31）"
    assert "A1:P1" in {str(r) for r in sheet.merged_cells.ranges}
    assert tuple(c.value for c in sheet[2]) == HEADERS
    assert sheet.freeze_panes == "B3"
    assert sheet.column_dimensions["I"].width == 60  # 议定事项
    assert sheet.max_row == 2 + len(rows)
    assert sheet.cell(3, 9).alignment.wrap_text
    (validation,) = sheet.data_validations.dataValidation
    assert validation.type == "list" and validation.formula1 == '"未开始,办理中,已办结,不适用"'
    assert f"M3:M{2 + len(rows)}" in str(validation.sqref) and STATUS_COLUMN == 13
    overdue_line = 3 + dated
    assert sheet.cell(overdue_line, 12).value == "2020年7月1日起施行"
    assert sheet.cell(overdue_line, 1).fill.fgColor.rgb.endswith(OVERDUE_FILL)
    assert sheet.cell(4, 13).value == "已办结" and sheet.cell(4, 1).fill.fgColor.rgb.endswith(CLOSED_FILL)
    assert sheet.cell(5, 1).fill.fill_type is None  # an ordinary open row is not shaded
    assert sheet.cell(3, 7).value == "市卫生健康委" and sheet.cell(4, 7).value == "各地各部门"


def test_status_edited_in_excel_comes_back(tmp_path: Path) -> None:
    ledger = Ledger()
    rows = seed_rows(ledger)
    path = tmp_path / "台账.xlsx"
    write_xlsx(rows, path)
    book = load_workbook(path)
    sheet = book.active
    sheet.cell(3, STATUS_COLUMN).value = "已办结"
    sheet.cell(3, STATUS_COLUMN + 1).value = "已报市委常委会"
    sheet.cell(3, STATUS_COLUMN + 2).value = dt.datetime(2020, 7, 20)  # Excel stores dates as datetimes
    sheet.cell(4, STATUS_COLUMN).value = "办理中"
    sheet.cell(5, STATUS_COLUMN).value = "做完了"  # not a status: reported, not imported
    sheet.cell(6, 1).value = "0000000000"  # an id this ledger does not know
    book.save(path)
    report = import_xlsx(ledger, rows, path)
    assert report.changed == [rows[0].id, rows[1].id]
    assert report.unknown == ["0000000000"] and report.invalid == [
        "第5行：状态“做完了”不在 未开始、办理中、已办结、不适用 之中"
    ]
    got = {r.id: r for r in ledger.rows(tasks_of(read_document(seed_path("001")).minutes))}
    assert got[rows[0].id].status == "已办结" and got[rows[0].id].note == "已报市委常委会"
    assert got[rows[0].id].finished == dt.date(2020, 7, 20)
    assert got[rows[1].id].status == "办理中" and got[rows[2].id].status == "未开始"
    again = import_xlsx(ledger, list(got.values()), path)  # importing twice changes nothing more
    assert again.changed == [] and again.unchanged == len(rows) - 2  # less the bad status and the unknown id


def test_a_sheet_without_the_columns_is_one_clear_error(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["甲", "乙"])
    path = tmp_path / "other.xlsx"
    book.save(path)
    with pytest.raises(LedgerError, match="找不到“编号”和“状态”"):
        read_xlsx(path)
    (tmp_path / "not.xlsx").write_text("text", "utf-8")
    with pytest.raises(LedgerError, match="无法读取表格"):
        read_xlsx(tmp_path / "not.xlsx")


def test_csv_makes_formula_like_notes_text(tmp_path: Path) -> None:
    """A progress note typed as =HYPERLINK(…) must not become a formula in Excel or WPS (#11.11)."""
    ledger = Ledger()
    row = ledger.update(seed_rows(ledger, "000")[0], status="办理中", note='=HYPERLINK("http://x","点")')
    path = tmp_path / "台账.csv"
    write_csv([row], path)
    with path.open(encoding="utf-8-sig", newline="") as fh:
        lines = list(csv.reader(fh))
    assert lines[1][13] == '\'=HYPERLINK("http://x","点")'


def test_csv(tmp_path: Path) -> None:
    ledger = Ledger()
    rows = seed_rows(ledger, "000")
    ledger.update(rows[0], status="不适用")
    path = tmp_path / "台账.csv"
    write_csv(ledger.rows(tasks_of(read_document(seed_path("000")).minutes)), path)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    with path.open(encoding="utf-8-sig", newline="") as fh:
        lines = list(csv.reader(fh))
    assert tuple(lines[0]) == HEADERS and len(lines) == 1 + len(rows)
    assert lines[1][0] == rows[0].id and lines[1][12] == "不适用" and lines[1][12] in STATUSES
    assert lines[3][6] == "市工信局" and lines[3][9] == "修改完善后提请市委常委会审议"
    assert lines[3][10] == "《关于建立“链长制”推进重点产业链高质量发展的实施意见》"
