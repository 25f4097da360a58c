"""Blocks to the model: each block's text read for what its role says, header facts settled
with their fallbacks (see `minutes.facts`), warnings for what the document does not state."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from operator import attrgetter

from minutes import facts
from minutes.attendance import Observers, line_tokens, names, observers, split_list
from minutes.clean import prose
from minutes.departments import roles_in_text
from minutes.model import MINUTES, REPORT, Minutes, Resolution, Segment, Topic
from minutes.splitter import _COMPILED, _DATE_LINE, _ISSUED, _ISSUED_TAIL, _PUBLIC, Block, kind, strip_label
from minutes.titles import document_titles

_READ_WITHOUT_LABEL = frozenset(("topic", "resolution", "attendees", "observers", "absent", "recorder", "distribution"))


@dataclass
class Context:
    """What the parser knows from outside the blocks: the page's furniture, the script."""

    furniture: list[str] = field(default_factory=list)  # web-page noise lines, simplified
    warnings: list[str] = field(default_factory=list)


def build(blocks: list[Block], noise: tuple[Segment, ...], context: Context) -> Minutes:
    warnings = list(context.warnings)
    fields: dict = {}
    headers: list[str] = []
    summary_parts: list[str] = []
    topics: list[tuple[Block, list[Block]]] = []
    trailing: list[str] = []
    attendees: list[str] = []
    obs = Observers()
    unplaced: list[str] = []
    distribution: list[str] = []
    absent: list[str] = []
    issuer_line: str | None = None
    issued: re.Match | None = None
    compiled_date_match: re.Match | None = None

    for block in blocks:
        role = block.role
        # Items, resolutions and lists are read without their label, below: only the other
        # blocks need their whole text.
        text = "" if role in _READ_WITHOUT_LABEL else block.text()
        if role == "doc_number":
            fields.setdefault("doc_raw", text)
        elif role == "header":
            headers.append(text)
            doc = facts.DOC_NUMBER.search(text)
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
            attendees.extend(names(line_tokens(strip_label(block))))
        elif role == "observers":
            part = observers(strip_label(block))
            obs.observers.extend(part.observers)
            obs.units.extend(part.units)
            obs.warnings.extend(part.warnings)
        elif role == "absent":
            absent.extend(names(line_tokens(strip_label(block))))
        elif role == "recorder":
            fields["recorder"] = prose(strip_label(block)) or None
        elif role == "compiled":
            compiled = _COMPILED.match(text)
            assert compiled is not None  # the splitter opened this block on this match
            fields["compiled_by"] = compiled.group(1)
        elif role == "compiled_date":
            compiled_date_match = _DATE_LINE.match(text)
        elif role == "public":
            public = _PUBLIC.match(text)
            assert public is not None  # likewise
            fields["public"] = "不" not in public.group(1)
        elif role == "distribution":
            listed = prose(strip_label(block))
            glued = _ISSUED_TAIL.match(listed)
            if glued:
                listed = glued.group("body")
                issued = _ISSUED.match(glued.group("tail"))
            distribution.extend(split_list(listed))
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
    year = serial = doc_number = None
    if doc_raw:
        m = facts.DOC_NUMBER.search(doc_raw)
        assert m is not None  # doc_raw is text this pattern found
        year, serial = int(m.group(1)), int(m.group(2))
        doc_number = f"〔{year}〕{serial}号"

    summary = prose(summary_parts)
    header = "".join(headers) or None
    page = facts.publication(context.furniture)
    issued_date = facts.make_date(issued) if issued else None
    compiled_date = facts.make_date(compiled_date_match) if compiled_date_match else None
    # The year of a date written without one: the document number's, else that of the first
    # date after the meeting the document states (a meeting cannot follow its own minutes).
    after = compiled_date or issued_date or page.date
    date = period = chair = chair_title = delegated_by = None
    term, session = facts.session(summary) if summary else (None, None)
    if session is None and header:
        term, session = facts.session(header)
    if summary:
        m = facts.MEETING_DATE.search(summary)
        if m:
            date = facts.make_date(m, year or (after.year if after else None))
            period = m.group("period")
            if date and not m.group("y") and not year and after and date > after:
                date = date.replace(year=date.year - 1) if not (date.month == 2 and date.day == 29) else None
        c = facts.chair(summary)
        if c:
            chair, chair_title, delegated_by = c.name, c.title, c.delegated_by

    built_topics = []
    for block, resolution_blocks in topics:
        title = prose(strip_label(block))
        resolutions = []
        for r in resolution_blocks:
            text = prose(strip_label(r)) if r.label else r.text()
            # An unnumbered paragraph is the item's one resolution (number 1) when it stands alone.
            number = r.number or (1 if len(resolution_blocks) == 1 else 0)
            resolutions.append(Resolution(number, r.label, text, tuple(roles_in_text(text))))
        documents = document_titles(title) if "《" in title else ()
        built_topics.append(Topic(block.number, title, kind(title), documents, tuple(resolutions)))

    genre = MINUTES
    if summary and not built_topics and not fields.get("intro") and not attendees and not obs.observers:
        genre = REPORT  # a news-style report: no document number or numbered items to expect
    if genre == MINUTES and not doc_raw:
        warnings.append("未找到文号（如〔2020〕27号）")
    if date is None:
        warnings.append("未找到会议日期")
    if session is None:
        warnings.append("未找到会议届次（第N次）")
    if chair is None and summary:
        warnings.append("未找到主持人")
    if genre == MINUTES:
        for topic, (block, _) in zip(built_topics, topics, strict=True):
            if not topic.resolutions:
                warnings.append(f"议题{block.label}没有分条的议定意见")
        if not built_topics:
            warnings.append("未找到议题（一、二、三……）")

    compiled_by = fields.get("compiled_by")
    issuer = next(
        filter(None, (facts.government(t) for t in (header, compiled_by, issued_by, page.office))),
        None,
    )

    warnings.extend(obs.warnings)
    for text in unplaced:
        warnings.append(f"未能归类的文本：{text[:60]}{'…' if len(text) > 60 else ''}")
    placed = [Segment(b.role, line.no, line.source or line.text) for b in blocks for line in b.lines]
    # The blocks hold the lines in their order: only noise has to be sorted in.
    segments = tuple(sorted((*placed, *noise), key=attrgetter("line_no"))) if noise else tuple(placed)

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
        header=header,
        summary=summary,
        intro=fields.get("intro"),
        topics=tuple(built_topics),
        trailing=tuple(trailing),
        attendees=tuple(attendees),
        absent=tuple(absent),
        observers=tuple(obs.observers),
        observer_units=tuple(dict.fromkeys(obs.units)),
        recorder=fields.get("recorder"),
        compiled_by=compiled_by,
        compiled_date=compiled_date,
        issued_by=issued_by,
        issued_date=issued_date,
        public=fields.get("public", False),
        distribution=tuple(distribution),
        unplaced=tuple(unplaced),
        warnings=tuple(warnings),
        segments=segments,
        issuer=issuer,
        term=term,
        published_date=page.date,
        source_office=page.office,
        genre=genre,
    )
