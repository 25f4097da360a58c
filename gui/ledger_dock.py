"""The 督办台账 as a dock of the main window (查看 → 督办台账).

The view is built the first time the dock is shown: building the rows reads every meeting's
tasks and the ledger, which must never delay start-up. The ledger file sits beside the catalogue; a window without a
catalogue (tests, --screenshot, the self-test) keeps its ledger in memory and so never touches
the user's records.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow, QWidget

from gui.settings import Settings
from gui.tasks import Runner
from minutes.library import Library

if TYPE_CHECKING:  # the view and the ledger are imported when first needed: not at start-up
    from gui.ledger_view import LedgerView
    from minutes.ledger import Ledger, Record

LEDGER_NAME = "ledger.sqlite3"


def ledger_path(catalogue: Path | None) -> Path | None:
    return None if catalogue is None else Path(catalogue).with_name(LEDGER_NAME)


class LedgerDock(QDockWidget):
    damaged = Signal(object)  # the view left out a meeting whose stored copy is damaged

    def __init__(
        self,
        window: QMainWindow,
        settings: Settings,
        runner: Runner | None = None,
        catalogue: Path | None = None,
    ) -> None:
        super().__init__(window.tr("督办台账"), window)
        self.setObjectName("ledger")  # saveState/restoreState need a name
        self.setAllowedAreas(Qt.DockWidgetArea.BottomDockWidgetArea | Qt.DockWidgetArea.TopDockWidgetArea)
        self._settings = settings
        self._runner = runner
        self._path = ledger_path(catalogue)
        self._library: Library | None = None  # an empty one is made only if shown before the first load
        self._stale = False
        self.ledger: Ledger | None = None
        self.view: LedgerView | None = None
        self.action = self.toggleViewAction()
        self.action.setText(self.tr("督办台账"))
        self.action.setShortcut("Ctrl+Shift+L")
        self.setWidget(QWidget())
        self.visibilityChanged.connect(self._on_visible)

    def set_library(self, library: Library) -> None:
        """The window's library changed: the table follows now if shown, else at the next show."""
        self._library = library
        if self.view is not None and self.isVisible():
            self.view.set_library(library)
        else:
            self._stale = True

    def _on_visible(self, visible: bool) -> None:
        if not visible:
            return
        if self.view is None:
            self._build()
        elif self._stale and self._library is not None:
            self.view.set_library(self._library)
        self._stale = False

    def _build(self) -> None:
        from gui.ledger_view import LedgerView
        from minutes.ledger import Ledger, LedgerError

        try:
            self.ledger = Ledger(self._path if self._path is not None else ":memory:")
        except LedgerError as exc:  # shown in the dock, one line; the reader goes on working
            label = QLabel(str(exc))
            label.setWordWrap(True)
            self.setWidget(label)
            return
        library = self._library if self._library is not None else Library()
        self.view = LedgerView(library, self.ledger, self._settings, self._runner, self)
        self.view.damaged.connect(self.damaged)
        for damage in self.view.left_out:  # a load that ended before the connection (synchronous)
            self.damaged.emit(damage)
        self.setWidget(self.view)

    def records(self) -> list[Record] | None:
        """What the 台账 records, for an export: from the open ledger, else read from its file
        without opening the view; None when there is none."""
        from minutes.ledger import read_records

        if self.ledger is not None:
            return self.ledger.records()
        return read_records(self._path) if self._path is not None else None

    def close_ledger(self) -> None:
        if self.ledger is not None:
            self.ledger.close()
