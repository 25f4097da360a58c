"""The reader widget on its own: outsized documents, 原文, search hits, department marks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QColor, QFont, QTextCursor

from gui import capped, render, viewer
from gui.viewer import MeetingView
from minutes import seeds_dir
from minutes.departments import registry
from minutes.library import Library
from tests.conftest import SEED_NAMES, seed_text

RESOLUTION = "（三）下一阶段"  # the start of a resolution in seed 000


@pytest.fixture
def view(qtbot) -> MeetingView:
    widget = MeetingView()
    qtbot.addWidget(widget)
    widget.resize(1000, 700)
    widget.show()
    return widget


@pytest.fixture(scope="module")
def seeds() -> Library:
    return Library.load([seeds_dir()])


def library_with(tmp_path: Path, text: str) -> Library:
    folder = tmp_path / "lib"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "doc.txt").write_text(text, "utf-8")
    return Library.load([folder])


def long_line_library(tmp_path: Path, line: str) -> Library:
    return library_with(tmp_path, seed_text("000").replace(RESOLUTION, "（三）" + line + "下一阶段"))


def fragments(doc):
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            yield it.fragment()
            it += 1
        block = block.next()


def hrefs(doc) -> list[str]:
    return [f.charFormat().anchorHref() for f in fragments(doc) if f.charFormat().isAnchor()]


# -- #11.12: outsized documents are shown capped, the rest one click away ----------------------
def test_a_200000_character_line_is_capped_with_show_all(view: MeetingView, tmp_path: Path) -> None:
    line = "x" * 200_000  # no break opportunity: the worst case for Qt's line layout
    meeting = long_line_library(tmp_path, line).meetings[0]
    view.show_meeting(meeting)
    shown = view.plain_text()
    assert view.is_capped()
    assert "x" * capped.LINE_CHARS in shown and "x" * (capped.LINE_CHARS + 1) not in shown
    assert len(shown) < capped.DOCUMENT_CHARS
    assert re.search(r"显示全部（约 20\.\d 万字）", shown)  # the whole document's text, not only the line
    assert render.SHOW_ALL_HREF in hrefs(view.document())
    # The rest is one click away (the link is the way in; nothing else navigates). A line that
    # wraps, to keep the test quick: laying out the whole unbreakable line is what the cap avoids.
    line = "各地各部门要抓好落实" * 2_000
    view.show_meeting(long_line_library(tmp_path / "b", line).meetings[0])
    assert view.is_capped() and line not in view.plain_text()
    view.anchorClicked.emit(QUrl(render.SHOW_ALL_HREF))
    assert not view.is_capped()
    assert line in view.plain_text()
    # Another meeting is capped again.
    view.show_meeting(meeting)
    assert view.is_capped()


def test_the_document_view_stops_at_the_total_cap(view: MeetingView, tmp_path: Path) -> None:
    extra = "".join(f"（{i}）市政府各部门要加强协调配合，狠抓落实。\n" for i in range(4, 12_000))
    meeting = library_with(tmp_path, seed_text("000").replace(RESOLUTION, extra + RESOLUTION)).meetings[0]
    view.show_meeting(meeting)
    assert view.is_capped()
    assert len(view.plain_text()) < capped.DOCUMENT_CHARS + 5_000
    assert re.search(r"显示全部（约 \d\d\.\d 万字）$", view.plain_text().rstrip())


def test_source_view_is_capped_per_line_and_in_total(view: MeetingView, tmp_path: Path) -> None:
    meeting = long_line_library(tmp_path, "x" * 200_000).meetings[0]
    view.show_meeting(meeting)
    view.set_source_mode(True)
    shown = view.plain_text()
    assert view.is_capped()
    assert "x" * (capped.LINE_CHARS - 10) + "……［此行共 200" in shown
    assert len(shown) <= capped.SOURCE_CHARS + 200
    assert re.search(r"显示全部（约 20\.\d 万字）$", shown.rstrip())
    assert hrefs(view.document()) == [render.SHOW_ALL_HREF]  # the only link in 原文
    meeting = long_line_library(tmp_path / "b", "各地各部门要抓好落实" * 7_000).meetings[0]
    view.show_meeting(meeting)
    assert view.is_capped() and len(view.plain_text()) <= capped.SOURCE_CHARS + 200
    view.anchorClicked.emit(QUrl(render.SHOW_ALL_HREF))
    assert view.plain_text() == meeting.source.text.replace("\r\n", "\n")
    assert not view.is_capped() and view.source_mode


def test_seeds_are_never_capped(view: MeetingView, seeds: Library) -> None:
    for meeting in seeds.meetings:
        view.set_source_mode(False)
        view.show_meeting(meeting)
        assert not view.is_capped() and "显示全部" not in view.plain_text()
        view.set_source_mode(True)
        assert not view.is_capped()
        assert view.plain_text() == meeting.source.text.replace("\r\n", "\n")


def test_search_marks_at_most_500_hits_and_says_so(view: MeetingView, tmp_path: Path, qtbot) -> None:
    meeting = long_line_library(tmp_path, "市" * 2_000).meetings[0]
    view.show_meeting(meeting)
    with qtbot.waitSignal(view.hitsChanged) as blocker:
        view.set_query("市")
    assert blocker.args == [capped.MAX_MARKED]
    assert view.hit_count() == capped.MAX_MARKED == len(view.extraSelections())
    assert view.hits_capped()
    assert "前 500 处" in view.hit_summary()
    view.set_query("第108次")
    assert 0 < view.hit_count() < 5 and not view.hits_capped() and "前" not in view.hit_summary()


# -- #13 edge 2: 原文 is plain text, not in the last page's formats ------------------------------
def test_source_view_has_no_emphasis_format(view: MeetingView, seeds: Library) -> None:
    document = QColor(render.Theme().document)
    for meeting in seeds.meetings:
        view.set_source_mode(False)
        view.show_meeting(meeting, meeting.topics[0].number)
        view.set_query("《")
        assert view.find_next()  # the cursor now sits in a 《》 title, in its brown bold
        view.set_source_mode(True)
        for fragment in fragments(view.document()):
            fmt = fragment.charFormat()
            assert fmt.fontWeight() <= QFont.Weight.Normal, fragment.text()[:40]
            assert fmt.foreground().color() != document, fragment.text()[:40]
            assert not fmt.isAnchor()


# -- #13 edge 5: a department filter marks its mentions and scrolls to the first --------------
def seed_meeting(seeds: Library, key: str):
    return next(m for m in seeds.meetings if m.sources[0].name == SEED_NAMES[key])


def marks_in(view: MeetingView, colour: str) -> list[QTextCursor]:
    wanted = QColor(colour)
    selections = view.extraSelections()
    return sorted(
        (QTextCursor(s.cursor) for s in selections if s.format.background().color() == wanted),
        key=lambda c: c.selectionStart(),
    )


def marked(view: MeetingView, colour: str) -> list[str]:
    return [c.selectedText() for c in marks_in(view, colour)]


def in_middle(view: MeetingView, cursor) -> bool:
    bar = view.verticalScrollBar()
    if bar.value() in (bar.minimum(), bar.maximum()):
        return True  # cannot scroll further
    return abs(view.cursorRect(cursor).center().y() - view.viewport().height() // 2) <= 2


def test_department_mentions_are_marked_and_scrolled_to(view: MeetingView, seeds: Library, qtbot) -> None:
    view.show_meeting(seed_meeting(seeds, "004"))
    assert view.verticalScrollBar().value() == 0
    with qtbot.waitSignal(view.departmentMarksChanged) as blocker:
        count = view.set_departments(["市市场监管局"])
    expected = [m for m in registry().find_in_text(view.plain_text()) if m.name == "市市场监管局"]
    assert count == len(expected) == blocker.args[0] == view.department_mark_count() >= 2
    texts = marked(view, viewer.DEPARTMENT_COLOUR)
    assert sorted(texts) == sorted(m.as_written for m in expected)
    assert "市场监管局" in texts  # as written, matched to its canonical name
    # Scrolled to the first mention inside an agenda item, in the middle of the view.
    topic_start = view.plain_text().index("\n一、")
    in_topics = [c for c in marks_in(view, viewer.DEPARTMENT_COLOUR) if c.selectionStart() > topic_start]
    assert view.verticalScrollBar().value() > 0
    assert in_middle(view, in_topics[0])
    # Another meeting keeps the marks; clearing the filter clears them.
    view.show_meeting(seed_meeting(seeds, "000"))
    assert view.department_mark_count() == len(
        [m for m in registry().find_in_text(view.plain_text()) if m.name == "市市场监管局"]
    )
    view.set_departments([])
    assert view.department_mark_count() == 0 and not marked(view, viewer.DEPARTMENT_COLOUR)


def test_department_marks_and_search_hits_together(view: MeetingView, seeds: Library) -> None:
    view.show_meeting(seed_meeting(seeds, "000"))
    view.set_departments(["市发改委"])
    view.set_query("经济")
    assert marked(view, viewer.HIT_COLOUR) and all(t == "经济" for t in marked(view, viewer.HIT_COLOUR))
    assert marked(view, viewer.DEPARTMENT_COLOUR) == ["市发改委"] * view.department_mark_count()


# -- #13 edge 9: F3 centres the hit, says which it is, and no stale mark stays -----------------
def test_changing_the_query_drops_the_old_current_hit(view: MeetingView, seeds: Library) -> None:
    view.show_meeting(seed_meeting(seeds, "004"))
    view.set_query("市")
    assert view.find_next() and view.textCursor().selectedText() == "市"
    assert marked(view, viewer.CURRENT_HIT_COLOUR) == ["市"]
    view.set_query("会议")
    assert not view.textCursor().hasSelection()
    assert not marked(view, viewer.CURRENT_HIT_COLOUR)
    assert set(marked(view, viewer.HIT_COLOUR)) == {"会议"}
    assert view.current_hit() == 0


def test_f3_puts_the_hit_in_the_middle_of_the_view(view: MeetingView, seeds: Library) -> None:
    view.resize(700, 300)
    view.show_meeting(seed_meeting(seeds, "004"))
    view.set_query("市")
    bar = view.verticalScrollBar()
    checked = 0
    for _ in range(view.hit_count()):
        assert view.find_next()
        assert in_middle(view, view.textCursor())
        checked += bar.minimum() < bar.value() < bar.maximum()
    assert checked > 10
    assert view.find_next(backward=True) and in_middle(view, view.textCursor())


def test_hit_position_is_signalled_and_described(view: MeetingView, seeds: Library, qtbot) -> None:
    view.show_meeting(seed_meeting(seeds, "000"))
    counts, positions = [], []
    view.hitsChanged.connect(counts.append)
    view.hitPositionChanged.connect(lambda current, total: positions.append((current, total)))
    view.set_query("经济")
    total = view.hit_count()
    assert total > 2 and counts == [total] and positions == [(0, total)]
    assert view.hit_summary() == f"共 {total} 处"
    with qtbot.waitSignal(view.hitPositionChanged) as blocker:
        view.find_next()
    assert blocker.args == [1, total]
    with qtbot.waitSignal(view.hitPositionChanged) as blocker:
        view.find_next()
    assert blocker.args == [2, total] and view.hit_summary() == f"第 2 / {total} 处"
    with qtbot.waitSignal(view.hitPositionChanged) as blocker:
        view.find_next(backward=True)
    assert blocker.args == [1, total]
    with qtbot.waitSignal(view.hitPositionChanged) as blocker:
        view.find_next(backward=True)
    assert blocker.args == [total, total]  # wraps around
    view.set_query("")
    assert view.hit_summary() == "" and view.hit_count() == 0


def test_words_of_a_query_are_each_marked(view: MeetingView, seeds: Library) -> None:
    view.show_meeting(seed_meeting(seeds, "004"))
    view.set_query(" 电梯  安全 ")
    assert set(marked(view, viewer.HIT_COLOUR)) == {"电梯", "安全"}
