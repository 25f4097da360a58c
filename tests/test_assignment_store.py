"""The 台账's tasks extracted during the import and kept in the catalogue (issue 14): the first
open after an import reads no meeting back, an edited re-import or a new parser extracts again,
another extraction version is not used, and what users recorded survives."""

from __future__ import annotations

import marshal
import shutil
import sqlite3
import zlib
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from minutes import assignment_store, assignments, packing, read_document, seeds_dir
from minutes.assignments import Due, MeetingRef, Task, library_tasks, tasks_of
from minutes.ledger import Ledger
from minutes.ledger_cache import CACHE_NAME, library_tasks_cached
from minutes.library import Library
from tests.conftest import SEED_NAMES, seed_path


def dicts(tasks) -> list[dict]:
    return sorted((t.to_dict() for t in tasks), key=lambda d: d["id"])


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    folder = tmp_path / "minutes"
    shutil.copytree(seeds_dir(), folder)
    return folder


@pytest.fixture
def loaded(monkeypatch) -> list[str]:
    """The keys of the documents the library reads back from the catalogue (the real loader, counted)."""
    keys: list[str] = []
    original = Library.document

    def counting(self, key):
        keys.append(key)
        return original(self, key)

    monkeypatch.setattr(Library, "document", counting)
    return keys


def expected_tasks(catalogue: Path) -> list[dict]:
    """Every task, extracted afresh from the documents (a separate library, its loads not counted)."""
    with Library.from_file(catalogue) as library:
        return dicts(library_tasks(library.meetings))


def edit_seed(folder: Path, old: str, new: str) -> None:
    (seed,) = [p for p in folder.iterdir() if old in p.read_text("utf-8", errors="ignore")]
    seed.write_text(seed.read_text("utf-8").replace(old, new), "utf-8")


def test_the_first_open_after_an_import_reads_no_meeting_back(tmp_path: Path, folder: Path, loaded) -> None:
    catalogue = tmp_path / "catalogue.sqlite3"
    with Library.open(catalogue, [folder]) as library:
        with_tasks = assignment_store.stored(library.catalogue)
        assert set(with_tasks) == {m.id for m in library.meetings}
        tasks = library_tasks_cached(library, tmp_path / "ledger.sqlite3")
    assert loaded == []
    assert not (tmp_path / CACHE_NAME).exists()  # nothing to extract, so no side cache either
    assert len(tasks) == 83
    assert dicts(tasks) == expected_tasks(catalogue)


def test_an_edited_reimport_extracts_again(tmp_path: Path, folder: Path, loaded) -> None:
    catalogue = tmp_path / "catalogue.sqlite3"
    with Library.open(catalogue, [folder]) as library:
        before = library_tasks_cached(library, tmp_path / "ledger.sqlite3")
    edit_seed(folder, "尽快组建工作组", "于6月底前组建工作组")
    with Library.open(catalogue, [folder]) as library:
        after = library_tasks_cached(library, tmp_path / "ledger.sqlite3")
    assert loaded == []
    assert "于6月底前组建工作组" not in str(dicts(before))
    (edited,) = [t for t in after if "于6月底前组建工作组" in t.assignment.text]
    assert edited.assignment.due is not None and edited.assignment.due.words == "6月底前"
    assert dicts(after) == expected_tasks(catalogue)


def test_tasks_of_another_extraction_version_are_extracted_again(
    tmp_path: Path, folder: Path, loaded, monkeypatch
) -> None:
    catalogue = tmp_path / "catalogue.sqlite3"
    Library.open(catalogue, [folder]).close()
    monkeypatch.setattr(assignments, "EXTRACTION_VERSION", assignments.EXTRACTION_VERSION + 1)
    with Library.from_file(catalogue) as library:
        assert assignment_store.stored(library.catalogue) == {}
        tasks = library_tasks_cached(library, tmp_path / "ledger.sqlite3")
        assert sorted(loaded) == sorted(m.id for m in library.meetings)
    assert dicts(tasks) == expected_tasks(catalogue)


def test_a_new_parser_stores_them_again_and_a_removed_meeting_takes_its_tasks(tmp_path: Path, folder: Path) -> None:
    catalogue = tmp_path / "catalogue.sqlite3"
    Library.open(catalogue, [folder]).close()
    db = sqlite3.connect(catalogue)
    with db:
        db.execute(f"DELETE FROM {assignment_store.TABLE}")
        db.execute("UPDATE meta SET value = '0' WHERE key = 'parser_version'")
    db.close()
    with Library.open(catalogue, [folder]) as library:  # parses every document again
        assert set(assignment_store.stored(library.catalogue)) == {m.id for m in library.meetings}
    gone = next(p for p in sorted(folder.iterdir()) if p.suffix == ".txt")
    gone.unlink()
    with Library.open(catalogue, [folder]) as library:
        keys = {m.id for m in library.meetings}
        assert len(keys) == 4 and set(assignment_store.stored(library.catalogue)) == keys


