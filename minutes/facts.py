"""Header facts: the document number, the meeting's date, session, chair and issuing
government, and what a saved web page's publication line tells.

Each reader takes the text of one part of the document (a header line, the summary
paragraph, the page's furniture) and returns a value or None; the parser decides which part
to ask and in what order to fall back.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from minutes.numerals import CN_NUMERAL_CHARS, cn_to_int

_CN = CN_NUMERAL_CHARS
NUM = rf"(?:\d{{1,4}}|[{_CN}]{{1,4}})"
DATE = rf"(?:(?P<y>{NUM})年)?(?P<m>{NUM})月(?P<d>{NUM})日"

DOC_NUMBER = re.compile(r"[〔\[［【(（]\s*(\d{4})\s*[〕\]］】)）]\s*第?\s*(\d{1,4})\s*号")
# A header line carrying the number: 〔2020〕27号 alone, or after its prefix (常务会议纪要〔2024〕7号,
# 苏府常纪〔2020〕3号). Short, no sentence punctuation, the number last.
DOC_NUMBER_LINE = re.compile(rf"^[^，。；,;：:]{{0,24}}?{DOC_NUMBER.pattern}$")

# 第108次常务会议, 区四届五十一次常务会议, 五届104次常务会议, 第十五届人民政府第8次常务会议.
# Without 第 the count must be followed by 常务会议, so 市十六届人大五次会议 is not a session.
SESSION = re.compile(
    rf"(?:(?P<term>{NUM})届[^，。；、\s]{{0,8}}?)?"
    rf"(?:第(?P<n1>{NUM})次(?:常务|全体)?会议|(?P<n2>{NUM})次常务会议)"
)

MEETING_DATE = re.compile(rf"{DATE}\s*(?P<period>上午|下午|晚上)?")

# Titles a chair is named with, before or after the name.
TITLE = r"(?:(?:常务副|副|代理|代)?[市区县镇乡州旗]长|管委会(?:常务副|副)?主任|(?:常务副|副)?主任|(?:副)?秘书长)"
_NAME = r"[\u4e00-\u9fff·]{2,4}?"
# What may stand between the chair and 主持: a place (在市政府三楼会议室) or a medium (以视频会议形式).
_AFTER_NAME = r"(?=在|以|于|通过|主持|$)"
_TITLE_FIRST = re.compile(rf"(?P<title>{TITLE})(?P<name>{_NAME}){_AFTER_NAME}")
_NAME_FIRST = re.compile(rf"(?P<name>{_NAME})(?P<title>{TITLE}){_AFTER_NAME}")
_DELEGATED = re.compile(rf"受(?:{TITLE})?(?P<name>{_NAME})(?:{TITLE})?委托")
_CLAUSE_SPLIT = re.compile(r"[，,。；;]")
_LEADING_DATE = re.compile(rf"^.*?{DATE}\s*(?:上午|下午|晚上|晚)?")
_PLACE_OR_MEDIUM = re.compile(r"(?:在|以|于|通过).*$")
_BARE_NAME = re.compile(r"[\u4e00-\u9fff·]{2,4}$")

# A saved web page's publication line: 时间: 2024-03-15 10:38 来源: … 访问量:, 发布时间：2020-12-09.
_PUBLISHED = re.compile(
    r"(?:发布时间|发布日期|时间|日期)\s*[:：]\s*(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})"
)
_SOURCE = re.compile(r"(?:信息来源|来源)\s*[:：]\s*(?P<office>[^\s:：|｜]{2,30}?)(?=\s|$|访问量|浏览|点击|作者|[|｜])")

# The issuing government: 苏州市人民政府, 张家港市人民政府, 姑苏区人民政府, 吴中区人民政府 …
# The place is the run of characters right before 人民政府 that a header's other words
# (市政府第57次常务会议纪要) cannot be part of.
_GOVERNMENT = re.compile(r"(?P<place>[^\s\d纪要会议次第届号，。：:；、（）()〔〕\[\]]{0,9}[省市区县镇乡州旗])人民政府")


def make_date(match: re.Match, year: int | None = None) -> dt.date | None:
    y = cn_to_int(match.group("y")) if match.group("y") else year
    m, d = cn_to_int(match.group("m")), cn_to_int(match.group("d"))
    if y is None or m is None or d is None:
        return None
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def session(text: str) -> tuple[int | None, int | None]:
    """(term, session) of the first session phrase in text."""
    m = SESSION.search(text)
    if not m:
        return None, None
    term = cn_to_int(m.group("term")) if m.group("term") else None
    return term, cn_to_int(m.group("n1") or m.group("n2"))


@dataclass(frozen=True)
class Chair:
    name: str
    title: str | None
    delegated_by: str | None


def chair(summary: str) -> Chair | None:
    """The person presiding: named with a title before or after the name, in the clause
    before 主持; places and media between the name and 主持 are skipped. Where 主持 occurs
    more than once (a report's headline, then its opening sentence), a titled chair wins."""
    bare: Chair | None = None
    at = summary.find("主持")
    for _ in range(3):
        if at < 0:
            break
        found = _chair_before(summary[:at])
        if found is not None and found.title is not None:
            return found
        bare = bare or found
        at = summary.find("主持", at + 2)
    return bare


def _chair_before(before: str) -> Chair | None:
    delegations = list(_DELEGATED.finditer(before))
    delegated = delegations[-1].group("name") if delegations else None
    clause = _CLAUSE_SPLIT.split(before)[-1].rsplit("委托", 1)[-1]
    clause = _LEADING_DATE.sub("", clause).strip()
    found = [m for m in (_TITLE_FIRST.search(clause), _NAME_FIRST.search(clause)) if m]
    if found:
        m = min(found, key=lambda m: m.start())
        return Chair(m.group("name"), m.group("title"), delegated)
    bare = _BARE_NAME.search(_PLACE_OR_MEDIUM.sub("", clause))
    if bare:
        return Chair(bare.group(), None, delegated)
    return None


@dataclass(frozen=True)
class Publication:
    date: dt.date | None
    office: str | None


def publication(lines: list[str]) -> Publication:
    """The publication date and source office a web page's furniture lines give."""
    date = office = None
    for line in lines:
        if date is None:
            m = _PUBLISHED.search(line)
            if m:
                date = make_date(m)
        if office is None:
            s = _SOURCE.search(line)
            if s:
                office = s.group("office")
    return Publication(date, office)


def government(text: str | None) -> str | None:
    """X人民政府 named in text (a header, an office's name), or None."""
    if not text:
        return None
    m = _GOVERNMENT.search(text)
    return f"{m.group('place')}人民政府" if m else None
