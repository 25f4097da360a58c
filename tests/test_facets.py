"""The filter's bitmaps (minutes.facets) against a brute-force walk of the library, for random
combinations of every filter: departments in each role, dates, kinds, issuers and text."""

from __future__ import annotations

import datetime as dt
import re
from array import array
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from minutes.catalogue_reads import ItemRuns
from minutes.departments import registry
from minutes.facets import ItemIndex, from_flags, run, to_flags
from minutes.filters import FILTER_KINDS, UNKNOWN_ISSUER, FilterSpec, RoleFilter, filter_kind
from minutes.library import Library
from tests import mixed_library
from tests.conftest import SEED_NAMES, seed_text

TEXTS = ["", "湖", "安全 电梯", "实施方案", "苏 州", "不存在的词"]


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Library:
    """Three governments, both scripts, a news report without items, the seeds again two years
    earlier (other sessions and numbers) and a meeting without a date."""
    folder = mixed_library.build(tmp_path_factory.mktemp("facets"))
    for key in sorted(SEED_NAMES):
        text = re.sub(r"(\d{4})(\s*年)", lambda m: f"{int(m.group(1)) - 2}{m.group(2)}", seed_text(key))
        text = re.sub(r"第\s*(\d+)\s*次常务", lambda m: f"第{int(m.group(1)) + 300}次常务", text, count=1)
        text = re.sub(r"〔(\d{4})〕(\d+)号", lambda m: f"〔{int(m.group(1)) - 2}〕{int(m.group(2)) + 50}号", text)
        (folder / f"older-{key}.txt").write_text(text, "utf-8")
    undated = re.sub(r"\d{4}\s*年|\d{1,2}\s*月\s*\d{1,2}\s*日|〔\d{4}〕\d+号", "", seed_text("001"))
    (folder / "undated.txt").write_text(re.sub(r"第\s*\d+\s*次常务", "第999次常务", undated, count=1), "utf-8")
    lib = Library.load([folder])
    assert any(m.date is None for m in lib.meetings) and any(not m.topics for m in lib.meetings)
    assert len({m.issuer for m in lib.meetings}) >= 4 and len(lib.years()) >= 3
    return lib


class BruteForce:
    """What a filter keeps, item by item, from the catalogue's rows as they are stored."""

    def __init__(self, library: Library) -> None:
        cat = library.catalogue
        self.library = library
        self.roles = {(dept, role): set(ids) for dept, role, ids in cat.topic_roles()}
        keys = cat.document_keys()
        self.attended = {dept: {keys[r] for r in rowids} for dept, rowids in cat.attended()}
        self.names = sorted({d for d, _ in self.roles} | set(self.attended))

    def keeps(self, spec: FilterSpec) -> set[tuple[str, int, int]]:
        """(meeting id, item number, item id) of every item spec keeps."""
        found = self.library.search(spec.text) if spec.text else None
        names = {registry().canonical(d) for d in spec.departments}
        kept = set()
        for meeting in self.library.meetings:
            if spec.date_from or spec.date_to:
                low, high = spec.date_from or dt.date.min, spec.date_to or dt.date.max
                if meeting.date is None or not low <= meeting.date <= high:
                    continue
            if spec.issuers and (meeting.issuer or UNKNOWN_ISSUER) not in spec.issuers:
                continue
            attended = any(meeting.id in self.attended.get(name, ()) for name in names)
            if names and spec.role is RoleFilter.ATTENDED and not attended:
                continue
            for topic in meeting.topics:
                if spec.kinds and filter_kind(topic.kind) not in spec.kinds:
                    continue
                named = any(topic.id in self.roles.get((name, spec.role.value), ()) for name in names)
                if names and spec.role is not RoleFilter.ATTENDED and not named:
                    continue
                if found is not None and topic.id not in found:
                    continue
                kept.add((meeting.id, topic.number, topic.id))
        return kept


@pytest.fixture(scope="module")
def brute(library: Library) -> BruteForce:
    return BruteForce(library)


