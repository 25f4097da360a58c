"""The shortcuts the extraction takes for speed give what the long way gives: the parser's
roles stand for the registry's search of the text, and instances made without the generated
__init__ are the same instances."""

from __future__ import annotations

import datetime as dt

from minutes.assignment_mentions import mentions_of
from minutes.assignments import Assignment, Due, Task, extract, fast_instance, meeting_ref, tasks_of
from minutes.departments import DepartmentRole, Role, registry
from minutes.model import Resolution
from minutes.parse import parse_text
from tests import variants
from tests.conftest import SEED_NAMES, seed_text


def test_mentions_from_the_parsers_roles_are_the_registrys_on_every_seed_and_variant() -> None:
    checked = 0
    for key in sorted(SEED_NAMES):
        text = seed_text(key)
        for variant in (text, variants.rewrap(text, 7), variants.web_page(text), variants.to_traditional(text)):
            for topic in parse_text(variant).topics:
                for res in topic.resolutions:
                    found = registry().find_in_text(res.text)
                    assert mentions_of(res.text, res.roles) == found, res.text
                    assert extract(res, topic.number, None, {}, parsed=True) == extract(res, topic.number, None, {})
                    checked += bool(res.roles)
    assert checked > 150


def test_a_name_known_only_by_its_shape_is_searched_afresh() -> None:
    # 城市管理局 holds 市管理局, which the registry's shape does not take after 城; the
    # 市管理局 it found is the second one.
    text = "城市管理局配合，由市管理局负责。"
    found = registry().find_in_text(text)
    assert [(m.start, m.as_written) for m in found] == [(9, "市管理局")]
    roles = (DepartmentRole(found[0].name, Role.LEAD, found[0].as_written),)
    assert mentions_of(text, roles) == found
    assert mentions_of(text, ()) == []  # the parser's roles name every department it found


def test_fast_instances_equal_the_constructed_ones() -> None:
    due = Due("6月底前", dt.date(2020, 6, 30))
    assert (
        fast_instance(Due, {"words": "6月底前", "date": dt.date(2020, 6, 30), "start": None, "recurring": False}) == due
    )
    made = Assignment(1, 2, "文字", ("市财政局",), (), False, None, "做好工作", ("办法",), due)
    fields = {
        "item": 1, "resolution": 2, "text": "文字", "lead": ("市财政局",), "co": (), "to_all": False,
        "scope": None, "action": "做好工作", "documents": ("办法",), "due": due,
    }  # fmt: skip
    fast = fast_instance(Assignment, fields)
    assert fast == made and hash(fast) == hash(made) and repr(fast) == repr(made)
    minutes = parse_text(seed_text(sorted(SEED_NAMES)[0]))
    for task in tasks_of(minutes):
        again = Task(meeting_ref(minutes), task.item_title, task.assignment)
        assert task == again and task.id == again.id


def test_extract_finds_the_departments_itself_in_a_resolution_without_roles() -> None:
    found = extract(Resolution(1, "（一）", "市财政局负责资金保障。"), 1, dt.date(2020, 5, 1), {})
    assert found is not None and found.lead == ("市财政局",)
