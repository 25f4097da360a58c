"""The reader window, offscreen: selection, filters, search, safety, settings."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QUrl

from gui import render
from gui.filter_panel import NAME_ROLE
from gui.main_window import MainWindow
from gui.settings import Settings
from gui.tasks import SynchronousRunner, ThreadPoolRunner
from gui.tree_model import MeetingTreeModel, NodeKind, Roles
from minutes import seeds_dir
from minutes.library import FilterSpec, Library, RoleFilter
from tests.conftest import seed_text
from tests.window_fixtures import visible_topics


def visible_sessions(win: MainWindow) -> set[int]:
    return {session for session, _ in visible_topics(win)}


def test_tree_model_passes_the_model_tester(qtmodeltester) -> None:
    model = MeetingTreeModel()
    model.set_library(Library.load([seeds_dir()]))
    qtmodeltester.check(model)


def test_filter_proxy_passes_the_model_tester(qtmodeltester, window: MainWindow) -> None:
    window.proxy.set_spec(FilterSpec(text="湖"))
    qtmodeltester.check(window.proxy)


def test_tree_is_year_meeting_item_newest_first(window: MainWindow) -> None:
    proxy = window.proxy
    assert [proxy.index(r, 0).data() for r in range(proxy.rowCount())] == ["2021年", "2020年"]
    year_2020 = proxy.index(1, 0)
    labels = [proxy.index(r, 0, year_2020).data() for r in range(proxy.rowCount(year_2020))]
    assert labels == [
        "第121次 · 12月14日 · 〔2020〕43号",  # short form under the year (#13 edge 8)
        "第109–120次 · 未收录（12 次）",  # missing meetings where they belong (#14)
        "〔2020〕28–42号 · 未收录（15 件）",
        "第108次 · 8月17日 · 〔2020〕27号",
        "第102–107次 · 未收录（6 次）",
        "〔2020〕18–26号 · 未收录（9 件）",
        "第101次 · 6月15日",
        "第100次 · 未收录",
        "第99次 · 6月2日 · 〔2020〕17号",
    ]
    meeting_108 = proxy.index(3, 0, year_2020)
    item_3 = proxy.index(2, 0, meeting_108)
    assert item_3.data() == "三、审议《苏州市传统建筑和古建筑保护更新与修缮利用工程实施意见》"
    assert item_3.data(Roles.KIND) == NodeKind.TOPIC
    assert window.count_label.text() == "显示 35 / 35 个议题"


def test_newest_meeting_is_shown_first(window: MainWindow) -> None:
    assert window.viewer.meeting is not None and window.viewer.meeting.minutes.session == 128
    assert "第128次常务会议" in window.viewer.plain_text()


def test_selecting_each_meeting_shows_its_items(window: MainWindow) -> None:
    for meeting in window.model.library.meetings:
        assert window.select_meeting(meeting.id)
        text = window.viewer.plain_text()
        assert meeting.minutes.title in text
        for topic in meeting.minutes.topics:
            assert f"{topic.label}{topic.title}" in text
            for resolution in topic.resolutions:
                assert resolution.text in text


def test_selecting_an_item_scrolls_to_and_marks_it(window: MainWindow) -> None:
    meeting = next(m for m in window.model.library.meetings if m.minutes.session == 99)
    window.viewer.verticalScrollBar().setValue(0)
    assert window.select_meeting(meeting.id, 9)
    assert window.viewer.verticalScrollBar().value() > 0
    assert 'class="current"' in render.meeting_html(meeting, 9)


def test_filter_by_department_as_lead(window: MainWindow) -> None:
    window.state.set(FilterSpec(departments=frozenset({"市住建局"}), role=RoleFilter.LEAD))
    assert visible_topics(window) == {(108, 3), (121, 4)}
    assert window.count_label.text() == "显示 2 / 35 个议题"
    assert window.filter_bar.isVisible()
    assert "市住建局（牵头）" in window.filter_bar.summary.text()


def test_filter_by_dates(window: MainWindow) -> None:
    window.state.set(FilterSpec(date_from=dt.date(2020, 6, 1), date_to=dt.date(2020, 6, 30)))
    assert visible_sessions(window) == {99, 101}


def test_year_preset(window: MainWindow) -> None:
    panel = window.filters
    panel.preset.setCurrentIndex(panel.preset.findData("year-2021"))
    assert visible_sessions(window) == {128}
    panel.preset.setCurrentIndex(panel.preset.findData("all"))
    assert len(visible_topics(window)) == 35


def test_filter_by_kind(window: MainWindow) -> None:
    window.filters.kind_boxes["传达"].setChecked(True)
    assert visible_topics(window) == {(99, 8), (121, 3)}


def test_search_finds_seeds_000_and_003(window: MainWindow, qtbot) -> None:
    window.filters.search.setText("姑苏实验室")
    assert visible_sessions(window) == {108, 101}
    assert window.viewer.hit_count() > 0


def test_single_character_search(window: MainWindow) -> None:
    window.filters.search.setText("湖")
    library = window.model.library
    expected = {
        (ref.meeting.minutes.session, ref.topic.number)
        for ref in library.topics()
        if "湖" in ref.topic.title or any("湖" in r.text for r in ref.topic.resolutions)
    }
    assert expected and visible_topics(window) == expected
    window.select_meeting(next(m.id for m in library.meetings if m.minutes.session == 128))
    hits = window.viewer.hit_count()
    assert hits > 0
    assert window.viewer.find_next()
    first = window.viewer.textCursor().selectedText()
    assert first == "湖"
    start = window.viewer.textCursor().selectionStart()
    window.viewer.find_next()
    assert window.viewer.textCursor().selectionStart() != start or hits == 1


def test_no_result_says_how_to_clear(window: MainWindow) -> None:
    window.filters.search.setText("这句话不会出现在任何纪要里")
    assert window.proxy.rowCount() == 0
    assert "没有符合筛选条件的议题" in window.viewer.plain_text()
    window.act.clear_action.trigger()
    assert len(visible_topics(window)) == 35
    assert not window.filter_bar.isVisible()


def test_department_link_filters(window: MainWindow) -> None:
    window.viewer.anchorClicked.emit(QUrl(render.dept_href("市市场监管局")))
    assert window.proxy.spec.departments == frozenset({"市市场监管局"})
    assert (128, 5) in visible_topics(window)
    assert window.filters.selected_departments() == {"市市场监管局"}


def test_department_counts_follow_the_role(window: MainWindow) -> None:
    counts = window.model.library.department_counts(RoleFilter.LEAD)
    assert counts["市住建局"] == 2 and counts["市发改委"] >= 3
    window.filters.role.setCurrentIndex(window.filters.role.findData("lead"))
    labels = {item.data(NAME_ROLE): item.text() for item in window.filters.department_items()}
    assert labels["市住建局"] == "市住建局  2"


def test_markup_in_a_document_is_shown_as_text(qtbot, tmp_path: Path, settings: Settings) -> None:
    folder = tmp_path / "lib"
    folder.mkdir()
    evil = seed_text("000").replace(
        "（三）各地各部门要按照“一盘棋、一张网”原则",
        '（三）<a href="file:///etc/passwd">点我</a><img src="x.png"><script>alert(1)</script>各地各部门要按照“一盘棋、一张网”原则',
    )
    (folder / "evil.txt").write_text(evil, "utf-8")
    win = MainWindow(settings, [folder], SynchronousRunner())
    qtbot.addWidget(win)
    text = win.viewer.plain_text()
    assert '<a href="file:///etc/passwd">点我</a><img src="x.png"><script>alert(1)</script>' in text
    hrefs, images = document_links(win.viewer.document())
    assert hrefs and all(href.startswith("dept:") for href in hrefs)
    assert images == 0
    with qtbot.assertNotEmitted(win.viewer.departmentActivated):
        win.viewer.anchorClicked.emit(QUrl("file:///etc/passwd"))
    assert win.viewer.source().isEmpty()  # the browser never navigated anywhere


def document_links(doc) -> tuple[list[str], int]:
    hrefs, images = [], 0
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fmt = it.fragment().charFormat()
            if fmt.isAnchor() and fmt.anchorHref():
                hrefs.append(fmt.anchorHref())
            images += fmt.isImageFormat()
            it += 1
        block = block.next()
    return hrefs, images


def test_source_view_shows_the_file_exactly(window: MainWindow) -> None:
    window.act.source_action.trigger()
    assert window.viewer.source_mode
    meeting = window.viewer.meeting
    assert window.viewer.plain_text() == meeting.source.text.replace("\r\n", "\n")
    window.act.source_action.trigger()
    assert not window.viewer.source_mode


def test_empty_library_says_what_to_do(qtbot, settings: Settings) -> None:
    win = MainWindow(settings, [], SynchronousRunner())
    qtbot.addWidget(win)
    assert "资料库中还没有纪要" in win.viewer.plain_text()
    assert "添加文件夹" in win.viewer.plain_text()


def test_unreadable_files_are_listed_and_the_rest_opens(qtbot, tmp_path: Path, settings: Settings) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "good.txt").write_text(seed_text("001"), "gbk")
    (folder / "broken.txt").write_bytes(bytes(range(256)) * 50)
    win = MainWindow(settings, [folder], SynchronousRunner())
    qtbot.addWidget(win)
    library = win.model.library
    assert [m.minutes.session for m in library.meetings] == [99]
    assert [p.path.name for p in library.problems] == ["broken.txt"]
    assert not win.status.problems_button.isHidden()
    assert "1 个文件无法读取" in win.status.problems_button.text()


def test_loading_runs_on_the_thread_pool(qtbot, settings: Settings) -> None:
    runner = ThreadPoolRunner()
    win = MainWindow(settings, [seeds_dir()], runner)
    qtbot.addWidget(win)
    qtbot.waitUntil(lambda: len(win.model.library.meetings) == 5, timeout=10000)
    assert win.viewer.meeting is not None
    assert win.status.progress.isHidden()


def test_settings_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "s.ini"
    s = Settings(path)
    s.zoom = 130
    s.last_meeting = "/x/y.txt"
    s.splitter_sizes = [300, 800, 280]
    s.filter_departments = ["市住建局"]
    s.filter_role = "lead"
    s.filter_from, s.filter_to = dt.date(2020, 6, 1), dt.date(2020, 6, 30)
    s.filter_kinds = ["审议"]
    s.filter_text = "湖"
    s.library_folders = ["/data/minutes"]
    s.show_source = True
    s.sync()
    t = Settings(path)
    assert (t.zoom, t.last_meeting, t.splitter_sizes) == (130, "/x/y.txt", [300, 800, 280])
    assert (t.filter_departments, t.filter_role, t.filter_kinds, t.filter_text) == (
        ["市住建局"],
        "lead",
        ["审议"],
        "湖",
    )
    assert (t.filter_from, t.filter_to) == (dt.date(2020, 6, 1), dt.date(2020, 6, 30))
    assert t.library_folders == ["/data/minutes"] and t.show_source is True
    fresh = Settings(tmp_path / "new.ini")
    assert (fresh.zoom, fresh.filter_role, fresh.filter_departments, fresh.filter_from) == (100, "any", [], None)


def test_window_remembers_zoom_filters_and_meeting(qtbot, settings: Settings) -> None:
    win = MainWindow(settings, [seeds_dir()], SynchronousRunner())
    qtbot.addWidget(win)
    win.act.zoom_in_action.trigger()
    win.act.zoom_in_action.trigger()
    meeting_101 = next(m for m in win.model.library.meetings if m.minutes.session == 101)
    win.select_meeting(meeting_101.id)
    win.state.set(FilterSpec(departments=frozenset({"市科技局"}), role=RoleFilter.LEAD))
    win.close()
    again = MainWindow(settings, [seeds_dir()], SynchronousRunner())
    qtbot.addWidget(again)
    assert again.viewer.zoom == 120
    assert again.proxy.spec == FilterSpec(departments=frozenset({"市科技局"}), role=RoleFilter.LEAD)
    assert again.viewer.meeting.minutes.session == 101


def test_tree_check_boxes_select_items_for_export(window: MainWindow, qtmodeltester, tmp_path: Path) -> None:
    from PySide6.QtCore import Qt

    from gui.export_dialog import Scope
    from gui.pdf_export import ExportOptions

    model = window.model
    meeting = next(m for m in model.library.meetings if m.minutes.session == 99)
    topic_index = model.topic_index(meeting.id, 9)
    assert model.setData(topic_index, Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)
    meeting_index = model.meeting_index(meeting.id)
    assert Qt.CheckState(meeting_index.data(Qt.ItemDataRole.CheckStateRole)) == Qt.CheckState.PartiallyChecked
    other = next(m for m in model.library.meetings if m.minutes.session == 101)
    model.setData(model.meeting_index(other.id), Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)
    assert Qt.CheckState(model.meeting_index(other.id).data(Qt.ItemDataRole.CheckStateRole)) == Qt.CheckState.Checked
    assert model.checked_topics() == {(meeting.id, 9)} | {(other.id, n) for n in (1, 2, 3, 4)}
    qtmodeltester.check(model)

    selection = window.export.selection_for(Scope.CHECKED)
    assert [(p.meeting.minutes.session, [t.number for t in p.topics]) for p in selection.parts] == [
        (99, [9]),
        (101, [1, 2, 3, 4]),
    ]
    out = tmp_path / "checked.pdf"
    window.export.export_to(out, selection, ExportOptions())
    assert out.is_file() and out.read_bytes().startswith(b"%PDF")
    assert "已导出" in window.statusBar().currentMessage()
    csv_out = tmp_path / "checked.csv"
    window.export.export_to(csv_out, selection, ExportOptions(layout="table"))
    assert csv_out.read_text("utf-8-sig").count("第101次常务会议") == 12

    window.act.clear_checks_action.trigger()
    assert model.checked_topics() == set()


def test_export_dialog_offers_what_exists(window: MainWindow, qtbot) -> None:
    from gui.export_dialog import ExportDialog, Scope

    dialog = ExportDialog(
        window, for_print=False, current="第128次常务会议", filter_topics=35, filter_active=False,
        checked_topics=0, scope=Scope.CHECKED,
    )  # fmt: skip
    qtbot.addWidget(dialog)
    assert dialog.scope() is Scope.CURRENT  # nothing ticked: falls back to the meeting in view
    assert not dialog.scope_button(Scope.CHECKED).isEnabled()
    dialog.table.setChecked(True)
    assert dialog.options().layout == "table" and not dialog.attendance.isEnabled()


def test_export_runs_on_the_thread_pool(qtbot, settings: Settings, tmp_path: Path) -> None:
    from gui.pdf_export import ExportOptions
    from minutes.report import select_by_spec

    win = MainWindow(settings, [seeds_dir()], ThreadPoolRunner())
    qtbot.addWidget(win)
    qtbot.waitUntil(lambda: len(win.model.library.meetings) == 5, timeout=10000)
    (tmp_path / "out").mkdir()
    out = tmp_path / "out" / "threaded.pdf"
    win.export.export_to(out, select_by_spec(win.model.library, FilterSpec()), ExportOptions(layout="table"))
    qtbot.waitUntil(lambda: out.is_file() and not win.export.is_busy, timeout=20000)
    assert out.read_bytes().startswith(b"%PDF")
    assert [p.name for p in out.parent.iterdir()] == ["threaded.pdf"]  # no temporary file left


def test_print_preview_paints_the_export_layout(window: MainWindow, monkeypatch, tmp_path: Path) -> None:
    from pypdf import PdfReader
    from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog

    from gui.pdf_export import ExportOptions
    from minutes.report import select_meeting

    painted: list[int] = []

    def fake_exec(dialog: QPrintPreviewDialog) -> int:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(tmp_path / "preview.pdf"))
        dialog.paintRequested.emit(printer)
        del printer
        painted.append(1)
        return 0

    monkeypatch.setattr(QPrintPreviewDialog, "exec", fake_exec)
    window.export.print_preview(select_meeting(window.viewer.meeting), ExportOptions())
    assert painted
    text = "".join(page.extract_text() for page in PdfReader(tmp_path / "preview.pdf").pages)
    assert "第128次常务会议" in text


def _seed_variant(key: str, session: int) -> str:
    import re

    text = re.sub(r"第\s*(\d+)\s*次", f"第{session}次", seed_text(key), count=1)
    return re.sub(r"〔(\d{4})〕(\d+)号", lambda m: f"〔{m.group(1)}〕{session}号", text, count=1)


def test_add_files_folders_and_drop(window: MainWindow, tmp_path: Path) -> None:
    from PySide6.QtCore import QMimeData, QPoint, Qt
    from PySide6.QtGui import QDropEvent

    folder = tmp_path / "more"
    folder.mkdir()
    (folder / "a.txt").write_text(_seed_variant("000", 700), "gb18030")
    single = tmp_path / "b.txt"
    single.write_text(_seed_variant("001", 701), "utf-8")
    assert window.library.add_paths([folder, tmp_path / "notes.xlsx"]) == 1
    assert {m.session for m in window.model.library.meetings} >= {700}
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(single))])
    drop = QDropEvent(
        QPoint(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    window.dropEvent(drop)
    assert {m.session for m in window.model.library.meetings} >= {700, 701}
    assert str(folder.resolve()) in window.settings.library_folders


def test_watched_folder_picks_up_new_files(qtbot, settings: Settings, tmp_path: Path) -> None:
    folder = tmp_path / "watched"
    folder.mkdir()
    win = MainWindow(settings, [folder], SynchronousRunner())
    qtbot.addWidget(win)
    assert win.model.library.meetings == []
    # Walking the folders waits until the window has had its turn to paint.
    assert str(folder) not in win.library.watcher.directories()
    qtbot.waitUntil(lambda: str(folder) in win.library.watcher.directories())
    (folder / "new.txt").write_text(seed_text("002"), "utf-8")
    qtbot.waitUntil(lambda: len(win.model.library.meetings) == 1, timeout=10000)
    (folder / "new.txt").write_text(seed_text("002").replace("第121次", "第122次"), "utf-8")
    qtbot.waitUntil(lambda: [m.session for m in win.model.library.meetings] == [122], timeout=10000)


def test_problems_listed_while_the_window_stays_responsive(qtbot, settings: Settings, tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "ok.txt").write_text(seed_text("002"), "utf-8")
    (folder / "junk.txt").write_bytes(bytes(range(256)) * 64)
    with (folder / "huge.txt").open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    (folder / "poor.txt").write_text("会议纪要\n这一行不属于任何部分。\n", "utf-8")
    win = MainWindow(settings, [folder], ThreadPoolRunner())
    qtbot.addWidget(win)
    assert win.library.is_loading  # the import runs on the pool; the window is already up
    assert not win.status.progress.isHidden()
    qtbot.waitUntil(lambda: not win.library.is_loading, timeout=20000)
    # A file that reads but parses poorly is kept as a meeting and listed with its warnings.
    assert sorted(m.session or 0 for m in win.model.library.meetings) == [0, 121]
    rows = {
        win.problems.list.topLevelItem(i).text(0): win.problems.list.topLevelItem(i).text(1)
        for i in range(win.problems.count())
    }
    assert set(rows) == {"junk.txt", "huge.txt", "poor.txt"}
    assert rows["huge.txt"].startswith("无法读取：文件过大") and rows["poor.txt"].startswith("解析提示：")
    assert win.problems.open_button.isEnabled()


def test_persistent_catalogue_across_restarts(qtbot, settings: Settings, tmp_path: Path, monkeypatch) -> None:
    from minutes import catalogue as catalogue_module

    db = tmp_path / "catalogue.sqlite3"
    first = MainWindow(settings, [seeds_dir()], SynchronousRunner(), catalogue=db)
    qtbot.addWidget(first)
    assert len(first.model.library.meetings) == 5
    first.close()
    reads = []
    monkeypatch.setattr(catalogue_module, "read_document", lambda path: reads.append(path))
    second = MainWindow(settings, [seeds_dir()], SynchronousRunner(), catalogue=db)
    qtbot.addWidget(second)
    assert reads == [] and len(second.model.library.meetings) == 5
    assert "第128次常务会议" in second.viewer.plain_text()
    assert "来源文件" in second.viewer.plain_text()


def test_export_builds_its_selection_in_the_job(window: MainWindow, tmp_path: Path) -> None:
    """Choosing what to export loads meetings' full texts: that must happen in the job."""
    from gui.export_dialog import Scope
    from gui.pdf_export import ExportOptions

    class QueueRunner:
        def __init__(self) -> None:
            self.jobs = []

        def start(self, job) -> None:
            self.jobs.append(job)

    built = []
    recipe = window.export.selection_recipe(Scope.FILTER)
    queue = QueueRunner()
    window.export.runner = queue
    window.export.export_to(tmp_path / "all.csv", lambda: built.append(1) or recipe(), ExportOptions(layout="table"))
    assert built == [] and len(queue.jobs) == 1  # the UI thread only queued the work
    queue.jobs[0].run()
    assert built == [1]
    rows = sum(len(t.resolutions) for m in window.model.library.meetings for t in m.minutes.topics)
    assert (tmp_path / "all.csv").read_text("utf-8-sig").count("\n") == rows + 1
    assert f"已导出 {rows} 条议定意见" in window.statusBar().currentMessage()


def test_text_keeps_its_margin_at_any_width(window: MainWindow) -> None:
    viewer = window.viewer
    base = viewer.document().documentMargin()
    for width in (700, 1366, 1920, 2560):
        viewer.resize(width // 2, 700)
        viewer._fit_measure()
        fmt = viewer.document().rootFrame().frameFormat()
        assert fmt.leftMargin() >= base and fmt.rightMargin() >= base, width
