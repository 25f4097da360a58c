"""What to export or print, and how: the meeting in view, the filter result or the ticked items;
纪要全文 or 议定事项清单."""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from gui.pdf_export import ExportOptions


class Scope(StrEnum):
    CURRENT = "current"
    FILTER = "filter"
    CHECKED = "checked"


class ExportDialog(QDialog):
    def __init__(
        self,
        parent: QWidget | None,
        *,
        for_print: bool,
        current: str | None,
        filter_topics: int,
        filter_active: bool,
        checked_topics: int,
        scope: Scope,
        layout: str = "full",
        attendance: bool = True,
        new_page: bool = True,
    ) -> None:
        """layout, attendance, new_page: the choice made last time."""
        super().__init__(parent)
        self.setWindowTitle(self.tr("打印") if for_print else self.tr("导出"))
        self.scopes = QButtonGroup(self)
        self._scope_buttons: dict[Scope, QRadioButton] = {}
        scope_box = QGroupBox(self.tr("内容"))
        scope_layout = QVBoxLayout(scope_box)
        labels = {
            Scope.CURRENT: self.tr("当前会议：%1").replace("%1", current) if current else self.tr("当前会议（未选择）"),
            Scope.FILTER: (
                self.tr("当前筛选结果（%n 个议题）", "", filter_topics)
                if filter_active
                else self.tr("全部纪要（%n 个议题）", "", filter_topics)
            ),
            Scope.CHECKED: self.tr("勾选的议题（%n 个）", "", checked_topics),
        }
        enabled = {
            Scope.CURRENT: current is not None,
            Scope.FILTER: filter_topics > 0,
            Scope.CHECKED: checked_topics > 0,
        }
        for value, label in labels.items():
            button = QRadioButton(label)
            button.setEnabled(enabled[value])
            self.scopes.addButton(button)
            scope_layout.addWidget(button)
            self._scope_buttons[value] = button
        if not enabled[scope]:
            scope = next((s for s in Scope if enabled[s]), scope)
        self._scope_buttons[scope].setChecked(True)
        if checked_topics == 0:
            hint = QLabel(self.tr("提示：在左侧列表中勾选会议或议题，可只导出所选内容。"))
            hint.setWordWrap(True)
            hint.setEnabled(False)
            scope_layout.addWidget(hint)

        layout_box = QGroupBox(self.tr("格式"))
        layout_layout = QVBoxLayout(layout_box)
        self.full = QRadioButton(self.tr("纪要全文"))
        self.table = QRadioButton(
            self.tr("议定事项清单（每条议定意见一行）")
            if for_print
            else self.tr("议定事项清单（每条议定意见一行，可另存为 CSV）")
        )
        (self.table if layout == "table" else self.full).setChecked(True)
        layout_layout.addWidget(self.full)
        layout_layout.addWidget(self.table)
        self.attendance = QCheckBox(self.tr("包含出席、列席名单"))
        self.attendance.setChecked(attendance)
        self.new_page = QCheckBox(self.tr("每次会议另起一页"))
        self.new_page.setChecked(new_page)
        layout_layout.addWidget(self.attendance)
        layout_layout.addWidget(self.new_page)
        for box in (self.attendance, self.new_page):
            box.setEnabled(self.full.isChecked())
            self.full.toggled.connect(box.setEnabled)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        ok = buttons.addButton(
            self.tr("打印预览…") if for_print else self.tr("导出…"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        ok.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        main = QVBoxLayout(self)
        main.addWidget(scope_box)
        main.addWidget(layout_box)
        main.addWidget(buttons)

    def scope_button(self, scope: Scope) -> QRadioButton:
        return self._scope_buttons[scope]

    def scope(self) -> Scope:
        return next(s for s, b in self._scope_buttons.items() if b.isChecked())

    def options(self) -> ExportOptions:
        return ExportOptions(
            layout="full" if self.full.isChecked() else "table",
            include_attendance=self.attendance.isChecked(),
            new_page_per_meeting=self.new_page.isChecked(),
        )
