"""The window's status bar: counts and search hits, loading progress, unreadable files, zoom."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QProgressBar, QStatusBar, QStyle, QToolButton, QWidget


class ReaderStatusBar(QStatusBar):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.status_label = QLabel()
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(200)
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.problems_button = QToolButton()
        self.problems_button.setAutoRaise(True)
        self.problems_button.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning))
        self.problems_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.problems_button.hide()
        self.zoom_label = QLabel()
        self.zoom_label.setToolTip(self.tr("文字大小（Ctrl+= 放大，Ctrl+- 缩小，Ctrl+0 原始大小）"))
        self.addWidget(self.status_label, 1)
        for widget in (self.problems_button, self.progress, self.zoom_label):
            self.addPermanentWidget(widget)

    def set_loading(self, loading: bool) -> None:
        self.progress.setVisible(loading)
        if loading:
            self.status_label.setText(self.tr("正在载入纪要…"))

    def set_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)

    def set_problems(self, count: int) -> None:
        self.problems_button.setVisible(bool(count))
        self.problems_button.setText(self.tr("%n 个文件无法读取", "", count))

    def set_zoom(self, percent: int) -> None:
        self.zoom_label.setText(f"{percent}%")

    def show_counts(self, meetings: int, topics: int, hits: tuple[int, int] | None) -> None:
        """hits: (current hit, hits in the document in view) while searching, else None."""
        text = self.tr("共 %1 份纪要，%2 个议题").replace("%1", str(meetings)).replace("%2", str(topics))
        if hits is not None:
            current, total = hits
            if current:
                where = self.tr("第 %1 / %2 处（F3 下一个）").replace("%1", str(current)).replace("%2", str(total))
            else:
                where = self.tr("本页 %n 处匹配（F3 下一个）", "", total)
            text += "　" + where
        self.status_label.setText(text)
