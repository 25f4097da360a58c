"""Export and print edges (issue 13 item 10, issue 12 items 3-4): one meeting prints as itself,
the table is titled and named for what it holds, names are valid on Windows, a locked target
file gets a clear message and another name."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from gui.pdf_export import ExportOptions, write_pdf
from minutes import seeds_dir
from minutes.library import FilterSpec, Library, RoleFilter
from minutes.report import (
    TABLE_TITLE,
    default_file_name,
    resolution_rows,
    safe_file_name,
    select_by_spec,
    select_meeting,
)


@pytest.fixture(scope="module")
def library() -> Library:
    return Library.load([seeds_dir()])


def text_of(path: Path) -> str:
    return "".join(page.extract_text() for page in PdfReader(path).pages)


def test_one_meeting_has_no_cover_or_contents(qapp, library: Library, tmp_path: Path) -> None:
    meeting = library.meetings[0]
    out = tmp_path / "one.pdf"
    write_pdf(select_meeting(meeting), ExportOptions(), out)
    reader = PdfReader(out)
    first = re.sub(r"\s+", "", reader.pages[0].extract_text())
    assert "目录" not in text_of(out).replace(" ", "").replace("　", "")
    assert first.startswith("苏州市人民政府常务会议纪要")
    assert reader.outline[0].title.startswith("第128次常务会议")
    assert reader.get_destination_page_number(reader.outline[0]) == 0


def test_compilation_numbers_pages_on_the_outer_edge(qapp, library: Library, tmp_path: Path) -> None:
    out = tmp_path / "all.pdf"
    write_pdf(select_by_spec(library, FilterSpec()), ExportOptions(), out)
    reader = PdfReader(out)
    assert "— 1 —" not in reader.pages[0].extract_text()  # the cover

    def number_x(page_index: int) -> float:
        found: list[float] = []

        def visit(text, cm, tm, _font, _size) -> None:
            if "—" in text:
                found.append(cm[0] * tm[4] + cm[2] * tm[5] + cm[4])  # x on the page, in points

        reader.pages[page_index].extract_text(visitor_text=visit)
        return min(found)

    width = float(reader.pages[0].mediabox.width)
    assert number_x(2) > width / 2 > number_x(1)  # page 3 (odd) right, page 2 (even) left


def test_table_is_titled_and_named_for_what_it_holds(qapp, library: Library, tmp_path: Path) -> None:
    spec = FilterSpec(departments=frozenset({"市住建局"}), role=RoleFilter.LEAD)
    selection = select_by_spec(library, spec)
    out = tmp_path / "table.pdf"
    write_pdf(selection, ExportOptions(layout="table"), out)
    reader = PdfReader(out)
    assert reader.metadata.title.startswith(TABLE_TITLE)
    text = text_of(out)
    assert "文号" in text and "〔2020〕27号" in text
    full = default_file_name(selection.title, selection.subtitle, "pdf")
    table = default_file_name(TABLE_TITLE, selection.subtitle, "pdf")
    assert full != table and table.startswith("议定事项清单")


def test_lead_role_is_never_split_across_lines(qapp, library: Library, tmp_path: Path) -> None:
    selection = select_by_spec(library, FilterSpec())
    out = tmp_path / "table.pdf"
    write_pdf(selection, ExportOptions(layout="table"), out)
    lines = text_of(out).splitlines()
    cells = sum(r.departments.count("（牵头）") for r in resolution_rows(selection))
    assert sum(line.count("（牵头）") for line in lines) == cells > 10


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("纪要选编-含“a:b*c?”<x>|y\\z/w.pdf", "纪要选编-含“a-b-c-”-x-y-z-w.pdf"),
        ("CON.pdf", "纪要-CON.pdf"),
        ("lpt1", "纪要-lpt1"),
        ("议定事项清单-市住建局（牵头）. .csv", "议定事项清单-市住建局（牵头）.csv"),
        ("...", "纪要"),
        ("a\tb\nc.pdf", "abc.pdf"),
    ],
)
def test_suggested_names_are_valid_on_windows(name: str, expected: str) -> None:
    assert safe_file_name(name) == expected


def test_default_names_from_any_search_text_are_valid(library: Library) -> None:
    for text in ["a:b", '"引号"', "x<y>z", "问?", "星*", "管|道", "斜/杠\\", "尾点.", "CON"]:
        spec = FilterSpec(text=text)
        name = default_file_name(TABLE_TITLE, spec.describe(), "pdf")
        stem = name.removesuffix(".pdf")
        assert not set(stem) & set('\\/:*?"<>|'), name
        assert not stem.endswith((".", " ")) and name.endswith(".pdf")
