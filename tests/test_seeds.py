"""The five bundled seeds parse exactly: values checked by hand against the source text."""

from __future__ import annotations

import datetime as dt

import pytest

from minutes import read_document
from tests.conftest import seed_path, seed_text


def parse(key: str):
    return read_document(seed_path(key)).minutes


EXPECTED = {
    "000": dict(
        doc_number="〔2020〕27号",
        year=2020,
        serial=27,
        session=108,
        date=dt.date(2020, 8, 17),
        period="上午",
        resolutions=[3, 3, 3, 3, 2],
        compiled=dt.date(2020, 9, 3),
        issued=dt.date(2020, 9, 3),
        kinds=["听取", "审议", "审议", "审议", "审议"],
    ),
    "001": dict(
        doc_number="〔2020〕17号",
        year=2020,
        serial=17,
        session=99,
        date=dt.date(2020, 6, 2),
        period="上午",
        resolutions=[3, 3, 3, 3, 3, 4, 3, 3, 3],
        compiled=dt.date(2020, 6, 12),
        issued=dt.date(2020, 6, 16),
        kinds=["审议", "审议", "审议", "审议", "审议", "学习", "审议", "传达", "审议"],
    ),
    "002": dict(
        doc_number="〔2020〕43号",
        year=2020,
        serial=43,
        session=121,
        date=dt.date(2020, 12, 14),
        period="上午",
        resolutions=[3, 3, 3, 3, 3, 3, 3, 4],
        compiled=dt.date(2020, 12, 25),
        issued=dt.date(2020, 12, 31),
        kinds=["审议", "审议", "传达", "审议", "审议", "审议", "审议", "听取"],
    ),
    "003": dict(
        doc_number=None,
        year=None,
        serial=None,
        session=101,
        date=dt.date(2020, 6, 15),
        period="下午",
        resolutions=[3, 3, 3, 3],
        compiled=dt.date(2020, 7, 1),
        issued=dt.date(2020, 7, 2),
        kinds=["审议", "审议", "审议", "听取"],
    ),
    "004": dict(
        doc_number="〔2021〕9号",
        year=2021,
        serial=9,
        session=128,
        date=dt.date(2021, 2, 23),
        period="下午",
        resolutions=[4, 3, 3, 3, 3, 3, 3, 3, 3],
        compiled=dt.date(2021, 3, 14),
        issued=dt.date(2021, 3, 16),
        kinds=["听取", "审议", "听取", "审议", "审议", "审议", "审议", "听取", "审议"],
    ),
}

# Lead (and co-lead) departments of every 审议 item, read off the resolutions by hand.
LEADS = {
    "000": {2: (["市工信局"], []), 3: (["市住建局"], ["市司法局"]), 4: (["市科技局"], []), 5: (["市医保局"], [])},
    "001": {
        1: (["市卫生健康委"], []),
        2: (["市民政局"], []),
        3: (["市金融监管局"], []),
        4: (["市金融监管局"], []),
        5: (["市委组织部", "市人才办"], []),
        7: (["市发改委"], []),
        9: (["市资源规划局"], []),
    },
    "002": {
        1: (["市司法局"], []),
        2: (["市科技局"], []),
        4: (["市住建局"], []),
        5: (["市行政审批局"], []),
        6: (["市生态环境局"], []),
        7: (["市文广旅局"], []),
    },
    # Item 一 of 003 names 苏州工业园区 only as the unit reporting, with no 由…/牵头 wording.
    "003": {1: ([], []), 2: (["市科技局"], []), 3: (["市应急局"], [])},
    "004": {
        2: (["市发改委"], []),
        4: (["市工信局"], []),
        5: (["市市场监管局"], ["市司法局"]),
        6: (["市城管局"], []),
        7: (["市发改委"], []),
        9: (["市商务局"], []),
    },
}


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_header_fields(key: str) -> None:
    m = parse(key)
    want = EXPECTED[key]
    assert (m.doc_number, m.year, m.serial) == (want["doc_number"], want["year"], want["serial"])
    assert m.session == want["session"]
    assert (m.date, m.period) == (want["date"], want["period"])
    assert m.chair == "李亚平" and m.chair_title == "市长" and m.delegated_by is None
    assert m.recorder == "栗涛"
    assert m.compiled_by == "苏州市人民政府办公室" and m.compiled_date == want["compiled"]
    assert m.issued_by == "苏州市人民政府办公室" and m.issued_date == want["issued"]
    assert m.public is True
    assert m.intro == "会议议定以下意见："


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_topics_and_resolutions(key: str) -> None:
    m = parse(key)
    assert [len(t.resolutions) for t in m.topics] == EXPECTED[key]["resolutions"]
    assert [t.kind for t in m.topics] == EXPECTED[key]["kinds"]
    assert [t.number for t in m.topics] == list(range(1, len(m.topics) + 1))
    for topic in m.topics:
        assert [r.number for r in topic.resolutions] == list(range(1, len(topic.resolutions) + 1))
        for text in (topic.title, *(r.text for r in topic.resolutions)):
            assert not any(mark in text for mark in ("#", "**", "\n", "  ")), text
            assert not text.startswith(("（", "(", "一、")), text


