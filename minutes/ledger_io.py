"""The 台账 as files: the .xlsx offices work in (and its import back), CSV, and the hand-over file.

openpyxl is imported on first use: the window and the CLI's other commands never pay for it.
Every file is written under a temporary name and renamed, so a failure leaves nothing behind.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from minutes.ledger import HANDOVER_FORMAT, SCHEMA_VERSION, STATUSES, Ledger, LedgerError, MergeReport, Record, Row
from minutes.ledger import now as _now
from minutes.report import atomic_target, write_csv_table

SHEET = "督办台账"
# (header, width in characters): the status column and the id are what an import reads back.
COLUMNS: tuple[tuple[str, int], ...] = (
    ("编号", 12),
    ("会议日期", 11),
    ("会议", 16),
    ("文号", 13),
    ("议题", 30),
    ("序号", 5),
    ("牵头单位", 14),
    ("会同单位", 12),
    ("议定事项", 60),
    ("办理要求", 24),
    ("涉及文件", 28),
    ("时限", 14),
    ("状态", 9),
    ("办理情况", 36),
    ("办结日期", 11),
    ("更新时间", 17),
)
HEADERS = tuple(h for h, _ in COLUMNS)
STATUS_COLUMN = HEADERS.index("状态") + 1
OVERDUE_FILL = "FCE4E4"
CLOSED_FILL = "EEF3EA"
_FULL_DATE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日")


def due_text(row: Row) -> str:
    due = row.due
    if due is None:
        return ""
    if due.date and not _FULL_DATE.search(due.words):  # 6月底前 → 6月底前（2021-06-30）
        return f"{due.words}（{due.date.isoformat()}）"
    return due.words


def cells(row: Row) -> list[str]:
    d = row.data
    meeting = d["meeting"]
    leads = list(d.get("lead") or [])
    if d.get("to_all") and d.get("scope"):
        leads.append(d["scope"])
    return [
        row.id,
        meeting.get("date") or "",
        f"第{meeting['session']}次常务会议" if meeting.get("session") else "常务会议",
        meeting.get("doc_number") or "",
        d.get("item_title") or str(d["item"]),
        str(d["resolution"]),
        "、".join(leads),
        "、".join(d.get("co") or []),
        d["text"] + ("（原议定事项已不在纪要中）" if row.orphaned else ""),
        d.get("action") or "",
        d.get("document") or "",
        due_text(row),
        row.status,
        row.note,
        row.finished.isoformat() if row.finished else "",
        local_time(row.updated),
    ]


def local_time(updated: str | None) -> str:
    """An edit time (UTC, as the ledger stores it) in the user's time zone, to the minute."""
    if not updated:
        return ""
    try:
        return dt.datetime.fromisoformat(updated).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return updated


def title(department: str | None, date_from: dt.date | None, date_to: dt.date | None) -> str:
    who = department or "全部单位"
    if date_from or date_to:
        span = f"{date_from.isoformat() if date_from else '…'} 至 {date_to.isoformat() if date_to else '…'}"
    else:
        span = "全部日期"
    return f"督办台账 — {who}（{span}）"


def write_csv(rows: Iterable[Row], path: str | Path) -> None:
    """The 督办台账 as CSV (formula-like cells made text, as in every CSV the app writes)."""
    write_csv_table(HEADERS, (cells(r) for r in rows), path)


