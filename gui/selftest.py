"""`minutes-reader --selftest`: prove an installed or frozen app works, on the machine it is on.

Offscreen, on the bundled seeds, with settings in a temporary folder (the user's are never
read or written): every seed parses, the main window builds and shows a meeting, and an
export of all seeds to a temporary PDF has the expected bookmarks and embedded fonts.
Prints one line; exit status 0 on success, 1 with the reason on stderr. With a report file
(`--report FILE`) the same line is written there too: a windowed Windows exe has no console.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path


class SelfTestFailure(Exception):
    pass


def check(condition: bool, reason: str) -> None:
    if not condition:
        raise SelfTestFailure(reason)


def run(app, report: Path | None = None) -> int:
    start = time.perf_counter()
    try:
        line, status = f"selftest ok: {_run(app)}, {time.perf_counter() - start:.2f} s", 0
    except SelfTestFailure as exc:
        line, status = f"selftest FAILED: {exc}", 1
    except Exception as exc:  # any crash is a failure with its reason, not a traceback dump
        line, status = f"selftest FAILED: {type(exc).__name__}: {exc}", 1
    print(line, file=sys.stderr if status else sys.stdout)
    if report is not None:
        report.write_text(line + "\n", encoding="utf-8")
    return status


def _run(app) -> str:
    from pypdf import PdfReader

    import minutes
    from gui.fonts import FILES
    from gui.main_window import MainWindow
    from gui.pdf_export import ExportOptions, write_pdf
    from gui.settings import Settings
    from gui.tasks import SynchronousRunner
    from minutes.library import FilterSpec, Library
    from minutes.report import select_by_spec

    seeds = minutes.seeds_dir()
    files = sorted(seeds.glob("*.txt"))
    check(len(files) >= 5, f"bundled seeds missing in {seeds}")
    library = Library.load([seeds])
    check(not library.problems, f"seed unreadable: {library.problems[:1]}")
    for meeting in library.meetings:
        m = meeting.minutes
        check(bool(m.topics) and m.session is not None, f"seed parsed poorly: {meeting.source.path.name}")
        check(not m.unplaced, f"seed has unplaced text: {meeting.source.path.name}")
    topics = library.topic_count
    from minutes.script import to_simplified

    # The frozen app bundles OpenCC's t2s data only: traditional script must still go through it.
    check(to_simplified("會議紀要") == ("会议纪要", True), "OpenCC t2s did not load")

    with tempfile.TemporaryDirectory(prefix="minutes-selftest-") as tmp:
        window = MainWindow(Settings(Path(tmp) / "selftest.ini"), [seeds], SynchronousRunner())
        window.resize(1280, 800)
        window.show()
        app.processEvents()
        check(window.viewer.meeting is not None, "main window shows no meeting")
        check(window.proxy.shown_topic_count() == topics, "meeting tree does not show every item")
        window.close()

        pdf = Path(tmp) / "selftest.pdf"
        result = write_pdf(select_by_spec(library, FilterSpec()), ExportOptions(), pdf)
        reader = PdfReader(pdf)
        bookmarks = _count_outline(reader.outline)
        check(bookmarks == len(library.meetings) + topics, f"PDF has {bookmarks} bookmarks")
        fonts = set()
        for page in reader.pages[:6]:
            for font in page["/Resources"]["/Font"].values():
                descriptor = font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
                check("/FontFile3" in descriptor or "/FontFile2" in descriptor, "PDF font not embedded")
                fonts.add(str(font.get_object()["/BaseFont"]).split("+")[-1].lstrip("/"))
        expected = {name.split(".")[0] for name in FILES}  # the PostScript names: MinutesSerifSC-Regular …
        check(fonts == expected, f"PDF fonts are {sorted(fonts)}")
        text = reader.pages[len(reader.pages) - 1].extract_text()
        check("苏州市人民政府办公室" in text, "PDF text is not extractable")
        _check_encrypted_pdf(reader, Path(tmp) / "encrypted.pdf")
    return (
        f"{len(library.meetings)} minutes, {topics} items parsed; window shown; "
        f"PDF {result.pages} pages, {bookmarks} bookmarks, fonts embedded"
    )


def _check_encrypted_pdf(reader, path: Path) -> None:
    """Encrypted PDFs open (pypdf's AES and RC4 through pycryptodome's native libraries, which
    the frozen app bundles only in part): AES-128 needs RC4 and AES-CBC, AES-256 AES-ECB."""
    from pypdf import PdfReader, PdfWriter

    for algorithm in ("AES-128", "AES-256"):
        writer = PdfWriter()
        writer.add_page(reader.pages[len(reader.pages) - 1])
        writer.encrypt(user_password="", owner_password="selftest", algorithm=algorithm)
        writer.write(path)
        text = PdfReader(path).pages[0].extract_text()
        check("苏州市人民政府办公室" in text, f"{algorithm}-encrypted PDF does not open")


def _count_outline(items) -> int:
    return sum(_count_outline(item) if isinstance(item, list) else 1 for item in items)
