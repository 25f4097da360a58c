"""Reading a minutes file from disk: bytes, encoding, text and parse result together."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from minutes.decode import DecodeError, decode_bytes
from minutes.model import Minutes
from minutes.parse import parse_text

# Minutes are a few dozen KB; anything this large is not one and would only stall the reader.
MAX_BYTES = 8 * 1024 * 1024


class ReadError(Exception):
    """A file that cannot be read as minutes at all. The message is for the user (Chinese)."""


@dataclass(frozen=True)
class SourceDocument:
    path: Path
    encoding: str
    text: str  # the decoded source, exactly as in the file (for the 原文 view)
    sha256: str
    minutes: Minutes


def read_text(path: Path) -> tuple[str, str, str]:
    """(text, encoding, sha256) of a file, or ReadError with a one-line reason."""
    try:
        if path.is_dir():
            raise ReadError("是文件夹，不是文件")
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ReadError(f"文件过大（{size // (1024 * 1024)} MB），不像是会议纪要")
        data = path.read_bytes()
    except FileNotFoundError:
        raise ReadError("文件不存在") from None
    except PermissionError:
        raise ReadError("没有读取权限") from None
    except OSError as exc:
        raise ReadError(f"无法读取：{exc.strerror or exc}") from None
    try:
        decoded = decode_bytes(data)
    except DecodeError as exc:
        raise ReadError(str(exc)) from None
    return decoded.text, decoded.encoding, hashlib.sha256(data).hexdigest()


def read_document(path: str | Path) -> SourceDocument:
    path = Path(path)
    text, encoding, digest = read_text(path)
    return SourceDocument(path, encoding, text, digest, parse_text(text))
