"""Gaps in the numbering (#14): missing 第N次 sessions and 〔年〕N号 numbers, in every real shape."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from minutes import seeds_dir
from minutes.cli import main
from minutes.library import Library
from minutes.numbering import Gap, find_gaps, parse_doc_number
from tests.conftest import seed_path

SUZHOU = "苏州市人民政府"


@dataclass
class M:
    """A meeting as minutes.numbering sees it."""

    id: str
    session: int | None = None
    date: dt.date | None = None
    doc_number: str | None = None
    issuer: str | None = SUZHOU
    term: int | None = None


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def labels(gaps: list[Gap]) -> list[str]:
    return [g.label for g in gaps]


def test_the_seeds() -> None:
    """99, 101, 108, 121 (2020) and 128 (2021); 〔2020〕17, 27, 43号 and 〔2021〕9号."""
    library = Library.load([seeds_dir()])
    gaps = find_gaps(library.meetings)
    by_id = {m.id: m for m in library.meetings}
    shown = [(g.year, g.label, by_id[g.after].session, g.before and by_id[g.before].session) for g in gaps]
    assert shown == [
        # 第N次 runs on across the year boundary; the gap goes under the meeting that follows it.
        (2021, "第122–127次 · 未收录（6 次）", 128, 121),
        # 〔2021〕 starts again at 1, and 2020's numbers are held: 1–8 are missing.
        (2021, "〔2021〕1–8号 · 未收录（8 件）", 128, None),
        (2020, "第109–120次 · 未收录（12 次）", 121, 108),
        (2020, "第102–107次 · 未收录（6 次）", 108, 101),
        (2020, "第100次 · 未收录", 101, 99),
        (2020, "〔2020〕28–42号 · 未收录（15 件）", 121, 108),
        (2020, "〔2020〕18–26号 · 未收录（9 件）", 108, 99),
    ]
    # Nothing before 〔2020〕17号 (2019 is not held) or after the last number of a year or term.
    assert all(g.numbers != (1, 16) for g in gaps)


def test_sessions_run_on_across_a_year_and_numbers_restart() -> None:
    gaps = find_gaps(
        [
            M("a", 120, d("2020-12-14"), "〔2020〕43号"),
            M("b", 122, d("2021-01-10"), "〔2021〕1号"),
        ]
    )
    assert labels(gaps) == ["第121次 · 未收录"]  # no 〔2020〕44号… nor 〔2021〕0号
    assert gaps[0].year == 2021 and (gaps[0].after, gaps[0].before) == ("b", "a")


def test_an_unknown_term_restarting_at_one_is_not_a_gap() -> None:
    gaps = find_gaps(
        [
            M("old", 140, d("2022-12-01")),
            M("new1", 2, d("2023-02-01")),
            M("new2", 5, d("2023-03-01")),
        ]
    )
    assert labels(gaps) == ["第3–4次 · 未收录（2 次）"]  # nothing between 140 and 2, nothing after 140


def test_known_terms_are_sequences_of_their_own() -> None:
    gaps = find_gaps(
        [
            M("a", 148, d("2021-10-01"), term=15),
            M("b", 150, d("2021-11-01"), term=15),
            M("c", 3, d("2022-03-01"), term=16),
            M("d", 6, d("2022-04-01"), term=16),
        ]
    )
    got = {(g.term, g.sessions) for g in gaps}
    # Term 16 starts at 第1次 and term 15 is held: 1–2 are missing; term 15's start is unknown.
    assert got == {(15, (149, 149)), (16, (4, 5)), (16, (1, 2))}
    first_of_16 = next(g for g in gaps if g.sessions == (1, 2))
    assert first_of_16.after == "c" and first_of_16.before is None


def test_each_issuer_has_its_own_sequences() -> None:
    gaps = find_gaps(
        [
            M("s1", 1, d("2020-01-01"), "〔2020〕1号"),
            M("s3", 3, d("2020-02-01"), "〔2020〕3号"),
            M("z2", 2, d("2020-01-15"), "〔2020〕2号", issuer="张家港市人民政府"),
            M("u1", 7, d("2020-01-15"), issuer=None),
            M("u2", 9, d("2020-03-15"), issuer=None),
        ]
    )
    # 第2次 / 〔2020〕2号 of 张家港 does not fill 苏州's; an unknown issuer is a sequence of its own.
    assert [(g.issuer, g.label) for g in gaps] == [
        (SUZHOU, "第2次 · 〔2020〕2号 · 未收录"),
        (None, "第8次 · 未收录"),
    ]


def test_meetings_without_numbers_and_without_dates() -> None:
    gaps = find_gaps(
        [
            M("a", 99, d("2020-06-02")),
            M("b", 100, None),  # no date: it still holds its number
            M("c", 101, d("2020-06-15")),
            M("d", None, d("2020-07-01")),  # no session, no 文号: in no sequence
            M("e", 104, d("2020-07-20"), "文号不详"),
        ]
    )
    assert labels(gaps) == ["第102–103次 · 未收录（2 次）"]


def test_duplicates_are_one_meeting() -> None:
    gaps = find_gaps(
        [
            M("minutes", 100, d("2020-06-10"), "〔2020〕18号"),
            M("report", 100, d("2020-06-10")),  # a news report of the same meeting
            M("copy", 100, d("2020-06-11"), "〔2020〕18号"),
            M("next", 102, d("2020-06-20"), "〔2020〕19号"),
        ]
    )
    assert labels(gaps) == ["第101次 · 未收录"]


def test_a_gap_of_hundreds_is_one_row() -> None:
    (gap,) = find_gaps([M("a", 3, d("2018-03-01")), M("b", 150, d("2021-11-01"))])
    assert gap.sessions == (4, 149) and gap.count == 146
    assert gap.label == "第4–149次 · 未收录（146 次）"


def test_a_misread_number_makes_no_gap() -> None:
    # 第500次 four days after 第99次 cannot be: more than one meeting a day would be missing.
    # Conservative: 第100次 is not reported either, as 第500次 stands between 99 and 101 in date order.
    assert find_gaps([M("a", 99, d("2020-06-01")), M("b", 500, d("2020-06-05")), M("c", 101, d("2020-06-10"))]) == []


def test_a_session_and_a_number_between_the_same_meetings_are_one_missing_meeting() -> None:
    gaps = find_gaps(
        [
            M("a", 99, d("2020-06-02"), "〔2020〕17号"),
            M("b", 101, d("2020-06-15"), "〔2020〕19号"),
            M("c", 104, d("2020-07-15"), "〔2020〕21号"),
        ]
    )
    assert labels(gaps) == [
        "第102–103次 · 未收录（2 次）",  # two sessions, one number: not merged
        "第100次 · 〔2020〕18号 · 未收录",
        "〔2020〕20号 · 未收录",
    ]


def test_document_number_forms_and_series() -> None:
    assert parse_doc_number("〔2020〕27号") == ("", 2020, 27)
    assert parse_doc_number("苏府常纪[2013]4号") == ("苏府常纪", 2013, 4)
    assert parse_doc_number("常务会议纪要［2024］第7号") == ("常务会议纪要", 2024, 7)
    assert parse_doc_number("（2020）5号") == ("", 2020, 5)
    assert parse_doc_number("第108次") is None and parse_doc_number(None) is None
    gaps = find_gaps(
        [
            M("a", None, d("2013-01-05"), "苏府常纪[2013]4号"),
            M("b", None, d("2013-02-05"), "苏府常纪〔2013〕6号"),
            M("c", None, d("2013-02-07"), "苏府专纪〔2013〕5号"),  # another series
        ]
    )
    assert labels(gaps) == ["苏府常纪〔2013〕5号 · 未收录"]


def test_minutes_gaps_lists_what_to_fetch(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["gaps", "--library", str(seeds_dir())]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "苏州市人民政府 2021年"
    assert (
        lines[1]
        == "  第122–127次 · 未收录（6 次）  在 第121次 2020-12-14 〔2020〕43号 与 第128次 2021-02-23 〔2021〕9号 之间"
    )
    assert "  第100次 · 未收录  在 第99次 2020-06-02 〔2020〕17号 与 第101次 2020-06-15 之间" in lines
    assert lines[-1] == "共 7 处缺少的纪要"
    assert main(["gaps", "--json", "--library", str(seeds_dir())]) == 0
    first, *_ = json.loads(capsys.readouterr().out)
    assert first["sessions"] == [122, 127] and first["count"] == 6 and first["numbers"] is None
    assert first["before"]["session"] == 121 and first["after"]["doc_number"] == "〔2021〕9号"


def test_minutes_gaps_says_when_nothing_is_missing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copy(seed_path("000"), tmp_path / "108.txt")
    assert main(["gaps", "--library", str(tmp_path)]) == 0
    assert capsys.readouterr().out == "编号连续：没有发现缺少的纪要\n"
