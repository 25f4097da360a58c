"""Logical lines to blocks.

The parser is driven by structure, not by paragraphs: line breaks and blank lines in these
sources fall anywhere (mid-sentence, mid-name), so a block runs from one structural marker
(一、 / （一） / 出席： …) to the next. Markers are only believed where a wrapped line could not
have produced them: agenda and resolution numbers must come in order, and a marker that would
interrupt an unfinished sentence is read as part of that sentence.

Every line goes into exactly one block; a line that fits nowhere is kept as "unplaced".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from minutes.clean import Line, prose, prose_line
from minutes.facts import DATE as _DATE
from minutes.facts import DOC_NUMBER_LINE, SESSION
from minutes.model import KINDS
from minutes.numerals import CN_NUMERAL_CHARS, cn_to_int

_CN = CN_NUMERAL_CHARS
_HEADER = re.compile(r"^[^，。；,;]{0,40}(?:纪要|人民政府|人民政府办公室)$")
_SUMMARY_START = re.compile(rf"^{_DATE}|主持召开")
_DATE_START = re.compile(rf"^{_DATE}")
# A decision written as one paragraph under an item heading, with no （一）.
_DECISION = re.compile(
    r"^(?:会议(?:听取|原则|议定|同意|认为|要求|强调|指出|审议|研究|决定|明确|提出|经|通过)|原则(?:同意|通过))"
)
# A paragraph of a news-style report of the meeting (会议强调，… 会议指出，…).
_REPORT_PARAGRAPH = re.compile(
    r"^会议(?:强调|指出|要求|认为|审议|听取|研究|决定|传达|学习|还|原则|同意|通过|明确|提出|号召)"
)
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
# The issuing office's line is only believed where it can stand, not inside a wrapped list.
_BEFORE_ISSUER = {"distribution", "public", "compiled_date", "recorder"}
_SINGLE_LINE = {"doc_number", "header", "intro", "compiled", "compiled_date", "public", "issued"}
# What a line must start or end with for each anchored marker pattern above to match it; tested
# first, so that a line of running text (most lines) costs no regex call at all.
_CN_FIRST = frozenset(_CN)
_BRACKET_FIRST = frozenset("（(")
_INTRO_FIRST = frozenset("现会")
_DECISION_FIRST = frozenset("会原")
_TRAILING_FIRST = frozenset("会此另")
_ISSUER_ENDS = ("办公室", "人民政府", "办公厅")
_CLOSING_ENDS = ("整理", "印发", "日", *_ISSUER_ENDS)
_CLOSING_LAST = frozenset(end[-1] for end in _CLOSING_ENDS)
_MARKER_FIRST = frozenset(
    {word[0] for word in _SECTION_ROLES} | _INTRO_FIRST | _CN_FIRST | _BRACKET_FIRST | _DECISION_FIRST | _TRAILING_FIRST
)
_OPEN_SENTENCE_ROLES = frozenset(("summary", "resolution", "trailing", "topic", "distribution"))


@dataclass(slots=True)
class Block:
    role: str
    lines: list[Line] = field(default_factory=list)
    number: int = 0
    label: str = ""

    def text(self) -> str:
        return prose([line.text for line in self.lines])


def _key(line: Line) -> str:
    text = line.text  # already stripped: only its spaces need prose
    return prose_line(text) if " " in text else text


class Splitter:
    """Walks the lines once and cuts them into blocks."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.phase = "pre"  # pre -> summary -> body -> tail
        self.next_topic = 1
        self.next_resolution = 1
        self.warnings: list[str] = []
        # The last block (blocks[-1]), kept as an attribute: it is asked for at every line.
        self.current: Block | None = None

    def _open(self, role: str, line: Line, number: int = 0, label: str = "") -> None:
        self.current = Block(role, [line], number, label)
        self.blocks.append(self.current)

    def _current_complete(self) -> bool:
        """Whether the current block ends a sentence, so a marker after it can be believed."""
        cur = self.current
        if cur is None or cur.role not in _OPEN_SENTENCE_ROLES:
            return True
        return cur.lines[-1].text.rstrip().endswith(_TERMINAL)

    def feed(self, line: Line) -> None:
        text = line.text
        # The key differs from the text (stripped by clean) only by whitespace inside it, so it
        # starts and ends with the text's characters: a line whose first and last characters no marker below starts or
        # ends with (most lines) continues the current block without computing its key.
        if self.phase != "pre" and text[:1] not in _MARKER_FIRST and text[-1:] not in _CLOSING_LAST:
            self._continue(line)
            return
        key = _key(line)
        if self.phase == "pre" and self._preamble(line, key):
            return
        first = key[:1]
        if key[:2] in _SECTION_ROLES and (section := _SECTION.match(key)):
            self.phase = "tail"
            self._open(_SECTION_ROLES[section.group(1)], line)
            return
        if first in _INTRO_FIRST and self.phase in ("summary", "body") and _INTRO.match(key):
            self.phase = "body"
            self._open("intro", line)
            return
        if first in _CN_FIRST and self._topic(line, key):
            return
        if first in _BRACKET_FIRST and self._resolution(line, key):
            return
        if first in _DECISION_FIRST and self._paragraph(line, key):
            return
        if (
            self.phase in ("body", "tail")
            # What any closing line starts or ends with (see _closing), before the dearer test.
            and (key.endswith(_CLOSING_ENDS) or first in _BRACKET_FIRST)
            and self._current_complete()
            and self._closing(line, key)
        ):
            return
        if (
            self.phase == "body"
            and first in _TRAILING_FIRST
            and _TRAILING.match(key)
            and self.current is not None
            and self.current.role in ("resolution", "trailing", "topic")
            and self._current_complete()
        ):
            self._open("trailing", line)
            return
        self._continue(line)

    def _preamble(self, line: Line, key: str) -> bool:
        if DOC_NUMBER_LINE.match(key):
            self._open("doc_number", line)
            return True
        if _HEADER.match(key):
            self._open("header", line)
            return True
        if _SUMMARY_START.search(key) or SESSION.search(key):
            if not _DATE_START.match(key) and len(key) <= 60 and not any(c in key for c in "，,。；;"):
                # A title line (吴庆文主持召开市政府第57次常务会议), not the opening sentence.
                self._open("header", line)
                return True
            self.phase = "summary"
            self._open("summary", line)
            return True
        if (topic := _TOPIC.match(key)) and cn_to_int(topic.group(1)) == 1:
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
        if number is None or number != self.next_topic:
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
        cur = self.current
        if self.phase != "body" or cur is None or cur.role not in ("topic", "resolution"):
            return False
        m = _RESOLUTION.match(key)
        if not m:
            return False
        number = cn_to_int(m.group(2))
        if number is None or number != self.next_resolution:
            return False
        if cur.role == "resolution" and not self._current_complete():
            return False
        self.next_resolution += 1
        self._open("resolution", line, number=number, label=m.group(0))
        return True

    def _paragraph(self, line: Line, key: str) -> bool:
        """An item decided in one unnumbered paragraph, or a report's next paragraph."""
        cur = self.current
        if cur is None:
            return False
        if self.phase == "body" and cur.role == "topic" and _DECISION.match(key):
            self._open("resolution", line, number=0)
            return True
        if (
            self.phase == "summary"
            and cur.role in ("summary", "trailing")
            and _REPORT_PARAGRAPH.match(key)
            and self._current_complete()
        ):
            self._open("trailing", line)
            return True
        return False

    def _closing(self, line: Line, key: str) -> bool:
        """The lines after the attendance lists: 整理, dates, 公开发布, 印发."""
        if key.endswith("整理") and _COMPILED.match(key):
            self._open("compiled", line)
        elif key[:1] in _BRACKET_FIRST and _PUBLIC.match(key):
            self._open("public", line)
        elif key.endswith("印发") and _ISSUED.match(key):
            self._open("issued", line)
        elif (
            key.endswith("日")
            and self.current is not None
            and self.current.role == "compiled"
            and _DATE_LINE.match(key)
        ):
            self._open("compiled_date", line)
        elif (
            key.endswith(_ISSUER_ENDS)
            and self.current is not None
            and self.current.role in _BEFORE_ISSUER
            and _ISSUER.match(key)
        ):
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


def strip_label(block: Block) -> list[str]:
    """The block's lines with its leading marker (一、 / （一） / 出席：) removed."""
    first = block.lines[0].text
    label = block.label
    # An item's or a resolution's label is where the splitter read it: the pattern would
    # remove exactly it (its numeral run ends where the label's does).
    first = first[len(label) :] if label and first.startswith(label) else _LABEL.sub("", first, count=1)
    texts = [line.text for line in block.lines]
    texts[0] = first
    return texts


def kind(title: str) -> str:
    for kind in KINDS[:-1]:
        if title.startswith(kind):
            return kind
    return KINDS[-1]
