"""Each import format, made here from a seed's text, parses to the same meeting."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from minutes.importers import ReadError, extract
from minutes.source import read_document
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
