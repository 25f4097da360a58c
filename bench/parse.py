"""Parsing speed: minutes per second over many copies of the seeds, on one core.

Prints the rate of read + decode + parse, the rate of read + decode alone (the floor: what
any reader of these files must pay), and their ratio. Target (issue 15): >= 1,500 minutes/s.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from minutes import seeds_dir
from minutes.decode import decode_bytes
from minutes.parse import parse_text

ENCODINGS = ("utf-8", "gb18030", "utf-16", "utf-8-sig")


def make_corpus(folder: Path, copies: int) -> list[Path]:
    seeds = [p.read_text("utf-8") for p in sorted(seeds_dir().glob("*.txt"))]
    paths = []
    for i in range(copies):
        text = seeds[i % len(seeds)]
        path = folder / f"{i:05d}.txt"
        path.write_bytes(text.encode(ENCODINGS[i % len(ENCODINGS)]))
        paths.append(path)
    return paths


def best_of(runs: int, fn) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        paths = make_corpus(Path(tmp), args.docs)

        def decode_only() -> None:
            for path in paths:
                decode_bytes(path.read_bytes())

        def decode_and_parse() -> None:
            for path in paths:
                parse_text(decode_bytes(path.read_bytes()).text)

        floor = best_of(args.runs, decode_only)
        full = best_of(args.runs, decode_and_parse)
    result = {
        "docs": args.docs,
        "parse_per_s": round(args.docs / full, 1),
        "decode_only_per_s": round(args.docs / floor, 1),
        "ratio_to_decode_only": round(full / floor, 2),
        "target_per_s": 1500,
        "meets_target": args.docs / full >= 1500,
    }
    print(f"read+decode+parse: {result['parse_per_s']} minutes/s")
    print(f"read+decode only:  {result['decode_only_per_s']} minutes/s (floor)")
    print(f"ratio: {result['ratio_to_decode_only']}x the floor")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
