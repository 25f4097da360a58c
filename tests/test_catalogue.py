"""The persistent catalogue: nothing re-parsed, crashes and corruption survived, duplicates merged,
search right for every query length."""

from __future__ import annotations

import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from minutes import catalogue as catalogue_module
from minutes import item_roles
from minutes.catalogue import _SCHEMA_V1, SCHEMA_VERSION, Catalogue
from minutes.catalogue_departments import unpack_ids
from minutes.library import FilterSpec, Library, RoleFilter
from tests.conftest import SEED_NAMES, seed_path, seed_text


def copy_seeds(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in SEED_NAMES.values():
        shutil.copy(seed_path(name[:3]), folder / name)
    return folder


def roles_as_version_7(raw: sqlite3.Connection) -> None:
    """The departments items name as versions up to 7 kept them: names and roles as text, with an
    index by item (and the partial index of version 7, which a test of an older one drops)."""
    if "dept TEXT" in raw.execute("SELECT sql FROM sqlite_master WHERE name = 'topic_roles'").fetchone()[0]:
        return
    names = dict(raw.execute("SELECT id, name FROM departments"))
    rows = [(t, names[d], item_roles.ROLES[r]) for t, d, r in raw.execute("SELECT * FROM topic_roles").fetchall()]
    raw.execute("DROP TABLE topic_roles")
    raw.execute(
        "CREATE TABLE topic_roles(topic_id INTEGER NOT NULL REFERENCES topics(id) ON DELETE CASCADE, dept TEXT NOT NULL, role TEXT NOT NULL)"
    )
    raw.execute("CREATE INDEX topic_roles_topic ON topic_roles(topic_id)")
    raw.execute("CREATE INDEX topic_roles_any ON topic_roles(dept, role) WHERE role = 'any'")
    raw.executemany("INSERT INTO topic_roles VALUES (?, ?, ?)", rows)


def attendance_as_version_4(raw: sqlite3.Connection) -> None:
    """The departments that attended as versions up to 4 kept them: a row per (document, name)."""
    roles_as_version_7(raw)  # before their numbers go
    names = dict(raw.execute("SELECT id, name FROM departments"))
    rows = [(k, names[i]) for k, blob in raw.execute("SELECT * FROM attended").fetchall() for i in unpack_ids(blob)]
    raw.execute("DROP TABLE attended")
    raw.execute("DROP TABLE departments")
    raw.execute(
        "CREATE TABLE attended(doc_key TEXT NOT NULL REFERENCES documents(doc_key) ON DELETE CASCADE, dept TEXT NOT NULL)"
    )
    raw.executemany("INSERT INTO attended VALUES (?, ?)", rows)


def variant(text: str, i: int) -> str:
    """A distinct set of minutes: another session and document number."""
    text = re.sub(r"第\s*(\d+)\s*次", f"第{5000 + i}次", text, count=1)
    return re.sub(r"〔(\d{4})〕(\d+)号", lambda m: f"〔{m.group(1)}〕{900 + i}号", text, count=1)


def count_reads(monkeypatch) -> list[Path]:
    reads: list[Path] = []
    original = catalogue_module.read_document

    def counting(path):
        reads.append(Path(path))
        return original(path)

    monkeypatch.setattr(catalogue_module, "read_document", counting)
    return reads


def _migrated(raw: sqlite3.Connection, version: int, db: Path, monkeypatch) -> Library:
    """The catalogue marked as version, then opened by this program: migrated, nothing parsed."""
    if version <= 7:
        roles_as_version_7(raw)
    raw.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(version),))
    raw.commit()
    raw.close()
    import minutes.parse

    monkeypatch.setattr(minutes.parse, "parse_text", lambda _text: pytest.fail("the migration parses nothing"))
    library = Library.from_file(db)
    assert library.catalogue.schema_version == SCHEMA_VERSION and library.notice is None
    return library


