"""督办事项: what each resolution assigns, to whom, to do what, by when.

Plain Python, no Qt. Built on the parser's analysis (Resolution.roles: 由X… / X要牵头 → lead,
会同Y → co) and on a few more shapes read from the text here: `X要…` / `X负责` make X a lead,
`Y配合` / `协同Y` make Y a co-operator, and 各地各部门 / 各市（区） / 各相关部门 … addressed with
要 or 务必 make an assignment to all. A resolution with none of these (a view such as
`…是…的重要举措`, or a report noted) assigns nothing.

One resolution makes at most one assignment: its number is what the 督查 staff cite.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import TypeVar

# normalise is the ledger's too (imported from here).
from minutes.assignment_hash import normalise as normalise
from minutes.assignment_hash import task_id, text_hash
from minutes.assignment_mentions import mentions_of
from minutes.departments import Mention, Role, registry
from minutes.model import Minutes, Resolution

# Bump when this module extracts differently: every stored meeting's tasks are then extracted
# again (minutes.assignment_store, minutes.ledger_cache).
EXTRACTION_VERSION = 1

# 各… addressees that mean everyone in that class, longest spellings first.
_SCOPE = re.compile(
    r"市级各相关部门|各地[、，]?各(?:相关|有关)?部门|各市（区）|各市、区|各市\(区\)|各(?:相关|有关)部门"
    r"|各承办单位|各开发区|各地|各部门"
)
# What makes a name an addressee: it is followed by 要 / 务必 / 负责 …, perhaps after 和相关部门.
_VERB = re.compile(
    r"(?:[和及、](?:各?(?:相关|有关|其他相关)部门))?(?:一定|务必|必须)?(要牵头|负责牵头|要|务必|必须|负责|牵头)"
)
# The characters a _VERB match can start with: a name followed by none of them is no addressee,
# which a string test tells without running the regex.
_VERB_FIRST = frozenset("和及、一务必要负牵")
# A 各… addressee may name its unit after the place: 各地化治办要.
_SCOPE_VERB = re.compile(r"[^，。；、]{0,6}?(?:一定要|要|务必|必须)")
_SEPARATORS = {"、", "和", "及", "与"}
_CO_AFTER = ("配合", "协同")
_CO_BEFORE = ("协同", "配合")
_DOCUMENT = re.compile(r"《([^《》]+)》")
_SHORT_NAME = re.compile(r"《([^《》]+)》\s*[（(]以下简称《([^《》]+)》[）)]")
_DISCUSSED = "讨论意见"
_TAIL_NOISE = re.compile(r"^(?:[，,]|作进一步|作相应|进一步|作)+")
_DOING = re.compile(r"做好[^，。；：,;]{1,40}?工作")
# A clause runs to the next comma, except inside quotes: “开局就奔跑，起步就冲刺”.
_CLAUSE = re.compile(r"(?:“[^”]*”|[^，。；,;“])+")

# The lookahead lets the engine skip, in one test, every position where no deadline can start.
_DUE = re.compile(
    r"(?=[0-9今明上下尽每到年])(?:(?P<ymd>(?P<y1>\d{4})年(?P<m1>\d{1,2})月(?P<d1>\d{1,2})日(?:起施行|起实施|起执行|前|之前))"
    r"|(?P<md>(?P<m2>\d{1,2})月(?P<d2>\d{1,2})日(?:前|之前))"
    r"|(?P<mend>(?:(?P<y3>\d{4})年)?(?P<m3>\d{1,2})月底(?:前|之前))"
    r"|(?P<yend>(?P<y4>\d{4}|今|明)?年底(?:前|之前))"
    r"|(?P<half>(?:(?P<y5>\d{4})年|(?P<rel5>今|明)年)?(?P<h>上|下)半年)"
    r"|(?P<by>到(?P<y6>\d{4})年)"
    r"|(?P<soon>尽快|尽早)"
    r"|(?P<every>每(?:季度|月|半年|年|周)))"
)
# What every deadline above contains: texts without any (most) are passed over in one search
# whose every branch starts with a literal, which the engine skips to directly, instead of
# trying _DUE's alternatives at every character.
_DUE_HINT = re.compile(r"日(?:起|之?前)|月底|年底|半年|到\d|尽[快早]|每[季月半年周]")


@dataclass(frozen=True)
class Due:
    """When an assignment is due, with the words that say so.

    date is the deadline (or the day a measure takes effect); start opens an interval (下半年);
    尽快 and 每季度 have no date (recurring marks the latter).
    """

    words: str
    date: dt.date | None = None
    start: dt.date | None = None
    recurring: bool = False

    def to_dict(self) -> dict:
        return {
            "date": self.date.isoformat() if self.date else None,
            "from": self.start.isoformat() if self.start else None,
            "words": self.words,
            "recurring": self.recurring,
        }

    @classmethod
    def from_dict(cls, data: dict | None) -> Due | None:
        if not data:
            return None
        return cls(data["words"], _iso(data.get("date")), _iso(data.get("from")), bool(data.get("recurring")))


def _iso(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


@dataclass(frozen=True)
class Assignment:
    item: int
    resolution: int
    text: str
    lead: tuple[str, ...]
    co: tuple[str, ...]
    to_all: bool  # addressed to every department (or place) of a class: see scope
    scope: str | None  # the words of that address: 各地各部门, 各市（区） …
    action: str
    documents: tuple[str, ...]  # full titles (以下简称 short names resolved)
    due: Due | None

    def concerns(self, department: str) -> bool:
        return self.to_all or department in self.lead or department in self.co

    def to_dict(self) -> dict:
        return {
            "item": self.item,
            "resolution": self.resolution,
            "text": self.text,
            "lead": list(self.lead),
            "co": list(self.co),
            "to_all": self.to_all,
            "scope": self.scope,
            "action": self.action,
            "documents": list(self.documents),
            "due": self.due.to_dict() if self.due else None,
        }

    @classmethod
    def from_dict(cls, d: dict) -> Assignment:
        return cls(
            d["item"], d["resolution"], d["text"], tuple(d["lead"]), tuple(d["co"]), d["to_all"], d["scope"],
            d["action"], tuple(d["documents"]), Due.from_dict(d["due"]),
        )  # fmt: skip


@dataclass(frozen=True)
class MeetingRef:
    key: str  # identity that survives re-import: 文号#次, else 第N次@date
    doc_number: str | None
    session: int | None
    date: dt.date | None

    def to_dict(self) -> dict:
        return {
            "key": self.key,
            "doc_number": self.doc_number,
            "session": self.session,
            "date": self.date.isoformat() if self.date else None,
        }

    @classmethod
    def from_dict(cls, data: dict) -> MeetingRef:
        return cls(data["key"], data.get("doc_number"), data.get("session"), _iso(data.get("date")))

    @property
    def title(self) -> str:
        return f"第{self.session}次常务会议" if self.session else "常务会议"


@dataclass(frozen=True)
class Task:
    """An assignment at its meeting: what the ledger tracks."""

    meeting: MeetingRef
    item_title: str
    assignment: Assignment

    @cached_property
    def text_hash(self) -> str:
        return text_hash(self.assignment.text)

    @cached_property
    def id(self) -> str:
        return task_id(self.meeting.key, self.assignment.item, self.assignment.resolution, self.text_hash)

    def to_dict(self) -> dict:
        """The assignment half of `minutes tasks --json` (the ledger adds status and note)."""
        documents = self.assignment.documents
        return {
            "id": self.id,
            "meeting": self.meeting.to_dict(),
            "item_title": self.item_title,
            **self.assignment.to_dict(),
            "document": "、".join(f"《{d}》" for d in documents) or None,
        }


def meeting_ref(minutes: Minutes, fallback: str = "") -> MeetingRef:
    if minutes.doc_number and minutes.session:
        key = f"{minutes.doc_number}#{minutes.session}"
    elif minutes.session and minutes.date:
        key = f"第{minutes.session}次@{minutes.date.isoformat()}"
    else:
        key = fallback or f"@{minutes.date.isoformat() if minutes.date else ''}"
    return MeetingRef(key, minutes.doc_number, minutes.session, minutes.date)


# -- extraction ---------------------------------------------------------------------------
def short_names(minutes: Minutes) -> dict[str, str]:
    """以下简称: short name → full title, over the whole minutes (a later item may use it)."""
    names: dict[str, str] = {}
    for topic in minutes.topics:
        for res in topic.resolutions:
            if "以下简称" in res.text:
                for full, short in _SHORT_NAME.findall(res.text):
                    names.setdefault(short, full)
    return names


def _documents(text: str, names: dict[str, str]) -> tuple[str, ...]:
    if "《" not in text:
        return ()
    found: list[str] = _DOCUMENT.findall(text)
    return tuple(dict.fromkeys(names.get(t, t) for t in found))


def _addressees(text: str, mentions: list[Mention]) -> tuple[list[tuple[int, str, str]], list[tuple[int, str]]]:
    """Departments addressed with 要/负责 … (position, name, verb), and 各… scopes (position, words).

    A name followed by 、/和 and another addressee is one too: 吴中区、苏州工业园区和各相关部门要.
    """
    tokens: list[tuple[int, int, str, bool]] = [(m.start, m.end, m.name, False) for m in mentions]
    kept = tokens  # the names, in order and apart
    if "各" in text:  # in every _SCOPE spelling
        tokens += [(m.start(), m.end(), m.group(), True) for m in _SCOPE.finditer(text)]
        tokens.sort()
        # Drop tokens inside a longer one (市级各相关部门 holds 各相关部门).
        kept = []
        for tok in tokens:
            if kept and tok[0] < kept[-1][1]:
                continue
            kept.append(tok)
    depts: list[tuple[int, str, str]] = []
    scopes: list[tuple[int, str]] = []
    following: str | None = None  # the verb of the next token, when it is an addressee joined to this one
    for i in range(len(kept) - 1, -1, -1):
        start, end, name, is_scope = kept[i]
        verb: str | None = None
        if is_scope:
            m = _SCOPE_VERB.match(text, end)
            if m:
                verb = "要"
        elif text[end : end + 1] in _VERB_FIRST:
            m = _VERB.match(text, end)
            if m:
                verb = m.group(1)
        if verb is None and following is not None and i + 1 < len(kept) and text[end : kept[i + 1][0]] in _SEPARATORS:
            verb = following
        if verb is not None:
            if is_scope:
                scopes.append((start, name))
            else:
                depts.append((start, name, verb))
        following = verb
    depts.reverse()
    scopes.reverse()
    return depts, scopes


def _co_in_text(text: str, mentions: list[Mention]) -> list[str]:
    found: list[str] = []
    if "配合" not in text and "协同" not in text:  # _CO_AFTER and _CO_BEFORE
        return found
    for m in mentions:
        if text.startswith(_CO_AFTER, m.end) or text.endswith(_CO_BEFORE, 0, m.start):
            found.append(m.name)
    return found


def _lead_action(text: str, lead: tuple[str, ...], mentions: list[Mention]) -> str | None:
    """What follows `由X…根据本次会议讨论意见` to the end of that sentence (commas dropped)."""
    pos = text.find("由")
    if pos == -1 or not lead:  # no 由X…, or no lead for it to name
        return None
    at = {m.start: m for m in mentions}
    while pos != -1:
        mention = at.get(pos + 1)
        if mention is not None and mention.name in lead:
            end = text.find("。", pos)
            sentence = text[pos : end if end != -1 else len(text)]
            cut = sentence.find(_DISCUSSED)
            if cut != -1:
                tail = sentence[cut + len(_DISCUSSED) :]
                return _TAIL_NOISE.sub("", tail).replace("，", "").replace(",", "")
            after = text[mention.end : pos + len(sentence)]
            after = re.sub(r"^(?:牵头|负责)", "", after)
            clause = _CLAUSE.match(after)
            return clause.group() if clause else None
        pos = text.find("由", pos + 1)
    return None


def _action(text: str, lead: tuple[str, ...], first: int | None, mentions: list[Mention]) -> str:
    """first: where the first addressee's name ends (the clause after its verb is the action)."""
    action = _lead_action(text, lead, mentions)
    if action:
        return action
    doing = _DOING.search(text) if "做好" in text else None
    if doing:
        return doing.group()
    if first is not None:
        verb = _VERB.search(text, first)
        clause = _CLAUSE.match(text, verb.end()) if verb else None
        if clause:
            return clause.group()
    return ""


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _year(word: str | None, ref: dt.date) -> int:
    if word in (None, "今"):
        return ref.year
    if word == "明":
        return ref.year + 1
    return int(word)


