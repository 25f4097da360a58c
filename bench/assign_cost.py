"""What the 台账's assignments add to a serial import and its first open, in instructions.

    python bench/assign_cost.py --generate DIR --docs 300      # once: the minutes to import
    valgrind --tool=callgrind --callgrind-out-file=/dev/null \\
        python bench/assign_cost.py DIR --phase base|extract|open

Each phase imports DIR into a new catalogue in this process's own thread (the import's worker
pool off, as on Windows): `base` with the extraction replaced by "nothing extracted" (as
/work/bench-out/ab_extract.py does), `extract` as shipped, `open` as shipped and then the first
台账 open (every task read back, and its id, which the ledger joins on). Callgrind's totals give
extract - base (extracting and storing in the import) and open - extract (the first open); their
sum over base is the share of the import. Run with PYTHONHASHSEED=0 so the counts repeat.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ["MINUTES_POOL_MIN_CORES"] = "99"  # read before minutes.parallel is imported


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--generate", action="store_true", help="write --docs generated minutes to folder and stop")
    parser.add_argument("--docs", type=int, default=300)
    parser.add_argument("--phase", choices=("base", "extract", "open"), default="open")
    args = parser.parse_args()
    if args.generate:
        from library import generate

        args.folder.mkdir(parents=True, exist_ok=True)
        generate(args.folder, args.docs)
        return
    from minutes import assignment_store, prepared

    if args.phase == "base":
        prepared.assignment_store.extract = lambda *args: None  # type: ignore[assignment]
    from minutes.ledger_cache import library_tasks_cached
    from minutes.library import Library

    with tempfile.TemporaryDirectory() as tmp:
        library = Library.open(Path(tmp) / "c.sqlite3", [args.folder])
        tasks = []
        if args.phase == "open":
            tasks = library_tasks_cached(library, Path(tmp) / "ledger.sqlite3")
            _ids = [t.id for t in tasks]  # read, as the ledger's join at the first open reads them
        print(args.phase, len(library.meetings), "meetings", len(tasks), "tasks", f"{assignment_store.spent:.2f} s")
        library.close()


if __name__ == "__main__":
    main()
