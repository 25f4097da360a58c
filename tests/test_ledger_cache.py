"""The assignments cache beside the ledger (issue 14), for meetings whose tasks the catalogue
does not hold (imported by an older program): a second open reads no meeting back, an edited
meeting is extracted again, and the cached tasks are the extracted ones."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from minutes import assignment_store, seeds_dir
from minutes.assignments import library_tasks
from minutes.ledger import Ledger
from minutes.ledger_cache import CACHE_NAME, TaskCache, cache_path, document_stamps, library_tasks_cached
from minutes.library import Library


def dicts(tasks) -> list[dict]:
    return sorted((t.to_dict() for t in tasks), key=lambda d: d["id"])


def as_if_from_an_older_program(catalogue: Path) -> None:
    """The tasks the import stored in the catalogue, made another program's (not used)."""
    db = sqlite3.connect(catalogue)
    with db:
        db.execute(f"UPDATE {assignment_store.TABLE} SET version = 'e0|0.0.0'")
    db.close()


def test_cached_tasks_are_the_extracted_ones_and_need_no_document(tmp_path: Path, monkeypatch) -> None:
    folder = tmp_path / "minutes"
    shutil.copytree(seeds_dir(), folder)
    catalogue = tmp_path / "catalogue.sqlite3"
    ledger_path = tmp_path / "ledger.sqlite3"
    Library.open(catalogue, [folder]).close()
    as_if_from_an_older_program(catalogue)
    with Library.from_file(catalogue) as library:
        assert set(document_stamps(library.catalogue)) == {m.id for m in library.meetings}
        expected = dicts(library_tasks(library.meetings))
        assert dicts(library_tasks_cached(library, ledger_path)) == expected
    assert (tmp_path / CACHE_NAME).is_file() and cache_path(ledger_path) == str(tmp_path / CACHE_NAME)
    with Library.from_file(catalogue) as library:
        loaded = []
        original = Library.document

        def counting(self, key):  # the real loader, counted
            loaded.append(key)
            return original(self, key)

        monkeypatch.setattr(Library, "document", counting)
        again = library_tasks_cached(library, ledger_path)
        assert loaded == []  # every meeting from the cache
        assert dicts(again) == expected
        # The ledger joins the cached tasks as it joins extracted ones (same ids).
        ledger = Ledger()
        assert [r.id for r in ledger.rows(again)] == [r.id for r in ledger.rows(library_tasks(library.meetings))]


def test_an_edited_meeting_is_extracted_again(tmp_path: Path) -> None:
    folder = tmp_path / "minutes"
    shutil.copytree(seeds_dir(), folder)
    catalogue = tmp_path / "catalogue.sqlite3"
    cache = TaskCache(tmp_path / CACHE_NAME)
    Library.open(catalogue, [folder]).close()
    as_if_from_an_older_program(catalogue)
    with Library.from_file(catalogue) as library:
        before = cache.tasks(library)
    (seed,) = [p for p in folder.iterdir() if "第121次" in p.read_text("utf-8", errors="ignore")]
    text = seed.read_text("utf-8")
    assert "尽快组建工作组" in text
    seed.write_text(text.replace("尽快组建工作组", "于6月底前组建工作组"), "utf-8")
    Library.open(catalogue, [folder]).close()
    as_if_from_an_older_program(catalogue)
    with Library.from_file(catalogue) as library:
        after = cache.tasks(library)
        assert dicts(after) == dicts(library_tasks(library.meetings))
    cache.close()
    assert "于6月底前组建工作组" not in str(dicts(before))
    edited = [t for t in after if "于6月底前组建工作组" in t.assignment.text]
    assert len(edited) == 1 and edited[0].assignment.due is not None and edited[0].assignment.due.words == "6月底前"
