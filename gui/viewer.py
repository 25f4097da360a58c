"""The reader: a meeting as a document, or its source text exactly as in the file."""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QColor, QPalette, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QTextBrowser, QTextEdit, QWidget

from gui import render
from minutes.library import Meeting

BASE_POINT_SIZE = 12.0
# Lines longer than this many characters are hard to read; wider windows get side margins.
MAX_LINE_CHARS = 46


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


class MeetingView(QTextBrowser):
    """Read-only, selectable, never navigates: the only links are department filters."""

    departmentActivated = Signal(str)
    hitsChanged = Signal(int)  # number of search hits in the current view

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setUndoRedoEnabled(False)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
            | Qt.TextInteractionFlag.LinksAccessibleByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        )
        self.anchorClicked.connect(self._on_anchor)
        self.document().setDocumentMargin(24)
        self._meeting: Meeting | None = None
        self._topic: int | None = None
        self._message: tuple[str, str] | None = None
        self._source_mode = False
        self._zoom = 100
        self._query = ""
        self._hits: list[QTextCursor] = []

    # -- what is shown ---------------------------------------------------------------------
    @property
    def meeting(self) -> Meeting | None:
        return self._meeting

    @property
    def source_mode(self) -> bool:
        return self._source_mode

    def show_meeting(self, meeting: Meeting, topic: int | None = None) -> None:
        same = self._meeting is meeting and self._message is None
        self._meeting, self._topic, self._message = meeting, topic, None
        self._render(keep_scroll=False)
        if topic is not None and not self._source_mode:
            self.scrollToAnchor(render.topic_anchor(topic))
        elif not same:
            self.verticalScrollBar().setValue(0)

    def show_message(self, title: str, body: str) -> None:
        self._meeting, self._topic, self._message = None, None, (title, body)
        self._render(keep_scroll=False)

    def show_html(self, html: str) -> None:
        """A page made by the app (e.g. a year's overview); document text in it is escaped."""
        self._meeting, self._topic, self._message = None, None, None
        self._set_html(html)

    def set_source_mode(self, on: bool) -> None:
        if on != self._source_mode:
            self._source_mode = on
            self._render(keep_scroll=False)
            if self._topic is not None and not on:
                self.scrollToAnchor(render.topic_anchor(self._topic))

    def set_zoom(self, percent: int) -> None:
        percent = max(50, min(300, percent))
        if percent != self._zoom:
            self._zoom = percent
            self._fit_measure()
            self._render(keep_scroll=True)

    @property
    def zoom(self) -> int:
        return self._zoom

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_measure()

    def _fit_measure(self) -> None:
        """Keep the text column at a readable width, centred, on wide windows."""
        em = self._base_pt() * self.logicalDpiX() / 72
        base = self.document().documentMargin()
        # A side margin replaces the document margin on that side: add to it, never go below it.
        # The document is as wide as the viewport (lines wrap at the widget width); asking the
        # viewport itself costs ~10 ms the first time (PySide resolves the wrapper types).
        width = self.document().textWidth()
        side = base + max(0.0, (width - 2 * base - MAX_LINE_CHARS * em) / 2)
        root = self.document().rootFrame()
        fmt = root.frameFormat()
        if abs(fmt.leftMargin() - side) > 1:
            fmt.setLeftMargin(side)
            fmt.setRightMargin(side)
            root.setFrameFormat(fmt)

    def _theme(self) -> render.Theme:
        return render.Theme.dark() if is_dark(self.palette()) else render.Theme()

    def _base_pt(self) -> float:
        return BASE_POINT_SIZE * self._zoom / 100

    def _set_html(self, body: str) -> None:
        self.document().setDefaultStyleSheet(render.stylesheet(self._theme(), self._base_pt()))
        font = self.font()
        font.setPointSizeF(self._base_pt())
        self.document().setDefaultFont(font)
        self.setHtml(f"<html><body>{body}</body></html>")
        self._fit_measure()
        self._apply_hits()

    def _render(self, keep_scroll: bool) -> None:
        position = self.verticalScrollBar().value()
        if self._message is not None:
            self._set_html(render.message_html(*self._message))
        elif self._meeting is None:
            self._set_html("")
        elif self._source_mode:
            font = self.font()
            font.setPointSizeF(self._base_pt())
            self.document().setDefaultFont(font)
            self.setPlainText(self._meeting.source.text)  # exactly as in the file, never as markup
            self._fit_measure()
            self._apply_hits()
        else:
            self._set_html(render.meeting_html(self._meeting, self._topic))
        if keep_scroll:
            self.verticalScrollBar().setValue(position)

    # -- links and resources ---------------------------------------------------------------
    def _on_anchor(self, url: QUrl) -> None:
        name = render.dept_from_href(url.toString(QUrl.ComponentFormattingOption.FullyEncoded))
        if name:
            self.departmentActivated.emit(name)

    def loadResource(self, kind: int, name: QUrl):
        # Nothing in a document may load a file or an image.
        return None

    # -- search hits -----------------------------------------------------------------------
    def set_query(self, text: str) -> None:
        self._query = text.strip()
        self._apply_hits()

    def hit_count(self) -> int:
        return len(self._hits)

    def _apply_hits(self) -> None:
        self._hits = []
        selections = []
        if self._query:
            fmt = QTextCharFormat()
            fmt.setBackground(QColor("#ffd54f"))
            fmt.setForeground(QColor("#000000"))
            doc = self.document()
            cursor = doc.find(self._query, 0)
            while not cursor.isNull():
                self._hits.append(QTextCursor(cursor))
                selection = QTextEdit.ExtraSelection()
                selection.cursor = cursor
                selection.format = fmt
                selections.append(selection)
                cursor = doc.find(self._query, cursor)
        self.setExtraSelections(selections)
        self.hitsChanged.emit(len(self._hits))

    def find_next(self, backward: bool = False) -> bool:
        """Move to the next (or previous) search hit, wrapping around; False if none."""
        if not self._hits:
            return False
        pos = self.textCursor().selectionStart() if backward else self.textCursor().selectionEnd()
        if backward:
            before = [c for c in self._hits if c.selectionStart() < pos]
            target = before[-1] if before else self._hits[-1]
        else:
            after = [c for c in self._hits if c.selectionStart() >= pos]
            target = after[0] if after else self._hits[0]
        self.setTextCursor(target)
        self.ensureCursorVisible()
        return True

    def plain_text(self) -> str:
        return self.document().toPlainText()
