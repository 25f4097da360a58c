"""The problems panel: every file that could not be read, or was read with parse warnings,
with the reason, and a way to open the file's folder."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QUrl
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
from gui.tree_model import meeting_label
from minutes.library import Meeting, Problem

PATH_ROLE = Qt.ItemDataRole.UserRole + 1
WARNINGS_SHOWN = 2  # in the row; the tooltip lists them all
_CJK = re.compile("[\u4e00-\u9fff]")


def readable_reason(reason: str) -> str:
    """A reason fit for the user: a bare library message ("PdfStreamError: …") becomes one
    plain Chinese line (the original stays in the tooltip)."""
    if _CJK.search(reason):
        return reason
    return QCoreApplication.translate("ProblemsPanel", "文件已损坏，或不是能读取的格式")


def warnings_text(warnings: list[str]) -> str:
    shown = "；".join(warnings[:WARNINGS_SHOWN])
    if len(warnings) > WARNINGS_SHOWN:
        shown += QCoreApplication.translate("ProblemsPanel", " 等 %1 条").replace("%1", str(len(warnings)))
    return shown


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
        # The meeting (when the file was read) or the file, then why, then where it lies.
        self.list.setHeaderLabels([self.tr("纪要或文件"), self.tr("原因"), self.tr("所在文件夹")])
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

    def set_problems(
        self,
        problems: list[Problem],
        notes: list[tuple[Path, list[str]]],
        notice: str | None,
        meetings: Mapping[Path, Meeting] | None = None,
    ) -> None:
        """meetings: the meeting each source file was read as, when known; a parse note then
        names the meeting (第108次常务会议 · 2020-08-17 · 〔2020〕27号), not the file's name."""
        self.notice.setText(notice or "")
        self.notice.setVisible(bool(notice))
        self.list.clear()
        meetings = meetings or {}
        for problem in problems:
            reason = self.tr("无法读取：") + readable_reason(problem.reason)
            self._add(problem.path, None, reason, self.tr("无法读取：") + problem.reason)
        for path, warnings in notes:
            detail = self.tr("解析提示：") + "\n" + "\n".join(warnings)
            self._add(path, meetings.get(path), self.tr("解析提示：") + warnings_text(warnings), detail)
        self.open_button.setEnabled(self.list.topLevelItemCount() > 0)
        self.list.resizeColumnToContents(2)

    def _add(self, path: Path, meeting: Meeting | None, reason: str, detail: str) -> None:
        name = meeting_label(meeting) if meeting is not None else path.name
        item = QTreeWidgetItem([name, reason, path.parent.name or str(path.parent)])
        item.setToolTip(0, plain_text.tooltip(f"{name}\n{path}" if meeting is not None else str(path)))
        item.setToolTip(1, plain_text.tooltip(detail))
        item.setToolTip(2, plain_text.tooltip(str(path.parent)))
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
