"""Reading and parsing files in worker processes during an import.

Parsing is pure Python and holds the GIL, so threads cannot spread it over the cores; worker
processes can. They are started with "spawn" on every platform, the one start method that
works in a frozen Windows build (with `multiprocessing.freeze_support()` in the entry point),
so that every platform behaves as Windows does. Starting them costs a few tenths of a second,
so a small import is read in the calling thread. The caller keeps writing to the catalogue in
its one writer; only documents (picklable dataclasses) and problem lines come back.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections import deque
from collections.abc import Callable, Generator
from concurrent.futures import Future, ProcessPoolExecutor
from functools import cache
from pathlib import Path
from typing import TypeVar

from minutes.formats import ReadError
from minutes.model import SourceDocument

POOL_MIN_FILES = 50  # below this, starting the workers costs more than it saves
# Below this many cores the pool does not pay. With 2 it does since the workers prepare all the
# writer stores (minutes.prepared) and send plain rows, not the parsed Minutes: importing 10,000
# generated minutes, the writer used 31 s of CPU and the one worker 20 s, where the importing
# thread alone used 52 s; with a core free for the worker, the import takes about 60% of the time.
# On 2 cores loaded by five other processes the pool took as long as reading in the thread
# (2,000 minutes, alternated: 16.7-19.5 s against 16.2-19.2 s): with no core free nothing pays.
# Windows the same: under Wine 8 on this machine, 2,000 minutes imported with the pool in 22.1,
# 27.6 and 31.1 s against 35.2, 49.3 and 26.5 s without (alternated, load 1-2.4), the writer's
# CPU 8.9-12.7 s and the worker's 10.6-11.3 s against 19.6-29.9 s in one thread; on 2 cores
# loaded by four other processes it lost (600 minutes: 12.6-20.7 s against 10.7-14.9 s), as on
# Linux. Wine's own server process costs CPU a real Windows does not spend. The variable sets it
# for a test.
POOL_MIN_CORES = int(os.environ.get("MINUTES_POOL_MIN_CORES", "2"))
_MAX_WORKERS = 8  # also below Windows' limit of 61 processes a pool may wait on
# A pool that has given no result for this long is taken for hung: its workers are killed and the
# rest of the import is read in the calling thread. The wait covers one chunk (at most a quarter
# of a batch: 31 files with two workers) and the files' sizes are bounded (minutes.formats), not
# their reading time: a chunk of large PDFs on a slow PC could take longer, and a false alarm
# costs time (the batch is read again here), never a document, as nothing of a batch is stored
# before all of it has come.
STALL_SECONDS = 180.0
# Batches the workers may read ahead of the one being stored. With one, a worker idled whenever
# the writer took longer over a batch than it did (the writer's cost varies: every ~600 minutes
# it compacts a block of postings), and the writer idled in turn when the worker was slower.
# Each batch held costs its prepared documents (about 5 MB per 100 generated minutes).
AHEAD = 2
R = TypeVar("R")


def read_or_reason(path: Path, read: Callable[[Path], SourceDocument] | None = None) -> SourceDocument | str:
    """The document of one file, or the one-line reason it yields none. Top-level, so a worker
    process can run it."""
    if read is None:
        from minutes.source import read_document as read
    try:
        return read(path)
    except ReadError as exc:
        return str(exc)
    except Exception as exc:  # a parser bug must cost one file, not the import
        return f"解析出错：{type(exc).__name__}: {exc}"


def _watch_parent() -> None:
    """Worker start-up: end this worker when the importing process ends, however it ends.
    A killed app's workers would otherwise wait forever on a queue whose writing end they
    hold themselves (and keep the app's output pipes open)."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        parent.join()  # waits on the parent's sentinel: returns when the parent is gone
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


@cache
def pipes_keep_empty_messages() -> bool:
    """Whether multiprocessing reads this system's pipes right. The pool's manager thread is woken
    by empty messages; on Windows, multiprocessing takes a zero-byte read to consume such a
    message only from Windows 8 on (sys.getwindowsversion). A system that consumes it but says it
    is older (Wine 8's default prefix says Windows 7) loses the wake-up: the manager thread then
    waits forever for a message already taken, and the import hangs. Checked once, in a pipe of
    this process, without blocking: a lost empty message shows as the next message read first."""
    from multiprocessing.connection import Pipe

    reader, writer = Pipe(duplex=False)
    try:
        writer.send_bytes(b"")
        if not reader.poll(5):
            return False
        writer.send_bytes(b"x")
        return reader.recv_bytes() == b""
    finally:
        reader.close()
        writer.close()


def _read_chunk(work: Callable[[Path], R], paths: list[Path]) -> list[R]:
    """work over some paths, in a worker process (top-level, so a worker can import it)."""
    return [work(path) for path in paths]


def _kill_workers(pool: ProcessPoolExecutor) -> None:
    """Ends a hung pool's workers; its manager thread then finds them gone and lets the pool shut
    down. Python 3.14 has a public way; before it, the pool's own table of its processes is read,
    and a Python without either leaves the workers to end with this process (_watch_parent)
    rather than fail the import here."""
    kill = getattr(pool, "kill_workers", None)
    if callable(kill):
        kill()
        return
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        process.kill()


def workers() -> int:
    """Worker processes for an import: one core is left to the thread that stores the results,
    except on 2 cores, where two workers share them with it. A worker reads, parses and prepares
    a file in more CPU than the writer stores it in (10,000 generated minutes: 25-26 s against
    18-19 s), so one worker left the writer waiting; with two, the writer takes its share of
    both cores and none of them idles (the same import, alternated on a loaded 2-core machine:
    28.3 and 38.3 s against 39.9 and 56.9 s with one worker). From 3 cores on, the workers
    outpace the one writer as they are."""
    cores = os.cpu_count() or 1
    return min(max(2, cores - 1), _MAX_WORKERS) if cores >= 2 else 1


def read_batches(
    paths: list[Path],
    batch: int,
    serial: Callable[[Path], R],
    *,
    min_files: int | None = None,
    work: Callable[[Path], R] = read_or_reason,
) -> Generator[list[R], None, None]:
    """The results of paths, a list per batch of `batch` paths, in order: work(path) in the
    workers (a top-level function, as they import it by name), serial(path) here.

    With at least min_files (default POOL_MIN_FILES) paths and POOL_MIN_CORES cores the files are read in worker
    processes, the next batches being read while the caller stores this one; otherwise, and for
    whatever remains if the workers cannot start, die or give nothing for STALL_SECONDS, by
    `serial` in this thread. Closing the iterator (a cancelled import) cancels what the workers
    have not started.
    """
    batches = [paths[i : i + batch] for i in range(0, len(paths), batch)]
    done = 0
    enough = len(paths) >= (POOL_MIN_FILES if min_files is None else min_files)
    if enough and (os.cpu_count() or 1) >= max(2, POOL_MIN_CORES) and pipes_keep_empty_messages():
        try:
            pool = ProcessPoolExecutor(
                max_workers=workers(), mp_context=multiprocessing.get_context("spawn"), initializer=_watch_parent
            )
        except (OSError, ValueError, NotImplementedError):
            pool = None
        if pool is not None:
            chunk = max(1, batch // (4 * workers()))

            def submit(paths_of_batch: list[Path]) -> list[Future[list[R]]]:
                return [
                    pool.submit(_read_chunk, work, paths_of_batch[i : i + chunk])
                    for i in range(0, len(paths_of_batch), chunk)
                ]

            hung = False
            try:
                ahead = deque(submit(b) for b in batches[:AHEAD])
                while done < len(batches):
                    current = ahead.popleft()
                    if done + AHEAD < len(batches):
                        ahead.append(submit(batches[done + AHEAD]))
                    results: list[R] = []
                    for future in current:  # in order, so the wait is the time since the last chunk
                        results.extend(future.result(timeout=STALL_SECONDS))
                    done += 1
                    yield results
            except TimeoutError:
                hung = True
                _kill_workers(pool)
            except Exception:  # BrokenProcessPool, OSError, a pickling error
                pass  # workers died or a result would not cross: the rest is read below, here
            finally:
                pool.shutdown(wait=not hung, cancel_futures=True)
    for paths_of_batch in batches[done:]:
        yield [serial(path) for path in paths_of_batch]
