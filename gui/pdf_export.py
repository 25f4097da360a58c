"""Minutes as a printed document: the 纪要全文 and 议定事项清单 layouts, PDF (with bookmarks and
metadata) and printing, always in the bundled fonts so output never depends on the PC."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from PySide6.QtCore import QMarginsF, Qt
from PySide6.QtGui import QPagedPaintDevice, QPageLayout, QPageSize, QPdfWriter

import minutes
from gui.fonts import KAI, SANS, SERIF, TITLE, FontError, load_bundled_fonts
from gui.pdf_layout import (
    LANDSCAPE,
    Anchor,
    Furniture,
    Laid,
    Layouter,
    PageGeometry,
    Para,
    Rule,
    Run,
    Style,
    Table,
    TocEntry,
    paint,
)
from gui.render import masthead
from minutes.model import Observer, group_observers
from minutes.numerals import date_text
from minutes.report import TABLE_TITLE, Selection, atomic_target, resolution_rows

RED = "#c00000"
AlignCenter = Qt.AlignmentFlag.AlignHCenter
AlignRight = Qt.AlignmentFlag.AlignRight
AlignLeft = Qt.AlignmentFlag.AlignLeft


class ExportError(Exception):
    """An export that could not be written; the message is for the user."""


def ensure_fonts() -> None:
    """Register the bundled faces. Export uses only these, never a system font."""
    try:
        families = load_bundled_fonts()
    except FontError as exc:
        raise ExportError(str(exc)) from exc
    if {SERIF, SANS, KAI, TITLE} - set(families):
        raise ExportError(f"内置字体不完整：{families}")


@dataclass(frozen=True)
class ExportOptions:
    layout: str = "full"  # "full" (纪要全文) or "table" (议定事项清单)
    include_attendance: bool = True
    new_page_per_meeting: bool = True


# The subset faces (黑体, 楷体, 小标宋) hold GB2312 or less: any other character comes from the
# body face, which holds the whole CJK block, never from a system font.
FALLBACK = (SERIF,)


class Styles:
    """Type after GB/T 9704: title and masthead in 小标宋, first-level headings (一、) in 黑体,
    second-level ones (（一）) in 楷体, body 16 pt 仿宋 on a fixed 29 pt pitch (22 lines to the
    225 mm text block), page numbers 14 pt. The bundled stand-ins for those faces are listed in
    gui/fonts.py; all but the body face are subsets that fall back to it (FALLBACK)."""

    masthead = Style(TITLE, 24, 40, bold=True, color=RED, align=AlignCenter, fallback=FALLBACK)
    docno = Style(SERIF, 16, 29, align=AlignCenter)
    title = Style(
        TITLE,
        18,
        32,
        bold=True,
        align=AlignCenter,
        space_before_pt=4,
        space_after_pt=4,
        keep_with_next=True,
        fallback=FALLBACK,
    )
    meta = Style(SERIF, 14, 26, color="#333333", align=AlignCenter, space_after_pt=10)
    body = Style(SERIF, 16, 29, first_indent_em=2)
    label = Style(KAI, 16, 29, fallback=FALLBACK)  # a resolution's （一）: the second-level heading
    note = Style(KAI, 14, 26, color="#555555", first_indent_em=2, space_after_pt=6, fallback=FALLBACK)
    heading = Style(
        SANS,
        16,
        29,
        bold=True,
        first_indent_em=2,
        space_before_pt=10,
        space_after_pt=2,
        keep_with_next=True,
        fallback=FALLBACK,
    )
    small = Style(SERIF, 14, 25, align=AlignLeft, space_before_pt=6)
    closing = Style(SERIF, 14, 25, align=AlignRight, space_before_pt=4)
    cover_title = Style(
        TITLE, 26, 44, bold=True, color=RED, align=AlignCenter, space_before_pt=40, space_after_pt=12, fallback=FALLBACK
    )
    cover_sub = Style(SERIF, 16, 29, align=AlignCenter, space_after_pt=4)
    cover_meta = Style(SERIF, 12, 22, color="#555555", align=AlignCenter, space_after_pt=24)
    toc_title = Style(
        SANS, 18, 32, bold=True, align=AlignCenter, space_before_pt=8, space_after_pt=10, fallback=FALLBACK
    )
    toc = Style(SANS, 13, 23, bold=True, align=AlignLeft, space_before_pt=6, fallback=FALLBACK)
    toc_sub = Style(SERIF, 12, 20, align=AlignLeft, left_indent_em=2)
    header = Style(SANS, 10.5, 16, bold=True, color="#555555", align=AlignCenter, fallback=FALLBACK)
    number = Style(SERIF, 14, 20, align=AlignCenter)
    table = Style(SERIF, 10.5, 16, align=AlignLeft)
    table_header = Style(SANS, 10.5, 16, bold=True, align=AlignLeft, fallback=FALLBACK)


def excerpt_note(total: int, shown: int) -> str:
    """In 楷体, whose subset holds these characters (packaging/make_fonts.py KAI_TEXT)."""
    return f"（节选：本次会议共 {total} 个议题，此处收录 {shown} 个。）"


def resolution_para(label: str, text: str) -> Para:
    """A resolution: its （一） label in 楷体 as a run-in second-level heading, the text in the body face."""
    return Para(f"{label}{text}", Styles.body, runs=(Run(0, len(label), Styles.label),) if label else ())


def _observers_text(observers: tuple[Observer, ...], units: tuple[str, ...]) -> str:
    plain, groups = group_observers(observers)
    parts = ["　".join(plain)] if plain else []
    parts += [f"{written}{'、'.join(names)}" for (_dept, written), names in groups.items()]
    if units:
        parts.append("、".join(units) + "的代表")
    return "　".join(p for p in parts if p)


def geometry_for(options: ExportOptions) -> PageGeometry:
    """The table is A4 landscape; the minutes themselves A4 portrait."""
    return LANDSCAPE if options.layout == "table" else PageGeometry()


def meeting_anchor(meeting_id: str) -> tuple:
    return ("meeting", meeting_id)


def topic_anchor(meeting_id: str, number: int) -> tuple:
    return ("topic", meeting_id, number)


def meeting_heading(part_minutes) -> str:
    m = part_minutes
    return f"{m.title}（{date_text(m.date)}）" + (f"{m.doc_number}" if m.doc_number else "")


def full_blocks(selection: Selection, options: ExportOptions) -> list:
    blocks: list = []
    for index, part in enumerate(selection.parts):
        m = part.meeting.minutes
        meeting_id = part.meeting.id
        first = Para(
            masthead(m, part.meeting.source.text),  # the issuer's, as the viewer heads it
            Styles.masthead,
            Anchor(meeting_anchor(meeting_id), meeting_heading(m), 0),
            page_break_before=options.new_page_per_meeting or index == 0,
        )
        if not options.new_page_per_meeting and index:
            first.style = replace(Styles.masthead, space_before_pt=36)
        blocks.append(first)
        if m.doc_number:
            blocks.append(Para(m.doc_number, Styles.docno))
        blocks.append(Rule(RED))
        blocks.append(Para(m.title, Styles.title))
        meta = date_text(m.date) + (m.period or "")
        if m.chair:
            meta += f"　主持：{m.chair}{m.chair_title or ''}"
        blocks.append(Para(meta, Styles.meta))
        if m.summary:
            blocks.append(Para(m.summary, Styles.body))
        if not part.whole:
            blocks.append(Para(excerpt_note(len(m.topics), len(part.topics)), Styles.note))
        elif m.intro:
            blocks.append(Para(m.intro, Styles.body))
        for topic in part.topics:
            anchor = Anchor(topic_anchor(meeting_id, topic.number), f"{topic.label}{topic.title}", 1)
            blocks.append(Para(f"{topic.label}{topic.title}", Styles.heading, anchor))
            for r in topic.resolutions:
                blocks.append(resolution_para(r.label, r.text))
        if part.whole:
            blocks.extend(Para(text, Styles.body) for text in m.trailing)
        if options.include_attendance:
            if m.attendees:
                blocks.append(Para("出席：" + "　".join(m.attendees), Styles.small))
            if m.observers or m.observer_units:
                blocks.append(Para("列席：" + _observers_text(m.observers, m.observer_units), Styles.small))
            if m.recorder:
                blocks.append(Para(f"记录：{m.recorder}", Styles.small))
        if m.compiled_by or m.compiled_date:
            blocks.append(Para(f"{m.compiled_by or ''}整理　{date_text(m.compiled_date)}", Styles.closing))
        if m.issued_by or m.issued_date:
            blocks.append(Para(f"{m.issued_by or ''}　{date_text(m.issued_date)}印发", Styles.closing))
    return blocks


TABLE_COLUMNS = [  # the CSV's columns; the short ones wide enough never to wrap
    ("会议日期", 0.09),
    ("会议", 0.10),
    ("文号", 0.10),
    ("议题", 0.13),
    ("序号", 0.055),
    ("部门（角色）", 0.15),
    ("议定意见", 0.225),
    ("期限", 0.09),
    ("状态", 0.06),
]
# Between departments: a line break of its own (U+2028), so 市住建局（牵头） is never split.
LINE_SEPARATOR = "\u2028"


# Characters of 10.5 pt that fit one line of the 部门 column (0.15 of the 257 mm landscape
# text block, less the cell padding).
DEPARTMENT_LINE_CHARS = 9


def _department_lines(text: str) -> str:
    """One department a line; a name too long for one line wraps before its role, so
    市住建局（牵头） never breaks inside （牵头）."""
    entries = text.split("、")
    lines = []
    for i, entry in enumerate(entries):
        entry += "、" if i < len(entries) - 1 else ""
        if len(entry) > DEPARTMENT_LINE_CHARS and "（" in entry:
            entry = entry.replace("（", LINE_SEPARATOR + "（", 1)
        lines.append(entry)
    return LINE_SEPARATOR.join(lines)


def _due_lines(due: str) -> str:
    """到2025年（2025-12-31） as the words over the date, so the narrow 期限 column never breaks a date."""
    words, bracket, date = due.rpartition("（")
    return f"{words}{LINE_SEPARATOR}{date.rstrip('）')}" if bracket and words else due


def title_for(selection: Selection, options: ExportOptions) -> str:
    """The document's title says what it holds: the table of resolutions is not the minutes."""
    return TABLE_TITLE if options.layout == "table" else selection.title


