"""The filter panel: departments (with counts), role, dates, kind of item and text search.

Every control applies at once; the panel emits one specChanged(FilterSpec) per change.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QSignalBlocker, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from minutes.departments import GROUPS
from minutes.library import FILTER_KINDS, FilterSpec, Library, RoleFilter, department_full_name, department_group

NAME_ROLE = Qt.ItemDataRole.UserRole + 1
COUNT_ROLE = Qt.ItemDataRole.UserRole + 2


def _qdate(value: dt.date) -> QDate:
    return QDate(value.year, value.month, value.day)


def _pydate(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


class FilterPanel(QWidget):
    specChanged = Signal(object)  # FilterSpec

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._library = Library()
        self._range: tuple[dt.date, dt.date] | None = None
        self._building = False

        self.search = QLineEdit(placeholderText=self.tr("搜索标题和议定意见（Ctrl+F）"))
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(self.tr("全文搜索"))
        self.search.textChanged.connect(self._emit)

        # Departments
        self.dept_search = QLineEdit(placeholderText=self.tr("查找部门"))
        self.dept_search.setClearButtonEnabled(True)
        self.dept_model = QStandardItemModel(self)
        self.dept_model.itemChanged.connect(self._on_dept_checked)
        self.dept_proxy = QSortFilterProxyModel(self)
        self.dept_proxy.setSourceModel(self.dept_model)
        self.dept_proxy.setRecursiveFilteringEnabled(True)
        self.dept_proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.dept_search.textChanged.connect(self.dept_proxy.setFilterFixedString)
        self.dept_view = QTreeView()
        self.dept_view.setModel(self.dept_proxy)
        self.dept_view.setHeaderHidden(True)
        self.dept_view.setUniformRowHeights(True)
        self.dept_view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.dept_view.setAccessibleName(self.tr("部门列表"))
        self.role = QComboBox()
        for role, label in (
            (RoleFilter.ANY, self.tr("任意（议定意见中提及）")),
            (RoleFilter.LEAD, self.tr("牵头")),
            (RoleFilter.CO, self.tr("会同")),
            (RoleFilter.REPORTING, self.tr("汇报")),
            (RoleFilter.ATTENDED, self.tr("列席")),
        ):
            self.role.addItem(label, role.value)
        self.role.currentIndexChanged.connect(self._on_role)
        depts = QGroupBox(self.tr("部门"))
        dept_layout = QVBoxLayout(depts)
        role_row = QHBoxLayout()
        role_row.addWidget(QLabel(self.tr("角色：")))
        role_row.addWidget(self.role, 1)
        dept_layout.addLayout(role_row)
        dept_layout.addWidget(self.dept_search)
        dept_layout.addWidget(self.dept_view, 1)

        # Dates
        self.preset = QComboBox()
        self.preset.currentIndexChanged.connect(self._on_preset)
        self.date_from = QDateEdit(calendarPopup=True, displayFormat="yyyy-MM-dd")
        self.date_to = QDateEdit(calendarPopup=True, displayFormat="yyyy-MM-dd")
        for edit in (self.date_from, self.date_to):
            edit.dateChanged.connect(self._on_date_edited)
        dates = QGroupBox(self.tr("日期"))
        date_form = QFormLayout(dates)
        date_form.addRow(self.tr("范围："), self.preset)
        date_form.addRow(self.tr("从："), self.date_from)
        date_form.addRow(self.tr("到："), self.date_to)

        # Kinds
        kinds = QGroupBox(self.tr("议题类型（都不选即全部）"))
        kinds_layout = QHBoxLayout(kinds)
        self.kind_boxes: dict[str, QCheckBox] = {}
        for kind in FILTER_KINDS:
            box = QCheckBox(kind)
            box.toggled.connect(self._emit)
            kinds_layout.addWidget(box)
            self.kind_boxes[kind] = box
        kinds_layout.addStretch(1)

        self.clear_button = QPushButton(self.tr("清除全部筛选"))
        self.clear_button.clicked.connect(self.clear)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.search)
        layout.addWidget(depts, 1)
        layout.addWidget(dates)
        layout.addWidget(kinds)
        layout.addWidget(self.clear_button)

    # -- library ---------------------------------------------------------------------------
    def set_library(self, library: Library) -> None:
        """Take a new library; the department list is rebuilt by the apply() that follows."""
        self._library = library
        self._range = library.date_range()
        with QSignalBlocker(self.preset):
            self.preset.clear()
            self.preset.addItem(self.tr("全部"), "all")
            self.preset.addItem(self.tr("今年"), "this-year")
            self.preset.addItem(self.tr("近12个月"), "last-12-months")
            for year in library.years():
                self.preset.addItem(self.tr("%1年").replace("%1", str(year)), f"year-{year}")
            self.preset.addItem(self.tr("自定义"), "custom")
        low, high = self._range or (dt.date.today(), dt.date.today())
        with QSignalBlocker(self.date_from), QSignalBlocker(self.date_to):
            self.date_from.setDate(_qdate(low))
            self.date_to.setDate(_qdate(high))

    def _rebuild_departments(self, checked: set[str]) -> None:
        role = RoleFilter(self.role.currentData())
        counts = self._library.department_counts(role)
        # The departments the resolutions name, and those of the chosen role (列席 adds the
        # ones that only attended; its index is large and is read only when asked for).
        names = set(self._library.department_counts(RoleFilter.ANY)) | set(counts) | checked
        self._building = True
        self.dept_model.clear()
        groups = {g: QStandardItem(g) for g in GROUPS}
        for group in groups.values():
            group.setEditable(False)
            group.setSelectable(False)
            font = group.font()
            font.setBold(True)
            group.setFont(font)
        for name in sorted(names, key=lambda n: (-counts.get(n, 0), n)):
            count = counts.get(name, 0)
            item = QStandardItem(f"{name}  {count}")
            item.setEditable(False)
            item.setCheckable(True)
            item.setCheckState(Qt.CheckState.Checked if name in checked else Qt.CheckState.Unchecked)
            item.setData(name, NAME_ROLE)
            item.setData(count, COUNT_ROLE)
            item.setEnabled(count > 0 or name in checked)
            full = department_full_name(name)
            item.setToolTip(f"{full}\n{self.tr('%n 个议题', '', count)}" if full else self.tr("%n 个议题", "", count))
            groups[department_group(name)].appendRow(item)
        for group_name in GROUPS:
            group = groups[group_name]
            if group.rowCount():
                group.setText(f"{group_name}（{group.rowCount()}）")
                self.dept_model.appendRow(group)
        self._building = False
        self.dept_view.expandAll()

    def _dept_items(self):
        for g in range(self.dept_model.rowCount()):
            group = self.dept_model.item(g)
            for r in range(group.rowCount()):
                yield group.child(r)

    def role_label(self, role: RoleFilter) -> str:
        """The role as the role box shows it (translated)."""
        return self.role.itemText(max(0, self.role.findData(role.value)))

    def selected_departments(self) -> set[str]:
        return {item.data(NAME_ROLE) for item in self._dept_items() if item.checkState() == Qt.CheckState.Checked}

    # -- reactions -------------------------------------------------------------------------
    def _on_dept_checked(self, _item: QStandardItem) -> None:
        if not self._building:
            self._emit()

    def _on_role(self) -> None:
        self._rebuild_departments(self.selected_departments())
        self._emit()

    def _on_preset(self) -> None:
        key = self.preset.currentData()
        today = dt.date.today()
        low, high = self._range or (today, today)
        if key == "this-year":
            low, high = dt.date(today.year, 1, 1), dt.date(today.year, 12, 31)
        elif key == "last-12-months":
            low, high = today.replace(year=today.year - 1) + dt.timedelta(days=1), today
        elif key and key.startswith("year-"):
            year = int(key.split("-")[1])
            low, high = dt.date(year, 1, 1), dt.date(year, 12, 31)
        elif key == "custom":
            return
        with QSignalBlocker(self.date_from), QSignalBlocker(self.date_to):
            self.date_from.setDate(_qdate(low))
            self.date_to.setDate(_qdate(high))
        self._emit()

    def _on_date_edited(self) -> None:
        custom = self.preset.findData("custom")
        if custom >= 0 and self.preset.currentIndex() != custom:
            with QSignalBlocker(self.preset):
                self.preset.setCurrentIndex(custom)
        self._emit()

    def _dates(self) -> tuple[dt.date | None, dt.date | None]:
        if self.preset.currentData() in (None, "all"):
            return None, None
        return _pydate(self.date_from.date()), _pydate(self.date_to.date())

    def spec(self) -> FilterSpec:
        date_from, date_to = self._dates()
        return FilterSpec(
            departments=frozenset(self.selected_departments()),
            role=RoleFilter(self.role.currentData()),
            date_from=date_from,
            date_to=date_to,
            kinds=frozenset(k for k, box in self.kind_boxes.items() if box.isChecked()),
            text=self.search.text().strip(),
        )

    def _emit(self) -> None:
        self.specChanged.emit(self.spec())

    # -- programmatic changes --------------------------------------------------------------
    def apply(self, spec: FilterSpec) -> None:
        """Show a spec in the controls (restoring settings, a department link, clear-all)."""
        blockers = [QSignalBlocker(w) for w in (self.search, self.role, self.preset, self.date_from, self.date_to)]
        blockers += [QSignalBlocker(box) for box in self.kind_boxes.values()]
        self.search.setText(spec.text)
        self.role.setCurrentIndex(max(0, self.role.findData(spec.role.value)))
        for kind, box in self.kind_boxes.items():
            box.setChecked(kind in spec.kinds)
        if spec.date_from or spec.date_to:
            low, high = self._range or (dt.date.today(), dt.date.today())
            self.preset.setCurrentIndex(self.preset.findData("custom"))
            self.date_from.setDate(_qdate(spec.date_from or low))
            self.date_to.setDate(_qdate(spec.date_to or high))
        else:
            self.preset.setCurrentIndex(max(0, self.preset.findData("all")))
        del blockers
        self._rebuild_departments(set(spec.departments))
        self._emit()

    def clear(self) -> None:
        self.apply(FilterSpec())

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()
