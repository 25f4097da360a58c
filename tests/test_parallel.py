"""Parsing in worker processes during an import (issue 15): the same catalogue as reading
every file in the importing thread."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from minutes import catalogue as catalogue_module
from minutes import parallel
from minutes.catalogue import Catalogue
from tests.conftest import SEED_NAMES
from tests.score import ENCODINGS, make_case

pytestmark = pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="worker processes need two cores")


@pytest.fixture(autouse=True)
def pool_on_two_cores(monkeypatch) -> None:
    # The mechanism is tested on 2 cores, whatever MINUTES_POOL_MIN_CORES says where the tests run.
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


def hang(path: Path) -> str:
    """A worker's read that never ends (top-level: the workers import it by name)."""
    time.sleep(3600)
    return str(path)


def read_all_within(seconds: float, *args, **kwargs) -> list:
    """Every result of read_batches(*args, **kwargs), failing the test if that takes longer."""
    out: list = []
    reader = threading.Thread(target=lambda: out.extend(r for b in parallel.read_batches(*args, **kwargs) for r in b))
    reader.daemon = True  # a hung pool must fail this test, not keep pytest from ending
    reader.start()
    reader.join(seconds)
    assert not reader.is_alive(), f"read_batches still reading after {seconds} s"
    return out


def test_pool_that_never_answers_is_left_for_this_thread(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(parallel, "STALL_SECONDS", 3.0)
    paths = sorted(generated_folder(tmp_path / "files", count=55).iterdir())
    results = read_all_within(90, paths, 20, parallel.read_or_reason, work=hang)
    assert [getattr(r, "path", r) for r in results] == [
        getattr(r, "path", r) for r in map(parallel.read_or_reason, paths)
    ]


def test_pipes_keep_empty_messages_here() -> None:
    # Where this fails the pool is never used: under Wine, the prefix must say Windows 10
    # (packaging/windows/build.sh sets it), as Wine 8 says Windows 7 by default.
    parallel.pipes_keep_empty_messages.cache_clear()
    assert parallel.pipes_keep_empty_messages()


@pytest.mark.skipif(sys.platform != "win32", reason="how multiprocessing reads Windows pipes")
def test_windows_taken_for_windows_7_reads_in_this_thread(tmp_path: Path, monkeypatch) -> None:
    # Windows 8+ pipes (or Wine's) read as Windows 7 would: the pool's wake-ups are lost and it
    # hangs (as under Wine 8's default prefix), so the import must not use it.
    paths = sorted(generated_folder(tmp_path / "files", count=55).iterdir())
    monkeypatch.setattr(sys, "getwindowsversion", lambda: (6, 1, 7601, 2, "Service Pack 1"))
    parallel.pipes_keep_empty_messages.cache_clear()
    try:
        assert not parallel.pipes_keep_empty_messages()
        reads: list[Path] = []
        serial = [parallel.read_or_reason(p) for p in paths]
        results = read_all_within(60, paths, 20, lambda p: reads.append(p) or parallel.read_or_reason(p), work=hang)
        assert reads == paths
        assert [getattr(r, "path", r) for r in results] == [getattr(r, "path", r) for r in serial]
    finally:
        monkeypatch.undo()
        parallel.pipes_keep_empty_messages.cache_clear()


def tell_and_hang(path: Path) -> str:
    """A worker's read that says which process it runs in, then never ends."""
    told = Path(os.environ["MINUTES_TEST_WORKER_PID"])
    part = told.with_name(f"{told.name}.{os.getpid()}")
    part.write_text(str(os.getpid()), "utf-8")
    os.replace(part, told)  # whole or absent: the test reads it as soon as it exists
    return hang(path)


def gone_within(pid: int, seconds: float) -> bool:
    if sys.platform == "win32":
        import _winapi

        try:
            handle = _winapi.OpenProcess(_winapi.SYNCHRONIZE, False, pid)
        except OSError:
            return True
        try:
            return _winapi.WaitForSingleObject(handle, int(seconds * 1000)) == _winapi.WAIT_OBJECT_0
        finally:
            _winapi.CloseHandle(handle)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:  # the worker's parent is gone, so nobody may reap it: a zombie has ended too
            state = Path(f"/proc/{pid}/stat").read_text("utf-8").rsplit(")", 1)[1].split()[0]
        except FileNotFoundError:
            return True
        if state in ("Z", "X"):
            return True
        time.sleep(0.1)
    return False


@pytest.mark.skipif(sys.platform not in ("win32", "linux"), reason="process liveness read the Windows or Linux way")
def test_workers_end_with_a_killed_import(tmp_path: Path) -> None:
    folder = generated_folder(tmp_path / "files", count=55)
    told = tmp_path / "worker.pid"
    code = (
        "import sys\nfrom pathlib import Path\nfrom minutes import parallel\nfrom tests.test_parallel import tell_and_hang\n"
        "paths = sorted(Path(sys.argv[1]).iterdir())\n"
        "for _ in parallel.read_batches(paths, 20, str, work=tell_and_hang): pass\n"
    )
    env = {**os.environ, "MINUTES_TEST_WORKER_PID": str(told), "MINUTES_POOL_MIN_CORES": "2"}  # the pool on 2 cores
    root = Path(__file__).resolve().parent.parent
    importer = subprocess.Popen([sys.executable, "-c", code, str(folder)], cwd=root, env=env)
    try:
        deadline = time.monotonic() + 60
        while not told.exists() and time.monotonic() < deadline and importer.poll() is None:
            time.sleep(0.1)
        assert told.exists(), "no worker started"
        worker = int(told.read_text("utf-8"))
    finally:
        importer.kill()  # SIGKILL, TerminateProcess on Windows: nothing of the importer runs on
        importer.wait()
    assert gone_within(worker, 30)


def note(path: Path) -> str:
    """A worker's read that leaves a mark beside the file (top-level: the workers import it)."""
    path.with_suffix(".read").write_text("", "utf-8")
    return str(path)


def test_workers_read_ahead_while_a_batch_is_stored(tmp_path: Path) -> None:
    # While the caller stores one batch, the workers read the next two: a writer slow over one
    # batch leaves them no idle time.
    folder = tmp_path / "files"
    folder.mkdir()
    paths = [folder / f"{i:02d}.txt" for i in range(16)]
    for path in paths:
        path.write_text("", "utf-8")
    batches = parallel.read_batches(paths, 4, parallel.read_or_reason, min_files=1, work=note)
    assert next(batches) == [str(p) for p in paths[:4]]
    ahead = paths[4:12]
    deadline = time.monotonic() + 60
    while not all(p.with_suffix(".read").exists() for p in ahead) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert all(p.with_suffix(".read").exists() for p in ahead)
    assert [r for batch in batches for r in batch] == [str(p) for p in paths[4:]]


@pytest.mark.parametrize(("cores", "expected"), [(1, 1), (2, 2), (3, 2), (4, 3), (64, 8)])
def test_workers_leave_no_core_idle(monkeypatch, cores: int, expected: int) -> None:
    # On 2 cores one worker was slower than the writer, which then waited: two share the cores.
    monkeypatch.setattr(os, "cpu_count", lambda: cores)
    assert parallel.workers() == expected


def test_a_hung_pool_is_ended_the_public_way_where_python_has_one(monkeypatch) -> None:
    """Python 3.14's kill_workers when the pool has it; else its table of processes; a Python
    with neither leaves the workers to end with this process instead of failing the import."""
    from concurrent.futures import ProcessPoolExecutor

    from minutes.parallel import _kill_workers

    pool = ProcessPoolExecutor(1)
    try:
        called: list[bool] = []
        monkeypatch.setattr(pool, "kill_workers", lambda: called.append(True), raising=False)
        _kill_workers(pool)
        assert called == [True]
        monkeypatch.delattr(pool, "kill_workers")
        monkeypatch.setattr(pool, "_processes", None)  # none made yet, or no such table
        _kill_workers(pool)
        monkeypatch.delattr(pool, "_processes")
        _kill_workers(pool)
    finally:
        pool.shutdown()
