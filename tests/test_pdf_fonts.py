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
from gui.pdf_export import ExportOptions, Styles, ensure_fonts, resolution_para, write_pdf
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
    # 镕 and 堃 are outside GB2312, so outside the 小标宋 and 楷体 subsets; the body face has them.
    path = tmp_path / "rare.pdf"
    _write(
        path,
        [
            Para("朱镕基同志讲话", Styles.title),
            Para("（节选：王堃提供）", Styles.note),
            resolution_para("（一）", "同意。"),
        ],
    )
    faces = text_by_face(path)
    assert faces[TITLE_FACE] == ["朱", "基同志讲话"]
    assert faces[SECOND] == ["（节选：王", "提供）", "（一）"]
    assert {"镕", "堃"} <= set(faces[BODY])
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert "DejaVu" not in fonts and "Noto" not in fonts  # no system face filled the gap


def gb2312_hanzi() -> list[str]:
    chars = []
    for high in range(0xB0, 0xF8):
        for low in range(0xA1, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):
                chars.append(bytes([high, low]).decode("gb2312"))
    return chars


def test_the_bundled_faces_are_renamed_and_cover_what_they_are_for(qapp) -> None:
    from PySide6.QtCore import QByteArray
    from PySide6.QtGui import QRawFont

    assert set(load_bundled_fonts()) == {SERIF, SANS, KAI, TITLE}
    hanzi = gb2312_hanzi()
    assert len(hanzi) == 6763
    for name in FILES:
        font = QRawFont(QByteArray(lzma.decompress(resource("fonts", name).read_bytes())), 16)
        assert font.isValid(), name
        # Renamed: the OFL's Reserved Font Names (Source, 霞鹜, LXGW) may not name a modified font.
        assert font.familyName() in {SERIF, SANS, KAI, TITLE}
        assert all(font.supportsCharacter(ord(c)) for c in "，。、；：（）《》〔〕“”—～1aA"), name
        assert all(font.supportsCharacter(ord(c)) for c in hanzi), name
        # Only the body and heading faces reach past GB2312 (names: 镕, 堃, 喆).
        assert all(font.supportsCharacter(ord(c)) for c in "镕堃喆") == (font.familyName() in {SERIF, SANS}), name
