"""Shapes of real published minutes (issue 10), built from the seeds: the city site's own page,
traditional script, other local governments, sessions without 第, items decided in one
paragraph, news-style reports. Each variant must give the seed's facts."""

from __future__ import annotations

import datetime as dt

import pytest

from minutes import parse_text
from minutes.model import MINUTES, REPORT, SIMPLIFIED, TRADITIONAL
from tests import variants
from tests.conftest import seed_text

SEEDS = ["000", "001", "002", "003", "004"]


def facts(m) -> tuple:
    return (m.doc_number, m.session, m.date, m.period, m.chair, m.chair_title, m.delegated_by)


def items(m) -> list:
    return [(t.title, len(t.resolutions), t.lead_departments, t.co_departments) for t in m.topics]


# --- 1/2: the site's page: number after its prefix, publication line, footer ----------------


@pytest.mark.parametrize("prefix", ["常务会议纪要", "苏府常纪", ""])
def test_site_page_keeps_the_number_and_the_page_facts(seed_key: str, prefix: str) -> None:
    seed = parse_text(seed_text(seed_key))
    page = variants.site_page(seed_text(seed_key), seed.doc_number, seed.session, "2021-04-02", prefix)
    m = parse_text(page)
    assert facts(m) == facts(seed)
    assert items(m) == items(seed)
    assert m.published_date == dt.date(2021, 4, 2) and m.source_office == "苏州市人民政府办公室"
    assert m.issuer == "苏州市人民政府"
    assert m.unplaced == () and m.warnings == seed.warnings
    assert not any("版权" in t.title or "举报" in t.title for t in m.topics)
    assert not any("版权" in r.text or "举报" in r.text for t in m.topics for r in t.resolutions)


def test_number_with_old_square_brackets_on_the_page() -> None:
    page = variants.site_page(seed_text("000"), "[2013]4号", 108, "2013-09-03")
    m = parse_text(page)
    assert (m.doc_number, m.year, m.serial) == ("〔2013〕4号", 2013, 4)


@pytest.mark.parametrize(
    ("published", "year"),
    [("2020-09-03", 2020), ("2021-01-05", 2020), ("2020-08-16", 2019)],
)
def test_year_from_the_publication_line(published: str, year: int) -> None:
    """No year in the date, no number, no closing dates: the page's publication date gives the
    year, and a meeting day after it means the year before."""
    text = variants.without_year(seed_text("000"))
    text = text.replace("〔2020〕27号", "")
    text = text.split("出席：")[0].split("**出席：**")[0]
    m = parse_text(variants.site_page(text, None, 108, published))
    assert m.date == dt.date(year, 8, 17)


def test_year_chain_prefers_the_number_then_the_closing_dates() -> None:
    text = variants.without_year(seed_text("000"))
    page = variants.site_page(text, "〔2020〕27号", 108, "2023-01-01")
    assert parse_text(page).date == dt.date(2020, 8, 17)  # the number's year, not the page's
    no_number = variants.site_page(text.replace("〔2020〕27号", ""), None, 108, "2023-01-01")
    assert parse_text(no_number).date == dt.date(2020, 8, 17)  # compiled 2020-09-03 comes first


# --- 3: the chair ---------------------------------------------------------------------------


@pytest.mark.parametrize(("written", "chair", "title"), variants.CHAIR_FORMS)
def test_chair_named_with_a_title(written: str, chair: str, title: str) -> None:
    m = parse_text(variants.with_chair(seed_text("000"), written))
    assert (m.chair, m.chair_title, m.delegated_by) == (chair, title, None)
    assert "未找到主持人" not in m.warnings


@pytest.mark.parametrize(
    ("written", "chair", "title"),
    [
        ("区长张备", "张备", "区长"),
        ("代理区长毛志强", "毛志强", "代理区长"),
        ("邓晓东区长", "邓晓东", "区长"),
        ("常务副区长王某", "王某", "常务副区长"),
        ("县长李明在县政府一楼会议室", "李明", "县长"),
        ("副县长欧阳娜娜以视频会议形式", "欧阳娜娜", "副县长"),
        ("镇长陈刚", "陈刚", "镇长"),
        ("管委会主任周晓荷", "周晓荷", "管委会主任"),
        ("主任赵敏", "赵敏", "主任"),
    ],
)
def test_local_chairs(written: str, chair: str, title: str) -> None:
    m = parse_text(variants.with_chair(seed_text("002"), written))
    assert (m.chair, m.chair_title) == (chair, title)


