"""The reader: a meeting as a document, or its source text exactly as in the file."""

from __future__ import annotations

import html
from collections.abc import Iterable

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QPalette, QTextBlockFormat, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QTextBrowser, QWidget

from gui import capped, marks, render
from gui.related_html import meeting_from_href
from minutes.library import FilterSpec, Meeting, RoleFilter
from minutes.stored_copy import DamagedCopy, read_document

BASE_POINT_SIZE = 12.0
# Lines longer than this many characters are hard to read; wider windows get side margins.
MAX_LINE_CHARS = 46
HIT_COLOUR = "#ffd54f"
CURRENT_HIT_COLOUR = "#ff9f43"
DEPARTMENT_COLOUR = "#c6ecb4"  # green: apart from search yellow and selection blue


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


class MeetingView(QTextBrowser):
    """Read-only, selectable, never navigates: the only links are department filters."""

    departmentActivated = Signal(str)
    meetingActivated = Signal(str, int)  # a 相关议题 link: meeting id, item number
    hitsChanged = Signal(int)  # number of search hits marked in the current view
    # (the current hit counted from 1, 0 when none is current; hits marked): "第 3 / 8 处"
    hitPositionChanged = Signal(int, int)
    departmentMarksChanged = Signal(int)  # mentions of the filtered departments marked
    # A meeting whose stored copy could not be read (minutes.stored_copy.DamagedCopy): the view
    # says so in place of the document; the window lists it and has its file read again.
    documentFailed = Signal(object)

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
        self._hits_capped = False
        self._current = -1  # index into _hits of the hit F3 moved to
        self._departments: frozenset[str] = frozenset()
        self._dept_marks: list[QTextCursor] = []
        self._capped = False  # the view leaves part of the document out
        self._full = False  # 显示全部 clicked: lay out the whole of an outsized document
        self._failed = False  # the meeting in view could not be shown: a message stands in for it

    # -- what is shown ---------------------------------------------------------------------
    @property
    def meeting(self) -> Meeting | None:
        return self._meeting

    @property
    def source_mode(self) -> bool:
        return self._source_mode

    def show_meeting(self, meeting: Meeting, topic: int | None = None) -> None:
        same = self._meeting is meeting and self._message is None
        if not same:
            self._full = False
        self._meeting, self._topic, self._message = meeting, topic, None
        self._render(keep_scroll=False)
        if topic is not None and not self._source_mode:
            self.scrollToAnchor(render.topic_anchor(topic))
        elif not same:
            self.verticalScrollBar().setValue(0)
            if self._dept_marks:
                self._scroll_to_department()

    def failed(self) -> bool:
        """Whether the meeting in view could not be shown (its stored copy is damaged)."""
        return self._failed

    def is_capped(self) -> bool:
        """Whether the view leaves part of an outsized document out (显示全部 shows it)."""
        return self._capped

    def show_all(self) -> None:
        """Lay out the whole document, however long (what 显示全部 does)."""
        if not self._full:
            self._full = True
            self._render(keep_scroll=True)

    def show_message(self, title: str, body: str) -> None:
        self._meeting, self._topic, self._message, self._full = None, None, (title, body), False
        self._render(keep_scroll=False)

    def show_html(self, html: str) -> None:
        """A page made by the app (e.g. a year's overview); document text in it is escaped."""
        self._meeting, self._topic, self._message, self._full = None, None, None, False
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
        self._apply_marks()

    def _set_source(self, text: str) -> None:
        """The file's text exactly as read, never as markup; an outsized one up to the caps."""
        font = self.font()
        font.setPointSizeF(self._base_pt())
        doc = self.document()
        doc.setDefaultFont(font)
        shown, omitted = (text, 0) if self._full else capped.source_excerpt(text)
        # setPlainText types with the editor's current character format, which still holds the
        # last page's formats (the 《》 titles' brown bold): start from a clean one.
        doc.clear()
        self.setCurrentCharFormat(QTextCharFormat())
        self.setPlainText(shown)
        if omitted:
            self._capped = True
            cursor = QTextCursor(doc)
            cursor.movePosition(QTextCursor.MoveOperation.End)
            cursor.insertBlock(QTextBlockFormat(), QTextCharFormat())
            cursor.insertHtml(render.show_all_link(len(text)))
        self._fit_measure()
        self._apply_marks()

    def _render(self, keep_scroll: bool) -> None:
        position = self.verticalScrollBar().value()
        self._capped = self._failed = False
        if self._message is not None:
            self._set_html(render.message_html(*self._message))
        elif self._meeting is None:
            self._set_html("")
        else:
            try:
                self._render_meeting(self._meeting)
            except DamagedCopy as damage:
                self._fail(*self._damage_message(damage))
                self.documentFailed.emit(damage)
            except Exception as exc:  # a document must never leave the previous one in view
                from gui.logs import log

                log.error("showing %s failed", self._meeting.id, exc_info=exc)
                self._fail(self.tr("无法显示这份纪要"), self.tr("显示时出现内部错误，详情已记入日志（帮助 → 关于）。"))
        if keep_scroll:
            self.verticalScrollBar().setValue(position)

    def _render_meeting(self, meeting: Meeting) -> None:
        document = read_document(meeting)  # DamagedCopy when the stored copy cannot be read
        if self._source_mode:
            self._set_source(document.text)
        else:
            budget = capped.Budget.unlimited() if self._full else capped.Budget()
            html = render.meeting_html(meeting, self._topic, budget)
            self._capped = budget.clipped
            self._set_html(html)

    def _fail(self, title: str, body: str) -> None:
        """A message in place of the meeting: the title, then each line of body (escaped)."""
        self._capped, self._failed = False, True
        first, *rest = body.split("\n")
        more = "".join(f'<p align="center" class="meta">{html.escape(line)}</p>' for line in rest)
        self._set_html(render.message_html(title, first) + more)

    def _damage_message(self, damage: DamagedCopy) -> tuple[str, str]:
        if damage.gone:
            return self.tr("这份纪要已不在资料库中"), damage.state() + self.tr(
                "。资料库重新载入（F5）后，列表会随之更新。"
            )
        # Said before the mark has run (the window marks it after this): what will be tried.
        body = damage.state() + self.tr("；重新读取后（资料库重新载入，F5）即可查看。")
        if damage.sources:
            body += "\n" + self.tr("源文件：") + "；".join(str(p) for p in damage.sources)
        else:
            body += "\n" + self.tr("资料库中没有它的源文件记录，可重新添加该文件。")
        return self.tr("无法显示这份纪要"), body

    # -- links and resources ---------------------------------------------------------------
    def _on_anchor(self, url: QUrl) -> None:
        href = url.toString(QUrl.ComponentFormattingOption.FullyEncoded)
        if href == render.SHOW_ALL_HREF:
            self.show_all()
            return
        name = render.dept_from_href(href)
        if name:
            self.departmentActivated.emit(name)
            return
        target = meeting_from_href(href)
        if target is not None:
            self.meetingActivated.emit(*target)

    def loadResource(self, kind: int, name: QUrl):
        # Nothing in a document may load a file or an image.
        return None

    # -- search hits and department marks -----------------------------------------------------
    def set_query(self, text: str) -> None:
        query = text.strip()
        if query != self._query and self._current >= 0:
            # The hit F3 selected belongs to the old query: drop its selection mark too.
            cursor = self.textCursor()
            cursor.clearSelection()
            self.setTextCursor(cursor)
        self._query = query
        self._apply_marks()

    def hit_count(self) -> int:
        """Search hits marked (at most capped.MAX_MARKED; see hits_capped)."""
        return len(self._hits)

    def hits_capped(self) -> bool:
        """Whether the document holds more hits than are marked."""
        return self._hits_capped

    def current_hit(self) -> int:
        """The hit F3 last moved to, counted from 1; 0 when none."""
        return self._current + 1

    def hit_summary(self) -> str:
        """For the status bar: "第 3 / 8 处", "共 8 处", "已标出前 500 处" …; empty without a query."""
        if not self._query:
            return ""
        n = len(self._hits)
        if not n:
            return self.tr("本页无匹配")
        if self._hits_capped:
            first = self.tr("已标出前 %1 处").replace("%1", str(n))
            if self._current < 0:
                return first
            return self.tr("第 %1 处").replace("%1", str(self._current + 1)) + "，" + first
        if self._current >= 0:
            return self.tr("第 %1 / %2 处").replace("%1", str(self._current + 1)).replace("%2", str(n))
        return self.tr("共 %1 处").replace("%1", str(n))

    def follow_filter(self, spec: FilterSpec) -> None:
        """Mark what the filter asks for: its words (a new query drops the old one's selected
        hit) and its departments."""
        if spec.text.strip() != self._query:
            cursor = self.textCursor()
            cursor.clearSelection()
            self.setTextCursor(cursor)
            self.set_query(spec.text)
        self.set_departments(spec.departments)

    def link_role(self, department: str) -> RoleFilter:
        """The role a click on a department link fits: one the meeting's resolutions do not name
        was clicked in the attendance list (列席)."""
        try:
            named = self._meeting is None or self._failed or self._meeting.names_in_resolutions(department)
        except Exception:  # its stored copy cannot be read (the view says so): any role
            named = True
        return RoleFilter.ANY if named else RoleFilter.ATTENDED

    def set_departments(self, names: Iterable[str]) -> int:
        """Mark every mention of these departments (canonical names, matched however written) and
        scroll to the first one in an agenda item, as a search hit is; returns the marks made."""
        wanted = frozenset(names)
        if wanted != self._departments:
            self._departments = wanted
            self._apply_marks()
            if self._dept_marks and self._meeting is not None:
                self._scroll_to_department()
        return len(self._dept_marks)

    def department_mark_count(self) -> int:
        return len(self._dept_marks)

    def _apply_marks(self) -> None:
        doc = self.document()
        self._current = -1
        terms = marks.query_terms(self._query)
        self._hits, self._hits_capped = marks.find_terms(doc, terms, capped.MAX_MARKED) if terms else ([], False)
        self._dept_marks, _ = marks.find_departments(doc, self._departments, capped.MAX_MARKED)
        self._paint_marks()
        self.departmentMarksChanged.emit(len(self._dept_marks))
        self.hitsChanged.emit(len(self._hits))
        self.hitPositionChanged.emit(0, len(self._hits))

    def _paint_marks(self) -> None:
        current = [self._hits[self._current]] if self._current >= 0 else []
        self.setExtraSelections(
            marks.selections(self._dept_marks, DEPARTMENT_COLOUR)
            + marks.selections(self._hits, HIT_COLOUR)
            + marks.selections(current, CURRENT_HIT_COLOUR)
        )

    def _scroll_to_department(self) -> None:
        """To the first mention inside the agenda item in view (or the first item at all)."""
        doc = self.document()
        anchor = render.topic_anchor(self._topic) if self._topic is not None else render.topic_anchor(1)
        start = marks.anchor_position(doc, anchor) if not self._source_mode else None
        after = [c for c in self._dept_marks if start is None or c.selectionStart() >= start]
        self._center_on(after[0] if after else self._dept_marks[0])

    def _center_on(self, cursor: QTextCursor) -> None:
        """Scroll so the cursor's line sits in the middle of the view, not at an edge."""
        bar = self.verticalScrollBar()
        bar.setValue(bar.value() + self.cursorRect(cursor).center().y() - self.viewport().height() // 2)

    def find_next(self, backward: bool = False) -> bool:
        """Move to the next (or previous) search hit, wrapping around; False if none."""
        if not self._hits:
            return False
        pos = self.textCursor().selectionStart() if backward else self.textCursor().selectionEnd()
        if backward:
            before = [i for i, c in enumerate(self._hits) if c.selectionStart() < pos]
            index = before[-1] if before else len(self._hits) - 1
        else:
            after = [i for i, c in enumerate(self._hits) if c.selectionStart() >= pos]
            index = after[0] if after else 0
        self._current = index
        target = self._hits[index]
        self.setTextCursor(target)
        self._center_on(target)
        self._paint_marks()
        self.hitPositionChanged.emit(index + 1, len(self._hits))
        return True

    def plain_text(self) -> str:
        return self.document().toPlainText()
