"""Logical lines to the model.

The parser is driven by structure, not by paragraphs: line breaks and blank lines in these
sources fall anywhere (mid-sentence, mid-name), so a block runs from one structural marker
(一、 / （一） / 出席： …) to the next. Markers are only believed where a wrapped line could not
have produced them: agenda and resolution numbers must come in order, and a marker that would
interrupt an unfinished sentence is read as part of that sentence.

Every line goes into exactly one block; a line that fits nowhere is kept as "unplaced" and
reported as a warning, so no text is ever lost.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from minutes.clean import Line, clean_text, prose
from minutes.departments import registry, roles_in_text
from minutes.model import KINDS, Minutes, Observer, Resolution, Segment, Topic
from minutes.numerals import CN_NUMERAL_CHARS, cn_to_int
from minutes.titles import document_titles

_CN = CN_NUMERAL_CHARS
_NUM = rf"(?:\d{{1,4}}|[{_CN}]{{1,4}})"
_DATE = rf"(?:(?P<y>{_NUM})年)?(?P<m>{_NUM})月(?P<d>{_NUM})日"

_DOC_NUMBER = re.compile(r"[〔\[［【(（]\s*(\d{4})\s*[〕\]］】)）]\s*第?\s*(\d{1,4})\s*号")
_HEADER = re.compile(r"^[^，。；,;]{0,40}(?:纪要|人民政府|人民政府办公室)$")
_SUMMARY_START = re.compile(rf"^{_DATE}|主持召开")
_INTRO = re.compile(r"^(?:现将)?会议(?:议定|决定|研究|确定|认为)了?(?:以下|如下)(?:意见|事项)(?:纪要如下)?[：:。]?$")
_TOPIC = re.compile(rf"^([{_CN}]{{1,3}})\s*、")
_RESOLUTION = re.compile(rf"^([（(])\s*([{_CN}]{{1,3}})\s*([）)])")
_SECTION_ROLES = {
    "出席": "attendees",
    "列席": "observers",
    "请假": "absent",
    "缺席": "absent",
    "记录": "recorder",
    "分送": "distribution",
    "抄送": "distribution",
    "主送": "distribution",
}
_SECTION_WORDS = "|".join(_SECTION_ROLES)
_SECTION = re.compile(rf"^({_SECTION_WORDS})\s*[：:]")
_COMPILED = re.compile(r"^(.{2,30}?)整理$")
_ISSUED = re.compile(rf"^(?P<by>.*?){_DATE}印发$")
# The issuing line glued to the end of the distribution list when a wrap cut it in pieces.
_ISSUED_TAIL = re.compile(rf"^(?P<body>.*[。；;])(?P<tail>[^。；;]*?{_DATE}印发)$")
_DATE_LINE = re.compile(rf"^{_DATE}$")
_PUBLIC = re.compile(r"^[（(]此件(.{0,10}?)[）)]$")
_ISSUER = re.compile(r"^[^，。；,;：:]{2,30}(?:办公室|人民政府|办公厅)$")
_TRAILING = re.compile(r"^(?:会上[，,]|会议还|此外[，,]|另外[，,])")
_TERMINAL = tuple("。；！？：;!?:”’」』）)")
_SESSION = re.compile(rf"第({_NUM})次(?:常务)?会议")
_CHAIR = re.compile(
    r"(?:受(?:市长)?(?P<by>[\u4e00-\u9fff]{2,4}?)(?:市长)?委托[，,])?"
    r"(?P<title1>常务副市长|副市长|代市长|市长|秘书长)?"
    r"(?P<chair>[\u4e00-\u9fff]{2,4}?)"
    r"(?P<title2>常务副市长|副市长|代市长|市长|秘书长)?主持召开"
)
_MEETING_DATE = re.compile(rf"{_DATE}\s*(?P<period>上午|下午|晚上)?")
# The issuing office's line is only believed where it can stand, not inside a wrapped list.
_BEFORE_ISSUER = {"distribution", "public", "compiled_date", "recorder"}
_SINGLE_LINE = {"doc_number", "header", "intro", "compiled", "compiled_date", "public", "issued"}


@dataclass
class _Block:
    role: str
    lines: list[Line] = field(default_factory=list)
    number: int = 0
    label: str = ""

    def text(self) -> str:
        return prose([line.text for line in self.lines])


def _key(line: Line) -> str:
    return prose([line.text])


def _date(match: re.Match, year: int | None = None) -> dt.date | None:
    y = cn_to_int(match.group("y")) if match.group("y") else year
    m, d = cn_to_int(match.group("m")), cn_to_int(match.group("d"))
    if y is None or m is None or d is None:
        return None
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


class _Splitter:
    """Walks the lines once and cuts them into blocks."""

    def __init__(self) -> None:
        self.blocks: list[_Block] = []
        self.phase = "pre"  # pre -> summary -> body -> tail
        self.next_topic = 1
        self.next_resolution = 1
        self.warnings: list[str] = []

    @property
    def current(self) -> _Block | None:
        return self.blocks[-1] if self.blocks else None

    def _open(self, role: str, line: Line, **kw) -> None:
        self.blocks.append(_Block(role, [line], **kw))

    def _current_complete(self) -> bool:
        """Whether the current block ends a sentence, so a marker after it can be believed."""
        cur = self.current
        if cur is None or cur.role not in ("summary", "resolution", "trailing", "topic", "distribution"):
            return True
        return cur.lines[-1].text.rstrip().endswith(_TERMINAL)

    def feed(self, line: Line) -> None:
        key = _key(line)
        if self.phase == "pre" and self._preamble(line, key):
            return
        section = _SECTION.match(key)
        if section:
            self.phase = "tail"
            self._open(_SECTION_ROLES[section.group(1)], line)
            return
        if self.phase in ("summary", "body") and _INTRO.match(key):
            self.phase = "body"
            self._open("intro", line)
            return
        if self._topic(line, key) or self._resolution(line, key):
            return
        if self.phase in ("body", "tail") and self._current_complete() and self._closing(line, key):
            return
        if (
            self.phase == "body"
            and _TRAILING.match(key)
            and self.current is not None
            and self.current.role in ("resolution", "trailing", "topic")
            and self._current_complete()
        ):
            self._open("trailing", line)
            return
        self._continue(line)

    def _preamble(self, line: Line, key: str) -> bool:
        doc = _DOC_NUMBER.fullmatch(key)
        if doc:
            self._open("doc_number", line)
            return True
        if _HEADER.match(key):
            self._open("header", line)
            return True
        if _SUMMARY_START.search(key) or _SESSION.search(key):
            self.phase = "summary"
            self._open("summary", line)
            return True
        if _TOPIC.match(key) and cn_to_int(_TOPIC.match(key).group(1)) == 1:
            self.phase = "body"
            return False
        if _SECTION.match(key):
            return False
        self._open("unplaced", line)
        return True

    def _topic(self, line: Line, key: str) -> bool:
        m = _TOPIC.match(key)
        if not m or self.phase == "tail":
            return False
        number = cn_to_int(m.group(1))
        if number != self.next_topic:
            return False
        cur = self.current
        if cur is not None and cur.role in ("summary", "resolution", "trailing") and not self._current_complete():
            return False
        self.phase = "body"
        self.next_topic += 1
        self.next_resolution = 1
        self._open("topic", line, number=number, label=m.group(0))
        return True

    def _resolution(self, line: Line, key: str) -> bool:
        m = _RESOLUTION.match(key)
        cur = self.current
        if not m or self.phase != "body" or cur is None or cur.role not in ("topic", "resolution"):
            return False
        number = cn_to_int(m.group(2))
        if number != self.next_resolution:
            return False
        if cur.role == "resolution" and not self._current_complete():
            return False
        self.next_resolution += 1
        self._open("resolution", line, number=number, label=m.group(0))
        return True

    def _closing(self, line: Line, key: str) -> bool:
        """The lines after the attendance lists: 整理, dates, 公开发布, 印发."""
        if _COMPILED.match(key):
            self._open("compiled", line)
        elif _PUBLIC.match(key):
            self._open("public", line)
        elif _ISSUED.match(key):
            self._open("issued", line)
        elif _DATE_LINE.match(key) and self.current is not None and self.current.role == "compiled":
            self._open("compiled_date", line)
        elif _ISSUER.match(key) and self.current is not None and self.current.role in _BEFORE_ISSUER:
            self._open("issuer", line)
        else:
            return False
        self.phase = "tail"
        return True

    def _continue(self, line: Line) -> None:
        cur = self.current
        if cur is None or cur.role in _SINGLE_LINE or cur.role == "unplaced":
            self._open("unplaced", line)
        else:
            cur.lines.append(line)


_LABEL = re.compile(rf"^\s*(?:[{_CN}]{{1,3}}\s*、|[（(]\s*[{_CN}]{{1,3}}\s*[）)]|(?:{_SECTION_WORDS})\s*[：:])")


def _strip_label(block: _Block) -> list[str]:
    """The block's lines with its leading marker (一、 / （一） / 出席：) removed."""
    first = _LABEL.sub("", block.lines[0].text, count=1)
    return [first, *(line.text for line in block.lines[1:])]


