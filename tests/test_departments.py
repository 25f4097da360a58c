from __future__ import annotations

from minutes.departments import Role, registry, roles_in_text


def test_known_names_and_full_names() -> None:
    reg = registry()
    assert reg.get("市发改委").full == "苏州市发展和改革委员会"
    assert reg.get("市场监管局").short == "市市场监管局"  # a typo in the sources
    assert reg.get("太仓港口").short == "太仓港口管委会"
    assert reg.get("苏州工业园区").group == "县级市、区"
    assert reg.get("苏州城投公司").group == "企业及其他"


def test_unknown_names_by_shape() -> None:
    reg = registry()
    unit = reg.unit_at("市大数据局王某某", 0)
    assert unit is not None and unit.name == "市大数据局"
    dept = reg.get("市大数据局")
    assert not dept.known and dept.full is None and dept.group == "市级部门"
    assert reg.get("苏州某某集团").group == "企业及其他"
    assert [m.name for m in reg.find_in_text("由市大数据局牵头，城市管理局配合")] == ["市大数据局"]


def test_roles() -> None:
    roles = roles_in_text("原则同意市民政局关于调整标准的汇报。由市民政局牵头做好调整落实工作。")
    assert [(r.name, r.role) for r in roles] == [("市民政局", Role.REPORTING), ("市民政局", Role.LEAD)]
    roles = roles_in_text("由市住建局会同市司法局、市财政局根据本次会议讨论意见修改。市审计局要加强监督。")
    assert [(r.name, r.role) for r in roles] == [
        ("市住建局", Role.LEAD),
        ("市司法局", Role.CO),
        ("市财政局", Role.CO),
        ("市审计局", Role.MENTIONED),
    ]
    roles = roles_in_text("市城管局要牵头制定领导小组及成员职责分工。")
    assert [(r.name, r.role) for r in roles] == [("市城管局", Role.LEAD)]


def test_no_false_departments_in_ordinary_prose() -> None:
    text = "全市上下坚定信心，城市管理水平提升，市区居民医疗保险，市场监管更加有效，提请市委常委会审议。"
    assert roles_in_text(text) == []


def test_local_government_departments_by_shape() -> None:
    text = "原则同意区发改局关于调整方案的汇报。由县住建局会同区财政局、金阊街道和浒墅关镇牵头，高新区管委会、规划专委会配合。"
    assert [m.name for m in registry().find_in_text(text)] == [
        "区发改局",
        "县住建局",
        "区财政局",
        "金阊街道",
        "浒墅关镇",
        "高新区管委会",
        "规划专委会",
    ]
    roles = roles_in_text("会议听取了区发改局关于全区经济运行的汇报。由区住建局会同区司法局修改完善。")
    assert [(r.name, r.role) for r in roles] == [
        ("区发改局", Role.REPORTING),
        ("区住建局", Role.LEAD),
        ("区司法局", Role.CO),
    ]
    assert registry().get("浒墅关镇").group == "县级市、区"


def test_no_local_departments_in_ordinary_prose() -> None:
    text = (
        "推进园区办公楼建设，社区服务站改造，景区管理局筹建中；新型城镇化、特色小镇、各镇（街道）、"
        "全区、市区居民、区域协调，市委常委会审议，各乡镇要落实。"
    )
    assert registry().find_in_text(text) == []


def test_local_units_in_an_attendance_list() -> None:
    reg = registry()
    for text, unit in [("区发改局王某某", "区发改局"), ("金阊街道李四明", "金阊街道"), ("浒墅关镇张三", "浒墅关镇")]:
        found = reg.unit_at(text, 0)
        assert found is not None and found.name == unit
    assert reg.unit_at("王海镇 李明", 0) is None  # a name ending in 镇 followed by a space