def test_restart_parses_nothing_unchanged(tmp_path: Path, monkeypatch) -> None:
    folder = copy_seeds(tmp_path / "minutes")
    db = tmp_path / "catalogue.sqlite3"
    library = Library.open(db, [folder])
    assert len(library.meetings) == 5 and library.topic_count == 35
    library.catalogue.close()

    reads = count_reads(monkeypatch)
    again = Library.open(db, [folder])
    assert reads == []
    assert [m.session for m in again.meetings] == [128, 121, 108, 101, 99]
    assert again.meeting(again.meetings[0].id).minutes.topics[4].resolutions[0].roles[0].name == "市市场监管局"

    changed = folder / SEED_NAMES["003"]
    changed.write_text(changed.read_text("utf-8").replace("第 101", "第 102"), "utf-8")
    (folder / SEED_NAMES["000"]).unlink()
    report = again.catalogue.refresh()
    assert (report.imported, report.removed) == (1, 1)
    assert reads == [changed]
    assert sorted(m.session for m in Library(again.catalogue).meetings) == [99, 102, 121, 128]


def test_same_minutes_from_two_sources_show_once(tmp_path: Path) -> None:
    folder = tmp_path / "minutes"
    folder.mkdir()
    (folder / "27号.txt").write_text(seed_text("000"), "utf-8")
    html = "".join(f"<p>{line}</p>" for line in seed_text("000").splitlines())
    (folder / "27号网页.html").write_text(f"<html><body>{html}</body></html>", "utf-8")
    library = Library.load([folder])
    assert len(library.meetings) == 1
    meeting = library.meetings[0]
    assert [p.name for p in meeting.sources] == ["27号.txt", "27号网页.html"]
    # The source shown goes away: the other one takes over.
    primary = meeting.source.path
    primary.unlink()
    library.catalogue.refresh()
    after = Library(library.catalogue)
    assert len(after.meetings) == 1 and after.meetings[0].source.path != primary
    assert after.meetings[0].minutes.session == 108


