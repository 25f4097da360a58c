"""`minutes export`: the PDF/CSV export without a window, for batch use and checks.

Works with QT_QPA_PLATFORM=offscreen and no display: it needs a QGuiApplication for fonts,
never a widget.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

from minutes import seeds_dir
from minutes.library import FilterSpec, Library, RoleFilter
from minutes.report import resolution_rows, select_by_spec, write_csv


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期格式应为 YYYY-MM-DD：{text}") from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-o", "--output", required=True, metavar="OUT", help="输出文件：.pdf 或 .csv")
    parser.add_argument("--dept", action="append", default=[], metavar="NAME", help="部门（可多次给出，任一即可）")
    parser.add_argument("--role", choices=[r.value for r in RoleFilter], default="any", help="部门角色")
    parser.add_argument("--from", dest="date_from", type=_date, metavar="YYYY-MM-DD")
    parser.add_argument("--to", dest="date_to", type=_date, metavar="YYYY-MM-DD")
    parser.add_argument("--text", default="", help="标题和议定意见中包含的文字")
    parser.add_argument("--kind", action="append", default=[], help="议题类型：审议/听取/传达/学习/其他")
    parser.add_argument("--layout", choices=["full", "table"], default="full", help="full=纪要全文，table=议定事项清单")
    parser.add_argument("--no-attendance", action="store_true", help="纪要全文中不含出席、列席名单")
    parser.add_argument("--continuous", action="store_true", help="各次会议接排，不另起一页")
    parser.add_argument("--library", action="append", default=[], metavar="DIR", help="纪要文件夹（默认：自带示例）")


def run(args: argparse.Namespace) -> int:
    from minutes.departments import registry

    folders = [Path(p) for p in args.library] or [seeds_dir()]
    library = Library.load(folders)
    for problem in library.problems:
        print(f"minutes: {problem.path}: {problem.reason}", file=sys.stderr)
    spec = FilterSpec(
        departments=frozenset(registry().canonical(d) for d in args.dept),
        role=RoleFilter(args.role),
        date_from=args.date_from,
        date_to=args.date_to,
        kinds=frozenset(args.kind),
        text=args.text.strip(),
    )
    selection = select_by_spec(library, spec)
    if not selection.parts:
        print("minutes: 没有符合条件的议题，未生成文件", file=sys.stderr)
        return 1
    output = Path(args.output)
    if output.suffix.lower() == ".csv":
        rows = resolution_rows(selection)
        write_csv(rows, output)
        print(f"{output}: {len(rows)} 条议定意见（{selection.topic_count} 个议题）")
        return 0

    from gui.app import needs_offscreen

    if needs_offscreen():
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtGui import QGuiApplication

    from gui.pdf_export import ExportError, ExportOptions, write_pdf

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    options = ExportOptions(
        layout=args.layout, include_attendance=not args.no_attendance, new_page_per_meeting=not args.continuous
    )
    try:
        result = write_pdf(selection, options, output)
    except (ExportError, OSError) as exc:
        print(f"minutes: {output}: {exc}", file=sys.stderr)
        return 1
    print(f"{result.path}: {result.pages} 页，{len(selection.parts)} 次会议，{selection.topic_count} 个议题")
    return 0