def test_delegated_chair_with_a_place() -> None:
    text = seed_text("000").replace("李亚平市长主持召开", "受市长李亚平委托，常务副市长王翔在市政府三楼会议室主持召开")
    m = parse_text(text)
    assert (m.chair, m.chair_title, m.delegated_by) == ("王翔", "常务副市长", "李亚平")


# --- 4: traditional script ------------------------------------------------------------------


def test_traditional_script_parses_like_the_seed_and_keeps_its_characters(seed_key: str) -> None:
    from minutes.script import search_form

    seed = parse_text(seed_text(seed_key))
    m = parse_text(variants.to_traditional(seed_text(seed_key)))
    assert m.script == TRADITIONAL and seed.script == SIMPLIFIED
    assert (m.doc_number, m.session, m.date, m.period) == (seed.doc_number, seed.session, seed.date, seed.period)
    assert m.issuer == seed.issuer == "苏州市人民政府"  # a filter key: simplified
    assert m.chair == "李亞平" and m.chair_title == "市長"
    assert [len(t.resolutions) for t in m.topics] == [len(t.resolutions) for t in seed.topics]
    assert [t.kind for t in m.topics] == [t.kind for t in seed.topics]
    # Departments are identities (simplified); every text keeps the source's characters.
    assert [t.lead_departments for t in m.topics] == [t.lead_departments for t in seed.topics]
    assert [(o.department, search_form(o.name)) for o in m.observers] == [
        (o.department, search_form(o.name)) for o in seed.observers
    ]
    assert m.topics[0].title == variants.to_traditional(seed.topics[0].title)
    assert m.summary == variants.to_traditional(seed.summary)
    assert m.warnings == seed.warnings


def test_traditional_site_page_with_footer() -> None:
    seed = parse_text(seed_text("004"))
    page = variants.to_traditional(variants.site_page(seed_text("004"), seed.doc_number, seed.session, "2021-03-20"))
    m = parse_text(page)
    assert "版權所有" in page
    assert (m.doc_number, m.published_date, m.unplaced) == ("〔2021〕9号", dt.date(2021, 3, 20), ())
    assert items(m)[0][1:] == items(seed)[0][1:]


def test_a_simplified_text_with_a_traditional_name_stays_simplified() -> None:
    m = parse_text(seed_text("004"))  # 王颺 in the attendance list
    assert m.script == SIMPLIFIED and "王颺" in m.attendees


# --- 5: sessions without 第 -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "term", "session"),
    [
        ("区四届五十一次常务会议", 4, 51),
        ("五届104次常务会议", 5, 104),
        ("第十五届人民政府第8次常务会议", 15, 8),
        ("第108次常务会议", None, 108),
    ],
)
def test_sessions_without_di(phrase: str, term: int | None, session: int) -> None:
    text = seed_text("000").replace("市政府第108次常务会议", phrase)
    m = parse_text(text)
    assert (m.term, m.session) == (term, session)


def test_session_without_di_rewrapped(seed_key: str) -> None:
    seed = parse_text(seed_text(seed_key))
    text = variants.session_without_di(seed_text(seed_key), "区四", "一百二十")
    m = parse_text(variants.rewrap(text, 3))
    assert (m.term, m.session) == (4, 120)
    assert items(m) == items(seed)


def test_a_congress_session_is_not_the_meeting() -> None:
    """市十六届人大五次会议 in the summary is not a standing-meeting session."""
    text = seed_text("004").replace("市政府第128次常务会议", "市政府常务会议")
    m = parse_text(text)
    assert m.session is None and m.term is None


# --- 6: an item decided in one paragraph ----------------------------------------------------


def test_items_decided_in_one_paragraph(seed_key: str) -> None:
    seed = parse_text(seed_text(seed_key))
    m = parse_text(variants.one_paragraph(seed_text(seed_key)))
    assert [t.title for t in m.topics] == [t.title for t in seed.topics]
    assert [len(t.resolutions) for t in m.topics] == [1] * len(seed.topics)
    for topic, original in zip(m.topics, seed.topics, strict=True):
        (r,) = topic.resolutions
        assert (r.number, r.label) == (1, "")
        assert r.text == "会议议定：" + "".join(x.text for x in original.resolutions)
        assert topic.lead_departments == original.lead_departments
    assert m.warnings == seed.warnings


