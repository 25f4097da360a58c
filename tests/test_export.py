"""PDF and CSV export: content, bookmarks, fonts, page numbers, filters, cancel, print path."""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from gui.pdf_export import ExportOptions, print_document, write_pdf
from gui.pdf_layout import Cancelled
from minutes import seeds_dir
from minutes.library import FilterSpec, Library, RoleFilter
from minutes.report import CSV_COLUMNS, resolution_rows, select_by_spec, write_csv

poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def library() -> Library:
    return Library.load([seeds_dir()])


@pytest.fixture(scope="module")
def all_pdf(qapp, library: Library, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("export") / "all.pdf"
    write_pdf(select_by_spec(library, FilterSpec()), ExportOptions(), path)
    return path


def outline(path: Path) -> list[tuple[str, int, list[tuple[str, int]]]]:
    reader = PdfReader(path)
    result = []
    items = reader.outline
    i = 0
    while i < len(items):
        meeting = items[i]
        children = []
        if i + 1 < len(items) and isinstance(items[i + 1], list):
            children = [(c.title, reader.get_destination_page_number(c)) for c in items[i + 1]]
            i += 1
        result.append((meeting.title, reader.get_destination_page_number(meeting), children))
        i += 1
    return result


def page_texts(path: Path) -> list[str]:
    """Each page's text without white space, running header and page number, so a paragraph
    that flows across a page break reads on."""
    reader = PdfReader(path)
    header = squash(reader.metadata.title)
    return [re.sub(r"—\d+—", "", squash(page.extract_text()).replace(header, "")) for page in reader.pages]


def test_every_meeting_and_item_is_in_the_text(all_pdf: Path, library: Library) -> None:
    text = "".join(page_texts(all_pdf))
    for meeting in library.meetings:
        assert f"第{meeting.minutes.session}次常务会议" in text
        for topic in meeting.minutes.topics:
            assert squash(f"{topic.label}{topic.title}") in text
            for resolution in topic.resolutions:
                assert squash(resolution.text) in text


def test_outline_points_at_the_right_pages(all_pdf: Path, library: Library) -> None:
    tree = outline(all_pdf)
    assert len(tree) == 5
    assert sum(len(children) for _, _, children in tree) == 35
    pages = page_texts(all_pdf)
    sessions = [m.minutes.session for m in sorted(library.meetings, key=lambda m: m.sort_key)]
    for (title, page, children), session in zip(tree, sessions, strict=True):
        assert title.startswith(f"第{session}次常务会议")
        assert f"第{session}次常务会议" in pages[page]
        for child_title, child_page in children:
            assert squash(child_title) in pages[child_page], child_title
            assert child_page >= page


def test_metadata_and_page_numbers(all_pdf: Path) -> None:
    reader = PdfReader(all_pdf)
    assert reader.metadata.title.startswith("苏州市人民政府常务会议纪要选编")
    assert reader.metadata.creator.startswith("Minutes Reader ")
    texts = [squash(page.extract_text()) for page in reader.pages]
    assert not re.search(r"—\d+—", texts[0])  # the cover carries no number
    for number, text in enumerate(texts[1:], 2):
        assert text.endswith(f"—{number}—")
    assert len(reader.pages[0].mediabox) == 4 and round(float(reader.pages[0].mediabox.width)) == 595  # A4


def test_bundled_fonts_are_embedded(all_pdf: Path) -> None:
    reader = PdfReader(all_pdf)
    fonts = {}
    for page in reader.pages[:6]:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object()
            descriptor = descendant["/FontDescriptor"].get_object()
            embedded = any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
            fonts[str(font["/BaseFont"])] = embedded
    assert fonts and all(fonts.values())
    assert {name.split("+")[-1].lstrip("/") for name in fonts} == {
        "MinutesSerifSC-Regular",
        "MinutesSansSC-Bold",
        "MinutesKaiSC-Regular",  # 楷体 （一） from page 5 on (issue 13, edge 11)
        "MinutesTitleSC-Bold",
    }


@poppler
def test_poppler_reads_the_chinese_and_sees_embedded_fonts(all_pdf: Path) -> None:
    text = subprocess.run(["pdftotext", str(all_pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = squash(text)
    assert "苏州市人民政府常务会议纪要" in flat and "—2—" in flat and "1～5月" in flat  # 003 writes a full-width ～
    fonts = subprocess.run(["pdffonts", str(all_pdf)], capture_output=True, text=True, check=True).stdout
    rows = fonts.strip().splitlines()[2:]
    assert rows and all(row.split()[-5] == "yes" for row in rows)  # the "emb" column


def test_department_as_lead_exports_exactly_its_items(qapp, library: Library, tmp_path: Path) -> None:
    spec = FilterSpec(departments=frozenset({"市住建局"}), role=RoleFilter.LEAD)
    path = tmp_path / "zj.pdf"
    write_pdf(select_by_spec(library, spec), ExportOptions(), path)
    titles = [child for _, _, children in outline(path) for child, _ in children]
    assert titles == [
        "三、审议《苏州市传统建筑和古建筑保护更新与修缮利用工程实施意见》",
        "四、审议《苏州市开展新型城市基础设施建设试点工作的方案》",
    ]
    text = "".join(page_texts(path))
    assert "节选：本次会议共5个议题，此处收录1个" in text


def test_table_layout_and_csv(qapp, library: Library, tmp_path: Path) -> None:
    selection = select_by_spec(library, FilterSpec())
    rows = resolution_rows(selection)
    assert len(rows) == sum(len(t.resolutions) for m in library.meetings for t in m.minutes.topics)
    pdf = tmp_path / "table.pdf"
    result = write_pdf(selection, ExportOptions(layout="table"), pdf)
    assert result.bookmarks == 40
    assert float(PdfReader(pdf).pages[1].mediabox.width) > float(PdfReader(pdf).pages[1].mediabox.height)
    text = "".join(page_texts(pdf))
    assert "市住建局（牵头）、市司法局（会同）" in text
    out = tmp_path / "table.csv"
    write_csv(rows, out)
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    with out.open(encoding="utf-8-sig", newline="") as fh:
        table = list(csv.reader(fh))
    assert tuple(table[0]) == CSV_COLUMNS
    assert len(table) == len(rows) + 1
    elevator = next(r for r in table if r[3] == "五、审议《苏州市电梯安全条例（草案）》" and r[4] == "（一）")
    assert elevator[:3] == ["2021-02-23", "第128次常务会议", "〔2021〕9号"]
    assert elevator[5] == "市市场监管局（牵头）、市司法局（会同）"


def test_cancel_leaves_no_file(qapp, library: Library, tmp_path: Path) -> None:
    target = tmp_path / "cancelled.pdf"
    calls = []

    def cancel_after_first_page() -> bool:
        calls.append(1)
        return len(calls) > 1

    with pytest.raises(Cancelled):
        write_pdf(select_by_spec(library, FilterSpec()), ExportOptions(), target, cancelled=cancel_after_first_page)
    assert list(tmp_path.iterdir()) == []


def test_printing_uses_the_same_layout(qapp, library: Library, tmp_path: Path) -> None:
    from PySide6.QtPrintSupport import QPrinter

    selection = select_by_spec(library, FilterSpec(text="姑苏实验室"))
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    print_document(printer, selection, ExportOptions())
    del printer
    printed = PdfReader(tmp_path / "printed.pdf")
    exported_path = tmp_path / "exported.pdf"
    write_pdf(selection, ExportOptions(), exported_path)
    assert len(printed.pages) == len(PdfReader(exported_path).pages)
    assert squash(printed.pages[-1].extract_text()) == squash(PdfReader(exported_path).pages[-1].extract_text())


def test_cli_export(tmp_path: Path) -> None:
    out = tmp_path / "lead.pdf"
    result = subprocess.run(
        [sys.executable, "-m", "gui.export_cli", "export", "-o", str(out), "--dept", "市住建局", "--role", "lead"],
        capture_output=True,
        encoding="utf-8",  # the CLI writes UTF-8 on every platform (a Windows pipe is cp1252/cp936)
        check=False,
        env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stderr
    assert "2 次会议，2 个议题" in result.stdout
    assert len(outline(out)) == 2
    csv_out = tmp_path / "all.csv"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "gui.export_cli",
            "export",
            "-o",
            str(csv_out),
            "--from",
            "2020-06-01",
            "--to",
            "2020-06-30",
        ],
        capture_output=True,
        encoding="utf-8",  # the CLI writes UTF-8 on every platform (a Windows pipe is cp1252/cp936)
        check=False,
    )
    assert result.returncode == 0, result.stderr
    with csv_out.open(encoding="utf-8-sig") as fh:
        meetings = {row["会议"] for row in csv.DictReader(fh)}
    assert meetings == {"第99次常务会议", "第101次常务会议"}
    nothing = subprocess.run(
        [sys.executable, "-m", "gui.export_cli", "export", "-o", str(tmp_path / "x.pdf"), "--text", "不存在的词语"],
        capture_output=True,
        encoding="utf-8",  # the CLI writes UTF-8 on every platform (a Windows pipe is cp1252/cp936)
        check=False,
    )
    assert nothing.returncode == 1 and "没有符合条件的议题" in nothing.stderr
    assert not (tmp_path / "x.pdf").exists()
