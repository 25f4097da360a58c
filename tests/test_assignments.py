"""Assignments on every resolution of the five seeds, expected values written from the texts."""

from __future__ import annotations

import datetime as dt

import pytest

from minutes import read_document
from minutes.assignments import Due, assignments_of, due_in_text, extract, meeting_ref, short_names, tasks_of
from minutes.model import Resolution
from tests.conftest import seed_path

ALL = "各地各部门"
ALL_REL = "各地各相关部门"
REL = "各相关部门"
CHANGE_TO_STANDING = "修改完善后提请市委常委会审议"

# (item, resolution) -> (lead, co, scope, action, documents, due words) or None (assigns nothing).
EXPECTED: dict[str, dict[tuple[int, int], tuple | None]] = {
    "000": {
        (1, 1): None,  # a report noted
        (1, 2): ((), (), ALL, "保持清醒头脑", (), None),
        (1, 3): ((), (), ALL, "坚定贯彻落实中央和省决策部署", (), None),
        (2, 1): (
            ("市工信局",),
            (),
            None,
            CHANGE_TO_STANDING,
            ("关于建立“链长制”推进重点产业链高质量发展的实施意见",),
            None,
        ),
        (2, 2): None,  # 制定《实施意见》，是…的重要举措
        (2, 3): ((), (), ALL, "按照“一盘棋、一张网”原则", (), None),
        (3, 1): (
            ("市住建局",),
            ("市司法局",),
            None,
            "修改完善后按程序印发",
            ("苏州市传统建筑和古建筑保护更新与修缮利用工程实施意见",),
            None,
        ),
        (3, 2): None,
        (3, 3): ((), (), REL, "做好传统建筑、古建筑的保护更新和修缮利用工作", (), None),
        (4, 1): (("市科技局",), (), None, CHANGE_TO_STANDING, ("关于支持材料科学姑苏实验室建设的若干意见",), None),
        (4, 2): None,
        (4, 3): ((), (), REL, "做好政策落实工作", (), None),
        (5, 1): (("市医保局",), (), None, "按程序发文实施", ("2021年市区居民医疗保险筹资标准调整建议方案",), None),
        (5, 2): ((), (), REL, "做好政策解读和宣传引导工作", (), None),
    },
    "001": {
        (1, 1): (
            ("市卫生健康委",),
            (),
            None,
            "修改完善后报市委深改委审议",
            ("苏州市改革完善医疗卫生行业综合监管制度实施方案",),
            None,
        ),
        (1, 2): ((), (), ALL, "提高思想认识", (), None),
        (1, 3): ((), (), ALL, "按照职责分工", (), None),
        (2, 1): (("市民政局",), (), None, "做好调整落实工作", (), "2020年7月1日起施行"),
        (2, 2): ((), (), ALL, "做好“六稳”“六保”工作", (), None),
        (2, 3): ((), (), ALL, "做好宣传引导", (), None),
        (3, 1): (
            ("市金融监管局",),
            (),
            None,
            "修改完善后按程序印发实施",
            ("苏州市金融科技创新监管试点工作推进方案", "苏州市金融科技创新监管试点实施细则"),
            None,
        ),
        (3, 2): None,
        (3, 3): ((), (), ALL, "整合资源", (), None),
        (4, 1): (
            ("市金融监管局",),
            (),
            None,
            "修改完善后按程序印发实施",
            ("苏州小微企业数字征信实验区建设推进工作方案",),
            None,
        ),
        (4, 2): None,  # 我们要…: no addressee
        (4, 3): ((), (), ALL_REL, "按照小微企业数字征信实验区建设的各项工作要求", (), None),
        (5, 1): (
            ("市委组织部", "市人才办"),
            (),
            None,
            CHANGE_TO_STANDING,
            ("加快人才国际化引领产业高端化发展的若干政策措施",),
            None,
        ),
        (5, 2): ((), (), ALL, "借助政策出台的契机", ("加快人才国际化引领产业高端化发展的若干政策措施",), None),
        (5, 3): ((), (), ALL, "加强联动、密切配合", (), None),
        (6, 1): ((), (), ALL, "认真学习贯彻习近平总书记关于统计工作重要讲话指示批示精神", (), None),
        (6, 2): (
            ("市统计局",),
            (),
            None,
            CHANGE_TO_STANDING,
            ("苏州市贯彻落实国家统计局第六督察组督察反馈意见整改方案",),
            None,
        ),
        (6, 3): ((), (), ALL, "认真对照督察组反馈的问题及提出的意见", (), None),
        (6, 4): ((), (), ALL, "坚持问题导向", (), None),
        (7, 1): (("市发改委",), (), None, "梳理完善后提请市委常委会审议", (), None),
        (7, 2): ((), (), ALL, "高度重视", (), None),
        (7, 3): ((), (), ALL, "在梳理完善问题清单的基础上", (), None),
        (8, 1): ((), (), ALL_REL, "切实强化危机意识和红线意识", (), None),
        (8, 2): ((), (), ALL_REL, "强化协同作战", (), None),
        (8, 3): ((), (), "各地", "从严把好项目审批前的会商会审“关口”", (), None),  # 各地化治办要
        (9, 1): (("市资源规划局",), (), None, "按程序提请市人大常委会审议", ("〈苏州市城乡规划条例〉修正案",), None),
        (9, 2): None,
        (9, 3): ((), (), REL, "加强统筹衔接", (), None),
    },
    "002": {
        (1, 1): (("市司法局",), (), None, "完善后按程序发文实施", ("2021年政府立法计划（草案）",), None),
        (1, 2): None,
        (1, 3): (("市司法局",), (), REL, "把立法工作列入重要议事日程", (), None),  # 市司法局要严格履行审查职责
        (2, 1): (("市科技局",), (), None, "稳妥做好后续工作", (), None),
        (2, 2): ((), (), ALL, "切实发挥人才在先导产业发展中的引领和支撑作用", (), None),
        (2, 3): ((), (), ALL_REL, "创新人才引育的体制机制", (), None),
        (3, 1): (
            (),
            (),
            ALL,
            "深入学习贯彻习近平总书记关于加强安全生产的重要论述以及王勇国务委员和中央纪委国家监委领导同志有关讲话、批示精神",
            (),
            None,
        ),
        (3, 2): ((), (), ALL, "整合重点行业领域的牵头部门及相关单位的工作力量", (), "尽快"),
        (3, 3): ((), (), ALL, "牢固树立“生命至上、安全第一”意识", (), None),
        (4, 1): (
            ("市住建局",),
            (),
            None,
            "修改完善后按程序发文实施",
            ("苏州市开展新型城市基础设施建设试点工作的方案",),
            None,
        ),
        (4, 2): None,
        (4, 3): (
            (),
            (),
            ALL_REL,
            "对照住建部等七部委《关于加快推进新型城市基础设施建设的指导意见》的相关要求",
            ("关于加快推进新型城市基础设施建设的指导意见",),
            "到2025年",
        ),
        (5, 1): (
            ("市行政审批局",),
            (),
            None,
            "完善后按程序以市政府办公室名义印发",
            ("苏州市12345公共服务平台运行管理办法",),
            None,
        ),
        (5, 2): (("市行政审批局",), (), None, "再接再厉", (), None),  # 市行政审批局和相关部门要
        (5, 3): ((), (), "各地、各部门", "根据工作实际情况", ("苏州市12345公共服务平台运行管理办法",), None),
        (6, 1): (
            ("市生态环境局",),
            (),
            None,
            "完善后按程序提请市委常委会审议",
            ("苏州市打好污染防治攻坚战年度成效考核实施办法",),
            None,
        ),
        (6, 2): ((), (), ALL, "做好对打好污染防治攻坚战成效的考核工作", (), None),
        (6, 3): ((), (), ALL_REL, "对照考核目标任务", (), None),
        (7, 1): (
            ("市文广旅局",),
            (),
            None,
            "修改完善后按程序提请市委常委会审议",
            ("关于文化产业倍增计划的实施意见", "关于落实文化产业倍增计划的扶持政策"),
            None,
        ),
        (7, 2): ((), (), ALL_REL, "找准文化产业发展中的堵点难点", (), None),
        (7, 3): ((), (), ALL_REL, "加大政策扶持力度", (), None),
        (8, 1): None,
        (8, 2): None,
        (8, 3): ((), (), ALL, "拿出决战决胜的“精气神”奋力冲刺", (), None),
        (8, 4): ((), (), ALL, "强化机遇意识、风险意识", (), None),
    },
    "003": {
        (1, 1): None,
        (1, 2): None,  # 苏州工业园区 named, not addressed
        (1, 3): (("苏州工业园区",), (), "市级各相关部门", "按照“整体规划、分步实施”的思路", (), "尽快"),
        (2, 1): (("市科技局",), (), None, CHANGE_TO_STANDING, ("材料科学姑苏实验室建设方案",), None),
        (2, 2): ((), (), ALL, "提高认识", (), None),
        (2, 3): None,  # …建设工作要…: no addressee
        (3, 1): (
            ("市应急局",),
            (),
            None,
            CHANGE_TO_STANDING,
            ("苏州市推进安全发展示范城市创建及城市安全风险评估实施方案",),
            None,
        ),
        (3, 2): ((), (), ALL, "高度重视", (), None),
        (3, 3): ((), (), ALL, "针对排查评估出的问题隐患", (), None),
        (4, 1): None,
        (4, 2): None,
        (4, 3): ((), (), ALL, "认真对照指标", (), None),
    },
    "004": {
        (1, 1): None,
        (1, 2): None,
        (1, 3): ((), (), "各承办单位", "把建议提案办理工作列入重要议事日程", (), None),
        (1, 4): (("市政府办公室",), (), "各承办单位", "主动与代表委员加强联系", (), None),
        (2, 1): (("市发改委",), (), None, "按程序提请市委常委会审议", ("苏州市优化营商环境创新行动2021",), None),
        (2, 2): None,
        (2, 3): (
            ("市发改委",),
            (),
            ALL,
            "紧扣《创新行动2021》内容和任务分工",
            ("苏州市优化营商环境创新行动2021",),
            None,
        ),
        (3, 1): (("市发改委",), (), None, "完善后牵头抓好组织实施", (), None),
        (3, 2): ((), (), ALL_REL, "拿出“开局就奔跑，起步就冲刺”的状态", (), None),
        (3, 3): (("市发改委",), (), REL, "进一步完善项目投资计划", (), None),
        (4, 1): (
            ("市工信局",),
            (),
            None,
            "修改完善后按程序提请市委常委会审议",
            ("“苏州制造”品牌建设三年行动计划", "关于全力打响“苏州制造”品牌的若干措施"),
            None,
        ),
        (4, 2): ((), (), ALL, "切实提高政治站位", (), None),
        (4, 3): ((), (), ALL_REL, "按照重点任务、年度目标和责任分工", (), None),
        (5, 1): (
            ("市市场监管局",),
            ("市司法局",),
            None,
            "修改完善后按程序提请市人大常委会审议",
            ("苏州市电梯安全条例（草案）",),
            None,
        ),
        (5, 2): None,
        (5, 3): ((), (), ALL_REL, "牢固树立质量第一、安全第一的意识", (), None),
        (6, 1): (
            ("市城管局",),
            (),
            None,
            "修改完善后按程序提请市委常委会审议",
            ("进一步加强违法建设治理行动方案",),
            None,
        ),
        (6, 2): None,
        (6, 3): (
            ("市城管局",),
            (),
            "各地",
            "做好各自领域违法建设查处工作",
            ("进一步加强违法建设治理行动方案",),
            "尽快",
        ),
        (7, 1): (
            ("市发改委",),
            (),
            None,
            "修改完善后按程序提请市委常委会审议",
            (
                "关于推进苏州市独墅湖开放创新协同发展示范区建设的若干意见",
                "关于推进苏州市独墅湖开放创新协同发展示范区建设的工作方案",
            ),
            None,
        ),
        (7, 2): None,
        (7, 3): (("吴中区", "苏州工业园区"), (), REL, "从全市加快实现区域协调发展的大局出发", (), None),
        (8, 1): None,
        (8, 2): ((), (), ALL, "进一步强化质量第一意识", (), None),
        (8, 3): (("市市场监管局",), (), None, "不断完善评价体系", (), None),
        (9, 1): (
            ("市商务局",),
            (),
            None,
            "按程序提请市委常委会审议",
            ("关于推进苏州开发区开放创新发展的若干意见",),
            None,
        ),
        (9, 2): None,
        (9, 3): ((), (), REL, "聚焦开发区体制机制面临的问题", (), None),
    },
}


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_every_resolution_of_the_seeds(key: str) -> None:
    minutes = read_document(seed_path(key)).minutes
    names = short_names(minutes)
    seen = {}
    for topic in minutes.topics:
        for res in topic.resolutions:
            a = extract(res, topic.number, minutes.date, names)
            seen[(topic.number, res.number)] = (
                None if a is None else (a.lead, a.co, a.scope, a.action, a.documents, a.due.words if a.due else None)
            )
            if a is not None:
                assert a.to_all == (a.scope is not None)
                assert (a.item, a.resolution, a.text) == (topic.number, res.number, res.text)
    assert seen.keys() == EXPECTED[key].keys()  # every resolution is covered
    for place, expected in EXPECTED[key].items():
        assert seen[place] == expected, place


