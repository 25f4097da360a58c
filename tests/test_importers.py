"""Each import format, made here from a seed's text, parses to the same meeting."""

from __future__ import annotations

import io
import os
import sys
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from minutes.importers import ReadError, extract
from minutes.source import read_document
from tests import hostile
from tests.conftest import seed_path, seed_text


def essentials(path: Path) -> tuple:
    m = read_document(path).minutes
    return (m.doc_number, m.session, m.date, m.chair, [len(t.resolutions) for t in m.topics], m.issued_date)


def test_gbk_text(tmp_path: Path) -> None:
    path = tmp_path / "m.txt"
    path.write_bytes(seed_text("002").replace("\n", "\r\n").encode("gbk"))
    doc = read_document(path)
    assert doc.encoding == "gb18030"
    assert essentials(path) == essentials(seed_path("002"))


def make_docx(lines: list[str]) -> bytes:
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = "".join(f'<w:p><w:r><w:t xml:space="preserve">{escape(line)}</w:t></w:r></w:p>' for line in lines)
    document = f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{w}"><w:body>{body}</w:body></w:document>'
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", document)
    return buffer.getvalue()


def test_docx(tmp_path: Path) -> None:
    path = tmp_path / "m.docx"
    path.write_bytes(make_docx([line for line in seed_text("004").splitlines() if line.strip()]))
    assert read_document(path).encoding == "Word 文档"
    assert essentials(path) == essentials(seed_path("004"))


def test_html_page_with_site_navigation(tmp_path: Path) -> None:
    body = "".join(f"<p>{escape(line)}</p>" for line in seed_text("000").splitlines() if line.strip())
    page = f"""<!DOCTYPE html><html><head><meta charset="gb2312"><title>苏州市人民政府</title>
    <script>var nav = "首页";</script><style>p {{ margin: 0 }}</style></head><body>
    <div class="nav"><a href="/">首页</a> | <a href="/zwgk">政务公开</a> | <a>互动交流</a></div>
    <div class="crumb">当前位置：首页 &gt; 政务公开 &gt; 常务会议纪要</div>
    <div class="content">{body}</div>
    <div class="footer">主办单位：苏州市人民政府办公室　网站标识码：3205000001<br>苏ICP备05010208号</div>
    </body></html>"""
    path = tmp_path / "m.html"
    path.write_bytes(page.encode("gb18030"))
    doc = read_document(path)
    assert doc.encoding == "网页（gb18030）"
    assert "互动交流" not in doc.text and "var nav" not in doc.text and "网站标识码" not in doc.text
    assert essentials(path) == essentials(seed_path("000"))
    assert doc.minutes.warnings == ()


def test_pdf_with_text_layer(qapp, tmp_path: Path) -> None:
    from PySide6.QtGui import QFont, QPageSize, QPdfWriter, QTextDocument

    from gui.fonts import SERIF, load_bundled_fonts

    load_bundled_fonts()
    path = tmp_path / "m.pdf"
    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    document = QTextDocument()
    document.setDefaultFont(QFont(SERIF, 12))
    document.setPlainText(seed_text("001"))
    document.print_(writer)
    del writer
    doc = read_document(path)
    assert doc.encoding.startswith("PDF，")
    assert essentials(path) == essentials(seed_path("001"))


def test_scanned_pdf_is_reported_not_guessed(qapp, tmp_path: Path) -> None:
    from PySide6.QtGui import QColor, QPainter, QPdfWriter

    path = tmp_path / "scan.pdf"
    writer = QPdfWriter(str(path))
    painter = QPainter(writer)
    painter.fillRect(100, 100, 2000, 3000, QColor("#777777"))  # an image of a page, no text
    painter.end()
    del writer
    with pytest.raises(ReadError, match="没有文字层"):
        read_document(path)


@pytest.mark.parametrize(
    ("suffix", "data", "reason"),
    [
        (".pdf", b"%PDF-1.4 this is not really a pdf", "不是有效的 PDF"),
        (".docx", b"PK\x03\x04 broken zip", "不是有效的 Word"),
        (".doc", b"\xd0\xcf\x11\xe0", "另存为 .docx"),
        (".txt", bytes(range(256)) * 10, "文本"),
    ],
)
def test_unreadable_files_give_a_reason(suffix: str, data: bytes, reason: str) -> None:
    with pytest.raises(ReadError, match=reason):
        extract(suffix, data)


def test_oversized_file_is_refused_without_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)  # 50 MB, sparse: cheap to make
    with pytest.raises(ReadError, match="文件过大"):
        read_document(path)


# -- hostile inputs (issue 11) -------------------------------------------------------------
def test_nested_paragraphs_are_read_once_each() -> None:
    # Nested <w:p>: the old reader walked every level again (quadratic, 37 s at depth 16,000);
    # tests/test_faults.py bounds the time in a subprocess. Here: the text comes out once.
    extracted = extract(".docx", hostile.nested_docx(2000))
    assert extracted.text.strip() == hostile.MINUTES_LINE


