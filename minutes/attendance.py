"""Attendance lists: 出席/请假 names, 列席 names with their units, units sending 的代表.

Line breaks in these lists fall anywhere (mid-name, mid-unit), so names and units are read
from tokens that remember whether they started a source line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from minutes.departments import Registry, person_name_length, registry
from minutes.model import Observer


def line_tokens(lines: list[str]) -> list[tuple[str, bool]]:
    """Whitespace-separated tokens; the flag says the token starts a new source line."""
    tokens: list[tuple[str, bool]] = []
    for text in lines:
        words = text.split()
        if words:
            tokens.append((words[0], True))
            tokens.extend([(word, False) for word in words[1:]])
    return tokens


def names(tokens: list[tuple[str, bool]]) -> list[str]:
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
class Observers:
    observers: list[Observer] = field(default_factory=list)
    units: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


_SEPARATORS = " 、，,；;。"


@cache
def _known_unit_and_name(place_words: bool) -> re.Pattern:
    """The commonest pair in a 列席 list, a known unit and a person's name (市委组织部胡卫江 ),
    matched in one regex call. Each name alternative below is a case where person_name_length
    (which tries 3, 2, then 4 characters) measures exactly that length, and no 、 follows the
    name, so the general path in `observers` would record the same observer and go on after
    the name; everything else takes that path."""
    known = registry().known_pattern
    name = "[\u4e00-\u9fff·]"
    three = (
        # Three name characters, then a separator, 的代表 or a known unit: 3 is tried first.
        rf"{name}{{3}}(?=\Z|[ ，,]|的代表|(?:{known}))"
    )
    # Two, then a separator: there are not three name characters to try first.
    two = rf"{name}{{2}}(?=\Z|[ ，,])"
    if not place_words:
        # Two, then a known unit whose second character cannot end a three-character name
        # (no separator, 的代表 or unit starts there; without town or committee words in the
        # list, a unit starts only with one of registry().unit_first).
        not_after = re.escape("".join(sorted(set(" 、，," + "".join(registry().unit_first)))))
        two += rf"|{name}{{2}}(?=(?:{known}))(?=.[^{not_after}])(?!.的代表)"
    return re.compile(
        # The separators the loop would skip first (no known name starts with one).
        rf"[{_SEPARATORS}]*"
        # Atomic: the unit is the known name the general path's match finds, never a shorter one.
        rf"(?>(?P<unit>{known}))(?!的代表|、) *"
        rf"(?P<name>{three}|{two})"
    )


def _before_first_unit(reg: Registry, lines: list[str], stream: str) -> tuple[list[tuple[str, bool]], int | None]:
    """The tokens (as line_tokens gives them) before the first one that starts a unit, and
    where that one starts in stream (None if none does)."""
    head: list[tuple[str, bool]] = []
    offset = 0
    # Where the list names no town or committee, a unit starts with one of a few characters.
    first = None if reg.has_place_words(stream) else reg.unit_first
    for text in lines:
        for i, tok in enumerate(text.split()):
            if i:
                offset += 1  # the space between two tokens of a line
            if (first is None or tok[0] in first) and reg.unit_at(stream, offset) is not None:
                return head, offset
            offset += len(tok)
            head.append((tok, i == 0))
    return head, None


def observers(lines: list[str]) -> Observers:
    """列席: plain names first, then unit+person pairs glued across line breaks, then units
    sending representatives (X、Y的代表)."""
    reg = registry()
    # The tokens of a line joined by one space, lines glued together (a break means nothing).
    stream = "".join([" ".join(text.split()) for text in lines])
    head, offset = _before_first_unit(reg, lines, stream)
    result = Observers([Observer(name, None) for name in names(head)])
    s = stream[offset:] if offset is not None else ""
    pos = 0
    pending: list[str] = []
    fast = _known_unit_and_name(reg.has_place_words(s))
    canonical = reg.canonical
    while pos < len(s):
        # Separators, a known unit (unit_at's first answer) and a name measured as the loop
        # below would measure it (see _known_unit_and_name): the loop would skip those
        # separators, record exactly this observer and continue after the name.
        pair = fast.match(s, pos)
        if pair is not None:
            written, name = pair.group("unit", "name")
            result.observers.append(Observer(name, canonical(written), written))
            pos = pair.end()
            continue
        if s[pos] in _SEPARATORS:
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


def split_list(text: str) -> tuple[str, ...]:
    items = re.split(r"[，；,;]", text.rstrip("。."))
    return tuple(item.strip() for item in items if item.strip())