def test_dated_deadlines_from_the_seeds() -> None:
    minutes = read_document(seed_path("001")).minutes
    (a,) = [a for a in assignments_of(minutes) if (a.item, a.resolution) == (2, 1)]
    assert a.due == Due("2020年7月1日起施行", dt.date(2020, 7, 1))
    minutes = read_document(seed_path("002")).minutes
    (a,) = [a for a in assignments_of(minutes) if (a.item, a.resolution) == (4, 3)]
    assert a.due == Due("到2025年", dt.date(2025, 12, 31))


MEETING = dt.date(2020, 8, 17)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("由市住建局牵头，6月底前完成。", Due("6月底前", dt.date(2021, 6, 30))),  # June is behind an August meeting
        ("由市住建局牵头，9月底前完成。", Due("9月底前", dt.date(2020, 9, 30))),
        ("年底前完成。", Due("年底前", dt.date(2020, 12, 31))),
        ("明年底前完成。", Due("明年底前", dt.date(2021, 12, 31))),
        ("2021年3月底前完成。", Due("2021年3月底前", dt.date(2021, 3, 31))),
        ("下半年启动。", Due("下半年", dt.date(2020, 12, 31), dt.date(2020, 7, 1))),
        ("2021年上半年启动。", Due("2021年上半年", dt.date(2021, 6, 30), dt.date(2021, 1, 1))),
        ("10月15日前报送。", Due("10月15日前", dt.date(2020, 10, 15))),
        ("每季度报送进展，尽快启动。", Due("每季度", recurring=True)),
        ("尽快启动，年底前完成。", Due("年底前", dt.date(2020, 12, 31))),  # a date beats 尽快
        ("尽快启动。", Due("尽快")),
        ("2月30日前报送。", Due("2月30日前")),  # no such day: the words are kept
        ("认真做好工作。", None),
    ],
)
def test_due_words(text: str, expected: Due | None) -> None:
    assert due_in_text(text, MEETING) == expected


