"""Department names: canonical short forms, official names, and finding them in text.

Known names and their spellings live in data/departments.json (data, not code). Names not in
the file are still recognised by their shape (市…局, 苏州…公司 …) so a new department shows up
without a release; they carry no official name.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib.resources import files
from typing import NamedTuple

GROUPS = ("市级部门", "县级市、区", "企业及其他")


class Role(StrEnum):
    LEAD = "lead"  # 由X…根据 / X要牵头
    CO = "co"  # 会同Y
    REPORTING = "reporting"  # 原则同意X关于…的汇报
    MENTIONED = "mentioned"

    @property
    def label(self) -> str:
        return _ROLE_LABELS[self]


_ROLE_LABELS = {Role.LEAD: "牵头", Role.CO: "会同", Role.REPORTING: "汇报", Role.MENTIONED: "提及"}


@dataclass(frozen=True)
class Department:
    short: str
    full: str | None
    group: str
    known: bool = True


class Mention(NamedTuple):
    """A named tuple, not a frozen dataclass: made for every name in every resolution, and a
    tuple is several times faster to make. Not part of the model (see DepartmentRole)."""

    start: int
    end: int
    name: str  # canonical short form
    as_written: str


@dataclass(frozen=True)
class DepartmentRole:
    name: str
    role: Role
    as_written: str


_CJK = "\u4e00-\u9fff"
# Shape of a unit name in an attendance list, where every token is a unit or a person.
_UNIT_SHAPE = re.compile(
    rf"(?:市|苏州|省|区|县)[{_CJK}“”\"0-9]{{0,10}}"
    r"(?:局|委|办|院|中心|公司|集团|部|队|会|室|站|社|台|联|行|所|区|班)"
)
# In running text only the unmistakable shape counts: 市 + a short name + 局/办, not after a
# character that makes 市 part of another word (城市, 全市, 我市 …). The lookbehind comes after
# the 市 so that the pattern starts with a literal (see Registry._in_text).
_TEXT_SHAPE = re.compile(
    rf"市(?<![城都全各本我超上开股夜集门县省]市)(?!场|区|域|级|长|民|委|政府)[{_CJK}]{{1,4}}?(?:局|办)"
)
_UNIT_START = re.compile(r"市|苏州|省|区|县")
# Departments of a district's or a county's government in running text (区发改局, 县住建局),
# towns and subdistricts (金阊街道, 浒墅关镇), management and special committees. Only after a
# character that ends a word or names a role (由, 会同, 、, 同意 …), so 园区/城镇 never start one.
# Searched apart from the known names, and only when the text has the characters they need:
# as alternatives of the one pattern they would be tried at every position of every text.
_BOUNDARY = frozenset("由同会和及与请意取了责、，,；;。：:（(“ ")
_LOCAL_DEPARTMENT = re.compile(rf"[区县](?!长|委|政府|人民|域|级|内|外|两)[{_CJK}]{{1,5}}?(?:局|办|委)")
_NOT_FIRST = "各全本该每由同会和及与请意取了责"
_LOCAL_PLACE = re.compile(
    rf"(?![{_NOT_FIRST}])[{_CJK}]{{2,4}}?(?<![城乡集小古名重])(?:镇|街道)(?![办化])"
    rf"|(?![{_NOT_FIRST}])[{_CJK}]{{2,8}}?(?:管委会|专委会)"
)


def _local_matches(text: str) -> list[re.Match]:
    found = []
    if "区" in text or "县" in text:
        found.extend(_LOCAL_DEPARTMENT.finditer(text))
    if "镇" in text or "街道" in text or "管委会" in text or "专委会" in text:
        found.extend(_LOCAL_PLACE.finditer(text))
    if not found:
        return found
    return [m for m in found if m.start() == 0 or text[m.start() - 1] in _BOUNDARY]


# The same units in an attendance list, where what follows must be a person's name.
_PLACE_UNIT_SHAPE = re.compile(rf"[{_CJK}]{{2,4}}(?<![城乡集小古名重])(?:镇|街道)|[{_CJK}]{{2,8}}(?:管委会|专委会)")


def _trie_branches(words) -> list[str]:
    """Regex alternatives matching the longest of many literal words, one per first character,
    each shaped as a trie so a position is rejected after a character or two instead of
    trying every word in turn."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        ends = "" in node
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        # Greedy optional group: the longer word wins, the shorter one is the fallback.
        return f"(?:{body})?" if ends else body

    return [re.escape(ch) + build(child) for ch, child in sorted(trie.items()) if ch]