def test_a_catalogue_from_before_still_gives_every_task(tmp_path: Path, folder: Path, loaded) -> None:
    catalogue = tmp_path / "catalogue.sqlite3"
    Library.open(catalogue, [folder]).close()
    db = sqlite3.connect(catalogue)
    with db:
        db.execute(f"DROP TABLE {assignment_store.TABLE}")
    db.close()
    with Library.from_file(catalogue) as library:
        assert assignment_store.stored(library.catalogue) == {}
        tasks = library_tasks_cached(library, tmp_path / "ledger.sqlite3")
        assert len(loaded) == 5  # extracted here, as before, and kept beside the ledger
    assert (tmp_path / CACHE_NAME).is_file()
    assert dicts(tasks) == expected_tasks(catalogue)


def test_recorded_statuses_survive_an_edited_reimport(tmp_path: Path, folder: Path) -> None:
    catalogue = tmp_path / "catalogue.sqlite3"
    ledger = Ledger(tmp_path / "ledger.sqlite3")
    with Library.open(catalogue, [folder]) as library:
        rows = ledger.rows(library_tasks_cached(library, ledger.path))
    (target,) = [r for r in rows if "尽快组建工作组" in r.data["text"]]
    other = next(r for r in rows if r.id != target.id)
    ledger.update(target, status="办理中", note="已组建工作组")
    ledger.update(other, status="已办结")
    edit_seed(folder, "尽快组建工作组", "于6月底前组建工作组")
    with Library.open(catalogue, [folder]) as library:
        again = {r.id: r for r in ledger.rows(library_tasks_cached(library, ledger.path))}
    ledger.close()
    # The edited resolution is found again by place and similar text, and keeps its id.
    assert "于6月底前组建工作组" in again[target.id].data["text"]
    assert (again[target.id].status, again[target.id].note) == ("办理中", "已组建工作组")
    assert again[other.id].status == "已办结"
    assert not any(r.orphaned for r in again.values())


def test_a_meeting_whose_extraction_fails_keeps_no_stale_tasks(tmp_path: Path, folder: Path, monkeypatch) -> None:
    catalogue = tmp_path / "catalogue.sqlite3"
    Library.open(catalogue, [folder]).close()
    edit_seed(folder, "尽快组建工作组", "于6月底前组建工作组")
    original = assignments.tasks_of

    def failing(minutes, key=""):  # the real extraction, failing on the edited meeting only
        if any("于6月底前组建工作组" in r.text for t in minutes.topics for r in t.resolutions):
            raise ValueError("an extraction bug")
        return original(minutes, key)

    monkeypatch.setattr(assignments, "tasks_of", failing)
    with Library.open(catalogue, [folder]) as library:  # the import itself goes on
        stored = assignment_store.stored(library.catalogue)
        assert len(library.meetings) == 5 and len(stored) == 4
        (edited,) = [m.id for m in library.meetings if m.id not in stored]
        assert "于6月底前组建工作组" in str(library.document(edited).text)


def test_the_stored_form_gives_back_every_task_as_extracted() -> None:
    tasks = [t for key in sorted(SEED_NAMES) for t in tasks_of(read_document(seed_path(key)).minutes, key)]
    # An action that is no piece of the text (the commas dropped), no action, a due with no
    # date and a recurring one, a meeting without a date.
    first = tasks[0]
    ref = MeetingRef("第3次@", None, 3, None)
    odd = [
        Task(ref, "一、议题", replace(first.assignment, action="按程序印发", text="由市工信局，按程序，印发。")),
        Task(ref, "二、议题", replace(first.assignment, item=2, action="", due=Due("尽快"))),
        Task(ref, "三、议题", replace(first.assignment, item=3, due=Due("每季度", recurring=True))),
    ]
    for group in ([t for t in tasks if t.meeting == tasks[0].meeting], odd, []):
        back = assignment_store.unpack(assignment_store.pack(group))
        assert back == group
        assert [t.to_dict() for t in back] == [t.to_dict() for t in group]


def test_rows_of_another_stored_form_are_not_read(tmp_path: Path, folder: Path, monkeypatch) -> None:
    catalogue = tmp_path / "catalogue.sqlite3"
    Library.open(catalogue, [folder]).close()
    monkeypatch.setattr(assignment_store, "FORMAT", assignment_store.FORMAT + 1)
    with Library.from_file(catalogue) as library:
        assert assignment_store.stored(library.catalogue) == {}
        assert dicts(library_tasks_cached(library, tmp_path / "ledger.sqlite3")) == expected_tasks(catalogue)


def test_reading_them_back_leaves_the_cycle_collector_as_it_found_it(tmp_path: Path, folder: Path) -> None:
    import gc

    with Library.open(tmp_path / "catalogue.sqlite3", [folder]) as library:
        assert gc.isenabled()
        assert len(assignment_store.stored(library.catalogue)) == 5
        assert gc.isenabled()
        gc.disable()
        try:
            assert len(assignment_store.stored(library.catalogue)) == 5
            assert not gc.isenabled()
        finally:
            gc.enable()


