"""The parser's fast paths (issue 15) give what the general code gives: each one is switched
off here and the results compared, over the seeds' variants, random cuts and 列席 lists."""

from __future__ import annotations

import dataclasses
import random
import re

from minutes import attendance, clean, splitter
from minutes.departments import registry
from minutes.parse import parse_text
from tests import variants
from tests.conftest import SEED_NAMES, seed_text


class _Everything:
    """A set that holds every character: the cheap pre-tests never let a line off."""

    def __contains__(self, item: object) -> bool:
        return True


def _texts() -> list[str]:
    rng = random.Random(15)
    seeds = [seed_text(key) for key in sorted(SEED_NAMES)]
    texts = []
    for text in seeds:
        texts += [text, variants.web_page(text), variants.add_markdown(text), variants.rewrap(text, 7)]
        texts.append(variants.to_traditional(text))
        # A trailing paragraph after the last resolution (此外，…), before the attendance lists.
        at = text.find("出席")
        texts.append(text[:at] + "\n此外，会议还研究了其他事项。\n另外，会议要求抓好落实。\n" + text[at:])
    for _ in range(60):
        a, b = rng.choice(seeds), rng.choice(seeds)
        i, j = sorted(rng.randrange(len(a)) for _ in range(2))
        texts.append(a[i:j] + "\n" + b[rng.randrange(len(b)) :])
    return texts


def _observer_lists() -> list[list[str]]:
    rng = random.Random(7)
    units = [dept.short for dept in registry()][:60]
    units += ["市委宣传部", "市发改", "委", "区发改局", "金阊街道", "浒墅关镇", "高新区管委会", "市大数据局"]
    people = ["胡卫江", "刘纯", "吴", "炜", "张东驰", "欧阳晓明", "王", "李·明", "的代表", "市", "局"]
    separators = [" ", "  ", "\n", "、", "，", "", "", "", "；"]
    lists = []
    for _ in range(400):
        parts = []
        for _ in range(rng.randrange(1, 30)):
            parts.append(rng.choice(units) if rng.random() < 0.45 else rng.choice(people))
            parts.append(rng.choice(separators))
        lists.append("".join(parts).split("\n"))
    return lists


def _dump(text: str) -> dict:
    return dataclasses.asdict(parse_text(text))


def test_lines_without_marker_characters_are_split_as_the_general_code_splits_them(monkeypatch) -> None:
    texts = _texts()
    fast = [_dump(text) for text in texts]
    monkeypatch.setattr(splitter, "_MARKER_FIRST", _Everything())
    monkeypatch.setattr(clean, "_NOISE_FIRST", _Everything())
    assert [_dump(text) for text in texts] == fast


def test_observer_pairs_read_in_one_regex_are_those_the_general_loop_reads(monkeypatch) -> None:
    lists = _observer_lists()
    fast = [attendance.observers(lines) for lines in lists]
    assert sum(len(result.observers) for result in fast) > 1000
    never = re.compile(r"(?!)")
    monkeypatch.setattr(attendance, "_known_unit_and_name", lambda place_words: never)
    assert [attendance.observers(lines) for lines in lists] == fast