def _kind(title: str) -> str:
    for kind in KINDS[:-1]:
        if title.startswith(kind):
            return kind
    return KINDS[-1]


def _line_tokens(lines: list[str]) -> list[tuple[str, bool]]:
    """Whitespace-separated tokens; the flag says the token starts a new source line."""
    tokens: list[tuple[str, bool]] = []
    for text in lines:
        for i, tok in enumerate(text.split()):
            tokens.append((tok, i == 0))
    return tokens


def _names(tokens: list[tuple[str, bool]]) -> list[str]:
    """Person names from a list like 李亚平  王  翔  洪宗明.

    A one-character token is never a whole name here: it is half of a spaced-out name
    (王  翔) or a name cut by a line break (吴晓 / 东), so it joins its neighbour.
    """
    names: list[str] = []
    i = 0
    while i < len(tokens):
        tok, after_break = tokens[i]
        if len(tok) == 1 and i + 1 < len(tokens):
            nxt, next_after_break = tokens[i + 1]
            if len(nxt) == 1 or next_after_break:
                names.append(tok + nxt)
                i += 2
                continue
        if len(tok) == 1 and after_break and names:
            names[-1] += tok
        else:
            names.append(tok)
        i += 1
    return names


@dataclass
class _Observers:
    observers: list[Observer] = field(default_factory=list)
    units: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _observers(lines: list[str]) -> _Observers:
    """列席: plain names first, then unit+person pairs glued across line breaks, then units
    sending representatives (X、Y的代表)."""
    from minutes.departments import person_name_length

    reg = registry()
    tokens = _line_tokens(lines)
    stream = ""
    offsets = []
    for tok, after_break in tokens:
        if stream and not after_break:
            stream += " "
        offsets.append(len(stream))
        stream += tok
    split = len(tokens)
    for i, offset in enumerate(offsets):
        if reg.unit_at(stream, offset) is not None:
            split = i
            break
    result = _Observers([Observer(name, None) for name in _names(tokens[:split])])
    s = stream[offsets[split] :] if split < len(tokens) else ""
    pos = 0
    pending: list[str] = []
    while pos < len(s):
        if s[pos] in " 、，,；;。":
            pos += 1
            continue
        unit = reg.unit_at(s, pos)
        if unit is None:
            end = pos + 1
            while end < len(s) and s[end] not in " 、，," and reg.unit_at(s, end) is None:
                end += 1
            result.observers.append(Observer(s[pos:end], None))
            result.warnings.append(f"列席名单中有无法识别单位的人员：{s[pos:end]}")
            pos = end
            continue
        pos = unit.end
        if s.startswith("的代表", pos):
            result.units.extend([*pending, unit.name])
            pending = []
            pos += 3
            continue
        if s.startswith("、", pos) and reg.unit_at(s, pos + 1, person_follows=False) is not None:
            pending.append(unit.name)
            continue
        while True:
            while pos < len(s) and s[pos] == " ":
                pos += 1
            length = person_name_length(reg, s, pos)
            if length is None:
                if pos >= len(s) or reg.unit_at(s, pos) is not None:
                    result.units.append(unit.name)
                else:
                    end = pos + 1
                    while end < len(s) and s[end] not in " 、，," and reg.unit_at(s, end) is None:
                        end += 1
                    result.observers.append(Observer(s[pos:end], unit.name, unit.as_written))
                    result.warnings.append(f"列席人员姓名不规则：{unit.as_written}{s[pos:end]}")
                    pos = end
                break
            result.observers.append(Observer(s[pos : pos + length], unit.name, unit.as_written))
            pos += length
            if s.startswith("、", pos) and reg.unit_at(s, pos + 1) is None and not s.startswith("的代表", pos + 1):
                pos += 1
                continue
            break
    if pending:
        result.units.extend(pending)
    return result