def test_tasks_stored_against_their_source_text_are_smaller_and_come_back() -> None:
    doc = read_document(seed_path(sorted(SEED_NAMES)[0]))
    tasks = tasks_of(doc.minutes, "k")
    alone, against = assignment_store.pack(tasks), assignment_store.pack(tasks, doc.text)
    assert len(against) < len(alone) / 2  # the tasks repeat the resolutions' words
    assert assignment_store.unpack(against, packing.dictionary(doc.text)) == tasks
    assert assignment_store.unpack(alone) == tasks
    with pytest.raises(ValueError):  # no text, or another meeting's: never wrong tasks
        assignment_store.unpack(against)
    with pytest.raises(ValueError):
        assignment_store.unpack(against, packing.dictionary(doc.text.replace("市", "县")))


def test_stored_tasks_carry_their_ids(monkeypatch) -> None:
    doc = read_document(seed_path(sorted(SEED_NAMES)[0]))
    tasks = tasks_of(doc.minutes, "k")
    packed = assignment_store.pack(tasks, doc.text)
    expected = [t.id for t in tasks]

    def no_hashing(text: str) -> str:
        raise AssertionError("the id is stored: no text is hashed at the first open")

    monkeypatch.setattr(assignments, "text_hash", no_hashing)
    assert [t.id for t in assignment_store.unpack(packed, packing.dictionary(doc.text))] == expected


def spoiled(tmp_path: Path, folder: Path, spoil: Callable[[sqlite3.Connection, str], object]) -> tuple[Path, str]:
    """A catalogue of the seeds whose first document's stored tasks (or text) spoil(db, key)
    then spoils; the catalogue and that key."""
    catalogue = tmp_path / "catalogue.sqlite3"
    Library.open(catalogue, [folder]).close()
    db = sqlite3.connect(catalogue)
    with db:
        (key,) = db.execute(f"SELECT doc_key FROM {assignment_store.TABLE} ORDER BY doc_key LIMIT 1").fetchone()
        spoil(db, key)
    db.close()
    return catalogue, key


def assert_extracted_again(tmp_path: Path, catalogue: Path, key: str) -> None:
    """Every stored meeting but key is read back; the 台账 still gives every task."""
    with Library.from_file(catalogue) as library:
        assert set(assignment_store.stored(library.catalogue)) == {m.id for m in library.meetings} - {key}
        assert dicts(library_tasks_cached(library, tmp_path / "ledger.sqlite3")) == expected_tasks(catalogue)


def test_tasks_that_do_not_match_their_documents_text_are_extracted_again(tmp_path: Path, folder: Path) -> None:
    def anothers_tasks(db: sqlite3.Connection, key: str) -> None:  # they no longer unpack against its text
        table = assignment_store.TABLE
        db.execute(
            f"UPDATE {table} SET data = (SELECT data FROM {table} WHERE doc_key != ? LIMIT 1) WHERE doc_key = ?",
            (key, key),
        )

    assert_extracted_again(tmp_path, *spoiled(tmp_path, folder, anothers_tasks))


def test_a_document_whose_text_is_damaged_only_loses_its_stored_tasks(tmp_path: Path, folder: Path) -> None:
    def damage(db: sqlite3.Connection, key: str) -> None:
        db.execute("UPDATE documents SET source_text = ? WHERE doc_key = ?", (b"x\x9cnot deflated", key))

    catalogue, key = spoiled(tmp_path, folder, damage)
    with Library.from_file(catalogue) as library:
        assert set(assignment_store.stored(library.catalogue)) == {m.id for m in library.meetings} - {key}


def test_they_are_read_back_a_page_at_a_time(tmp_path: Path, folder: Path, monkeypatch) -> None:
    catalogue = tmp_path / "catalogue.sqlite3"
    Library.open(catalogue, [folder]).close()
    with Library.from_file(catalogue) as library:
        whole = assignment_store.stored(library.catalogue)
        pages: list[int] = []
        task_rows = library.catalogue.task_rows
        monkeypatch.setattr(assignment_store, "_PAGE", 2)
        monkeypatch.setattr(
            library.catalogue, "task_rows", lambda after, limit: pages.append(limit) or task_rows(after, limit)
        )
        assert assignment_store.stored(library.catalogue) == whole and len(whole) == 5
        assert pages == [2, 2, 2]  # 2 + 2 + 1 of the 5 meetings


def test_a_stored_row_of_another_layout_is_extracted_again(tmp_path: Path, folder: Path) -> None:
    """A layout change that forgot to bump FORMAT must cost a re-extraction, not the 台账."""

    def other_layout(db: sqlite3.Connection, key: str) -> None:
        row = (1, 1, "文本", (), (), False, None, "文本", (), None)  # a task of an item with no title
        wrong = zlib.compress(marshal.dumps((("k", None, None, 0), (), bytes(5), (row,)), 4))
        db.execute(f"UPDATE {assignment_store.TABLE} SET data = ? WHERE doc_key = ?", (wrong, key))

    assert_extracted_again(tmp_path, *spoiled(tmp_path, folder, other_layout))
