"""Ways real files differ from the seeds: the metamorphic tests parse each variant and expect
the same result as for the original."""

from __future__ import annotations

import functools
import random
import re

_SECTION_LABEL = re.compile(r"^(出席|列席|记录|分送)：")
_TOPIC = re.compile(r"^[一二三四五六七八九十]+、")


def crlf(text: str) -> str:
    return text.replace("\n", "\r\n")


def rewrap(text: str, seed: int) -> str:
    """Hard-wrap every line at a random width of 20-40 characters, with trailing spaces,
    blank lines between, and page-number lines dropped in as a PDF extraction would."""
    rng = random.Random(seed)
    out: list[str] = []
    page = 1
    for line in text.split("\n"):
        line = line.strip()
        if not line:
            continue
        pos = 0
        while pos < len(line):
            width = rng.randint(20, 40)
            out.append(line[pos : pos + width] + " " * rng.randint(0, 3))
            out.extend([""] * rng.randint(0, 2))
            pos += width
            if rng.random() < 0.04:
                page += 1
                out.append(rng.choice([f"— {page} —", f"-{page}-", f"－ {page} －"]))
    return "\n".join(out)


def strip_markdown(text: str) -> str:
    text = re.sub(r"^#{1,6}\s*", "", text, flags=re.M)
    text = text.replace("**", "")
    return re.sub(r"^-{3,}\s*$", "", text, flags=re.M)


def add_markdown(text: str) -> str:
    out = []
    for line in strip_markdown(text).split("\n"):
        stripped = line.strip()
        if _TOPIC.match(stripped):
            out.append(f"## **{stripped}**")
        elif _SECTION_LABEL.match(stripped):
            label, rest = stripped.split("：", 1)
            out.extend(["---", f"**{label}：**{rest}"])
        else:
            out.append(line)
    return "\n".join(out)


def half_width_brackets(text: str) -> str:
    """Structural brackets as a half-width keyboard types them: (一) [2020]27号 (此件公开发布)."""
    text = re.sub(r"^(\s*)（([一二三四五六七八九十]+)）", r"\1(\2)", text, flags=re.M)
    text = re.sub(r"〔(\d{4})〕", r"[\1]", text)
    return text.replace("（此件公开发布）", "(此件公开发布)")


def web_page(text: str) -> str:
    head = [
        "当前位置: 首页 > 政务公开 > 政府会议 > 常务会议纪要",
        "时间: 2020-09-03 10:12  来源: 苏州市人民政府办公室  访问量: 1832",
        "【字体：大 中 小】",
        "",
    ]
    foot = ["", "【打印本页】 【关闭窗口】", "版权所有：苏州市人民政府  苏ICP备05010208号"]
    return "\n".join([*head, text, *foot])


# --- Shapes of real published minutes, built from the seeds (issue 10) -----------------------

_HEAD_LINES = re.compile(
    r"^\s*(?:#\s*)?(?:苏州市人民政府\s*常务会议纪要|苏州市人民政府|常务会议纪要|〔\d{4}〕\d+号)\s*$", re.M
)
_FOOT = ["版权所有：苏州市人民政府  苏ICP备05010208号", "互联网违法和不良信息举报电话：12377", "网站标识码：3205000001"]


def site_page(text: str, doc_number: str | None, session: int, published: str, prefix: str = "常务会议纪要") -> str:
    """The minutes page of the city's web site: a title line, the number on a line with its
    prefix, the publication line, the text without its own header, the site footer."""
    body = _HEAD_LINES.sub("", strip_markdown(text))
    head = [f"市政府第{session}次常务会议纪要"]
    if doc_number:
        head.append(f"{prefix}{doc_number}")
    head.append(f"时间: {published} 10:38  来源: 苏州市人民政府办公室  访问量: 2046")
    return "\n".join([*head, body, *_FOOT])


def without_year(text: str) -> str:
    """The meeting date written without its year (4月24日下午，…)."""
    return re.sub(r"\d{4}\s*年\s*(\d{1,2}\s*月\s*\d{1,2}\s*日\s*(?:上午|下午))", r"\1", text, count=1)


def to_traditional(text: str) -> str:
    return _s2t().convert(text)


@functools.cache
def _s2t():
    import opencc

    return opencc.OpenCC("s2t")


