"""Parsing in worker processes during an import (issue 15): the same catalogue as reading
every file in the importing thread."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from minutes import catalogue as catalogue_module
from minutes import parallel
from minutes.catalogue import Catalogue
from tests.conftest import SEED_NAMES
from tests.score import ENCODINGS, make_case

pytestmark = [
    pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="worker processes need two cores"),
    pytest.mark.skipif(not parallel.POOL_PLATFORM, reason="the import pool is not used on Windows yet"),
]


@pytest.fixture(autouse=True)
def pool_on_two_cores(monkeypatch) -> None:
    # The pool is off below 3 cores in use (it does not pay there); the mechanism is tested on 2.
    monkeypatch.setattr(parallel, "POOL_MIN_CORES", 2)


def generated_folder(folder: Path, count: int = 60) -> Path:
    """count files of the issue-10 shapes, a few of them no minutes at all."""
    folder.mkdir()
    rng = random.Random(15)
    keys = sorted(SEED_NAMES)
    for i in range(count):
        if i % 20 == 7:
            (folder / f"{i:03d}.txt").write_bytes(b"")  # a problem: empty
            continue
        if i % 20 == 13:
            (folder / f"{i:03d}.doc").write_bytes(b"\xd0\xcf\x11\xe0")  # a problem: a refused format
            continue
        text = make_case(keys[i % len(keys)], rng).text
        (folder / f"{i:03d}.txt").write_bytes(text.encode(ENCODINGS[i % len(ENCODINGS)]))
    return folder


def snapshot(catalogue: Catalogue) -> tuple[list, ...]:
    keys = catalogue.document_keys()
    documents = []
    for key in sorted(keys.values()):
        doc = catalogue.load(key)
        documents.append((key, doc.path.name, doc.encoding, doc.sha256, doc.text, repr(doc.minutes)))
    problems = sorted((p.path.name, p.reason) for p in catalogue.problems())
    # and what is stored beside each document: the items' roles, attendance, the 台账's tasks
    items = {i: (key, number) for i, key, number, _title, _kind in catalogue.topic_rows()}
    roles = sorted((d, r, sorted(items[i] for i in ids)) for d, r, ids in catalogue.topic_roles())
    attended = sorted((d, sorted(keys[r] for r in rowids)) for d, rowids in catalogue.attended())
    return documents, problems, roles, attended, sorted(catalogue.task_rows())


def test_pool_imports_what_the_importing_thread_imports(tmp_path: Path, monkeypatch) -> None:
    folder = generated_folder(tmp_path / "files")
    pooled = Catalogue(tmp_path / "pooled.sqlite3")
    pooled.add_root(folder)
    steps: list[tuple[int, int]] = []
    report = pooled.refresh(progress=lambda done, total: steps.append((done, total)))
    assert report.imported > 50 and report.problems >= 6

    monkeypatch.setattr(parallel, "POOL_MIN_FILES", 10_000)
    serial = Catalogue(tmp_path / "serial.sqlite3")
    serial.add_root(folder)
    serial_report = serial.refresh()
    assert (report.imported, report.problems) == (serial_report.imported, serial_report.problems)
    assert snapshot(pooled) == snapshot(serial)
    assert steps == [(60, 60)]


def test_large_import_reads_in_worker_processes(tmp_path: Path, monkeypatch) -> None:
    # The importing thread's reader fails every file; workers read with their own.
    folder = generated_folder(tmp_path / "files")
    monkeypatch.setattr(catalogue_module, "read_document", lambda path: (_ for _ in ()).throw(RuntimeError("here")))
    catalogue = Catalogue(tmp_path / "c.sqlite3")
    catalogue.add_root(folder)
    report = catalogue.refresh()
    assert report.imported > 50
    assert not any("here" in p.reason for p in catalogue.problems())


def test_small_import_reads_in_this_thread(tmp_path: Path, monkeypatch) -> None:
    folder = generated_folder(tmp_path / "files", count=12)
    reads: list[Path] = []
    original = catalogue_module.read_document
    monkeypatch.setattr(catalogue_module, "read_document", lambda path: reads.append(path) or original(path))
    catalogue = Catalogue(tmp_path / "c.sqlite3")
    catalogue.add_root(folder)
    catalogue.refresh()
    assert len(reads) == 12  # every file, the refused .doc too (read_document gives its reason)


def test_cancelled_pool_import_stops_between_batches(tmp_path: Path) -> None:
    batch = catalogue_module._BATCH
    folder = generated_folder(tmp_path / "files", count=batch + 60)
    catalogue = Catalogue(tmp_path / "c.sqlite3")
    catalogue.add_root(folder)
    steps: list[int] = []
    report = catalogue.refresh(progress=lambda done, total: steps.append(done), cancelled=lambda: len(steps) >= 1)
    assert steps == [batch]
    assert report.imported + report.problems == batch


def test_read_batches_keeps_order_and_batches(tmp_path: Path) -> None:
    folder = generated_folder(tmp_path / "files", count=55)
    paths = sorted(folder.iterdir())

    def never(path: Path):
        raise AssertionError("read in this thread")

    pooled = [r for batch in parallel.read_batches(paths, 20, never) for r in batch]
    assert [len(b) for b in parallel.read_batches(paths, 20, parallel.read_or_reason, min_files=10_000)] == [20, 20, 15]
    serial = [parallel.read_or_reason(p) for p in paths]
    assert [getattr(r, "path", r) for r in pooled] == [getattr(r, "path", r) for r in serial]
    assert [repr(getattr(r, "minutes", r)) for r in pooled] == [repr(getattr(r, "minutes", r)) for r in serial]
