"""Export speed: 100 meetings (the seeds repeated) to a PDF in the 纪要全文 layout.

The floor is the same text printed as plain text through QTextDocument into QPdfWriter: what
any PDF of this text costs. Target: <= 5 s for 100 meetings.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtGui import QFont, QGuiApplication, QPageSize, QPdfWriter, QTextDocument

from gui.pdf_export import SERIF, ExportOptions, ensure_fonts, write_pdf
from minutes import seeds_dir
from minutes.library import FilterSpec, Library
from minutes.report import select_by_spec


def library_of(count: int, folder: Path) -> Library:
    """count distinct meetings: the seeds with their session and document numbers changed
    (copies of one set of minutes would rightly merge into one meeting)."""
    seeds = [p.read_text("utf-8") for p in sorted(seeds_dir().glob("*.txt"))]
    for i in range(count):
        text = re.sub(r"第\s*(\d+)\s*次", f"第{1000 + i}次", seeds[i % len(seeds)], count=1)
        text = re.sub(r"〔(\d{4})〕(\d+)号", lambda m, i=i: f"〔{m.group(1)}〕{100 + i}号", text, count=1)
        (folder / f"{i:04d}.txt").write_text(text, "utf-8")
    return Library.load([folder])


def plain_text(library: Library) -> str:
    parts = []
    for meeting in library.meetings:
        m = meeting.minutes
        parts += [m.title, m.summary]
        for topic in m.topics:
            parts.append(f"{topic.label}{topic.title}")
            parts += [f"{r.label}{r.text}" for r in topic.resolutions]
        parts += ["出席：" + " ".join(m.attendees), "列席：" + " ".join(o.name for o in m.observers)]
    return "\n".join(parts)


def floor(text: str, path: Path) -> float:
    start = time.perf_counter()
    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    doc = QTextDocument()
    font = QFont(SERIF)
    font.setPointSizeF(16)
    doc.setDefaultFont(font)
    doc.setPlainText(text)
    doc.print_(writer)
    del writer
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--meetings", type=int, default=100)
    args = parser.parse_args()
    _app = QGuiApplication([])
    ensure_fonts()
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "minutes"
        source.mkdir()
        library = library_of(args.meetings, source)
        selection = select_by_spec(library, FilterSpec())
        base = floor(plain_text(library), Path(tmp) / "floor.pdf")
        start = time.perf_counter()
        result = write_pdf(selection, ExportOptions(), Path(tmp) / "export.pdf")
        export_s = time.perf_counter() - start
        size_mb = (Path(tmp) / "export.pdf").stat().st_size / 1e6
    figures = {
        "meetings": args.meetings,
        "pages": result.pages,
        "bookmarks": result.bookmarks,
        "export_s": round(export_s, 2),
        "floor_plain_text_s": round(base, 2),
        "ratio_to_floor": round(export_s / base, 2),
        "pdf_mb": round(size_mb, 1),
        "target_s": 5.0,
        "meets_target": export_s <= 5.0,
    }
    print(f"export {args.meetings} meetings: {figures['export_s']} s, {result.pages} pages, {figures['pdf_mb']} MB")
    print(f"floor (plain text via QTextDocument): {figures['floor_plain_text_s']} s")
    print(f"ratio: {figures['ratio_to_floor']}x")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