def has_front_matter(selection: Selection) -> bool:
    """A cover and contents for a compilation; one meeting prints as itself."""
    return len(selection.parts) > 1


def table_blocks(selection: Selection, records: Sequence | None = None) -> list:
    """records: the 台账's (for the 状态 column), None when none was read."""
    rows = resolution_rows(selection, records)
    anchors: list[list[Anchor]] = []
    seen: set[tuple] = set()
    cells = []
    for row in rows:
        row_anchors = []
        # A meeting's bookmark and its items' land on their first rows.
        for key, title, level in (
            (meeting_anchor(row.meeting_id), row.meeting, 0),
            (topic_anchor(row.meeting_id, row.topic_number), row.topic, 1),
        ):
            if key not in seen:
                seen.add(key)
                row_anchors.append(Anchor(key, title, level))
        anchors.append(row_anchors)
        departments = _department_lines(row.departments)
        date = row.date.isoformat() if row.date else ""
        cells.append(
            [
                date,
                row.meeting,
                row.doc_number,
                row.topic,
                row.label,
                departments,
                row.text,
                _due_lines(row.due),
                row.status,
            ]
        )
    headers = [title for title, _ in TABLE_COLUMNS]
    widths = [width for _, width in TABLE_COLUMNS]
    return [Table(headers, widths, cells, Styles.table, Styles.table_header, anchors)]