def specs(brute: BruteForce, library: Library) -> st.SearchStrategy[FilterSpec]:
    # The meetings' own days and their neighbours (the edges of a range), or any day.
    edges = sorted({m.date + dt.timedelta(days=k) for m in library.meetings if m.date for k in (-1, 0, 1)})
    days = st.sampled_from(edges) | st.dates(dt.date(2017, 6, 1), dt.date(2022, 6, 1))
    issuers = sorted({m.issuer or UNKNOWN_ISSUER for m in library.meetings})
    # 市场监管局 is a source's typo the registry maps to 市市场监管局; 不存在局 names nothing.
    departments = [*brute.names, "市场监管局", "不存在局"]
    return st.builds(
        FilterSpec,
        departments=st.frozensets(st.sampled_from(departments), max_size=3),
        role=st.sampled_from(list(RoleFilter)),
        date_from=st.none() | days,
        date_to=st.none() | days,
        kinds=st.frozensets(st.sampled_from(FILTER_KINDS), max_size=3),
        text=st.sampled_from(TEXTS),
        issuers=st.frozensets(st.sampled_from(issuers), max_size=2),
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_every_filter_combination_keeps_what_brute_force_keeps(library: Library, brute: BruteForce, data) -> None:
    spec = data.draw(specs(brute, library))
    expected = brute.keeps(spec)
    assert library.matching_ids(spec) == {i for _, _, i in expected}
    assert library.matching(spec) == {(m, n) for m, n, _ in expected}
    matches = library.match(spec)
    assert matches.count == len(expected)
    assert matches.meeting_ids() == {m for m, _, _ in expected}
    kept = len({m for m, _, _ in expected})
    assert [matches.meeting_count(k) for k in (0, 1, 3, kept, kept + 1)] == [
        min(k, kept) for k in (0, 1, 3, kept, kept + 1)
    ]
    by_id = {m.id: m for m in library.meetings}
    assert matches.years == {(by_id[m].date.year if by_id[m].date else 0) for m, _, _ in expected}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_faceted_counts_equal_brute_force(library: Library, brute: BruteForce, data) -> None:
    spec = data.draw(specs(brute, library))
    expected: Counter[str] = Counter()
    for name in brute.names:
        n = len(brute.keeps(spec.with_(departments=frozenset({name}))))
        if n:
            expected[name] = n
    counts = library.faceted_department_counts(spec)
    assert +counts == expected  # department_counts (no other filter) also lists zeros


@pytest.mark.parametrize("role", list(RoleFilter))
def test_department_counts_per_role_equal_brute_force(library: Library, brute: BruteForce, role) -> None:
    expected = {name: len(brute.keeps(FilterSpec(departments=frozenset({name}), role=role))) for name in brute.names}
    counts = library.department_counts(role)
    assert {k: v for k, v in counts.items() if v} == {k: v for k, v in expected.items() if v}


def test_counts_before_and_after_the_indexes_are_built(tmp_path: Path) -> None:
    """At start the counts come from SQLite; once a department filter built the bitmaps, from
    them: the same numbers."""
    lib = Library.load([mixed_library.build(tmp_path / "m")])
    before = {role: lib.department_counts(role) for role in (RoleFilter.ANY, RoleFilter.LEAD, RoleFilter.CO)}
    lib.matching(FilterSpec(departments=frozenset({"市住建局"})))
    assert {role: lib.department_counts(role) for role in before} == before


@given(st.lists(st.booleans(), max_size=300))
def test_flags_and_bitmaps_round_trip(flags: list[bool]) -> None:
    data = bytes(flags)
    mask = from_flags(data)
    assert mask == sum(1 << p for p, kept in enumerate(flags) if kept)
    assert from_flags(bytearray(data)) == mask
    assert to_flags(mask, len(flags)) == data


@given(st.integers(0, 200), st.integers(0, 200))
def test_a_run_of_positions(start: int, end: int) -> None:
    assert run(start, end) == sum(1 << p for p in range(start, end))


@pytest.mark.parametrize("first_id", [1, 10**9])  # ids close together (a table) or far apart (a dict)
def test_item_ids_to_positions_and_back(first_id: int) -> None:
    meetings = [
        SimpleNamespace(id="b", date=dt.date(2021, 5, 1), issuer=None),
        SimpleNamespace(id="empty", date=dt.date(2021, 1, 1), issuer=None),
        SimpleNamespace(id="a", date=None, issuer=None),
    ]
    ids = {"b": [first_id + 5, first_id + 2], "empty": [], "a": [first_id, first_id + 9, first_id + 7]}
    flat = [i for m in meetings for i in ids[m.id]]
    runs = ItemRuns(array("q", flat), array("q", [1, 2, 1, 2, 3]), [len(ids[m.id]) for m in meetings])
    kinds = [("审议", ids["b"]), ("研究", ids["a"][:2]), ("其他", ids["a"][2:])]  # 研究 is filtered as 其他
    index = ItemIndex(meetings, runs, lambda: iter(kinds))  # type: ignore[arg-type]
    assert list(index.ids) == [first_id + 5, first_id + 2, first_id, first_id + 9, first_id + 7]
    mask = index.mask_of_ids([first_id + 2, first_id + 9, 3 * first_id + 100, -1])  # two not in the library
    assert mask == 0b01010
    assert index.ids_of(mask) == {first_id + 2, first_id + 9}
    assert list(index.hit_meetings(to_flags(mask, index.n))) == [0, 2]
    assert index.dates(dt.date(2021, 1, 1), None) == 0b00011  # the empty meeting adds nothing
    assert index.dates(None, None) == 0b00011  # the undated meeting is in no range
    assert index.kinds({"其他"}) == 0b11100 and index.kinds({"审议", "听取"}) == 0b00011
    assert index.keys_of(mask) == {("b", 2), ("a", 2)}
    assert sorted(index.keys_of(index.all)) == [("a", 1), ("a", 2), ("a", 3), ("b", 1), ("b", 2)]
    assert list(index.keys_of(0)) == []
    # Groups of ids with a bound: the ids past the library's (added since) are left out
    # whether the bound is known to fit the table or not.
    groups = [([first_id + 2, first_id + 7], first_id + 8), ([first_id + 9, 3 * first_id + 100], 3 * first_id + 101)]
    assert index.mask_of(groups) == 0b11010
    assert index.mask_of([(range(first_id, first_id + 20), None)]) == index.all


def test_items_are_read_when_a_meeting_is_first_asked_for_them(library: Library) -> None:
    fresh = Library(library.catalogue)
    assert all(m._topics is None for m in fresh.meetings)  # nothing read yet
    for meeting in fresh.meetings:
        rows = {(i, n, t, k) for i, key, n, t, k in library.catalogue.topic_rows() if key == meeting.id}
        assert {(t.id, t.number, t.title, t.kind) for t in meeting.topics} == rows
        assert [t.number for t in meeting.topics] == sorted(t.number for t in meeting.topics)
        assert meeting.topics is meeting.topics  # read once
    assert fresh.matching(FilterSpec(kinds=frozenset({"审议"}))) == library.matching(
        FilterSpec(kinds=frozenset({"审议"}))
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_matching_keys_behave_as_the_set_of_them(library: Library, brute: BruteForce, data) -> None:
    """Library.matching's keys are made as they are walked: membership, size, iteration (each
    key once, meetings in the library's order) and set operations agree with a plain set."""
    spec = data.draw(specs(brute, library))
    keys = library.matching(spec)
    expected = {(m, n) for m, n, _ in brute.keeps(spec)}
    walked = list(keys)
    assert len(walked) == len(set(walked)) == len(keys) == len(expected) and set(walked) == expected
    order = {m.id: o for o, m in enumerate(library.meetings)}
    assert [order[m] for m, _ in walked] == sorted(order[m] for m, _ in walked)
    probes = [*expected, *((m.id, t.number) for m in library.meetings[:3] for t in m.topics)]
    probes += [("no such meeting", 1), (library.meetings[0].id, 999), "not a key", (1, 2, 3)]
    assert [p in keys for p in probes] == [p in expected for p in probes]
    other = {(library.meetings[0].id, 1), ("no such meeting", 1)}
    assert keys & other == expected & other and keys | other == expected | other
    assert keys - other == expected - other and isinstance(keys & other, set)
    assert keys == expected and expected == keys
