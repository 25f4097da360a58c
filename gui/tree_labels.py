"""The meeting tree's labels and tooltips: short forms that fit the tree's default width, the
full forms in tooltips, and the placeholder rows of missing meetings (minutes.numbering)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from gui import plain_text
from minutes.filters import short_issuer
from minutes.library import Library, Meeting, TopicInfo
from minutes.model import REPORT
from minutes.numbering import Gap


def meeting_label(meeting: Meeting) -> str:
    parts = [
        meeting.title,
        meeting.date.isoformat() if meeting.date else QCoreApplication.translate("MeetingTree", "日期不详"),
    ]
    if meeting.doc_number:
        parts.append(meeting.doc_number)
    if meeting.genre == REPORT:
        parts.append(QCoreApplication.translate("MeetingTree", "新闻报道"))
    return " · ".join(parts)


def meeting_tree_label(meeting: Meeting, issuer: bool = False) -> str:
    """The tree's short form, 第108次 · 8月17日 · 〔2020〕27号: the year is the row above and every
    meeting is a 常务会议, so the 文号 fits at the default width (meeting_label is the full form).
    issuer: lead with the issuing government in short (张家港 · 第8次 · …), for a library of
    more than one; a news report ends in 报道."""
    parts = []
    if issuer:
        unknown = QCoreApplication.translate("MeetingTree", "不详")
        parts.append(short_issuer(meeting.issuer) if meeting.issuer else unknown)
    parts.append(f"第{meeting.session}次" if meeting.session else meeting.title)
    if meeting.date:
        parts.append(
            QCoreApplication.translate("MeetingTree", "%1月%2日")
            .replace("%1", str(meeting.date.month))
            .replace("%2", str(meeting.date.day))
        )
    if meeting.doc_number:
        parts.append(short(meeting.doc_number, 40))
    if meeting.genre == REPORT:
        parts.append(QCoreApplication.translate("MeetingTree", "报道"))
    return " · ".join(parts)


def gap_tree_label(gap: Gap, issuer: bool = False) -> str:
    """第100次 · 未收录, 〔2020〕18–26号 · 未收录（9 件）; led by the issuer as meeting rows are."""
    if not issuer:
        return gap.label
    unknown = QCoreApplication.translate("MeetingTree", "不详")
    return f"{short_issuer(gap.issuer) if gap.issuer else unknown} · {gap.label}"


def gap_tooltip(gap: Gap, library: Library) -> str:
    """What is missing, between which meetings, and what to do about it."""
    what = "、".join(t for t in (gap.session_text, gap.number_text) if t)
    if gap.sessions and gap.term:
        what = QCoreApplication.translate("MeetingTree", "第%1届").replace("%1", str(gap.term)) + what
    lines = [QCoreApplication.translate("MeetingTree", "资料库中没有%1的会议纪要。").replace("%1", what)]
    if gap.issuer:
        lines.insert(0, gap.issuer)
    after, before = library.meeting(gap.after), library.meeting(gap.before) if gap.before else None
    if after is not None:
        where = QCoreApplication.translate("MeetingTree", "在 %1 之前").replace("%1", meeting_tree_label(after))
        if before is not None:
            where = (
                QCoreApplication.translate("MeetingTree", "在 %1 与 %2 之间")
                .replace("%1", meeting_tree_label(before))
                .replace("%2", meeting_tree_label(after))
            )
        lines.append(where)
    lines.append(QCoreApplication.translate("MeetingTree", "如需阅读，请找到这些纪要的文件并添加到资料库。"))
    return plain_text.tooltip("\n".join(lines))


def topic_label(topic: TopicInfo) -> str:
    return f"{topic.label}{topic.title}"


# Rows and tooltips show at most this much of a title: a file may hold a 200,000-character one.
LABEL_CHARS = 300


def short(text: str, limit: int = LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
