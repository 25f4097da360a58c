"""An overview of a 台账: one stacked bar per year (assignments by status), drawn with QPainter.

Clicking a segment asks the table to show that year and status (segmentClicked).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from gui.ledger_index import Tally
from minutes.ledger import STATUSES, Row

COLOURS = {"未开始": "#b8c2cc", "办理中": "#4a86c5", "已办结": "#5aa469", "不适用": "#d9d9d9"}
OVERDUE = "#d64545"


class LedgerOverview(QWidget):
    segmentClicked = Signal(int, str)  # year, status

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._counts: dict[int, Counter[str]] = {}
        self._overdue: Counter[int] = Counter()
        self._segments: list[tuple[QRectF, int, str]] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMouseTracking(True)

    def sizeHint(self) -> QSize:
        return QSize(600, 120)

    def set_rows(self, rows: Iterable[Row], today) -> None:
        self.set_tally(Tally.of(rows, today))

    def set_tally(self, tally: Tally) -> None:
        """What to draw, counted already (a DepartmentIndex keeps each department's)."""
        self._counts, self._overdue = tally.cleaned()
        # As tall as its bars (up to a dozen years), so the table keeps the room.
        line = self.fontMetrics().height()
        self.setFixedHeight(int(line + 16 + min(len(self._counts), 12) * 22 + 4))
        self.update()

    def counts(self) -> dict[int, Counter[str]]:
        return self._counts

    def segment_at(self, point: QPointF) -> tuple[int, str] | None:
        for rect, year, status in self._segments:
            if rect.contains(point):
                return year, status
        return None

    # -- painting --------------------------------------------------------------------------
    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = painter.fontMetrics()
        line = metrics.height()
        self._segments = []
        legend_x = 8.0
        for status in STATUSES:  # the legend, one line at the top
            painter.fillRect(QRectF(legend_x, 6, 10, 10), QColor(COLOURS[status]))
            painter.setPen(self.palette().color(self.foregroundRole()))
            painter.drawText(QPointF(legend_x + 14, 6 + metrics.ascent() - 2), status)
            legend_x += 14 + metrics.horizontalAdvance(status) + 14
        painter.setPen(QColor(OVERDUE))
        painter.drawText(QPointF(legend_x, 6 + metrics.ascent() - 2), self.tr("红字：逾期条数"))
        if not self._counts:
            painter.end()
            return
        top = 6 + line + 6
        label_w = metrics.horizontalAdvance("0000年") + 12
        right = self.width() - 8
        total_max = max(sum(c.values()) for c in self._counts.values())
        rows = len(self._counts)
        bar_h = max(6.0, min(18.0, (self.height() - top - 4) / rows - 4))
        count_w = metrics.horizontalAdvance("0000 · 逾期 000") + 8
        width = max(10.0, right - label_w - count_w - 8)
        for i, (year, counts) in enumerate(self._counts.items()):
            y = top + i * (bar_h + 4)
            painter.setPen(self.palette().color(self.foregroundRole()))
            label = f"{year}年" if year else self.tr("日期不详")
            painter.drawText(QRectF(8, y, label_w - 8, bar_h), Qt.AlignmentFlag.AlignVCenter, label)
            x = 8.0 + label_w
            for status in STATUSES:
                n = counts.get(status, 0)
                if not n:
                    continue
                w = width * n / total_max
                rect = QRectF(x, y, max(w, 2.0), bar_h)
                painter.fillRect(rect, QColor(COLOURS[status]))
                self._segments.append((rect, year, status))
                x += w
            total = sum(counts.values())
            painter.drawText(QRectF(x + 6, y, count_w, bar_h), Qt.AlignmentFlag.AlignVCenter, str(total))
            if self._overdue.get(year):
                painter.setPen(QColor(OVERDUE))
                offset = metrics.horizontalAdvance(f"{total} ") + 6
                text = self.tr("逾期 {0}").format(self._overdue[year])
                painter.drawText(QRectF(x + 6 + offset, y, count_w, bar_h), Qt.AlignmentFlag.AlignVCenter, text)
        painter.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        hit = self.segment_at(event.position())
        if hit is not None:
            self.segmentClicked.emit(*hit)
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        hit = self.segment_at(event.position())
        if hit is None:
            self.setToolTip("")
        else:
            year, status = hit
            self.setToolTip(self.tr("{0}年 · {1}：{2} 条（点击筛选）").format(year, status, self._counts[year][status]))
        super().mouseMoveEvent(event)