def toc_entries(selection: Selection) -> list[TocEntry]:
    entries = []
    for part in selection.parts:
        m = part.meeting.minutes
        entries.append(TocEntry(meeting_heading(m), meeting_anchor(part.meeting.id), 0))
        for topic in part.topics:
            entries.append(TocEntry(f"{topic.label}{topic.title}", topic_anchor(part.meeting.id, topic.number), 1))
    return entries


@dataclass
class Document:
    laid: Laid
    furniture: Furniture
    outline: list[tuple[Anchor, int, float]]  # anchor, page index, y (device units)
    geometry: PageGeometry


def _front_matter(layouter: Layouter, selection: Selection, title: str, entries: list[TocEntry], numbers: dict) -> None:
    version = minutes.__version__
    layouter.add_para(Para(title, Styles.cover_title))
    layouter.add_para(Para(selection.subtitle, Styles.cover_sub))
    layouter.add_para(
        Para(
            f"共 {len(selection.parts)} 次会议、{selection.topic_count} 个议题　·　"
            f"{date_text(dt.date.today())}由纪要阅读器 {version} 生成",
            Styles.cover_meta,
        )
    )
    layouter.add_para(Para("目　录", Styles.toc_title))
    layouter.add_toc(entries, numbers, Styles.toc, Styles.toc_sub)


