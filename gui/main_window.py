"""The reader window: meeting tree (left), document (center), filters (right)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QFileSystemWatcher, QItemSelectionModel, QModelIndex, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QProgressDialog,
    QPushButton,
    QSplitter,
    QStyle,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

import minutes
from gui import render
from gui.filter_panel import FilterPanel
from gui.filter_proxy import MeetingFilterProxy
from gui.problems_panel import ProblemsPanel
from gui.settings import Settings
from gui.tasks import Job, Runner, ThreadPoolRunner
from gui.tree_model import MeetingTreeModel, NodeKind, Roles
from gui.viewer import MeetingView
from minutes.library import SUFFIXES, FilterSpec, Library, RoleFilter

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent

    from gui.pdf_export import ExportOptions
    from minutes.report import Selection


class MainWindow(QMainWindow):
    def __init__(
        self,
        settings: Settings,
        folders: list[Path],
        runner: Runner | None = None,
        parent: QWidget | None = None,
        catalogue: Path | None = None,
    ) -> None:
        """folders: always in the library (the bundled seeds); the user adds more, kept in
        settings. catalogue: the persistent catalogue's path; None keeps it in memory."""
        super().__init__(parent)
        self.settings = settings
        self._base_folders = list(folders)
        self._catalogue_path = catalogue
        self._runner = runner or ThreadPoolRunner()
        self._job: Job | None = None
        self._export_job: Job | None = None
        self._background: list[Job] = []
        self._restoring = False
        self.setWindowTitle(self.tr("纪要阅读器"))
        self.setMinimumSize(900, 560)

        self.model = MeetingTreeModel(self)
        self.proxy = MeetingFilterProxy(self)
        self.proxy.setSourceModel(self.model)

        self.tree = QTreeView()
        self.tree.setModel(self.proxy)
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.tree.setAccessibleName(self.tr("会议列表"))
        self.tree.selectionModel().currentChanged.connect(self._on_current_changed)
        self.count_label = QLabel()
        self.count_label.setObjectName("countLabel")
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(6, 6, 0, 6)
        left_layout.addWidget(self.count_label)
        left_layout.addWidget(self.tree, 1)

        self.viewer = MeetingView()
        self.viewer.departmentActivated.connect(self.filter_by_department)
        self.viewer.hitsChanged.connect(self._update_status)
        self.filter_summary = QLabel()
        self.filter_summary.setObjectName("filterSummary")
        self.filter_summary.setWordWrap(True)
        self.filter_summary.setTextFormat(Qt.TextFormat.PlainText)
        self.clear_filters_button = QPushButton(self.tr("清除筛选"))
        self.clear_filters_button.clicked.connect(self.clear_filters)
        self.filter_bar = QWidget()
        self.filter_bar.setObjectName("filterBar")
        bar = QHBoxLayout(self.filter_bar)
        bar.setContentsMargins(8, 4, 8, 4)
        bar.addWidget(self.filter_summary, 1)
        bar.addWidget(self.clear_filters_button)
        center = QWidget()
        center_layout = QVBoxLayout(center)
        center_layout.setContentsMargins(0, 6, 0, 6)
        center_layout.addWidget(self.filter_bar)
        center_layout.addWidget(self.viewer, 1)

        self.filters = FilterPanel()
        self.filters.specChanged.connect(self._on_spec_changed)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(center)
        self.splitter.addWidget(self.filters)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setStretchFactor(2, 0)
        self.splitter.setCollapsible(1, False)
        self.setCentralWidget(self.splitter)

        self.progress = QProgressBar()
        self.progress.setMaximumWidth(200)
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.problems_button = QToolButton()
        self.problems_button.setAutoRaise(True)
        self.problems_button.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning))
        self.problems_button.clicked.connect(self.show_problems)
        self.problems_button.hide()
        self.status_label = QLabel()
        self.statusBar().addWidget(self.status_label, 1)
        self.statusBar().addPermanentWidget(self.problems_button)
        self.statusBar().addPermanentWidget(self.progress)

        self.problems = ProblemsPanel(self)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.problems)
        self.problems.hide()
        self.watcher = QFileSystemWatcher(self)
        self.watcher.directoryChanged.connect(self._schedule_refresh)
        self.watcher.fileChanged.connect(self._schedule_refresh)
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(700)  # a copy of many files arrives as one refresh
        self._refresh_timer.timeout.connect(self.reload)
        self._rescan_timer = QTimer(self)
        self._rescan_timer.timeout.connect(self.reload)  # cheap: unchanged files are only stat()ed
        # Work a new library needs but the window does not, run once the window has painted
        # (a zero timer fires after the paint events already queued).
        self._settle_timer = QTimer(self)
        self._settle_timer.setSingleShot(True)
        self._settle_timer.setInterval(0)
        self._settle_timer.timeout.connect(self._settle)
        self.setAcceptDrops(True)

        self._create_actions()
        self._restore_window()
        self.proxy.filterChanged.connect(self._on_filter_applied)
        existing = catalogue is not None and catalogue.exists()
        self.reload(quick=existing)

    # -- actions ---------------------------------------------------------------------------
    def _action(self, text: str, slot, shortcut=None, icon=None, checkable=False) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcuts(shortcut if isinstance(shortcut, list) else [QKeySequence(shortcut)])
        if icon is not None:
            action.setIcon(self.style().standardIcon(icon))
        action.setCheckable(checkable)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _create_actions(self) -> None:
        sp = QStyle.StandardPixmap
        self.add_folder_action = self._action(
            self.tr("添加文件夹…"), self.add_folder, QKeySequence.StandardKey.Open, sp.SP_DirOpenIcon
        )
        self.add_files_action = self._action(self.tr("添加文件…"), self.add_files, "Ctrl+Shift+O", sp.SP_FileIcon)
        self.problems_action = self.problems.toggleViewAction()
        self.problems_action.setText(self.tr("问题列表"))
        self.reload_action = self._action(
            self.tr("重新载入"), self.reload, QKeySequence.StandardKey.Refresh, sp.SP_BrowserReload
        )
        self.quit_action = self._action(self.tr("退出"), self.close, QKeySequence.StandardKey.Quit)
        self.zoom_in_action = self._action(
            self.tr("放大"),
            lambda: self.set_zoom(self.viewer.zoom + 10),
            [QKeySequence("Ctrl+="), QKeySequence("Ctrl++")],
        )
        self.zoom_out_action = self._action(self.tr("缩小"), lambda: self.set_zoom(self.viewer.zoom - 10), "Ctrl+-")
        self.zoom_reset_action = self._action(self.tr("原始大小"), lambda: self.set_zoom(100), "Ctrl+0")
        self.source_action = self._action(self.tr("显示原文"), self.set_source_mode, "Ctrl+U", checkable=True)
        self.source_action.setToolTip(self.tr("显示文件原文，便于核对解析结果（Ctrl+U）"))
        self.panel_action = self._action(self.tr("筛选面板"), self.filters.setVisible, "F9", checkable=True)
        self.panel_action.setChecked(True)
        self.find_action = self._action(self.tr("搜索…"), self.focus_search, QKeySequence.StandardKey.Find)
        self.next_action = self._action(
            self.tr("下一个匹配"), lambda: self.viewer.find_next(), QKeySequence.StandardKey.FindNext
        )
        self.prev_action = self._action(
            self.tr("上一个匹配"), lambda: self.viewer.find_next(backward=True), QKeySequence.StandardKey.FindPrevious
        )
        self.clear_action = self._action(
            self.tr("清除全部筛选"), self.clear_filters, "Ctrl+Shift+X", sp.SP_DialogResetButton
        )
        self.about_action = self._action(self.tr("关于纪要阅读器"), self.show_about)
        self.export_action = self._action(
            self.tr("导出 PDF…"), lambda: self.open_export_dialog(), "Ctrl+E", sp.SP_DialogSaveButton
        )
        self.export_filter_action = self._action(
            self.tr("导出当前筛选结果…"), lambda: self.open_export_dialog("filter")
        )
        self.print_action = self._action(
            self.tr("打印…"), lambda: self.open_export_dialog(for_print=True), QKeySequence.StandardKey.Print
        )
        self.clear_checks_action = self._action(self.tr("取消全部勾选"), self.model.clear_checks)

        menu = self.menuBar()
        file_menu = menu.addMenu(self.tr("文件(&F)"))
        file_menu.addActions([self.add_files_action, self.add_folder_action, self.reload_action])
        file_menu.addSeparator()
        file_menu.addActions([self.export_action, self.export_filter_action, self.print_action])
        file_menu.addAction(self.clear_checks_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        view_menu = menu.addMenu(self.tr("查看(&V)"))
        view_menu.addActions([self.zoom_in_action, self.zoom_out_action, self.zoom_reset_action])
        view_menu.addSeparator()
        view_menu.addActions([self.source_action, self.panel_action, self.problems_action])
        find_menu = menu.addMenu(self.tr("查找(&S)"))
        find_menu.addActions([self.find_action, self.next_action, self.prev_action])
        find_menu.addSeparator()
        find_menu.addAction(self.clear_action)
        help_menu = menu.addMenu(self.tr("帮助(&H)"))
        help_menu.addAction(self.about_action)

        toolbar = self.addToolBar(self.tr("工具栏"))
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar.addAction(self.add_files_action)
        toolbar.addAction(self.add_folder_action)
        toolbar.addAction(self.export_action)
        toolbar.addAction(self.print_action)
        toolbar.addSeparator()
        toolbar.addAction(self.source_action)
        toolbar.addAction(self.clear_action)

    # -- library ---------------------------------------------------------------------------
    def folders(self) -> list[Path]:
        extra = [Path(f) for f in self.settings.library_folders]
        return list(dict.fromkeys([*self._base_folders, *extra]))

    def reload(self, quick: bool = False) -> None:
        """Bring the library up to date with its folders and files, off the UI thread: only new
        or changed files are read (with a persistent catalogue, across restarts too).

        quick: first show what the catalogue holds, then check the files in the background.
        """
        if self._job is not None:
            self._job.cancel()
        folders = self.folders()
        path = self._catalogue_path
        if path is not None and quick:
            job = Job(lambda progress, cancelled: Library.from_file(path))
        elif path is not None:
            # A library is on screen: build a new one only if the files changed.
            showing = bool(self.model.library.meetings)
            job = Job(lambda progress, cancelled: Library.open(path, folders, progress, cancelled, showing))
        else:
            job = Job(lambda progress, cancelled: Library.load(folders, progress=progress, cancelled=cancelled))
        job.quick = quick
        job.signals.progress.connect(self._on_load_progress)
        job.signals.finished.connect(lambda library, job=job: self._on_loaded(job, library))
        job.signals.failed.connect(self._on_load_failed)
        self._job = job
        self.progress.setRange(0, 0)
        self.progress.show()
        self.status_label.setText(self.tr("正在载入纪要…"))
        self._runner.start(job)

    def _keep(self, job: Job) -> Job:
        """Hold a fire-and-forget job until it has run (the pool does not own it)."""
        self._background.append(job)
        job.signals.finished.connect(lambda _result, job=job: self._background.remove(job))
        job.signals.failed.connect(lambda _reason, job=job: self._background.remove(job))
        return job

    def _schedule_refresh(self, _path: str = "") -> None:
        self._refresh_timer.start()

    # inotify watches are a limited resource (8192 per user on many systems): folders always,
    # files up to this many; the periodic rescan covers edits to files beyond it.
    MAX_FILE_WATCHES = 2000
    RESCAN_MS = 5 * 60 * 1000

    def _watch(self) -> None:
        """Watch every added folder and its subfolders (files added or removed) and the files in
        them (edited in place), so changes appear without a restart."""
        old = self.watcher.directories() + self.watcher.files()
        if old:
            self.watcher.removePaths(old)
        folders: list[str] = []
        files: list[str] = []
        for root in self.folders():
            if root.is_dir():
                for dirpath, _dirs, names in os.walk(root):
                    folders.append(dirpath)
                    files += [os.path.join(dirpath, n) for n in names if Path(n).suffix.lower() in SUFFIXES]
            elif root.exists():
                files.append(str(root))
        paths = folders + files[: self.MAX_FILE_WATCHES]
        if paths:
            self.watcher.addPaths(paths)
        self._rescan_timer.start(self.RESCAN_MS)

    def _on_load_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)

    def _on_load_failed(self, reason: str) -> None:
        self.progress.hide()
        self._job = None
        QMessageBox.warning(self, self.tr("载入失败"), reason)

    def _on_loaded(self, job: Job, library: Library) -> None:
        if job is not self._job or job.is_cancelled:
            return  # a newer load replaced this one
        self._job = None
        self.progress.hide()
        if job.quick:
            self.set_library(library)
            # Then look at the files, once the first window has painted (the check shares the
            # interpreter with the UI thread).
            QTimer.singleShot(self.REFRESH_DELAY_MS, self.reload)
        elif library is not None:
            self.set_library(library)
        else:  # the files had not changed
            self._update_status()

    def set_library(self, library: Library) -> None:
        last = self.settings.last_meeting
        self._restoring = True  # nothing below may overwrite the remembered state
        self.model.set_library(library)
        self.filters.set_library(library)
        self.filters.apply(self._saved_spec())
        spec = self.filters.spec()
        self.proxy.set_spec(spec)
        self.viewer.set_query(spec.text)
        if not self.select_meeting(last):
            self.select_newest()
        self._restoring = False
        problems = len(library.problems)
        self.problems_button.setVisible(bool(problems))
        self.problems_button.setText(self.tr("%n 个文件无法读取", "", problems))
        self.problems_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.problems.set_problems(library.problems, library.parse_notes, library.notice)
        if library.notice:
            self.problems.show()
            self.statusBar().showMessage(library.notice, 20000)
        self._update_empty_state()
        self._settle_timer.start()

    def _settle(self) -> None:
        """Index the library for the first filter or search (a background job: it would hold
        the interpreter while the window paints) and watch its folders (a walk of every folder)."""
        library = self.model.library
        self._runner.start(self._keep(Job(lambda progress, cancelled: library.warm())))
        self._watch()

    def add_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("添加纪要所在的文件夹"))
        if folder:
            self.add_paths([Path(folder)])

    def add_files(self) -> None:
        pattern = " ".join(f"*{suffix}" for suffix in SUFFIXES)
        files, _ = QFileDialog.getOpenFileNames(
            self, self.tr("添加纪要文件"), "", self.tr("纪要文件") + f" ({pattern})"
        )
        if files:
            self.add_paths([Path(f) for f in files])

    def add_paths(self, paths: list[Path]) -> int:
        """Add folders and files to the library (kept in settings) and import them."""
        wanted = [p for p in paths if p.is_dir() or p.suffix.lower() in SUFFIXES]
        skipped = len(paths) - len(wanted)
        if skipped:
            self.statusBar().showMessage(
                self.tr("%n 个文件不是支持的格式（txt、pdf、docx、html），已跳过", "", skipped), 8000
            )
        known = set(self.settings.library_folders)
        new = [str(p.resolve()) for p in wanted if str(p.resolve()) not in known]
        if new:
            self.settings.library_folders = [*self.settings.library_folders, *new]
            self.reload()
        return len(new)

    def show_problems(self) -> None:
        self.problems.show()
        self.problems.raise_()

    def dragEnterEvent(self, event) -> None:
        if any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.add_paths(paths)

    # -- selection -------------------------------------------------------------------------
    def select_meeting(self, meeting_id: str, topic: int | None = None) -> bool:
        if not meeting_id:
            return False
        source = self.model.topic_index(meeting_id, topic) if topic else self.model.meeting_index(meeting_id)
        index = self.proxy.mapFromSource(source)
        if not index.isValid():
            return False
        self._select(index)
        return True

    def select_newest(self) -> bool:
        year = self.proxy.index(0, 0)
        meeting = self.proxy.index(0, 0, year)
        if not meeting.isValid():
            self._show_current(QModelIndex())
            return False
        self._select(meeting)
        return True

    def _select(self, index: QModelIndex) -> None:
        self.tree.expand(index.parent())
        self.tree.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.tree.scrollTo(index)

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_current(current)

    def _show_current(self, index: QModelIndex) -> None:
        if not index.isValid():
            self._update_empty_state()
            return
        kind = index.data(Roles.KIND)
        if kind == NodeKind.YEAR:
            meetings = [self.proxy.index(r, 0, index).data(Roles.MEETING) for r in range(self.proxy.rowCount(index))]
            self.viewer.show_html(render.year_html(index.data(Roles.YEAR), meetings))
            return
        meeting = index.data(Roles.MEETING)
        topic = index.data(Roles.TOPIC_NUMBER) if kind == NodeKind.TOPIC else None
        self.viewer.show_meeting(meeting, topic)
        if not self._restoring:
            self.settings.last_meeting = meeting.id

    def current_meeting_id(self) -> str | None:
        index = self.tree.currentIndex()
        return index.data(Roles.MEETING_ID) if index.isValid() else None

    # -- filtering -------------------------------------------------------------------------
    def _on_spec_changed(self, spec: FilterSpec) -> None:
        if self._restoring:
            return
        current = self.tree.currentIndex()
        keep = (current.data(Roles.MEETING_ID), current.data(Roles.TOPIC_NUMBER)) if current.isValid() else None
        self.proxy.set_spec(spec)
        self.viewer.set_query(spec.text)
        self._save_spec(spec)
        if not self.tree.currentIndex().isValid():
            # The item in view was filtered out: show the first one that is left.
            if not (keep and self.select_meeting(keep[0], keep[1])):
                self.select_newest()
        elif keep and keep != (self.current_meeting_id(), self.tree.currentIndex().data(Roles.TOPIC_NUMBER)):
            self.select_meeting(*keep)

    # Expanding makes the view ask for every row under a node: cheap for a few dozen meetings,
    # a second for ten thousand.
    EXPAND_ALL_UP_TO = 60
    REFRESH_DELAY_MS = 1000

    def _on_filter_applied(self) -> None:
        spec = self.proxy.spec
        self.tree.collapseAll()
        if not spec.is_empty and len(self.proxy.shown_meetings()) <= self.EXPAND_ALL_UP_TO:
            self.tree.expandAll()
        elif len(self.model.library.meetings) <= self.EXPAND_ALL_UP_TO * 5:
            for row in range(self.proxy.rowCount()):  # a small library: every year open
                self.tree.expand(self.proxy.index(row, 0))
        elif self.proxy.rowCount():
            self.tree.expand(self.proxy.index(0, 0))  # a large one: the newest year
        current = self.tree.currentIndex()
        if current.isValid():
            self.tree.scrollTo(current)
        shown, total = self.proxy.shown_topic_count(), self.proxy.total_topic_count()
        self.count_label.setText(self.tr("显示 %1 / %2 个议题").replace("%1", str(shown)).replace("%2", str(total)))
        self.filter_bar.setVisible(not spec.is_empty)
        self.filter_summary.setText(self.describe(spec))
        self._update_empty_state()
        self._update_status()

    def describe(self, spec: FilterSpec) -> str:
        parts = []
        role = self.filters.role_label(spec.role) if spec.role is not RoleFilter.ANY else ""
        if spec.departments:
            depts = "、".join(sorted(spec.departments))
            parts.append(self.tr("部门：%1").replace("%1", depts) + (f"（{role}）" if role else ""))
        elif role:
            parts.append(self.tr("角色：%1").replace("%1", role))
        if spec.date_from or spec.date_to:
            low = spec.date_from.isoformat() if spec.date_from else "…"
            high = spec.date_to.isoformat() if spec.date_to else "…"
            parts.append(self.tr("日期：%1 至 %2").replace("%1", low).replace("%2", high))
        if spec.kinds:
            parts.append(self.tr("类型：%1").replace("%1", "、".join(sorted(spec.kinds))))
        if spec.text:
            parts.append(self.tr("搜索：“%1”").replace("%1", spec.text))
        return self.tr("筛选　") + "　·　".join(parts)

    def filter_by_department(self, name: str) -> None:
        spec = self.proxy.spec.with_(departments=frozenset({name}))
        self.filters.apply(spec)

    def clear_filters(self) -> None:
        self.filters.clear()

    def focus_search(self) -> None:
        if not self.filters.isVisible():
            self.panel_action.setChecked(True)
            self.filters.show()
        self.filters.focus_search()

    def _update_empty_state(self) -> None:
        if not self.model.library.meetings:
            if self._job is None:
                self.viewer.show_message(
                    self.tr("资料库中还没有纪要"),
                    self.tr("请用“文件 → 添加文件夹…”（Ctrl+O）选择存放会议纪要的文件夹。"),
                )
        elif self.proxy.rowCount() == 0:
            self.viewer.show_message(
                self.tr("没有符合筛选条件的议题"),
                self.tr("请放宽筛选条件，或点击“清除筛选”（Ctrl+Shift+X）显示全部。"),
            )
        elif self.viewer.meeting is None and not self.tree.currentIndex().isValid():
            self.select_newest()

    def _update_status(self, *_args) -> None:
        library = self.model.library
        text = self.tr("共 %1 份纪要，%2 个议题").replace("%1", str(len(library.meetings)))
        text = text.replace("%2", str(library.topic_count))
        if self.proxy.spec.text:
            hits = self.viewer.hit_count()
            text += "　" + self.tr("本页 %n 处匹配（F3 下一个）", "", hits)
        self.status_label.setText(text)

    # -- export and print ------------------------------------------------------------------
    # The export modules (PDF layout, fonts, CSV) load when first used, not at start-up.
    def _selection_recipe(self, scope: str) -> Callable[[], Selection | None]:
        """What to export, as a function of plain values taken from the window now: building
        the selection loads every chosen meeting's full text, which belongs off the UI thread."""
        from gui.export_dialog import Scope
        from minutes.report import select_by_keys, select_by_spec, select_meeting

        scope = Scope(scope)
        library = self.model.library
        if scope is Scope.CURRENT:
            meeting = self.viewer.meeting
            return lambda: select_meeting(meeting) if meeting else None
        if scope is Scope.CHECKED:
            keys = self.model.checked_topics()
            return lambda: select_by_keys(library, keys)
        spec = self.proxy.spec
        return lambda: select_by_spec(library, spec)

    def selection_for(self, scope: str) -> Selection | None:
        return self._selection_recipe(scope)()

    def _default_file_name(self, scope: str) -> str:
        from gui.export_dialog import Scope
        from minutes.report import COMPILATION_TITLE, MEETING_TITLE, describe, describe_keys, describe_meeting

        scope = Scope(scope)
        if scope is Scope.CURRENT:
            title, subtitle = MEETING_TITLE, describe_meeting(self.viewer.meeting)
        elif scope is Scope.CHECKED:
            title, subtitle = COMPILATION_TITLE, describe_keys(self.model.checked_topics())
        else:
            title, subtitle = COMPILATION_TITLE, describe(self.proxy.spec)
        return f"{title}-{subtitle}".replace("/", "-").replace(" ", "")[:60] + ".pdf"

    def open_export_dialog(self, scope: str | None = None, for_print: bool = False) -> None:
        from gui.export_dialog import ExportDialog, Scope

        checked = len(self.model.checked_topics())
        if scope is None:
            scope = Scope.CHECKED if checked else Scope.CURRENT if self.viewer.meeting else Scope.FILTER
        meeting = self.viewer.meeting
        dialog = ExportDialog(
            self,
            for_print=for_print,
            current=meeting.title if meeting else None,
            filter_topics=self.proxy.shown_topic_count(),
            filter_active=not self.proxy.spec.is_empty,
            checked_topics=checked,
            scope=Scope(scope),
        )
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        chosen = dialog.scope()
        available = {Scope.CURRENT: meeting is not None, Scope.CHECKED: checked > 0}
        if not available.get(chosen, self.proxy.shown_topic_count() > 0):
            QMessageBox.information(self, self.tr("导出"), self.tr("没有可导出的议题。"))
            return
        if for_print:
            # Printing happens on the UI thread in Qt anyway (the preview paints there).
            self.print_preview(self.selection_for(chosen), dialog.options())
            return
        table = dialog.options().layout == "table"
        filters = self.tr("PDF 文件 (*.pdf)") + (";;" + self.tr("CSV 表格 (*.csv)") if table else "")
        name = self._default_file_name(chosen)
        path, _ = QFileDialog.getSaveFileName(self, self.tr("导出到"), str(Path.home() / name), filters)
        if path:
            self.export_to(Path(path), self._selection_recipe(chosen), dialog.options())

    def export_to(
        self, path: Path, selection: Selection | Callable[[], Selection | None], options: ExportOptions
    ) -> None:
        """Write the selection as PDF or CSV on the thread pool, with a progress dialog and Cancel.

        selection: a Selection, or a recipe that builds one (then the worker builds it).
        """
        from gui.pdf_export import ExportError, ensure_fonts, write_pdf
        from minutes.report import resolution_rows, write_csv

        csv = path.suffix.lower() == ".csv"
        if not csv and path.suffix.lower() != ".pdf":
            path = path.with_suffix(".pdf")
        if not csv:
            ensure_fonts()  # font registration belongs on the GUI thread

        def work(progress, cancelled):
            chosen = selection() if callable(selection) else selection
            if chosen is None or not chosen.parts:
                raise ExportError("没有可导出的议题")
            if csv:
                rows = resolution_rows(chosen)
                write_csv(rows, path)
                return ("csv", len(rows), path)
            result = write_pdf(chosen, options, path, progress, cancelled)
            return ("pdf", result.pages, result.path)

        dialog = QProgressDialog(self.tr("正在导出…"), self.tr("取消"), 0, 0, self)
        dialog.setWindowTitle(self.tr("导出"))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(300)
        job = Job(work)
        dialog.canceled.connect(job.cancel)
        job.signals.progress.connect(lambda done, total: (dialog.setMaximum(total), dialog.setValue(done)))
        job.signals.finished.connect(lambda result: self._export_done(dialog, result))
        job.signals.failed.connect(lambda reason: self._export_failed(dialog, job, path, reason))
        self._export_job = job
        self._runner.start(job)

    def _export_done(self, dialog: QProgressDialog, result: tuple[str, int, Path]) -> None:
        dialog.reset()
        self._export_job = None
        kind, count, path = result
        if kind == "csv":
            message = self.tr("已导出 %n 条议定意见到 ", "", count) + str(path)
        else:
            message = self.tr("已导出 %n 页到 ", "", count) + str(path)
        self.statusBar().showMessage(message, 10000)

    def _export_failed(self, dialog: QProgressDialog, job: Job, path: Path, reason: str) -> None:
        dialog.reset()
        self._export_job = None
        if job.is_cancelled:
            self.statusBar().showMessage(self.tr("已取消导出，未生成文件。"), 8000)
        else:
            QMessageBox.warning(self, self.tr("导出失败"), f"{path}\n{reason}")

    def print_preview(self, selection: Selection, options: ExportOptions) -> None:
        from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog

        from gui.pdf_export import ensure_fonts, print_document

        ensure_fonts()
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(selection.title)
        preview = QPrintPreviewDialog(printer, self)
        preview.setWindowTitle(self.tr("打印预览"))
        preview.paintRequested.connect(lambda device: print_document(device, selection, options))
        preview.resize(1000, 800)
        preview.exec()

    # -- reading ---------------------------------------------------------------------------
    def set_zoom(self, percent: int) -> None:
        self.viewer.set_zoom(percent)
        self.settings.zoom = self.viewer.zoom

    def set_source_mode(self, on: bool) -> None:
        self.viewer.set_source_mode(on)
        self.settings.show_source = on

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            self.tr("关于纪要阅读器"),
            self.tr("纪要阅读器 %1\n\n离线阅读、筛选市政府常务会议纪要。").replace("%1", minutes.__version__),
        )

    # -- settings --------------------------------------------------------------------------
    def _saved_spec(self) -> FilterSpec:
        s = self.settings
        try:
            role = RoleFilter(s.filter_role)
        except ValueError:
            role = RoleFilter.ANY
        return FilterSpec(
            departments=frozenset(s.filter_departments),
            role=role,
            date_from=s.filter_from,
            date_to=s.filter_to,
            kinds=frozenset(s.filter_kinds),
            text=s.filter_text,
        )

    def _save_spec(self, spec: FilterSpec) -> None:
        s = self.settings
        s.filter_departments = sorted(spec.departments)
        s.filter_role = spec.role.value
        s.filter_from, s.filter_to = spec.date_from, spec.date_to
        s.filter_kinds = sorted(spec.kinds)
        s.filter_text = spec.text

    def _restore_window(self) -> None:
        s = self.settings
        if not s.geometry.isEmpty():
            self.restoreGeometry(s.geometry)
        else:
            self.resize(1280, 800)
        if not s.window_state.isEmpty():
            self.restoreState(s.window_state)
        sizes = s.splitter_sizes
        self.splitter.setSizes(sizes if len(sizes) == 3 and any(sizes) else [360, 760, 300])
        self.viewer.set_zoom(s.zoom)
        self.source_action.setChecked(s.show_source)
        self.viewer.set_source_mode(s.show_source)

    def save_window(self) -> None:
        s = self.settings
        s.geometry = self.saveGeometry()
        s.window_state = self.saveState()
        s.splitter_sizes = self.splitter.sizes()
        s.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        for job in (self._job, self._export_job):
            if job is not None:
                job.cancel()
        # Let a running import stop at its next batch (what it committed stays committed).
        wait = getattr(self._runner, "wait_for_done", None)
        if wait is not None:
            wait(5000)
        self.save_window()
        super().closeEvent(event)