def test_other_lead_and_co_shapes() -> None:
    res = Resolution(1, "（一）", "原则同意。市财政局负责资金保障，市人社局配合，协同市教育局做好招生工作。")
    a = extract(res, 1, MEETING, {})
    assert a is not None
    assert a.lead == ("市财政局",) and a.co == ("市人社局", "市教育局")
    assert a.action == "做好招生工作" and not a.to_all
    res = Resolution(2, "（二）", "各市（区）要在下半年完成排查。")
    a = extract(res, 1, MEETING, {})
    assert a is not None and a.to_all and a.scope == "各市（区）" and a.lead == ()
    assert a.due == Due("下半年", dt.date(2020, 12, 31), dt.date(2020, 7, 1))


def test_a_view_assigns_nothing() -> None:
    res = Resolution(1, "（一）", "制定《实施意见》，是积极应对新挑战的重要举措。")
    assert extract(res, 1, MEETING, {"实施意见": "全称"}) is None


def test_tasks_carry_a_stable_meeting_identity() -> None:
    minutes = read_document(seed_path("003")).minutes  # no 文号: session and date
    assert meeting_ref(minutes).key == "第101次@2020-06-15"
    tasks = tasks_of(read_document(seed_path("000")).minutes)
    assert tasks[0].meeting.key == "〔2020〕27号#108"
    assert tasks[0].item_title.startswith("一、听取")
    ids = [t.id for t in tasks]
    assert len(set(ids)) == len(ids) and all(len(i) == 10 for i in ids)
    data = tasks[2].to_dict()
    assert data["document"] == "《关于建立“链长制”推进重点产业链高质量发展的实施意见》"
    assert data["lead"] == ["市工信局"] and data["due"] is None
    # The id ignores spacing and punctuation width, not words.
    again = tasks_of(read_document(seed_path("000")).minutes)
    assert [t.id for t in again] == ids


def test_normalised_text_ignores_spacing_punctuation_and_width() -> None:
    from minutes.assignments import normalise, text_hash

    assert normalise("由市住建局， 会同市司法局（草案）.") == "由市住建局会同市司法局草案"
    assert normalise("２０２０年７月１日ＡＢ") == normalise("2020年7月1日AB") == "2020年7月1日AB"
    assert text_hash("各地各部门要，做好工作。") == text_hash("各地各部门要,做好工作.")
    assert text_hash("各地各部门要做好工作") != text_hash("各地各部门要做实工作")
