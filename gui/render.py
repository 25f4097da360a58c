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

from minutes.departments import registry
from minutes.library import Meeting
from minutes.model import Observer, Topic, group_observers
from minutes.numerals import date_text
from minutes.titles import document_spans

DEPT_SCHEME = "dept"


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
    .section {{ color: {theme.muted}; font-weight: bold; }}
    .closing {{ color: {theme.muted}; }}
    .warn {{ background-color: {theme.warning_bg}; }}
    """


def meeting_html(meeting: Meeting, current_topic: int | None = None) -> str:
    m = meeting.minutes
    out: list[str] = ['<p class="masthead" align="center">苏州市人民政府常务会议纪要</p>']
    if m.doc_number:
        out.append(f'<p class="docno" align="center">{_esc(m.doc_number)}</p>')
    out.append(f"<h2>{_esc(m.title)}</h2>")
    meta = [_date(m.date) + (m.period or "")]
    if m.chair:
        chair = QCoreApplication.translate("Render", "主持：%1").replace("%1", f"{m.chair}{m.chair_title or ''}")
        if m.delegated_by:
            chair += QCoreApplication.translate("Render", "（受%1市长委托）").replace("%1", m.delegated_by)
        meta.append(chair)
    out.append(f'<p class="meta">{_esc(" · ".join(x for x in meta if x))}</p>')
    if m.summary:
        out.append(f"<p>{markup(m.summary)}</p>")
    if m.intro:
        out.append(f"<p>{_esc(m.intro)}</p>")
    for topic in m.topics:
        out.append(topic_html(topic, current=topic.number == current_topic))
    for text in m.trailing:
        out.append(f"<p>{markup(text)}</p>")
    if m.attendees:
        out.append(f'<p><span class="section">出席：</span>{_esc("  ".join(m.attendees))}</p>')
    if m.absent:
        out.append(f'<p><span class="section">请假：</span>{_esc("  ".join(m.absent))}</p>')
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
        kept = "<br/>".join(_esc(t) for t in m.unplaced)
        label = _esc(QCoreApplication.translate("Render", "未能归类的原文（已保留）："))
        out.append(f'<p class="warn"><b>{label}</b><br/>{kept}</p>')
    sources = meeting.sources
    if sources:
        label = _esc(QCoreApplication.translate("Render", "来源文件："))
        out.append(f'<p class="closing">{label}{"<br/>".join(_esc(str(p)) for p in sources)}</p>')
    if m.warnings:
        items = "<br/>".join(_esc(w) for w in m.warnings)
        label = _esc(QCoreApplication.translate("Render", "解析提示："))
        out.append(f'<p class="closing"><b>{label}</b><br/>{items}</p>')
    return "\n".join(out)


def topic_anchor(number: int) -> str:
    return f"topic-{number}"


def topic_html(topic: Topic, current: bool = False) -> str:
    css = ' class="current"' if current else ""
    parts = [f'<a name="{topic_anchor(topic.number)}"></a><h3{css}>{_esc(topic.label)}{markup(topic.title)}</h3>']
    for r in topic.resolutions:
        parts.append(f'<p><span class="label">{_esc(r.label)}</span>{markup(r.text)}</p>')
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
