"""相关议题 in the viewer (issue 14): the same document and the same recurring report at other
meetings, from the item titles, as links that open the other meeting."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl

from gui import render
from gui.main_window import MainWindow
from gui.related_html import meeting_from_href, meeting_href
from gui.settings import Settings
from gui.tasks import SynchronousRunner
from minutes import seeds_dir
from minutes.library import Library
from minutes.related import TitleIndex, recurring_items, recurring_key, related_items, title_index
from tests.conftest import seed_path


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """The seeds and a later meeting (built from seed 002) adopting the 121st's draft plan."""
    folder = tmp_path_factory.mktemp("related") / "minutes"
    shutil.copytree(seeds_dir(), folder)
    text = seed_path("002").read_text("utf-8")
    later = text.replace("第121次", "第125次").replace("〔2020〕43号", "〔2021〕3号").replace("12月14日", "12月28日")
    later = later.replace("《2021年政府立法计划（草案）》", "《2021年政府立法计划》")
    (folder / "later.txt").write_text(later, "utf-8")
    return folder


def by_session(library: Library, session: int):
    return next(m for m in library.meetings if m.session == session)


def test_recurring_reports_share_a_key_without_their_period() -> None:
    a = recurring_key("听取1~7月全市经济运行情况和下一步重点工作的汇报")
    assert a == recurring_key("听取1～5月全市经济运行情况和下一步重点工作的汇报") is not None
    assert recurring_key("审议《苏州市电梯安全条例（草案）》") is None  # linked by its document
    assert recurring_key("审议深入排查解决突出民生问题有关事项") is None  # names no period


def test_the_title_index_finds_what_the_full_analysis_finds(folder: Path) -> None:
    library = Library.load([folder])
    index = TitleIndex(library.meetings)
    linked = related_items(library.meetings)  # from the parsed documents
    for refs in linked.values():
        for ref in refs:
            others = {(r.meeting, r.item) for r in refs if r.meeting != ref.meeting}
            assert {(r.meeting, r.item) for r in index.same_document(ref.meeting, ref.item)} == others
    m121, m125 = by_session(library, 121), by_session(library, 125)
    (later,) = index.same_document(m121.id, 1)
    assert (later.meeting, later.item) == (m125.id, 1)
    assert index.same_document(m121.id, 3) == []  # a 传达 item names no document
    # Seeds: the 101st's and 108th's 经济运行情况 reports are one recurring report.
    m101, m108 = by_session(library, 101), by_session(library, 108)
    assert [(r.meeting, r.item) for r in index.same_report(m108.id, 1)] == [(m101.id, 4)]
    groups = recurring_items(library.meetings)
    economy = [[(r.session, r.item) for r in refs] for key, refs in groups.items() if "经济运行情况" in key]
    assert economy == [[(101, 4), (108, 1)]]
    # The copied 125th repeats the 121st's items without a document, 全年 and 2020年 among them.
    assert [(r.session, r.item) for r in groups[recurring_key("听取全年主要经济指标预测分析及明年初步安排的汇报")]] == [
        (121, 8),
        (125, 8),
    ]
    assert title_index(library) is title_index(library)  # built once per library


def test_the_viewer_links_the_other_meeting(qtbot, folder: Path) -> None:
    win = MainWindow(Settings(folder.parent / "s.ini"), [folder], SynchronousRunner())
    qtbot.addWidget(win)
    library = win.library.library
    m121, m125 = by_session(library, 121), by_session(library, 125)
    page = render.meeting_html(m121)
    assert "相关议题" in page and meeting_href(m125.id, 1) in page
    assert "第125次常务会议（2020年12月28日）一、审议《2021年政府立法计划》" in re.sub(r"<[^>]+>", "", page)
    assert meeting_from_href(meeting_href(m125.id, 1)) == (m125.id, 1)
    assert "同类汇报" in render.meeting_html(by_session(library, 108))
    assert "相关议题" not in render.meeting_html(by_session(library, 128))
    assert win.select_meeting(m121.id)
    with qtbot.waitSignal(win.viewer.meetingActivated) as blocker:
        win.viewer.anchorClicked.emit(QUrl(meeting_href(m125.id, 1)))
    assert blocker.args == [m125.id, 1]
    assert win.viewer.meeting is m125
    win.close()


def test_the_ledger_shows_the_earlier_assignment_as_followed_up(qtbot, folder: Path) -> None:
    from PySide6.QtCore import Qt

    from gui.ledger_model import ROW_ROLE
    from gui.ledger_view import LedgerView
    from minutes.ledger import Ledger

    library = Library.load([folder])
    view = LedgerView(library, Ledger(), Settings(folder.parent / "l.ini"), SynchronousRunner())
    qtbot.addWidget(view)
    tips = {}
    for r in range(view.proxy.rowCount()):
        index = view.proxy.index(r, 0)
        row = index.data(ROW_ROLE)
        tips[(row.data["meeting"]["session"], row.data["item"], row.data["resolution"])] = index.data(
            Qt.ItemDataRole.ToolTipRole
        )
    assert "后续：第125次会议再次审议（2020年12月28日）" in tips[(121, 1, 1)]
    assert "后续" not in tips[(125, 1, 1)]  # the later meeting is not its own follow-up
    assert not any("后续" in tip for (session, _, _), tip in tips.items() if session == 128)


def test_a_large_library_shows_related_items_once_the_warm_up_built_them(qapp, folder: Path, monkeypatch) -> None:
    from gui import related_html

    monkeypatch.setattr(related_html, "BUILD_ON_SHOW", 3)  # this library (6 meetings) counts as large
    library = Library.load([folder])
    m121 = by_session(library, 121)
    assert related_html.related_section(m121) == ""  # not built on the UI thread
    assert title_index(library, build=False) is None
    title_index(library)  # what the background warm-up (LibraryController._settle) does
    assert "相关议题" in related_html.related_section(m121)
