"""Text to the model: clean the layout away (`clean`), cut the lines into blocks at their
structural markers (`splitter`), read each block for what its role says (`build`).

Traditional script is read through its simplified form (the markers are simplified) and the
model keeps the source's characters (`script`, `restore`).
"""

from __future__ import annotations

import dataclasses

from minutes.build import Context, build
from minutes.clean import clean_text
from minutes.model import TRADITIONAL, Minutes, Segment
from minutes.restore import Restorer
from minutes.script import detect, to_simplified
from minutes.splitter import Splitter


def parse_text(text: str) -> Minutes:
    """Parse one minutes document. Never raises on any input string."""
    script = detect(text)
    context = Context()
    if script == TRADITIONAL:
        simplified, by_opencc = to_simplified(text)
        if not by_opencc:
            context.warnings.append("繁体字转换库不可用，已按单字对照表转换")
        cleaned = clean_text(simplified, source=text)
    else:
        cleaned = clean_text(text)
    splitter = Splitter()
    for line in cleaned.lines:
        splitter.feed(line)
    noise = tuple(Segment(f"noise:{n.reason}", n.no, n.text) for n in cleaned.noise)
    context.furniture = [n.read_as or n.text for n in cleaned.noise if n.reason == "web-page"]
    minutes = build(splitter.blocks, noise, context)
    if script == TRADITIONAL:
        minutes = Restorer(cleaned.lines).minutes(minutes)
    return dataclasses.replace(minutes, script=script) if script != minutes.script else minutes
