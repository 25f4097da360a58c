"""The filter panel: issuing governments, departments (with faceted counts), role, dates, kind of
item and text search.

The panel shows the window's FilterState and sets it: every control applies at once, and any
change of the state (a department link, clear-all, restored settings) shows here.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QSignalBlocker, QSortFilterProxyModel, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from gui.filter_state import FilterState
from minutes.departments import GROUPS
from minutes.library import (
    FILTER_KINDS,
    UNKNOWN_ISSUER,
    FilterSpec,
    Library,
    RoleFilter,
    department_full_name,
    department_group,
)

NAME_ROLE = Qt.ItemDataRole.UserRole + 1
COUNT_ROLE = Qt.ItemDataRole.UserRole + 2


def _qdate(value: dt.date) -> QDate:
    return QDate(value.year, value.month, value.day)


def _pydate(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


class FilterPanel(QWidget):
    def __init__(self, state: FilterState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self._library: Library | None = None
        self._range: tuple[dt.date, dt.date] | None = None
        self._building = False
        self._listed_role: RoleFilter | None = None  # the role the department list was built for

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
        for role in RoleFilter:
            label = self.tr("任意（议定意见中提及）") if role is RoleFilter.ANY else role.label
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
        self.date_from = QDateEdit()
        self.date_to = QDateEdit()
        for edit in (self.date_from, self.date_to):  # Chinese calendar: gui.app sets the default locale
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            # A date typed digit by digit applies when it is complete (Enter, Tab, the calendar),
            # not at every keystroke with a half-typed year.
            edit.setKeyboardTracking(False)
            edit.dateChanged.connect(self._on_date_edited)
        dates = QGroupBox(self.tr("日期"))
        date_form = QFormLayout(dates)
        date_form.addRow(self.tr("范围："), self.preset)
        date_form.addRow(self.tr("从："), self.date_from)
        date_form.addRow(self.tr("到："), self.date_to)

        # Issuing governments: shown only when the library holds more than one.
        self.issuers_box = QGroupBox(self.tr("发文机关（都不选即全部）"))
        self.issuers_layout = QVBoxLayout(self.issuers_box)
        self.issuer_boxes: dict[str, QCheckBox] = {}
        self.issuers_box.setVisible(False)

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
        self.clear_button.setToolTip(self.tr("清除全部筛选（Ctrl+Shift+X）"))
        self.clear_button.clicked.connect(self.state.clear)

        controls = QWidget()
        layout = QVBoxLayout(controls)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.search)
        layout.addWidget(self.issuers_box)
        layout.addWidget(depts, 1)
        layout.addWidget(dates)
        layout.addWidget(kinds)
        layout.addWidget(self.clear_button)
        # The department list keeps room for ten rows (rows with a check box are a little taller
        # than the text); when the window is short (the problems list open below it at 1366x768)
        # the panel scrolls instead of squeezing the list.
        self.dept_view.setMinimumHeight((self.dept_view.fontMetrics().height() + 6) * 10 + 4)
        scroll = QScrollArea()
        scroll.setWidget(controls)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setMinimumWidth(controls.minimumSizeHint().width() + scroll.verticalScrollBar().sizeHint().width())
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        state.changed.connect(self._show)

    # -- library ---------------------------------------------------------------------------
    def set_library(self, library: Library) -> None:
        """Take a new library and show the state's filter over it."""
        self._library = library
        self._listed_role = None
        self._range = library.date_range()
        with QSignalBlocker(self.preset):
            self.preset.clear()
            self.preset.addItem(self.tr("全部"), "all")
            self.preset.addItem(self.tr("今年"), "this-year")
            self.preset.addItem(self.tr("近12个月"), "last-12-months")
            for year in library.years():
                self.preset.addItem(self.tr("%1年").replace("%1", str(year)), f"year-{year}")
            self.preset.addItem(self.tr("自定义"), "custom")
        self._list_issuers(library)
        self._show(self.state.spec)

    def _list_issuers(self, library: Library) -> None:
        for box in self.issuer_boxes.values():
            self.issuers_layout.removeWidget(box)
            box.deleteLater()
        self.issuer_boxes = {}
        issuers = library.issuers()
        # Most meetings first; the unnamed ones last.
        for name, count in sorted(issuers.items(), key=lambda kv: (kv[0] == UNKNOWN_ISSUER, -kv[1], kv[0])):
            box = QCheckBox(f"{name}  {count}")
            box.setToolTip(self.tr("%n 次会议", "", count))
            box.toggled.connect(self._emit)
            self.issuers_layout.addWidget(box)
            self.issuer_boxes[name] = box
        self.issuers_box.setVisible(len(issuers) > 1)

    def selected_issuers(self) -> set[str]:
        return {name for name, box in self.issuer_boxes.items() if box.isChecked()}

    def _rebuild_departments(self, spec: FilterSpec) -> None:
        """The department list for spec's role, each with its faceted count: the items ticking
        it would show with the other filters as they are."""
        library = self._library
        if library is None:
            return
        checked = set(spec.departments)
        if self._listed_role is spec.role:
            self._update_counts(library.faceted_department_counts(spec), checked)
            return
        self._listed_role = role = spec.role
        overall = library.department_counts(role)
        only_role = spec.with_(departments=frozenset(), role=RoleFilter.ANY).is_empty
        counts = overall if only_role else library.faceted_department_counts(spec)
        # The departments the resolutions name, and those of the chosen role (列席 adds the
        # ones that only attended; its index is large and is read only when asked for).
        named = overall if role is RoleFilter.ANY else library.department_counts(RoleFilter.ANY)
        names = set(named) | set(overall) | checked
        self._building = True
        self.dept_model.clear()
        groups = {g: QStandardItem(g) for g in GROUPS}
        for group in groups.values():
            group.setEditable(False)
            group.setSelectable(False)
            font = group.font()
            font.setBold(True)
            group.setFont(font)
        # Ordered by how often the role names them overall: the order stays put while counts change.
        for name in sorted(names, key=lambda n: (-overall.get(n, 0), n)):
            item = QStandardItem()
            item.setEditable(False)
            item.setCheckable(True)
            item.setData(name, NAME_ROLE)
            self._set_count(item, counts.get(name, 0), name in checked)
            groups[department_group(name)].appendRow(item)
        for group_name in GROUPS:
            group = groups[group_name]
            if group.rowCount():
                group.setText(f"{group_name}（{group.rowCount()}）")
                self.dept_model.appendRow(group)
        self._building = False
        self.dept_view.expandAll()

    def _set_count(self, item: QStandardItem, count: int, checked: bool) -> None:
        name = item.data(NAME_ROLE)
        item.setText(f"{name}  {count}")
        item.setData(count, COUNT_ROLE)
        item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        item.setEnabled(count > 0 or checked)
        full = department_full_name(name)
        items = self.tr("%n 个议题", "", count)
        item.setToolTip(f"{full}\n{items}" if full else items)

    def _update_counts(self, counts, checked: set[str]) -> None:
        self._building = True
        for item in self.department_items():
            name = item.data(NAME_ROLE)
            self._set_count(item, counts.get(name, 0), name in checked)
        self._building = False

    def department_counts(self) -> dict[str, int]:
        """The count each department shows now."""
        return {item.data(NAME_ROLE): item.data(COUNT_ROLE) for item in self.department_items()}

    def department_items(self):
        for g in range(self.dept_model.rowCount()):
            group = self.dept_model.item(g)
            for r in range(group.rowCount()):
                yield group.child(r)

    def selected_departments(self) -> set[str]:
        return {item.data(NAME_ROLE) for item in self.department_items() if item.checkState() == Qt.CheckState.Checked}

    # -- reactions -------------------------------------------------------------------------
    def _on_dept_checked(self, _item: QStandardItem) -> None:
        if not self._building:
            self._emit()

    def _on_role(self) -> None:
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
            # A ticked issuer the library no longer holds stays in the filter until cleared.
            issuers=frozenset(self.selected_issuers() | (self.state.spec.issuers - set(self.issuer_boxes))),
        )

    def _emit(self) -> None:
        self.state.set(self.spec())

    # -- showing the state -----------------------------------------------------------------
    def _show(self, spec: FilterSpec) -> None:
        """Show spec in the controls, without setting the state back."""
        blockers = [QSignalBlocker(w) for w in (self.search, self.role, self.preset, self.date_from, self.date_to)]
        blockers += [QSignalBlocker(box) for box in (*self.kind_boxes.values(), *self.issuer_boxes.values())]
        if self.search.text().strip() != spec.text:
            self.search.setText(spec.text)
        self.role.setCurrentIndex(max(0, self.role.findData(spec.role.value)))
        for kind, box in self.kind_boxes.items():
            box.setChecked(kind in spec.kinds)
        for name, box in self.issuer_boxes.items():
            box.setChecked(name in spec.issuers)
        low, high = self._range or (dt.date.today(), dt.date.today())
        if not (spec.date_from or spec.date_to):
            # 全部: the dates shown are the library's whole span, never the last filter's.
            self.preset.setCurrentIndex(max(0, self.preset.findData("all")))
            self.date_from.setDate(_qdate(low))
            self.date_to.setDate(_qdate(high))
        elif (spec.date_from, spec.date_to) != self._dates():
            self.preset.setCurrentIndex(self.preset.findData("custom"))
            self.date_from.setDate(_qdate(spec.date_from or low))
            self.date_to.setDate(_qdate(spec.date_to or high))
        del blockers
        self._rebuild_departments(spec)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()