def test_killed_mid_import_loses_nothing_committed(tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    seeds = [seed_text(k) for k in sorted(SEED_NAMES)]
    for i in range(260):
        (folder / f"{i:03d}.txt").write_text(variant(seeds[i % 5], i), "utf-8")
    db = tmp_path / "catalogue.sqlite3"
    script = textwrap.dedent(
        f"""
        import os, signal
        from minutes.catalogue import Catalogue
        cat = Catalogue({str(db)!r})
        cat.add_root({str(folder)!r})
        def progress(done, total):
            if done >= 100:
                # no clean-up, as a crash or a killed process (Windows: TerminateProcess)
                os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))
        cat.refresh(progress)
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, check=False)
    assert result.returncode == (signal.SIGTERM if sys.platform == "win32" else -signal.SIGKILL), result.stderr
    cat = Catalogue(db)
    assert cat.notice is None
    raw = sqlite3.connect(db)
    assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    documents = raw.execute("SELECT count(*) FROM documents").fetchone()[0]
    assert 100 <= documents < 260
    orphans = raw.execute(
        "SELECT count(*) FROM documents d WHERE NOT EXISTS (SELECT 1 FROM topics t WHERE t.doc_key = d.doc_key)"
    )
    assert orphans.fetchone()[0] == 0
    report = cat.refresh()
    assert report.unchanged == documents and report.imported == 260 - documents
    assert len(Library(cat).meetings) == 260


@pytest.mark.parametrize("damage", ["header", "middle"])
def test_corrupt_catalogue_is_set_aside_and_rebuilt(tmp_path: Path, damage: str) -> None:
    folder = copy_seeds(tmp_path / "minutes")
    db = tmp_path / "catalogue.sqlite3"
    Library.open(db, [folder]).catalogue.close()
    data = bytearray(db.read_bytes())
    if damage == "header":
        data[:100] = b"\xff" * 100
    else:
        for offset in range(4096, len(data), 4096):  # every page after the first: tables, indexes
            data[offset : offset + 64] = b"\x00\xff" * 32
    db.write_bytes(bytes(data))
    library = Library.open(db, [folder])
    assert library.notice and "已另存为" in library.notice
    assert len(library.meetings) == 5 and library.topic_count == 35
    assert list(tmp_path.glob("catalogue.sqlite3.broken-*"))
    assert sqlite3.connect(db).execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_old_schema_is_migrated(tmp_path: Path) -> None:
    db = tmp_path / "old.sqlite3"
    raw = sqlite3.connect(db)
    raw.executescript(_SCHEMA_V1)
    raw.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    raw.execute("INSERT INTO roots VALUES ('/data/minutes', 'folder')")
    raw.commit()
    raw.close()
    cat = Catalogue(db)
    assert cat.schema_version == SCHEMA_VERSION == 8
    assert cat.notice is None
    assert cat.roots() == [(Path("/data/minutes"), "folder")]
    columns = {row[1] for row in sqlite3.connect(db).execute("PRAGMA table_info(files)")}
    assert "format" in columns


def test_newer_catalogue_is_not_misread(tmp_path: Path) -> None:
    db = tmp_path / "new.sqlite3"
    Catalogue(db).close()
    raw = sqlite3.connect(db)
    raw.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    raw.commit()
    raw.close()
    cat = Catalogue(db)
    assert cat.rebuilt and "newer" in cat.notice


@pytest.fixture(scope="module")
def library() -> Library:
    return Library.load([Path(seed_path("000")).parent])


@pytest.mark.parametrize(
    "query", ["湖", "桥", "医", "医保", "实验", "古城", "姑苏实验室", "链长制", "12345", "市住建局会同"]
)
def test_search_matches_a_plain_scan(library: Library, query: str) -> None:
    expected = {
        ref.key
        for ref in library.topics()
        if query.casefold() in "\n".join([ref.topic.title, *(r.text for r in ref.topic.resolutions)]).casefold()
    }
    assert library.matching(FilterSpec(text=query)) == expected
    if query in ("湖", "医保", "姑苏实验室"):
        assert expected  # the short queries really find something


def test_filters_through_the_index(library: Library) -> None:
    lead = library.matching(FilterSpec(departments=frozenset({"市住建局"}), role=RoleFilter.LEAD))
    assert {(library.meeting(k).session, n) for k, n in lead} == {(108, 3), (121, 4)}
    typo = library.matching(FilterSpec(departments=frozenset({"市场监管局"}), role=RoleFilter.LEAD))
    assert {(library.meeting(k).session, n) for k, n in typo} == {(128, 5), (128, 8)}
    attended = library.matching(FilterSpec(departments=frozenset({"市检察院"}), role=RoleFilter.ATTENDED))
    assert {library.meeting(k).session for k, _ in attended} == {121, 128}
    assert library.department_counts(RoleFilter.LEAD)["市发改委"] == 4


def test_unreadable_files_are_problems_with_reasons(tmp_path: Path) -> None:
    folder = copy_seeds(tmp_path / "minutes")
    (folder / "照片.txt").write_bytes(bytes(range(256)) * 64)
    with (folder / "录像.pdf").open("wb") as fh:
        fh.truncate(80 * 1024 * 1024)
    (folder / "旧文档.docx").write_bytes(b"not a zip")
    library = Library.load([folder])
    assert len(library.meetings) == 5
    reasons = {p.path.name: p.reason for p in library.problems}
    assert set(reasons) == {"照片.txt", "录像.pdf", "旧文档.docx"}
    assert "文件过大" in reasons["录像.pdf"] and "Word" in reasons["旧文档.docx"]


def test_rewriting_a_document_keeps_its_other_sources(tmp_path: Path) -> None:
    folder = tmp_path / "minutes"
    folder.mkdir()
    (folder / "a.txt").write_text(seed_text("002"), "utf-8")
    (folder / "b.txt").write_text(seed_text("002").replace("\n", "\r\n"), "utf-8")  # same minutes
    cat = Catalogue(tmp_path / "c.sqlite3")
    cat.add_root(folder)
    cat.refresh()
    key = Library(cat).meetings[0].id
    edited = seed_text("002").replace("（三）各相关部门要把立法工作", "（三）各有关部门要把立法工作")
    (folder / "a.txt").write_text(edited, "utf-8")  # the source shown changes
    cat.refresh()
    assert [p.name for p in cat.sources(key)] == ["a.txt", "b.txt"]
    assert Library(cat).meetings[0].minutes.topics[0].resolutions[2].text.startswith("各有关部门要把立法工作")


def test_version_4_attendance_is_packed_without_parsing(tmp_path: Path, monkeypatch) -> None:
    folder = copy_seeds(tmp_path / "minutes")
    db = tmp_path / "catalogue.sqlite3"
    with Library.open(db, [folder]) as before:
        attended = before.department_counts(RoleFilter.ATTENDED)
    assert sum(attended.values()) > 20
    raw = sqlite3.connect(db)
    attendance_as_version_4(raw)
    rows = raw.execute("SELECT COUNT(*) FROM attended").fetchone()[0]
    with _migrated(raw, 4, db, monkeypatch) as library:
        assert library.department_counts(RoleFilter.ATTENDED) == attended
    raw = sqlite3.connect(db)
    assert raw.execute("SELECT COUNT(*) FROM attended").fetchone()[0] == 5 < rows  # a row per meeting


def test_version_7_numbers_its_items_departments_without_parsing(tmp_path: Path, monkeypatch) -> None:
    """Schema 8 keeps the departments an item names by number and the role by code, keyed by the
    item: a version 7 catalogue's rows are copied, nothing is parsed, every filter and count of
    departments answers as before, and removing a meeting still takes its items' rows."""
    folder = copy_seeds(tmp_path / "minutes")
    db = tmp_path / "catalogue.sqlite3"
    roles = list(RoleFilter)
    with Library.open(db, [folder]) as before:
        groups = sorted(before.catalogue.topic_roles())
        counts = {role: before.department_counts(role) for role in roles}
        names = sorted({name for name, _role, _ids in groups})
        specs = [FilterSpec(departments=frozenset({n}), role=r) for n in names[:6] for r in roles]
        answers = [before.matching(spec) for spec in specs]
    assert len(groups) > 20 and {role for _n, role, _i in groups} == set(item_roles.ROLES)
    raw = sqlite3.connect(db)
    rows = raw.execute("SELECT COUNT(*) FROM topic_roles").fetchone()[0]
    roles_as_version_7(raw)
    raw.execute("INSERT INTO topic_roles SELECT topic_id, dept, role FROM topic_roles LIMIT 3")  # repeated rows
    raw.execute("INSERT INTO departments(name) VALUES ('不再被提到的部门')")  # a number no item has
    with _migrated(raw, 7, db, monkeypatch) as library:
        assert sorted(library.catalogue.topic_roles()) == groups
        assert {role: library.department_counts(role) for role in roles} == counts
        assert [library.matching(spec) for spec in specs] == answers
    raw = sqlite3.connect(db)
    assert raw.execute("SELECT COUNT(*) FROM topic_roles").fetchone()[0] == rows  # each once
    assert {type(v) for row in raw.execute("SELECT * FROM topic_roles") for v in row} == {int}
    indexes = {name for (name,) in raw.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert "topic_roles_topic" not in indexes and "topic_roles_any" in indexes
    raw.close()
    first = next(iter(sorted(folder.iterdir())))
    first.unlink()
    with Library.open(db, [folder]) as after:
        assert len(after.meetings) == 4 and after.department_counts() != counts[RoleFilter.ANY]
    raw = sqlite3.connect(db)
    left = raw.execute("SELECT COUNT(*) FROM topic_roles WHERE topic_id NOT IN (SELECT id FROM topics)").fetchone()
    assert left == (0,)  # the removed meeting's rows went with its items


def test_a_version_7_role_not_known_is_damage(tmp_path: Path) -> None:
    db = tmp_path / "catalogue.sqlite3"
    Library.open(db, [copy_seeds(tmp_path / "minutes")]).close()
    raw = sqlite3.connect(db)
    roles_as_version_7(raw)
    raw.execute("UPDATE topic_roles SET role = 'chair' WHERE rowid = 1")
    with pytest.raises(sqlite3.DatabaseError, match="unknown role"):
        item_roles.migrate(raw)


def test_a_version_7_role_row_of_an_item_gone_is_left_out(tmp_path: Path) -> None:
    """An orphan row (foreign keys off in another tool) must not fail the new table's foreign key,
    which would set the whole catalogue aside and parse every file again."""
    db = tmp_path / "catalogue.sqlite3"
    Library.open(db, [copy_seeds(tmp_path / "minutes")]).close()
    raw = sqlite3.connect(db)
    roles_as_version_7(raw)
    rows = raw.execute("SELECT count(*) FROM topic_roles").fetchone()[0]
    raw.execute("INSERT INTO topic_roles VALUES (999999, '市财政局', 'lead')")  # no item 999999
    raw.execute("PRAGMA foreign_keys = ON")
    item_roles.migrate(raw)
    assert raw.execute("SELECT count(*) FROM topic_roles").fetchone()[0] == rows


def test_every_role_an_item_is_stored_in_has_a_code() -> None:
    """The roles an import writes ("any", then every role but mentioned: minutes.prepared) each
    have a code: a role added to departments.Role alone would fail an import half way."""
    from minutes.departments import Role

    assert {"any"} | {r.value for r in Role if r is not Role.MENTIONED} == set(item_roles.ROLES)


def test_version_6_gets_its_start_reads_without_parsing(tmp_path: Path, monkeypatch) -> None:
    """Schema 7 keeps each meeting's run of items and the start's indexes: a version 6 catalogue
    gets them from what it stores, parses nothing, and lists the same library."""
    from tests import mixed_library

    db = tmp_path / "catalogue.sqlite3"
    with Library.open(db, [mixed_library.build(tmp_path / "m")]) as before:
        expected = [(m.id, m.session, m.date, list(before.item_numbers(m.id))) for m in before.meetings]
        ids = list(before._items.ids)
        notes = before.parse_notes
    raw = sqlite3.connect(db)
    runs = raw.execute("SELECT * FROM item_runs ORDER BY doc_key").fetchall()
    raw.execute("DROP TABLE item_runs")  # as version 6 left it
    raw.execute("DROP INDEX documents_start")
    raw.execute("DROP INDEX documents_notes")
    raw.execute("DROP INDEX topic_roles_any")
    raw.execute("CREATE INDEX documents_summary ON documents(doc_key, session, date, doc_number, issuer, genre)")
    with _migrated(raw, 6, db, monkeypatch) as library:
        assert [(m.id, m.session, m.date, list(library.item_numbers(m.id))) for m in library.meetings] == expected
        assert list(library._items.ids) == ids and library.parse_notes == notes
    raw = sqlite3.connect(db)
    assert raw.execute("SELECT * FROM item_runs ORDER BY doc_key").fetchall() == runs
    indexes = {name for (name,) in raw.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert {"documents_start", "documents_notes", "topic_roles_any"} <= indexes and "documents_summary" not in indexes


def test_department_numbers_of_a_rolled_back_write_are_not_reused(tmp_path: Path) -> None:
    from minutes.catalogue_departments import write_attended

    catalogue = Catalogue(tmp_path / "c.sqlite3")
    catalogue.add_root(copy_seeds(tmp_path / "minutes"))
    catalogue.refresh()
    key = next(iter(catalogue.document_keys().values()))

    def attend(fail: bool) -> None:
        catalogue._db.execute("DELETE FROM attended WHERE doc_key = ?", (key,))
        write_attended(catalogue._db, catalogue._departments, key, ["甲局", "乙局"])
        if fail:
            raise RuntimeError("the write fails after numbering two new departments")

    with pytest.raises(RuntimeError):
        catalogue._write(lambda: attend(fail=True))
    # Another writer numbers other departments meanwhile: the numbers rolled back go to them.
    other = sqlite3.connect(tmp_path / "c.sqlite3")
    other.executemany("INSERT INTO departments(name) VALUES (?)", [("丙局",), ("丁局",)])
    other.commit()
    other.close()
    catalogue._write(lambda: attend(fail=False))
    found = {dept for dept, _rowids in catalogue.attended()}
    assert {"甲局", "乙局"} <= found and not {"丙局", "丁局"} & found


def test_an_item_naming_a_department_number_not_known_is_damage(tmp_path: Path) -> None:
    db = tmp_path / "catalogue.sqlite3"
    Library.open(db, [copy_seeds(tmp_path / "minutes")]).close()
    raw = sqlite3.connect(db)
    assert item_roles.counts(raw, "chair") == []  # no such role: nothing named in it
    raw.execute("UPDATE topic_roles SET dept = 99999 WHERE topic_id = (SELECT min(topic_id) FROM topic_roles)")
    with pytest.raises(sqlite3.DatabaseError, match="unknown department"):
        list(item_roles.grouped(raw))
    raw.execute("UPDATE topic_roles SET dept = (SELECT min(id) FROM departments), role = 7 + role WHERE dept = 99999")
    with pytest.raises(sqlite3.DatabaseError, match="unknown role"):
        list(item_roles.grouped(raw))
