"""The `minutes` console command: parse minutes files for people and for other tools."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import minutes
from minutes.model import Minutes
from minutes.source import ReadError, read_document


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
    lines = [f"{path}  [{encoding}]", f"  {head}", f"  议题 {len(m.topics)} 项，议定意见 {resolutions} 条"]
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
            print(f"minutes: {path}: {exc}", file=sys.stderr)
            status = 1
            continue
        if args.json:
            results.append({"file": str(path), "encoding": doc.encoding, **doc.minutes.to_dict()})
        else:
            print(_summary(path, doc.encoding, doc.minutes))
            print()
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
    export.set_defaults(func=_cmd_export)
    try:
        from gui.export_cli import add_arguments
    except ImportError:  # the core installed without the application
        export.add_argument("rest", nargs=argparse.REMAINDER)
    else:
        add_arguments(export)
    return parser


def _cmd_export(args: argparse.Namespace) -> int:
    # The export draws with Qt, which lives in the application package, not in this core.
    try:
        from gui.export_cli import run
    except ImportError as exc:
        print(f"minutes: export needs the application (PySide6): {exc}", file=sys.stderr)
        return 2
    return run(args)


def main(argv: Sequence[str] | None = None) -> int:
    # Windows pipes and consoles default to the ANSI code page (cp1252, cp936), which cannot hold
    # every character of the minutes: the output is UTF-8 everywhere.
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:  # `minutes parse … | head` is normal use
        return 0


if __name__ == "__main__":
    sys.exit(main())
