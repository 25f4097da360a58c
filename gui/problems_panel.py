"""The problems panel: every file that could not be read, or was read with parse warnings,
with the reason, and a way to open the file's folder."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gui import plain_text
from minutes.library import Problem

PATH_ROLE = Qt.ItemDataRole.UserRole + 1


class ProblemsPanel(QDockWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("problemsPanel")
        self.setWindowTitle(self.tr("问题"))
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.setTextFormat(Qt.TextFormat.PlainText)  # may quote a path or a database error
        self.notice.hide()
        self.list = QTreeWidget()
        self.list.setHeaderLabels([self.tr("文件"), self.tr("原因")])
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setColumnWidth(0, 320)
        self.list.itemDoubleClicked.connect(lambda item, _column: self.open_location(item))
        self.open_button = QPushButton(self.tr("打开所在文件夹"))
        self.open_button.clicked.connect(lambda: self.open_location(self.list.currentItem()))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.open_button)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 4, 6, 6)
        layout.addWidget(self.notice)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        self.setWidget(body)

    def set_problems(self, problems: list[Problem], notes: list[tuple[Path, list[str]]], notice: str | None) -> None:
        self.notice.setText(notice or "")
        self.notice.setVisible(bool(notice))
        self.list.clear()
        for problem in problems:
            self._add(problem.path, self.tr("无法读取：") + problem.reason)
        for path, warnings in notes:
            self._add(path, self.tr("解析提示：") + "；".join(warnings))
        self.open_button.setEnabled(self.list.topLevelItemCount() > 0)

    def _add(self, path: Path, reason: str) -> None:
        item = QTreeWidgetItem([path.name, reason])
        item.setToolTip(0, plain_text.tooltip(str(path)))
        item.setToolTip(1, plain_text.tooltip(reason))
        item.setData(0, PATH_ROLE, str(path))
        self.list.addTopLevelItem(item)

    def count(self) -> int:
        return self.list.topLevelItemCount()

    def open_location(self, item: QTreeWidgetItem | None) -> bool:
        """Show the file's folder in the system's file manager (never opens the file itself)."""
        if item is None:
            return False
        folder = Path(item.data(0, PATH_ROLE)).parent
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
