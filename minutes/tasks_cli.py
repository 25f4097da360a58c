"""`minutes tasks`: the 督办台账 from the command line.

minutes tasks [--dept NAME] [--from D] [--to D] [--status S ...] [--json] [-o FILE.xlsx|.csv]
minutes tasks set ID --status 已办结 [--note TEXT] [--finished D] [--by NAME]
minutes tasks import FILE.xlsx       (statuses edited in the spreadsheet)
minutes tasks import FILE.json       (a colleague's hand-over: newest edit wins, conflicts listed)
minutes tasks handover FILE.json     (write the hand-over file)
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Iterable
from pathlib import Path

from minutes import seeds_dir
from minutes.ledger import STATUSES, Ledger, LedgerError, Row, default_path
from minutes.ledger_cache import library_tasks_cached
from minutes.library import Library
from minutes.stored_copy import GONE, DamagedCopy, damaged_state


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期格式应为 YYYY-MM-DD：{text}") from None


def add_parser(commands) -> None:
    tasks = commands.add_parser("tasks", help="督办台账：列出、导出、登记办理情况")
    tasks.add_argument("words", nargs="*", metavar="set ID | import FILE | handover FILE", help="不给出时列出督办事项")
    tasks.add_argument("--dept", metavar="NAME", help="只列出与该单位有关的事项（牵头、会同或面向各地各部门）")
    tasks.add_argument("--from", dest="date_from", type=_date, metavar="YYYY-MM-DD", help="会议日期起")
    tasks.add_argument("--to", dest="date_to", type=_date, metavar="YYYY-MM-DD", help="会议日期止")
    tasks.add_argument("--status", action="append", choices=STATUSES, help="列出时：按状态筛选（可多次）；set：新状态")
    tasks.add_argument("--note", help="set：办理情况")
    tasks.add_argument("--finished", type=_date, metavar="YYYY-MM-DD", help="set：办结日期")
    tasks.add_argument("--by", help="set：登记人（默认：当前用户）")
    tasks.add_argument("--json", action="store_true", help="输出 JSON")
    tasks.add_argument("-o", "--output", metavar="FILE", help="写入 .xlsx 或 .csv")
    tasks.add_argument("--library", action="append", default=[], metavar="DIR", help="纪要文件夹（默认：用户的纪要库）")
    tasks.add_argument("--catalogue", type=Path, metavar="FILE", help="纪要索引文件（默认在用户数据目录）")
    tasks.add_argument("--ledger", type=Path, metavar="FILE", help="督办台账文件（默认在用户数据目录）")
    tasks.set_defaults(func=run)


def library_of(args: argparse.Namespace) -> Library:
    """The library a command reads: the folders given with --library, else the user's catalogue
    (--catalogue or the one in the data folder), else the bundled seeds."""
    if args.library:
        library = Library.load([Path(p) for p in args.library])
        for problem in library.problems:
            print(f"minutes: {problem.path}: {problem.reason}", file=sys.stderr)
        return library
    catalogue = args.catalogue or default_path().with_name("catalogue.sqlite3")
    if Path(catalogue).exists():
        return Library.from_file(catalogue)
    return Library.load([seeds_dir()])


def filter_rows(
    rows: Iterable[Row],
    department: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    statuses: Iterable[str] = (),
) -> list[Row]:
    from minutes.departments import registry

    name = registry().canonical(department) if department else None
    wanted = set(statuses)
    kept = []
    for row in rows:
        day = row.meeting_date
        if name and not row.concerns(name):
            continue
        if (date_from or date_to) and (day is None or day < (date_from or day) or day > (date_to or day)):
            continue
        if wanted and row.status not in wanted:
            continue
        kept.append(row)
    return kept


def _find(rows: list[Row], prefix: str) -> Row:
    matches = [r for r in rows if r.id == prefix] or [r for r in rows if r.id.startswith(prefix)]
    if len(prefix) < 4 or not matches:
        raise LedgerError(f"找不到编号为 {prefix} 的督办事项")
    if len(matches) > 1:
        raise LedgerError(f"编号 {prefix} 不唯一，请多给出几位")
    return matches[0]


def _line(row: Row) -> str:
    d = row.data
    who = "、".join([*d.get("lead", []), *([d["scope"]] if d.get("to_all") and d.get("scope") else [])])
    due = f"  时限：{row.due.words}" if row.due else ""
    flag = "  [原议定事项已不在纪要中]" if row.orphaned else ""
    meeting = d["meeting"]
    return (
        f"{row.id}  {meeting.get('date') or ''}  第{meeting.get('session') or '?'}次  {d['item']}-{d['resolution']}  "
        f"[{row.status}]  {who or '—'}  {d.get('action') or ''}{due}{flag}"
    )


def damaged_copy_line(damage: DamagedCopy) -> str:
    """A meeting the command cannot read, for stderr: the command does not repair it (the
    reader's window does, as the meeting is shown)."""
    if damage.gone:
        return f"“{damage.label}”：{GONE}，请在阅读器中重新载入资料库（F5）"
    what_to_do = "无法列出督办事项；在阅读器中打开这份纪要，它会从源文件重新读取"
    return f"“{damage.label}”：" + damaged_state(damage.reason, what_to_do)


def run(args: argparse.Namespace) -> int:
    try:
        return _run(args)
    except LedgerError as exc:
        print(f"minutes: {exc}", file=sys.stderr)
        return 1
    except DamagedCopy as damage:
        # Stops rather than lists the rest: a set or import against rows with a meeting left out
        # would miss its items without a word.
        print(f"minutes: {damaged_copy_line(damage)}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # `minutes tasks | head`: the caller handles it
        raise
    except OSError as exc:
        print(f"minutes: {exc.filename or ''}: {exc.strerror or exc}", file=sys.stderr)
        return 1


def _run(args: argparse.Namespace) -> int:
    words = args.words
    if words and words[0] not in ("set", "import", "handover"):
        raise LedgerError(f"未知的子命令：{words[0]}（可用：set、import、handover）")
    if words and len(words) != 2:
        raise LedgerError(f"用法：minutes tasks {words[0]} {'ID' if words[0] == 'set' else 'FILE'}")
    ledger = Ledger(args.ledger or default_path())
    try:
        if words and words[0] == "handover":
            from minutes.ledger_io import export_handover

            count = export_handover(ledger, words[1])
            print(f"{words[1]}: {count} 条登记")
            return 0
        library = library_of(args)
        rows = ledger.rows(library_tasks_cached(library, ledger.path))
        if words and words[0] == "set":
            return _set(ledger, rows, words[1], args)
        if words and words[0] == "import":
            return _import(ledger, rows, Path(words[1]))
        return _list(rows, args)
    finally:
        ledger.close()


def _set(ledger: Ledger, rows: list[Row], prefix: str, args: argparse.Namespace) -> int:
    if args.status and len(args.status) > 1:
        raise LedgerError("set 只能给出一个 --status")
    if not (args.status or args.note is not None or args.finished):
        raise LedgerError("set 需要 --status、--note 或 --finished")
    row = _find(rows, prefix)
    changes = {"status": args.status[0] if args.status else None, "note": args.note, "recorded_by": args.by}
    if args.finished:
        changes["finished"] = args.finished
    row = ledger.update(row, **changes)
    print(_line(row))
    return 0


def _import(ledger: Ledger, rows: list[Row], path: Path) -> int:
    if path.suffix.lower() == ".json":
        from minutes.ledger_io import merge_handover

        report = merge_handover(ledger, path)
        print(report.describe())
        for c in report.conflicts:
            kept = c.theirs if c.kept == "theirs" else c.ours
            other = c.ours if c.kept == "theirs" else c.theirs
            print(f"  冲突 {c.id}：保留 [{kept.status}] {kept.note}（{kept.updated}），", end="")
            print(f"舍弃 [{other.status}] {other.note}")
        return 0
    from minutes.ledger_io import import_xlsx

    report = import_xlsx(ledger, rows, path)
    print(report.describe())
    for line in report.invalid:
        print(f"  {line}")
    for record_id in report.unknown:
        print(f"  未找到编号：{record_id}")
    return 0


def _list(rows: list[Row], args: argparse.Namespace) -> int:
    rows = filter_rows(rows, args.dept, args.date_from, args.date_to, args.status or ())
    # Newest meeting first, then in the order of the minutes.
    rows.sort(key=lambda r: (-(r.meeting_date or dt.date.min).toordinal(), r.data["item"], r.data["resolution"]))
    if args.output:
        from minutes.ledger_io import write_csv, write_xlsx

        output = Path(args.output)
        suffix = output.suffix.lower()
        if suffix == ".xlsx":
            write_xlsx(rows, output, args.dept, args.date_from, args.date_to)
        elif suffix == ".csv":
            write_csv(rows, output)
        else:
            raise LedgerError(f"只能写入 .xlsx 或 .csv：{output}")
        print(f"{output}: {len(rows)} 条督办事项")
        return 0
    if args.json:
        json.dump([r.to_dict() for r in rows], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    for row in rows:
        print(_line(row))
    print(f"共 {len(rows)} 条督办事项")
    return 0