def due_in_text(text: str, meeting_date: dt.date | None) -> Due | None:
    """The first dated deadline in the text, else the first undated one (尽快, 每季度).

    A month without a year is in the meeting's year, or the next one when that month is more
    than a month behind the meeting (a December meeting's 3月底前).
    """
    if _DUE_HINT.search(text) is None:
        return None
    ref = meeting_date or dt.date.today()
    undated: Due | None = None
    for m in _DUE.finditer(text):
        words = m.group()
        try:
            if m["ymd"]:
                return Due(words, dt.date(int(m["y1"]), int(m["m1"]), int(m["d1"])))
            if m["md"]:
                day = dt.date(ref.year, int(m["m2"]), int(m["d2"]))
                return Due(words, day if day >= ref - dt.timedelta(days=31) else day.replace(year=ref.year + 1))
            if m["mend"]:
                month = int(m["m3"])
                if m["y3"]:
                    return Due(words, _month_end(int(m["y3"]), month))
                end = _month_end(ref.year, month)
                return Due(words, end if end >= ref - dt.timedelta(days=31) else _month_end(ref.year + 1, month))
            if m["yend"]:
                return Due(words, dt.date(_year(m["y4"], ref), 12, 31))
            if m["half"]:
                year = int(m["y5"]) if m["y5"] else _year(m["rel5"], ref)
                if m["h"] == "上":
                    return Due(words, dt.date(year, 6, 30), dt.date(year, 1, 1))
                return Due(words, dt.date(year, 12, 31), dt.date(year, 7, 1))
            if m["by"]:
                return Due(words, dt.date(int(m["y6"]), 12, 31))
        except ValueError:  # 2月30日: no such day; keep the words without a date
            undated = undated or Due(words)
            continue
        if undated is None:
            undated = Due(words, recurring=bool(m["every"]))
    return undated


