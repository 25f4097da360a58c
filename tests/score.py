"""A scorer over a generated set of the issue-10 shapes: every seed dressed in random
combinations of layout (site page, Markdown, PDF wrap, encodings) and shape (traditional
script, another local government, session without 第, items in one paragraph, date without
year, chair forms), each scored field by field against what the transformations say.

    python -m tests.score [--docs 300]     # prints the overall score and the misses
"""

from __future__ import annotations

import argparse
import random
from collections import Counter
from dataclasses import dataclass, field

from minutes import parse_text
from minutes.decode import decode_bytes
from minutes.script import search_form
from tests import variants
from tests.conftest import SEED_NAMES, seed_text

ENCODINGS = ("utf-8", "gb18030", "utf-16", "utf-8-sig")
TERMS = [("区四", "五十一", 4, 51), ("五", "104", 5, 104), ("十五", "八", 15, 8)]


@dataclass
class Case:
    text: str
    expected: dict
    dress: list[str] = field(default_factory=list)


def make_case(key: str, rng: random.Random) -> Case:
    text = seed_text(key)
    seed = parse_text(text)
    dress: list[str] = []
    exp = {
        "doc_number": seed.doc_number,
        "session": seed.session,
        "term": None,
        "date": seed.date,
        "period": seed.period,
        "chair": seed.chair,
        "chair_title": seed.chair_title,
        "issuer": "苏州市人民政府",
        "script": "simplified",
        "genre": "minutes",
        "published_date": None,
        "titles": [t.title for t in seed.topics],
        "resolutions": [len(t.resolutions) for t in seed.topics],
    }
    if rng.random() < 0.3:
        local = rng.choice(variants.LOCAL)
        text = variants.local_government(text, *local)
        exp["issuer"], exp["chair_title"], exp["chair"] = local[0], local[2], local[3]
        exp["titles"] = [variants._CITY_DEPT.sub(lambda m, p=local[4]: p + m.group(1), t) for t in exp["titles"]]
        dress.append(f"local:{local[0]}")
    elif rng.random() < 0.3:
        written, chair, title = rng.choice(variants.CHAIR_FORMS)
        text = variants.with_chair(text, written)
        exp["chair"], exp["chair_title"] = chair, title
        dress.append(f"chair:{written}")
    if rng.random() < 0.3:
        term_cn, session_cn, term, session = rng.choice(TERMS)
        text = variants.session_without_di(text, term_cn, session_cn)
        exp["term"], exp["session"] = term, session
        dress.append("session-without-di")
    if rng.random() < 0.3:
        text = variants.one_paragraph(text)
        exp["resolutions"] = [1] * len(exp["resolutions"])
        dress.append("one-paragraph")
    if rng.random() < 0.5:
        published = f"{seed.date.year}-12-31" if seed.date else "2021-12-31"
        prefix = rng.choice(["常务会议纪要", "苏府常纪", ""])
        if rng.random() < 0.5:
            text = variants.without_year(text)
            dress.append("date-without-year")
        text = variants.site_page(text, seed.doc_number, seed.session, published, prefix)
        exp["published_date"] = published
        dress.append(f"site-page:{prefix}")
    elif rng.random() < 0.5:
        text = variants.add_markdown(text)
        dress.append("markdown")
    if rng.random() < 0.3:
        text = variants.rewrap(text, rng.randrange(1000))
        dress.append("pdf-wrap")
    if rng.random() < 0.3:
        text = variants.to_traditional(text)
        exp["script"] = "traditional"
        dress.append("traditional")
    encoding = rng.choice(ENCODINGS)
    text = decode_bytes(text.encode(encoding)).text
    dress.append(encoding)
    return Case(text, exp, dress)


def observed(text: str) -> dict:
    m = parse_text(text)
    return {
        "doc_number": m.doc_number,
        "session": m.session,
        "term": m.term,
        "date": m.date,
        "period": m.period,
        "chair": m.chair,
        "chair_title": m.chair_title,
        "issuer": m.issuer,
        "script": m.script,
        "genre": m.genre,
        "published_date": m.published_date.isoformat() if m.published_date else None,
        "titles": [t.title for t in m.topics],
        "resolutions": [len(t.resolutions) for t in m.topics],
    }


def _same(a, b) -> bool:
    return search_form(a) == search_form(b) if isinstance(a, str) and isinstance(b, str) else a == b


def score(docs: int, seed: int = 10) -> tuple[float, Counter, list[tuple[list[str], str]]]:
    rng = random.Random(seed)
    keys = sorted(SEED_NAMES)
    right = total = 0
    misses: Counter = Counter()
    examples: list[tuple[list[str], str]] = []
    for i in range(docs):
        case = make_case(keys[i % len(keys)], rng)
        got = observed(case.text)
        for name, want in case.expected.items():
            if name in ("titles", "resolutions"):
                # Every item counts: a missing or extra item is a miss.
                n = max(len(want), len(got[name]))
                ok = sum(_same(w, g) for w, g in zip(want, got[name], strict=False))
                right += ok
                total += n
                if ok < n:
                    misses[name] += n - ok
                    examples.append((case.dress, name))
            else:
                total += 1
                if _same(want, got[name]):
                    right += 1
                else:
                    misses[name] += 1
                    examples.append((case.dress, f"{name}: {want!r} != {got[name]!r}"))
    return right / total, misses, examples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=300)
    args = parser.parse_args()
    value, misses, examples = score(args.docs)
    print(f"score {value:.4f} over {args.docs} generated documents")
    for name, count in misses.most_common():
        print(f"  missed {name}: {count}")
    for dress, what in examples[:20]:
        print(f"  {what}  [{', '.join(dress)}]")


if __name__ == "__main__":
    main()
