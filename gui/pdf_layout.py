"""A small page-layout engine for printed minutes: paragraphs, headings, rules, tables, a table
of contents, running header and `— N —` page numbers, on any QPagedPaintDevice.

Qt's QTextDocument can print, but it cannot keep a heading with its first lines, put page
numbers in a table of contents, or say where each heading landed (needed for PDF bookmarks).
So this lays text out line by line with QTextLayout and paginates itself. PDF export and
printing both go through layout() and paint(): one code path.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QPagedPaintDevice,
    QPainter,
    QPen,
    QTextCharFormat,
    QTextLayout,
    QTextLine,
    QTextOption,
)


class Cancelled(Exception):
    """The user cancelled a long export."""


@dataclass(frozen=True)
class Style:
    family: str
    size_pt: float
    line_pt: float  # fixed line pitch, as official documents use
    bold: bool = False
    color: str = "#000000"
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignJustify
    first_indent_em: float = 0.0
    left_indent_em: float = 0.0
    space_before_pt: float = 0.0
    space_after_pt: float = 0.0
    keep_with_next: bool = False
    # Faces for the characters the first lacks, in order (a subset face falls back to a fuller one).
    fallback: tuple[str, ...] = ()

    def font(self) -> QFont:
        font = QFont()
        font.setFamilies([self.family, *self.fallback])
        font.setPointSizeF(self.size_pt)
        font.setBold(self.bold)
        font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
        return font


@dataclass(frozen=True)
class Anchor:
    """A place the outline and the table of contents point at."""

    key: tuple  # ("meeting", id) or ("topic", id, number)
    title: str
    level: int  # 0 meeting, 1 agenda item


@dataclass(frozen=True)
class Run:
    """Characters of a paragraph set in another face: a run-in heading such as 楷体 （一）."""

    start: int
    length: int
    style: Style  # only its font counts: the paragraph's style sets pitch, indents and colour


@dataclass
class Para:
    text: str
    style: Style
    anchor: Anchor | None = None
    page_break_before: bool = False
    runs: tuple[Run, ...] = ()


@dataclass
class Rule:
    color: str = "#c00000"
    width_pt: float = 1.0
    space_before_pt: float = 4.0
    space_after_pt: float = 12.0


@dataclass
class Table:
    headers: list[str]
    widths: list[float]  # fractions of the text width
    rows: list[list[str]]
    style: Style
    header_style: Style
    anchors: list[list[Anchor]] = field(default_factory=list)  # per row: the anchors starting there


@dataclass
class TocEntry:
    text: str
    anchor_key: tuple
    level: int


@dataclass(frozen=True)
class PageGeometry:
    """Millimetres. Defaults follow GB/T 9704: A4, text block 156 x 225 mm."""

    width_mm: float = 210.0
    height_mm: float = 297.0
    top_mm: float = 37.0
    bottom_mm: float = 35.0
    left_mm: float = 28.0
    right_mm: float = 26.0


LANDSCAPE = PageGeometry(297.0, 210.0, 25.0, 22.0, 20.0, 20.0)


# -- placed items ------------------------------------------------------------------------
@dataclass
class _PlacedLine:
    layout: QTextLayout
    line: QTextLine
    x: float
    y: float  # top of the line's slot
    slot: float
    color: str


@dataclass
class _PlacedRect:
    rect: QRectF
    pen: QPen | None
    fill: str | None = None


@dataclass
class _PlacedLeader:
    x1: float
    x2: float
    y: float


@dataclass
class Page:
    lines: list[_PlacedLine] = field(default_factory=list)
    rects: list[_PlacedRect] = field(default_factory=list)
    leaders: list[_PlacedLeader] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.lines or self.rects)


@dataclass
class Laid:
    pages: list[Page]
    anchors: dict[tuple, tuple[int, float]]  # key -> (page index, y in device units)
    px_per_pt: float


class Layouter:
    def __init__(self, device: QPagedPaintDevice, geometry: PageGeometry) -> None:
        self.device = device
        self.g = geometry
        dpi = device.logicalDpiY()
        self.px_per_mm = dpi / 25.4
        self.px_per_pt = dpi / 72.0
        self.left = geometry.left_mm * self.px_per_mm
        self.top = geometry.top_mm * self.px_per_mm
        self.width = (geometry.width_mm - geometry.left_mm - geometry.right_mm) * self.px_per_mm
        self.bottom = (geometry.height_mm - geometry.bottom_mm) * self.px_per_mm
        self.pages: list[Page] = [Page()]
        self.anchors: dict[tuple, tuple[int, float]] = {}
        self.y = self.top
        self._fonts: dict[Style, QFont] = {}
        self._ahead: tuple[Para, tuple[QTextLayout, list[QTextLine]]] | None = None

    # -- helpers ---------------------------------------------------------------------------
    def pt(self, value: float) -> float:
        return value * self.px_per_pt

    @property
    def page(self) -> Page:
        return self.pages[-1]

    def new_page(self) -> None:
        self.pages.append(Page())
        self.y = self.top

    def room(self) -> float:
        return self.bottom - self.y

    def _font(self, style: Style) -> QFont:
        font = self._fonts.get(style)
        if font is None:
            font = self._fonts[style] = style.font()
        return font

    def lay_lines(
        self, text: str, style: Style, width: float, runs: tuple[Run, ...] = ()
    ) -> tuple[QTextLayout, list[QTextLine]]:
        font = self._font(style)
        layout = QTextLayout(text, font, self.device)
        if runs:
            layout.setFormats([self._format_range(run) for run in runs])
        option = QTextOption(style.align)
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        layout.setTextOption(option)
        em = style.size_pt * self.px_per_pt
        lines = []
        layout.beginLayout()
        while True:
            line = layout.createLine()
            if not line.isValid():
                break
            indent = em * (style.left_indent_em + (style.first_indent_em if not lines else 0))
            line.setLineWidth(max(em, width - indent))
            line.setPosition(QPointF(indent, 0))
            lines.append(line)
        layout.endLayout()
        return layout, lines

    def _format_range(self, run: Run) -> QTextLayout.FormatRange:
        char_format = QTextCharFormat()
        char_format.setFont(self._font(run.style))
        format_range = QTextLayout.FormatRange()
        format_range.start = run.start
        format_range.length = run.length
        format_range.format = char_format
        return format_range

    # -- blocks ----------------------------------------------------------------------------
    def _para_lines(self, para: Para) -> tuple[QTextLayout, list[QTextLine]]:
        """A paragraph's lines, laid out once: the heading before it already looked ahead."""
        if self._ahead is not None and self._ahead[0] is para:
            return self._ahead[1]
        laid = self.lay_lines(para.text, para.style, self.width, para.runs)
        self._ahead = (para, laid)
        return laid

    def first_lines_height(self, block, count: int = 2) -> float:
        if isinstance(block, Para):
            _, lines = self._para_lines(block)
            return self.pt(block.style.space_before_pt) + min(count, len(lines)) * self.pt(block.style.line_pt)
        if isinstance(block, Table):
            return self.pt(block.header_style.line_pt) * 3
        return 0.0

    def add_para(self, para: Para, next_block=None) -> None:
        style = para.style
        if para.page_break_before and not self.page.empty:
            self.new_page()
        layout, lines = self._para_lines(para)
        slot = self.pt(style.line_pt)
        if not self.page.empty:
            self.y += self.pt(style.space_before_pt)
        need = min(len(lines), 2) * slot  # no single orphan line at a page bottom
        if style.keep_with_next and next_block is not None:
            need = len(lines) * slot + self.first_lines_height(next_block)
        if need > self.room() and not self.page.empty:
            self.new_page()
        if para.anchor is not None:
            self.anchors[para.anchor.key] = (len(self.pages) - 1, self.y)
        for line in lines:
            if self.y + slot > self.bottom + 0.5:
                self.new_page()
            self.page.lines.append(_PlacedLine(layout, line, self.left, self.y, slot, style.color))
            self.y += slot
        self.y += self.pt(style.space_after_pt)

    def add_rule(self, rule: Rule) -> None:
        self.y += self.pt(rule.space_before_pt)
        pen = QPen(QColor(rule.color))
        pen.setWidthF(self.pt(rule.width_pt))
        self.page.rects.append(_PlacedRect(QRectF(self.left, self.y, self.width, 0), pen))
        self.y += self.pt(rule.space_after_pt)

    def add_table(self, table: Table) -> None:
        pad = self.pt(3)
        widths = [f * self.width for f in table.widths]
        xs = [self.left + sum(widths[:i]) for i in range(len(widths))]
        border = QPen(QColor("#555555"))
        border.setWidthF(self.pt(0.5))

        def lay_row(cells: list[str], style: Style):
            return [self.lay_lines(text, style, w - 2 * pad) for text, w in zip(cells, widths, strict=True)]

        header = lay_row(table.headers, table.header_style)
        header_slot = self.pt(table.header_style.line_pt)
        header_height = max(len(lines) for _, lines in header) * header_slot + 2 * pad

        def draw_header() -> None:
            self._draw_row(header, xs, widths, header_slot, header_height, pad, border, "#eeeeee", table.header_style)
            self.y += header_height

        draw_header()
        slot = self.pt(table.style.line_pt)
        for index, cells in enumerate(table.rows):
            laid = lay_row(cells, table.style)
            remaining = [list(lines) for _, lines in laid]
            row_anchors = table.anchors[index] if index < len(table.anchors) else []
            first = True
            while any(remaining):
                fit = int((self.room() - 2 * pad) // slot)
                rows_needed = max(len(r) for r in remaining)
                # Start a row on the next page unless it fits, or at least three lines of it do.
                if fit < min(rows_needed, 3):
                    if self.y <= self.top + header_height:
                        raise ValueError("a table line is taller than the page")
                    self.new_page()
                    draw_header()
                    continue
                take = min(fit, rows_needed)
                if first:
                    for anchor in row_anchors:
                        self.anchors.setdefault(anchor.key, (len(self.pages) - 1, self.y))
                part = [(layout, lines[:take]) for (layout, _), lines in zip(laid, remaining, strict=True)]
                height = take * slot + 2 * pad
                self._draw_row(part, xs, widths, slot, height, pad, border, None, table.style)
                self.y += height
                remaining = [lines[take:] for lines in remaining]
                first = False

    def _draw_row(self, cells, xs, widths, slot, height, pad, pen, fill, style: Style) -> None:
        for (layout, lines), x, w in zip(cells, xs, widths, strict=True):
            self.page.rects.append(_PlacedRect(QRectF(x, self.y, w, height), pen, fill))
            for i, line in enumerate(lines):
                self.page.lines.append(_PlacedLine(layout, line, x + pad, self.y + pad + i * slot, slot, style.color))

    def add_toc(self, entries: list[TocEntry], page_numbers: dict[tuple, int], style: Style, sub: Style) -> None:
        for index, entry in enumerate(entries):
            st = style if entry.level == 0 else sub
            following = entries[index + 1] if index + 1 < len(entries) else None
            if entry.level == 0 and following is not None and following.level == 1:
                # A meeting's line never ends a page without its first item under it.
                need = self.pt(st.space_before_pt + st.line_pt) + 2 * self.pt(sub.line_pt)
                if need > self.room() and not self.page.empty:
                    self.new_page()
            number = str(page_numbers.get(entry.anchor_key, ""))
            number_width = self.pt(st.size_pt) * 2.5
            layout, lines = self.lay_lines(entry.text, st, self.width - number_width - self.pt(st.size_pt))
            slot = self.pt(st.line_pt)
            if not self.page.empty:
                self.y += self.pt(st.space_before_pt)
            if len(lines) * slot > self.room():
                self.new_page()
            for line in lines:
                self.page.lines.append(_PlacedLine(layout, line, self.left, self.y, slot, st.color))
                self.y += slot
            last = lines[-1] if lines else None
            baseline = self.y - slot / 2
            start = self.left + (last.x() + last.naturalTextWidth() if last else 0) + self.pt(4)
            number_style = replace(st, align=Qt.AlignmentFlag.AlignRight, first_indent_em=0, left_indent_em=0)
            num_layout, num_lines = self.lay_lines(number, number_style, number_width)
            for line in num_lines:
                self.page.lines.append(
                    _PlacedLine(num_layout, line, self.left + self.width - number_width, self.y - slot, slot, st.color)
                )
            self.page.leaders.append(_PlacedLeader(start, self.left + self.width - number_width, baseline))

    def result(self) -> Laid:
        if self.page.empty and len(self.pages) > 1:
            self.pages.pop()
        return Laid(self.pages, self.anchors, self.px_per_pt)


# -- painting ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Furniture:
    """What every page carries: running header (not on page 1) and the page number, on the
    outer edge as GB/T 9704 puts it (odd pages right, even pages left); none on a cover."""

    header: str
    header_style: Style
    number_style: Style
    geometry: PageGeometry
    cover: bool = False  # page 1 is a cover: no number on it


def paint(
    device: QPagedPaintDevice,
    laid: Laid,
    furniture: Furniture,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] = lambda: False,
) -> None:
    painter = QPainter(device)
    try:
        layouter = Layouter(device, furniture.geometry)  # for geometry and fonts only
        _header_layout, header_lines = layouter.lay_lines(furniture.header, furniture.header_style, layouter.width)
        header_y = layouter.top - layouter.pt(furniture.header_style.line_pt) - layouter.pt(10)
        total = len(laid.pages)
        for index, page in enumerate(laid.pages):
            if cancelled():
                raise Cancelled
            if index:
                device.newPage()
            if index and header_lines:
                line = header_lines[0]
                _draw_line(
                    painter, line, layouter.left, header_y, layouter.pt(furniture.header_style.line_pt), "#555555"
                )
                pen = QPen(QColor("#999999"))
                pen.setWidthF(layouter.pt(0.5))
                painter.setPen(pen)
                rule_y = header_y + layouter.pt(furniture.header_style.line_pt) + layouter.pt(2)
                painter.drawLine(QPointF(layouter.left, rule_y), QPointF(layouter.left + layouter.width, rule_y))
            for rect in page.rects:
                if rect.fill:
                    painter.fillRect(rect.rect, QColor(rect.fill))
                if rect.pen is not None:
                    painter.setPen(rect.pen)
                    painter.setBrush(Qt.BrushStyle.NoBrush)
                    if rect.rect.height() == 0:
                        painter.drawLine(rect.rect.topLeft(), rect.rect.topRight())
                    else:
                        painter.drawRect(rect.rect)
            for placed in page.lines:
                _draw_line(painter, placed.line, placed.x, placed.y, placed.slot, placed.color)
            if page.leaders:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(QColor("#777777"))
                step = layouter.pt(4)
                radius = layouter.pt(0.6)
                for leader in page.leaders:
                    x = leader.x1
                    while x < leader.x2 - step:
                        painter.drawEllipse(QPointF(x, leader.y + layouter.pt(3)), radius, radius)
                        x += step
            number = "" if furniture.cover and index == 0 else f"— {index + 1} —"
            outer = Qt.AlignmentFlag.AlignRight if index % 2 == 0 else Qt.AlignmentFlag.AlignLeft
            # One character's room from the edge of the text block.
            style = replace(furniture.number_style, align=outer, left_indent_em=1 if index % 2 else 0)
            _num_layout, num_lines = layouter.lay_lines(number, style, layouter.width - layouter.pt(style.size_pt))
            footer_y = layouter.bottom + 7 * layouter.px_per_mm
            for line in num_lines if number else []:
                _draw_line(
                    painter, line, layouter.left, footer_y, layouter.pt(furniture.number_style.line_pt), "#000000"
                )
            if progress:
                progress(index + 1, total)
    finally:
        painter.end()


def _draw_line(painter: QPainter, line: QTextLine, x: float, slot_top: float, slot: float, color: str) -> None:
    painter.setPen(QColor(color))
    # Centre the line's own height in its fixed slot; draw() adds the line's layout position.
    top = slot_top + (slot - line.height()) / 2
    line.draw(painter, QPointF(x, top - line.y()))
