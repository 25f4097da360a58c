"""Small toolbar icons the platform style lacks (打印, 显示原文), drawn in the palette's text
colour so they suit light and dark themes alike."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPalette, QPen, QPixmap
from PySide6.QtWidgets import QApplication


def _canvas(draw) -> QIcon:
    icon = QIcon()
    color = QApplication.palette().color(QPalette.ColorRole.WindowText)
    for size in (16, 24, 32):
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.scale(size / 16, size / 16)
        pen = QPen(QColor(color))
        pen.setWidthF(1.2)
        painter.setPen(pen)
        draw(painter, color)
        painter.end()
        icon.addPixmap(pixmap)
    return icon


def print_icon() -> QIcon:
    def draw(p: QPainter, color: QColor) -> None:
        p.drawRect(QRectF(4.5, 1.5, 7, 4))  # paper going in
        body = QPainterPath()
        body.addRoundedRect(QRectF(1.5, 5.5, 13, 6), 1.5, 1.5)
        p.drawPath(body)
        p.drawRect(QRectF(4.5, 9.5, 7, 5))  # the printed sheet
        p.fillRect(QRectF(11.5, 7, 1.5, 1.2), color)

    return _canvas(draw)


def source_icon() -> QIcon:
    def draw(p: QPainter, _color: QColor) -> None:
        page = QPainterPath()
        page.moveTo(3.5, 1.5)
        page.lineTo(10, 1.5)
        page.lineTo(12.5, 4)
        page.lineTo(12.5, 14.5)
        page.lineTo(3.5, 14.5)
        page.closeSubpath()
        p.drawPath(page)
        for y, end in ((5.5, 9.0), (8.0, 10.5), (10.5, 10.5), (13.0, 8.5)):  # plain lines of text
            p.drawLine(QPointF(5.5, y), QPointF(end, y))

    return _canvas(draw)