@pytest.mark.parametrize("key", sorted(LEADS))
def test_lead_departments_of_every_review_item(key: str) -> None:
    m = parse(key)
    reviewed = {t.number for t in m.topics if t.kind == "审议"}
    assert reviewed == set(LEADS[key])
    for number, (lead, co) in LEADS[key].items():
        topic = m.topics[number - 1]
        assert list(topic.lead_departments) == lead, topic.title
        assert list(topic.co_departments) == co, topic.title


def test_seed_000_details() -> None:
    m = parse("000")
    assert m.header == "苏州市人民政府常务会议纪要"
    assert m.summary.startswith("2020年8月17日上午，李亚平市长主持召开市政府第108次常务会议，听取1~7月")
    assert m.topics[0].resolutions[0].text == "原则同意市发改委等部门关于1~7月全市经济运行情况和下一步重点工作的汇报。"
    assert m.topics[0].resolutions[0].departments == ("市发改委",)
    assert m.topics[2].title == "审议《苏州市传统建筑和古建筑保护更新与修缮利用工程实施意见》"
    assert m.topics[2].documents == ("苏州市传统建筑和古建筑保护更新与修缮利用工程实施意见",)
    assert m.attendees == (
        "李亚平",
        "王翔",
        "洪宗明",
        "蒋来清",
        "陆春云",
        "江海",
        "吴晓东",
        "曹后灵",
        "杨知评",
        "胡志斌",
        "周伟",
        "吴维群",
    )
    plain = [o.name for o in m.observers if o.department is None]
    assert plain == [
        "张旗",
        "张剑",
        "马九根",
        "张焱",
        "陈春明",
        "蒋华",
        "顾建明",
        "徐业洲",
        "顾宝春",
        "谢飞",
        "张梁生",
        "田阿涛",
    ]
    pairs = [(o.department, o.name) for o in m.observers if o.department]
    assert len(pairs) == 50
    for pair in [
        ("市财政局", "吴炜"),  # 市 / 财政局吴炜 across a line break
        ("市生态环境局", "毛元龙"),
        ("市园林绿化局", "陈大林"),
        ("市农业农村局", "何建华"),
        ("市文广旅局", "韩卫兵"),
        ("市文广旅局", "陈瑞近"),  # 、 = a second person of the same department
        ("市外办", "陈羔"),
        ("市行政审批局", "张建明"),
        ("市金融监管局", "宋继峰"),
        ("苏州城投公司", "金铭"),
        ("苏州供电公司", "顾水福"),
        ("人行苏州中支", "郑文清"),
        ("吴江区", "李卫珍"),  # across a blank line
        ("苏州高新区", "华建男"),
    ]:
        assert pair in pairs
    assert m.observer_units == ("市委宣传部",)
    assert m.distribution == ("各市、区人民政府", "苏州工业园区、苏州高新区管委会", "市各有关部门和单位")
    assert m.warnings == ()


def test_seed_001_details() -> None:
    m = parse("001")
    assert m.topics[5].title.startswith("学习贯彻习近平总书记关于统计工作")
    assert m.topics[5].documents == ("苏州市贯彻落实国家统计局第六督察组督察反馈意见整改方案",)
    assert m.topics[8].documents == ("〈苏州市城乡规划条例〉修正案",)
    assert m.topics[2].documents == ("苏州市金融科技创新监管试点工作推进方案", "苏州市金融科技创新监管试点实施细则")
    # A resolution that runs across a blank line keeps all its words, joined.
    assert "有基础、有需求、有意义。" in m.topics[2].resolutions[1].text
    assert m.trailing == ("会上，市长、市政府党组书记李亚平还向与会同志传达了学习了全国“两会”精神。",)
    assert (
        m.topics[8].resolutions[-1].text == "各相关部门要加强统筹衔接，不断健全完善规划体系，提升规划编制和执行水平。"
    )
    pairs = [(o.department, o.name) for o in m.observers if o.department]
    for pair in [
        ("市委宣传部", "刘纯"),
        ("市发改委", "凌鸣"),
        ("市交通局", "陆文华"),
        ("苏州工业园区税务局", "孙中南"),
        ("团市委", "惠艳烂"),
        ("张家港市", "仇玉山"),
        ("市“331”专班", "朱存太"),
    ]:
        assert pair in pairs
    assert m.observer_units == ("市中级法院",)
    assert m.warnings == ()


