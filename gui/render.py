"""A meeting as HTML for the reader (QTextBrowser's rich-text subset).

Every piece of document text is escaped: a file containing <a href=…>, <img> or <script>
shows those characters. The only links are the ones made here, `dept:NAME`, which the viewer
turns into a department filter instead of opening anything.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from urllib.parse import quote, unquote

from PySide6.QtCore import QCoreApplication

from gui.capped import Budget, amount
from gui.related_html import related_section
from minutes.departments import registry
from minutes.library import Meeting
from minutes.model import REPORT, SIMPLIFIED, TRADITIONAL, Minutes, Observer, Topic, group_observers
from minutes.numerals import date_text
from minutes.script import search_form_once
from minutes.titles import document_spans

DEPT_SCHEME = "dept"
SHOW_ALL_HREF = "app:show-all"  # the reader lays out the whole of an outsized document


@dataclass(frozen=True)
class Theme:
    text: str = "#1f1f1f"
    muted: str = "#5f6368"
    heading: str = "#111111"
    masthead: str = "#c00000"  # 发文机关标志 in official red
    link: str = "#0b57d0"
    document: str = "#7a3e00"
    current_bg: str = "#fff4c2"
    warning_bg: str = "#fdecea"
    rule: str = "#c00000"
    note_bg: str = "#e8f0fe"  # a note about the document (a news report, not the minutes)

    @classmethod
    def dark(cls) -> Theme:
        return cls(
            text="#e3e3e3",
            muted="#a8abb0",
            heading="#f2f2f2",
            masthead="#ff8a80",
            link="#8ab4f8",
            document="#f0b46c",
            current_bg="#4a4220",
            warning_bg="#4a2624",
            rule="#ff8a80",
            note_bg="#1f2f4a",
        )


def dept_href(name: str) -> str:
    return f"{DEPT_SCHEME}:{quote(name)}"


def dept_from_href(href: str) -> str | None:
    scheme, _, rest = href.partition(":")
    return unquote(rest) if scheme == DEPT_SCHEME and rest else None


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def markup(text: str) -> str:
    """Escaped text with department names as links and 《…》 titles emphasised."""
    opens: dict[int, list[str]] = {}
    closes: dict[int, list[str]] = {}
    doc_spans = document_spans(text)
    for start, end in doc_spans:
        opens.setdefault(start, []).append('<span class="doc">')
        closes.setdefault(end, []).insert(0, "</span>")
    for m in registry().find_in_text(text):
        crosses = any(s < m.start < e < m.end or m.start < s < m.end < e for s, e in doc_spans)
        if crosses:
            continue
        opens.setdefault(m.start, []).append(f'<a class="dept" href="{_esc(dept_href(m.name))}">')
        closes.setdefault(m.end, []).insert(0, "</a>")
    cuts = sorted({0, len(text), *opens, *closes})
    out = []
    for i, pos in enumerate(cuts):
        out.extend(closes.get(pos, ()))
        out.extend(opens.get(pos, ()))
        if i + 1 < len(cuts):
            out.append(_esc(text[pos : cuts[i + 1]]))
    return "".join(out)


def show_all_link(omitted: int) -> str:
    label = QCoreApplication.translate("Render", "显示全部（%1）").replace("%1", amount(omitted))
    return f'<a class="more" href="{SHOW_ALL_HREF}">{_esc(label)}</a>'


class _Clipper:
    """Document text through a Budget: an over-long piece ends in "…" and 显示全部."""

    def __init__(self, budget: Budget, total_hint: int) -> None:
        self.budget = budget
        self.total_hint = total_hint

    @property
    def exhausted(self) -> bool:
        return self.budget.left == 0

    def _more(self, cut: bool) -> str:
        return "…" + show_all_link(self.total_hint) if cut else ""

    def markup(self, text: str) -> str:
        if self.exhausted:  # already said where the text stops
            self.skip([text])
            return ""
        shown, cut = self.budget.take(text)
        return markup(shown) + self._more(cut)

    def esc(self, text: str) -> str:
        if self.exhausted:
            self.skip([text])
            return ""
        shown, cut = self.budget.take(text)
        return _esc(shown) + self._more(cut)

    def skip(self, texts) -> None:
        self.budget.omitted += sum(len(t) for t in texts)


def _text_size(m) -> int:
    topics = sum(len(t.title) + sum(len(r.text) for r in t.resolutions) for t in m.topics)
    return len(m.summary) + topics + sum(len(t) for t in (*m.trailing, *m.unplaced, *m.attendees))


def _dept_link(name: str, as_written: str | None = None) -> str:
    return f'<a class="dept" href="{_esc(dept_href(name))}">{_esc(as_written or name)}</a>'


def _observers_html(observers: tuple[Observer, ...], units: tuple[str, ...]) -> str:
    plain, groups = group_observers(observers)
    parts = []
    if plain:
        parts.append(_esc("  ".join(plain)))
    if groups:
        parts.append("  ".join(f"{_dept_link(d, w)}{_esc('、'.join(names))}" for (d, w), names in groups.items()))
    if units:
        parts.append("、".join(_dept_link(u) for u in units) + "的代表")
    return "<br/>".join(parts)


def _date(value) -> str:
    return date_text(value) if value else ""


_MASTHEAD = {SIMPLIFIED: ("常务会议纪要", "常务会议报道"), TRADITIONAL: ("常務會議紀要", "常務會議報道")}


def as_written(name: str, text: str) -> str:
    """name (simplified) as the text writes it: a traditional document shows its own characters.
    search_form maps character for character, so a hit there is the same span of the text."""
    pos = search_form_once(text).find(name)
    return text[pos : pos + len(name)] if pos >= 0 else name


def masthead(m: Minutes, text: str) -> str:
    """The issuing government's masthead (苏州市人民政府常务会议纪要, 張家港市人民政府常務會議紀要 …);
    a news report is not headed as minutes."""
    minutes, report = _MASTHEAD.get(m.script, _MASTHEAD[SIMPLIFIED])
    return (as_written(m.issuer, text) if m.issuer else "") + (report if m.genre == REPORT else minutes)


def stylesheet(theme: Theme, base_pt: float) -> str:
    return f"""
    body {{ color: {theme.text}; font-size: {base_pt:.1f}pt; }}
    p {{ margin-top: 0px; margin-bottom: {base_pt * 0.6:.0f}px; line-height: 160%; }}
    .masthead {{ color: {theme.masthead}; font-size: {base_pt * 1.9:.1f}pt; font-weight: bold; }}
    .docno {{ color: {theme.muted}; }}
    h2 {{ color: {theme.heading}; font-size: {base_pt * 1.45:.1f}pt; margin-top: {base_pt:.0f}px; }}
    h3 {{ color: {theme.heading}; font-size: {base_pt * 1.15:.1f}pt; margin-top: {base_pt * 1.4:.0f}px;
          margin-bottom: {base_pt * 0.6:.0f}px; }}
    h3.current {{ background-color: {theme.current_bg}; }}
    .meta {{ color: {theme.muted}; }}
    .label {{ font-weight: bold; }}
    .doc {{ color: {theme.document}; font-weight: bold; }}
    a.dept {{ color: {theme.link}; text-decoration: none; }}
    a.more {{ color: {theme.link}; }}
    .section {{ color: {theme.muted}; font-weight: bold; }}
    .closing {{ color: {theme.muted}; }}
    .warn {{ background-color: {theme.warning_bg}; }}
    .note {{ background-color: {theme.note_bg}; }}
    """


def meeting_html(meeting: Meeting, current_topic: int | None = None, budget: Budget | None = None) -> str:
    """The meeting as a document. budget: how much document text to lay out (default: the caps in
    gui.capped, with 显示全部 links; Budget.unlimited() for everything)."""
    m = meeting.minutes
    clip = _Clipper(budget or Budget(), 0)
    if clip.budget.line is not None or clip.budget.left is not None:
        clip.total_hint = _text_size(m)
    out: list[str] = [f'<p class="masthead" align="center">{_esc(masthead(m, meeting.source.text))}</p>']
    if m.genre == REPORT:
        note = QCoreApplication.translate("Render", "本文为会议新闻报道，不是会议纪要原文")
        out.append(f'<p class="note" align="center">{_esc(note)}</p>')
    if m.doc_number:
        out.append(f'<p class="docno" align="center">{_esc(m.doc_number)}</p>')
    out.append(f"<h2>{_esc(as_written(m.title, meeting.source.text) if m.script == TRADITIONAL else m.title)}</h2>")
    meta = [_date(m.date) + (m.period or "")]
    if m.chair:
        chair = QCoreApplication.translate("Render", "主持：%1").replace("%1", f"{m.chair}{m.chair_title or ''}")
        if m.delegated_by:
            chair += QCoreApplication.translate("Render", "（受%1市长委托）").replace("%1", m.delegated_by)
        meta.append(chair)
    out.append(f'<p class="meta">{_esc(" · ".join(x for x in meta if x))}</p>')
    if m.summary:
        out.append(f"<p>{clip.markup(m.summary)}</p>")
    if m.intro:
        out.append(f"<p>{clip.esc(m.intro)}</p>")
    for i, topic in enumerate(m.topics):
        if clip.exhausted:  # past the cap: not even the headings (a file may hold thousands)
            for rest in m.topics[i:]:
                clip.skip([rest.title, *(r.text for r in rest.resolutions)])
            break
        out.append(_topic_html(topic, topic.number == current_topic, clip))
    out.extend(f"<p>{clip.markup(text)}</p>" for text in m.trailing if not clip.exhausted)
    if m.attendees:
        out.append(f'<p><span class="section">出席：</span>{clip.esc("  ".join(m.attendees))}</p>')
    if m.absent:
        out.append(f'<p><span class="section">请假：</span>{clip.esc("  ".join(m.absent))}</p>')
    if m.observers or m.observer_units:
        out.append(f'<p><span class="section">列席：</span>{_observers_html(m.observers, m.observer_units)}</p>')
    if m.recorder:
        out.append(f'<p><span class="section">记录：</span>{_esc(m.recorder)}</p>')
    closing = []
    if m.compiled_by or m.compiled_date:
        closing.append(f"{_esc(m.compiled_by or '')}整理　{_date(m.compiled_date)}")
    if m.public:
        closing.append("（此件公开发布）")
    if m.distribution:
        closing.append("分送：" + _esc("；".join(m.distribution)))
    if m.issued_by or m.issued_date:
        closing.append(f"{_esc(m.issued_by or '')}　{_date(m.issued_date)}印发")
    if closing:
        out.append(f'<p class="closing">{"<br/>".join(closing)}</p>')
    if m.unplaced:
        kept = "<br/>".join(clip.esc(t) for t in m.unplaced)
        label = _esc(QCoreApplication.translate("Render", "未能归类的原文（已保留）："))
        out.append(f'<p class="warn"><b>{label}</b><br/>{kept}</p>')
    sources = meeting.sources
    if sources:
        label = _esc(QCoreApplication.translate("Render", "来源文件："))
        out.append(f'<p class="closing">{label}{"<br/>".join(_esc(str(p)) for p in sources)}</p>')
    if m.warnings:
        items = "<br/>".join(clip.esc(w) for w in m.warnings[:50])
        label = _esc(QCoreApplication.translate("Render", "解析提示："))
        out.append(f'<p class="closing"><b>{label}</b><br/>{items}</p>')
    if clip.budget.clipped:
        note = QCoreApplication.translate("Render", "这份纪要篇幅过长，只显示了一部分。")
        out.append(f'<p class="warn">{_esc(note)}{show_all_link(clip.total_hint)}</p>')
    out.append(related_section(meeting))
    return "\n".join(out)


def topic_anchor(number: int) -> str:
    return f"topic-{number}"


def topic_html(topic: Topic, current: bool = False) -> str:
    return _topic_html(topic, current, _Clipper(Budget.unlimited(), 0))


def _topic_html(topic: Topic, current: bool, clip: _Clipper) -> str:
    css = ' class="current"' if current else ""
    title = clip.markup(topic.title)
    parts = [f'<a name="{topic_anchor(topic.number)}"></a><h3{css}>{_esc(topic.label)}{title}</h3>']
    for i, r in enumerate(topic.resolutions):
        if clip.exhausted:
            clip.skip(x.text for x in topic.resolutions[i:])
            break
        parts.append(f'<p><span class="label">{_esc(r.label)}</span>{clip.markup(r.text)}</p>')
    return "\n".join(parts)


def year_html(year: int, meetings: list[Meeting]) -> str:
    rows = "".join(
        f"<p>{_esc(mt.title)} · {_date(mt.date)} · "
        f"{_esc(QCoreApplication.translate('Render', '%n 个议题', '', len(mt.topics)))}</p>"
        for mt in meetings
    )
    heading = QCoreApplication.translate("Render", "%1年").replace("%1", str(year)) if year else ""
    return f"<h2>{_esc(heading or QCoreApplication.translate('Render', '日期不详'))}</h2>{rows}"


def message_html(title: str, body: str) -> str:
    return f'<h2 align="center">{_esc(title)}</h2><p align="center" class="meta">{_esc(body)}</p>'
