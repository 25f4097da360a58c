"""Parser output fingerprint: every seed, its layout variants, a few hundred generated issue-10
shapes and random cuts of the seeds, each parsed and dumped as JSON, one line per input.

    python -m bench.golden out.jsonl      # then diff two runs (before and after a speed change)

Speed work on the parser must leave this output byte-identical.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import random
from pathlib import Path

from minutes.parse import parse_text
from tests import variants
from tests.conftest import SEED_NAMES, seed_text
from tests.score import make_case


def inputs(docs: int) -> list[str]:
    texts: list[str] = []
    for key in sorted(SEED_NAMES):
        text = seed_text(key)
        texts += [
            text,
            variants.crlf(text),
            variants.rewrap(text, 7),
            variants.web_page(text),
            variants.half_width_brackets(text),
            variants.add_markdown(text),
            variants.strip_markdown(text),
            variants.one_paragraph(text),
            variants.without_year(text),
            variants.to_traditional(text),
        ]
    rng = random.Random(15)
    keys = sorted(SEED_NAMES)
    texts += [make_case(keys[i % len(keys)], rng).text for i in range(docs)]
    # Random cuts and splices: partial documents hit the parser's fallbacks.
    seeds = [seed_text(k) for k in keys]
    for _ in range(docs // 2):
        a, b = rng.choice(seeds), rng.choice(seeds)
        i, j = sorted(rng.randrange(len(a)) for _ in range(2))
        k = rng.randrange(len(b))
        texts.append(a[i:j] + b[k : k + rng.randrange(2000)])
    return texts


def dump(text: str) -> str:
    return json.dumps(dataclasses.asdict(parse_text(text)), ensure_ascii=False, default=str, sort_keys=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--docs", type=int, default=400)
    args = parser.parse_args()
    lines = [dump(text) for text in inputs(args.docs)]
    data = "\n".join(lines) + "\n"
    args.out.write_text(data, "utf-8")
    print(len(lines), "inputs", hashlib.sha256(data.encode()).hexdigest())


if __name__ == "__main__":
    main()
