"""Hostile inputs, built from facts and the seeds: what a tester (or an office PC) throws at the
readers. Shared by the importer tests and the fault-injection suite."""

from __future__ import annotations

import io
import os
import struct
import sys
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MINUTES_LINE = "市政府第九十九次常务会议纪要"


def docx(document: str | bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", document)
    return buffer.getvalue()


def docx_of_lines(lines: list[str]) -> bytes:
    body = "".join(f'<w:p><w:r><w:t xml:space="preserve">{escape(line)}</w:t></w:r></w:p>' for line in lines)
    return docx(f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>')


def nested_docx(depth: int, text: str = MINUTES_LINE) -> bytes:
    """Paragraphs nested depth deep: a few kilobytes that made the old Word reader quadratic."""
    inner = f"<w:r><w:t>{text}</w:t></w:r>"
    return docx(f'<w:document xmlns:w="{W}"><w:body>{"<w:p>" * depth}{inner}{"</w:p>" * depth}</w:body></w:document>')


def bomb_docx(unpacked_mb: int) -> bytes:
    """A small .docx whose document.xml unpacks to unpacked_mb megabytes of one paragraph."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        with archive.open("word/document.xml", "w", force_zip64=True) as entry:
            entry.write(f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>{MINUTES_LINE}'.encode())
            block = "会".encode() * (1 << 18)
            for _ in range(unpacked_mb * (1 << 20) // len(block)):
                entry.write(block)
            entry.write(b"</w:t></w:r></w:p></w:body></w:document>")
    return buffer.getvalue()


def _patch_entry(data: bytes, name: bytes, *, flags: int | None = None, method: int | None = None) -> bytes:
    """Set the flag bits or compression method of one entry, in its local and central headers."""
    out = bytearray(data)
    for signature, flag_at, method_at, name_len_at, name_at in (
        (b"PK\x03\x04", 6, 8, 26, 30),
        (b"PK\x01\x02", 8, 10, 28, 46),
    ):
        start = 0
        while (start := out.find(signature, start)) != -1:
            length = struct.unpack_from("<H", out, start + name_len_at)[0]
            if out[start + name_at : start + name_at + length] == name:
                if flags is not None:
                    struct.pack_into(
                        "<H", out, start + flag_at, struct.unpack_from("<H", out, start + flag_at)[0] | flags
                    )
                if method is not None:
                    struct.pack_into("<H", out, start + method_at, method)
            start += 4
    return bytes(out)


def encrypted_entry_docx(lines: list[str]) -> bytes:
    return _patch_entry(docx_of_lines(lines), b"word/document.xml", flags=0x1)


def unsupported_method_docx(lines: list[str]) -> bytes:
    return _patch_entry(docx_of_lines(lines), b"word/document.xml", method=99)  # 99: WinZip AES


def gbk_name(folder: Path, stem: str = "市政府常务会议纪要", suffix: str = ".txt") -> Path:
    """A path whose name is GBK bytes, as `unzip` makes from a Chinese Windows archive."""
    return folder / os.fsdecode(stem.encode("gbk") + suffix.encode())


def write_pdf(path: Path, text: str) -> None:
    """A PDF with a text layer (needs a QApplication)."""
    from PySide6.QtGui import QFont, QPageSize, QPdfWriter, QTextDocument

    from gui.fonts import SERIF, load_bundled_fonts

    load_bundled_fonts()
    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    document = QTextDocument()
    document.setDefaultFont(QFont(SERIF, 12))
    document.setPlainText(text)
    document.print_(writer)
    del writer


def encrypt_pdf(source: Path, target: Path, algorithm: str = "AES-256") -> None:
    """The PDF encrypted with an empty user password, as government sites publish them."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(source))
    writer.encrypt(user_password="", owner_password="owner-secret", algorithm=algorithm)
    with target.open("wb") as fh:
        writer.write(fh)


POSIX_ONLY = sys.platform == "win32"
