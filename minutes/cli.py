"""The `minutes` console command: parse minutes files for people and for other tools."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import minutes
from minutes.console import utf8_output
from minutes.formats import display_path
from minutes.library import FilterSpec, Library, RoleFilter
from minutes.model import REPORT, TRADITIONAL, Minutes
from minutes.source import ReadError, read_document

if TYPE_CHECKING:
    from minutes.report import Selection


def _summary(path: Path, encoding: str, m: Minutes) -> str:
    resolutions = sum(len(t.resolutions) for t in m.topics)
    head = "  ".join(
        part
        for part in (
            m.doc_number or "（无文号）",
            m.title,
            " ".join(filter(None, (m.date.isoformat() if m.date else None, m.period))),
            f"主持：{m.chair}" if m.chair else "",
        )
        if part
    )
    about = [
        f"发文机关：{m.issuer}" if m.issuer else "",
        f"第{m.term}届" if m.term else "",
        "新闻报道（不是纪要原文）" if m.genre == REPORT else "",
        "繁体" if m.script == TRADITIONAL else "",
    ]
    lines = [f"{path}  [{encoding}]", f"  {head}"]
    if any(about):
        lines.append("  " + "，".join(a for a in about if a))
    lines.append(f"  议题 {len(m.topics)} 项，议定意见 {resolutions} 条")
    for topic in m.topics:
        lead = "、".join(topic.lead_departments)
        lines.append(f"    {topic.label}{topic.title}  [{topic.kind}]" + (f"  牵头：{lead}" if lead else ""))
    units = {o.department for o in m.observers if o.department} | set(m.observer_units)
    lines.append(
        f"  出席 {len(m.attendees)} 人，列席 {len(m.observers)} 人（{len(units)} 个单位）"
        + (f"，记录：{m.recorder}" if m.recorder else "")
    )
    closing = [
        f"整理 {m.compiled_date}" if m.compiled_date else "",
        f"印发 {m.issued_date}" if m.issued_date else "",
        "公开发布" if m.public else "",
    ]
    if any(closing):
        lines.append("  " + "，".join(c for c in closing if c))
    lines.extend(f"  警告：{w}" for w in m.warnings)
    return "\n".join(lines)


def _cmd_parse(args: argparse.Namespace) -> int:
    status = 0
    results = []
    for name in args.files:
        path = Path(name)
        try:
            doc = read_document(path)
        except ReadError as exc:
            print(f"minutes: {display_path(path)}: {exc}", file=sys.stderr)
            status = 1
            continue
        except Exception as exc:  # a reader or parser bug costs this file, not the others
            print(f"minutes: {display_path(path)}: 解析出错（{type(exc).__name__}）", file=sys.stderr)
            status = 1
            continue
        if args.json:
            results.append({"file": display_path(path), "encoding": doc.encoding, **doc.minutes.to_dict()})
        else:
            print(_summary(Path(display_path(path)), doc.encoding, doc.minutes))
            print()
        sys.stdout.flush()  # each file's result as it comes, in order with the reasons on stderr
    if args.json and results:
        payload = results[0] if len(args.files) == 1 else results
        json.dump(payload, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    return status


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="minutes", description="苏州市政府常务会议纪要：解析与导出")
    parser.add_argument("--version", action="version", version=f"%(prog)s {minutes.__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    parse = commands.add_parser("parse", help="解析纪要文件并输出摘要或 JSON")
    parse.add_argument("files", nargs="+", metavar="FILE")
    parse.add_argument("--json", action="store_true", help="输出 JSON（一个文件为一个对象，多个文件为对象数组）")
    parse.set_defaults(func=_cmd_parse)
    export = commands.add_parser("export", help="按条件导出 PDF（纪要全文或议定事项清单）或 CSV")
    add_export_arguments(export)
    export.set_defaults(func=_cmd_export)
    from minutes.tasks_cli import add_parser as add_tasks  # 督办台账

    add_tasks(commands)
    from minutes.gaps_cli import add_parser as add_gaps  # 缺少的纪要

    add_gaps(commands)
    return parser


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期格式应为 YYYY-MM-DD：{text}") from None


def add_export_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-o", "--output", required=True, metavar="OUT", help="输出文件：.pdf 或 .csv")
    parser.add_argument("--dept", action="append", default=[], metavar="NAME", help="部门（可多次给出，任一即可）")
    parser.add_argument("--role", choices=[r.value for r in RoleFilter], default="any", help="部门角色")
    parser.add_argument("--from", dest="date_from", type=_date, metavar="YYYY-MM-DD")
    parser.add_argument("--to", dest="date_to", type=_date, metavar="YYYY-MM-DD")
    parser.add_argument("--text", default="", help="标题和议定意见中包含的文字（空格分隔的词须都出现）")
    parser.add_argument("--kind", action="append", default=[], help="议题类型：审议/听取/传达/学习/其他")
    parser.add_argument("--layout", choices=["full", "table"], default="full", help="full=纪要全文，table=议定事项清单")
    parser.add_argument("--no-attendance", action="store_true", help="纪要全文中不含出席、列席名单")
    parser.add_argument("--continuous", action="store_true", help="各次会议接排，不另起一页")
    parser.add_argument("--library", action="append", default=[], metavar="DIR", help="纪要文件夹（默认：自带示例）")


# Writes a selection as PDF and returns the exit status. The PDF needs Qt, which lives in the
# application package: its `minutes` entry point passes one in (gui.export_cli); this core
# never imports the application.
PdfWriter = Callable[["Selection", argparse.Namespace], int]


def _cmd_export(args: argparse.Namespace, write_pdf: PdfWriter | None = None) -> int:
    from minutes.departments import registry
    from minutes.report import resolution_rows, select_by_spec, write_csv

    output = Path(args.output)
    csv = output.suffix.lower() == ".csv"
    if not csv and write_pdf is None:
        print("minutes: 导出 PDF 需要图形界面组件（PySide6），当前不可用；可导出 .csv 表格", file=sys.stderr)
        return 2
    folders = [Path(p) for p in args.library] or [minutes.seeds_dir()]
    with Library.load(folders) as library:
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
        if not csv:
            assert write_pdf is not None
            return write_pdf(selection, args)
        rows = resolution_rows(selection)
        try:
            write_csv(rows, output)
        except OSError as exc:
            print(f"minutes: {output}: {exc.strerror or exc}", file=sys.stderr)
            return 1
        print(f"{output}: {len(rows)} 条议定意见（{selection.topic_count} 个议题）")
        return 0


def main(argv: Sequence[str] | None = None, write_pdf: PdfWriter | None = None) -> int:
    """write_pdf: how to write a PDF export (given by the application's entry point)."""
    utf8_output()
    args = build_parser().parse_args(argv)
    try:
        if args.func is _cmd_export:
            return _cmd_export(args, write_pdf)
        return args.func(args)
    except BrokenPipeError:  # `minutes parse … | head` is normal use
        return 0


if __name__ == "__main__":
    sys.exit(main())