def test_one_paragraph_after_a_heard_report() -> None:
    text = (
        "姑苏区人民政府常务会议纪要\n〔2023〕5号\n"
        "3月2日上午，区长徐刚主持召开区政府第37次常务会议。\n"
        "一、审议《老旧小区改造管理办法》\n"
        "会议听取了区住建局关于《老旧小区改造管理办法》起草情况的汇报。会议原则同意该办法，由区住建局会同区财政局按程序印发。\n"
        "二、研究平江街道环境整治工作\n"
        "会议议定：由平江街道牵头，区城管局配合，年底前完成整治。\n"
        "版权所有：苏州市姑苏区人民政府\n"
    )
    m = parse_text(text)
    assert (m.issuer, m.chair, m.chair_title, m.session, m.date) == (
        "姑苏区人民政府",
        "徐刚",
        "区长",
        37,
        dt.date(2023, 3, 2),
    )
    first, second = m.topics
    assert first.title == "审议《老旧小区改造管理办法》"
    assert [(d.name, d.role.value) for d in first.resolutions[0].roles] == [
        ("区住建局", "reporting"),
        ("区住建局", "lead"),
        ("区财政局", "co"),
    ]
    assert second.title == "研究平江街道环境整治工作"
    assert [(d.name, d.role.value) for d in second.resolutions[0].roles] == [
        ("平江街道", "lead"),
        ("区城管局", "mentioned"),
    ]
    assert m.warnings == ()


# --- 7: other local governments -------------------------------------------------------------


@pytest.mark.parametrize("local", variants.LOCAL, ids=lambda v: v[0])
def test_other_local_governments(seed_key: str, local: tuple) -> None:
    government, _short, title, head, prefix = local
    seed = parse_text(seed_text(seed_key))
    m = parse_text(variants.local_government(seed_text(seed_key), *local))
    assert (m.issuer, m.chair, m.chair_title) == (government, head, title)
    assert (m.doc_number, m.session, m.date) == (seed.doc_number, seed.session, seed.date)
    assert [len(t.resolutions) for t in m.topics] == [len(t.resolutions) for t in seed.topics]
    for topic, original in zip(m.topics, seed.topics, strict=True):
        assert list(topic.lead_departments) == [variants.local_department(d, prefix) for d in original.lead_departments]
        assert list(topic.co_departments) == [variants.local_department(d, prefix) for d in original.co_departments]
    assert [(o.department, o.name) for o in m.observers] == [
        (o.department and variants.local_department(o.department, prefix), o.name) for o in seed.observers
    ]
    assert m.warnings == seed.warnings


def test_suzhou_seeds_name_their_issuer(seed_key: str) -> None:
    assert parse_text(seed_text(seed_key)).issuer == "苏州市人民政府"


# --- 8: news-style reports ------------------------------------------------------------------


def test_news_report(seed_key: str) -> None:
    seed = parse_text(seed_text(seed_key))
    m = parse_text(variants.news_report(seed, "2021-03-01"))
    assert m.genre == REPORT and seed.genre == MINUTES
    assert (m.session, m.date, m.chair, m.chair_title) == (seed.session, seed.date, "李亚平", "市长")
    assert m.summary.startswith(f"{seed.date.month}月{seed.date.day}日") and m.summary.endswith("。")
    assert m.topics == () and m.warnings == ()
    assert m.published_date == dt.date(2021, 3, 1)
    assert m.trailing and all(p.startswith("会议") for p in m.trailing)


def test_numbered_report_has_its_items() -> None:
    text = (
        "张家港市政府召开第12次常务会议\n"
        "发布日期：2022-05-10\n"
        "5月9日，市长韩卫主持召开市政府第12次常务会议。\n"
        "一、审议《张家港市城市更新实施办法》\n"
        "会议原则同意该办法，由市住建局根据讨论意见修改后印发。\n"
    )
    m = parse_text(text)
    assert (m.genre, m.date, m.session, m.chair) == (MINUTES, dt.date(2022, 5, 9), 12, "韩卫")
    assert m.published_date == dt.date(2022, 5, 10)  # 发布日期, and the year of 5月9日
    assert [t.title for t in m.topics] == ["审议《张家港市城市更新实施办法》"]
    assert m.topics[0].lead_departments == ("市住建局",)


def test_report_with_a_headline_sentence() -> None:
    """A headline with a comma is read with the opening sentence; the titled chair wins."""
    text = (
        "吴庆文主持召开市政府常务会议，研究部署重点工作\n"
        "来源：苏州日报  发布时间：2024-04-25\n"
        "4月24日下午，市长吴庆文主持召开市政府第57次常务会议，审议《苏州市数据条例（草案）》。\n"
        "会议强调，要抓好各项工作落实。\n"
    )
    m = parse_text(text)
    assert (m.genre, m.chair, m.chair_title, m.session, m.date) == (REPORT, "吴庆文", "市长", 57, dt.date(2024, 4, 24))
    assert m.trailing == ("会议强调，要抓好各项工作落实。",) and m.warnings == ()
