"""What a selection of agenda items is, and how it reads in words: one vocabulary for the
reader window, the export and the command line."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from enum import StrEnum

# Kinds offered as filters; 研究 and anything else count as 其他.
FILTER_KINDS = ("审议", "听取", "传达", "学习", "其他")


class RoleFilter(StrEnum):
    ANY = "any"  # named in the item's resolutions, in any role
    LEAD = "lead"
    CO = "co"
    REPORTING = "reporting"
    ATTENDED = "attended"  # sat in the meeting (列席)

    @property
    def label(self) -> str:
        """The role in words (the panel's role box, the filter bar, the export's subtitle)."""
        return ROLE_LABELS[self]


ROLE_LABELS = {
    RoleFilter.ANY: "任意",
    RoleFilter.LEAD: "牵头",
    RoleFilter.CO: "会同",
    RoleFilter.REPORTING: "汇报",
    RoleFilter.ATTENDED: "列席",
}


# The issuer filter's name for minutes whose text names no issuing government.
UNKNOWN_ISSUER = "发文机关不详"


def short_issuer(issuer: str) -> str:
    """An issuing government in a few characters, for the tree and the filter bar:
    苏州市人民政府 -> 苏州, 张家港市人民政府 -> 张家港, 姑苏区人民政府 -> 姑苏区."""
    name = issuer.removesuffix("人民政府").removesuffix("政府")
    if len(name) > 2 and name.endswith(("市", "县")):
        name = name[:-1]
    return name or issuer


def filter_kind(kind: str) -> str:
    return kind if kind in FILTER_KINDS else "其他"


def search_words(text: str) -> list[str]:
    """A query's words: separated by any white space (full-width too), each one must occur."""
    return list(dict.fromkeys(text.lower().split()))


@dataclass(frozen=True)
class FilterSpec:
    departments: frozenset[str] = frozenset()  # any of these
    role: RoleFilter = RoleFilter.ANY
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    kinds: frozenset[str] = frozenset()  # empty: every kind
    text: str = ""
    issuers: frozenset[str] = frozenset()  # issuing governments (Library.issuers); empty: all

    @property
    def is_empty(self) -> bool:
        return self == FilterSpec()

    def with_(self, **changes) -> FilterSpec:
        return replace(self, **changes)

    def describe(self) -> str:
        """The filter in words: the window's filter bar, an export's subtitle and file name."""
        words = []
        if self.departments:
            role = "" if self.role is RoleFilter.ANY else self.role.label
            words.append("、".join(sorted(self.departments)) + (f"（{role}）" if role else ""))
        elif self.role is not RoleFilter.ANY:
            words.append(f"角色：{self.role.label}")
        if self.issuers:
            words.append("、".join(short_issuer(i) for i in sorted(self.issuers)))
        if self.date_from or self.date_to:
            low = self.date_from.isoformat() if self.date_from else "…"
            high = self.date_to.isoformat() if self.date_to else "…"
            words.append(f"{low} 至 {high}")
        if self.kinds:
            words.append("、".join(k for k in FILTER_KINDS if k in self.kinds) + "类议题")
        if self.text:
            words.append(f"含“{self.text}”")
        return "，".join(words) if words else "全部纪要"
