"""Assignment extraction fingerprint: every task the extraction finds in the seeds, in
bench/golden.py's inputs and in generated minutes (bench/library.py's generator), as plain data,
hashed; and the same after a trip through the catalogue's stored form and back.

    python bench/assign_golden.py [--generated 3000] [--cache parsed.pickle] [--out tasks.jsonl]

Speed work on minutes/assignments.py or minutes/assignment_store.py must leave both hashes
unchanged (the stored form may change; what comes back from it may not). --cache keeps the
parsed minutes between runs (delete it when the parser changes); --time prints the seconds spent
extracting and packing, and unpacking, over every input (best of --repeat runs).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import pickle
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from golden import inputs  # noqa: E402
from library import generate  # noqa: E402

from minutes import assignment_store, packing  # noqa: E402
from minutes.assignments import tasks_of  # noqa: E402
from minutes.model import Minutes  # noqa: E402
from minutes.parse import parse_text  # noqa: E402
from minutes.source import read_document  # noqa: E402


def parsed(generated: int) -> list[tuple[str, Minutes]]:
    """(key, minutes) of every input: bench/golden.py's (seeds and their variants first), then
    `generated` minutes from bench/library.py's generator, read as the import reads them."""
    found = [(f"golden{i}", parse_text(text)) for i, text in enumerate(inputs(400))]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        generate(folder, generated)
        for path in sorted(folder.rglob("*.txt")):
            found.append((path.stem, read_document(path).minutes))
    return found


def fingerprint(docs: list[tuple[str, Minutes]], out: Path | None = None) -> tuple[int, str, str]:
    """(tasks, hash of the extraction's output, hash of that output read back from its stored form)."""
    direct = hashlib.sha256()
    stored = hashlib.sha256()
    count = 0
    lines = []
    for key, minutes in docs:
        tasks = tasks_of(minutes, key)
        count += len(tasks)
        line = json.dumps([t.to_dict() for t in tasks], ensure_ascii=False, sort_keys=True)
        direct.update(line.encode() + b"\n")
        # Deflated against a stand-in for the source text (the cached inputs keep only the
        # parse): the resolutions, as the source holds them.
        source = "\n".join(r.text for t in minutes.topics for r in t.resolutions)
        back = assignment_store.unpack(assignment_store.pack(tasks, source), packing.dictionary(source))
        stored.update(json.dumps([t.to_dict() for t in back], ensure_ascii=False, sort_keys=True).encode() + b"\n")
        lines.append(line)
    if out is not None:
        out.write_text("\n".join(lines) + "\n", "utf-8")
    return count, direct.hexdigest(), stored.hexdigest()


def timing(docs: list[tuple[str, Minutes]], repeat: int) -> tuple[float, float]:
    """Best of `repeat` runs: seconds extracting and packing every input, and unpacking them."""
    best_store = best_load = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        packed = [assignment_store.pack(tasks_of(m, key)) for key, m in docs]
        best_store = min(best_store, time.perf_counter() - start)
        start = time.perf_counter()
        for data in packed:
            assignment_store.unpack(data)
        best_load = min(best_load, time.perf_counter() - start)
    return best_store, best_load


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--generated", type=int, default=3000)
    parser.add_argument("--cache", type=Path, help="keep the parsed inputs here (pickle) between runs")
    parser.add_argument("--out", type=Path, help="write each input's tasks, one JSON line per input")
    parser.add_argument("--time", action="store_true", help="also time extraction and read-back")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if args.cache and args.cache.exists():
        docs = pickle.loads(args.cache.read_bytes())
    else:
        docs = parsed(args.generated)
        if args.cache:
            args.cache.write_bytes(pickle.dumps(docs))
    count, direct, stored = fingerprint(docs, args.out)
    print(f"{len(docs)} inputs, {count} tasks")
    print(f"extracted {direct}")
    print(f"read back {stored}")
    if args.time:
        store_s, load_s = timing(docs, args.repeat)
        print(f"extract+pack {store_s:.2f} s, unpack {load_s:.2f} s (best of {args.repeat})")


if __name__ == "__main__":
    main()
