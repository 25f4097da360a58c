"""The problems panel names the meeting or the folder, with reasons a user can read (#13 edge 12)."""

from __future__ import annotations

from pathlib import Path

from gui.problems_panel import ProblemsPanel
from minutes.library import Library, Problem
from tests.conftest import seed_text


def rows(panel: ProblemsPanel) -> list[list[str]]:
    items = [panel.list.topLevelItem(r) for r in range(panel.count())]
    return [[item.text(c) for c in range(panel.list.columnCount())] for item in items]


def test_parse_notes_name_the_meeting_and_problems_the_folder(qtbot, tmp_path: Path) -> None:
    folder = tmp_path / "会议纪要2020"
    folder.mkdir()
    hashed = folder / "003_50fd57965885d8ad.txt"
    # The seed without its 文号 and 主持 lines: read as meeting 108, with parse notes.
    text = seed_text("000").replace("〔2020〕27号", "").replace("李亚平市长主持召开", "召开")
    hashed.write_text(text, "utf-8")
    library = Library.load([folder])
    (path, warnings), *_ = library.parse_notes
    assert path == hashed and len(warnings) >= 2
    meeting = library.meetings[0]
    broken = folder / "9f8e7d6c5b4a.pdf"
    problems = [Problem(broken, "PdfStreamError: Stream has ended unexpectedly")]

    panel = ProblemsPanel()
    qtbot.addWidget(panel)
    panel.set_problems(problems, library.parse_notes, None, {hashed: meeting})
    (bad_name, bad_reason, bad_folder), (note_name, note_reason, note_folder) = rows(panel)
    # The note names the meeting, not the hash file name; the file is in the tooltip.
    assert note_name == "第108次常务会议 · 2020-08-17" and "50fd5796" not in note_name
    assert str(hashed) in panel.list.topLevelItem(1).toolTip(0)
    assert note_folder == bad_folder == "会议纪要2020"
    # Readable reasons: a library's error name never shows in the row; every note in the tooltip.
    assert bad_name == "9f8e7d6c5b4a.pdf"
    assert bad_reason == "无法读取：文件已损坏，或不是能读取的格式"
    assert "PdfStreamError" in panel.list.topLevelItem(0).toolTip(1)
    assert note_reason.startswith("解析提示：" + warnings[0])
    assert all(w in panel.list.topLevelItem(1).toolTip(1) for w in warnings)
    if len(warnings) > 2:
        assert note_reason.endswith(f"等 {len(warnings)} 条")


def test_without_meetings_the_file_name_is_shown(qtbot, tmp_path: Path) -> None:
    panel = ProblemsPanel()
    qtbot.addWidget(panel)
    panel.set_problems([], [(tmp_path / "x" / "poor.txt", ["未找到会议日期"])], None)
    assert rows(panel) == [["poor.txt", "解析提示：未找到会议日期", "x"]]


def test_a_hidden_panel_makes_its_rows_when_first_shown(qtbot, tmp_path: Path) -> None:
    """The window starts with the panel hidden: a large library's thousands of parse notes must
    not cost the start a row each. Shown (or asked for its rows), it lists them all, with the
    open button enabled from the start."""
    panel = ProblemsPanel()
    qtbot.addWidget(panel)
    notes = [(tmp_path / "x" / f"{i}.txt", ["未找到会议日期"]) for i in range(300)]
    panel.set_problems([Problem(tmp_path / "bad.pdf", "damaged")], notes, None)
    assert panel._list.topLevelItemCount() == 0  # nothing made while hidden
    assert panel.open_button.isEnabled()
    panel.show()
    qtbot.waitUntil(lambda: panel._list.topLevelItemCount() == 301)
    assert rows(panel)[300] == ["299.txt", "解析提示：未找到会议日期", "x"]
    # Given again while shown, the rows follow at once.
    panel.set_problems([], notes[:2], None)
    assert panel._list.topLevelItemCount() == 2
    panel.set_problems([], [], None)
    assert panel.count() == 0 and not panel.open_button.isEnabled()