def test_seed_002_details() -> None:
    m = parse("002")
    pairs = [(o.department, o.name) for o in m.observers if o.department]
    assert ("市发改委", "凌鸣") in pairs and ("市发改委", "夏文") in pairs
    assert ("市人大环资城建工委", "姜利荣") in pairs
    assert ("太仓港口管委会", "周晓荷") in pairs
    assert ("张家港市", "韩卫") in pairs and ("常熟市", "焦亚飞") in pairs
    assert ("吴江区", "王国荣") in pairs
    assert m.observer_units == ("市检察院", "苏州军分区", "武警苏州支队")
    assert m.topics[3].resolutions[0].departments == ("市住建局",)  # 由市住建局会相关部门
    assert m.warnings == ()


def test_seed_003_details() -> None:
    m = parse("003")
    assert m.header is None
    assert m.summary.startswith("2020年6月15日下午，李亚平市长主持召开市政府第101次常务会议，审议与中国科学技术大学")
    assert [t.title for t in m.topics] == [
        "审议与中国科学技术大学深化合作共建高等研究院事宜",
        "审议《材料科学姑苏实验室建设方案》",
        "审议《苏州市推进安全发展示范城市创建及城市安全风险评估实施方案》",
        "听取1～5月全市经济运行情况和下一步重点工作的汇报",
    ]
    assert m.attendees == ("李亚平", "王翔", "洪宗明", "陆春云", "曹后灵", "杨知评", "王飏", "胡志斌", "周伟", "吴维群")
    assert [o.name for o in m.observers[:3]] == ["张旗", "张剑", "沈志栋"]
    # A sentence that ends a line does not end the resolution: the next line continues it.
    assert (
        m.topics[0]
        .resolutions[1]
        .text.endswith("是我市建设现代化国际化大都市和苏州工业园区建设世界一流高科技园区的重要支撑。")
    )
    assert m.topics[0].resolutions[0].roles[0].role.value == "reporting"
    assert m.distribution == ("各市、区人民政府", "苏州工业园区", "苏州高新区管委会", "市各有关部门和单位")
    assert m.warnings == ("未找到文号（如〔2020〕27号）",)


def test_seed_004_details() -> None:
    m = parse("004")
    assert m.header == "苏州市人民政府常务会议纪要"
    assert m.topics[0].resolutions[3].label == "(四)"
    assert m.topics[0].resolutions[3].text.startswith("各承办单位要主动与代表委员加强联系,多“请进来”")
    elevator = m.topics[4].resolutions[0]
    assert elevator.text.startswith("原则同意《苏州市电梯安全条例（草案）》。由市场监管局会市司法局，")
    assert [(r.name, r.role.value, r.as_written) for r in elevator.roles] == [
        ("市市场监管局", "lead", "市场监管局"),
        ("市司法局", "co", "市司法局"),
    ]
    assert m.topics[6].resolutions[2].departments == ("吴中区", "苏州工业园区")
    pairs = [(o.department, o.name) for o in m.observers if o.department]
    assert ("市工信局", "蔡剑峰") in pairs and ("市工信局", "张文彪") in pairs
    assert ("市生态环境局", "毛元龙") in pairs  # 毛元 / 龙 across a line break
    assert ("太仓港口管委会", "周晓荷") in pairs
    assert ("苏州火车站", "俞涛") in pairs and ("市政府督查室", "徐自建") in pairs
    assert m.warnings == ()


def test_observer_counts() -> None:
    assert [len(parse(k).observers) for k in sorted(EXPECTED)] == [62, 85, 77, 58, 91]


def test_delegated_chair_and_date_without_year() -> None:
    from minutes import parse_text

    text = seed_text("000").replace(
        "2020年8月17日上午，李亚平市长主持召开", "8月17日上午，受市长李亚平委托，常务副市长王翔主持召开"
    )
    m = parse_text(text)
    assert m.date == dt.date(2020, 8, 17)  # the year from 〔2020〕27号
    assert (m.chair, m.chair_title, m.delegated_by) == ("王翔", "常务副市长", "李亚平")
    no_number = parse_text(seed_text("003").replace("2020 年 6 月 15 日下午", "12 月 28 日下午"))
    # No document number: the year comes from the compiled date (2020-07-01), and a meeting
    # cannot come after its own minutes were compiled, so it was the December before.
    assert no_number.date == dt.date(2019, 12, 28)
