"""Console output that can hold every character of the minutes."""

from __future__ import annotations

import io
import sys


def utf8_output() -> None:
    """Write stdout and stderr as UTF-8. Windows pipes and consoles default to the ANSI code page
    (cp1252, cp936), which cannot hold every character of the minutes."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(encoding="utf-8")