class Registry:
    """All known departments plus recognition of unknown ones by shape."""

    def __init__(self, entries: list[dict]) -> None:
        self._by_name: dict[str, Department] = {}
        self._canonical: dict[str, str] = {}
        for entry in entries:
            dept = Department(entry["short"], entry.get("full"), entry["group"])
            self._by_name[dept.short] = dept
            for spelling in (dept.short, *entry.get("aliases", ())):
                self._canonical[spelling] = dept.short
        branches = _trie_branches(self._canonical)
        self._known = re.compile("|".join(branches))
        self.known_pattern = self._known.pattern
        # The first characters a unit in an attendance list can start with, unless the list
        # names a town or committee (whose shape can start anywhere): a known name's, or 市….
        self.unit_first = frozenset(spelling[0] for spelling in self._canonical) | frozenset("市苏省区县")
        # Known names, else the city's shape, as one flat alternation whose every branch starts
        # with a literal: the regex engine then skips ahead to those characters instead of
        # trying every branch at every position of the text.
        self._in_text = re.compile("|".join([*branches, _TEXT_SHAPE.pattern]))
        self._place: tuple[str | None, bool] = (None, False)

    def __iter__(self):
        return iter(self._by_name.values())

    def canonical(self, spelling: str) -> str:
        return self._canonical.get(spelling, spelling)

    def get(self, name: str) -> Department:
        name = self.canonical(name)
        dept = self._by_name.get(name)
        if dept is not None:
            return dept
        if name.endswith(("公司", "集团")):
            group = "企业及其他"
        elif name.endswith(("区", "市", "县", "镇", "街道")):
            group = "县级市、区"
        else:
            group = "市级部门"
        return Department(name, None, group, known=False)

    def find_in_text(self, text: str) -> list[Mention]:
        matches = list(self._in_text.finditer(text))
        local = _local_matches(text)
        if local:
            # A known name or the city's shape wins where a local shape overlaps it.
            for m in sorted(local, key=lambda m: m.start()):
                if all(m.end() <= other.start() or m.start() >= other.end() for other in matches):
                    matches.append(m)
            matches.sort(key=lambda m: m.start())
        canonical = self._canonical.get
        return [Mention(m.start(), m.end(), canonical(m[0], m[0]), m[0]) for m in matches]

    def has_place_words(self, text: str) -> bool:
        """Whether text names a town, subdistrict or committee at all; asked at every position
        of an attendance list, so answered once per text."""
        cached = self._place  # one tuple, replaced whole: safe when parsing on several threads
        if cached[0] is not text:
            cached = (text, "镇" in text or "街道" in text or "管委会" in text or "专委会" in text)
            self._place = cached
        return cached[1]

    def known_at(self, text: str, pos: int) -> Mention | None:
        m = self._known.match(text, pos)
        if m:
            return Mention(pos, m.end(), self.canonical(m.group()), m.group())
        return None

    def unit_at(self, text: str, pos: int, *, person_follows: bool = True) -> Mention | None:
        """A unit name starting exactly at pos in an attendance list.

        Known spellings win. An unknown name is accepted by shape only if what follows it can
        be a person's name (or, with person_follows=False, anything), trying the shortest
        candidate first so 市委组织部胡卫江 does not stop at 市委.
        """
        known = self.known_at(text, pos)
        if known is not None:
            return known
        city_shape = _UNIT_START.match(text, pos) is not None
        place_shape = self.has_place_words(text)
        if not city_shape and not place_shape:
            return None
        for end in range(pos + 2, min(len(text), pos + 14) + 1):
            candidate = text[pos:end]
            if not (city_shape and _UNIT_SHAPE.fullmatch(candidate)) and not (
                place_shape and _PLACE_UNIT_SHAPE.fullmatch(candidate)
            ):
                continue
            if not person_follows or person_name_length(self, text, end) is not None:
                return Mention(pos, end, candidate, candidate)
        return None


_NAME_CHARS = re.compile(rf"[{_CJK}·]*")


def person_name_length(registry: Registry, text: str, pos: int) -> int | None:
    """Length of the person's name at pos in a glued list such as 市财政局吴炜市人社局朱正.

    A name is 2-4 Chinese characters, ending at the end of the text, a separator, or the
    start of the next unit. Three characters are tried first: it is the commonest length,
    and a two-character name is still found when the third character starts a unit.
    """
    # How many name characters follow pos (one regex call, not one per character and length).
    name_run = _NAME_CHARS.match(text, pos, pos + 4)
    run = name_run.end() - pos if name_run else 0
    for length in (3, 2, 4):
        end = pos + length
        if length > run:
            continue
        if end == len(text) or text[end] in " 、，," or text.startswith("的代表", end):
            return length
        if registry.known_at(text, end) is not None or registry.unit_at(text, end, person_follows=False):
            return length
    return None


@cache
def registry() -> Registry:
    data = json.loads(files("minutes").joinpath("data/departments.json").read_text("utf-8"))
    return Registry(data["departments"])


_LEAD_BEFORE = ("由",)
_LEAD_AFTER = ("牵头", "要牵头", "负责牵头", "为牵头", "要会同")
_CO_BEFORE = ("会同", "会")
_REPORT_AFTER = re.compile(r"(?:等部门|等单位|等)?关于")
_SAME_ROLE_GAP = {"、", "和", "及", "（", "(", "）", ")", "）、", "）和"}


def roles_in_text(text: str) -> list[DepartmentRole]:
    """Departments a resolution names, each with its role where the wording says so."""
    reg = registry()
    mentions = reg.find_in_text(text)
    found: list[DepartmentRole] = []
    previous: tuple[Mention, Role] | None = None
    for mention in mentions:
        # The words before and after the mention, tested in place rather than on copies.
        start, end = mention.start, mention.end
        role = Role.MENTIONED
        gap = text[previous[0].end : start] if previous else None
        if text.endswith(_LEAD_BEFORE, 0, start) or text.startswith(_LEAD_AFTER, end):
            role = Role.LEAD
        elif text.endswith("会同", 0, start) or (
            previous and previous[1] in (Role.LEAD, Role.CO) and gap in _CO_BEFORE
        ):
            role = Role.CO
        elif previous and previous[1] is not Role.MENTIONED and gap in _SAME_ROLE_GAP:
            role = previous[1]
        elif text.endswith(("同意", "听取", "听取了"), 0, start) and _REPORT_AFTER.match(text, end):
            role = Role.REPORTING
        found.append(DepartmentRole(mention.name, role, mention.as_written))
        previous = (mention, role)
    return found
