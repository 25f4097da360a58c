"""The printed minutes' faces (issue 13, edge 11): GB/T 9704's 小标宋 title, 黑体 first-level and
楷体 second-level headings over the body face, each a bundled stand-in, read back from the PDF."""

from __future__ import annotations

import contextlib
import lzma
import re
import shutil
import subprocess
from collections import defaultdict
from pathlib import Path

import pytest
from pypdf import PdfReader

from gui.fonts import FILES, KAI, SANS, SERIF, TITLE, load_bundled_fonts
from gui.pdf_export import ExportOptions, Styles, ensure_fonts, excerpt_note, resolution_para, write_pdf
from gui.pdf_layout import Furniture, Layouter, PageGeometry, Para, paint
from gui.resources import resource
from minutes import seeds_dir
from minutes.library import FilterSpec, Library
from minutes.report import select_by_spec

BODY, HEADING, SECOND, TITLE_FACE = (
    "MinutesSerifSC-Regular",
    "MinutesSansSC-Bold",
    "MinutesKaiSC-Regular",
    "MinutesTitleSC-Bold",
)


def text_by_face(path: Path) -> dict[str, list[str]]:
    """Every piece of text the PDF draws, under the name of the font it is drawn in."""
    faces: dict[str, list[str]] = defaultdict(list)

    def visit(text, _cm, _tm, font, _size) -> None:
        if text.strip() and font is not None:
            faces[str(font["/BaseFont"]).split("+")[-1].lstrip("/")].append(text)

    for page in PdfReader(path).pages:
        page.extract_text(visitor_text=visit)
    return faces


@pytest.fixture(scope="module")
def seeds_pdf(qapp, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("fonts") / "all.pdf"
    write_pdf(select_by_spec(Library.load([seeds_dir()]), FilterSpec()), ExportOptions(), path)
    return path


def test_each_part_of_the_minutes_is_in_its_gbt9704_stand_in(seeds_pdf: Path) -> None:
    faces = text_by_face(seeds_pdf)
    assert set(faces) == {BODY, HEADING, SECOND, TITLE_FACE}
    # 小标宋: the cover's title, each masthead and meeting title; nothing else.
    assert "苏州市人民政府常务会议纪要选编" in faces[TITLE_FACE]
    assert "苏州市人民政府常务会议纪要" in faces[TITLE_FACE]
    assert "第99次常务会议" in faces[TITLE_FACE]
    assert all("常务会议" in text for text in faces[TITLE_FACE])
    # 黑体: the agenda items (一、); 楷体: exactly the resolutions' （一） labels.
    assert any(text.startswith("一、审议《苏州市改革完善医疗卫生") for text in faces[HEADING])
    labels = {re.sub(r"\s", "", text) for text in faces[SECOND]}
    assert {"（一）", "（二）", "（三）"} <= labels
    assert all(re.fullmatch(r"[（(][一二三四五六七八九十]+[）)]", label) for label in labels), labels  # as written
    # 仿宋 (the body face): the resolutions' text after the label.
    assert any(text.startswith("原则同意《苏州市改革完善医疗卫生") for text in faces[BODY])


def _write(path: Path, paras: list[Para]) -> None:
    from PySide6.QtGui import QPdfWriter

    ensure_fonts()
    geometry = PageGeometry()
    writer = QPdfWriter(str(path))
    layouter = Layouter(writer, geometry)
    for para in paras:
        layouter.add_para(para)
    paint(writer, layouter.result(), Furniture("", Styles.header, Styles.number, geometry))
    del writer  # closes the file


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils not installed")
def test_a_character_the_subset_faces_lack_falls_back_to_the_body_face(qapp, tmp_path: Path) -> None:
    # 镕 is outside GB2312, 邗 in its level 2: outside the 黑体 and 小标宋 subsets, in the body face.
    path = tmp_path / "rare.pdf"
    _write(
        path,
        [
            Para("朱镕基同志讲话", Styles.title),
            Para("邗江区人民政府", Styles.masthead),
            Para("一、朱镕基同志讲话", Styles.heading),
            Para("（节选：王堃提供）", Styles.note),
        ],
    )
    faces = text_by_face(path)
    assert faces[TITLE_FACE] == ["朱", "基同志讲话", "江区人民政府"]
    assert faces[HEADING] == ["一、朱", "基同志讲话"]
    assert faces[SECOND] == ["（节选：", "）"]  # the 楷体 subset holds only what the layouts set in it
    assert set(re.findall(r"[\u4e00-\u9fff]", "".join(faces[BODY]))) == set("镕邗王堃提供")
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert "DejaVu" not in fonts and "Noto" not in fonts  # no system face filled the gap


def test_what_the_layouts_set_in_kai_is_all_in_the_kai_subset(qapp, tmp_path: Path) -> None:
    path = tmp_path / "kai.pdf"
    labels = ["（一）", "（十）", "（十九）", "（二十）", "（九十九）", "(二)"]
    _write(path, [Para(excerpt_note(12, 3), Styles.note), *(resolution_para(label, "同意。") for label in labels)])
    faces = text_by_face(path)
    assert [re.sub(r"\s", "", text) for text in faces[SECOND]] == [
        "（节选：本次会议共12个议题，此处收录3个。）",
        *labels,
    ]


def gb2312_hanzi(last_row: int = 0xF7) -> list[str]:
    """Level 1 (3,755 common hanzi) ends at row 0xD7, level 2 (3,008 more) at 0xF7."""
    chars = []
    for high in range(0xB0, last_row + 1):
        for low in range(0xA1, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):
                chars.append(bytes([high, low]).decode("gb2312"))
    return chars


def test_the_bundled_faces_are_renamed_and_cover_what_they_are_for(qapp) -> None:
    from PySide6.QtCore import QByteArray
    from PySide6.QtGui import QRawFont

    assert set(load_bundled_fonts()) == {SERIF, SANS, KAI, TITLE}
    level1, both = gb2312_hanzi(0xD7), gb2312_hanzi()
    assert (len(level1), len(both)) == (3755, 6763)
    covers = {  # family: (hanzi it must hold, hanzi it must not)
        SERIF: (both + list("镕堃喆") + list("會議紀要"), []),  # names and traditional script too
        SANS: (both, list("镕堃")),
        TITLE: (level1, list("镕邗")),
        KAI: (list("一二三四五六七八九十节选本次会议共个议题此处收录"), list("的国")),
    }
    for name in FILES:
        font = QRawFont(QByteArray(lzma.decompress(resource("fonts", name).read_bytes())), 16)
        assert font.isValid(), name
        # Renamed: the OFL's Reserved Font Names (Source, 霞鹜, LXGW) may not name a modified font.
        has, lacks = covers[font.familyName()]
        assert all(font.supportsCharacter(ord(c)) for c in "，。、；：（）《》〔〕“”—～1aA"), name
        assert all(font.supportsCharacter(ord(c)) for c in has), name
        assert not any(font.supportsCharacter(ord(c)) for c in lacks), name