def lay_out(
    device: QPagedPaintDevice, selection: Selection, options: ExportOptions, records: Sequence | None = None
) -> Document:
    """Lay out cover, contents and body; page numbers in the contents are the real ones.
    records: the 台账's, for the table's 状态 column."""
    ensure_fonts()
    geometry = geometry_for(options)
    body = Layouter(device, geometry)
    blocks = table_blocks(selection, records) if options.layout == "table" else full_blocks(selection, options)
    for i, block in enumerate(blocks):
        if isinstance(block, Para):
            body.add_para(block, blocks[i + 1] if i + 1 < len(blocks) else None)
        elif isinstance(block, Rule):
            body.add_rule(block)
        elif isinstance(block, Table):
            body.add_table(block)
    content = body.result()
    entries = toc_entries(selection)
    title = title_for(selection, options)

    def front(numbers: dict) -> Laid:
        layouter = Layouter(device, geometry)
        _front_matter(layouter, selection, title, entries, numbers)
        return layouter.result()

    pages = content.pages
    offset = 0
    if has_front_matter(selection):
        # The contents' length does not depend on the numbers in it (they sit in a fixed column).
        offset = len(front({e.anchor_key: 888 for e in entries}).pages)
        numbers = {key: page + offset + 1 for key, (page, _) in content.anchors.items()}
        pages = front(numbers).pages + content.pages
    anchors = {key: (page + offset, y) for key, (page, y) in content.anchors.items()}
    outline = []
    for block in blocks:
        for anchor in _anchors_of(block):
            if anchor.key in anchors:
                outline.append((anchor, *anchors[anchor.key]))
    header = f"{title}　{selection.subtitle}"
    furniture = Furniture(header, Styles.header, Styles.number, geometry, cover=offset > 0)
    return Document(Laid(pages, anchors, content.px_per_pt), furniture, outline, geometry)


def _anchors_of(block) -> list[Anchor]:
    if isinstance(block, Para) and block.anchor is not None:
        return [block.anchor]
    if isinstance(block, Table):
        return [a for row in block.anchors for a in row]
    return []


# -- writing -----------------------------------------------------------------------------
PDF_DPI = 600


def _page_layout(geometry: PageGeometry) -> QPageLayout:
    orientation = (
        QPageLayout.Orientation.Landscape
        if geometry.width_mm > geometry.height_mm
        else QPageLayout.Orientation.Portrait
    )
    # Margins are drawn by the layout itself: the device gets none, so (0, 0) is the page corner.
    return QPageLayout(QPageSize(QPageSize.PageSizeId.A4), orientation, QMarginsF(0, 0, 0, 0))


@dataclass(frozen=True)
class ExportResult:
    path: Path
    pages: int
    bookmarks: int


def write_pdf(
    selection: Selection,
    options: ExportOptions,
    path: str | Path,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] = lambda: False,
    records: Sequence | None = None,
) -> ExportResult:
    """Write the PDF to a temporary file beside path and rename it into place at the end, so a
    cancelled or failed export leaves nothing at path."""
    path = Path(path)
    if not selection.parts:
        raise ExportError("没有可导出的议题")
    tmp = atomic_target(path)
    try:
        geometry = geometry_for(options)
        writer = QPdfWriter(str(tmp))
        writer.setResolution(PDF_DPI)
        writer.setPageLayout(_page_layout(geometry))
        writer.setTitle(f"{title_for(selection, options)}　{selection.subtitle}")
        writer.setCreator(f"Minutes Reader {minutes.__version__}")
        document = lay_out(writer, selection, options, records)
        paint(writer, document.laid, document.furniture, progress, cancelled)
        del writer  # closes the file
        _add_outline_and_metadata(tmp, document, selection, title_for(selection, options))
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return ExportResult(path, len(document.laid.pages), len(document.outline))


def _add_outline_and_metadata(path: Path, document: Document, selection: Selection, title: str) -> None:
    """Qt writes no bookmarks: append them (and the metadata) as an incremental update."""
    from pypdf import PdfWriter
    from pypdf.generic import Fit

    writer = PdfWriter(str(path), incremental=True)
    height_pt = document.geometry.height_mm / 25.4 * 72
    px_per_pt = PDF_DPI / 72
    parent = None
    for anchor, page, y in document.outline:
        top = height_pt - y / px_per_pt
        item = writer.add_outline_item(
            title=anchor.title, page_number=page, parent=parent if anchor.level else None, fit=Fit.xyz(left=0, top=top)
        )
        if anchor.level == 0:
            parent = item
    writer.page_mode = "/UseOutlines"
    writer.add_metadata(
        {
            "/Title": f"{title}　{selection.subtitle}",
            "/Subject": selection.subtitle,
            "/Creator": f"Minutes Reader {minutes.__version__}",
        }
    )
    with path.open("wb") as fh:
        writer.write(fh)


def print_document(printer, selection: Selection, options: ExportOptions, records: Sequence | None = None) -> None:
    """Print (or fill a print preview) with exactly the PDF's layout."""
    geometry = geometry_for(options)
    printer.setFullPage(True)
    printer.setPageLayout(_page_layout(geometry))
    document = lay_out(printer, selection, options, records)
    paint(printer, document.laid, document.furniture)