def _split_list(text: str) -> tuple[str, ...]:
    items = re.split(r"[，；,;]", text.rstrip("。."))
    return tuple(item.strip() for item in items if item.strip())


def parse_text(text: str) -> Minutes:
    """Parse one minutes document. Never raises on any input string."""
    cleaned = clean_text(text)
    splitter = _Splitter()
    for line in cleaned.lines:
        splitter.feed(line)
    noise = tuple(Segment(f"noise:{n.reason}", n.no, n.text) for n in cleaned.noise)
    return _build(splitter.blocks, splitter.warnings, noise)


def _build(blocks: list[_Block], warnings: list[str], noise: tuple[Segment, ...]) -> Minutes:
    fields: dict = {}
    headers: list[str] = []
    summary_parts: list[str] = []
    topics: list[tuple[_Block, list[_Block]]] = []
    trailing: list[str] = []
    attendees: list[str] = []
    obs = _Observers()
    unplaced: list[str] = []
    distribution: list[str] = []
    absent: list[str] = []
    issuer_line: str | None = None
    issued: re.Match | None = None
    compiled_date_match: re.Match | None = None

    for block in blocks:
        text = block.text()
        role = block.role
        if role == "doc_number":
            fields.setdefault("doc_raw", text)
        elif role == "header":
            headers.append(text)
            doc = _DOC_NUMBER.search(text)
            if doc:
                fields.setdefault("doc_raw", doc.group(0))
        elif role == "summary":
            summary_parts.append(text)
        elif role == "intro":
            fields["intro"] = text
        elif role == "topic":
            topics.append((block, []))
        elif role == "resolution":
            topics[-1][1].append(block)
        elif role == "trailing":
            trailing.append(text)
        elif role == "attendees":
            attendees.extend(_names(_line_tokens(_strip_label(block))))
        elif role == "observers":
            part = _observers(_strip_label(block))
            obs.observers.extend(part.observers)
            obs.units.extend(part.units)
            obs.warnings.extend(part.warnings)
        elif role == "absent":
            absent.extend(_names(_line_tokens(_strip_label(block))))
        elif role == "recorder":
            fields["recorder"] = prose(_strip_label(block)) or None
        elif role == "compiled":
            fields["compiled_by"] = _COMPILED.match(text).group(1)
        elif role == "compiled_date":
            compiled_date_match = _DATE_LINE.match(text)
        elif role == "public":
            fields["public"] = "不" not in _PUBLIC.match(text).group(1)
        elif role == "distribution":
            listed = prose(_strip_label(block))
            glued = _ISSUED_TAIL.match(listed)
            if glued:
                listed = glued.group("body")
                issued = _ISSUED.match(glued.group("tail"))
            distribution.extend(_split_list(listed))
        elif role in ("issuer", "issued"):
            # 苏州市人民政府办公室 / 2020年9月3日印发: on one line or two, or cut anywhere by a wrap.
            issued_here = _ISSUED.match(text)
            if issued_here:
                issued = issued_here
            else:
                issuer_line = text
        else:
            unplaced.append(text)
    issued_by = None
    if issued:
        issued_by = issued.group("by") or issuer_line
        if issued.group("by") and issuer_line:
            unplaced.append(issuer_line)
    elif issuer_line:
        unplaced.append(issuer_line)

    doc_raw = fields.pop("doc_raw", None)
    year = serial = None
    doc_number = None
    if doc_raw:
        m = _DOC_NUMBER.search(doc_raw)
        year, serial = int(m.group(1)), int(m.group(2))
        doc_number = f"〔{year}〕{serial}号"
    else:
        warnings.append("未找到文号（如〔2020〕27号）")

    summary = prose(summary_parts)
    issued_date = _date(issued) if issued else None
    compiled_date = _date(compiled_date_match) if compiled_date_match else None
    known = compiled_date or issued_date
    fallback_year = year or (known.year if known else None)
    date = period = chair = chair_title = delegated_by = session = None
    if summary:
        m = _MEETING_DATE.search(summary)
        if m:
            date = _date(m, fallback_year)
            period = m.group("period")
            if date and not m.group("y") and not year and compiled_date and date > compiled_date:
                date = date.replace(year=date.year - 1)
        c = _CHAIR.search(summary)
        if c:
            chair = c.group("chair")
            chair_title = c.group("title2") or c.group("title1")
            delegated_by = c.group("by")
        s = _SESSION.search(summary)
        if s:
            session = cn_to_int(s.group(1))
    if date is None:
        warnings.append("未找到会议日期")
    if session is None:
        warnings.append("未找到会议届次（第N次）")
    if chair is None and summary:
        warnings.append("未找到主持人")

    built_topics = []
    for block, resolution_blocks in topics:
        title = prose(_strip_label(block))
        resolutions = tuple(
            Resolution(r.number, r.label, text := prose(_strip_label(r)), tuple(roles_in_text(text)))
            for r in resolution_blocks
        )
        if not resolutions:
            warnings.append(f"议题{block.label}没有分条的议定意见")
        built_topics.append(Topic(block.number, title, _kind(title), document_titles(title), resolutions))
    if not built_topics:
        warnings.append("未找到议题（一、二、三……）")

    warnings.extend(obs.warnings)
    for text in unplaced:
        warnings.append(f"未能归类的文本：{text[:60]}{'…' if len(text) > 60 else ''}")
    placed = (Segment(b.role, line.no, line.text) for b in blocks for line in b.lines)
    segments = tuple(sorted((*placed, *noise), key=lambda seg: seg.line_no))

    return Minutes(
        doc_number=doc_number,
        year=year,
        serial=serial,
        session=session,
        date=date,
        period=period,
        chair=chair,
        chair_title=chair_title,
        delegated_by=delegated_by,
        header="".join(headers) or None,
        summary=summary,
        intro=fields.get("intro"),
        topics=tuple(built_topics),
        trailing=tuple(trailing),
        attendees=tuple(attendees),
        absent=tuple(absent),
        observers=tuple(obs.observers),
        observer_units=tuple(dict.fromkeys(obs.units)),
        recorder=fields.get("recorder"),
        compiled_by=fields.get("compiled_by"),
        compiled_date=compiled_date,
        issued_by=issued_by,
        issued_date=issued_date,
        public=fields.get("public", False),
        distribution=tuple(distribution),
        unplaced=tuple(unplaced),
        warnings=tuple(warnings),
        segments=segments,
    )
