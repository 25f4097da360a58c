"""`minutes gaps`: the meetings the numbering says a library lacks (minutes.numbering), as a
plain list by issuer and year, or JSON, so users know what to fetch."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from minutes.library import Library, Meeting
from minutes.numbering import Gap, find_gaps
from minutes.tasks_cli import library_of


def add_parser(commands: Any) -> None:
    gaps = commands.add_parser("gaps", help="列出缺少的纪要（第N次、〔年〕N号编号不连续之处）")
    gaps.add_argument("--library", action="append", default=[], metavar="DIR", help="纪要文件夹（默认：用户的纪要库）")
    gaps.add_argument("--catalogue", type=Path, metavar="FILE", help="纪要索引文件（默认在用户数据目录）")
    gaps.add_argument("--json", action="store_true", help="输出 JSON")
    gaps.set_defaults(func=run)


def _meeting(meeting: Meeting | None) -> dict[str, Any] | None:
    if meeting is None:
        return None
    date = meeting.date.isoformat() if meeting.date else None
    return {"key": meeting.id, "session": meeting.session, "doc_number": meeting.doc_number, "date": date}


def _short(meeting: Meeting) -> str:
    parts = [f"第{meeting.session}次" if meeting.session else meeting.title]
    parts += [p for p in (meeting.date and meeting.date.isoformat(), meeting.doc_number) if p]
    return " ".join(parts)


def where(gap: Gap, library: Library) -> str:
    """在 第99次 2020-06-02 〔2020〕17号 与 第101次 2020-06-15 之间."""
    after = library.meeting(gap.after)
    before = library.meeting(gap.before) if gap.before else None
    if after is None:
        return ""
    if before is None:
        return f"在 {_short(after)} 之前"
    return f"在 {_short(before)} 与 {_short(after)} 之间"


def gap_dict(gap: Gap, library: Library) -> dict[str, Any]:
    return {
        "issuer": gap.issuer,
        "year": gap.year or None,
        "label": gap.label,
        "count": gap.count,
        "term": gap.term,
        "sessions": list(gap.sessions) if gap.sessions else None,
        "doc_numbers": gap.number_text,
        "numbers": list(gap.numbers) if gap.numbers else None,
        "before": _meeting(library.meeting(gap.before) if gap.before else None),
        "after": _meeting(library.meeting(gap.after)),
    }


def run(args: argparse.Namespace) -> int:
    with library_of(args) as library:
        gaps = find_gaps(library.meetings)
        if args.json:
            json.dump([gap_dict(g, library) for g in gaps], sys.stdout, ensure_ascii=False, indent=2)
            sys.stdout.write("\n")
            return 0
        if not gaps:
            print("编号连续：没有发现缺少的纪要")
            return 0
        heading = None
        for gap in gaps:  # by issuer, newest year first
            if (gap.issuer, gap.year) != heading:
                heading = (gap.issuer, gap.year)
                print(f"{gap.issuer or '发文机关不详'} {f'{gap.year}年' if gap.year else '日期不详'}")
            print(f"  {gap.label}  {where(gap, library)}")
        print(f"共 {len(gaps)} 处缺少的纪要")
    return 0
