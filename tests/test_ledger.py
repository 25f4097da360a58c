"""The 督办台账 store: records survive kills, catalogue rebuilds and edited re-imports."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from minutes import read_document, seeds_dir
from minutes.assignments import tasks_of
from minutes.ledger import KEEP_BACKUPS, Ledger, LedgerError, Row
from minutes.ledger_io import export_handover, merge_handover
from minutes.library import Library
from tests.conftest import seed_path
from tests.test_assignments import EXPECTED


def seed_tasks(key: str = "000"):
    return tasks_of(read_document(seed_path(key)).minutes)


def all_seed_tasks(library: Library):
    from minutes.assignments import library_tasks

    return list(library_tasks(library.meetings))


def test_a_recorded_status_is_kept_and_read_back(tmp_path: Path) -> None:
    ledger = Ledger(tmp_path / "ledger.sqlite3")
    rows = ledger.rows(seed_tasks())
    assert all(r.status == "未开始" and r.record is None for r in rows)
    row = ledger.update(rows[3], status="办理中", note="已起草", recorded_by="张三")
    assert row.record is not None and row.id == rows[3].id
    ledger.close()
    again = Ledger(tmp_path / "ledger.sqlite3").rows(seed_tasks())
    assert again[3].status == "办理中" and again[3].note == "已起草" and again[3].record.recorded_by == "张三"
    assert [r.id for r in again] == [r.id for r in rows]


def test_done_gets_a_finish_date_and_unknown_status_is_refused() -> None:
    ledger = Ledger()
    rows = ledger.rows(seed_tasks())
    done = ledger.update(rows[0], status="已办结")
    assert done.finished == dt.date.today()
    given = ledger.update(rows[1], status="已办结", finished=dt.date(2020, 9, 1))
    assert given.finished == dt.date(2020, 9, 1)
    with pytest.raises(LedgerError, match="未知的办理状态"):
        ledger.update(rows[2], status="完成")


def test_overdue_needs_a_date_in_the_past_and_an_open_status() -> None:
    ledger = Ledger()
    rows = ledger.rows(tasks_of(read_document(seed_path("001")).minutes))
    (dated,) = [r for r in rows if r.due and r.due.date]  # 2020年7月1日起施行
    assert dated.overdue(dt.date(2020, 7, 2)) and not dated.overdue(dt.date(2020, 7, 1))
    assert not ledger.update(dated, status="已办结").overdue(dt.date(2020, 7, 2))
    assert not any(r.overdue(dt.date(2030, 1, 1)) for r in rows if r is not dated)  # no date, never overdue


KILL_SCRIPT = textwrap.dedent(
    """
    import sys
    from minutes import read_document, seeds_dir
    from minutes.assignments import tasks_of
    from minutes.ledger import Ledger, STATUSES
    tasks = [t for p in sorted(seeds_dir().glob("*.txt")) for t in tasks_of(read_document(p).minutes)]
    ledger = Ledger(sys.argv[1])
    rows = ledger.rows(tasks)
    i = 0
    while True:
        row = rows[i % len(rows)]
        rows[i % len(rows)] = ledger.update(row, status=STATUSES[1 + i % 3], note=f"第{i}次")
        print(i, row.id, flush=True)
        i += 1
    """
)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_kill_9_during_writes_loses_nothing_committed(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite3"
    committed: dict[str, int] = {}
    with subprocess.Popen(
        [sys.executable, "-c", KILL_SCRIPT, str(path)], stdout=subprocess.PIPE, encoding="utf-8"
    ) as proc:
        assert proc.stdout is not None
        for line in proc.stdout:
            i, record_id = line.split()
            committed[record_id] = int(i)
            if int(i) >= 300:  # past the number of tasks: records are being overwritten too
                break
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.close()
    ledger = Ledger(path)
    records = {r.id: r for r in ledger.records()}
    for record_id, i in committed.items():
        # The writer may have committed one more write after the last line we read.
        assert int(records[record_id].note[1:-1]) >= i


def _library(catalogue: Path, folder: Path) -> Library:
    library = Library.open(catalogue, roots=[folder])
    assert library is not None
    return library


def _record_everything(ledger: Ledger, rows: list[Row]) -> dict[str, tuple[str, str]]:
    recorded = {}
    for i, row in enumerate(rows):
        status = ("办理中", "已办结", "不适用")[i % 3]
        ledger.update(row, status=status, note=f"办理情况{i}")
        recorded[row.id] = (status, f"办理情况{i}")
    return recorded


def test_catalogue_deleted_or_damaged_and_rebuilt_keeps_every_status(tmp_path: Path) -> None:
    folder = tmp_path / "minutes"
    shutil.copytree(seeds_dir(), folder)
    catalogue = tmp_path / "data" / "catalogue.sqlite3"
    ledger_path = tmp_path / "data" / "ledger.sqlite3"
    ledger = Ledger(ledger_path)
    library = _library(catalogue, folder)
    recorded = _record_everything(ledger, ledger.rows(all_seed_tasks(library)))
    assert len(recorded) == sum(v is not None for seed in EXPECTED.values() for v in seed.values())
    library.catalogue.close()
    ledger.close()
    before = hashlib.sha256(ledger_path.read_bytes()).hexdigest()
    for p in catalogue.parent.glob("catalogue.sqlite3*"):
        p.unlink()
    library = _library(catalogue, folder)  # rebuilt from the files
    library.catalogue.close()
    catalogue.write_bytes(b"not a database at all" * 100)  # damaged: set aside and rebuilt
    library = _library(catalogue, folder)
    assert library.catalogue.rebuilt
    assert hashlib.sha256(ledger_path.read_bytes()).hexdigest() == before
    rows = Ledger(ledger_path).rows(all_seed_tasks(library))
    assert not any(r.orphaned for r in rows)
    assert {r.id: (r.status, r.note) for r in rows} == recorded


def test_edited_reimport_keeps_every_status_and_orphans_what_disappeared(tmp_path: Path) -> None:
    folder = tmp_path / "minutes"
    shutil.copytree(seeds_dir(), folder)
    ledger = Ledger(tmp_path / "ledger.sqlite3")
    library = _library(tmp_path / "catalogue.sqlite3", folder)
    rows = ledger.rows(all_seed_tasks(library))
    recorded = _record_everything(ledger, rows)
    library.catalogue.close()
    # Small corrections throughout (a wording, a typo, punctuation width), and one resolution
    # rewritten beyond recognition.
    edited = folder / seed_path("000").name
    text = edited.read_text("utf-8")
    gone = "由市医保局根据本次会议讨论意见按程序发文实施。"
    assert gone in text
    text = text.replace(gone, "由市医保局另行研究，暂缓实施，待明年再议并报市政府同意后再行决定。")
    for path in folder.glob("*.txt"):
        t = text if path == edited else path.read_text("utf-8")
        t = t.replace("作进一步修改完善后", "进一步修改完善后").replace("各地各部门要", "各地各部门务必要")
        path.write_text(t.replace("。由", ".由"), "utf-8")
    library = _library(tmp_path / "catalogue.sqlite3", folder)
    tasks = all_seed_tasks(library)
    changed = {t.id for t in tasks} ^ set(recorded)
    assert len(changed) > 40  # most texts did change
    rows = Ledger(tmp_path / "ledger.sqlite3").rows(tasks)
    assert {r.id: (r.status, r.note) for r in rows if r.record} == recorded  # same ids, same records
    (orphan,) = [r for r in rows if r.orphaned]
    assert orphan.data["text"].endswith(gone) and orphan.data["lead"] == ["市医保局"]
    assert orphan.data["meeting"]["session"] == 108
    new_task = next(r for r in rows if r.task and "暂缓实施" in r.task.assignment.text)
    assert new_task.record is None and new_task.status == "未开始"


def test_parser_changes_refresh_the_snapshot_but_keep_the_record() -> None:
    ledger = Ledger()
    rows = ledger.rows(seed_tasks())
    ledger.update(rows[0], status="办理中")
    (record,) = ledger.records()
    ledger._put([dataclasses.replace(record, snapshot=dict(record.snapshot, lead=["旧部门"]))])
    assert ledger.records()[0].snapshot["lead"] == ["旧部门"]
    again = ledger.rows(seed_tasks())
    assert again[0].status == "办理中"
    assert ledger.records()[0].snapshot == {k: v for k, v in rows[0].data.items() if k != "id"}


def test_daily_backups_rotate(tmp_path: Path) -> None:
    ledger = Ledger(tmp_path / "ledger.sqlite3")
    ledger.update(ledger.rows(seed_tasks())[0], status="办理中")
    today = dt.date.today()
    assert [p.name for p in ledger.backups()] == [f"ledger-{today}.sqlite3"]  # taken at opening
    for day in range(1, 11):
        ledger.backup(today + dt.timedelta(days=day))
    names = [p.name for p in ledger.backups()]
    assert names == [f"ledger-{today + dt.timedelta(days=d)}.sqlite3" for d in range(4, 11)]
    assert len(names) == KEEP_BACKUPS
    copy = Ledger(ledger.backups()[-1], backups=tmp_path / "elsewhere")
    assert [r.status for r in copy.records()] == ["办理中"]


def test_hand_over_merges_by_id_newest_edit_wins(tmp_path: Path) -> None:
    rows = seed_tasks()
    mine = Ledger(tmp_path / "mine.sqlite3")
    theirs = Ledger(tmp_path / "theirs.sqlite3")
    r = mine.rows(rows)
    t = theirs.rows(rows)
    mine.update(r[0], status="办理中", note="我先改")
    theirs.update(t[0], status="已办结", note="同事后改")  # newer: wins
    theirs.update(t[1], status="办理中", note="同事改")
    mine.update(r[1], status="不适用", note="我后改")  # newer: mine stays
    theirs.update(t[2], status="办理中")  # only theirs: added
    theirs.update(t[3], status="办理中", note="相同")
    mine.update(r[3], status="办理中", note="相同")  # same content: not a conflict
    handover = tmp_path / "交接.json"
    assert export_handover(theirs, handover) == 4
    report = merge_handover(mine, handover)
    assert (report.added, report.updated, report.unchanged) == (1, 1, 1)
    assert sorted((c.id, c.kept) for c in report.conflicts) == sorted([(r[0].id, "theirs"), (r[1].id, "ours")])
    got = {x.id: (x.status, x.note) for x in mine.records()}
    assert got[r[0].id] == ("已办结", "同事后改") and got[r[1].id] == ("不适用", "我后改")
    assert got[r[2].id][0] == "办理中"
    assert "冲突 2 条" in report.describe()
    assert any("before-merge" in p.name for p in mine.backups())


def test_a_bad_hand_over_file_is_one_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "x.json"
    bad.write_text(json.dumps({"format": "other"}), "utf-8")
    with pytest.raises(LedgerError, match="不是督办台账交接文件"):
        merge_handover(Ledger(), bad)


def test_a_foreign_database_is_refused_not_rebuilt(tmp_path: Path) -> None:
    other = tmp_path / "other.sqlite3"
    db = sqlite3.connect(other)
    db.execute("CREATE TABLE x(y)")
    db.commit()
    db.close()
    with pytest.raises(LedgerError, match="不是督办台账文件"):
        Ledger(other)
    assert other.exists()
