"""The figures of bench/library.py that do not need an import, over a catalogue it already built
(`bench/library.py --docs N --keep FOLDER --catalogue PATH`): warm start, window RSS, search,
filter and facet p95, and the library's open in this process. For trying a change to the
start-up or the filters at 100,000 minutes without the half hour of importing again.

    bench/reopen.py --catalogue PATH --folder FOLDER [--starts 3] [--start-only]

The warm start refreshes the catalogue against the folder in the background (nothing changes
when the folder is the one imported). Prints one JSON object last.
"""

from __future__ import annotations

import argparse
import json
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

from library import (  # noqa: E402
    GROUPS,
    QUERIES,
    TWO_WORD,
    facet_samples,
    filter_samples,
    filter_specs,
    p95,
    peak_mb,
    search_runs,
    typing_samples,
    view_samples,
    warm_start,
)

from minutes.library import FilterSpec, Library  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--catalogue", type=Path, required=True)
    parser.add_argument("--folder", type=Path, required=True)
    parser.add_argument("--starts", type=int, default=3, help="warm starts to take the median of")
    parser.add_argument("--no-window", action="store_true", help="skip the warm starts")
    parser.add_argument("--start-only", action="store_true", help="the start's figures only: no search or filter")
    args = parser.parse_args()
    result: dict = {}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        if not args.no_window:
            warm_start(args.catalogue, args.folder, tmp)  # writes the bytecode, as installing the app does
            starts = [warm_start(args.catalogue, args.folder, tmp) for _ in range(args.starts)]
            result["warm_start_s"] = round(statistics.median(run[0] for run in starts), 2)
            result["warm_starts_s"] = [round(run[0], 2) for run in starts]
            result["rss_mb"] = round(max(run[1] for run in starts))
        start = time.perf_counter()
        library = Library.from_file(args.catalogue)
        result["from_file_s"] = round(time.perf_counter() - start, 2)
        result["from_file_rss_mb"] = round(peak_mb())
        if args.start_only:
            library.close()
            print(json.dumps(result))
            return
        search = search_runs(library, [*QUERIES, *TWO_WORD])
        search[QUERIES[0]] = search[QUERIES[0]][1:]
        result["search_p95_ms"] = round(p95([statistics.median(search[q]) for q in QUERIES]), 1)
        for name, group in GROUPS.items():  # as bench/library.py: p95 over every run of the group's queries
            result[f"search_p95_ms_{name}"] = round(p95([v for q in group for v in search[q]]), 1)
        searched = filter_samples(library, [FilterSpec(text=query) for query in [*QUERIES, *TWO_WORD]])
        result["search_tree_p95_ms"] = round(p95(searched), 1)
        viewed = view_samples(library, [FilterSpec(text=query) for query in [*QUERIES, *TWO_WORD]])
        result["search_view_p95_ms"] = round(p95(viewed), 1)
        result.update(typing_samples(library))
        filters = filter_samples(library, filter_specs(library))
        result["filter_p95_ms"] = round(p95(filters), 1)
        result["facet_p95_ms"] = round(p95(facet_samples(library)), 2)
        result["process_rss_mb"] = round(peak_mb())
        library.close()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
