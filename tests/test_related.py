"""相关议题: a document that comes back at a later meeting is linked across meetings."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from minutes import seeds_dir
from minutes.library import Library
from minutes.related import normalise_title, related_items, related_to
from tests.conftest import seed_path


def test_titles_compare_without_stage_marks_quotes_or_brackets() -> None:
    assert normalise_title("2021年政府立法计划（草案）") == normalise_title("2021年政府立法计划")
    assert normalise_title("苏州市电梯安全条例(送审稿)") == normalise_title("苏州市电梯安全条例（草案）")
    assert normalise_title("〈苏州市城乡规划条例〉修正案") == "苏州市城乡规划条例修正案"
    assert normalise_title("“苏州制造”品牌建设三年行动计划") == "苏州制造品牌建设三年行动计划"
    assert normalise_title("苏州市电梯安全条例") != normalise_title("苏州市电梯管理条例")


def test_the_seeds_alone_link_nothing() -> None:
    assert related_items(Library.load([seeds_dir()]).meetings) == {}


def test_a_document_back_at_a_later_meeting_is_linked(tmp_path: Path) -> None:
    folder = tmp_path / "minutes"
    shutil.copytree(seeds_dir(), folder)
    # A later meeting adopting the plan the 121st discussed as a draft (built from seed 002).
    text = seed_path("002").read_text("utf-8")
    later = text.replace("第121次", "第125次").replace("〔2020〕43号", "〔2021〕3号").replace("12月14日", "12月28日")
    later = later.replace("《2021年政府立法计划（草案）》", "《2021年政府立法计划》")
    assert later != text
    (folder / "later.txt").write_text(later, "utf-8")
    library = Library.load([folder])
    linked = related_items(library.meetings)
    refs = linked[normalise_title("2021年政府立法计划")]
    assert [(r.session, r.item, r.document) for r in refs] == [
        (121, 1, "2021年政府立法计划（草案）"),
        (125, 1, "2021年政府立法计划"),
    ]
    assert refs[0].date == dt.date(2020, 12, 14) and refs[1].date == dt.date(2020, 12, 28)
    # Every document of the copied meeting is linked, and nothing else is.
    assert {r.meeting for key in linked for r in linked[key]} == {refs[0].meeting, refs[1].meeting}
    (other,) = related_to(linked, refs[1].meeting, 1)
    assert other == refs[0]
    assert related_to(linked, refs[1].meeting, 3) == []  # a 传达 item has no document
