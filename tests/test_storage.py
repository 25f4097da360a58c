"""Storage faults (issue 11): damage in every table and index rebuilt, a disk that refuses writes
survived in memory, names that are not UTF-8, and two windows opening one catalogue at once."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest

from minutes import storage
from minutes.catalogue import _SCHEMA_V1, SCHEMA_VERSION, Catalogue
from minutes.filters import FILTER_KINDS, FilterSpec
from minutes.formats import PARSER_VERSION, display_path
from minutes.library import Library
from tests import hostile
from tests.conftest import seed_text
from tests.test_catalogue import copy_seeds, count_reads, variant

ROOT = Path(__file__).resolve().parent.parent


def healthy(db: Path) -> bool:
    raw = sqlite3.connect(db)
    try:
        return raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        raw.close()


def set_aside(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.broken-*"))


def whole(library: Library) -> bool:
    return len(library.meetings) == 5 and library.topic_count == 35 and bool(library.search("电梯安全"))


# -- names that are not UTF-8 ----------------------------------------------------------------
@pytest.mark.skipif(sys.platform == "win32", reason="Windows file names are always Unicode")
def test_names_that_are_not_utf8_are_imported_and_round_trip(tmp_path: Path, monkeypatch) -> None:
    folder = copy_seeds(tmp_path / "minutes")
    sub = hostile.gbk_name(folder, "二〇二一年", "")
    sub.mkdir()
    good = hostile.gbk_name(sub, "第五千次会议纪要")
    good.write_bytes(variant(seed_text("001"), 1).encode("gbk"))
    bad = hostile.gbk_name(sub, "照片")
    bad.write_bytes(bytes(range(256)) * 20)
    db = tmp_path / "catalogue.sqlite3"
    library = Library.open(db, [folder])
    assert len(library.meetings) == 6
    meeting = next(m for m in library.meetings if m.session == 5001)
    assert meeting.sources == [good] and meeting.source.path == good
    assert [p.path for p in library.problems] == [bad]
    assert display_path(good).endswith("二〇二一年/第五千次会议纪要.txt")
    library.catalogue.close()
    reads = count_reads(monkeypatch)
    again = Library.open(db, [sub])  # the root itself has such a name; nothing re-read
    assert reads == [] and len(again.meetings) == 1 and again.catalogue.roots() == [(sub, "folder")]


# -- damage ------------------------------------------------------------------------------------
def _btrees(db: Path) -> list[tuple[str, int]]:
    raw = sqlite3.connect(db)
    rows = raw.execute("SELECT name, rootpage FROM sqlite_master WHERE rootpage > 0 ORDER BY name").fetchall()
    raw.close()
    return rows


def _seeded_catalogue(tmp_path: Path) -> tuple[Path, Path]:
    folder = copy_seeds(tmp_path / "minutes")
    db = tmp_path / "catalogue.sqlite3"
    library = Library.open(db, [folder])
    assert whole(library)
    library.catalogue.close()
    return folder, db


def _overwrite_page(db: Path, page: int) -> None:
    raw = sqlite3.connect(db)
    size = raw.execute("PRAGMA page_size").fetchone()[0]
    raw.close()
    with db.open("r+b") as fh:
        fh.seek((page - 1) * size)
        fh.write(b"\x0d\xff\xff\x00" * (size // 4))  # a leaf page whose cell count points off the page


BTREES = [
    "attended",
    "departments",
    "documents",
    "files",
    "files_doc",
    "meta",
    "roots",
    "search_postings",
    "sqlite_autoindex_departments_1",
    "sqlite_autoindex_documents_1",
    "sqlite_autoindex_files_1",
    "sqlite_autoindex_meta_1",
    "sqlite_autoindex_roots_1",
    "sqlite_autoindex_topics_1",
    "topic_roles",  # keyed by item from schema 8: no index topic_roles_topic
    "topic_text_config",
    "topic_text_data",
    "topic_text_idx",
    "topics",
]
BTREES = sorted([*BTREES, "assignment_tasks", "sqlite_autoindex_assignment_tasks_1"])  # minutes.assignment_store
BTREES = sorted([*BTREES, "documents_start", "documents_notes", "item_runs", "topic_roles_any"])  # schema 7: start-up


def test_the_damage_cases_cover_every_btree(tmp_path: Path) -> None:
    _folder, db = _seeded_catalogue(tmp_path)
    assert sorted(name for name, _page in _btrees(db)) == BTREES


@pytest.mark.parametrize("btree", BTREES)
def test_damage_in_any_table_or_index_is_rebuilt(tmp_path: Path, btree: str) -> None:
    folder, db = _seeded_catalogue(tmp_path)
    _overwrite_page(db, dict(_btrees(db))[btree])
    library = Library.open(db, [folder])
    assert library.notice and "已另存为" in library.notice
    assert whole(library)
    assert library.catalogue.roots() == [(folder.resolve(), "folder")]
    assert len(set_aside(tmp_path)) == 1 and healthy(db)


ROW_DAMAGE = {
    "no schema version": "DELETE FROM meta WHERE key = 'schema_version'",
    "bad schema version": "UPDATE meta SET value = 'two' WHERE key = 'schema_version'",
    "search index config": "DELETE FROM topic_text_config",
    "search index data": "DELETE FROM topic_text_data",
    "short search index": "UPDATE search_postings SET ids = x'ff'",
    "a table dropped": "DROP TABLE topic_roles",
}


@pytest.mark.parametrize("damage", sorted(ROW_DAMAGE))
def test_damaged_rows_are_rebuilt(tmp_path: Path, damage: str) -> None:
    folder, db = _seeded_catalogue(tmp_path)
    raw = sqlite3.connect(db)
    raw.execute(ROW_DAMAGE[damage])
    raw.commit()
    raw.close()
    library = Library.open(db, [folder])
    assert library.notice and "已另存为" in library.notice
    assert whole(library)
    assert len(set_aside(tmp_path)) == 1 and healthy(db)


RUN_DAMAGE = {
    "no runs": "DELETE FROM item_runs",
    "one run gone": "DELETE FROM item_runs WHERE doc_key = (SELECT min(doc_key) FROM item_runs)",
    "kinds one short": "UPDATE item_runs SET kinds = substr(kinds, 2) WHERE doc_key = (SELECT min(doc_key) FROM item_runs)",
    "a count too many": "UPDATE item_runs SET count = count + 1 WHERE doc_key = (SELECT min(doc_key) FROM item_runs)",
    "not regular, items gone": "UPDATE item_runs SET regular = 0 WHERE doc_key = (SELECT min(doc_key) FROM item_runs);"
    " DELETE FROM topics WHERE doc_key = (SELECT min(doc_key) FROM item_runs)",
    "first not a number": "UPDATE item_runs SET first = 'x' WHERE doc_key = (SELECT min(doc_key) FROM item_runs)",
    "kinds not codes": "UPDATE item_runs SET kinds = replace(kinds, '0', '审') WHERE kinds LIKE '%0%'",
    "kinds coded for another list": "UPDATE meta SET value = '审议|听取' WHERE key = 'run_kinds'",
    "written by a build before schema 7": "DELETE FROM meta WHERE key = 'run_kinds'",
}


@pytest.mark.parametrize("damage", sorted(RUN_DAMAGE))
def test_runs_out_of_step_with_the_items_are_made_again(tmp_path: Path, damage: str) -> None:
    """Each meeting's run of items (schema 7) is derived from the items: runs that do not match
    them are made again at start, never shown as meetings without items or a shifted kind filter,
    and the catalogue is not set aside for it."""
    _folder, db = _seeded_catalogue(tmp_path)
    raw = sqlite3.connect(db)
    raw.executescript(RUN_DAMAGE[damage])
    raw.commit()
    items = raw.execute("SELECT count(*) FROM topics").fetchone()[0]
    by_kind = dict(raw.execute("SELECT kind, count(*) FROM topics GROUP BY kind").fetchall())
    raw.close()
    library = Library.from_file(db)
    assert not library.notice and not set_aside(tmp_path)
    assert library.topic_count == items
    assert sum(len(library.item_numbers(m.id)) for m in library.meetings) == items
    for kind, count in by_kind.items():
        if kind in FILTER_KINDS:
            assert len(library.matching(FilterSpec(kinds=frozenset({kind})))) == count
    library.catalogue.close()
    raw = sqlite3.connect(db)
    assert raw.execute("SELECT sum(count) FROM item_runs").fetchone()[0] == items
    raw.close()


@pytest.mark.parametrize(
    "btree",
    [
        "topics",
        "documents",
        "sqlite_autoindex_topics_1",
        "topic_roles",
        "item_runs",
        "documents_start",
        "documents_notes",
        "topic_roles_any",
    ],
)
def test_quick_first_view_rebuilds_damage_at_once(tmp_path: Path, btree: str) -> None:
    # The window's first view reads the catalogue only; damage there used to leave it empty.
    _folder, db = _seeded_catalogue(tmp_path)
    _overwrite_page(db, dict(_btrees(db))[btree])
    library = Library.from_file(db)
    assert library.notice and "已另存为" in library.notice
    assert whole(library)


def test_a_healthy_catalogue_is_never_set_aside(tmp_path: Path) -> None:
    folder, db = _seeded_catalogue(tmp_path)
    for _ in range(3):
        library = Library.open(db, [folder])
        assert library.notice is None and whole(library)
        library.catalogue.close()
        assert whole(Library.from_file(db))
    assert set_aside(tmp_path) == []


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc to see open files")
@pytest.mark.parametrize("damage", ["header", "topics"])
def test_damaged_file_is_closed_before_it_is_moved(tmp_path: Path, monkeypatch, damage: str) -> None:
    # Windows refuses to move an open file (WinError 32): every connection must be closed first.
    folder, db = _seeded_catalogue(tmp_path)
    if damage == "header":
        data = bytearray(db.read_bytes())
        data[:100] = b"\xff" * 100
        db.write_bytes(bytes(data))
    else:
        _overwrite_page(db, dict(_btrees(db))["topics"])
    real_replace = os.replace
    moved = []

    def replace(src, dst):
        held = []
        for fd in os.listdir("/proc/self/fd"):
            with suppress(OSError):  # the descriptor listdir itself used
                held.append(os.readlink(f"/proc/self/fd/{fd}"))
        assert not any(Path(h) == Path(src).resolve() for h in held if h.startswith("/")), f"{src} is still open"
        moved.append(src)
        real_replace(src, dst)

    monkeypatch.setattr(storage.os, "replace", replace)
    library = Library.open(db, [folder])
    assert whole(library) and "已另存为" in library.notice
    assert moved


# -- a disk that refuses writes ----------------------------------------------------------------
def test_full_disk_goes_on_in_memory_and_keeps_the_catalogue(tmp_path: Path, monkeypatch) -> None:
    folder = tmp_path / "minutes"
    copy_seeds(folder)
    later = [folder / p.name for p in sorted(folder.iterdir())[3:]]
    for path in later:
        path.rename(path.with_suffix(".keep"))
    db = tmp_path / "catalogue.sqlite3"
    Library.open(db, [folder]).catalogue.close()
    pages = sqlite3.connect(db).execute("PRAGMA page_count").fetchone()[0]
    for path in later:
        path.with_suffix(".keep").rename(path)
    real_connect = storage.connect

    def small_disk(path: str) -> sqlite3.Connection:
        db = real_connect(path)
        if path != ":memory:":  # SQLite itself reports SQLITE_FULL past this size, as on a full disk
            db.execute(f"PRAGMA max_page_count = {pages}")
        return db

    monkeypatch.setattr(storage, "connect", small_disk)
    monkeypatch.setattr("minutes.catalogue.connect", small_disk)
    library = Library.open(db, [folder])
    assert whole(library)
    assert library.notice and "磁盘已满" in library.notice and "不会保留" in library.notice
    assert set_aside(tmp_path) == [] and healthy(db)
    assert sqlite3.connect(db).execute("SELECT count(*) FROM documents").fetchone()[0] == 3


@contextmanager
def read_only(path: Path):
    """Make a folder or file read-only in a way the current user cannot bypass. Root ignores
    permissions: then a read-only bind mount (folder) or the immutable attribute (file)."""
    if os.geteuid() != 0:
        mode = path.stat().st_mode
        path.chmod(0o555 if path.is_dir() else 0o444)
        undo = [lambda: path.chmod(mode)]
    elif path.is_dir():
        commands = [["mount", "--bind", str(path), str(path)], ["mount", "-o", "remount,bind,ro", str(path)]]
        undo = [lambda: subprocess.run(["umount", "-l", str(path)], check=True)]
    else:
        commands = [["chattr", "+i", str(path)]]
        undo = [lambda: subprocess.run(["chattr", "-i", str(path)], check=True)]
    done = []
    try:
        if os.geteuid() == 0:
            for command in commands:
                if shutil.which(command[0]) is None or subprocess.run(command, capture_output=True).returncode:
                    pytest.skip(f"cannot make {path} read-only here ({command[0]})")
                done.append(command)
        probe = path / "probe" if path.is_dir() else path
        try:
            with probe.open("ab"):
                pass
        except OSError:
            pass
        else:
            pytest.skip("the folder stays writable for this user")
        yield
    finally:
        if done or os.geteuid() != 0:
            for step in undo:
                step()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions, mounts and file attributes")
@pytest.mark.parametrize("case", ["read-only folder", "read-only folder, no catalogue yet", "read-only catalogue file"])
def test_read_only_data_folder_still_opens_everything(tmp_path: Path, capfd, case: str) -> None:
    folder = copy_seeds(tmp_path / "minutes")
    data = tmp_path / "data"
    data.mkdir()
    db = data / "catalogue.sqlite3"
    if case != "read-only folder, no catalogue yet":
        first = Library.open(db, [folder / p.name for p in sorted(folder.iterdir())[:2]])
        assert len(first.meetings) == 2
        first.catalogue.close()
    before = sorted(p.name for p in data.iterdir()), db.read_bytes() if db.exists() else None
    with read_only(db if case == "read-only catalogue file" else data):
        library = Library.open(db, [folder])
        assert whole(library)
        assert library.notice and "无法保存" in library.notice
        assert "只读" in library.notice
        library.catalogue.close()
    assert (sorted(p.name for p in data.iterdir() if not p.name.endswith(("-wal", "-shm"))), before[1]) == before
    assert capfd.readouterr().err == ""


# -- two windows at once ----------------------------------------------------------------------
_RACER = textwrap.dedent(
    """
    import json, sys
    from minutes.catalogue import Catalogue
    from minutes.library import Library
    for line in sys.stdin:
        db, folder = line.rstrip("\\n").split("\\t")
        if folder:
            library = Library.open(db, [folder])
            result = {"meetings": len(library.meetings), "notice": library.notice}
            library.catalogue.close()
        else:
            catalogue = Catalogue(db)
            result = {"version": catalogue.schema_version, "notice": catalogue.notice}
            catalogue.close()
        print(json.dumps(result), flush=True)
    """
)


def _race(jobs: list[tuple[Path, Path | None]]) -> list[list[dict]]:
    import json

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    racers = [
        subprocess.Popen(
            [sys.executable, "-c", _RACER],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
            text=True,
            encoding="utf-8",
        )
        for _ in range(2)
    ]
    results: list[list[dict]] = []
    try:
        for db, folder in jobs:
            line = f"{db}\t{folder or ''}\n"
            for racer in racers:  # both start the same round together
                racer.stdin.write(line)
                racer.stdin.flush()
            results.append([json.loads(racer.stdout.readline()) for racer in racers])
    finally:
        for racer in racers:
            racer.stdin.close()
            racer.wait(timeout=60)
            racer.stdout.close()
    return results


def test_two_processes_create_one_catalogue_at_once(tmp_path: Path) -> None:
    folder = copy_seeds(tmp_path / "minutes")
    rounds = [(tmp_path / f"round{i}" / "catalogue.sqlite3", folder) for i in range(20)]
    for pair in _race(rounds):
        assert pair == [{"meetings": 5, "notice": None}] * 2
    assert list(tmp_path.rglob("*.broken-*")) == []


def test_two_processes_migrate_one_catalogue_at_once(tmp_path: Path) -> None:
    rounds = []
    for i in range(20):
        db = tmp_path / f"round{i}" / "old.sqlite3"
        db.parent.mkdir()
        raw = sqlite3.connect(db)
        raw.executescript(_SCHEMA_V1 + "INSERT INTO meta VALUES ('schema_version', '1');")
        raw.close()
        rounds.append((db, None))
    for pair in _race(rounds):
        assert pair == [{"version": SCHEMA_VERSION, "notice": None}] * 2
    assert list(tmp_path.rglob("*.broken-*")) == []


# -- the parser version ------------------------------------------------------------------------
def test_a_new_parser_reparses_stored_documents_without_reading_files(tmp_path: Path, monkeypatch) -> None:
    import dataclasses

    import minutes.catalogue
    import minutes.parse

    folder, db = _seeded_catalogue(tmp_path)
    assert sqlite3.connect(db).execute("SELECT value FROM meta WHERE key = 'parser_version'").fetchone() == (
        str(PARSER_VERSION),
    )
    real = minutes.parse.parse_text

    def better(text: str):  # "the next parser": reads the chair differently and numbers documents anew
        m = real(text)
        return dataclasses.replace(m, chair="新的读法", doc_number=f"新{m.doc_number}")

    monkeypatch.setattr(minutes.parse, "parse_text", better)
    monkeypatch.setattr(minutes.catalogue, "PARSER_VERSION", PARSER_VERSION + 1)
    reads = count_reads(monkeypatch)
    library = Library.open(db, [folder], unless_unchanged=True)
    assert library is not None and reads == []
    assert whole(library)
    assert {m.doc_number[:1] for m in library.meetings} == {"新"}
    assert {m.minutes.chair for m in library.meetings} == {"新的读法"}
    assert all(m.sources for m in library.meetings)
    assert library.catalogue.reparse() == 0
    library.catalogue.close()
    assert sqlite3.connect(db).execute("SELECT value FROM meta WHERE key = 'parser_version'").fetchone() == (
        str(PARSER_VERSION + 1),
    )
    assert Library.open(db, [folder], unless_unchanged=True) is None  # done once, not at every start


def test_a_write_failing_with_disk_full_is_not_damage(tmp_path: Path, monkeypatch) -> None:
    # The error as a VFS or a network drive may raise it: only the message says what happened.
    folder, db = _seeded_catalogue(tmp_path)
    (folder / "extra.txt").write_text(variant(seed_text("002"), 7), encoding="utf-8")
    real = Catalogue._store_batch

    def store(self, results):
        if self.persistent:
            raise sqlite3.OperationalError("database or disk is full")
        return real(self, results)

    monkeypatch.setattr(Catalogue, "_store_batch", store)
    library = Library.open(db, [folder])
    assert len(library.meetings) == 6
    assert library.notice and "磁盘已满" in library.notice
    assert set_aside(tmp_path) == [] and healthy(db)
