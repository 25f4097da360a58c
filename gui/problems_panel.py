"""The problems panel: every file that could not be read, or was read with parse warnings,
with the reason, and a way to open the file's folder; then the meetings the numbering says are
missing (缺少的纪要), grouped by issuer and year, so users know what to fetch."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gui import plain_text
from gui.tree_model import gap_tooltip, meeting_label, meeting_tree_label
from minutes.library import Library, Meeting, Problem
from minutes.numbering import Gap
from minutes.stored_copy import DamagedCopy

PATH_ROLE = Qt.ItemDataRole.UserRole + 1
GAP_ROLE = Qt.ItemDataRole.UserRole + 2  # the Gap of a 缺少的纪要 row; True on their group rows
WARNINGS_SHOWN = 2  # in the row; the tooltip lists them all
REASON_WIDTH = 560  # pixels at most for the reason column
_CJK = re.compile("[\u4e00-\u9fff]")


def readable_reason(reason: str) -> str:
    """A reason fit for the user: a bare library message ("PdfStreamError: …") becomes one
    plain Chinese line (the original stays in the tooltip)."""
    if _CJK.search(reason):
        return reason
    return QCoreApplication.translate("ProblemsPanel", "文件已损坏，或不是能读取的格式")


def warnings_text(warnings: list[str]) -> str:
    shown = "；".join(warnings[:WARNINGS_SHOWN])
    if len(warnings) > WARNINGS_SHOWN:
        shown += QCoreApplication.translate("ProblemsPanel", " 等 %1 条").replace("%1", str(len(warnings)))
    return shown


class ProblemsPanel(QDockWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("problemsPanel")
        self.setWindowTitle(self.tr("问题"))
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.setTextFormat(Qt.TextFormat.PlainText)  # may quote a path or a database error
        self.notice.hide()
        self._list = QTreeWidget()
        # The meeting (when the file was read) or the file, then why, then where it lies.
        self._list.setHeaderLabels([self.tr("纪要或文件"), self.tr("原因"), self.tr("所在文件夹")])
        self._list.setRootIsDecorated(False)
        self._list.setUniformRowHeights(True)
        self._list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self._list.setColumnWidth(0, 320)
        self._list.itemDoubleClicked.connect(lambda item, _column: self.open_location(item))
        self.open_button = QPushButton(self.tr("打开所在文件夹"))
        self.open_button.clicked.connect(lambda: self.open_location(self._list.currentItem()))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.open_button)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 4, 6, 6)
        layout.addWidget(self.notice)
        layout.addWidget(self._list, 1)
        layout.addLayout(buttons)
        self.setWidget(body)
        self._gaps: list[Gap] = []
        self._gap_library: Library | None = None
        # What set_problems was given, until the rows are made: the panel starts hidden, and a
        # large library's 20,000 parse notes cost its start 0.7 s as rows nobody looked at.
        self._pending: tuple[list[Problem], list[tuple[Path, list[str]]], Mapping[Path, Meeting]] | None = None
        self._given: tuple[list[Problem], list[tuple[Path, list[str]]], Mapping[Path, Meeting]] = ([], [], {})
        self._damaged: list[DamagedCopy] = []  # meetings whose stored copy could not be read

    @property
    def list(self) -> QTreeWidget:
        """The rows, made first if set_problems' have not been yet."""
        self._fill()
        return self._list

    def showEvent(self, event: QShowEvent) -> None:
        self._fill()
        super().showEvent(event)

    def set_problems(
        self,
        problems: list[Problem],
        notes: list[tuple[Path, list[str]]],
        notice: str | None,
        meetings: Mapping[Path, Meeting] | None = None,
    ) -> None:
        """meetings: the meeting each source file was read as, when known; a parse note then
        names the meeting (第108次常务会议 · 2020-08-17 · 〔2020〕27号), not the file's name."""
        self.notice.setText(notice or "")
        self.notice.setVisible(bool(notice))
        self._pending = self._given = (problems, notes, meetings or {})
        self._damaged = []  # a new library: its meetings are read afresh
        self.open_button.setEnabled(bool(problems or notes))
        if self.isVisible():
            self._fill()

    def set_damaged(self, damaged: list[DamagedCopy]) -> None:
        """The meetings whose stored copy in the catalogue could not be read, listed first."""
        self._damaged = list(damaged)
        self._pending = self._given
        self.open_button.setEnabled(bool(self._given[0] or self._given[1] or damaged))
        if self.isVisible():
            self._fill()

    def _fill(self) -> None:
        if self._pending is None:
            return
        problems, notes, meetings = self._pending
        self._pending = None
        self._list.clear()
        for damage in self._damaged:
            self._add_damaged(damage)
        for problem in problems:
            reason = self.tr("无法读取：") + readable_reason(problem.reason)
            self._add(problem.path, None, reason, self.tr("无法读取：") + problem.reason)
        for path, warnings in notes:
            detail = self.tr("解析提示：") + "\n" + "\n".join(warnings)
            self._add(path, meetings.get(path), self.tr("解析提示：") + warnings_text(warnings), detail)
        self._add_gaps()
        self._fit_columns()

    def _fit_columns(self) -> None:
        # The reason (or where a gap lies) as far as it fits a wide window; the rest is in the tooltip.
        self._list.setColumnWidth(1, min(max(self._list.sizeHintForColumn(1), 160), REASON_WIDTH))
        self._list.resizeColumnToContents(2)

    def set_gaps(self, gaps: list[Gap], library: Library) -> None:
        """The 缺少的纪要 section: one row per gap (minutes.numbering), under its issuer and year."""
        self._gaps, self._gap_library = list(gaps), library
        if self._pending is not None:
            return  # made with the rows
        for row in reversed(range(self._list.topLevelItemCount())):
            if self._item(row).data(0, GAP_ROLE) is not None:
                self._list.takeTopLevelItem(row)
        self._add_gaps()

    def _add_gaps(self) -> None:
        library = self._gap_library
        self._list.setRootIsDecorated(bool(self._gaps))  # the groups open and close
        if library is None:
            return
        groups: dict[tuple[str | None, int], list[Gap]] = {}
        for gap in self._gaps:  # already by issuer, newest year first
            groups.setdefault((gap.issuer, gap.year), []).append(gap)
        for (issuer, year), gaps in groups.items():
            when = self.tr("%1年").replace("%1", str(year)) if year else self.tr("日期不详")
            title = self.tr("缺少的纪要：") + " · ".join([issuer or self.tr("发文机关不详"), when])
            group = QTreeWidgetItem([title, self.tr("%1 处未收录").replace("%1", str(len(gaps))), ""])
            group.setData(0, GAP_ROLE, True)
            group.setToolTip(0, plain_text.tooltip(self.tr("编号不连续：资料库中缺少这些期次或文号的纪要")))
            for gap in gaps:
                item = QTreeWidgetItem([gap.label, self._where(gap, library), ""])
                item.setData(0, GAP_ROLE, gap)
                tip = gap_tooltip(gap, library)
                item.setToolTip(0, tip)
                item.setToolTip(1, tip)
                group.addChild(item)
            self._list.addTopLevelItem(group)
            group.setExpanded(True)
        self._fit_columns()

    def _where(self, gap: Gap, library: Library) -> str:
        after, before = library.meeting(gap.after), library.meeting(gap.before) if gap.before else None
        if after is None:
            return ""
        if before is None:
            return self.tr("在 %1 之前").replace("%1", meeting_tree_label(after))
        return (
            self.tr("在 %1 与 %2 之间")
            .replace("%1", meeting_tree_label(before))
            .replace("%2", meeting_tree_label(after))
        )

    def gap_rows(self) -> list[QTreeWidgetItem]:
        """The 缺少的纪要 rows, one per gap, in order."""
        self._fill()
        groups = [self._item(r) for r in range(self._list.topLevelItemCount())]
        return [
            child
            for g in groups
            if g.data(0, GAP_ROLE) is True
            for c in range(g.childCount())
            if (child := g.child(c)) is not None
        ]

    def _item(self, row: int) -> QTreeWidgetItem:
        item = self._list.topLevelItem(row)
        assert item is not None
        return item

    def _add(self, path: Path, meeting: Meeting | None, reason: str, detail: str) -> None:
        name = meeting_label(meeting) if meeting is not None else path.name
        item = QTreeWidgetItem([name, reason, path.parent.name or str(path.parent)])
        item.setToolTip(0, plain_text.tooltip(f"{name}\n{path}" if meeting is not None else str(path)))
        item.setToolTip(1, plain_text.tooltip(detail))
        item.setToolTip(2, plain_text.tooltip(str(path.parent)))
        item.setData(0, PATH_ROLE, str(path))
        self._list.addTopLevelItem(item)

    def _add_damaged(self, damage: DamagedCopy) -> None:
        reason = damage.state()
        path = damage.sources[0] if damage.sources else None
        item = QTreeWidgetItem([damage.label, reason, (path.parent.name or str(path.parent)) if path else ""])
        where = "\n".join(str(p) for p in damage.sources)
        item.setToolTip(0, plain_text.tooltip(f"{damage.label}\n{where}".strip()))
        item.setToolTip(1, plain_text.tooltip(reason))
        if path is not None:
            item.setToolTip(2, plain_text.tooltip(str(path.parent)))
            item.setData(0, PATH_ROLE, str(path))
        self._list.addTopLevelItem(item)

    def count(self) -> int:
        """The files listed (the 缺少的纪要 groups come after them)."""
        self._fill()
        return sum(self._item(r).data(0, GAP_ROLE) is None for r in range(self._list.topLevelItemCount()))

    def open_location(self, item: QTreeWidgetItem | None) -> bool:
        """Show the file's folder in the system's file manager (never opens the file itself)."""
        if item is None or not item.data(0, PATH_ROLE):  # a 缺少的纪要 row has no file
            return False
        folder = Path(item.data(0, PATH_ROLE)).parent
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
