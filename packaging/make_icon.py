"""Draws resources/icons/minutes-reader.png (and .ico for Windows). Run once; output is committed."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QImage, QPainter

OUT = Path(__file__).resolve().parent.parent / "resources" / "icons"


def draw(size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    margin = size * 0.06
    rect = QRectF(margin, margin, size - 2 * margin, size - 2 * margin)
    p.setBrush(QColor("#b71c1c"))
    p.setPen(Qt.PenStyle.NoPen)
    p.drawRoundedRect(rect, size * 0.18, size * 0.18)
    p.setBrush(QColor("#fffaf0"))
    page = QRectF(size * 0.24, size * 0.16, size * 0.52, size * 0.68)
    p.drawRoundedRect(page, size * 0.04, size * 0.04)
    font = QFont("Noto Serif CJK SC")
    font.setPixelSize(int(size * 0.36))
    font.setBold(True)
    p.setFont(font)
    p.setPen(QColor("#b71c1c"))
    p.drawText(page, Qt.AlignmentFlag.AlignCenter, "纪")
    p.end()
    return image


def check_mark(size: int = 32) -> QImage:
    """The tick used by the dark theme's check boxes (Fusion's own is invisible on dark)."""
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    pen = p.pen()
    pen.setColor(QColor("#ffffff"))
    pen.setWidthF(size * 0.14)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    p.setPen(pen)
    p.drawPolyline(
        [QPointF(size * 0.22, size * 0.52), QPointF(size * 0.42, size * 0.72), QPointF(size * 0.78, size * 0.3)]
    )
    p.end()
    return image


def main() -> None:
    QGuiApplication(sys.argv[:1])
    OUT.mkdir(parents=True, exist_ok=True)
    draw(256).save(str(OUT / "minutes-reader.png"))
    draw(48).save(str(OUT / "minutes-reader.ico"))
    check_mark().save(str(OUT / "check.png"))


if __name__ == "__main__":
    main()
