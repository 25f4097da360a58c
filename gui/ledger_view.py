"""The 督办台账 view: a department's assignments, their status and 办理情况, edited in place.

Self-contained: it needs a Library (the meetings), a Ledger (what users recorded) and the
Settings (the department, chosen once and remembered). Building the rows (every meeting's tasks,
joined with the ledger, indexed by department: gui/ledger_index.py) runs as a background job;
tests pass a SynchronousRunner. Choosing a department then costs no pass over the rows.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyledItemDelegate,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from gui.ledger_index import DepartmentIndex, Tally
from gui.ledger_model import ROW_ROLE, Column, DueFilter, LedgerFilterProxy, LedgerModel
from gui.ledger_overview import LedgerOverview
from gui.settings import Settings
from gui.tasks import Job, Runner, ThreadPoolRunner
from minutes.departments import registry
from minutes.ledger import CLOSED, STATUSES, Ledger, LedgerError, Row
from minutes.ledger_cache import library_tasks_cached
from minutes.library import Library
from minutes.related import title_index
from minutes.stored_copy import REREAD, DamagedCopy

ALL_DEPARTMENTS = "全部单位"
# The status filter: (label, statuses kept); the first keeps everything.
STATUS_CHOICES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("全部状态", ()),
    ("未办结", tuple(s for s in STATUSES if s not in CLOSED)),
    *((s, (s,)) for s in STATUSES),
)
DUE_CHOICES = (("全部时限", DueFilter.ANY), ("已逾期", DueFilter.OVERDUE), ("有明确时限", DueFilter.DATED))
WIDTHS = {Column.DATE: 88, Column.MEETING: 64, Column.ITEM: 215, Column.LEAD: 150, Column.CO: 70,
          Column.ACTION: 215, Column.DUE: 190, Column.STATUS: 64, Column.NOTE: 180}  # fmt: skip


class StatusDelegate(QStyledItemDelegate):
    """A combo box of the four statuses; choosing one records it at once."""

    def createEditor(self, parent: QWidget, option, index: QModelIndex | QPersistentModelIndex) -> QWidget:
        combo = QComboBox(parent)
        combo.addItems(list(STATUSES))
        combo.activated.connect(lambda _i, combo=combo: self._commit(combo))
        return combo

    def _commit(self, combo: QComboBox) -> None:
        self.commitData.emit(combo)
        self.closeEditor.emit(combo)

    def setEditorData(self, editor: QWidget, index) -> None:
        row: Row = index.data(ROW_ROLE)
        editor.setCurrentText(row.status)  # type: ignore[attr-defined]

    def setModelData(self, editor: QWidget, model, index) -> None:
        model.setData(index, editor.currentText(), Qt.ItemDataRole.EditRole)  # type: ignore[attr-defined]


class LedgerView(QWidget):
    loaded = Signal(int)  # number of rows
    failed = Signal(str)
    damaged = Signal(object)  # a meeting whose stored copy could not be read (its rows left out)

    def __init__(
        self,
        library: Library,
        ledger: Ledger,
        settings: Settings,
        runner: Runner | None = None,
        parent: QWidget | None = None,
        today=dt.date.today,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("督办台账"))
        self._library = library
        self._settings = settings
        self._runner = runner or ThreadPoolRunner()
        self._job: Job | None = None
        self.left_out: list[DamagedCopy] = []  # meetings the last load could not read
        self._left_out_text: str | None = None  # the message naming them, while it stands
        self._index = DepartmentIndex(())
        self._tally = Tally()  # the shown department's (every row's, the filters aside)
        self.model = LedgerModel(ledger, self, today=today)
        self.proxy = LedgerFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.set_prefiltered(True)  # _show() hands the model the chosen department's rows

        self.department = QComboBox()
        self.department.setMinimumContentsLength(10)
        self.department.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.status = QComboBox()
        for label, _ in STATUS_CHOICES:
            self.status.addItem(self.tr(label))
        self.meeting = QComboBox()
        self.meeting.setMinimumContentsLength(14)
        self.year = QComboBox()
        self.due = QComboBox()
        for label, _ in DUE_CHOICES:
            self.due.addItem(self.tr(label))
        self.include_all = QCheckBox(self.tr("含各地各部门事项"))
        self.include_all.setChecked(True)
        self.include_all.setToolTip(self.tr("面向各地各部门、各相关部门等的议定事项，也列入所选单位的台账"))
        self.count = QLabel()
        self.export_button = QPushButton(self.tr("导出…"))
        self.export_button.setToolTip(self.tr("把当前列出的事项导出为 Excel（.xlsx）或 CSV"))
        bar = QHBoxLayout()
        for label, widget in ((self.tr("单位"), self.department), (self.tr("状态"), self.status),
                              (self.tr("年度"), self.year), (self.tr("会议"), self.meeting),
                              (self.tr("时限"), self.due)):  # fmt: skip
            bar.addWidget(QLabel(label))
            bar.addWidget(widget)
        bar.addWidget(self.include_all)
        bar.addStretch(1)
        bar.addWidget(self.count)
        bar.addWidget(self.export_button)

        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(Column.DATE, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(False)  # the overdue shading must stay visible
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.SelectedClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.status_delegate = StatusDelegate(self.table)
        self.table.setItemDelegateForColumn(Column.STATUS, self.status_delegate)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in WIDTHS.items():
            self.table.setColumnWidth(column, width)
        if not settings.ledger_header.isEmpty():
            header.restoreState(settings.ledger_header)
        header.sectionResized.connect(self._save_header)

        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setTextFormat(Qt.TextFormat.PlainText)
        self.message = QLabel()
        self.message.hide()

        self.overview = LedgerOverview()
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.overview)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail)
        layout.addWidget(self.message)

        self.department.currentIndexChanged.connect(self._on_department)
        self.status.currentIndexChanged.connect(lambda i: self.proxy.set_statuses(STATUS_CHOICES[i][1]))
        self.meeting.currentIndexChanged.connect(lambda _i: self.proxy.set_meeting(self.meeting.currentData() or ""))
        self.due.currentIndexChanged.connect(lambda i: self.proxy.set_due(DUE_CHOICES[i][1]))
        self.include_all.toggled.connect(self._on_include_all)
        self.year.currentIndexChanged.connect(lambda _i: self.proxy.set_year(self.year.currentData() or 0))
        self.overview.segmentClicked.connect(self._on_segment)
        self.proxy.filterChanged.connect(self._update_count)
        self.proxy.modelReset.connect(self._update_count)
        self.model.dataChanged.connect(self._on_edited)
        self.model.failed.connect(self._show_error)
        self.table.selectionModel().currentRowChanged.connect(self._on_current)
        self.export_button.clicked.connect(self._export)
        self.reload()

    # -- loading ---------------------------------------------------------------------------
    def set_library(self, library: Library) -> None:
        self._library = library
        self.reload()

    def reload(self) -> None:
        if self._job is not None:
            self._job.cancel()
        library, ledger, today = self._library, self.model.ledger, self.model.today()
        order = self.model.sort_state()
        key = self.model.sort_key(order[0]) if order else None

        damaged: list[DamagedCopy] = []  # meetings left out, said under the table

        def build(progress, cancelled) -> DepartmentIndex:
            title_index(library)  # built (and cached) here, off the UI thread, for the follow-ups
            # As the import stored them (or through the cache beside the ledger): no meeting is read back.
            index = DepartmentIndex(ledger.rows(library_tasks_cached(library, ledger.path, damaged)), today)
            if order is not None and key is not None:  # in the table's order: a department's rows need no sort
                index.sort(key, order[1] == Qt.SortOrder.DescendingOrder, order)
            return index

        job = Job(build)
        if not job.hold(library):  # the window may replace the library while this runs
            self._job = None  # closed already: the window gives this view its new one next
            return
        job.signals.finished.connect(lambda index, job=job: self._on_rows(job, index, damaged))
        job.signals.failed.connect(lambda reason: self._show_error(self.tr("督办台账载入失败：") + reason))
        self._job = job
        self.count.setText(self.tr("正在载入…"))
        self._runner.start(job)

    def _on_rows(self, job: Job, index: DepartmentIndex, damaged: list[DamagedCopy]) -> None:
        if job is not self._job or job.is_cancelled:
            return
        self._job = None
        self.left_out = damaged
        if damaged:
            names = "、".join(d.label for d in damaged[:3]) + (self.tr(" 等") if len(damaged) > 3 else "")
            text = self.tr("%n 份纪要在资料库中保存的副本已损坏，其事项未列出（", "", len(damaged))
            self.message.setStyleSheet("color: #b00020")
            self.message.setText(text + REREAD + "）：" + names)
            self.message.show()
            for damage in damaged:
                self.damaged.emit(damage)
        elif self.message.text() == self._left_out_text:
            self.message.hide()  # the copies were repaired (or the library replaced)
        self._left_out_text = self.message.text() if damaged else None
        self._index = index
        self.model.related = title_index(self._library)
        self.model.set_rows([])  # the filters below then have nothing to re-check
        self._fill_choices(index.rows)
        self._show()
        self._update_count()
        self._update_overview()
        self.loaded.emit(len(index.rows))

    def _show(self) -> None:
        """The chosen department's rows into the model (the proxy applies the other filters)."""
        name, include_all = self.department.currentData() or "", self.include_all.isChecked()
        order = self.model.sort_state()
        if order is not None and self._index.order != order:  # sorted by another column since
            self._index.sort(self.model.sort_key(order[0]), order[1] == Qt.SortOrder.DescendingOrder, order)
        self._tally = self._index.tally_for(name, include_all)
        self.model.set_rows(self._index.rows_for(name, include_all), presorted=order is not None)

    def _fill_choices(self, rows: list[Row]) -> None:
        names: set[str] = set()
        meetings: dict[str, str] = {}
        for row in rows:
            d = row.data
            names.update(d.get("lead") or ())
            names.update(d.get("co") or ())
            m = d["meeting"]
            label = f"第{m['session']}次 · {m.get('date') or ''}" if m.get("session") else m["key"]
            meetings[m["key"]] = label
        groups = {g: i for i, g in enumerate(("市级部门", "县级市、区", "企业及其他"))}
        ordered = sorted(names, key=lambda n: (groups.get(registry().get(n).group, 9), n))
        remembered = self._settings.ledger_department
        if remembered and remembered not in names:
            ordered.insert(0, remembered)  # nothing assigned yet, but it is the user's department
        self.department.blockSignals(True)
        self.department.clear()
        self.department.addItem(self.tr(ALL_DEPARTMENTS), "")
        for name in ordered:
            self.department.addItem(name, name)
        self.department.setCurrentIndex(max(0, self.department.findData(remembered)))
        self.department.blockSignals(False)
        self.meeting.blockSignals(True)
        current = self.meeting.currentData()
        self.meeting.clear()
        self.meeting.addItem(self.tr("全部会议"), "")
        for key, label in sorted(meetings.items(), key=lambda kv: kv[1].split(" · ")[-1], reverse=True):
            self.meeting.addItem(label, key)
        self.meeting.setCurrentIndex(max(0, self.meeting.findData(current)))
        self.meeting.blockSignals(False)
        self.year.blockSignals(True)
        current = self.year.currentData()
        self.year.clear()
        self.year.addItem(self.tr("全部"), 0)
        for year in sorted({r.meeting_date.year for r in rows if r.meeting_date}, reverse=True):
            self.year.addItem(f"{year}", year)
        self.year.setCurrentIndex(max(0, self.year.findData(current)))
        self.year.blockSignals(False)
        self.proxy.set_year(self.year.currentData() or 0)
        self.proxy.set_department(self.department.currentData() or "")
        self.proxy.set_meeting(self.meeting.currentData() or "")

    # -- reacting --------------------------------------------------------------------------
    def _on_department(self, _index: int) -> None:
        name = self.department.currentData() or ""
        self._settings.ledger_department = name
        self._show()  # first: the proxy then re-checks this department's rows only
        self.proxy.set_department(name)
        self._update_overview()

    def _on_include_all(self, include: bool) -> None:
        self._show()
        self.proxy.set_include_all(include)
        self._update_overview()

    def _on_edited(self, top_left: QModelIndex, bottom_right: QModelIndex, _roles=()) -> None:
        for r in range(top_left.row(), bottom_right.row() + 1):
            self._index.replace(self.model.row_at(r))
        self._tally = self._index.tally_for(self.department.currentData() or "", self.include_all.isChecked())
        self._update_count()
        self._update_overview()

    def _update_overview(self) -> None:
        self.overview.set_tally(self._tally)

    def _on_segment(self, year: int, status: str) -> None:
        """A bar clicked: that year, that status."""
        self.year.setCurrentIndex(max(0, self.year.findData(year)))
        self.status.setCurrentIndex(max(0, self.status.findText(status)))

    def select_department(self, name: str) -> None:
        index = self.department.findData(name)
        if index < 0:
            self.department.addItem(name, name)
            index = self.department.count() - 1
        self.department.setCurrentIndex(index)

    def _update_count(self) -> None:
        shown = self.proxy.rowCount()
        if self.model.filtered:
            today = self.model.today()
            overdue = sum(1 for r in self.model.shown_rows() if r.overdue(today))
        else:  # the department's rows, all shown: counted when the index was built
            overdue = self._tally.overdue_total
        text = self.tr("共 {0} 条").format(shown)
        if overdue:
            text += self.tr("，逾期 {0} 条").format(overdue)
        self.count.setText(text)

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row: Row | None = current.data(ROW_ROLE) if current.isValid() else None
        if row is None:
            self.detail.clear()
            return
        d = row.data
        head = f"{d['meeting'].get('doc_number') or ''} {d.get('item_title') or ''}（{d['resolution']}）".strip()
        self.detail.setText(f"{head}\n{d['text']}")

    def _show_error(self, text: str) -> None:
        self.message.setStyleSheet("color: #b00020")
        self.message.setText(text)
        self.message.show()
        self.failed.emit(text)

    def _save_header(self, *_args) -> None:
        self._settings.ledger_header = self.table.horizontalHeader().saveState()

    # -- export ----------------------------------------------------------------------------
    def shown_rows(self) -> list[Row]:
        return [self.proxy.index(r, 0).data(ROW_ROLE) for r in range(self.proxy.rowCount())]

    def export_to(self, path: str | Path) -> int:
        """Write the rows as listed (filter and order) to .xlsx or .csv."""
        from minutes.ledger_io import write_csv, write_xlsx

        rows = self.shown_rows()
        path = Path(path)
        if path.suffix.lower() == ".csv":
            write_csv(rows, path)
        else:
            dates = [r.meeting_date for r in rows if r.meeting_date]
            department = self.proxy.department or None
            write_xlsx(rows, path.with_suffix(".xlsx"), department, min(dates, default=None), max(dates, default=None),
                       today=self.model.today())  # fmt: skip
        return len(rows)

    def _export(self) -> None:
        name = self.proxy.department or self.tr("全部单位")
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("导出督办台账"), f"督办台账-{name}.xlsx", self.tr("Excel 工作簿 (*.xlsx);;CSV (*.csv)")
        )
        if not path:
            return
        try:
            count = self.export_to(path)
        except (LedgerError, OSError) as exc:
            self._show_error(self.tr("导出失败：") + str(exc))
            return
        self.message.setStyleSheet("")
        self.message.setText(self.tr("已导出 {0} 条：{1}").format(count, path))
        self.message.show()
