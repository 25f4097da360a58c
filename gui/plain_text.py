"""Document text shown by Qt widgets as text, never as markup.

Qt treats a tooltip (and a QLabel in its default format) that merely *looks* like rich text as
rich text: an agenda item titled `<img src=…>` would load a local file in a tooltip. Everything
from a document passes through here before it reaches such a place.
"""

from __future__ import annotations

import html


def tooltip(text: str) -> str:
    """Rich text that shows exactly `text` (line breaks kept), whatever characters it holds."""
    body = html.escape(text, quote=False).replace("\n", "<br/>")
    # Always rich (it starts with a tag), so Qt never guesses; pre-wrap keeps runs of spaces.
    return f"<p style='white-space:pre-wrap'>{body}</p>"
