"""Where a resolution names its departments, from what the parser found there (no Qt)."""

from __future__ import annotations

from functools import lru_cache

from minutes.departments import DepartmentRole, Mention, registry


@lru_cache(maxsize=4096)
def _known(spelling: str) -> bool:
    return registry().get(spelling).known


def mentions_of(text: str, roles: tuple[DepartmentRole, ...]) -> list[Mention]:
    """registry().find_in_text(text), from the roles the parser found in text (one per name it
    found there, in order; none when it found none) without searching again where it can: a
    known spelling is where it first occurs after the name before, since the registry's
    pattern takes the longest known spelling at the first place one starts. A name recognised
    by its shape may have been passed over where the shape's context did not fit (城市管理局),
    so a text with one is searched afresh. A fifth of the instructions of the search
    (callgrind, bench/library.py's minutes)."""
    found: list[Mention] = []
    pos = 0
    for role in roles:
        written = role.as_written
        at = text.find(written, pos) if _known(written) else -1
        if at == -1:
            return registry().find_in_text(text)
        pos = at + len(written)
        found.append(Mention(at, pos, role.name, written))
    return found
