"""The 台账 table: one row per assignment (and per orphaned record), and its filter proxy.

The status and the note are edited in place; each edit is one ledger transaction. Sorting uses
SORT_ROLE (dates as ISO text, numbers as numbers) so 第99次 sorts before 第108次.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable
from enum import IntEnum
from typing import Any, cast

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QIdentityProxyModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont

from minutes.ledger import CLOSED, STATUSES, Ledger, LedgerError, Row
from minutes.ledger_io import due_text, local_time
from minutes.numerals import date_text
from minutes.related import TitleIndex

Index = QModelIndex | QPersistentModelIndex


class Column(IntEnum):
    DATE = 0
    MEETING = 1
    ITEM = 2
    LEAD = 3
    CO = 4
    ACTION = 5
    DUE = 6
    STATUS = 7
    NOTE = 8
    UPDATED = 9


HEADERS = ("会议日期", "会议", "议题", "牵头 / 对象", "会同", "办理要求", "时限", "状态", "办理情况", "更新")

ROW_ROLE = Qt.ItemDataRole.UserRole + 1  # the minutes.ledger.Row
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
OVERDUE_ROLE = Qt.ItemDataRole.UserRole + 3  # bool

OVERDUE_BACKGROUND = QColor("#fbe3e3")
ORPHAN_FOREGROUND = QColor("#8a8a8a")
STATUS_COLOURS = {"未开始": "#6b6b6b", "办理中": "#1d5fa8", "已办结": "#2e7d32", "不适用": "#8a8a8a"}


def _tr(text: str) -> str:
    return QCoreApplication.translate("LedgerModel", text)


def addressees(row: Row) -> str:
    d = row.data
    names = list(d.get("lead") or [])
    if d.get("to_all") and d.get("scope"):
        names.append(d["scope"])
    return "、".join(names)


class LedgerModel(QAbstractTableModel):
    failed = Signal(str)  # an edit that could not be recorded, in one line for the user

    def __init__(self, ledger: Ledger, parent=None, today: Callable[[], dt.date] = dt.date.today) -> None:
        super().__init__(parent)
        self._ledger = ledger
        self._all: list[Row] = []  # every row handed in, in order
        self._rows: list[Row] = []  # those the filter accepts (the same list without a filter)
        self._accept: Callable[[Row], bool] | None = None  # set by LedgerFilterProxy
        self._today = today
        self._day: tuple[float, dt.date] | None = None  # (when asked, the answer): see today()
        self._sorted: tuple[int, Qt.SortOrder] | None = None  # kept across set_rows
        # 相关议题 of the library (minutes.related.title_index): a document back at a later
        # meeting shows in the tooltip as the assignment's follow-up.
        self.related: TitleIndex | None = None

    @property
    def ledger(self) -> Ledger:
        return self._ledger

    def set_rows(self, rows: Iterable[Row], presorted: bool = False) -> None:
        """presorted: the rows are already in the table's order (a DepartmentIndex sorted as
        sort_state() says), so they are not sorted again. A list is kept as it is, not copied
        (the caller hands over a list of its own: 100,000 rows cost a pass to copy)."""
        self.beginResetModel()
        self._all = rows if isinstance(rows, list) else list(rows)
        if self._sorted is not None and not presorted:
            self._all = self._in_order(*self._sorted)
        self._rows = self._filtered()
        self.endResetModel()

    def set_filter(self, accept: Callable[[Row], bool] | None) -> None:
        """Show only the rows accept takes (all for None). Filtering here, in one list
        comprehension, and not in the proxy's filterAcceptsRow: that is a call from C++ into
        Python per row, which a department's 台账 of 100,000 rows cannot afford."""
        if accept is None and self._accept is None:
            return
        self.beginResetModel()
        self._accept = accept
        self._rows = self._filtered()
        self.endResetModel()

    def _filtered(self) -> list[Row]:
        accept = self._accept
        return self._all if accept is None else [r for r in self._all if accept(r)]

    @property
    def filtered(self) -> bool:
        return self._accept is not None

    def sort_state(self) -> tuple[int, Qt.SortOrder] | None:
        return self._sorted

    def row_at(self, row: int) -> Row:
        return self._rows[row]

    def rows(self) -> list[Row]:
        """Every row handed in, the filter's rejects too."""
        return list(self._all)

    def shown_rows(self) -> list[Row]:
        return list(self._rows)

    def today(self) -> dt.date:
        """Asked for every cell painted (overdue marking): the answer is kept for a second, as
        asking the clock costs more than the rest of a cell."""
        now = time.monotonic()
        if self._day is None or now - self._day[0] > 1.0:
            self._day = (now, self._today())
        return self._day[1]

    # -- QAbstractTableModel ---------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(HEADERS)
        ):
            return _tr(HEADERS[section])
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() in (Column.STATUS, Column.NOTE):
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self._text(row, column)
        if role == SORT_ROLE:
            return self._sort_key(row, column)
        if role == ROW_ROLE:
            return row
        if role == OVERDUE_ROLE:
            return row.overdue(self.today())
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row)
        if role == Qt.ItemDataRole.BackgroundRole and row.overdue(self.today()):
            return QBrush(OVERDUE_BACKGROUND)
        if role == Qt.ItemDataRole.ForegroundRole:
            if row.orphaned:
                return QBrush(ORPHAN_FOREGROUND)
            if column == Column.STATUS:
                return QBrush(QColor(STATUS_COLOURS[row.status]))
        if role == Qt.ItemDataRole.FontRole and column == Column.STATUS and row.overdue(self.today()):
            font = QFont()
            font.setBold(True)
            return font
        return None

    def _text(self, row: Row, column: int) -> str:
        d = row.data
        meeting = d["meeting"]
        if column == Column.DATE:
            return meeting.get("date") or ""
        if column == Column.MEETING:
            return f"第{meeting['session']}次" if meeting.get("session") else _tr("常务会议")
        if column == Column.ITEM:
            return f"{d.get('item_title') or d['item']}（{d['resolution']}）"
        if column == Column.LEAD:
            return addressees(row)
        if column == Column.CO:
            return "、".join(d.get("co") or [])
        if column == Column.ACTION:
            return d.get("action") or ""
        if column == Column.DUE:
            text = due_text(row)
            return f"{text} · {_tr('已逾期')}" if row.overdue(self.today()) else text
        if column == Column.STATUS:
            return row.status + (_tr("（原事项已删除）") if row.orphaned else "")
        if column == Column.NOTE:
            return row.note
        if column == Column.UPDATED:
            return local_time(row.updated)
        return ""

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort in Python (one key per row, list.sort): thousands of rows sort in milliseconds,
        where the proxy's sort would call data() twice per comparison."""
        if not 0 <= column < len(HEADERS):
            return
        self._sorted = (column, order)
        self.layoutAboutToBeChanged.emit()
        old_rows = self._rows
        self._all = self._in_order(column, order)
        self._rows = self._filtered()
        where = {id(row): new for new, row in enumerate(self._rows)}
        moved = {old: where[id(row)] for old, row in enumerate(old_rows)}
        persistent = self.persistentIndexList()
        self.changePersistentIndexList(
            persistent, [self.index(moved[i.row()], i.column()) if i.isValid() else i for i in persistent]
        )
        self.layoutChanged.emit()

    def _in_order(self, column: int, order: Qt.SortOrder) -> list[Row]:
        return sorted(self._all, key=self.sort_key(column), reverse=order == Qt.SortOrder.DescendingOrder)

    def sort_key(self, column: int) -> Callable[[Row], Any]:
        """The key the table sorts a column by (one per row, so list.sort calls it once a row)."""
        return lambda row: self._sort_key(row, column)

    def _sort_key(self, row: Row, column: int):
        d = row.data
        if column in (Column.DATE, Column.MEETING):
            # Newest meeting first (the default, descending) still lists its items in order.
            return f"{d['meeting'].get('date') or ''}#{999 - d['item']:03d}#{999 - d['resolution']:03d}"
        if column == Column.ITEM:
            return f"{d['meeting'].get('date') or ''}#{d['item']:03d}#{d['resolution']:03d}"
        if column == Column.DUE:
            due = row.due
            return due.date.isoformat() if due and due.date else ("9999-12-30" if due else "9999-12-31")
        if column == Column.STATUS:
            return STATUSES.index(row.status)
        return self._text(row, column)

    def _tooltip(self, row: Row) -> str:
        d = row.data
        lines = [f"{d['meeting'].get('doc_number') or ''} {d.get('item_title') or ''}".strip(), d["text"]]
        if d.get("document"):
            lines.append(_tr("涉及文件：") + d["document"])
        lines += self.follow_ups(row)
        if row.orphaned:
            lines.append(_tr("纪要中已找不到这条议定事项（登记内容保留）。"))
        return "\n".join(lines)

    def follow_ups(self, row: Row) -> list[str]:
        """后续：第N次会议再次审议（日期）, for each later meeting about a document of this item."""
        if self.related is None:
            return []
        since = row.meeting_date
        later = self.related.same_document(row.data["meeting"].get("key", ""), row.data["item"])
        return [
            _tr("后续：第%1次会议再次审议（%2）").replace("%1", str(r.session or "")).replace("%2", date_text(r.date))
            for r in later
            if r.date and (since is None or r.date > since)
        ]

    def setData(self, index: Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (
            role != Qt.ItemDataRole.EditRole
            or not index.isValid()
            or index.column() not in (Column.STATUS, Column.NOTE)
        ):
            return False
        row = self._rows[index.row()]
        value = str(value)
        if index.column() == Column.STATUS:
            if value == row.status:
                return False
            change = {"status": value}
        else:
            if value == row.note:
                return False
            change = {"note": value}
        try:
            updated = self._ledger.update(row, **change)
        except (LedgerError, OSError) as exc:
            self.failed.emit(str(exc))
            return False
        except Exception as exc:  # sqlite3 errors: the disk, a lock; never a traceback to the user
            self.failed.emit(_tr("无法保存：") + str(exc))
            return False
        self._replace(index.row(), updated)
        left = self.index(index.row(), 0)
        self.dataChanged.emit(left, self.index(index.row(), len(HEADERS) - 1))
        if self._accept is not None and not self._accept(updated):  # no longer what the filter shows
            self.beginRemoveRows(QModelIndex(), index.row(), index.row())
            del self._rows[index.row()]
            self.endRemoveRows()
        return True

    def _replace(self, position: int, row: Row) -> None:
        old = self._rows[position]
        self._rows[position] = row
        if self._all is not self._rows:
            self._all[next(i for i, r in enumerate(self._all) if r is old)] = row


class DueFilter(IntEnum):
    ANY = 0
    OVERDUE = 1
    DATED = 2  # has a dated deadline
    OPEN = 3  # not 已办结 / 不适用


class LedgerFilterProxy(QIdentityProxyModel):
    """Each setter narrows one aspect and re-filters (the project's filter-change API).

    The filter itself runs in the source model (LedgerModel.set_filter, handed `accepts`), and
    not at all when there is nothing to check: the proxy keeps the filter's state and API. An
    identity proxy, so a reset of 100,000 rows builds no row mapping.
    """

    filterChanged = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._department = ""
        self._statuses: frozenset[str] = frozenset()
        self._meeting = ""
        self._due = DueFilter.ANY
        self._include_all = True  # assignments to 各地各部门 concern every department
        self._year = 0  # 0: every year
        self._prefiltered = False  # the source holds only the chosen department's rows

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        # The source model sorts (fast); the proxy keeps its order and only filters.
        model = self._model()
        if model is not None:
            model.sort(column, order)

    def _model(self) -> LedgerModel | None:
        return cast("LedgerModel | None", self.sourceModel())

    def setSourceModel(self, model) -> None:
        super().setSourceModel(model)
        self._apply()

    def _change(self, update: Callable[[], None]) -> None:
        update()
        self._apply()
        self.filterChanged.emit()

    def _apply(self) -> None:
        plain = not (self._statuses or self._meeting or self._year or self._due is not DueFilter.ANY) and (
            not self._department or self._prefiltered
        )
        model = self._model()
        if isinstance(model, LedgerModel):
            model.set_filter(None if plain else self.accepts)

    # -- setters ---------------------------------------------------------------------------
    @property
    def department(self) -> str:
        return self._department

    def set_department(self, name: str) -> None:
        if name != self._department:
            self._change(lambda: setattr(self, "_department", name))

    def set_include_all(self, include: bool) -> None:
        if include != self._include_all:
            self._change(lambda: setattr(self, "_include_all", include))

    def set_prefiltered(self, prefiltered: bool) -> None:
        """The source model already holds only the department's rows (LedgerView hands it the
        rows from a DepartmentIndex): rows need no department check."""
        if prefiltered != self._prefiltered:
            self._change(lambda: setattr(self, "_prefiltered", prefiltered))

    def set_year(self, year: int) -> None:
        if year != self._year:
            self._change(lambda: setattr(self, "_year", year))

    def concerns(self, row: Row) -> bool:
        """Whether a row belongs to the chosen department's 台账 (before the other filters)."""
        if not self._department:
            return True
        if not row.concerns(self._department):
            return False
        return self._include_all or self._department in (*row.data["lead"], *row.data["co"])

    def set_statuses(self, statuses: Iterable[str]) -> None:
        value = frozenset(statuses)
        if value != self._statuses:
            self._change(lambda: setattr(self, "_statuses", value))

    def set_meeting(self, key: str) -> None:
        if key != self._meeting:
            self._change(lambda: setattr(self, "_meeting", key))

    def set_due(self, due: DueFilter) -> None:
        if due != self._due:
            self._change(lambda: setattr(self, "_due", DueFilter(due)))

    def accepts(self, row: Row) -> bool:
        """Whether the filters keep a row."""
        if not self._prefiltered and not self.concerns(row):
            return False
        if self._year and (row.meeting_date is None or row.meeting_date.year != self._year):
            return False
        if self._statuses and row.status not in self._statuses:
            return False
        if self._meeting and row.data["meeting"]["key"] != self._meeting:
            return False
        model = self._model()
        if self._due is DueFilter.OVERDUE:
            return row.overdue(model.today() if model is not None else None)
        if self._due is DueFilter.DATED:
            return bool(row.due and row.due.date)
        if self._due is DueFilter.OPEN:
            return row.status not in CLOSED
        return True
