"""Reading a minutes file from disk: bytes, text, parse result together."""

from __future__ import annotations

import hashlib
from pathlib import Path

from minutes.formats import ReadError, size_limit
from minutes.importers import extract
from minutes.model import SourceDocument
from minutes.parse import parse_text

__all__ = ["ReadError", "SourceDocument", "read_document", "read_text"]


def read_text(path: Path) -> tuple[str, str, str]:
    """(text, description, sha256) of a file, or ReadError with a one-line reason."""
    try:
        if path.is_dir():
            raise ReadError("是文件夹，不是文件")
        size = path.stat().st_size
        limit = size_limit(path.suffix.lower())
        if size > limit:
            raise ReadError(f"文件过大（{size / 1e6:.0f} MB，上限 {limit / 1e6:.0f} MB），不像是会议纪要")
        data = path.read_bytes()
    except FileNotFoundError:
        raise ReadError("文件不存在") from None
    except PermissionError:
        raise ReadError("没有读取权限") from None
    except OSError as exc:
        raise ReadError(f"无法读取：{exc.strerror or exc}") from None
    extracted = extract(path.suffix, data)
    return extracted.text, extracted.description, hashlib.sha256(data).hexdigest()


def read_document(path: str | Path) -> SourceDocument:
    path = Path(path)
    text, description, digest = read_text(path)
    return SourceDocument(path, description, text, digest, parse_text(text))