def test_docx_paragraph_text_tabs_and_breaks() -> None:
    xml = (
        f'<w:document xmlns:w="{hostile.W}"><w:body><w:p><w:r><w:t>一</w:t><w:tab/><w:t>二</w:t><w:br/>'
        "<w:t>三</w:t></w:r></w:p><w:p><w:r><w:t>四</w:t></w:r></w:p></w:body></w:document>"
    )
    assert extract(".docx", hostile.docx(xml)).text == "一\t二\n三\n四"


def test_zip_bomb_docx_is_refused() -> None:
    data = hostile.bomb_docx(100)
    assert len(data) < 1_000_000
    with pytest.raises(ReadError, match="解压后过大"):
        extract(".docx", data)


@pytest.mark.parametrize(
    ("make", "reason"),
    [(hostile.encrypted_entry_docx, "已加密"), (hostile.unsupported_method_docx, "压缩方式不受支持")],
)
def test_encrypted_or_unsupported_docx_entry_gives_a_reason(make, reason: str) -> None:
    with pytest.raises(ReadError, match=reason):
        extract(".docx", make(seed_text("001").splitlines()))


def test_encrypted_pdf_with_empty_password_opens(qapp, tmp_path: Path) -> None:
    plain, locked = tmp_path / "plain.pdf", tmp_path / "locked.pdf"
    hostile.write_pdf(plain, seed_text("001"))
    hostile.encrypt_pdf(plain, locked)
    assert b"/Encrypt" in locked.read_bytes()
    assert essentials(locked) == essentials(seed_path("001"))


def test_damaged_pdf_warnings_stay_off_the_terminal(tmp_path: Path, capfd) -> None:
    path = tmp_path / "cut.pdf"
    path.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n")  # no xref, no EOF marker
    with pytest.raises(ReadError, match="PDF"):
        read_document(path)
    captured = capfd.readouterr()
    assert captured.err == "" and captured.out == ""


@pytest.mark.skipif(sys.platform == "win32", reason="FIFOs and /dev/zero are POSIX")
def test_special_files_are_refused_without_hanging(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(ReadError, match="不是普通文件"):
        read_document(fifo)  # the old reader waited for a writer for ever
    zero = tmp_path / "zero.txt"
    zero.symlink_to("/dev/zero")
    with pytest.raises(ReadError, match="不是普通文件"):
        read_document(zero)


def test_size_limit_holds_for_what_is_read(tmp_path: Path, monkeypatch) -> None:
    # stat can be wrong (a file growing while read, /proc files that say 0): the limit is on bytes read.
    import minutes.source as source

    path = tmp_path / "grows.txt"
    path.write_bytes(b"a" * 5000)
    real_fstat = os.fstat

    class Small:
        def __init__(self, st):
            self._st = st

        def __getattr__(self, name):
            return 0 if name == "st_size" else getattr(self._st, name)

    monkeypatch.setattr(source.os, "fstat", lambda fd: Small(real_fstat(fd)))
    with pytest.raises(ReadError, match="文件过大"):
        source.read_bytes(path, 1000)
    assert len(source.read_bytes(path, 5000)) == 5000


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("old.doc", b"\xd0\xcf\x11\xe0" + b"\0" * 100, "旧版 Word 格式，请另存为 .docx 或 PDF"),
        ("wps.wps", b"\xd0\xcf\x11\xe0" + b"\0" * 100, "请另存为 .docx 或 PDF"),
        ("rich.rtf", rb"{\rtf1\ansi meeting}", "请另存为 .docx 或 PDF"),
        ("empty.txt", b"", "没有文字内容"),
        ("bom.txt", b"\xef\xbb\xbf", "没有文字内容"),
        ("lorem.txt", b"Lorem ipsum dolor sit amet, consectetur adipiscing elit.\n" * 20, "没有中文文字"),
        (
            "script.html",
            b"<html><body><script>var a = '\xe4\xbc\x9a\xe8\xae\xae';</script></body></html>",
            "没有文字内容",
        ),
        ("novel.txt", "话说天下大势，分久必合，合久必分。\n".encode(), "不像是会议纪要"),
    ],
)
def test_files_that_are_not_minutes_are_refused_with_a_reason(
    tmp_path: Path, name: str, data: bytes, reason: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(ReadError, match=reason):
        read_document(path)


def test_folder_named_like_a_file_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "纪要.txt"
    folder.mkdir()
    with pytest.raises(ReadError, match="是文件夹"):
        read_document(folder)


def test_docx_declaring_too_many_parts_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", hostile.docx_of_lines(["会议纪要"]))
        for i in range(6000):  # each a few dozen bytes: millions fit in the size limit
            archive.writestr(f"p/{i}", b"")
    with pytest.raises(ReadError, match="内含文件过多"):
        extract(".docx", buffer.getvalue())
