"""Reading a minutes file from disk: bytes, text, parse result together."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

from minutes.formats import REFUSED_SUFFIXES, ReadError, size_limit
from minutes.importers import extract, not_minutes
from minutes.model import SourceDocument
from minutes.parse import parse_text

__all__ = ["ReadError", "SourceDocument", "read_bytes", "read_document", "read_text"]

# O_NONBLOCK: opening a FIFO for reading must not wait for a writer (it is refused once open).
_FLAGS = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0)


def read_bytes(path: Path, limit: int) -> bytes:
    """The bytes of a regular file, at most limit: the limit holds for what is read, whatever
    stat says (a link to /dev/zero has size 0). FIFOs, devices and sockets are refused."""
    fd = os.open(path, _FLAGS)
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise ReadError("是文件夹，不是文件")
        if not stat.S_ISREG(st.st_mode):
            raise ReadError("不是普通文件（设备、管道或套接字），不读取")
        if st.st_size > limit:
            raise ReadError(f"文件过大（{st.st_size / 1e6:.0f} MB，上限 {limit / 1e6:.0f} MB），不像是会议纪要")
        chunks = []
        size = 0
        while chunk := os.read(fd, min(1 << 20, limit + 1 - size)):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise ReadError(f"文件过大（超过 {limit / 1e6:.0f} MB），不像是会议纪要")
        return b"".join(chunks)
    finally:
        os.close(fd)


def read_text(path: Path) -> tuple[str, str, str]:
    """(text, description, sha256) of a file, or ReadError with a one-line reason."""
    suffix = path.suffix.lower()
    if suffix in REFUSED_SUFFIXES:
        raise ReadError(REFUSED_SUFFIXES[suffix])
    try:
        data = read_bytes(path, size_limit(suffix))
    except FileNotFoundError:
        if path.is_symlink():
            raise ReadError("链接指向的文件不存在") from None
        raise ReadError("文件不存在") from None
    except IsADirectoryError:
        raise ReadError("是文件夹，不是文件") from None
    except PermissionError:
        if path.is_dir():  # Windows refuses to open a folder with EACCES
            raise ReadError("是文件夹，不是文件") from None
        raise ReadError("没有读取权限") from None
    except OSError as exc:
        raise ReadError(f"无法读取：{exc.strerror or exc}") from None
    extracted = extract(suffix, data)
    return extracted.text, extracted.description, hashlib.sha256(data).hexdigest()


def read_document(path: str | Path) -> SourceDocument:
    path = Path(path)
    text, description, digest = read_text(path)
    reason = not_minutes(text)
    if reason:
        raise ReadError(reason)
    return SourceDocument(path, description, text, digest, parse_text(text))
