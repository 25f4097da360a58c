"""The `minutes` command as installed with the application: the core's command line
(minutes.cli), given a PDF writer when Qt is there. The PDF export works with
QT_QPA_PLATFORM=offscreen and no display: it needs a QGuiApplication for fonts, never a widget.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from minutes import cli

if TYPE_CHECKING:
    from minutes.report import Selection


def write_pdf(selection: Selection, args: argparse.Namespace) -> int:
    output = Path(args.output)
    try:
        from PySide6.QtGui import QGuiApplication

        from gui.app import needs_offscreen
        from gui.pdf_export import ExportError, ExportOptions
        from gui.pdf_export import write_pdf as write
    except ImportError as exc:  # Qt installed but its libraries cannot load (e.g. no libGL)
        print(f"minutes: 导出 PDF 需要图形界面组件（PySide6），无法载入：{exc.msg}", file=sys.stderr)
        return 2
    if needs_offscreen():
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    options = ExportOptions(
        layout=args.layout, include_attendance=not args.no_attendance, new_page_per_meeting=not args.continuous
    )
    try:
        result = write(selection, options, output)
    except (ExportError, OSError) as exc:
        print(f"minutes: {output}: {exc}", file=sys.stderr)
        return 1
    print(f"{result.path}: {result.pages} 页，{len(selection.parts)} 次会议，{selection.topic_count} 个议题")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """The `minutes` script: PDF export offered only when PySide6 is installed."""
    have_qt = importlib.util.find_spec("PySide6") is not None
    return cli.main(argv, write_pdf if have_qt else None)


if __name__ == "__main__":
    sys.exit(main())
