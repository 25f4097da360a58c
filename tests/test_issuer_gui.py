"""#10 in the window: the issuer in the viewer's masthead, the note on a news report, a
traditional document as written, the issuer filter in the panel and the settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from gui import render
from gui.main_window import MainWindow
from gui.settings import Settings
from gui.tasks import SynchronousRunner
from minutes import seeds_dir
from minutes.filters import UNKNOWN_ISSUER, FilterSpec
from minutes.library import Library
from minutes.model import REPORT
from tests import mixed_library
from tests.test_gui import visible_sessions

COUNTY, DISTRICT = mixed_library.COUNTY[0], mixed_library.DISTRICT[0]
NOTE = "本文为会议新闻报道，不是会议纪要原文"


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return mixed_library.build(tmp_path_factory.mktemp("mixed"))


@pytest.fixture
def window(qtbot, tmp_path: Path, folder: Path) -> MainWindow:
    win = MainWindow(Settings(tmp_path / "settings.ini"), [folder], SynchronousRunner())
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    return win


def _meeting(win: MainWindow, issuer: str | None, genre: str | None = None):
    return next(m for m in win.model.library.meetings if m.issuer == issuer and (genre is None or m.genre == genre))


def test_the_masthead_names_the_issuer(window: MainWindow) -> None:
    window.select_meeting(_meeting(window, COUNTY).id)
    text = window.viewer.plain_text()
    assert text.startswith("张家港市人民政府常务会议纪要") and NOTE not in text
    window.select_meeting(_meeting(window, "苏州市人民政府").id)
    assert window.viewer.plain_text().startswith("苏州市人民政府常务会议纪要")


def test_a_traditional_document_shows_as_written(window: MainWindow) -> None:
    window.select_meeting(_meeting(window, DISTRICT).id)
    text = window.viewer.plain_text()
    assert text.startswith("姑蘇區人民政府常務會議紀要")
    assert "區司法局" in text and "区司法局" not in text


def test_a_news_report_says_so(window: MainWindow) -> None:
    window.select_meeting(_meeting(window, None, REPORT).id)
    text = window.viewer.plain_text()
    assert text.splitlines()[0] == "常务会议报道" and NOTE in text
    assert '<p class="note"' in render.meeting_html(_meeting(window, None, REPORT))


def test_issuer_filter_in_the_panel(window: MainWindow) -> None:
    panel = window.filters
    assert not panel.issuers_box.isHidden()
    assert list(panel.issuer_boxes) == ["苏州市人民政府", DISTRICT, COUNTY, UNKNOWN_ISSUER]
    assert panel.issuer_boxes[COUNTY].text() == f"{COUNTY}  1"
    panel.issuer_boxes[COUNTY].setChecked(True)
    assert window.state.spec.issuers == {COUNTY}
    assert visible_sessions(window) == {108}
    assert {m.issuer for m in window.model.library.meetings if m.id in window.proxy.shown_meetings()} == {COUNTY}
    assert "张家港" in window.filter_bar.summary.text()
    window.state.clear()
    assert not panel.issuer_boxes[COUNTY].isChecked()
    window.state.set(FilterSpec(issuers=frozenset({DISTRICT})))
    assert panel.issuer_boxes[DISTRICT].isChecked() and visible_sessions(window) == {121}


def test_no_issuer_filter_for_one_issuer(qtbot, tmp_path: Path) -> None:
    win = MainWindow(Settings(tmp_path / "settings.ini"), [seeds_dir()], SynchronousRunner())
    qtbot.addWidget(win)
    assert win.filters.issuers_box.isHidden()
    assert list(win.filters.issuer_boxes) == ["苏州市人民政府"]


def test_the_issuer_filter_is_remembered(qtbot, tmp_path: Path, folder: Path) -> None:
    settings = Settings(tmp_path / "settings.ini")
    win = MainWindow(settings, [folder], SynchronousRunner())
    qtbot.addWidget(win)
    win.state.set(FilterSpec(issuers=frozenset({COUNTY, DISTRICT})))
    win.close()
    assert Settings(tmp_path / "settings.ini").filter_issuers == sorted([COUNTY, DISTRICT])
    again = MainWindow(settings, [folder], SynchronousRunner())
    qtbot.addWidget(again)
    assert again.proxy.spec == FilterSpec(issuers=frozenset({COUNTY, DISTRICT}))
    assert again.filters.selected_issuers() == {COUNTY, DISTRICT}
    assert visible_sessions(again) == {108, 121}


def test_masthead_as_written() -> None:
    assert render.as_written("姑苏区人民政府", "關於姑蘇區人民政府的") == "姑蘇區人民政府"
    assert render.as_written("苏州市人民政府", "其他文字") == "苏州市人民政府"


def test_library_fixture_is_mixed(folder: Path) -> None:
    assert len(Library.load([folder]).issuers()) == 4


def test_hits_are_marked_in_either_script(window: MainWindow) -> None:
    window.select_meeting(_meeting(window, DISTRICT).id)
    window.state.update(text="区司法局")
    hits = {s.cursor.selectedText() for s in window.viewer.extraSelections()}
    assert window.viewer.hit_count() > 0 and hits == {"區司法局"}
    window.state.clear()
    window.select_meeting(_meeting(window, COUNTY).id)
    window.viewer.set_query("會議議定")
    assert window.viewer.hit_count() == 1
    assert {s.cursor.selectedText() for s in window.viewer.extraSelections()} == {"会议议定"}


def test_a_traditional_title_is_as_written(window: MainWindow) -> None:
    window.select_meeting(_meeting(window, DISTRICT).id)
    assert "\n第121次常務會議\n" in window.viewer.plain_text()


def test_the_pdf_export_heads_each_meeting_with_its_issuer(qapp, folder: Path, tmp_path: Path) -> None:
    from pypdf import PdfReader

    from gui.pdf_export import ExportOptions, write_pdf
    from minutes.report import select_by_spec

    library = Library.load([folder])
    path = tmp_path / "county.pdf"
    write_pdf(select_by_spec(library, FilterSpec(issuers=frozenset({COUNTY}))), ExportOptions(), path)
    text = "".join(page.extract_text() for page in PdfReader(path).pages)  # pdftotext is not on Windows
    assert "张家港市人民政府常务会议纪要" in text.replace(" ", "")  # the cover's title is report.py's still
