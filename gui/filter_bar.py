"""The bar above the document: what the filter is, in words, and a button that clears it.
Shown only while something is filtered; it follows the window's FilterState."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from gui.filter_state import FilterState
from minutes.filters import FilterSpec


class FilterBar(QWidget):
    def __init__(self, state: FilterState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("filterBar")
        self.summary = QLabel()
        self.summary.setObjectName("filterSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.clear_button = QPushButton(self.tr("清除筛选"))
        self.clear_button.clicked.connect(state.clear)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.summary, 1)
        layout.addWidget(self.clear_button)
        state.changed.connect(self.show_spec)
        self.show_spec(state.spec)

    def show_spec(self, spec: FilterSpec) -> None:
        self.summary.setText(self.tr("筛选：") + spec.describe())
        self.setVisible(not spec.is_empty)