def write_xlsx(
    rows: Sequence[Row],
    path: str | Path,
    department: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    today: dt.date | None = None,
) -> None:
    """A 督办台账 sheet: a title row, a frozen header, wrapped text, the status as a drop-down,
    overdue rows shaded."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    today = today or dt.date.today()
    book = Workbook()
    sheet = book.worksheets[0]  # the one a new workbook has (book.active may be None, to a type checker)
    sheet.title = SHEET
    last = get_column_letter(len(COLUMNS))
    sheet.append([title(department, date_from, date_to)])
    sheet.merge_cells(f"A1:{last}1")
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.row_dimensions[1].height = 24
    sheet.append(list(HEADERS))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.fill = PatternFill("solid", fgColor="DDE4EE")
    wrap = Alignment(wrap_text=True, vertical="top")
    overdue = PatternFill("solid", fgColor=OVERDUE_FILL)
    closed = PatternFill("solid", fgColor=CLOSED_FILL)
    for row in rows:
        sheet.append(cells(row))
        fill = overdue if row.overdue(today) else closed if row.status in ("已办结", "不适用") else None
        for cell in sheet[sheet.max_row]:
            cell.alignment = wrap
            if fill is not None:
                cell.fill = fill
    for i, (_, width) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = "B3"  # header and the id column stay in view
    end = max(sheet.max_row, 3)
    status = get_column_letter(STATUS_COLUMN)
    choice = DataValidation(type="list", formula1='"' + ",".join(STATUSES) + '"', allow_blank=False)
    choice.error = "请从列表中选择：" + "、".join(STATUSES)
    choice.errorTitle = "办理状态"
    choice.showErrorMessage = True
    sheet.add_data_validation(choice)
    choice.add(f"{status}3:{status}{end}")
    sheet.auto_filter.ref = f"A2:{last}{end}"
    sheet.print_title_rows = "2:2"
    sheet.page_setup.orientation = "landscape"
    path = Path(path)
    tmp = atomic_target(path)
    try:
        book.save(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


@dataclass
class ImportReport:
    changed: list[str] = field(default_factory=list)
    unchanged: int = 0
    unknown: list[str] = field(default_factory=list)  # ids not in this ledger's library
    invalid: list[str] = field(default_factory=list)  # "第N行：…" lines

    def describe(self) -> str:
        parts = [f"更新 {len(self.changed)} 条，未变 {self.unchanged} 条"]
        if self.unknown:
            parts.append(f"{len(self.unknown)} 条编号未找到")
        if self.invalid:
            parts.append(f"{len(self.invalid)} 行无法读取")
        return "，".join(parts)


def read_xlsx(path: str | Path) -> list[tuple[int, str, str, str, dt.date | None]]:
    """(line, id, status, note, finish date) for each row with an id, found by header names so
    a user may move or add columns."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise LedgerError(f"无法读取表格 {path}：{exc}") from exc
    try:
        sheet = book[SHEET] if SHEET in book.sheetnames else book.worksheets[0]
        found: list[tuple[int, str, str, str, dt.date | None]] = []
        where: dict[str, int] | None = None
        for line, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            texts = ["" if v is None else str(v).strip() for v in values]
            if where is None:
                if "编号" in texts and "状态" in texts:
                    where = {h: texts.index(h) for h in ("编号", "状态", "办理情况", "办结日期") if h in texts}
                continue
            record_id = texts[where["编号"]] if where["编号"] < len(texts) else ""
            if not record_id:
                continue

            finished_text, finished_value = _cell(where, "办结日期", texts, values)
            if isinstance(finished_value, dt.datetime):
                finished: dt.date | None = finished_value.date()
            elif isinstance(finished_value, dt.date):
                finished = finished_value
            else:
                try:
                    finished = dt.date.fromisoformat(finished_text) if finished_text else None
                except ValueError:
                    finished = None
            status, note = _cell(where, "状态", texts, values)[0], _cell(where, "办理情况", texts, values)[0]
            found.append((line, record_id, status, note, finished))
        if where is None:
            raise LedgerError(f"表格中找不到“编号”和“状态”两列：{path}")
        return found
    finally:
        book.close()


def _cell(where: dict[str, int], name: str, texts: list[str], values: tuple) -> tuple[str, object]:
    i = where.get(name)
    return (texts[i], values[i]) if i is not None and i < len(texts) else ("", None)


def import_xlsx(ledger: Ledger, rows: Iterable[Row], path: str | Path) -> ImportReport:
    """Statuses, notes and finish dates edited in the spreadsheet, back into the ledger."""
    by_id = {r.id: r for r in rows}
    report = ImportReport()
    for line, record_id, status, note, finished in read_xlsx(path):
        row = by_id.get(record_id)
        if row is None:
            report.unknown.append(record_id)
            continue
        if status not in STATUSES:
            report.invalid.append(f"第{line}行：状态“{status}”不在 {'、'.join(STATUSES)} 之中")
            continue
        if (status, note, finished) == (row.status, row.note, row.finished):
            report.unchanged += 1
            continue
        ledger.update(row, status=status, note=note, finished=finished)
        report.changed.append(record_id)
    return report


# -- hand-over -----------------------------------------------------------------------------
def export_handover(ledger: Ledger, path: str | Path) -> int:
    """Every record, as JSON another PC can merge (Ledger.merge_records)."""
    records = ledger.records()
    payload = {"format": HANDOVER_FORMAT, "version": SCHEMA_VERSION, "exported": _now(),
               "entries": [r.to_dict() for r in records]}  # fmt: skip
    path = Path(path)
    tmp = atomic_target(path)
    try:
        tmp.write_text(json.dumps(payload, ensure_ascii=False, indent=1), "utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return len(records)


def merge_handover(ledger: Ledger, path: str | Path) -> MergeReport:
    try:
        payload = json.loads(Path(path).read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise LedgerError(f"无法读取交接文件 {path}：{exc}") from exc
    if not isinstance(payload, dict) or payload.get("format") != HANDOVER_FORMAT:
        raise LedgerError(f"不是督办台账交接文件：{path}")
    try:
        theirs = [Record.from_dict(d) for d in payload["entries"]]
    except (KeyError, TypeError, ValueError) as exc:
        raise LedgerError(f"交接文件内容不完整：{path}（{exc}）") from exc
    return ledger.merge_records(theirs)
