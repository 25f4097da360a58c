"""The 督办台账 at scale: building the assignments of N minutes, and opening one department's 台账.

Generates N minutes as bench/library.py does, imports them (the baseline), then measures:
- build_s: every assignment of every meeting (reading each meeting from the catalogue, which
  the import has just parsed, plus the extraction), and extract_s, the extraction alone;
  build_ratio = build_s / import_s (target: under 10 %, so it can run in the import's shadow);
- cold_s / warm_s: the same through the cache beside the ledger (minutes/ledger_cache.py): the
  first open (extracting and storing) and a second open from a fresh Library (what the 台账 view
  and `minutes tasks` do from the second time on); warm_ratio = warm_s / import_s;
- rows_s: joining them with a ledger holding 1,000 recorded entries;
- open_p95_ms: opening the 台账 view's table for one department (the department's rows from
  the index the view builds in the background, handed to the model, sorted by meeting,
  filtered, the first screen of cells), over 10
  departments, median of 3 runs each; open_own_p95_ms the same without the assignments to
  各地各部门 (the "含各地各部门事项" box unticked).

The last line is one JSON object with these figures.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from library import generate, p95  # noqa: E402

from minutes.assignments import assignments_of, tasks_of  # noqa: E402
from minutes.ledger import STATUSES, Ledger  # noqa: E402
from minutes.ledger_cache import library_tasks_cached  # noqa: E402
from minutes.library import Library  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=10000)
    parser.add_argument("--no-view", action="store_true", help="skip the 台账 view figures (slow at 10,000)")
    args = parser.parse_args()
    figures = {True: float("nan"), False: float("nan")}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        folder = tmp / "minutes"
        folder.mkdir()
        generate(folder, args.docs)
        start = time.perf_counter()
        library = Library.open(tmp / "catalogue.sqlite3", [folder])
        import_s = time.perf_counter() - start
        print(f"import: {import_s:.1f} s for {len(library.meetings)} meetings")

        start = time.perf_counter()
        minutes = [(m.id, m.minutes) for m in library.meetings]
        load_s = time.perf_counter() - start
        start = time.perf_counter()
        tasks = [t for key, m in minutes for t in tasks_of(m, key)]
        tasks_s = time.perf_counter() - start
        start = time.perf_counter()
        for _key, m in minutes:
            assignments_of(m)
        extract_s = time.perf_counter() - start
        build_s = load_s + tasks_s
        print(
            f"assignments: {len(tasks)} from {len(minutes)} meetings in {build_s:.1f} s "
            f"(reading {load_s:.1f} s, extraction {extract_s:.1f} s); {build_s / import_s:.1%} of the import"
        )

        library.catalogue.close()
        library = Library.from_file(tmp / "catalogue.sqlite3")
        start = time.perf_counter()
        library_tasks_cached(library, tmp / "ledger.sqlite3")
        cold_s = time.perf_counter() - start
        library.catalogue.close()
        library = Library.from_file(tmp / "catalogue.sqlite3")
        start = time.perf_counter()
        cached = library_tasks_cached(library, tmp / "ledger.sqlite3")
        warm_s = time.perf_counter() - start
        assert len(cached) == len(tasks)
        print(f"through the cache: first open {cold_s:.1f} s, second open {warm_s:.2f} s ({warm_s / import_s:.1%})")
        caching = {"cold_s": round(cold_s, 2), "warm_s": round(warm_s, 2), "warm_ratio": round(warm_s / import_s, 3)}

        ledger = Ledger(tmp / "ledger.sqlite3")
        rows = ledger.rows(tasks)
        for i, row in enumerate(rows[:: max(1, len(rows) // 1000)][:1000]):
            ledger.update(row, status=STATUSES[1 + i % 3], note=f"办理情况{i}")
        start = time.perf_counter()
        rows = ledger.rows(tasks)
        rows_s = time.perf_counter() - start
        print(f"ledger join with 1,000 records: {rows_s:.2f} s")

        if args.no_view:
            ledger.close()
            library.catalogue.close()
            _report(args.docs, tasks, import_s, build_s, load_s, extract_s, rows_s, figures, caching)
            return
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QApplication

        from gui.ledger_model import DepartmentIndex, LedgerFilterProxy, LedgerModel

        app = QApplication.instance() or QApplication(sys.argv[:1])
        model = LedgerModel(ledger)
        proxy = LedgerFilterProxy()
        proxy.setSourceModel(model)
        proxy.set_prefiltered(True)  # as LedgerView does
        start = time.perf_counter()
        index = DepartmentIndex(rows)  # built with the rows, in the background
        index_s = time.perf_counter() - start
        print(f"department index: {index_s:.2f} s")
        departments = sorted({d for t in tasks for d in t.assignment.lead})[:10]
        proxy.sort(0, Qt.SortOrder.DescendingOrder)
        for include_all in (True, False):
            proxy.set_include_all(include_all)
            samples = []
            for name in departments:
                proxy.set_department(name)
                runs = []
                for _ in range(3):
                    model.set_rows([])
                    t = time.perf_counter()
                    model.set_rows(index.rows_for(name, include_all))
                    for r in range(min(30, proxy.rowCount())):
                        for c in range(model.columnCount()):
                            proxy.index(r, c).data()
                    runs.append((time.perf_counter() - t) * 1000)
                samples.append(statistics.median(runs))
            figures[include_all] = p95(samples)
        del app
        ledger.close()
        library.catalogue.close()

    _report(args.docs, tasks, import_s, build_s, load_s, extract_s, rows_s, figures, caching)


def _report(docs, tasks, import_s, build_s, load_s, extract_s, rows_s, figures, caching) -> None:
    result = {
        "docs": docs,
        "assignments": len(tasks),
        "import_s": round(import_s, 1),
        "build_s": round(build_s, 2),
        "read_s": round(load_s, 2),
        "extract_s": round(extract_s, 2),
        "build_ratio": round(build_s / import_s, 3),
        **caching,
        "rows_s": round(rows_s, 2),
        "open_p95_ms": None if math.isnan(figures[True]) else round(figures[True], 1),
        "open_own_p95_ms": None if math.isnan(figures[False]) else round(figures[False], 1),
    }
    print(f"opening one department's 台账: p95 {result['open_p95_ms']} ms", end=" ")
    print(f"({result['open_own_p95_ms']} ms without 各地各部门)")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