_T = TypeVar("_T")


def fast_instance(cls: type[_T], fields: dict[str, object]) -> _T:
    """An instance of a frozen dataclass made from every one of its fields, without the
    generated __init__, which sets each field through object.__setattr__: less than half the
    instructions, for objects made for every resolution at every import and every 台账 open.
    Equality, hashing and repr read the same attributes."""
    obj = object.__new__(cls)
    obj.__dict__.update(fields)
    return obj


def extract(
    resolution: Resolution, item: int, meeting_date: dt.date | None, names: dict[str, str], *, parsed: bool = False
) -> Assignment | None:
    """The assignment a resolution makes, or None when it makes none.

    parsed: the resolution is as the parser made it, its roles one per department named in
    its text (see mentions_of); otherwise (a resolution made by hand) the text is searched."""
    text = resolution.text
    mentions = mentions_of(text, resolution.roles) if parsed else registry().find_in_text(text)
    depts, scopes = _addressees(text, mentions)
    lead: list[str] = []
    co: list[str] = []
    for r in resolution.roles:
        if r.role is Role.LEAD:
            lead.append(r.name)
        elif r.role is Role.CO:
            co.append(r.name)
    co += [name for name in _co_in_text(text, mentions) if name not in lead]
    lead += [name for _, name, _ in depts if name not in co]
    lead_t = tuple(dict.fromkeys(lead))
    co_t = tuple(dict.fromkeys(c for c in co if c not in lead_t)) if co else ()
    if not lead_t and not co_t and not scopes:
        return None
    first = min([(p, len(n)) for p, n, _ in depts] + [(p, len(s)) for p, s in scopes], default=None)
    return fast_instance(
        Assignment,
        {
            "item": item,
            "resolution": resolution.number,
            "text": text,
            "lead": lead_t,
            "co": co_t,
            "to_all": bool(scopes),
            "scope": scopes[0][1] if scopes else None,
            "action": _action(text, lead_t, None if first is None else first[0] + first[1], mentions),
            "documents": _documents(text, names),
            "due": due_in_text(text, meeting_date),
        },
    )


def assignments_of(minutes: Minutes) -> list[Assignment]:
    names = short_names(minutes)
    found = []
    for topic in minutes.topics:
        for res in topic.resolutions:
            if not res.roles and ("各" not in res.text or _SCOPE.search(res.text) is None):
                # The parser's roles are one per department it found in the text: with none
                # named and no 各… addressed, nothing is assigned, and finding the names again
                # is skipped (one resolution in seven of bench/library.py's minutes: 7 % fewer
                # instructions extracting, callgrind).
                continue
            a = extract(res, topic.number, minutes.date, names, parsed=True)
            if a is not None:
                found.append(a)
    return found


def tasks_of(minutes: Minutes, fallback_key: str = "") -> list[Task]:
    ref = meeting_ref(minutes, fallback_key)
    titles = {t.number: f"{t.label}{t.title}" for t in minutes.topics}
    return [
        fast_instance(Task, {"meeting": ref, "item_title": titles[a.item], "assignment": a})
        for a in assignments_of(minutes)
    ]


def library_tasks(meetings: Iterable) -> Iterator[Task]:
    """Every task of every meeting (objects with .minutes and .id, such as Library.meetings)."""
    for meeting in meetings:
        yield from tasks_of(meeting.minutes, meeting.id)
