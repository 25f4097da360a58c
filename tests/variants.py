"""Ways real files differ from the seeds: the metamorphic tests parse each variant and expect
the same result as for the original."""

from __future__ import annotations

import random
import re

_SECTION_LABEL = re.compile(r"^(出席|列席|记录|分送)：")
_TOPIC = re.compile(r"^[一二三四五六七八九十]+、")


def crlf(text: str) -> str:
    return text.replace("\n", "\r\n")


def rewrap(text: str, seed: int) -> str:
    """Hard-wrap every line at a random width of 20-40 characters, with trailing spaces,
    blank lines between, and page-number lines dropped in as a PDF extraction would."""
    rng = random.Random(seed)
    out: list[str] = []
    page = 1
    for line in text.split("\n"):
        line = line.strip()
        if not line:
            continue
        pos = 0
        while pos < len(line):
            width = rng.randint(20, 40)
            out.append(line[pos : pos + width] + " " * rng.randint(0, 3))
            out.extend([""] * rng.randint(0, 2))
            pos += width
            if rng.random() < 0.04:
                page += 1
                out.append(rng.choice([f"— {page} —", f"-{page}-", f"－ {page} －"]))
    return "\n".join(out)


def strip_markdown(text: str) -> str:
    text = re.sub(r"^#{1,6}\s*", "", text, flags=re.M)
    text = text.replace("**", "")
    return re.sub(r"^-{3,}\s*$", "", text, flags=re.M)


def add_markdown(text: str) -> str:
    out = []
    for line in strip_markdown(text).split("\n"):
        stripped = line.strip()
        if _TOPIC.match(stripped):
            out.append(f"## **{stripped}**")
        elif _SECTION_LABEL.match(stripped):
            label, rest = stripped.split("：", 1)
            out.extend(["---", f"**{label}：**{rest}"])
        else:
            out.append(line)
    return "\n".join(out)


def half_width_brackets(text: str) -> str:
    """Structural brackets as a half-width keyboard types them: (一) [2020]27号 (此件公开发布)."""
    text = re.sub(r"^(\s*)（([一二三四五六七八九十]+)）", r"\1(\2)", text, flags=re.M)
    text = re.sub(r"〔(\d{4})〕", r"[\1]", text)
    return text.replace("（此件公开发布）", "(此件公开发布)")


def web_page(text: str) -> str:
    head = [
        "当前位置: 首页 > 政务公开 > 政府会议 > 常务会议纪要",
        "时间: 2020-09-03 10:12  来源: 苏州市人民政府办公室  访问量: 1832",
        "【字体：大 中 小】",
        "",
    ]
    foot = ["", "【打印本页】 【关闭窗口】", "版权所有：苏州市人民政府  苏ICP备05010208号"]
    return "\n".join([*head, text, *foot])
