"""Export and print: what to export (the meeting in view, the filter result, the ticked items),
the dialogs, the background job with its progress, and what to do with the result."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QProgressDialog, QWidget

from gui.filter_state import FilterState
from gui.library_uses import uses
from gui.settings import Settings
from gui.tasks import Job, Runner
from minutes.library import Library, Meeting
from minutes.stored_copy import DamagedCopy

if TYPE_CHECKING:
    from gui.pdf_export import ExportOptions
    from minutes.report import Selection

Recipe = Callable[[], "Selection | None"]


class LibraryRecipe:
    """A recipe (what to export, from plain values taken when it was chosen) bound to the library
    it reads. A file dialog runs its own event loop, so the window may have replaced that library
    before the export starts: on() binds the same choice to the library now shown."""

    def __init__(self, library: Library | None, build: Callable[[Library], Selection | None]) -> None:
        self.library = library
        self._build = build

    def __call__(self) -> Selection | None:
        return None if self.library is None else self._build(self.library)

    def on(self, library: Library | None) -> LibraryRecipe:
        return LibraryRecipe(library, self._build)


def library_of(selection: Selection | Recipe) -> Library | None:
    """The library an export of selection reads (None when a plain recipe does not say)."""
    if isinstance(selection, LibraryRecipe):
        return selection.library
    parts = getattr(selection, "parts", ())
    return parts[0].meeting.library if parts else None


def other_name(path: Path) -> Path:
    """A free name beside path: 清单.pdf -> 清单(2).pdf, 清单(3).pdf, …"""
    n = 2
    while True:
        candidate = path.with_name(f"{path.stem}({n}){path.suffix}")
        if not candidate.exists():
            return candidate
        n += 1


class ExportController(QObject):
    message = Signal(str, int)  # a status message and how long to show it (ms)
    exported = Signal(object)  # Path of the file written
    damaged = Signal(object)  # a meeting's stored copy could not be read (DamagedCopy)

    def __init__(
        self,
        window: QWidget,
        runner: Runner,
        settings: Settings,
        state: FilterState,
        library: Callable[[], Library | None],
        current_meeting: Callable[[], Meeting | None],
        checked_topics: Callable[[], set[tuple[str, int]]],
        shown_topics: Callable[[], int],
    ) -> None:
        super().__init__(window)
        self._window = window
        self.runner = runner
        self.settings = settings
        self.state = state
        self._library = library
        self._current = current_meeting
        self._checked = checked_topics
        self._shown = shown_topics
        self._job: Job | None = None
        self.result_box: QMessageBox | None = None  # after an export: open the file or its folder
        self.failure_box: QMessageBox | None = None

    @property
    def is_busy(self) -> bool:
        return self._job is not None

    # -- what -------------------------------------------------------------------------------
    def selection_recipe(self, scope: str) -> Recipe:
        """What to export, as a function of plain values taken now: building the selection
        loads every chosen meeting's full text, which belongs off the UI thread."""
        from gui.export_dialog import Scope
        from minutes.report import select_by_keys, select_by_spec, select_meeting

        library = self._library()
        if Scope(scope) is Scope.CURRENT:
            meeting = self._current()
            if meeting is None:
                return LibraryRecipe(None, lambda _library: None)

            def current(library: Library) -> Selection | None:
                found = meeting if library is meeting.library else library.meeting(meeting.id)
                return select_meeting(found) if found is not None else None

            return LibraryRecipe(meeting.library, current)
        if Scope(scope) is Scope.CHECKED:
            keys = self._checked()
            return LibraryRecipe(library, lambda library: select_by_keys(library, keys))
        spec = self.state.spec
        return LibraryRecipe(library, lambda library: select_by_spec(library, spec))

    def selection_for(self, scope: str) -> Selection | None:
        return self.selection_recipe(scope)()

    def default_file_name(self, scope: str, layout: str = "full", suffix: str = "pdf") -> str:
        """Named for what it holds; the full text and the table of one selection differ."""
        from gui.export_dialog import Scope
        from minutes.report import (
            COMPILATION_TITLE,
            MEETING_TITLE,
            TABLE_TITLE,
            default_file_name,
            describe_keys,
            describe_meeting,
        )

        meeting = self._current()
        if Scope(scope) is Scope.CURRENT and meeting is not None:
            title, subtitle = MEETING_TITLE, describe_meeting(meeting)
        elif Scope(scope) is Scope.CHECKED:
            title, subtitle = COMPILATION_TITLE, describe_keys(self._checked())
        else:
            title, subtitle = COMPILATION_TITLE, self.state.describe()
        return default_file_name(TABLE_TITLE if layout == "table" else title, subtitle, suffix)

    # -- dialogs ---------------------------------------------------------------------------
    def open_dialog(self, scope: str | None = None, for_print: bool = False) -> None:
        from gui.export_dialog import ExportDialog, Scope

        checked = len(self._checked())
        meeting = self._current()
        if scope is None:
            scope = Scope.CHECKED if checked else Scope.CURRENT if meeting else Scope.FILTER
        s = self.settings
        dialog = ExportDialog(
            self._window,
            for_print=for_print,
            current=meeting.title if meeting else None,
            filter_topics=self._shown(),
            filter_active=not self.state.spec.is_empty,
            checked_topics=checked,
            scope=Scope(scope),
            layout=s.export_layout,
            attendance=s.export_attendance,
            new_page=s.export_new_page,
        )
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        options = dialog.options()
        s.export_layout, s.export_attendance, s.export_new_page = (
            options.layout,
            options.include_attendance,
            options.new_page_per_meeting,
        )
        chosen = dialog.scope()
        available = {Scope.CURRENT: meeting is not None, Scope.CHECKED: checked > 0}
        if not available.get(chosen, self._shown() > 0):
            QMessageBox.information(self._window, self.tr("导出"), self.tr("没有可导出的议题。"))
            return
        if for_print:
            # Printing happens on the UI thread in Qt anyway (the preview paints there).
            try:
                selection = self.selection_for(chosen)
            except DamagedCopy as damage:
                self._cannot_read(self.tr("无法打印"), damage)
                return
            if selection is not None:
                self.print_preview(selection, options)
            return
        self.ask_and_export(self.selection_recipe(chosen), options, self.default_file_name(chosen, options.layout))

    def ask_and_export(self, recipe: Recipe, options: ExportOptions, name: str) -> None:
        table = options.layout == "table"
        filters = self.tr("PDF 文件 (*.pdf)") + (";;" + self.tr("CSV 表格 (*.csv)") if table else "")
        folder = Path(self.settings.export_folder or Path.home())
        if not folder.is_dir():
            folder = Path.home()
        path, _ = QFileDialog.getSaveFileName(self._window, self.tr("导出到"), str(folder / name), filters)
        if path:
            self.export_to(Path(path), recipe, options)

    # -- the work --------------------------------------------------------------------------
    def export_to(self, path: Path, selection: Selection | Recipe, options: ExportOptions) -> None:
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
        records = self.ledger_records() if csv or options.layout == "table" else None

        def work(progress, cancelled):
            chosen = selection() if callable(selection) else selection
            if chosen is None or not chosen.parts:
                raise ExportError("没有可导出的议题")
            if csv:
                rows = resolution_rows(chosen, records)
                write_csv(rows, path)
                return ("csv", len(rows), path)
            try:
                result = write_pdf(chosen, options, path, progress, cancelled, records)
            except (ExportError, OSError):
                raise
            except Exception as exc:  # a meeting read again for the pages, its copy spoiled: name it
                damage = damaged_in(chosen)
                if damage is None:
                    raise
                raise damage from exc
            return ("pdf", result.pages, result.path)

        # The job keeps its library open, also when the window replaces it meanwhile.
        job = Job(work)
        if not job.hold(library_of(selection)):  # replaced and closed while a dialog was open
            if not isinstance(selection, LibraryRecipe):
                self._open_failure(
                    self._failure_box(
                        self.tr("导出失败"), f"{path}\n" + self.tr("资料库已重新载入，请重新选择后再导出。")
                    )
                )
                return
            selection = selection.on(self._library())
            job.hold(selection.library)
        dialog = QProgressDialog(self.tr("正在导出…"), self.tr("取消"), 0, 0, self._window)
        dialog.setWindowTitle(self.tr("导出"))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(300)
        dialog.canceled.connect(job.cancel)
        job.signals.progress.connect(lambda done, total: (dialog.setMaximum(total), dialog.setValue(done)))
        job.signals.finished.connect(lambda result: self._done(dialog, result))
        job.signals.failed.connect(lambda reason: self._failed(dialog, job, path, reason, selection, options))
        self._job = job
        self.runner.start(job)

    def _done(self, dialog: QProgressDialog, result: tuple[str, int, Path]) -> None:
        dialog.reset()
        self._job = None
        kind, count, path = result
        self.settings.export_folder = str(path.parent)
        if kind == "csv":
            text = self.tr("已导出 %n 条议定意见到 ", "", count) + str(path)
        else:
            text = self.tr("已导出 %n 页到 ", "", count) + str(path)
        self.message.emit(text, 10000)
        self.exported.emit(path)
        box = QMessageBox(QMessageBox.Icon.Information, self.tr("导出完成"), text, parent=self._window)
        box.setTextFormat(Qt.TextFormat.PlainText)  # a file name may look like markup
        open_file = box.addButton(self.tr("打开文件"), QMessageBox.ButtonRole.AcceptRole)
        open_folder = box.addButton(self.tr("打开所在文件夹"), QMessageBox.ButtonRole.ActionRole)
        box.addButton(self.tr("关闭"), QMessageBox.ButtonRole.RejectRole)
        open_file.clicked.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))))
        open_folder.clicked.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent))))
        self.result_box = box
        box.open()

    def _failed(
        self, dialog: QProgressDialog, job: Job, path: Path, reason: str, selection, options: ExportOptions
    ) -> None:
        dialog.reset()
        self._job = None
        if job.is_cancelled:
            self.message.emit(self.tr("已取消导出，未生成文件。"), 8000)
            return
        error = job.error
        if isinstance(error, DamagedCopy):  # the box names the meeting; the window repairs it
            self.damaged.emit(error)
        box = self._failure_box(self.tr("导出失败"), f"{path}\n{reason}")
        if isinstance(error, PermissionError) or getattr(error, "winerror", None) in (5, 32):
            # Typically the PDF is open in a viewer (Windows locks it): offer another name.
            box.setText(f"{path}\n" + self.tr("文件正被其他程序打开，请关闭后重试，或另存为…"))
            save_as = box.addButton(self.tr("另存为…"), QMessageBox.ButtonRole.AcceptRole)
            save_as.clicked.connect(
                lambda: self.ask_and_export(selection_recipe(selection), options, str(other_name(path)))
            )
        self._open_failure(box)

    def _failure_box(self, title: str, text: str) -> QMessageBox:
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, parent=self._window)
        box.setTextFormat(Qt.TextFormat.PlainText)  # a path or a meeting's number may look like markup
        return box

    def _open_failure(self, box: QMessageBox) -> None:
        box.addButton(self.tr("关闭"), QMessageBox.ButtonRole.RejectRole)
        self.failure_box = box
        box.open()

    def _cannot_read(self, title: str, damage: DamagedCopy) -> None:
        self.damaged.emit(damage)
        self._open_failure(self._failure_box(title, damage.sentence()))

    def print_preview(self, selection: Selection, options: ExportOptions) -> None:
        from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog

        from gui.pdf_export import ensure_fonts, print_document

        ensure_fonts()
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(selection.title)
        preview = QPrintPreviewDialog(printer, self._window)
        preview.setWindowTitle(self.tr("打印预览"))
        records = self.ledger_records() if options.layout == "table" else None
        failures: list[Exception] = []

        def paint(device) -> None:
            try:
                print_document(device, selection, options, records)
            except Exception as exc:  # a meeting read again for the pages (the cache let it go)
                from gui.logs import log

                log.error("printing failed", exc_info=exc)
                failures.append(damaged_in(selection) or exc)

        preview.paintRequested.connect(paint)
        preview.resize(1000, 800)
        # The preview paints in its own event loop, in which the window may replace the library.
        with uses.using(library_of(selection)):
            preview.exec()
        damaged = [f for f in failures if isinstance(f, DamagedCopy)]
        if damaged:
            self._cannot_read(self.tr("无法打印"), damaged[0])
        elif failures:
            from gui.logs import user_message

            self._open_failure(self._failure_box(self.tr("无法打印"), user_message(failures[0])))

    def ledger_records(self) -> list | None:
        """The 台账's records for the table's 状态 column: from the window's ledger dock (open, or
        its file read without opening it); None when there is none (状态 shows —)."""
        dock = getattr(self._window, "ledger_dock", None)
        if dock is None:
            return None
        try:
            return dock.records()
        except Exception:  # a damaged ledger must not stop an export; 状态 then shows —
            return None

    def cancel(self) -> None:
        if self._job is not None:
            self._job.cancel()


def damaged_in(selection: Selection) -> DamagedCopy | None:
    """The first meeting of selection whose stored copy cannot be read (the PDF writer reads
    the meetings without naming one that fails)."""
    from minutes.stored_copy import read_document

    for part in selection.parts:
        try:
            read_document(part.meeting)
        except DamagedCopy as damage:
            return damage
    return None


def selection_recipe(selection: Selection | Recipe) -> Recipe:
    if callable(selection):
        return selection
    return lambda: selection
