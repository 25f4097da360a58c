"""Chinese numerals as the minutes write them: 一 … 九十九 for items, 〇 digits in dates; and
dates written back the way a Chinese document writes them."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}

CN_NUMERAL_CHARS = "".join(_DIGITS) + "".join(_UNITS)

_ONES = "一二三四五六七八九"


# Cached: the same few numerals (一 … 十, 二〇二四) are read in every document.
@lru_cache(maxsize=1024)
def cn_to_int(text: str) -> int | None:
    """Value of a Chinese numeral such as 十二, 一百零八 or 二〇二〇; ASCII digits pass through.

    Returns None for anything that is not a numeral, so callers can treat it as plain text.
    """
    text = text.strip()
    if not text:
        return None
    if text.isascii():
        return int(text) if text.isdigit() else None
    if any(ch not in _DIGITS and ch not in _UNITS for ch in text):
        return None
    if not any(ch in _UNITS for ch in text):
        # Digit-by-digit form used in dates: 二〇二〇.
        value = 0
        for ch in text:
            value = value * 10 + _DIGITS[ch]
        return value
    total = 0
    pending = 0
    for ch in text:
        if ch in _DIGITS:
            pending = _DIGITS[ch]
        else:
            unit = _UNITS[ch]
            total += (pending or 1) * unit
            pending = 0
    return total + pending


def item_label(number: int) -> str:
    """How an agenda item is numbered: 三、"""
    return f"{int_to_cn(number)}、"


def int_to_cn(value: int) -> str:
    """Chinese numeral for 1-99, as used for agenda items (一、 … 九十九、)."""
    if not 0 < value < 100:
        return str(value)
    tens, ones = divmod(value, 10)
    text = ""
    if tens:
        text = ("" if tens == 1 else _ONES[tens - 1]) + "十"
    if ones:
        text += _ONES[ones - 1]
    return text


def date_text(value: dt.date | None) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else "日期不详"
