"""Library search with several words, faceted department counts, and closing a library."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from minutes import seeds_dir
from minutes.departments import registry
from minutes.library import FilterSpec, Library, RoleFilter


@pytest.fixture(scope="module")
def library() -> Library:
    return Library.load([seeds_dir()])


def brute_force(library: Library, query: str) -> set[tuple[str, int]]:
    words = query.lower().split()
    found = set()
    for ref in library.topics():
        text = "\0".join([ref.topic.title, *(r.text for r in ref.topic.resolutions)]).lower()
        if all(w in text for w in words):
            found.add(ref.key)
    return found


@pytest.mark.parametrize(
    "query",
    [
        "电梯 安全",
        "安全 电梯",
        "湖 安全",
        "苏州市 实施方案",
        "实施方案 苏州市 湖",
        "苏 州",
        "湖 太湖",
        "姑苏实验室 科技",
        "市 区 县",
        "安全  生产\u3000监管",
        "电梯 不存在的词",
    ],
)
def test_words_separated_by_space_must_all_occur(library: Library, query: str) -> None:
    expected = brute_force(library, query)
    assert library.matching(FilterSpec(text=query)) == expected
    if query in ("电梯 安全", "安全 电梯"):
        assert expected  # the example finds something


def facet_brute_force(library: Library, spec: FilterSpec) -> Counter[str]:
    """Per department: the items that ticking it alone would show, other filters as they are."""
    counts: Counter[str] = Counter()
    names = set(library.department_counts(RoleFilter.ANY)) | set(library.department_counts(spec.role))
    for name in names:
        n = len(library.matching(spec.with_(departments=frozenset({name}))))
        if n:
            counts[registry().canonical(name)] = n
    return counts


@pytest.mark.parametrize(
    "spec",
    [
        FilterSpec(date_from=dt.date(2020, 6, 1), date_to=dt.date(2020, 6, 30)),
        FilterSpec(text="湖"),
        FilterSpec(kinds=frozenset({"审议"}), role=RoleFilter.LEAD),
        FilterSpec(text="安全", role=RoleFilter.ATTENDED),
        FilterSpec(departments=frozenset({"市住建局"}), date_from=dt.date(2021, 1, 1)),
    ],
)
def test_department_counts_are_faceted(library: Library, spec: FilterSpec) -> None:
    counts = library.faceted_department_counts(spec)
    assert counts == facet_brute_force(library, spec)


def test_counts_follow_the_date_filter(library: Library) -> None:
    # The case: 市住建局 leads 2 items, none of them in 2021.
    spec = FilterSpec(role=RoleFilter.LEAD, date_from=dt.date(2021, 1, 1), date_to=dt.date(2021, 12, 31))
    assert library.department_counts(RoleFilter.LEAD)["市住建局"] == 2
    assert library.faceted_department_counts(spec)["市住建局"] == 0


def test_library_closes_its_catalogue(tmp_path) -> None:
    import sqlite3

    with Library.load([seeds_dir()]) as lib:
        assert lib.meetings
    with pytest.raises(sqlite3.ProgrammingError):
        lib.catalogue.topic_rows()