CHAIR_FORMS = [
    # (as written before 主持召开, chair, title)
    ("李亚平市长", "李亚平", "市长"),
    ("市长李亚平在市政府三楼会议室", "李亚平", "市长"),
    ("市长李亚平以视频会议形式", "李亚平", "市长"),
    ("代理市长李亚平", "李亚平", "代理市长"),
    ("李亚平代市长", "李亚平", "代市长"),
    ("市委副书记、市长李亚平", "李亚平", "市长"),
    ("常务副市长王翔在市政府第一会议室", "王翔", "常务副市长"),
    ("秘书长洪宗明", "洪宗明", "秘书长"),
]


def with_chair(text: str, written: str) -> str:
    return re.sub(r"李亚平市长主持召开", f"{written}主持召开", text, count=1)


# A county-level city's or a district's minutes: the government, its head and its departments.
LOCAL = [
    # (government, short, head's title, head, department prefix)
    ("张家港市人民政府", "市", "市长", "韩卫", "市"),
    ("姑苏区人民政府", "区", "区长", "徐刚", "区"),
    ("吴中区人民政府", "区", "代理区长", "李朝阳", "区"),
    ("太仓县人民政府", "县", "县长", "汪香元", "县"),
]

_CITY_DEPTS = [
    "发改委",
    "工信局",
    "住建局",
    "司法局",
    "科技局",
    "医保局",
    "卫生健康委",
    "民政局",
    "金融监管局",
    "资源规划局",
    "统计局",
    "行政审批局",
    "生态环境局",
    "文广旅局",
    "城管局",
    "商务局",
    "应急局",
]
_CITY_DEPT = re.compile(r"市(\s*(?:" + "|".join(r"\s*".join(name) for name in _CITY_DEPTS) + "))")


def local_government(text: str, government: str, short: str, title: str, head: str, prefix: str) -> str:
    """The same minutes as another local government's: header, chair, 区政府第N次, departments
    (市住建局 -> 区住建局), and the office that compiled and issued them."""
    text = text.replace("苏州市人民政府", government)
    text = text.replace("李亚平市长主持召开市政府", f"{title}{head}主持召开{short}政府")
    return _CITY_DEPT.sub(lambda m: f"{prefix}{m.group(1)}", text)


def local_department(name: str, prefix: str) -> str:
    m = _CITY_DEPT.fullmatch(name)
    return f"{prefix}{m.group(1)}" if m else name


def session_without_di(text: str, term: str, session_cn: str) -> str:
    """第108次常务会议 -> 区四届一百零八次常务会议 (the term, and no 第)."""
    return re.sub(r"第\s*\d+\s*(?:\n\s*)?次常务会议", f"{term}届{session_cn}次常务会议", text, count=1)


_RESOLUTION_LINE = re.compile(r"^\s*(?:\*\*)?[（(][一二三四五六七八九十]+[）)]\s*", re.M)


def one_paragraph(text: str) -> str:
    """Every item decided in one unnumbered paragraph: （一）（二）… labels removed and the
    resolutions of an item run together after 会议议定："""
    out: list[str] = []
    for line in strip_markdown(text).split("\n"):
        stripped = line.strip()
        if _RESOLUTION_LINE.match(stripped):
            first = stripped.startswith(("（一）", "(一)"))
            stripped = _RESOLUTION_LINE.sub("", stripped)
            if first:
                out.append("会议议定：" + stripped)
            else:
                out[-1] += stripped
        elif (
            out
            and stripped
            and not _TOPIC.match(stripped)
            and out[-1].startswith("会议议定：")
            and not stripped.startswith(("出席", "会上"))
        ):
            out[-1] += stripped
        else:
            out.append(line)
    return "\n".join(out)


def news_report(minutes, published: str) -> str:
    """A news-style report of the meeting, written from a parsed seed: a headline, the
    publication line, the opening sentence with the date without its year, then one
    会议强调/会议指出/会议审议并原则通过了 paragraph per item, no numbering."""
    opening = minutes.summary
    opening = re.sub(r"^\d{4}年(\d{1,2}月\d{1,2}日)(上午|下午)，李亚平市长", r"\1\2，市长李亚平", opening)
    paragraphs = [
        f"李亚平主持召开市政府第{minutes.session}次常务会议",
        f"发布时间：{published}  来源：苏州日报",
        opening,
    ]
    verbs = ["会议强调，", "会议指出，", "会议要求，"]
    for i, topic in enumerate(minutes.topics):
        if topic.documents:
            paragraphs.append(f"会议审议并原则通过了《{topic.documents[0]}》。")
        if len(topic.resolutions) > 1:
            paragraphs.append(verbs[i % len(verbs)] + topic.resolutions[1].text)
    return "\n".join(paragraphs)
