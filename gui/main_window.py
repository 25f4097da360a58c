"""The reader window: meeting tree (left), document (center), filters (right). It arranges the
widgets and actions; the filter lives in FilterState, the library in LibraryController, export
and print in ExportController."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtWidgets import QLabel, QMainWindow, QSplitter, QVBoxLayout, QWidget

from gui import render
from gui.filter_bar import FilterBar
from gui.filter_panel import FilterPanel
from gui.filter_proxy import MeetingFilterProxy
from gui.filter_state import FilterState
from gui.ledger_dock import LedgerDock
from gui.library_controller import LibraryController
from gui.meeting_tree import MeetingTree
from gui.problems_panel import ProblemsPanel
from gui.settings import Settings
from gui.status_bar import ReaderStatusBar
from gui.tasks import Runner, ThreadPoolRunner
from gui.tree_model import MeetingTreeModel, NodeKind, Roles
from gui.viewer import MeetingView
from gui.window_actions import WindowActions
from minutes.library import SUFFIXES, FilterSpec, Library, RoleFilter

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent

    from gui.export_controller import ExportController


def _box(widget: QWidget, margins: tuple[int, int, int, int], *children: QWidget) -> QWidget:
    layout = QVBoxLayout(widget)
    layout.setContentsMargins(*margins)
    for i, child in enumerate(children):
        layout.addWidget(child, 1 if i == len(children) - 1 else 0)
    return widget


class MainWindow(QMainWindow):
    def __init__(
        self,
        settings: Settings,
        folders: list[Path],
        runner: Runner | None = None,
        parent: QWidget | None = None,
        catalogue: Path | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        runner = runner or ThreadPoolRunner()
        self.setWindowTitle(self.tr("纪要阅读器"))
        self.setMinimumSize(900, 560)
        self.state = FilterState(settings.filter, self)
        self.library = LibraryController(settings, folders, runner, catalogue, self)

        self.model = MeetingTreeModel(self)
        self.proxy = MeetingFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.set_spec(self.state.spec)
        self.tree = MeetingTree(self.model, self.proxy)
        self.tree.selectionModel().currentChanged.connect(lambda current, _previous: self._show_current(current))
        self.count_label = QLabel()
        self.count_label.setObjectName("countLabel")

        self.viewer = MeetingView()
        self.viewer.follow_filter(self.state.spec)
        self.viewer.departmentActivated.connect(self.filter_by_department)
        self.viewer.meetingActivated.connect(self.select_meeting)
        self.viewer.hitsChanged.connect(self._update_status)
        self.viewer.documentFailed.connect(self.library.report_damaged)
        self.filter_bar = FilterBar(self.state)
        self.filters = FilterPanel(self.state)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(_box(QWidget(), (6, 6, 0, 6), self.count_label, self.tree))
        self.splitter.addWidget(_box(QWidget(), (0, 6, 0, 6), self.filter_bar, self.viewer))
        self.splitter.addWidget(self.filters)
        for i, stretch in enumerate((0, 1, 0)):
            self.splitter.setStretchFactor(i, stretch)
        self.splitter.setCollapsible(1, False)
        self.setCentralWidget(self.splitter)

        self.status = ReaderStatusBar()
        self.setStatusBar(self.status)
        self.status.problems_button.clicked.connect(self.show_problems)
        self.problems = ProblemsPanel(self)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.problems)
        self.problems.hide()
        self.ledger_dock = LedgerDock(self, settings, runner, catalogue)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.ledger_dock)
        self.ledger_dock.hide()
        self.ledger_dock.damaged.connect(self.library.report_damaged)
        self._runner = runner
        self._export: ExportController | None = None
        self.setAcceptDrops(True)
        self.act = WindowActions(self)
        self._restore_window()

        self.state.changed.connect(self._on_filter_changed)
        self.proxy.filterChanged.connect(self._on_filter_applied)
        self.library.libraryChanged.connect(self.set_library)
        self.library.loadingChanged.connect(self._on_loading)
        self.library.progress.connect(self.status.set_progress)
        self.library.failed.connect(self._load_failed)
        self.library.message.connect(self.statusBar().showMessage)
        self.library.damagedChanged.connect(self._on_damaged)
        self.library.start()

    @property
    def export(self) -> ExportController:
        """Export and print, made on first use: start-up needs neither its module nor its dialogs."""
        if self._export is not None:
            return self._export
        from gui.export_controller import ExportController

        export = self._export = ExportController(
            self,
            self._runner,
            self.settings,
            self.state,
            lambda: self.library.library,
            lambda: self.viewer.meeting,
            self.model.checked_topics,
            self.proxy.shown_topic_count,
        )
        export.message.connect(self.statusBar().showMessage)
        export.damaged.connect(self.library.report_damaged)
        return export

    # -- library ---------------------------------------------------------------------------
    def _on_loading(self, loading: bool) -> None:
        self.status.set_loading(loading)
        if not loading:
            self._update_status()
            # Once the library that ends the load is shown (it follows this signal): checked now,
            # the first load would lay out "no minutes yet" only to replace it at once.
            QTimer.singleShot(0, self, self._update_empty_state)

    def set_library(self, library: Library) -> None:
        last = self.settings.last_meeting  # showing the new tree selects something first
        self.model.set_library(library)
        self.filters.set_library(library)
        self.ledger_dock.set_library(library)
        if not self.select_meeting(last):
            self.select_newest()
        self.status.set_problems(len(library.problems))
        self.problems.set_problems(library.problems, library.parse_notes, library.notice)
        self.problems.set_gaps(self.model.gaps, library)
        if self.library.damaged:  # met as the first meeting was shown: set_problems emptied the list
            self._on_damaged()
        if library.notice:
            self.show_problems()
        self._update_empty_state()

    def _on_damaged(self) -> None:
        """Meetings whose stored copy could not be read: listed with the files that could not be."""
        damaged = list(self.library.damaged.values())
        self.problems.set_damaged(damaged)
        self.status.set_problems(len(self.model.library.problems) + len(damaged))

    def _load_failed(self, reason: str) -> None:
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("载入失败"), reason, parent=self)
        box.setTextFormat(Qt.TextFormat.PlainText)  # the reason may quote a path or a file's text
        box.open()

    def add_folder(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        folder = QFileDialog.getExistingDirectory(self, self.tr("添加纪要所在的文件夹"))
        if folder:
            self.library.add_paths([Path(folder)])

    def add_files(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        kinds = self.tr("纪要文件") + " (" + " ".join(f"*{suffix}" for suffix in SUFFIXES) + ")"
        files, _ = QFileDialog.getOpenFileNames(self, self.tr("添加纪要文件"), "", kinds)
        self.library.add_paths([Path(f) for f in files])

    def show_problems(self) -> None:
        self.problems.show()
        self.problems.raise_()
        self.resizeDocks([self.problems], [150], Qt.Orientation.Vertical)  # the reader keeps the height

    def dragEnterEvent(self, event) -> None:
        if any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        event.acceptProposedAction()
        self.library.add_paths([Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()])

    # -- selection -------------------------------------------------------------------------
    def select_meeting(self, meeting_id: str, topic: int | None = None) -> bool:
        return self.tree.select(meeting_id, topic)

    def select_newest(self) -> bool:
        meeting = self.tree.newest()
        if not meeting.isValid():
            self._show_current(QModelIndex())
            return False
        return self.tree.select(meeting.data(Roles.MEETING_ID))

    def _show_current(self, index: QModelIndex) -> None:
        if not index.isValid():
            self._update_empty_state()
            return
        if index.data(Roles.KIND) == NodeKind.YEAR:
            self.viewer.show_html(render.year_html(index.data(Roles.YEAR), self.tree.meetings_under(index)))
            return
        meeting = index.data(Roles.MEETING)
        topic = index.data(Roles.TOPIC_NUMBER) if index.data(Roles.KIND) == NodeKind.TOPIC else None
        self.viewer.show_meeting(meeting, topic)
        self.settings.last_meeting = meeting.id

    # -- filtering -------------------------------------------------------------------------
    def _on_filter_changed(self, spec: FilterSpec) -> None:
        keep = self.tree.current_key()
        self.proxy.set_spec(spec)
        self.viewer.follow_filter(spec)
        self.settings.filter = spec
        if keep and self.tree.current_key() != keep:
            if not self.tree.reselect(keep):
                self.select_newest()
        elif not self.tree.currentIndex().isValid():
            self.select_newest()

    def _on_filter_applied(self) -> None:
        self.tree.open_for_filter()
        shown, total = self.proxy.shown_topic_count(), self.proxy.total_topic_count()
        self.count_label.setText(self.tr("显示 %1 / %2 个议题").replace("%1", str(shown)).replace("%2", str(total)))
        self._update_empty_state()
        self._update_status()

    def filter_by_department(self, name: str, role: RoleFilter | None = None) -> None:
        """A department link: that department in the panel, in the role that fits where it was clicked."""
        self.state.show_department(name, self.viewer.link_role(name) if role is None else role)

    def focus_search(self) -> None:
        if not self.filters.isVisible():
            self.act.panel_action.setChecked(True)
        self.filters.focus_search()

    def find_hit(self, backward: bool = False) -> bool:
        found = self.viewer.find_next(backward=backward)
        self._update_status()
        return found

    def hit_position(self) -> tuple[int, int]:
        """(current hit, hits) in the document in view; current is 0 before the first F3."""
        return self.viewer.current_hit(), self.viewer.hit_count()

    def _update_empty_state(self) -> None:
        if not self.model.library.meetings:
            if not self.library.is_loading:
                self.viewer.show_message(
                    self.tr("资料库中还没有纪要"),
                    self.tr("请用“文件 → 添加文件夹…”（Ctrl+O）选择存放会议纪要的文件夹。"),
                )
        elif self.proxy.rowCount() == 0:
            self.viewer.show_message(
                self.tr("没有符合筛选条件的议题"),
                self.tr("请放宽筛选条件，或点击“清除筛选”（Ctrl+Shift+X）显示全部。"),
            )

    def _update_status(self, *_args) -> None:
        library = self.model.library
        hits = self.hit_position() if self.state.spec.text else None
        self.status.show_counts(len(library.meetings), library.topic_count, hits)

    # -- reading ---------------------------------------------------------------------------
    def set_zoom(self, percent: int) -> None:
        self.viewer.set_zoom(percent)
        self.settings.zoom = self.viewer.zoom
        self.status.set_zoom(self.viewer.zoom)

    def set_source_mode(self, on: bool) -> None:
        self.viewer.set_source_mode(on)
        self.settings.show_source = on

    def show_about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        from gui.about import about_text

        QMessageBox.about(self, self.tr("关于纪要阅读器"), about_text(self.settings))

    # -- settings --------------------------------------------------------------------------
    def _restore_window(self) -> None:
        s = self.settings
        if not s.geometry.isEmpty():
            self.restoreGeometry(s.geometry)
        else:
            self.resize(1280, 800)
        if not s.window_state.isEmpty():
            self.restoreState(s.window_state)
        sizes = s.splitter_sizes
        self.splitter.setSizes(sizes if len(sizes) == 3 and any(sizes) else [380, 740, 300])
        self.set_zoom(s.zoom)
        self.act.source_action.setChecked(s.show_source)

    def save_window(self) -> None:
        s = self.settings
        s.geometry = self.saveGeometry()
        s.window_state = self.saveState()
        s.splitter_sizes = self.splitter.sizes()
        s.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._export is not None:
            self._export.cancel()
        self.library.shutdown()
        self.save_window()
        self.ledger_dock.close_ledger()
        super().closeEvent(event)
