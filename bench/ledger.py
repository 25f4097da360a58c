"""The 督办台账 at scale: building the assignments of N minutes, and opening one department's 台账.

Generates N minutes as bench/library.py does, imports them (the baseline), then measures:
- store_s: the time the import spent extracting each meeting's tasks and storing them beside it
  (minutes/assignment_store.py, counted inside the import); open_s: the first 台账 open after
  the import (every task read back from the catalogue, no meeting loaded); build_s = store_s +
  open_s, and build_ratio = build_s / (import_s - store_s), against the import without the
  extraction (target: under 10 %, so it runs in the import's shadow);
- rows_s: joining them with a ledger holding 1,000 recorded entries;
- view_load_s: what the 台账 view builds in the background when first shown (the tasks, the
  related-items index, the ledger join, the per-department index);
- open_p95_ms: choosing one department in the 台账 view (its rows into the table in the
  table's order, the count and the overview bars) and reading the first screen of cells (30
  rows, every column), as measured before #14's fix; over the 10 departments with most
  assignments, median of 3 runs each, then p95; open_own_p95_ms the same without the
  assignments to 各地各部门 (the "含各地各部门事项" box unticked); open_painted_p95_ms and
  open_own_painted_p95_ms: the same up to the window painted (offscreen, 1366 x 768), which
  adds Qt's layout and text drawing.

The last line is one JSON object with these figures. bench/library.py reports the two headline
figures through figures() below.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from library import generate, p95  # noqa: E402

from minutes import assignment_store  # noqa: E402
from minutes.ledger import STATUSES, Ledger  # noqa: E402
from minutes.ledger_cache import library_tasks_cached  # noqa: E402
from minutes.library import Library  # noqa: E402


def figures(library: Library, import_s: float, folder: Path, view: bool = True) -> dict:
    """The 台账 figures of a library just imported (in this process, import_s seconds); folder
    receives the ledger and the view's settings."""
    store_s = assignment_store.spent
    start = time.perf_counter()
    tasks = library_tasks_cached(library, folder / "ledger.sqlite3")
    open_s = time.perf_counter() - start
    build_s = store_s + open_s
    result = {
        "assignments": len(tasks),
        "store_s": round(store_s, 2),
        "open_s": round(open_s, 2),
        "build_s": round(build_s, 2),
        "build_ratio": round(build_s / (import_s - store_s), 3),
    }
    print(
        f"assignments: {len(tasks)} from {len(library.meetings)} meetings; extracting in the import "
        f"{store_s:.1f} s, first open {open_s:.2f} s: {result['build_ratio']:.1%} of the import without them"
    )
    ledger = Ledger(folder / "ledger.sqlite3")
    rows = ledger.rows(tasks)
    for i, row in enumerate(rows[:: max(1, len(rows) // 1000)][:1000]):
        ledger.update(row, status=STATUSES[1 + i % 3], note=f"办理情况{i}")
    start = time.perf_counter()
    ledger.rows(tasks)
    result["rows_s"] = round(time.perf_counter() - start, 2)
    print(f"ledger join with 1,000 records: {result['rows_s']} s")
    if view:
        result.update(_view_figures(library, ledger, tasks, folder))
        print(f"opening one department's 台账: p95 {result['open_p95_ms']} ms", end=" ")
        print(f"({result['open_own_p95_ms']} ms without 各地各部门)", end="; ")
        print(f"painted: {result['open_painted_p95_ms']} ms ({result['open_own_painted_p95_ms']} ms)")
    ledger.close()
    return result


def _view_figures(library: Library, ledger: Ledger, tasks: list, folder: Path) -> dict:
    from PySide6.QtWidgets import QApplication

    from gui.ledger_view import LedgerView
    from gui.settings import Settings
    from gui.tasks import SynchronousRunner

    app = QApplication.instance() or QApplication(sys.argv[:1])
    start = time.perf_counter()
    view = LedgerView(library, ledger, Settings(folder / "ledger-bench.ini"), SynchronousRunner())
    load_s = time.perf_counter() - start
    view.resize(1366, 768)
    view.show()
    app.processEvents()
    counts = Counter(d for t in tasks for d in (*t.assignment.lead, *t.assignment.co))
    departments = [name for name, _n in counts.most_common(10)]
    result = {"view_load_s": round(load_s, 2)}
    model = view.proxy
    for include_all, key in ((True, "open"), (False, "open_own")):
        view.include_all.setChecked(include_all)
        for painted in (False, True):
            samples = []
            for i, name in enumerate(departments):
                runs = []
                for _ in range(3):
                    view.select_department(departments[i - 1])  # from another department, not timed
                    app.processEvents()
                    t = time.perf_counter()
                    view.select_department(name)
                    if painted:
                        app.processEvents()  # laid out and painted
                    else:
                        for r in range(min(30, model.rowCount())):
                            for c in range(model.columnCount()):
                                model.index(r, c).data()
                    runs.append((time.perf_counter() - t) * 1000)
                samples.append(statistics.median(runs))
            result[f"{key}_painted_p95_ms" if painted else f"{key}_p95_ms"] = round(p95(samples), 1)
    view.close()
    view.deleteLater()
    app.processEvents()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=10000)
    parser.add_argument("--no-view", action="store_true", help="skip the 台账 view figures")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        folder = tmp / "minutes"
        folder.mkdir()
        generate(folder, args.docs)
        start = time.perf_counter()
        library = Library.open(tmp / "catalogue.sqlite3", [folder])
        import_s = time.perf_counter() - start
        print(f"import: {import_s:.1f} s for {len(library.meetings)} meetings")
        measured = figures(library, import_s, tmp, view=not args.no_view)
        result = {"docs": args.docs, "import_s": round(import_s, 1), **measured}
        library.catalogue.close()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
